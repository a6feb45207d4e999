"""Persistence: ORM models, engine and sessions, query functions, migrations. Imports only `domain`."""
