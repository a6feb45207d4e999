"""The user side of the emulator: people and groups who type, send stickers, photos and documents
and press buttons; and what tests read back of what the bot did."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import re
import time
from collections.abc import Callable
from typing import Any

from bot.sandbox.botapi.commands import Commands
from bot.sandbox.botapi.files import TINY_PNG
from bot.sandbox.records import CallbackAnswer, EmulatedUser, SentMessage, utf16_len
from bot.sandbox.waiting import wait_for_change

_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")


class UserSide(Commands):
    """Drives the bot as its users would, and reads what it sent."""

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> EmulatedUser:
        """A user who has started the bot; their private chat id equals `user_id`."""
        user = EmulatedUser(user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
        self._chats[user_id] = chat
        return user

    def add_group(
        self, chat_id: int, title: str, *, kind: str = "supergroup", username: str | None = None
    ) -> None:
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        if username:
            chat["username"] = username
        self._chats[chat_id] = chat

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or, with blocked=False, unblocks) the bot."""
        self._user(user_id).blocked = blocked

    def _user(self, user_id: int) -> EmulatedUser:
        try:
            return self.users[user_id]
        except KeyError:
            raise KeyError(f"unknown user {user_id}: call add_user() first") from None

    def _user_message(
        self, user_id: int, chat_id: int | None, reply_to_message_id: int | None = None
    ) -> dict[str, Any]:
        user = self._user(user_id)
        chat_id = user_id if chat_id is None else chat_id
        if chat_id not in self._chats:
            raise KeyError(f"unknown chat {chat_id}: call add_group() first")
        message_id = self._next_message_id(chat_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user.to_json(),
            "chat": dict(self._chats[chat_id]),
            "date": int(time.time()),
        }
        if reply_to_message_id is not None:
            target = copy.deepcopy(self._messages[(chat_id, reply_to_message_id)])
            target.pop("reply_to_message", None)
            message["reply_to_message"] = target
        self._messages[(chat_id, message_id)] = message
        return message

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """The user types `text`; returns the queued Update (a dict)."""
        message = self._user_message(user_id, chat_id, reply_to_message_id)
        message["text"] = text
        if command := _BOT_COMMAND.match(text):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
            ]
        return self._queue({"message": message})

    def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> dict[str, Any]:
        message = self._user_message(user_id, chat_id)
        stored = self._store_file("sticker", None, b"", "image/webp")
        message.update(self._media_json(stored))
        message["sticker"]["emoji"] = emoji
        return self._queue({"message": message})

    def send_photo(
        self,
        user_id: int,
        data: bytes = TINY_PNG,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        message = self._user_message(user_id, chat_id)
        message.update(self._media_json(self._store_file("photo", None, data, "image/png")))
        if caption:
            message["caption"] = caption
        return self._queue({"message": message})

    def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """The user uploads a file; the bot can fetch it with getFile + download."""
        message = self._user_message(user_id, chat_id)
        stored = self._store_file("document", filename, data, mime_type)
        message.update(self._media_json(stored))
        if caption:
            message["caption"] = caption
        return self._queue({"message": message})

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int | None = None,
        forged: bool = False,
    ) -> dict[str, Any]:
        """The user presses an inline button; returns the queued callback_query Update.

        By default the message must be one the bot sent (not deleted) and carry a button with
        `callback_data`, so a typo in a test fails loudly. `forged=True` lifts both checks, for
        tampered or stale callbacks; an unknown message id then gets a minimal message object.
        """
        user = self._user(user_id)
        chat_id = user_id if chat_id is None else chat_id
        record = self._sent_by_key.get((chat_id, message_id))
        if record is not None and not record.deleted:
            message = copy.deepcopy(record.message)  # Telegram sends the message as it is now
            offered = [button.data for row in record.buttons for button in row]
            if not forged and callback_data not in offered:
                raise ValueError(f"message {message_id} has no button {callback_data!r}: {offered}")
        elif forged:
            message = {
                "message_id": message_id,
                "from": self._bot_json(),
                "chat": dict(self._chats[chat_id]),
                "date": int(time.time()),
            }
        else:
            raise ValueError(
                f"the bot has no live message {message_id} in chat {chat_id}; "
                "pass forged=True to press it anyway"
            )
        query_id = str(next(self._query_seq))
        self._open_queries[query_id] = user_id
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": message,
            "chat_instance": str(-7_000_000_000 - chat_id),
            "data": callback_data,
        }
        return self._queue({"callback_query": query})

    def send_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue any other update body (e.g. {"my_chat_member": {...}}); update_id is added."""
        return self._queue(dict(payload))

    # ── reading what the bot did ────────────────────────────────────────────────────────

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Everything the bot sent to `chat_id`, in order (deleted ones flagged, not removed)."""
        return list(self._sent.get(chat_id, []))

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        return self._sent_by_key[(chat_id, message_id)]

    def last_message(self, chat_id: int) -> SentMessage:
        sent = self._sent.get(chat_id)
        if not sent:
            raise LookupError(f"the bot sent nothing to chat {chat_id}")
        return sent[-1]

    def new_messages(self, chat_id: int) -> list[SentMessage]:
        """Messages sent since the last read of this chat; advances the read cursor."""
        sent = self._sent.get(chat_id, [])
        start = self._cursors.get(chat_id, 0)
        self._cursors[chat_id] = len(sent)
        return sent[start:]

    def mark_seen(self, chat_id: int | None = None) -> None:
        """Move the read cursor of one chat (None: all chats) past everything sent so far."""
        for cid in [chat_id] if chat_id is not None else list(self._sent):
            self._cursors[cid] = len(self._sent.get(cid, []))

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "the condition"
    ) -> None:
        """Wait until `predicate()` holds; it is re-checked after every emulator event."""
        await wait_for_change(lambda: self._changed, predicate, timeout=timeout, what=what)

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait for at least `count` messages after the read cursor; return all new ones."""
        start = self._cursors.get(chat_id, 0)
        try:
            await self.wait_until(
                lambda: len(self._sent.get(chat_id, [])) - start >= count, timeout
            )
        except TimeoutError:
            got = [m.text for m in self._sent.get(chat_id, [])[start:]]
            raise TimeoutError(
                f"expected {count} new message(s) in chat {chat_id} within {timeout}s, "
                f"got {len(got)}: {got!r}"
            ) from None
        return self.new_messages(chat_id)

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Return once every queued update was handed out and the bot made no request
        (getUpdates aside) for `quiet` seconds; TimeoutError if that takes over `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = self._busy > 0 or self._undelivered() > 0 or not self._handed_over
            idle_for = now - self._last_activity
            if not busy and idle_for >= quiet:
                return
            remaining = deadline - now
            if remaining <= 0:
                raise TimeoutError(
                    f"bot not idle after {timeout}s: {self._busy} request(s) in flight, "
                    f"{self._undelivered()} update(s) not fetched"
                )
            changed = self._changed
            pause = remaining if busy else min(remaining, quiet - idle_for)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), pause)

    def callback_answers(self, user_id: int | None = None) -> list[CallbackAnswer]:
        return [a for a in self._answers if user_id is None or a.user_id == user_id]

    def unanswered_callbacks(self) -> list[str]:
        """Callback query ids the bot never answered (the user's spinner keeps spinning)."""
        return list(self._open_queries)

    def chat_actions(self, chat_id: int) -> list[str]:
        return [a.action for a in self._actions if a.chat_id == chat_id]
