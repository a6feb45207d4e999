"""Pure translation of Zalo Bot API events into Telegram `Update` JSON, so PTB handles them as its own.

A Zalo event is `{event_name, message: {message_id, date (ms), text, from: {id, display_name},
chat: {id, chat_type}}}` with string ids. Text that presses a remembered choice becomes a
`callback_query` carrying that button's data; a command gets its `bot_command` entity (PTB's
CommandHandler needs it); images and stickers become photo and sticker messages, so the flows'
"only text here" answers apply to them as on Telegram.
"""

from __future__ import annotations

from typing import Any

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
STICKER_EVENT = "message.sticker.received"
UNSUPPORTED_EVENT = "message.unsupported.received"


def message_key(event: dict[str, Any]) -> str | None:
    """The id that tells a repeated delivery of the same event (Zalo's getUpdates may repeat)."""
    message = event.get("message")
    if not isinstance(message, dict) or not message.get("message_id"):
        return None
    return str(message["message_id"])


def chat_of(event: dict[str, Any]) -> dict[str, Any] | None:
    """Telegram's Chat for the event's chat (Zalo's string id kept as is), or None if malformed."""
    message = event.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or not chat.get("id"):
        return None
    kind = "private" if str(chat.get("chat_type", "PRIVATE")).upper() == "PRIVATE" else "group"
    return {"id": str(chat["id"]), "type": kind}


def sender_of(event: dict[str, Any]) -> dict[str, Any] | None:
    message = event.get("message")
    sender = message.get("from") if isinstance(message, dict) else None
    if not isinstance(sender, dict) or not sender.get("id"):
        return None
    name = str(sender.get("display_name") or sender.get("name") or "").strip() or "Zalo"
    return {"id": str(sender["id"]), "is_bot": bool(sender.get("is_bot", False)), "first_name": name[:64]}


def _seconds(ms: Any) -> int:
    try:
        return int(int(ms) // 1000)
    except (TypeError, ValueError):
        return 0


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def to_message(event: dict[str, Any], message_id: int) -> dict[str, Any] | None:
    """Telegram's Message JSON for a Zalo event; None when the event lacks a chat or a sender."""
    chat, sender = chat_of(event), sender_of(event)
    if chat is None or sender is None:
        return None
    zalo = event["message"]
    message: dict[str, Any] = {"message_id": message_id, "date": _seconds(zalo.get("date")),
                               "chat": chat, "from": sender}
    name = event.get("event_name")
    key = message_key(event) or str(message_id)
    if name == TEXT_EVENT and isinstance(zalo.get("text"), str):
        text = zalo["text"]
        message["text"] = text
        if text.startswith("/") and text.split():
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": _utf16_length(text.split()[0])}]
    elif name == IMAGE_EVENT:
        message["photo"] = [{"file_id": key, "file_unique_id": key, "width": 1, "height": 1}]
        if isinstance(zalo.get("caption"), str):
            message["caption"] = zalo["caption"]
    elif name == STICKER_EVENT:
        message["sticker"] = {"file_id": key, "file_unique_id": key, "width": 1, "height": 1,
                              "is_animated": False, "is_video": False, "type": "regular"}
    # Anything else (unsupported content) stays a message with no text: "only text here" applies.
    return message


def to_callback_update(
    event: dict[str, Any], update_id: int, callback_id: str, data: str,
    under_message_id: int, under_text: str, under_markup: dict[str, Any],
) -> dict[str, Any] | None:
    """A button press: the choice typed in `event` answers the message `under_message_id`
    (with its text and keyboard, as Telegram gives them to the handler)."""
    chat, sender = chat_of(event), sender_of(event)
    if chat is None or sender is None:
        return None
    under = {"message_id": under_message_id, "date": _seconds(event["message"].get("date")),
             "chat": chat, "text": under_text, "reply_markup": under_markup}
    return {"update_id": update_id, "callback_query": {
        "id": callback_id, "from": sender, "chat_instance": chat["id"], "data": data, "message": under,
    }}


def to_message_update(event: dict[str, Any], update_id: int, message_id: int) -> dict[str, Any] | None:
    message = to_message(event, message_id)
    return None if message is None else {"update_id": update_id, "message": message}
