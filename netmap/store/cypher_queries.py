"""Every Cypher statement the Neo4j store sends, in one registry.

Values always travel as parameters. Labels and relationship types cannot be
parameters in Cypher 5, so the templates below take them by name, and every
builder refuses anything outside :data:`netmap.model.NODE_LABELS` /
:data:`netmap.model.REL_TYPES`: nothing that came from data ever becomes
part of a statement.

``python -m netmap.store.cypher_queries`` prints every concrete statement (each
template expanded for every legal label / type) as JSON, for
``tools/cypher-lint/lint --queries``::

    [{"name": "node_upsert:Account", "query": "UNWIND $rows AS r ...", "params": ["rows", ...]}, ...]
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from ..model import NODE_LABELS, REL_ENDPOINTS, REL_TYPES

__all__ = [
    "Query",
    "BOOKKEEPING_LABELS",
    "RESERVED_PROPS",
    "PROVENANCE",
    "all_queries",
    "cypher_dir",
    "schema_statements",
    "split_statements",
    "fixed",
    "node_query",
    "rel_query",
    "edge_query",
    "reconcile_move_query",
    "EDGE_SHAPES",
    "RECONCILE_MOVES",
]

# Labels of the store's own bookkeeping nodes: never part of the graph, never counted.
BOOKKEEPING_LABELS: tuple[str, ...] = ("NetmapRun", "NetmapMeta")

# Provenance lives on the node/relationship next to the data properties.
PROVENANCE: tuple[str, ...] = ("source", "run", "first_seen", "last_seen")
# Property names a data record may not set in Neo4j (they would overwrite the key or provenance).
RESERVED_PROPS: frozenset[str] = frozenset(("key", *PROVENANCE))


@dataclass(frozen=True, slots=True)
class Query:
    """One concrete statement: registry name, Cypher text, the parameters it uses."""

    name: str
    text: str
    params: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "query": self.text, "params": list(self.params)}


# -- fixed statements -----------------------------------------------------------------------
_FIXED: dict[str, tuple[str, tuple[str, ...]]] = {
    "meta_init": (
        "MERGE (s:NetmapMeta {name: 'schema_version'}) ON CREATE SET s.value = $schema_version\n"
        "MERGE (g:NetmapMeta {name: 'graph_version'}) ON CREATE SET g.value = '0'\n"
        "RETURN s.value AS schema_version",
        ("schema_version",),
    ),
    "meta_get": (
        "MATCH (m:NetmapMeta {name: $name}) RETURN m.value AS value",
        ("name",),
    ),
    "meta_delete": (
        "MATCH (m:NetmapMeta {name: $name}) DELETE m",
        ("name",),
    ),
    "meta_set": (
        "MERGE (m:NetmapMeta {name: $name}) SET m.value = $value",
        ("name", "value"),
    ),
    # Names with a prefix (the per-chunk markers of a push), and their removal.
    "meta_names": (
        "MATCH (m:NetmapMeta)\n"
        "WHERE m.name STARTS WITH $prefix\n"
        "RETURN m.name AS name",
        ("prefix",),
    ),
    "meta_delete_prefix": (
        "MATCH (m:NetmapMeta)\n"
        "WHERE m.name STARTS WITH $prefix\n"
        "DELETE m\n"
        "RETURN count(*) AS n",
        ("prefix",),
    ),
    # Taken first in every graph-changing transaction: the lock on this one node also
    # serialises concurrent writers, which keeps MERGEs on shared nodes free of deadlocks.
    "graph_version_bump": (
        "MERGE (m:NetmapMeta {name: 'graph_version'})\n"
        "SET m.value = toString(coalesce(toInteger(m.value), 0) + 1)",
        (),
    ),
    "run_begin": (
        "CREATE (r:NetmapRun {run: $run, command: $command, inputs: $inputs, params: $params,\n"
        "  started: $started, status: 'running', read: 0, stored: 0, rejected: 0})",
        ("run", "command", "inputs", "params", "started"),
    ),
    "run_end": (
        "MATCH (r:NetmapRun {run: $run})\n"
        "SET r.finished = $finished, r.status = $status, r.read = $read, r.stored = $stored,\n"
        "    r.rejected = $rejected, r.error = $error",
        ("run", "finished", "status", "read", "stored", "rejected", "error"),
    ),
    "run_copy": (
        "UNWIND $rows AS r\n"
        "MERGE (x:NetmapRun {run: r.run})\n"
        "ON CREATE SET x += r",
        ("rows",),
    ),
    "runs_list": (
        "MATCH (r:NetmapRun)\n"
        "RETURN r.run AS run, r.command AS command, r.inputs AS inputs, r.params AS params,\n"
        "       r.started AS started, r.finished AS finished, r.status AS status,\n"
        "       r.read AS read, r.stored AS stored, r.rejected AS rejected, r.error AS error\n"
        "ORDER BY started, run",
        (),
    ),
    # Url nodes whose key is also a Post key: reconcile folds them into the Post.
    "reconcile_find": (
        "MATCH (u:Url)\n"
        "MATCH (:Post {key: u.key})\n"
        "RETURN u.key AS key",
        (),
    ),
    # The Url's properties fill gaps in the Post; the Post's own values and provenance win.
    "reconcile_fold": (
        "UNWIND $keys AS k\n"
        "MATCH (u:Url {key: k})\n"
        "MATCH (p:Post {key: k})\n"
        "WITH u, p, properties(p) AS own\n"
        "SET p += u {.*, source: null, run: null, first_seen: null, last_seen: null}, p += own\n"
        "DETACH DELETE u\n"
        "RETURN count(*) AS n",
        ("keys",),
    ),
    # -- Graph Data Science (netmap analyze --engine gds) ---------------------------------------
    "gds_version": (
        "RETURN gds.version() AS version",
        (),
    ),
    # The actor graph of netmap.analysis.project, server-side: the author of a post tied to the
    # author of the post it replies to / shares / quotes / links to, or to the account it
    # mentions; an account's own links to posts. Weights per interaction type come in $w.
    # (Site links, whose targets are a site's owners, are not projected here.)
    "gds_project_actors": (
        "CALL () {\n"
        "  MATCH (a:Account)-[:AUTHORED]->(p:Post)-[r:REPLIES_TO|SHARES|QUOTES|LINKS_TO]->(q:Post)\n"
        "        <-[:AUTHORED]-(b:Account)\n"
        "  RETURN a, b, CASE type(r)\n"
        "    WHEN 'SHARES' THEN $w.share WHEN 'QUOTES' THEN $w.quote WHEN 'LINKS_TO' THEN $w.link\n"
        "    ELSE CASE WHEN p.kind = 'comment' THEN $w.comment ELSE $w.reply END END AS w\n"
        "  UNION ALL\n"
        "  MATCH (a:Account)-[:AUTHORED]->(:Post)-[:MENTIONS]->(b:Account)\n"
        "  RETURN a, b, $w.mention AS w\n"
        "  UNION ALL\n"
        "  MATCH (a:Account)-[:LINKS_TO]->(:Post)<-[:AUTHORED]-(b:Account)\n"
        "  RETURN a, b, $w.link AS w\n"
        "}\n"
        "WITH a, b, sum(w) AS weight\n"
        "WHERE a <> b AND weight > 0\n"
        "WITH gds.graph.project($graph, a, b, {relationshipProperties: {weight: weight}},\n"
        "                       $config) AS g\n"
        "RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS ties",
        ("w", "graph", "config"),
    ),
    "gds_drop": (
        "CALL gds.graph.drop($graph, false) YIELD graphName\n"
        "RETURN graphName",
        ("graph",),
    ),
    "gds_leiden": (
        "CALL gds.leiden.write($graph, {writeProperty: 'community',\n"
        "  relationshipWeightProperty: 'weight', gamma: $gamma, randomSeed: $seed,\n"
        "  concurrency: 1})\n"
        "YIELD communityCount, modularity, ranLevels\n"
        "RETURN communityCount, modularity, ranLevels",
        ("graph", "gamma", "seed"),
    ),
    "gds_pagerank": (
        "CALL gds.pageRank.write($graph, {writeProperty: 'pagerank',\n"
        "  relationshipWeightProperty: 'weight', dampingFactor: 0.85})\n"
        "YIELD nodePropertiesWritten, ranIterations\n"
        "RETURN nodePropertiesWritten, ranIterations",
        ("graph",),
    ),
    # Weighted in-degree: what `top influencers` ranks by.
    "gds_indegree": (
        "CALL gds.degree.write($graph, {writeProperty: 'indegree', orientation: 'REVERSE',\n"
        "  relationshipWeightProperty: 'weight'})\n"
        "YIELD nodePropertiesWritten\n"
        "RETURN nodePropertiesWritten",
        ("graph",),
    ),
    "gds_betweenness": (
        "CALL gds.betweenness.write($graph, {writeProperty: 'betweenness',\n"
        "  samplingSize: $sample, samplingSeed: $seed})\n"
        "YIELD nodePropertiesWritten, centralityDistribution\n"
        "RETURN nodePropertiesWritten, centralityDistribution.max AS max",
        ("graph", "sample", "seed"),
    ),
    "clean_database": (
        "MATCH (n)\n"
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
        (),
    ),
}


def fixed(name: str) -> str:
    """The text of a fixed (non-templated) statement."""
    return _FIXED[name][0]


# -- templates per label ----------------------------------------------------------------------
# {L} is replaced by a label checked against NODE_LABELS.
_NODE_TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    # Same merge rule as SQLite's json_patch: properties present overwrite, absent ones stay.
    "node_upsert": (
        "UNWIND $rows AS r\n"
        "MERGE (n:{L} {key: r.key})\n"
        "ON CREATE SET n.source = $source, n.run = $run, n.first_seen = $ts\n"
        "SET n.last_seen = $ts, n += r.props",
        ("rows", "source", "run", "ts"),
    ),
    # Endpoint stubs (no properties) only need to exist: an existing node is left as it is.
    "node_stub": (
        "UNWIND $rows AS r\n"
        "MERGE (n:{L} {key: r.key})\n"
        "ON CREATE SET n.source = $source, n.run = $run, n.first_seen = $ts, n.last_seen = $ts",
        ("rows", "source", "run", "ts"),
    ),
    # Copy with the origin's provenance (push/pull): first_seen is the earliest, last_seen the latest.
    "node_copy": (
        "UNWIND $rows AS r\n"
        "MERGE (n:{L} {key: r.key})\n"
        "ON CREATE SET n.source = r.source, n.run = r.run, n.first_seen = r.first_seen,\n"
        "              n.last_seen = r.last_seen\n"
        "ON MATCH SET n.source = coalesce(n.source, r.source), n.run = coalesce(n.run, r.run),\n"
        "             n.first_seen = CASE WHEN n.first_seen IS NULL OR r.first_seen < n.first_seen\n"
        "                                 THEN r.first_seen ELSE n.first_seen END,\n"
        "             n.last_seen = CASE WHEN n.last_seen IS NULL OR r.last_seen > n.last_seen\n"
        "                                THEN r.last_seen ELSE n.last_seen END\n"
        "SET n += r.props\n"
        "RETURN count(n) AS n",
        ("rows",),
    ),
    # Push into a target that had no graph nodes when the push began: nothing to merge with,
    # so a plain CREATE (no lookup, no per-row CASE, no Eager). Each row is the node's whole
    # property map (key, provenance, data); a null in it sets nothing, as with MERGE. The key's
    # uniqueness constraint still guards against a node written there meanwhile.
    "node_create": (
        "UNWIND $rows AS r\n"
        "CREATE (n:{L})\n"
        "SET n = r\n"
        "RETURN count(n) AS n",
        ("rows",),
    ),
    # The same, also returning the new nodes' element ids in row order: a first push then finds
    # relationship endpoints by id (a direct record seek) instead of by key (an index seek).
    "node_create_ids": (
        "UNWIND $rows AS r\n"
        "CREATE (n:{L})\n"
        "SET n = r\n"
        "RETURN count(n) AS n, collect(elementId(n)) AS ids",
        ("rows",),
    ),
    "node_ids": (
        "MATCH (n:{L})\n"
        "RETURN n.key AS key, elementId(n) AS id",
        (),
    ),
    "set_props": (
        "UNWIND $rows AS r\n"
        "MATCH (n:{L} {key: r.key})\n"
        "SET n += r.props\n"
        "RETURN count(n) AS n",
        ("rows",),
    ),
    # A null in `+=` removes the property: names stay parameters, nothing is interpolated.
    # At most $limit nodes per call: the store repeats it, one transaction each, until none is
    # left (clearing 30 properties on 100k nodes at once exceeds the transaction memory limit).
    "clear_props": (
        "MATCH (n:{L})\n"
        "WHERE any(k IN $keys WHERE n[k] IS NOT NULL)\n"
        "WITH n LIMIT $limit\n"
        "SET n += $nulls\n"
        "RETURN count(n) AS n",
        ("keys", "nulls", "limit"),
    ),
    "delete_nodes": (
        "UNWIND $keys AS k\n"
        "MATCH (n:{L} {key: k})\n"
        "DETACH DELETE n\n"
        "RETURN count(*) AS n",
        ("keys",),
    ),
    "count_nodes": (
        "MATCH (n:{L}) RETURN count(n) AS n",
        (),
    ),
    "nodes_all": (
        "MATCH (n:{L}) RETURN properties(n) AS p",
        (),
    ),
    "nodes_columns": (
        "MATCH (n:{L}) RETURN n.key AS key, [c IN $columns | n[c]] AS vals",
        ("columns",),
    ),
    "get_node": (
        "MATCH (n:{L} {key: $key}) RETURN properties(n) AS p",
        ("key",),
    ),
    # Keyset pages in key order for pull (the uniqueness constraint's index serves the order).
    "nodes_page": (
        "MATCH (n:{L})\n"
        "WHERE n.key > $after\n"
        "RETURN properties(n) AS p\n"
        "ORDER BY n.key\n"
        "LIMIT $limit",
        ("after", "limit"),
    ),
}

# -- templates per relationship type ------------------------------------------------------------
# {T} is replaced by a type checked against REL_TYPES. Endpoint labels are reported by picking
# the node's model label, so a relationship between any two model nodes is read back.
_REL_TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "count_rels": (
        "MATCH ()-[e:{T}]->() RETURN count(e) AS n",
        (),
    ),
    "delete_rels": (
        "MATCH ()-[e:{T}]->()\n"
        "DELETE e\n"
        "RETURN count(*) AS n",
        (),
    ),
    "edges_columns": (
        "MATCH (a)-[e:{T}]->(b)\n"
        "RETURN [l IN labels(a) WHERE l IN $labels][0] AS src_label, a.key AS src,\n"
        "       [l IN labels(b) WHERE l IN $labels][0] AS dst_label, b.key AS dst,\n"
        "       [c IN $columns | e[c]] AS vals",
        ("labels", "columns"),
    ),
    "edges_all": (
        "MATCH (a)-[e:{T}]->(b)\n"
        "RETURN [l IN labels(a) WHERE l IN $labels][0] AS src_label, a.key AS src,\n"
        "       [l IN labels(b) WHERE l IN $labels][0] AS dst_label, b.key AS dst,\n"
        "       properties(e) AS p",
        ("labels",),
    ),
}

# -- templates per (type, source label, target label) -------------------------------------------
_EDGE_TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "edge_upsert": (
        "UNWIND $rows AS r\n"
        "MATCH (a:{S} {key: r.src})\n"
        "MATCH (b:{D} {key: r.dst})\n"
        "MERGE (a)-[e:{T}]->(b)\n"
        "ON CREATE SET e.source = $source, e.run = $run, e.first_seen = $ts\n"
        "SET e.last_seen = $ts, e += r.props\n"
        "RETURN count(e) AS n",
        ("rows", "source", "run", "ts"),
    ),
    # The fresh-target push: both endpoints by key (index seeks), then a plain CREATE of the
    # relationship with its whole property map (provenance included). Rows are lists
    # [source key, target key, properties] (about 10% less server work than maps). Only safe
    # where no such relationship can exist yet: see netmap.store.transfer.push.
    "edge_create": (
        "UNWIND $rows AS r\n"
        "MATCH (a:{S} {key: r[0]})\n"
        "MATCH (b:{D} {key: r[1]})\n"
        "CREATE (a)-[e:{T}]->(b)\n"
        "SET e = r[2]\n"
        "RETURN count(e) AS n",
        ("rows",),
    ),
    # Properties onto existing relationships (values neo4j-admin import could not carry).
    "edge_set_props": (
        "UNWIND $rows AS r\n"
        "MATCH (a:{S} {key: r.src})-[e:{T}]->(b:{D} {key: r.dst})\n"
        "SET e += r.props\n"
        "RETURN count(e) AS n",
        ("rows",),
    ),
    # [source element id, target element id, properties]; ids from node_create_ids/node_ids.
    "edge_create_ids": (
        "UNWIND $rows AS r\n"
        "MATCH (a:{S})\n"
        "WHERE elementId(a) = r[0]\n"
        "MATCH (b:{D})\n"
        "WHERE elementId(b) = r[1]\n"
        "CREATE (a)-[e:{T}]->(b)\n"
        "SET e = r[2]\n"
        "RETURN count(e) AS n",
        ("rows",),
    ),
    "edge_copy": (
        "UNWIND $rows AS r\n"
        "MATCH (a:{S} {key: r.src})\n"
        "MATCH (b:{D} {key: r.dst})\n"
        "MERGE (a)-[e:{T}]->(b)\n"
        "ON CREATE SET e.source = r.source, e.run = r.run, e.first_seen = r.first_seen,\n"
        "              e.last_seen = r.last_seen\n"
        "ON MATCH SET e.source = coalesce(e.source, r.source), e.run = coalesce(e.run, r.run),\n"
        "             e.first_seen = CASE WHEN e.first_seen IS NULL OR r.first_seen < e.first_seen\n"
        "                                 THEN r.first_seen ELSE e.first_seen END,\n"
        "             e.last_seen = CASE WHEN e.last_seen IS NULL OR r.last_seen > e.last_seen\n"
        "                                THEN r.last_seen ELSE e.last_seen END\n"
        "SET e += r.props\n"
        "RETURN count(e) AS n",
        ("rows",),
    ),
}

# -- reconcile: move relationships that point at a folded Url onto the Post -----------------------
# Which source nodes a move applies to. Fixed snippets chosen by name, never built from data.
_MOVE_FILTERS: dict[str, str] = {
    "all": "",
    "social": "WHERE s:Post AND coalesce(s.platform IN $social, false)\n",
    "other": "WHERE NOT (s:Post AND coalesce(s.platform IN $social, false))\n",
}
# On a clash with an existing relationship: properties merge (the moved one's values win),
# the existing source/run stay, first_seen is the earliest and last_seen the latest.
_MOVE_TEMPLATE = (
    "UNWIND $keys AS k\n"
    "MATCH (u:Url {key: k})<-[e:{T}]-(s)\n"
    "{W}"
    "MATCH (p:Post {key: k})\n"
    "WITH s, e, p, properties(e) AS ep\n"
    "MERGE (s)-[m:{N}]->(p)\n"
    "ON CREATE SET m = ep\n"
    "ON MATCH SET m += ep {.*, source: m.source, run: m.run,\n"
    "  first_seen: CASE WHEN ep.first_seen < m.first_seen THEN ep.first_seen ELSE m.first_seen END,\n"
    "  last_seen: CASE WHEN ep.last_seen > m.last_seen THEN ep.last_seen ELSE m.last_seen END}\n"
    "DELETE e\n"
    "RETURN count(*) AS n"
)

# Every (type, new type, filter) move reconcile performs: a LINKS_TO from a short social post
# becomes SHARES; every other relationship keeps its type.
RECONCILE_MOVES: tuple[tuple[str, str, str], ...] = tuple(
    [(t, t, "all") for t in REL_TYPES if t != "LINKS_TO"]
    + [("LINKS_TO", "SHARES", "social"), ("LINKS_TO", "LINKS_TO", "other")]
)


def _edge_shapes() -> tuple[tuple[str, str, str], ...]:
    shapes = dict.fromkeys(
        (t, s, d) for t, (srcs, dsts) in REL_ENDPOINTS.items() for s in srcs for d in dsts
    )
    # reconcile retargets relationships from a Url to the Post with the same key
    for t, new, _ in RECONCILE_MOVES:
        srcs, dsts = REL_ENDPOINTS[t]
        if "Url" in dsts:
            for s in srcs:
                shapes.setdefault((new, s, "Post"))
    return tuple(shapes)


# Every (type, source label, target label) a relationship may have: the model's endpoints plus
# what reconcile makes of them (an Account's LINKS_TO to a known post becomes SHARES).
EDGE_SHAPES: tuple[tuple[str, str, str], ...] = _edge_shapes()


def _label(label: str) -> str:
    if label not in NODE_LABELS:
        raise StoreError(f"unknown node label {label!r} (known: {', '.join(NODE_LABELS)})")
    return label


def _type(type_: str) -> str:
    if type_ not in REL_TYPES:
        raise StoreError(f"unknown relationship type {type_!r} (known: {', '.join(REL_TYPES)})")
    return type_


def node_query(name: str, label: str) -> str:
    """A per-label statement, for a label from the model's fixed list only."""
    return _NODE_TEMPLATES[name][0].replace("{L}", _label(label))


def rel_query(name: str, type_: str) -> str:
    """A per-type statement, for a type from the model's fixed list only."""
    return _REL_TEMPLATES[name][0].replace("{T}", _type(type_))


def edge_query(name: str, type_: str, src_label: str, dst_label: str) -> str:
    """A per-(type, source label, target label) statement, for a shape in :data:`EDGE_SHAPES`."""
    if (type_, src_label, dst_label) not in EDGE_SHAPES:
        _type(type_)
        raise StoreError(f"a {type_} relationship cannot connect {src_label} -> {dst_label}")
    return (
        _EDGE_TEMPLATES[name][0]
        .replace("{T}", _type(type_))
        .replace("{S}", _label(src_label))
        .replace("{D}", _label(dst_label))
    )


def reconcile_move_query(type_: str, new_type: str, filter_: str) -> str:
    return (
        _MOVE_TEMPLATE.replace("{T}", _type(type_))
        .replace("{N}", _type(new_type))
        .replace("{W}", _MOVE_FILTERS[filter_])
    )


# -- .cypher files --------------------------------------------------------------------------------
def cypher_dir() -> Path:
    """The ``cypher/`` folder (schema and the named query library) of this checkout."""
    for candidate in (
        Path(__file__).resolve().parent.parent / "cypher",  # packaged copy, if the build adds one
        Path(__file__).resolve().parents[2] / "cypher",  # source checkout / editable install
    ):
        if (candidate / "schema.cypher").is_file():
            return candidate
    raise StoreError(
        "cannot find cypher/schema.cypher next to the netmap package; "
        "run netmap from a source checkout (pip install -e .)"
    )


def split_statements(text: str) -> list[str]:
    """Split Cypher text on top-level ``;``, dropping comments and empty statements.

    Quotes (single, double, backtick) and comments (``//``, ``/* */``) are respected, so a
    ``;`` inside a string or a comment does not split.
    """
    out: list[str] = []
    buf: list[str] = []
    i, n = 0, len(text)
    quote: str | None = None
    while i < n:
        ch = text[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote != "`" and i + 1 < n:
                buf.append(text[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            continue
        if ch in "'\"`":
            quote = ch
            buf.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            buf.append(" ")
            continue
        elif ch == ";":
            stmt = "".join(buf).strip()
            if stmt:
                out.append(stmt)
            buf = []
        else:
            buf.append(ch)
        i += 1
    stmt = "".join(buf).strip()
    if stmt:
        out.append(stmt)
    return out


def schema_statements() -> list[str]:
    """The statements of ``cypher/schema.cypher`` (constraints and indexes, all IF NOT EXISTS)."""
    return split_statements((cypher_dir() / "schema.cypher").read_text(encoding="utf-8"))


# -- the registry ---------------------------------------------------------------------------------
_IDENT = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _params_of(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_IDENT.findall(text)))


def all_queries() -> list[Query]:
    """Every concrete statement the Neo4j store can send (templates expanded for every legal
    label, type and label pair)."""
    out: list[Query] = []
    for name, (text, params) in _FIXED.items():
        out.append(Query(name, text, params))
    for name in _NODE_TEMPLATES:
        for label in NODE_LABELS:
            text = node_query(name, label)
            out.append(Query(f"{name}:{label}", text, _params_of(text)))
    for name in _REL_TEMPLATES:
        for type_ in REL_TYPES:
            text = rel_query(name, type_)
            out.append(Query(f"{name}:{type_}", text, _params_of(text)))
    for name in _EDGE_TEMPLATES:
        for type_, src, dst in EDGE_SHAPES:
            text = edge_query(name, type_, src, dst)
            out.append(Query(f"{name}:{type_}:{src}:{dst}", text, _params_of(text)))
    for type_, new, filt in RECONCILE_MOVES:
        text = reconcile_move_query(type_, new, filt)
        out.append(Query(f"reconcile_move:{type_}:{new}:{filt}", text, _params_of(text)))
    # Every declared parameter list must name exactly what the text uses.
    for q in out:
        if set(q.params) != set(_params_of(q.text)):
            raise AssertionError(f"{q.name}: declared {q.params} but uses {_params_of(q.text)}")
    return out


def main() -> None:
    json.dump([q.as_dict() for q in all_queries()], sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
