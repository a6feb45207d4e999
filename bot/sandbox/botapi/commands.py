"""The bot's command menus: set, deleted and read per scope and language."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.botapi.messages import Messages
from bot.sandbox.botapi.server import ApiHandler, Method, Params
from bot.sandbox.records import ApiError

_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


class Commands(Messages):
    """setMyCommands and friends, and what tests read back of them."""

    def _methods(self) -> dict[str, Method]:
        return {
            **super()._methods(),
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
        }

    def _scope_key(self, scope: Any) -> tuple[Any, ...]:
        scope = scope or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise ApiError.bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return (kind,)
        if kind in ("chat", "chat_administrators"):
            return (kind, self._resolve_chat(scope.get("chat_id")))
        if kind == "chat_member":
            try:
                user_id = int(scope["user_id"])
            except (KeyError, TypeError, ValueError):
                raise ApiError.bad_request("invalid user_id specified") from None
            return (kind, self._resolve_chat(scope.get("chat_id")), user_id)
        raise ApiError.bad_request("unsupported scope type")

    async def _set_my_commands(self, p: Params, handler: ApiHandler) -> bool:
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError.bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            description = command.get("description") if isinstance(command, dict) else None
            if not isinstance(name, str) or not _COMMAND_NAME.fullmatch(name):
                raise ApiError.bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(p.json("scope")), p.text("language_code") or "")
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _delete_my_commands(self, p: Params, handler: ApiHandler) -> bool:
        self._commands.pop((self._scope_key(p.json("scope")), p.text("language_code") or ""), None)
        return True

    async def _get_my_commands(self, p: Params, handler: ApiHandler) -> list[dict[str, str]]:
        # Exactly the list for this scope and language: Telegram does not fall back here.
        key = (self._scope_key(p.json("scope")), p.text("language_code") or "")
        return list(self._commands.get(key, []))

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """(command, description) pairs set for `scope` (a BotCommandScope dict; None: default)."""
        key = (self._scope_key(scope), language_code)
        return [(c["command"], c["description"]) for c in self._commands.get(key, [])]

    def commands_for_chat(self, chat_id: int, language_code: str = "") -> list[tuple[str, str]]:
        return self.commands({"type": "chat", "chat_id": chat_id}, language_code)

    @property
    def command_scopes(self) -> list[tuple[tuple[Any, ...], str]]:
        """Every (scope key, language_code) that has commands, e.g. (("chat", 42), "vi")."""
        return list(self._commands)

