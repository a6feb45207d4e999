"""Chats and messages, the API side: sending text and media, edits, deletes, answers to button
presses and chat actions, with the Bot API's checks and error replies."""

from __future__ import annotations

import copy
import itertools
import time
from typing import Any

from bot.sandbox.botapi.files import Files
from bot.sandbox.botapi.server import ApiHandler, Method, Params
from bot.sandbox.records import (
    CALLBACK_ANSWER_LIMIT,
    CAPTION_LIMIT,
    TEXT_LIMIT,
    ApiError,
    CallbackAnswer,
    ChatAction,
    MessageEdit,
    ParsedMarkup,
    SentMessage,
    StoredFile,
    parse_html,
    parse_reply_markup,
)

_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class Messages(Files):
    """The Bot API methods that write to chats."""

    def _methods(self) -> dict[str, Method]:
        return {
            **super()._methods(),
            "getMe": self._get_me,
            "close": self._close,
            "logOut": self._close,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
        }

    def _bot_json(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    async def _get_me(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        return self._bot_json() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _close(self, p: Params, handler: ApiHandler) -> bool:
        return True

    def _resolve_chat(self, raw: Any) -> int:
        if raw is None or raw == "":
            raise ApiError.bad_request("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat_id, chat in self._chats.items():
                # Usernames address channels and groups, never private chats.
                if (
                    chat["type"] != "private"
                    and chat.get("username", "").lower() == raw[1:].lower()
                ):
                    return chat_id
            raise ApiError.bad_request("chat not found")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise ApiError.bad_request("chat not found") from None
        if chat_id not in self._chats:
            raise ApiError.bad_request("chat not found")
        return chat_id

    def _writable_chat(self, p: Params) -> int:
        chat_id = self._resolve_chat(p.raw("chat_id"))
        user = self.users.get(chat_id)
        if user is not None and user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _next_message_id(self, chat_id: int) -> int:
        # Private chats number user and bot messages in one sequence, as Telegram does.
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _formatted(
        self, p: Params, text_key: str, entities_key: str
    ) -> tuple[str | None, str, list[dict[str, Any]], str | None]:
        """(raw, plain text, entities, parse_mode) for a text or caption parameter."""
        raw = p.text(text_key)
        parse_mode = p.text("parse_mode") or None
        if raw is None:
            return None, "", [], parse_mode
        mode = (parse_mode or "").lower()
        if mode == "html":
            plain, entities = parse_html(raw)
        elif mode in ("markdown", "markdownv2"):
            plain, entities = raw, []  # not interpreted (see module docstring)
        elif mode:
            raise ApiError.bad_request("unsupported parse_mode")
        else:
            plain, entities = raw, p.json(entities_key) or []
        return raw, plain, entities, parse_mode

    def _markup(self, p: Params) -> ParsedMarkup | None:
        markup = p.json("reply_markup")
        return None if markup is None else parse_reply_markup(markup)

    def _reply_target(self, p: Params, chat_id: int) -> dict[str, Any] | None:
        params = p.json("reply_parameters")
        if isinstance(params, dict):  # what PTB 22 sends, even for reply_to_message_id=
            message_id = params.get("message_id")
            allow = bool(params.get("allow_sending_without_reply"))
            if params.get("chat_id") is not None:
                chat_id = self._resolve_chat(params["chat_id"])
        else:
            message_id = p.integer("reply_to_message_id")
            allow = p.flag("allow_sending_without_reply")
        if message_id is None:
            return None
        key = (chat_id, int(message_id))
        if key not in self._messages or key in self._deleted:
            if allow:
                return None
            raise ApiError.bad_request("message to be replied not found")
        target = copy.deepcopy(self._messages[key])
        target.pop("reply_to_message", None)  # Telegram nests only one level
        return target

    def _record_sent(
        self,
        chat_id: int,
        kind: str,
        formatted: tuple[str | None, str, list[dict[str, Any]], str | None],
        markup: ParsedMarkup | None,
        reply_to: dict[str, Any] | None,
        file: StoredFile | None = None,
        media: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        raw, plain, entities, parse_mode = formatted
        message_id = self._next_message_id(chat_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self._bot_json(),
            "chat": dict(self._chats[chat_id]),
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(media or {})
        text_key, entities_key = (
            ("text", "entities") if kind == "text" else ("caption", "caption_entities")
        )
        if plain:
            message[text_key] = plain
        if entities:
            message[entities_key] = entities
        if markup is not None and markup.is_inline:
            message["reply_markup"] = markup.raw  # only inline keyboards come back, as live
        self._messages[(chat_id, message_id)] = message
        record = SentMessage(
            message_id=message_id,
            chat_id=chat_id,
            kind=kind,
            text=plain or None,
            raw_text=raw,
            parse_mode=parse_mode,
            entities=entities,
            buttons=markup.buttons if markup else [],
            reply_keyboard=markup.reply_keyboard if markup else None,
            reply_markup=markup.raw if markup else None,
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            file=file,
            sent_at=time.monotonic(),
            message=message,
        )
        self._sent.setdefault(chat_id, []).append(record)
        self._sent_by_key[(chat_id, message_id)] = record
        self._emit("sent", record)
        return message

    async def _send_message(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        # Text and markup are validated before the chat is looked up, like the real server.
        formatted = self._formatted(p, "text", "entities")
        if not formatted[1].strip():
            raise ApiError.bad_request("message text is empty")
        if len(formatted[1]) > TEXT_LIMIT:
            raise ApiError.bad_request("message is too long")
        markup = self._markup(p)
        chat_id = self._writable_chat(p)
        return self._record_sent(chat_id, "text", formatted, markup, self._reply_target(p, chat_id))

    async def _send_document(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        return self._send_media(p, "document")

    async def _send_photo(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        return self._send_media(p, "photo")

    def _send_media(self, p: Params, kind: str) -> dict[str, Any]:
        formatted = self._formatted(p, "caption", "caption_entities")
        if len(formatted[1]) > CAPTION_LIMIT:
            raise ApiError.bad_request("message caption is too long")
        markup = self._markup(p)
        chat_id = self._writable_chat(p)
        stored = self._input_file(p, kind)
        reply_to = self._reply_target(p, chat_id)
        return self._record_sent(
            chat_id, kind, formatted, markup, reply_to, stored, self._media_json(stored)
        )


    def _editable(self, p: Params) -> SentMessage:
        if p.raw("inline_message_id"):
            raise ApiError.bad_request("message to edit not found")  # inline mode not emulated
        chat_id = self._writable_chat(p)
        message_id = p.integer("message_id")
        if message_id is None:
            raise ApiError.bad_request("message identifier is not specified")
        key = (chat_id, message_id)
        record = self._sent_by_key.get(key)
        if record is None and key in self._messages and key not in self._deleted:
            raise ApiError.bad_request("message can't be edited")
        if record is None or record.deleted:
            raise ApiError.bad_request("message to edit not found")
        return record

    def _apply_edit(
        self,
        record: SentMessage,
        formatted: tuple[str | None, str, list[dict[str, Any]], str | None] | None,
        markup: ParsedMarkup | None,
    ) -> dict[str, Any]:
        if markup is not None and not markup.is_inline:
            raise ApiError.bad_request("inline keyboard expected")
        message = record.message
        text_key, entities_key = (
            ("text", "entities") if record.kind == "text" else ("caption", "caption_entities")
        )
        new_text = formatted[1] if formatted else message.get(text_key, "")
        new_entities = formatted[2] if formatted else message.get(entities_key, [])
        # Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
        new_markup = markup.raw if markup else None
        if (new_text, new_entities, new_markup) == (
            message.get(text_key, ""),
            message.get(entities_key, []),
            message.get("reply_markup"),
        ):
            raise ApiError.bad_request(_NOT_MODIFIED)
        record.edits.append(MessageEdit(record.text, record.buttons, time.monotonic()))
        for key, value in (
            (text_key, new_text),
            (entities_key, new_entities),
            ("reply_markup", new_markup),
        ):
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        message["edit_date"] = int(time.time())
        record.text = new_text or None
        record.entities = new_entities
        record.buttons = markup.buttons if markup else []
        record.reply_markup = new_markup
        if formatted:
            record.raw_text, record.parse_mode = formatted[0], formatted[3]
        self._emit("edited", record)
        return message

    async def _edit_message_text(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        formatted = self._formatted(p, "text", "entities")
        if not formatted[1].strip():
            raise ApiError.bad_request("message text is empty")
        if len(formatted[1]) > TEXT_LIMIT:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        markup = self._markup(p)
        record = self._editable(p)
        if record.kind != "text":
            raise ApiError.bad_request("there is no text in the message to edit")
        return self._apply_edit(record, formatted, markup)

    async def _edit_message_caption(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        formatted = self._formatted(p, "caption", "caption_entities")
        if len(formatted[1]) > CAPTION_LIMIT:
            raise ApiError.bad_request("message caption is too long")
        markup = self._markup(p)
        record = self._editable(p)
        if record.kind == "text":
            raise ApiError.bad_request("there is no caption in the message to edit")
        return self._apply_edit(record, formatted, markup)

    async def _edit_message_reply_markup(self, p: Params, handler: ApiHandler) -> dict[str, Any]:
        markup = self._markup(p)
        return self._apply_edit(self._editable(p), None, markup)

    async def _delete_message(self, p: Params, handler: ApiHandler) -> bool:
        chat_id = self._resolve_chat(p.raw("chat_id"))
        key = (chat_id, p.integer("message_id") or 0)
        if key not in self._messages or key in self._deleted:
            raise ApiError.bad_request("message to delete not found")
        self._deleted.add(key)
        if key in self._sent_by_key:
            self._sent_by_key[key].deleted = True
            self._emit("deleted", self._sent_by_key[key])
        self._notify()
        return True

    async def _answer_callback_query(self, p: Params, handler: ApiHandler) -> bool:
        text = p.text("text")
        if text and len(text) > CALLBACK_ANSWER_LIMIT:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        query_id = p.text("callback_query_id") or ""
        user_id = self._open_queries.pop(query_id, None)  # a query can be answered once
        if user_id is None:
            raise ApiError.bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                user_id=user_id,
                text=text,
                show_alert=p.flag("show_alert"),
                url=p.text("url"),
                cache_time=p.integer("cache_time"),
                time=time.monotonic(),
            )
        )
        self._notify()
        return True

    async def _send_chat_action(self, p: Params, handler: ApiHandler) -> bool:
        chat_id = self._writable_chat(p)
        action = p.text("action") or ""
        if action not in _CHAT_ACTIONS:
            raise ApiError.bad_request("wrong parameter action in request")
        self._actions.append(ChatAction(chat_id, action, time.monotonic()))
        return True

