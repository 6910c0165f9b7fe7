"""The named query library (``netmap query``): questions analysts ask of a collected graph.

Each question is a parameterised Cypher file in ``cypher/queries/`` whose header names it,
describes it and declares its parameters::

    // name: who_shared_url
    // description: Every post that shares, quotes or links a page ...
    // @param url STRING canonical key of the page

On a Neo4j store :func:`run_query` runs that file in a read transaction. On a SQLite store it
answers the same question with SQL and Python, row for row the same, so the library works
without a server; the parity tests run both on the same graph and compare.

:func:`run_cypher` runs an analyst's own Cypher on a Neo4j store, read-only unless asked.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import StoreError, UsageError
from .keys import is_http_url, url_key

__all__ = [
    "QueryParam",
    "QueryInfo",
    "list_queries",
    "get_query",
    "run_query",
    "run_cypher",
]

_TYPES = ("STRING", "INTEGER", "FLOAT", "BOOLEAN", "LIST", "MAP", "ANY")
_PARAM_RE = re.compile(r"^//\s*@param\s+([A-Za-z_][A-Za-z0-9_]*)\s+([A-Z]+)\s*(.*)$")
_DEFAULT_RE = re.compile(r"\(default:\s*([^)]*)\)")
_HEADER_RE = re.compile(r"^//\s*(name|description):\s*(.*)$")


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str
    type: str
    description: str
    default: Any = None


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """One named query: its name, what it answers, its parameters, and its Cypher text."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    path: Path
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [
                {"name": p.name, "type": p.type, "description": p.description, "default": p.default}
                for p in self.params
            ],
        }


def _coerce(param: QueryParam, value: Any, query: str) -> Any:
    """Turn a value (often a command-line string) into the declared type."""
    if value is None:
        return None
    try:
        if param.type == "INTEGER":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if param.type == "FLOAT":
            return float(value)
        if param.type == "BOOLEAN":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "1"):
                return True
            if text in ("false", "no", "0"):
                return False
            raise ValueError
        if param.type == "STRING":
            return str(value)
    except (TypeError, ValueError):
        raise UsageError(
            f"query {query}: parameter {param.name} must be {param.type.lower()}, got {value!r}"
        ) from None
    return value


def _parse(path: Path) -> QueryInfo:
    text = path.read_text(encoding="utf-8")
    name = description = ""
    params: list[QueryParam] = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("//"):
            continue
        m = _HEADER_RE.match(line)
        if m:
            if m.group(1) == "name":
                name = m.group(2).strip()
            else:
                description = m.group(2).strip()
            continue
        m = _PARAM_RE.match(line)
        if m:
            pname, ptype, pdesc = m.group(1), m.group(2), m.group(3).strip()
            if ptype not in _TYPES:
                raise StoreError(f"{path}: parameter {pname} has unknown type {ptype}")
            draft = QueryParam(pname, ptype, pdesc)
            d = _DEFAULT_RE.search(pdesc)
            default = _coerce(draft, d.group(1).strip(), name or path.stem) if d else None
            params.append(QueryParam(pname, ptype, pdesc, default))
    if not name:
        raise StoreError(f"{path}: the header has no `// name:` line")
    if name != path.stem:
        raise StoreError(f"{path}: named {name!r}; the file must be called {name}.cypher")
    return QueryInfo(name, description, tuple(params), path, text)


@cache
def _library() -> dict[str, QueryInfo]:
    from .store.cypher_queries import cypher_dir

    folder = cypher_dir() / "queries"
    infos = [_parse(p) for p in sorted(folder.glob("*.cypher"))]
    return {q.name: q for q in infos}


def list_queries() -> list[QueryInfo]:
    """Every named query, by name."""
    return [_library()[n] for n in sorted(_library())]


def get_query(name: str) -> QueryInfo:
    lib = _library()
    if name not in lib:
        raise UsageError(f"no query named {name!r}; known: {', '.join(sorted(lib))}")
    return lib[name]


def _bind(info: QueryInfo, params: dict[str, Any]) -> dict[str, Any]:
    declared = {p.name: p for p in info.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise UsageError(
            f"query {info.name} has no parameter {', '.join(unknown)}; "
            f"it takes: {', '.join(declared) or 'none'}"
        )
    bound: dict[str, Any] = {}
    for p in info.params:
        value = params.get(p.name)
        bound[p.name] = p.default if value is None else _coerce(p, value, info.name)
    if info.name == "who_shared_url" and isinstance(bound.get("url"), str):
        # Accept a full URL as well as a key: keys are how posts and pages are joined.
        if is_http_url(bound["url"]):
            bound["url"] = url_key(bound["url"])
    return bound


def _frame(rows: list[tuple[Any, ...]], columns: Sequence[str]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=True)


def run_query(store: Any, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query on any store and return its rows.

    Parameters not given take their declared default (else null). A full URL given to
    ``who_shared_url`` is turned into its canonical key.

    Examples
    --------
    >>> run_query(store, "top_influencers_per_group", {"group": "critic", "limit": 5})  # doctest: +SKIP
    """
    info = get_query(name)
    bound = _bind(info, dict(params or {}))
    from .store.neo4j import Neo4jStore
    from .store.sqlite import SQLiteStore

    if isinstance(store, Neo4jStore):
        from .store.cypher_queries import split_statements

        statement = split_statements(info.text)[0]

        def work(tx: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
            result = tx.run(statement, bound)
            rows = [tuple(r.values()) for r in result]
            return list(result.keys()), rows

        columns, rows = store._read(work)
        return _frame(rows, columns)
    if isinstance(store, SQLiteStore):
        columns, rows = _SQLITE[name](store.conn, **bound)
        return _frame(rows, columns)
    raise UsageError(f"named queries need a SQLite or Neo4j store, not {type(store).__name__}")


# -- your own Cypher ---------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Graph values as plain Python: nodes and relationships as dicts, paths as lists."""
    from neo4j.graph import Node, Relationship
    from neo4j.graph import Path as GraphPath

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value.items())}
    if isinstance(value, Relationship):
        start = value.start_node.get("key") if value.start_node is not None else None
        end = value.end_node.get("key") if value.end_node is not None else None
        return {"_type": value.type, "_src": start, "_dst": end, **dict(value.items())}
    if isinstance(value, GraphPath):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    iso = getattr(value, "iso_format", None)
    if callable(iso):
        return iso()
    return value


def run_cypher(
    store: Any, text: str, params: dict[str, Any] | None = None, write: bool = False
) -> pd.DataFrame:
    """Run one Cypher statement on a Neo4j store and return its rows.

    Runs in a read transaction unless ``write=True``; a statement that writes in read mode
    raises :class:`~netmap.errors.UsageError` and changes nothing.
    """
    from .store.neo4j import Neo4jStore

    if not isinstance(store, Neo4jStore):
        raise UsageError(
            "Cypher needs a Neo4j store: pass --store neo4j://… or bolt://…, "
            "or push this store to Neo4j first (netmap push)"
        )
    import neo4j

    args = dict(params or {})

    def work(tx: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
        result = tx.run(text, args)
        rows = [tuple(_plain(v) for v in r.values()) for r in result]
        return list(result.keys()), rows

    try:
        with store.driver.session(database=store.database) as session:
            if write:
                columns, rows = session.execute_write(work)
            else:
                columns, rows = session.execute_read(work)
    except neo4j.exceptions.Neo4jError as exc:
        code = exc.code or ""
        if not write and "AccessMode" in code:
            raise UsageError(
                "this query writes to the database, and Cypher runs read-only unless you ask "
                "for writes (run_cypher(..., write=True), or --write on the command line); nothing "
                "was changed"
            ) from exc
        if code.startswith("Neo.ClientError"):
            raise UsageError(f"Cypher error: {exc.message or exc}") from exc
        raise store._error(exc) from exc
    except neo4j.exceptions.DriverError as exc:
        raise store._error(exc) from exc
    return _frame(rows, columns)


# -- the same questions on SQLite ----------------------------------------------------------------
Rows = tuple[list[str], list[tuple[Any, ...]]]

_AUTH = (
    "SELECT src AS acct, dst AS post FROM edges "
    "WHERE type = 'AUTHORED' AND src_label = 'Account' AND dst_label = 'Post'"
)


def _props(conn: Any, label: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    keys = list(dict.fromkeys(keys))
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for key, props in conn.execute(
            f"SELECT key, props FROM nodes WHERE label = ? AND key IN ({marks})", [label, *chunk]
        ):
            out[key] = json.loads(props)
    return out


def _authors(conn: Any, posts: Iterable[str]) -> dict[str, list[str]]:
    posts = list(dict.fromkeys(posts))
    out: dict[str, list[str]] = defaultdict(list)
    for i in range(0, len(posts), 500):
        chunk = posts[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for acct, post in conn.execute(f"{_AUTH} AND dst IN ({marks})", chunk):
            out[post].append(acct)
    return out


def _min(values: Iterable[Any]) -> Any:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _order(rows: list[tuple[Any, ...]], spec: Sequence[tuple[int, bool]]) -> list[tuple[Any, ...]]:
    """Sort like Cypher's ORDER BY: ascending puts nulls last, descending puts them first."""
    rows = list(rows)
    for index, desc in reversed(spec):
        rows.sort(key=lambda r, i=index: (r[i] is None, r[i]), reverse=desc)
    return rows


def _coalesce_neg(value: Any) -> Any:
    return -1.0 if value is None else value


def _sql_top_influencers_per_group(conn: Any, group: Any, limit: Any) -> Rows:
    cols = ["group", "rank", "key", "name", "platform", "pagerank", "reach"]
    query = f"""
        WITH auth AS ({_AUTH}),
        reach AS (
            SELECT a1.acct AS acct, count(DISTINCT a2.acct) AS reach
            FROM auth a1
            JOIN edges e ON e.dst_label = 'Post' AND e.dst = a1.post AND e.src_label = 'Post'
                        AND e.type IN ('SHARES', 'QUOTES', 'REPLIES_TO', 'LINKS_TO')
            JOIN auth a2 ON a2.post = e.src
            WHERE a2.acct <> a1.acct
            GROUP BY a1.acct)
        SELECT n.key, n.props, coalesce(r.reach, 0)
        FROM nodes n LEFT JOIN reach r ON r.acct = n.key
        WHERE n.label = 'Account' AND json_extract(n.props, '$.group') IS NOT NULL
    """
    ranked: list[tuple[Any, ...]] = []
    for key, props, reach in conn.execute(query):
        p = json.loads(props)
        if group is not None and p.get("group") != group:
            continue
        ranked.append((p.get("group"), _coalesce_neg(p.get("pagerank")), reach, key, p))
    ranked = _order(ranked, [(0, False), (1, True), (2, True), (3, False)])
    per_group: dict[Any, int] = defaultdict(int)
    rows = []
    for grp, _, reach, key, p in ranked:
        if limit is not None and per_group[grp] >= limit:
            continue
        per_group[grp] += 1
        rows.append((grp, per_group[grp], key, p.get("name"), p.get("platform"),
                     p.get("pagerank"), reach))
    return cols, _order(rows, [(0, False), (1, False)])


def _sql_bridges_between_groups(conn: Any, group_a: Any, group_b: Any, limit: Any) -> Rows:
    cols = ["key", "name", "platform", "group", "ties_a", "ties_b"]
    query = f"""
        WITH auth AS ({_AUTH}),
        t1 AS (
            SELECT a1.acct AS x, a2.acct AS y
            FROM edges e JOIN auth a1 ON a1.post = e.src JOIN auth a2 ON a2.post = e.dst
            WHERE e.src_label = 'Post' AND e.dst_label = 'Post'
              AND e.type IN ('SHARES', 'QUOTES', 'REPLIES_TO', 'LINKS_TO')),
        t2 AS (
            SELECT a1.acct AS x, e.dst AS y
            FROM edges e JOIN auth a1 ON a1.post = e.src
            WHERE e.type = 'MENTIONS' AND e.src_label = 'Post' AND e.dst_label = 'Account'),
        ties AS (SELECT x, y FROM t1 UNION SELECT y, x FROM t1
                 UNION SELECT x, y FROM t2 UNION SELECT y, x FROM t2)
        SELECT ties.x, ties.y, n.props
        FROM ties JOIN nodes n ON n.label = 'Account' AND n.key = ties.y
        WHERE ties.x <> ties.y
    """
    wanted = [g for g in (group_a, group_b) if g is not None]
    tie_a: dict[str, set[str]] = defaultdict(set)
    tie_b: dict[str, set[str]] = defaultdict(set)
    for b, o, props in conn.execute(query):
        og = json.loads(props).get("group")
        if og is None or og not in wanted:
            continue
        if og == group_a:
            tie_a[b].add(o)
        if og == group_b:
            tie_b[b].add(o)
    keys = [k for k in tie_a if tie_b.get(k)]
    info = _props(conn, "Account", keys)
    rows = []
    for k in keys:
        p = info.get(k, {})
        a, b = len(tie_a[k]), len(tie_b[k])
        rows.append((min(a, b), a + b, k, p.get("name"), p.get("platform"), p.get("group"), a, b))
    rows = _order(rows, [(0, True), (1, True), (2, False)])
    if limit is not None:
        rows = rows[:limit]
    return cols, [r[2:] for r in rows]


def _sql_who_shared_url(conn: Any, url: Any) -> Rows:
    cols = ["account", "post", "platform", "created_at", "via"]
    if url is None:
        return cols, []
    pairs = sorted(set(conn.execute(
        "SELECT src, type FROM edges WHERE dst = ? AND dst_label IN ('Post', 'Url') "
        "AND src_label = 'Post' AND type IN ('SHARES', 'QUOTES', 'LINKS_TO')", (url,),
    ).fetchall()))
    posts = [p for p, _ in pairs]
    info = _props(conn, "Post", posts)
    authors = _authors(conn, posts)
    rows = []
    for post, via in pairs:
        p = info.get(post, {})
        rows.append((_min(authors.get(post, [])), post, p.get("platform"), p.get("created_at"), via))
    return cols, _order(rows, [(3, False), (1, False), (4, False)])


def _walk_back(conn: Any, root: str, types: Sequence[str], max_depth: int) -> dict[tuple[str, str], list[int]]:
    """(label, key) -> depths at which each node reaches ``root`` over ``types``, walking
    relationships backwards from the root."""
    marks = ", ".join(f"'{t}'" for t in types)  # fixed type names from this module
    query = f"""
        WITH RECURSIVE reach(label, key, depth) AS (
            SELECT 'Post', ?, 0
            UNION
            SELECT e.src_label, e.src, r.depth + 1
            FROM reach r JOIN edges e ON e.dst_label = r.label AND e.dst = r.key
            WHERE e.type IN ({marks}) AND r.depth < ?)
        SELECT label, key, depth FROM reach
    """
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for label, key, depth in conn.execute(query, (root, max_depth)):
        out[(label, key)].append(depth)
    return out


def _exists(conn: Any, label: str, key: Any) -> bool:
    if key is None:
        return False
    row = conn.execute("SELECT 1 FROM nodes WHERE label = ? AND key = ?", (label, key)).fetchone()
    return row is not None


def _sql_post_cascade(conn: Any, post: Any) -> Rows:
    cols = ["key", "depth", "platform", "kind", "created_at", "account"]
    if not _exists(conn, "Post", post):
        return cols, []
    reached = _walk_back(conn, post, ("SHARES", "QUOTES", "LINKS_TO", "CROSSPOST_OF"), 6)
    depth = {k: min(d) for (lab, k), d in reached.items() if lab == "Post"}
    info = _props(conn, "Post", depth)
    authors = _authors(conn, depth)
    rows = []
    for key, d in depth.items():
        p = info.get(key, {})
        rows.append((key, d, p.get("platform"), p.get("kind"), p.get("created_at"),
                     _min(authors.get(key, []))))
    return cols, _order(rows, [(1, False), (4, False), (0, False)])


def _sql_comment_thread(conn: Any, post: Any) -> Rows:
    cols = ["key", "depth", "parent", "account", "created_at", "text"]
    if not _exists(conn, "Post", post):
        return cols, []
    reached = _walk_back(conn, post, ("REPLIES_TO",), 50)
    depth: dict[str, int] = {}
    for (lab, key), ds in reached.items():
        ds = [d for d in ds if d >= 1]
        if lab == "Post" and ds:
            depth[key] = min(ds)
    info = _props(conn, "Post", depth)
    authors = _authors(conn, depth)
    parents: dict[str, list[str]] = defaultdict(list)
    keys = list(depth)
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for src, dst in conn.execute(
            "SELECT src, dst FROM edges WHERE type = 'REPLIES_TO' AND src_label = 'Post' "
            f"AND dst_label = 'Post' AND src IN ({marks})", chunk,
        ):
            parents[src].append(dst)
    rows = []
    for key, d in depth.items():
        p = info.get(key, {})
        rows.append((key, d, _min(parents.get(key, [])), _min(authors.get(key, [])),
                     p.get("created_at"), p.get("text")))
    return cols, _order(rows, [(4, False), (0, False)])


def _sql_accounts_of_person(conn: Any, person: Any) -> Rows:
    cols = ["key", "platform", "handle", "name", "url", "method", "confidence"]
    links = conn.execute(
        "SELECT src, props FROM edges WHERE type = 'BELONGS_TO' AND src_label = 'Account' "
        "AND dst_label = 'Person' AND dst = ?", (person,),
    ).fetchall()
    info = _props(conn, "Account", [k for k, _ in links])
    rows = []
    for key, eprops in links:
        if key not in info:
            continue
        p, e = info[key], json.loads(eprops)
        rows.append((key, p.get("platform"), p.get("handle"), p.get("name"), p.get("url"),
                     e.get("method"), e.get("confidence")))
    return cols, _order(rows, [(0, False)])


_MAX_PATHS = 25
_MAX_ENUMERATED = 200_000


def _sql_shortest_path(conn: Any, **params: Any) -> Rows:
    cols = ["path", "step", "label", "key", "rel", "direction"]
    src, dst = params.get("from"), params.get("to")
    if src == dst or not _exists(conn, "Account", src) or not _exists(conn, "Account", dst):
        return cols, []
    start, goal = ("Account", src), ("Account", dst)
    # Breadth-first over relationships in both directions; every predecessor on a shortest
    # route is kept, so all shortest paths can be listed.
    dist = {start: 0}
    preds: dict[tuple[str, str], list[tuple[tuple[str, str], str, str]]] = defaultdict(list)
    frontier = [start]
    found = False
    for depth in range(1, 11):
        nxt: list[tuple[str, str]] = []
        for node in frontier:
            steps = [((dl, d), t, "->") for t, dl, d in conn.execute(
                "SELECT type, dst_label, dst FROM edges WHERE src_label = ? AND src = ?", node)]
            steps += [((sl, s), t, "<-") for t, sl, s in conn.execute(
                "SELECT type, src_label, src FROM edges WHERE dst_label = ? AND dst = ?", node)]
            for other, type_, direction in steps:
                if other == node:
                    continue  # a self-loop is never on a shortest path
                seen = dist.get(other)
                if seen is None:
                    dist[other] = depth
                    nxt.append(other)
                    seen = depth
                if seen == depth:
                    preds[other].append((node, type_, direction))
        if goal in dist:
            found = True
            break
        frontier = nxt
        if not frontier:
            break
    if not found:
        return cols, []
    paths: list[tuple[list[str], list[str], list[str], list[str]]] = []

    def back(node: tuple[str, str], suffix: list[tuple[tuple[str, str], str, str]]) -> None:
        if len(paths) > _MAX_ENUMERATED:
            raise UsageError(
                f"more than {_MAX_ENUMERATED} shortest paths between {src} and {dst}; "
                "ask about less connected accounts"
            )
        if node == start:
            nodes = [start] + [n for n, _, _ in suffix]
            paths.append((
                [k for _, k in nodes], [lab for lab, _ in nodes],
                [t for _, t, _ in suffix], [d for _, _, d in suffix],
            ))
            return
        for prev, type_, direction in preds[node]:
            back(prev, [(node, type_, direction), *suffix])

    back(goal, [])
    paths.sort()
    rows = []
    for number, (keys, labs, types, dirs) in enumerate(paths[:_MAX_PATHS], start=1):
        for step in range(len(keys)):
            rows.append((number, step, labs[step], keys[step],
                         types[step - 1] if step else None, dirs[step - 1] if step else None))
    return cols, rows


def _sql_community_members(conn: Any, community: Any) -> Rows:
    cols = ["key", "name", "platform", "group", "pagerank"]
    if community is None:
        return cols, []
    rows = []
    for key, props in conn.execute(
        "SELECT key, props FROM nodes WHERE label = 'Account' "
        "AND json_extract(props, '$.community') = ?", (community,),
    ):
        p = json.loads(props)
        value = p.get("community")
        if isinstance(value, bool) or value != community:
            continue  # SQLite reads JSON true as 1; Cypher does not equate them
        rows.append((_coalesce_neg(p.get("pagerank")), key, p.get("name"), p.get("platform"),
                     p.get("group"), p.get("pagerank")))
    rows = _order(rows, [(0, True), (1, False)])
    return cols, [r[1:] for r in rows]


def _sql_activity_per_day(conn: Any, since: Any, until: Any) -> Rows:
    cols = ["day", "platform", "group", "posts", "accounts"]
    posts: dict[str, tuple[str, Any]] = {}
    for key, props in conn.execute(
        "SELECT key, props FROM nodes WHERE label = 'Post' "
        "AND json_type(props, '$.created_at') = 'text'"
    ):
        p = json.loads(props)
        day = p["created_at"][:10]
        if (since is None or day >= since) and (until is None or day <= until):
            posts[key] = (day, p.get("platform"))
    authors = _authors(conn, posts)
    groups = {k: p.get("group") for k, p in _props(
        conn, "Account", [a for accts in authors.values() for a in accts]).items()}
    post_sets: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    acct_sets: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for key, (day, platform) in posts.items():
        accts = authors.get(key) or [None]
        for a in accts:
            cell = (day, platform, groups.get(a) if a is not None else None)
            post_sets[cell].add(key)
            if a is not None:
                acct_sets[cell].add(a)
    rows = [(*cell, len(keys), len(acct_sets.get(cell, ()))) for cell, keys in post_sets.items()]
    return cols, _order(rows, [(0, False), (1, False), (2, False)])


_SQLITE: dict[str, Callable[..., Rows]] = {
    "top_influencers_per_group": _sql_top_influencers_per_group,
    "bridges_between_groups": _sql_bridges_between_groups,
    "who_shared_url": _sql_who_shared_url,
    "post_cascade": _sql_post_cascade,
    "comment_thread": _sql_comment_thread,
    "accounts_of_person": _sql_accounts_of_person,
    "shortest_path": _sql_shortest_path,
    "community_members": _sql_community_members,
    "activity_per_day": _sql_activity_per_day,
}
