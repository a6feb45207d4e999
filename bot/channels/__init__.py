"""Channels other than Telegram, served by the same PTB `Application` and the same handlers.

Why a transport under PTB rather than a channel-neutral dialog layer: Zalo's Bot API is modelled
on Telegram's (same URL scheme, `{ok, result}` replies, getUpdates, webhooks with a secret
header), so the gap is small and sits at the wire. A `BaseRequest` that speaks Zalo
(`zalo_request`) and a translator of Zalo events into Telegram updates (`zalo_updates`) let every
`ConversationHandler`, job and error handler run unchanged; buttons become numbered choices
(`zalo_render`), remembered in the database so that typing "2" presses the second button even
after a restart. Nothing above this package knows which channel it talks to, except where a
capability differs (menus, file uploads), and there only through `bot.domain.channels`.
"""
