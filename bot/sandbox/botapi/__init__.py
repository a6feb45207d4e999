"""The local Bot API emulator in layers; bot.sandbox.emulator puts them together."""
