"""What the Bot API emulator remembers, and the pure Bot API rules it enforces.

The records (`SentMessage`, `RequestRecord`, ...) are what tests read back. The rules
(`parse_html`, `parse_reply_markup`) mirror the server-side checks of the real Bot API closely
enough that a bot which passes them here will not be rejected by Telegram for the same reason.
Error descriptions are the real ones where they are well known; the byte-offset details of
HTML errors are approximations of Telegram's wording.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

TEXT_LIMIT = 4096  # characters after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8
CALLBACK_ANSWER_LIMIT = 200


class ApiError(Exception):
    """A Bot API error reply: HTTP status, description and optional `parameters` object."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        return cls(400, f"Bad Request: {detail}")

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class Button(NamedTuple):
    """One inline button: its label and its callback_data (or url). Compares equal to a tuple."""

    text: str
    data: str | None


@dataclass
class EmulatedUser:
    """A Telegram user known to the emulator; their private chat has the same id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    blocked: bool = False  # blocked the bot: sends to them fail with 403

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class StoredFile:
    """A file that went through the emulator (uploaded by the bot or sent by a user)."""

    file_id: str
    file_unique_id: str
    kind: str  # "document" | "photo" | "sticker"
    filename: str | None
    data: bytes = field(repr=False)
    mime_type: str | None = None
    url: str | None = None  # set when the bot sent a URL instead of bytes (not fetched)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def file_path(self) -> str:
        suffix = ""
        if self.filename and "." in self.filename:
            suffix = "." + self.filename.rsplit(".", 1)[1]
        return f"{self.kind}s/{self.file_unique_id}{suffix}"


@dataclass
class MessageEdit:
    """The state of a message *before* one edit was applied."""

    text: str | None
    buttons: list[list[Button]]
    time: float  # time.monotonic() of the edit


@dataclass
class SentMessage:
    """A message the bot sent, as its recipient would see it (edits applied in place)."""

    message_id: int
    chat_id: int
    kind: str  # "text" | "document" | "photo"
    text: str | None  # text or caption after HTML parsing (what the user reads)
    raw_text: str | None  # exactly what the bot sent, markup included
    parse_mode: str | None
    entities: list[dict[str, Any]]
    buttons: list[list[Button]]  # inline keyboard rows; [] when there is none
    reply_keyboard: list[list[str]] | None  # custom reply keyboard rows, if one was sent
    reply_markup: dict[str, Any] | None  # the raw markup object as last set
    reply_to_message_id: int | None
    file: StoredFile | None
    sent_at: float  # time.monotonic()
    message: dict[str, Any] = field(repr=False)  # current Message JSON as the API returns it
    edits: list[MessageEdit] = field(default_factory=list)
    deleted: bool = False

    @property
    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def button_data(self, label: str) -> str:
        """The callback_data (or url) of the button labelled `label`; KeyError if absent."""
        for row in self.buttons:
            for button in row:
                if button.text == label and button.data is not None:
                    return button.data
        raise KeyError(f"no button {label!r} on message {self.message_id}: {self.button_texts}")

    @property
    def removes_keyboard(self) -> bool:
        return bool(self.reply_markup and self.reply_markup.get("remove_keyboard"))


@dataclass
class RequestRecord:
    """One Bot API call. Holds no token: the token only ever lives in the URL path."""

    method: str
    params: dict[str, Any]
    time: float  # time.monotonic() when the request arrived
    status: int | None = None  # HTTP status returned; None while in flight
    description: str | None = None  # error description, if it failed
    finished: float | None = None


@dataclass
class CallbackAnswer:
    """An answerCallbackQuery call, tied to the user who pressed the button."""

    callback_query_id: str
    user_id: int
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    time: float


@dataclass
class ChatAction:
    chat_id: int
    action: str
    time: float


@dataclass
class Fault:
    """An injected failure for the next `remaining` calls matching `method` (None: any)."""

    method: str | None
    status: int | None  # None: only `delay`, then the call is served normally
    description: str
    retry_after: int | None = None
    remaining: int = 1
    delay: float = 0.0
    chat_id: int | None = None  # only calls addressed to this chat (None: any chat)
    parameters: dict[str, Any] | None = None  # extra `parameters`, e.g. migrate_to_chat_id
    latency: float = 0.0  # the call reaches "Telegram" this much later (slow network on the way in)

    def error(self) -> ApiError:
        params = dict(self.parameters or {})
        if self.retry_after is not None:
            params["retry_after"] = self.retry_after
        return ApiError(self.status or 500, self.description, params or None)


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = field(default=None, repr=False)  # a secret: never in reprs
    max_connections: int = 40
    allowed_updates: list[str] | None = None


# ── UTF-16 offsets ──────────────────────────────────────────────────────────────────────


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units, as Telegram does."""
    return len(text.encode("utf-16-le")) // 2


# ── HTML parse mode ─────────────────────────────────────────────────────────────────────

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_NAME = re.compile(r"[^\s>/]*")
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
# Telegram understands only these named entities plus numeric ones; anything else is literal.
_HTML_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


def _cant_parse(source: str, index: int, what: str) -> ApiError:
    offset = len(source[:index].encode("utf-8"))
    return ApiError.bad_request(f"can't parse entities: {what} at byte offset {offset}")


def _attributes(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(raw):
        value = match.group(2) or match.group(3) or match.group(4) or ""
        attrs[match.group(1).lower()] = html.unescape(value)
    return attrs


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text plus entities, or the error Telegram gives.

    Strict where Telegram is strict: unsupported tags (<br>, <div>, a stray "<"), unclosed and
    mismatched tags are 400 "can't parse entities". A bare "&" stays literal, as in Telegram.
    """
    out: list[str] = []
    position = 0  # UTF-16 offset of the next output character
    stack: list[tuple[str, int, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            end = source.find(">", i)
            if source.startswith("</", i):
                if end < 0:
                    raise _cant_parse(source, i, "Unclosed end tag")
                name = source[i + 2 : end].strip().lower()
                if not stack:
                    raise _cant_parse(source, i, "Unexpected end tag")
                open_name, start, extra = stack.pop()
                if name != open_name:
                    raise _cant_parse(
                        source,
                        i,
                        f'Unmatched end tag, expected "</{open_name}>", found "</{name}>"',
                    )
                inside_pre = any(tag == "pre" for tag, _, _ in stack)
                if position > start and extra is not None and not (name == "code" and inside_pre):
                    entities.append(
                        {"type": _TAG_ENTITY[name], "offset": start, "length": position - start}
                        | extra
                    )
                i = end + 1
                continue
            name_match = _TAG_NAME.match(source, i + 1)
            name = name_match.group(0)
            if name.lower() not in _TAG_ENTITY:
                raise _cant_parse(source, i, f'Unsupported start tag "{name}"')
            if end < 0:
                raise _cant_parse(source, i, "Unclosed start tag")
            name = name.lower()
            attrs = _attributes(source[name_match.end() : end].rstrip("/"))
            extra: dict[str, Any] | None = {}
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise _cant_parse(source, i, 'Tag "span" must have class "tg-spoiler"')
            if name == "a":
                extra = {"url": attrs["href"]} if attrs.get("href") else None
            elif name == "tg-emoji":
                extra = {"custom_emoji_id": attrs["emoji-id"]} if "emoji-id" in attrs else None
            elif name == "blockquote" and "expandable" in attrs:
                extra = {"type": "expandable_blockquote"}
            elif name == "code" and attrs.get("class", "").startswith("language-"):
                for tag, _, pre_extra in reversed(stack):
                    if tag == "pre" and pre_extra is not None:
                        pre_extra["language"] = attrs["class"].removeprefix("language-")
                        break
            stack.append((name, position, extra))  # type: ignore[arg-type]
            i = end + 1
            continue
        if char == "&" and (entity := _HTML_ENTITY.match(source, i)):
            char = html.unescape(entity.group(0))
            i = entity.end()
        else:
            i += 1
        out.append(char)
        position += utf16_len(char)
    if stack:
        tag = stack[-1][0]
        raise ApiError.bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{tag}\""
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# ── Reply markup ────────────────────────────────────────────────────────────────────────

_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class ParsedMarkup:
    raw: dict[str, Any]
    buttons: list[list[Button]]  # inline keyboard; [] otherwise
    reply_keyboard: list[list[str]] | None

    @property
    def is_inline(self) -> bool:
        return "inline_keyboard" in self.raw


def _inline_button(button: Any) -> Button:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise ApiError.bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not any(key in button for key in _INLINE_ACTIONS):
        raise ApiError.bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None:
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            raise ApiError.bad_request("BUTTON_DATA_INVALID")
        return Button(button["text"], data)
    url = button.get("url")
    if url is not None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise ApiError.bad_request(
                f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
            )
        return Button(button["text"], url)
    return Button(button["text"], None)


def parse_reply_markup(markup: Any) -> ParsedMarkup:
    """Validate a reply_markup object the way the Bot API does and extract its buttons."""
    if not isinstance(markup, dict):
        raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError.bad_request(
                'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        buttons = [[_inline_button(button) for button in row] for row in rows]
        return ParsedMarkup(markup, buttons, None)
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError.bad_request(
                'Field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
            )
        texts = [[b if isinstance(b, str) else str(b.get("text", "")) for b in row] for row in rows]
        return ParsedMarkup(markup, [], texts)
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return ParsedMarkup(markup, [], None)
    raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
