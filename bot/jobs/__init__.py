"""Scheduled work: the daily sweep that decides reminders and the sender that delivers them."""
