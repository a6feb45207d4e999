"""A local Telegram Bot API server, so the real bot can be driven end to end without Telegram.

`BotApiEmulator` is a tornado HTTP server running in the caller's asyncio loop. The unmodified
python-telegram-bot stack talks to it over HTTP, via
`ApplicationBuilder().base_url(emu.base_url).base_file_url(emu.base_file_url)`, and gets the
response shapes and the error replies of the real Bot API (message too long, chat not found,
bot blocked, message not modified, 429 with retry_after, ...).

The same object is the other end of the conversation: tests add users, make them type text,
send stickers/photos/documents and press inline buttons, then read back what the bot sent,
how it answered callback queries and which commands it registered. `inject_fault` makes the
next calls fail (429/500/502 or slow) for reliability tests, and `requests` logs every call
with its monotonic time and status, for send-rate measurements.

Limits, by design: HTML parse mode is interpreted (entities, strict tag errors, like Telegram);
Markdown/MarkdownV2 text is stored verbatim and not validated. Inline mode, payments, media
groups and most chat-management methods are not emulated: they answer 404 like unknown methods,
so an unexpected call shows up instead of silently succeeding.

The emulator is built in layers (bot.sandbox.botapi), each a subclass of the one before:
`server` (HTTP, lifecycle, faults), then the Bot API's method families `updates` (getUpdates,
webhooks), `files`, `messages` and `commands`, and last `user` (the user-side driver).
"""

from __future__ import annotations

from bot.sandbox.botapi.user import UserSide


class BotApiEmulator(UserSide):
    """The Bot API on 127.0.0.1 plus a scriptable user side. See the module docstring."""

    def __repr__(self) -> str:
        where = self.base_url if self._server else "stopped"
        return f"<BotApiEmulator @{self.bot_username} {where}>"
