"""Pure rules of the domain: no Telegram, no SQLAlchemy, no clock. Every function takes `today`/`now`."""
