"""PTB persistence in our own database, so conversations survive a restart on either backend.

Conversation states, user_data and chat_data are kept as JSON rows in `conversation_state`
(handlers therefore keep only JSON-friendly values in user_data: str, int, lists, dicts).
Each channel has its own rows: Telegram's under the plain names (as before channels existed),
another channel's under names prefixed with it ("zalo:…"), with its string ids kept as strings.
bot_data and callback_data are not persisted: nothing needs them across restarts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from bot.domain.channels import TELEGRAM
from bot.store.db import Database
from bot.store.models import ConversationState

_USER, _CHAT, _CONVERSATION = "user", "chat", "conversation"


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

    async def _load(self, kind: str, name: str = "") -> dict[str, Any]:
        name = self.prefix + name
        async with self.db.read() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.value).where(
                    ConversationState.kind == kind, ConversationState.name == name
                )
            )
            return {key: value for key, value in rows}

    async def _save(self, kind: str, name: str, key: str, value: Any) -> None:
        name = self.prefix + name
        async with self.db.write() as session:
            row = await session.get(ConversationState, (kind, name, key))
            if value is None:
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(ConversationState(kind=kind, name=name, key=key, value=value,
                                              updated_at=self.clock()))
            else:
                row.value = value
                row.updated_at = self.clock()  # the same clock the expiry is judged by

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
        """Every update is written at once; nothing is buffered."""

    async def drop_all(self) -> None:  # for tests and `chibo` maintenance
        async with self.db.write() as session:
            await session.execute(delete(ConversationState))
