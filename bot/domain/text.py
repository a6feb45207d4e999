"""How typed and imported text is tidied before it is stored, the same way for every channel."""

from __future__ import annotations

import unicodedata

# Characters that print as nothing: Hangul fillers (used to send "blank" messages); zero-width
# and other format characters are recognised by their Unicode category (Cf).
_FILLERS = {"\u3164", "\u115f", "\u1160", "\uffa0"}


def tidy(text: str) -> str:
    """NFC (one code point per accented letter), invisible characters removed, single spaces.

    Control characters (Cc) are kept: the CSV import reports them as bad input rather than
    silently dropping them.
    """
    nfc = unicodedata.normalize("NFC", text)
    shown = "".join(" " if ch in _FILLERS or unicodedata.category(ch) == "Cf" else ch for ch in nfc)
    return " ".join(shown.split())
