"""Resolution across platforms: one person's accounts, and one text's copies.

* :mod:`netmap.resolve.identity` links accounts of one person
  (``(Account)-[:BELONGS_TO]->(Person)``) from explicit evidence, proposes
  look-alike candidates and records the analyst's decisions.
* :mod:`netmap.resolve.crosspost` finds near-duplicate posts across platforms
  (``(Post)-[:CROSSPOST_OF]->(Post)``) with MinHash/LSH.
* :mod:`netmap.resolve.translit` transliterates Cyrillic and compares names.

Modules are imported on use (``from netmap.resolve.identity import resolve``),
so importing the package costs nothing.
"""

__all__ = ["identity", "crosspost", "translit"]
