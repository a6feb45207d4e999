"""Local stand-ins for Telegram (a Bot API emulator) for end-to-end tests and offline demos."""
