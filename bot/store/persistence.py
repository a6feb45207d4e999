"""PTB persistence in our own database, so conversations survive a restart on either backend.

Conversation states, user_data and chat_data are kept as JSON rows in `conversation_state`
(handlers therefore keep only JSON-friendly values in user_data: str, int, lists, dicts).
Each channel has its own rows: Telegram's under the plain names (as before channels existed),
another channel's under names prefixed with it ("zalo:…"), with its string ids kept as strings.
bot_data and callback_data are not persisted: nothing needs them across restarts.

When it is written: PTB calls the update_* methods from `Application.update_persistence()`, on its
own every `update_interval` (a second) — too late for a process killed right after a reply. So
the application (bot.handlers.runtime.ChiboApplication) also calls it at the end of every update,
inside `batched()`, and only then lets the update's replies go out (bot.handlers.durable): the
user's data, the chat's data and the conversation states land in ONE transaction, so a kill
leaves either the state before the update or the state after it, never half of each, and no
reply ever showed a state that was not written. (The timed flush remains for what jobs change.)
Values equal to what this process last wrote (or loaded) are skipped, so an update that changed
no data writes none.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BasePersistence, PersistenceInput

from bot.domain.channels import TELEGRAM
from bot.store.db import Database
from bot.store.models import ConversationState

_USER, _CHAT, _CONVERSATION = "user", "chat", "conversation"
_Row = tuple[str, str, str]  # (kind, name, key)
_MISSING = object()
# PTB's own names for these live in a private module (telegram.ext._utils.types): spelled out here.
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]


def _frozen(value: Any) -> str:
    """A value as it was when written or loaded (PTB hands out, and then changes, the very dicts
    it loaded, so the dicts themselves cannot be kept for comparing)."""
    return json.dumps(value, sort_keys=True, default=str)

# The writes collected by the `batched()` block running in this task (and in the tasks that
# update_persistence gathers, which inherit the context and so share the list).
_batch: ContextVar[dict[_Row, Any] | None] = ContextVar("persistence_batch", default=None)


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, db: Database, update_interval: float = 1.0,
                 conversations_expire_after: timedelta | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 channel: str = TELEGRAM) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True,
                                        callback_data=False),
            update_interval=update_interval,
        )
        self.db = db
        # A restart loses PTB's idle-timeout jobs: conversations idle longer than this are
        # dropped when loaded instead of lingering for ever.
        self.expire_after = conversations_expire_after
        self.clock = clock
        self.prefix = "" if channel == TELEGRAM else f"{channel}:"
        # Telegram's ids are integers; other channels' ids are strings and stay so.
        self.id_of: Callable[[str], Any] = int if channel == TELEGRAM else str
        self._stored: dict[_Row, Any] = {}  # what the table holds, as far as this process knows

    async def _load(self, kind: str, name: str = "") -> dict[str, Any]:
        name = self.prefix + name
        async with self.db.read() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.value).where(
                    ConversationState.kind == kind, ConversationState.name == name
                )
            )
            loaded = {key: value for key, value in rows}
        self._stored.update({(kind, name, key): _frozen(value) for key, value in loaded.items()})
        return loaded

    @asynccontextmanager
    async def batched(self) -> AsyncIterator[None]:
        """Every write asked for inside the block is made at its end, in one transaction."""
        pending: dict[_Row, Any] = {}
        token = _batch.set(pending)
        try:
            yield
        finally:
            _batch.reset(token)
        if pending:
            await self._write(pending)

    async def _save(self, kind: str, name: str, key: str, value: Any) -> None:
        row = (kind, self.prefix + name, key)
        if kind != _CONVERSATION and self._stored.get(row, _MISSING) == _frozen(value):
            return  # already there: an update that read the data without changing it
        # (A conversation state is rewritten even when equal: its updated_at keeps it from expiring.)
        pending = _batch.get()
        if pending is not None:
            pending[row] = value
        else:
            await self._write({row: value})

    async def _write(self, values: dict[_Row, Any]) -> None:
        async with self.db.write() as session:
            for row, value in values.items():
                await self._put(session, row, value)
        self._stored.update({row: _frozen(value) for row, value in values.items()})

    async def _put(self, session: AsyncSession, row: _Row, value: Any) -> None:
        found = await session.get(ConversationState, row)
        if value is None:
            if found is not None:
                await session.delete(found)
        elif found is None:
            kind, name, key = row
            session.add(ConversationState(kind=kind, name=name, key=key, value=value,
                                          updated_at=self.clock()))
        else:
            found.value = value
            found.updated_at = self.clock()  # the same clock the expiry is judged by

    # --- user and chat data -------------------------------------------------------------------
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {self.id_of(k): v for k, v in (await self._load(_USER)).items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {self.id_of(k): v for k, v in (await self._load(_CHAT)).items()}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self._save(_USER, "", str(user_id), data or None)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        await self._save(_CHAT, "", str(chat_id), data or None)

    async def drop_user_data(self, user_id: int) -> None:
        await self._save(_USER, "", str(user_id), None)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._save(_CHAT, "", str(chat_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to do: this process is the only writer of its users' data."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Nothing to do: this process is the only writer of its chats' data."""

    # --- conversations ------------------------------------------------------------------------
    async def get_conversations(self, name: str) -> ConversationDict:
        if self.expire_after is not None:
            cutoff = self.clock() - self.expire_after
            async with self.db.write() as session:
                await session.execute(delete(ConversationState).where(
                    ConversationState.kind == _CONVERSATION, ConversationState.name == self.prefix + name,
                    ConversationState.updated_at < cutoff))
        return {tuple(json.loads(k)): v for k, v in (await self._load(_CONVERSATION, name)).items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        await self._save(_CONVERSATION, name, json.dumps(list(key)), new_state)

    # --- not persisted ------------------------------------------------------------------------
    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """bot_data is not persisted (store_data.bot_data is False)."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """bot_data is not persisted."""

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        """Arbitrary callback data is not used: buttons carry short strings."""

    async def flush(self) -> None:
        """Nothing is buffered here: every write reaches the database when asked for (see the
        module docstring for when the application asks)."""

    async def drop_all(self) -> None:  # for tests and `chibo` maintenance
        async with self.db.write() as session:
            await session.execute(delete(ConversationState))
        self._stored.clear()
