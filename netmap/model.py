"""The graph model: node labels, relationship types, and the records collectors yield.

Collectors never touch a store. They yield :class:`Batch` objects holding
:class:`Node` and :class:`Edge` records plus :class:`Reject` records for input
they could not use; the store upserts a batch in one transaction and stamps
provenance (``source``, ``run``, ``first_seen``, ``last_seen``) on every record.

Labels and relationship types come only from the fixed lists below: stores use
them to build statements, so nothing from the data ever becomes a label.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NODE_LABELS",
    "REL_TYPES",
    "REL_ENDPOINTS",
    "PLATFORMS",
    "POST_KINDS",
    "Node",
    "Edge",
    "Reject",
    "Batch",
    "clean_props",
    "utc_iso",
    "now_iso",
]

NODE_LABELS: tuple[str, ...] = ("Account", "Person", "Post", "Site", "Url", "Hashtag")

REL_TYPES: tuple[str, ...] = (
    "AUTHORED",
    "PUBLISHED_ON",
    "REPLIES_TO",
    "SHARES",
    "QUOTES",
    "LINKS_TO",
    "MENTIONS",
    "TAGGED",
    "FOLLOWS",
    "BELONGS_TO",
    "CROSSPOST_OF",
)

# Which labels each relationship type may connect (source labels, target labels).
REL_ENDPOINTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AUTHORED": (("Account",), ("Post",)),
    "PUBLISHED_ON": (("Post", "Account"), ("Site",)),
    "REPLIES_TO": (("Post",), ("Post",)),
    "SHARES": (("Post",), ("Post", "Url")),
    "QUOTES": (("Post",), ("Post",)),
    "LINKS_TO": (("Post", "Account"), ("Post", "Url", "Site")),
    "MENTIONS": (("Post",), ("Account",)),
    "TAGGED": (("Post",), ("Hashtag",)),
    "FOLLOWS": (("Account",), ("Account",)),
    "BELONGS_TO": (("Account",), ("Person",)),
    "CROSSPOST_OF": (("Post",), ("Post",)),
}

PLATFORMS: tuple[str, ...] = (
    "blog",
    "twitter",
    "telegram",
    "vk",
    "mastodon",
    "bluesky",
    "facebook",
    "ok",
    "web",
)

POST_KINDS: tuple[str, ...] = ("post", "comment", "reply", "share", "quote")


def utc_iso(value: Any) -> str | None:
    """Return an ISO-8601 UTC string (``2013-11-06T08:00:00Z``) or None.

    Accepts datetimes (naive ones are taken as UTC), ``time.struct_time`` (what
    feedparser returns), epoch seconds, and ISO strings.
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            return None
        try:
            dt = _dt.datetime.fromtimestamp(float(value), tz=_dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif hasattr(value, "tm_year"):
        try:
            dt = _dt.datetime(*value[:6], tzinfo=_dt.UTC)
        except (TypeError, ValueError):
            return None
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = _dt.datetime.fromisoformat(text)
        except ValueError:
            dt = _parse_other_date(value.strip())
            if dt is None:
                return None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=_dt.UTC)
    else:
        return None
    return dt.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_other_date(text: str) -> _dt.datetime | None:
    """RFC 822 dates (RSS, email) and the Twitter v1.1 form ``Wed Nov 06 08:00:00 +0000 2013``."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d.%m.%Y %H:%M",
                "%d.%m.%Y"):
        try:
            return _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _legal(value: Any) -> Any:
    """Coerce one property value to what both SQLite JSON and Neo4j accept."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        # Neo4j and SQLite hold 64-bit integers; bigger ones (some platform ids) become floats.
        return value if -(2**63) <= value < 2**63 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return utc_iso(value) if isinstance(value, _dt.datetime) else value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_legal(v) for v in value]
        items = [v for v in items if v is not None and not isinstance(v, list)]
        # Neo4j lists must be homogeneous: fall back to strings when mixed.
        kinds = {type(v) for v in items}
        if kinds == {int, float}:
            items = [float(v) for v in items]
        elif len(kinds) > 1:
            items = [str(v) for v in items]
        return items
    return str(value)


_PLAIN = frozenset((str, bool))


def clean_props(props: dict[str, Any]) -> dict[str, Any]:
    """Drop None values and coerce the rest to Neo4j-legal primitives/lists."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if type(v) not in _PLAIN:  # the common case skips the coercion call
            v = _legal(v)
            if v is None:
                continue
        out[k if type(k) is str else str(k)] = v
    return out


@dataclass(slots=True)
class Node:
    label: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.label not in NODE_LABELS:
            raise ValueError(f"unknown node label {self.label!r}")
        if not self.key:
            raise ValueError(f"empty key for {self.label} node")


@dataclass(slots=True)
class Edge:
    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ends = REL_ENDPOINTS.get(self.type)
        if ends is None:
            raise ValueError(f"unknown relationship type {self.type!r}")
        if self.src_label not in ends[0] or self.dst_label not in ends[1]:
            raise ValueError(
                f"{self.type} cannot connect {self.src_label} -> {self.dst_label}"
            )
        if not self.src or not self.dst:
            raise ValueError(f"{self.type} edge with an empty endpoint key")


@dataclass(slots=True)
class Reject:
    """One input record that was not stored, and why."""

    source: str
    location: str  # "line 12", "item 3", "record 7" ...
    reason: str
    excerpt: str = ""

    def as_row(self) -> dict[str, str]:
        return {
            "source": self.source,
            "location": self.location,
            "reason": self.reason,
            "excerpt": self.excerpt[:500],
        }

    def __str__(self) -> str:
        return f"{self.source}:{self.location}: {self.reason}"


@dataclass(slots=True)
class Batch:
    """What a collector yields: records from a span of one input.

    ``read`` counts input records (lines, items, messages) looked at;
    ``stored`` those that produced graph records; ``len(rejects)`` the rest, so
    ``read == stored + len(rejects)`` always holds.
    """

    source: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    read: int = 0
    stored: int = 0

    def node(self, label: str, key: str, **props: Any) -> None:
        self.nodes.append(Node(label, key, props))

    def edge(
        self, type_: str, src_label: str, src: str, dst_label: str, dst: str, **props: Any
    ) -> None:
        self.edges.append(Edge(type_, src_label, src, dst_label, dst, props))

    def reject(self, location: str, reason: str, excerpt: str = "") -> None:
        self.read += 1
        self.rejects.append(Reject(self.source, location, reason, excerpt))

    def ok(self) -> None:
        self.read += 1
        self.stored += 1

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)
