"""netmap: map netizens and cross-posting into a graph.

Library entry points::

    import netmap
    store = netmap.open_store("netmap.db")
    accounts = store.nodes("Account")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import NetmapError
from .store import open_store

__all__ = ["__version__", "NetmapError", "open_store"]
