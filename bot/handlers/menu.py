"""The command menu each role sees (setMyCommands per private chat), and the /trogiup text.

Menus are set at registration and checked after every start (`refresh_menus`), so people
registered before an upgrade see the commands it added. Only a menu that changed is sent: what
was set is remembered per person (a signature of the commands and their texts), and the sends are
paced, because setMyCommands is not covered by the rate limiter (it has no chat_id) and a ward of
thousands would otherwise get thousands of calls a second.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.domain.channels import TELEGRAM, ChatId, has_command_menu
from bot.domain.roles import Role
from bot.handlers.runtime import Runtime
from bot.services.menus import menu_sent, menus_to_check
from bot.texts import t

log = logging.getLogger(__name__)
MENUS_PER_SECOND = 5  # leaves the rest of Telegram's ~30/s to replies and reminders

# (command, text key) in menu order; later features add theirs here, by role.
COMMANDS: dict[Role, list[tuple[str, str]]] = {
    Role.SECRETARY: [("ungvien", "cmd.ungvien"), ("capnhat", "cmd.capnhat"), ("ketnap", "cmd.ketnap"),
                     ("sinhhoat", "cmd.sinhhoat"), ("dangvien", "cmd.dangvien"), ("tiendo", "cmd.tiendo"),
                     ("baocao", "cmd.baocao"), ("nhacnho", "cmd.nhacnho"),
                     ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
    Role.COMMITTEE: [("tiendo", "cmd.tiendo"), ("tonghop", "cmd.tonghop"), ("baocao", "cmd.baocao"),
                     ("nhacnho", "cmd.nhacnho"),
                     ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
    Role.ADMIN: [("tonghop", "cmd.tonghop"), ("baocao", "cmd.baocao"), ("tiendo", "cmd.tiendo_admin"),
                 ("chitieu", "cmd.chitieu"), ("dangvien", "cmd.dangvien"), ("moi", "cmd.moi"),
                 ("nhacnho", "cmd.nhacnho"),
                 ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
    Role.PROVINCE: [("tonghop", "cmd.tonghop_province"), ("chitieu", "cmd.chitieu_province"),
                    ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
}


def commands_for(role: Role, lang: str) -> list[BotCommand]:
    return [BotCommand(cmd, t(key, lang)) for cmd, key in COMMANDS[role]]


def help_text(role: Role, lang: str) -> str:
    lines = [t("help.header", lang, role=t(f"role.{role.value}", lang))]
    lines += [f"/{cmd} — {t(key, lang)}" for cmd, key in COMMANDS[role]]
    lines.append(t("help.footer", lang))
    return "\n".join(lines)


def menu_signature(role: Role | None, lang: str) -> str:
    """The menu a role sees, in a few bytes: it changes when the commands or their texts do."""
    commands = [] if role is None else [(c.command, c.description) for c in commands_for(role, lang)]
    return hashlib.sha256(json.dumps([lang, commands], ensure_ascii=False).encode()).hexdigest()[:32]


async def set_menu(bot: Bot, chat_id: ChatId, role: Role | None, lang: str, channel: str = TELEGRAM) -> None:
    """Show this chat the commands its role may use (none for someone who lost access)."""
    if not has_command_menu(channel) or not isinstance(chat_id, int):
        return
    scope = BotCommandScopeChat(chat_id)
    if role is None:
        await bot.delete_my_commands(scope=scope)
    else:
        await bot.set_my_commands(commands_for(role, lang), scope=scope)


async def remember_menu(rt: Runtime, user_id: int, role: Role | None, channel: str = TELEGRAM) -> None:
    """Note the menu just set in the person's chat, so start-up does not send it again."""
    if has_command_menu(channel):
        await menu_sent(rt.db, user_id, menu_signature(role, rt.lang), rt.now())


async def refresh_menus(bot: Bot, rt: Runtime, channel: str = TELEGRAM) -> int:
    """Send the menu of each person on `channel` whose menu is not the one last set (none on a
    channel without menus: Zalo); returns how many were sent."""
    if not has_command_menu(channel):
        return 0
    lang = rt.lang
    sent, next_at = 0, 0.0
    for target in await menus_to_check(rt.db, channel):
        wanted = menu_signature(target.role, lang)
        if target.signature == wanted:
            continue
        delay = next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        next_at = time.monotonic() + 1.0 / MENUS_PER_SECOND
        try:
            await set_menu(bot, target.chat_id, target.role, lang, channel)
        except TelegramError as exc:  # blocked, chat gone: tried again at the next start
            log.info("menu of user %s not refreshed: %s", target.user_id, exc)
            continue
        await menu_sent(rt.db, target.user_id, wanted, rt.now())
        sent += 1
    return sent
