"""The chat channels chibo speaks on, and how each one's chat ids look.

Telegram's chat ids are integers; Zalo's are strings. Both are stored as text (users.chat_id) and
turned back into the channel's own kind here, so no other layer needs to know the difference.
"""

from __future__ import annotations

from typing import Final

TELEGRAM: Final = "telegram"
ZALO: Final = "zalo"
CHANNELS: Final = (TELEGRAM, ZALO)

ChatId = int | str


def chat_id_text(chat_id: ChatId | None) -> str | None:
    """How a chat id is stored."""
    return None if chat_id is None else str(chat_id)


def chat_id_of(channel: str, stored: str | None) -> ChatId | None:
    """A stored chat id as its channel uses it (an int on Telegram, the string itself on Zalo)."""
    if stored is None:
        return None
    if channel == TELEGRAM:
        try:
            return int(stored)
        except ValueError:
            return None
    return stored


def sample_external_id(channel: str, number: int) -> str:
    """The id of demo or test user `number` on `channel` (the demo ward and the emulators share it).

    Telegram's is the number itself; Zalo's is a string like the platform's, with letters in it,
    so that nothing can mistake it for a number.
    """
    if channel == TELEGRAM:
        return str(number)
    return f"z{number:x}a{(number * 2654435761) % 16**8:08x}"


def has_command_menu(channel: str) -> bool:
    """Telegram shows each person their commands in a menu; Zalo has no such thing."""
    return channel == TELEGRAM
