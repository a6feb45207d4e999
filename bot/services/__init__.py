"""Use-cases shared by every channel (Telegram today, Zalo tomorrow).

Each one checks permissions from the acting user, runs in one transaction, writes its audit row,
and returns plain dataclasses. Nothing here knows about Telegram.
"""
