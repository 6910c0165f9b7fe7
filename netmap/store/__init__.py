"""Graph stores: SQLite (embedded default) and Neo4j, behind one interface."""

from __future__ import annotations

from .base import Store, default_store_uri, is_neo4j_uri

__all__ = ["Store", "open_store", "default_store_uri", "is_neo4j_uri"]


def open_store(uri: str | None = None, **kwargs: object) -> Store:
    """Open the store at ``uri``: a file path (SQLite) or a ``neo4j://``/``bolt://`` URI.

    Without ``uri``: ``$NETMAP_STORE``, else ``./netmap.db``.
    """
    uri = uri or default_store_uri()
    if is_neo4j_uri(uri):
        from .neo4j import Neo4jStore  # optional backend, imported when asked for

        return Neo4jStore(uri, **kwargs)  # type: ignore[arg-type]
    from .sqlite import SQLiteStore

    return SQLiteStore(uri, **kwargs)  # type: ignore[arg-type]
