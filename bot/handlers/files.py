"""Sending files to a chat: the one place where Telegram and Zalo differ for them.

A handler asks for "deliver these files". On Telegram each file is uploaded (pictures as photos,
the rest as documents). Zalo has no upload and takes pictures only by URL: each file gets an
expiring link from the bot's own file server (`bot.fileshare`); pictures are sent by that link and
every link is listed in one message. Without a public address for that server nothing can be
linked, and `deliver_files` says so by returning False (the caller explains what to configure).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InputFile, Update

from bot.domain.channels import ZALO
from bot.handlers.common import reply
from bot.handlers.runtime import ChiboContext
from bot.texts import t
from bot.texts.formatting import format_date


@dataclass(frozen=True)
class OutgoingFile:
    name: str  # file name, e.g. "bao-cao-2023.xlsx"
    data: bytes
    mime: str
    caption: str
    title: str  # how the link list names it on Zalo
    photo: bool = False


async def deliver_files(update: Update, context: ChiboContext, files: list[OutgoingFile]) -> bool:
    """Send `files` to the chat of `update`; False when this channel cannot receive them now."""
    chat = update.effective_chat
    if chat is None:
        return False
    if context.channel != ZALO:
        for f in files:
            upload = InputFile(f.data, filename=f.name)
            if f.photo:
                await context.bot.send_photo(chat.id, upload, caption=f.caption)
            else:
                await context.bot.send_document(chat.id, upload, caption=f.caption)
        return True
    share = context.runtime.file_share
    if not share.public_url:
        return False
    rt = context.runtime
    lines, until = [], None
    for f in files:
        url, until = share.share(f.name, f.data, f.mime)
        if f.photo:
            await context.bot.send_photo(chat.id, url, caption=f.caption)
        lines.append(t("report.link_line", rt.lang, title=f.title, url=url))
    if until is not None:
        local = until.astimezone(rt.settings.tz)
        when = f"{local:%H:%M} {format_date(local.date(), rt.lang)}"
        await reply(update, context, "\n".join([t("report.links_header", rt.lang, until=when), *lines]))
    return True
