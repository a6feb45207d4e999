"""Telegram glue: parse the update, call one service, reply with one text. No SQL, no rule branching."""
