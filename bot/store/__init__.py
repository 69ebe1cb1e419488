"""SQLite storage: schema, migrations and queries (one module owns them)."""

from bot.store.db import Store

__all__ = ["Store"]
