"""Pure rules for showing a Telegram-shaped message on Zalo, and for reading what a person typed back.

Zalo has no buttons: an inline keyboard becomes a numbered list under the text, pressed by typing
the number or the label. A keyboard of navigation only ("« Quay lại", "Hủy") is not numbered:
its words are listed instead, so a typed "2" (a vote count, a number of members) stays an answer.
So are presets of a value people also type (data ending in ":v", e.g. the hours "06:00"): a typed
"5" is then 5 o'clock, not the fifth choice.
Zalo takes at most 2,000 characters a message: longer texts are split at line breaks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.texts import t

TEXT_LIMIT = 2000  # characters per Zalo message
CANCEL_DATA = "cancel"  # the flows' cancel button (bot.handlers.flow.cancel_button)
BACK_SUFFIX = ":back"  # every flow's back button ends so
VALUE_SUFFIX = ":v"  # a preset of a value that is also typed (an hour): listed by its words

Choice = tuple[str, str]  # (label, callback data)


def keyboard_rows(markup: object) -> list[list[Choice]]:
    """The pressable buttons of a Telegram reply_markup (a dict as PTB sends it), row by row."""
    if not isinstance(markup, dict):
        return []
    rows: list[list[Choice]] = []
    for row in markup.get("inline_keyboard") or []:
        kept = [(str(b.get("text", "")), b["callback_data"]) for b in (row if isinstance(row, list) else [])
                if isinstance(b, dict) and isinstance(b.get("callback_data"), str)]
        if kept:
            rows.append(kept)
    return rows


def keyboard_choices(markup: object) -> list[Choice]:
    """The pressable buttons in reading order, as they are numbered."""
    return [choice for row in keyboard_rows(markup) for choice in row]


def inline_keyboard(rows: Sequence[Sequence[Choice]]) -> dict[str, object]:
    """The reply_markup a pressed message carried on Telegram (handlers may read it back)."""
    return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row]
                                for row in rows]}


def is_navigation(data: str) -> bool:
    return data == CANCEL_DATA or data.endswith(BACK_SUFFIX)


def is_typed_value(data: str) -> bool:
    return data.endswith(VALUE_SUFFIX)


def numbered(choices: Sequence[Choice]) -> bool:
    """Whether choices are numbered (any real option) or only named (navigation, or presets of a
    value typed as a number, alone)."""
    return any(not is_navigation(data) and not is_typed_value(data) for _, data in choices)


def typed_label(label: str) -> str:
    """A label as a person would type it: without the decorations («, ✅, ✖ …) around the words."""
    return re.sub(r"^[^\w]+|[^\w)]+$", "", label).strip() or label.strip()


def render(text: str, choices: Sequence[Choice], lang: str) -> str:
    """The message text with its choices underneath, as a Zalo user reads it."""
    if not choices:
        return text
    if numbered(choices):
        lines = [f"{i}. {label}" for i, (label, _) in enumerate(choices, start=1)]
        return f"{text}\n\n" + "\n".join(lines) + "\n" + t("zalo.choose_by_number", lang)
    words = " · ".join(f"«{typed_label(label)}»" for label, _ in choices)
    return f"{text}\n\n" + t("zalo.type_words", lang, words=words)


def _fold(text: str) -> str:
    """Case, accents, spaces and decorations folded away, for matching a typed label."""
    decomposed = unicodedata.normalize("NFD", typed_label(text).casefold().replace("đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def pick(typed: str, choices: Sequence[Choice]) -> int | None:
    """The index of the choice a person typed (its label, or its number when numbered); else None."""
    words = typed.strip()
    if not words or words.startswith("/"):
        return None  # commands are commands, never a button
    exact = [i for i, (label, _) in enumerate(choices) if label.strip() == words]
    if exact:
        return exact[0]
    folded = _fold(words)
    loose = [i for i, (label, _) in enumerate(choices) if folded and _fold(label) == folded]
    if len(loose) == 1:
        return loose[0]
    if numbered(choices) and words.isascii() and words.isdigit() and 1 <= int(words) <= len(choices):
        return int(words) - 1
    return None


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line breaks (a longer line at spaces)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        for part in _fit_line(line, limit):
            candidate = part if not current else f"{current}\n{part}"
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _fit_line(line: str, limit: int) -> list[str]:
    """One line, cut at spaces only when it alone is longer than a message."""
    if len(line) <= limit:
        return [line]
    parts: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    if line:
        parts.append(line)
    return parts
