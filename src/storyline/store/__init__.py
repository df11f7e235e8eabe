"""The store: SQLAlchemy Core tables, Alembic migrations, and the :class:`Store` over them."""

from storyline.store.store import SaveResult, Store, StoredEvent, default_url, normalize_url, open_store, reprocess

__all__ = ["SaveResult", "Store", "StoredEvent", "default_url", "normalize_url", "open_store", "reprocess"]
