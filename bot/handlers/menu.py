"""The command menu each role sees (setMyCommands per private chat), and the /trogiup text."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat

from bot.domain.channels import TELEGRAM, ChatId, has_command_menu
from bot.domain.roles import Role
from bot.texts import t

# (command, text key) in menu order; later features add theirs here, by role.
COMMANDS: dict[Role, list[tuple[str, str]]] = {
    Role.SECRETARY: [("ungvien", "cmd.ungvien"), ("capnhat", "cmd.capnhat"), ("ketnap", "cmd.ketnap"),
                     ("sinhhoat", "cmd.sinhhoat"), ("tiendo", "cmd.tiendo"), ("nhacnho", "cmd.nhacnho"),
                     ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
    Role.COMMITTEE: [("tiendo", "cmd.tiendo"), ("tonghop", "cmd.tonghop"), ("nhacnho", "cmd.nhacnho"),
                     ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
    Role.ADMIN: [("tonghop", "cmd.tonghop"), ("moi", "cmd.moi"), ("nhacnho", "cmd.nhacnho"),
                 ("trogiup", "cmd.trogiup"), ("huy", "cmd.huy")],
}


def commands_for(role: Role, lang: str) -> list[BotCommand]:
    return [BotCommand(cmd, t(key, lang)) for cmd, key in COMMANDS[role]]


def help_text(role: Role, lang: str) -> str:
    lines = [t("help.header", lang, role=t(f"role.{role.value}", lang))]
    lines += [f"/{cmd} — {t(key, lang)}" for cmd, key in COMMANDS[role]]
    lines.append(t("help.footer", lang))
    return "\n".join(lines)


async def set_menu(bot: Bot, chat_id: ChatId, role: Role | None, lang: str, channel: str = TELEGRAM) -> None:
    """Show this chat the commands its role may use (none for someone who lost access)."""
    if not has_command_menu(channel) or not isinstance(chat_id, int):
        return
    scope = BotCommandScopeChat(chat_id)
    if role is None:
        await bot.delete_my_commands(scope=scope)
    else:
        await bot.set_my_commands(commands_for(role, lang), scope=scope)
