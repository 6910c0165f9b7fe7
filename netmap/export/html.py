"""The offline HTML network view (pyvis + vis-network), safe with hostile data.

One self-contained file: vis-network's JavaScript and CSS are inlined from the
copy bundled with the installed pyvis package, and a Content-Security-Policy
forbids the page any request at all and allows only the page's own two
scripts (by hash), so even markup injected through the data could neither
load nor run anything. (pyvis' own ``cdn_resources="in_line"`` template still
links Bootstrap from a CDN; netmap renders pyvis' data through its own
template, ``templates/network.html``.)

Data never becomes markup: nodes, ties, account details and drill-down views
travel as JSON in ``<script type="application/json">`` blocks, with ``<``,
``>``, ``&``, the JavaScript line separators and lone surrogates escaped so a
``</script>`` inside a name cannot end the block; the page script puts values
into the DOM with ``textContent`` and builds profile links only for http(s)
URLs. No vis-network ``title`` is set (vis renders string titles as HTML):
tooltips are the page's own.

What the page shows: nodes coloured by stance group (or community, or any
column) and shaped by platform, sized by a metric; ties sized by weight,
coloured by their dominant interaction type (share, quote, link, comment,
reply, mention), dashed across platforms; a legend that filters by colour
class, community, platform and tie type; search; tooltips and a details panel
with the account's stance evidence.

Big graphs stay usable: positions come precomputed from an igraph layout,
physics is off above :data:`PHYSICS_MAX_NODES` accounts, and above the
exporter's ``max_nodes`` the graph is reduced (top accounts by the size
metric, the k-core that fits, or communities collapsed into one node each,
with a view of each community's members embedded in the same file and
switched in the page), saying so in a banner.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from .. import __version__
from ..analysis.project import INTERACTION_TYPES
from ..errors import ExportError
from .base import (
    DEFAULT_SHAPE,
    PLATFORM_SHAPES,
    Exporter,
    ExportGraph,
    atomic_write,
    category_text,
    clean_text,
    out_path,
    safe_url,
)

__all__ = [
    "HtmlExporter",
    "render_html",
    "script_json",
    "find_remote_references",
    "count_scripts",
    "CSP",
    "page_csp",
    "PHYSICS_MAX_NODES",
    "TYPE_COLOURS",
    "view_scripts",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
VENDOR = Path(__file__).resolve().parent / "vendor"

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def page_csp(*scripts: str) -> str:
    """:data:`CSP` with the hashes of the page's own scripts.

    Browsers that know hashes then ignore ``'unsafe-inline'``, so neither an
    injected ``<script>`` nor an inline event handler (``onerror=...``) could
    run even if markup ever slipped through; older browsers fall back to
    :data:`CSP`.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return CSP.replace("script-src 'unsafe-inline'", f"script-src {hashes} 'unsafe-inline'")


PHYSICS_MAX_NODES = 500
PAGE_SCRIPTS = 7  # five JSON blocks, vis-network, the page script
LABELLED_NODES = 60  # only the biggest accounts carry a permanent label
EDGE_COLOUR = "#9aa5b1"
COMMUNITY_FILTER_MAX = 20  # communities listed one by one in the filter; the rest share a row
# One hue per interaction type, dark enough to read as thin lines on white;
# endorsements (share, quote, link) are the cool colours, replies the warm ones.
TYPE_COLOURS: dict[str, str] = {
    "share": "#2f6db3",
    "quote": "#8e5bb5",
    "link": "#16a0a0",
    "site_link": "#6f8f1f",
    "comment": "#e8743b",
    "reply": "#d43f5a",
    "mention": "#8a939d",
}
TYPE_LABELS: dict[str, str] = {"site_link": "link to a site", "link": "link to a post"}

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
_URL_ATTRS = frozenset({
    "src", "href", "action", "formaction", "poster", "data", "background", "srcset",
    "xlink:href", "ping", "manifest", "codebase", "cite", "longdesc", "usemap", "lowsrc",
})
_CSS_URL_RE = re.compile(r"@import|url\(\s*(?![\s\"']*data:)", re.IGNORECASE)


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block that no string can break out of."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # Lone surrogates (no encoder writes them) travel as \\u escapes JSON.parse accepts.
    return Markup(_JSON_ESCAPE_RE.sub(
        lambda m: _JSON_ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04x}", text))


def _script_json_text(text: str) -> Markup:
    return script_json(json.loads(text))


class _PageScan(HTMLParser):
    """Collects what in a page could make a browser fetch something, and its script count."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        # Elements whose only purpose is to load something; none belongs in the page.
        if tag in ("link", "iframe", "frame", "object", "embed", "base", "img", "video",
                   "audio", "source", "track"):
            self.found.append(f"<{tag}>")
        self._in_style = tag == "style"
        for name, value in attrs:
            v = (value or "").strip()
            if name in _URL_ATTRS and v and not v.startswith("#") and not v.lower().startswith("data:"):
                self.found.append(f"{tag} {name}={v[:80]}")
            if name == "style" and _CSS_URL_RE.search(v):
                self.found.append(f"{tag} style={v[:80]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for m in _CSS_URL_RE.finditer(data):
                self.found.append(f"css {data[m.start():m.start() + 80]}")


def find_remote_references(html: str) -> list[str]:
    """Every element, attribute or style rule in ``html`` that would fetch a resource.

    Script bodies are not looked into (vis-network's licence comments name
    web sites); only markup and CSS can make the browser load something by
    themselves, and the page's CSP blocks what scripts might try.
    """
    scan = _PageScan()
    scan.feed(html)
    scan.close()
    return scan.found


def count_scripts(html: str) -> int:
    """Number of ``<script>`` elements the browser will see in ``html``."""
    scan = _PageScan()
    scan.feed(html)
    scan.close()
    return scan.scripts


def _raw_block(text: str, tag: str, what: str) -> Markup:
    """Inline JS/CSS verbatim, refusing text that would close its element early."""
    if re.search(rf"</{tag}|<!--", text, re.IGNORECASE):
        raise ExportError(
            f"{what} contains '</{tag}' or '<!--' and cannot be inlined safely; "
            "reinstall pyvis or report this to netmap"
        )
    return Markup(text)


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS: netmap/export/vendor if present, else pyvis' bundled copy."""
    candidates = [VENDOR]
    try:
        import pyvis

        base = Path(pyvis.__file__).resolve().parent
        found = sorted(
            {p.parent for p in base.glob("**/vis-network.min.js")},
            key=lambda p: [int(x) if x.isdigit() else 0 for x in re.findall(r"\d+", p.name)],
            reverse=True,
        )
        candidates += found
    except ImportError as exc:
        raise ExportError("the HTML view needs pyvis: pip install 'pyvis>=0.3.2'") from exc
    for folder in candidates:
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise ExportError(
        "vis-network not found in the pyvis package; reinstall it: pip install --force-reinstall pyvis"
    )


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["script_json_text"] = _script_json_text
    return env


def _num(x: Any, digits: int = 6) -> float | int | None:
    """A finite number rounded to ``digits`` significant digits (keeps the page small)."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(f):
        return None
    if f.is_integer() and abs(f) < 2**53:
        return int(f)
    return float(f"{f:.{digits}g}")


def _text(x: Any, limit: int = 0) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, (list, tuple)):
        s = "; ".join(str(v) for v in x)
    else:
        s = str(x)
    s = s.strip()
    if not s:
        return None
    if limit and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def _view_items(
    data: ExportGraph,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    """vis-network node and edge items of the first view, the page's metadata, the drill-downs.

    The metadata carries the legend (colour classes, platforms, tie types,
    communities), the first view's account details (``info``) and tie types
    (``et``). For a collapsed graph the first view has one node per community
    and the last list holds one drill-down view per community (``nodes``,
    ``edges``, ``info``, ``et``, ``community``, ``label``, ``banner``).
    """
    df = data.nodes
    cats = data.categories
    types = [t for t in INTERACTION_TYPES]
    type_index = {t: i for i, t in enumerate(types)}
    views: list[dict[str, Any]] = []
    if data.collapsed is None:
        main = _account_view(data, np.arange(len(df)), np.arange(len(data.edges)), type_index)
        mode = "accounts"
    else:
        main = _community_view(data, type_index)
        mode = "communities"
        comm_of = df["community"].map(category_text).to_numpy(dtype=object) if len(df) else (
            np.zeros(0, dtype=object))
        e = data.edges
        edge_comm = (e["src"].map(dict(zip(df["key"], comm_of, strict=True)))
                     .to_numpy(dtype=object) if len(e) else np.zeros(0, dtype=object))
        for row in data.collapsed.nodes.itertuples(index=False):
            if not row.shown:
                continue
            rows = np.flatnonzero(comm_of == row.community)
            erows = np.flatnonzero(edge_comm == row.community)
            view = _account_view(data, rows, erows, type_index)
            view["community"] = row.community
            view["label"] = _community_label(row.community)
            view["banner"] = (
                f"{_community_label(row.community)}: showing {len(rows):,} of {row.size:,} "
                f"members, top by {data.size_by}" if len(rows) < row.size else
                f"{_community_label(row.community)}: all {row.size:,} members"
            )
            views.append(view)

    colour_label = {"group": "stance group", "community": "community"}.get(
        data.color_by, data.color_by)
    meta = {
        "title": data.title,
        "colorBy": data.color_by,
        "colorLabel": colour_label,
        "sizeBy": data.size_by,
        "reduced": data.reduced,
        "reduce": data.reduce,
        "mode": mode,
        "banner": data.notes[0] if data.reduced and data.notes else "",
        "shown": len(main["nodes"]),
        "total": data.total_nodes,
        "edges": len(main["edges"]),
        "crossEdges": main["cross"],
        "categories": [
            {"value": c.value, "label": c.label, "colour": c.colour, "count": c.count,
             "total": c.total}
            for c in cats
        ],
        "platforms": _platform_legend(df),
        "types": [{"name": t, "label": TYPE_LABELS.get(t, t), "colour": TYPE_COLOURS.get(t, EDGE_COLOUR)}
                  for t in types],
        "communities": _community_legend(data),
        "info": main["info"],
        "et": main["et"],
    }
    for view in views:
        view.pop("cross", None)
    return main["nodes"], main["edges"], meta, views


def _community_label(value: str) -> str:
    return f"community {value}" if value else "no community"


def _platform_legend(df: pd.DataFrame) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    if "platform" in df.columns:
        for p in df["platform"].tolist():
            name = _text(p) or ""
            counts[name] = counts.get(name, 0) + 1
    return [
        {"name": p, "shape": PLATFORM_SHAPES.get(p, DEFAULT_SHAPE)[0],
         "dashed": PLATFORM_SHAPES.get(p, DEFAULT_SHAPE)[1], "count": c}
        for p, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _community_legend(data: ExportGraph) -> list[dict[str, Any]]:
    """Community filter entries: the largest ones, then "other" and "none" buckets.

    Empty when the view is coloured by community (the colour legend filters
    communities then).
    """
    if data.color_by == "community":
        return []
    if data.collapsed is not None:
        sizes = {str(c): int(s) for c, s in zip(data.collapsed.nodes["community"],
                                                data.collapsed.nodes["size"], strict=True)}
        shown = sizes
    elif "community" in data.nodes.columns:
        values = data.nodes["community"].map(category_text)
        shown = values.value_counts().to_dict()
        sizes = shown
    else:
        return []
    named = [c for c in sizes if c != ""]
    if not named:
        return []
    named.sort(key=lambda c: (-sizes[c], (0, int(c)) if c.lstrip("-").isdigit() else (1, c)))
    out = [{"value": c, "label": _community_label(c), "count": int(shown.get(c, 0)),
            "total": sizes[c]} for c in named[:COMMUNITY_FILTER_MAX]]
    rest = named[COMMUNITY_FILTER_MAX:]
    if rest:
        out.append({"value": None, "label": f"{len(rest):,} other communities",
                    "count": int(sum(shown.get(c, 0) for c in rest)),
                    "total": int(sum(sizes[c] for c in rest)), "other": True})
    if "" in sizes:
        out.append({"value": "", "label": "no community", "count": int(shown.get("", 0)),
                    "total": sizes[""]})
    return out


def _dominant_types(e: pd.DataFrame, rows: np.ndarray, type_index: dict[str, int]) -> list[int]:
    """Per tie, the interaction type with the most interactions (ties: the earlier type)."""
    cols = [f"n_{t}" for t in type_index]
    if not len(rows):
        return []
    if not any(c in e.columns for c in cols):
        return [type_index.get("share", 0)] * len(rows)
    counts = np.column_stack([
        pd.to_numeric(e[c], errors="coerce").fillna(0).to_numpy(dtype=float)[rows]
        if c in e.columns else np.zeros(len(rows))
        for c in cols
    ])
    return np.argmax(counts, axis=1).astype(int).tolist()


def _edge_width(w: Any) -> float:
    wv = _num(w, 4)
    width = 1.0 if wv is None or wv <= 0 else min(8.0, 1.0 + 1.5 * math.log2(1.0 + float(wv)))
    return round(width, 2)


def _account_view(
    data: ExportGraph, rows: np.ndarray, erows: np.ndarray, type_index: dict[str, int]
) -> dict[str, Any]:
    """Items and details for the accounts ``rows`` of ``data.nodes`` and ties ``erows``."""
    df = data.nodes
    cols = set(df.columns)

    def column(name: str) -> list[Any]:
        if name not in cols:
            return [None] * len(rows)
        values = df[name].to_numpy(dtype=object)
        return values[rows].tolist() if len(rows) else []

    keys, names, handles = column("key"), column("name"), column("handle")
    platforms, groups = column("platform"), column("group")
    scores, sources, evidence = column("group_score"), column("group_source"), column("group_evidence")
    communities, pageranks, urls = column("community"), column("pagerank"), column("url")
    labels = {c.value: c.label for c in data.categories}
    metric = data.metric[rows] if len(rows) else np.zeros(0)
    sizes = data.size[rows] if len(rows) else np.zeros(0)
    category = data.category[rows] if len(rows) else np.zeros(0, dtype=np.int64)
    positions = data.positions[rows] if data.positions is not None and len(rows) else None

    n = len(rows)
    order = sorted(range(n), key=lambda i: -float(metric[i]))
    labelled = set(order[:LABELLED_NODES])

    nodes: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    for i in range(n):
        platform = _text(platforms[i]) or ""
        shape, dashed = PLATFORM_SHAPES.get(platform, DEFAULT_SHAPE)
        cat = int(category[i])
        item: dict[str, Any] = {
            "id": i,
            "size": round(float(sizes[i]), 2),
            "color": data.categories[cat].colour,
            "shape": shape,
        }
        if positions is not None:
            item["x"] = round(float(positions[i][0]), 1)
            item["y"] = round(float(positions[i][1]), 1)
        if dashed:
            item["shapeProperties"] = {"borderDashes": [4, 3]}
        name = _text(names[i], 200)
        handle = _text(handles[i], 200)
        if i in labelled:
            item["label"] = _text(name or handle or keys[i], 40)
        nodes.append(item)

        d: dict[str, Any] = {"k": str(keys[i]), "cat": cat}
        for short, value in (("n", name), ("h", handle), ("p", platform or None)):
            if value:
                d[short] = value
        group = _text(groups[i])
        if group:
            d["g"] = group
            if labels.get(group) and labels[group] != group:
                d["gl"] = labels[group]
            score = _num(scores[i], 3)
            if score is not None:
                d["gs"] = score
            src = _text(sources[i], 40)
            if src:
                d["gsrc"] = src
            ev = _text(evidence[i], 400)
            if ev:
                d["ev"] = ev
        community = category_text(communities[i])
        if community:
            d["c"] = community
        pr = _num(pageranks[i], 4)
        if pr is not None:
            d["pr"] = pr
        if data.size_by != "pagerank":
            m = _num(metric[i], 4)
            if m is not None:
                d["m"] = m
        url = safe_url(urls[i])
        if url:
            d["u"] = url
        info.append(d)

    index = {k: i for i, k in enumerate(keys)}
    e = data.edges
    edges: list[dict[str, Any]] = []
    et_all = _dominant_types(e, erows, type_index)
    et: list[int] = []
    cross_total = 0
    if len(erows):
        src = e["src"].to_numpy(dtype=object)[erows].tolist()
        dst = e["dst"].to_numpy(dtype=object)[erows].tolist()
        weights = (e["weight"].to_numpy(dtype=object)[erows].tolist() if "weight" in e.columns
                   else [1.0] * len(erows))
        cross = (e["cross_platform"].to_numpy(dtype=object)[erows].tolist()
                 if "cross_platform" in e.columns else [False] * len(erows))
        for s, t, w, c, ty in zip(src, dst, weights, cross, et_all, strict=True):
            a, b = index.get(s), index.get(t)
            if a is None or b is None:
                continue
            item = {"from": a, "to": b, "width": _edge_width(w)}
            if c is True or c == 1:
                item["dashes"] = True
                cross_total += 1
            edges.append(item)
            et.append(ty)
    return {"nodes": nodes, "edges": edges, "info": info, "et": et, "cross": cross_total}


def _community_view(data: ExportGraph, type_index: dict[str, int]) -> dict[str, Any]:
    """Items and details of the super-node view: one node per community."""
    cv = data.collapsed
    assert cv is not None
    sn = cv.nodes
    labels = {c.value: c.label for c in data.categories}
    key_names = {}
    if len(data.nodes):
        names = data.nodes["name"] if "name" in data.nodes.columns else data.nodes["key"]
        key_names = dict(zip(data.nodes["key"], names, strict=True))
    order = sorted(range(len(sn)), key=lambda i: -int(sn["size"].iloc[i]))
    labelled = set(order[:LABELLED_NODES])
    nodes: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for i, row in enumerate(sn.itertuples(index=False)):
        cat = int(cv.category[i])
        index[row.community] = i
        item: dict[str, Any] = {"id": i, "size": round(float(cv.size[i]), 2),
                                "color": data.categories[cat].colour, "shape": "dot"}
        if cv.positions is not None and len(cv.positions):
            item["x"] = round(float(cv.positions[i][0]), 1)
            item["y"] = round(float(cv.positions[i][1]), 1)
        if i in labelled:
            item["label"] = f"{_community_label(row.community)} ({row.size:,})"
        if row.shown:
            # A thicker border marks the communities that open a view of their members.
            item["borderWidth"] = 3
        nodes.append(item)
        groups = sorted(row.groups.items(), key=lambda kv: (-kv[1], kv[0]))
        platforms = sorted(row.platforms.items(), key=lambda kv: (-kv[1], kv[0]))
        d: dict[str, Any] = {
            "k": f"community:{row.community}",
            "n": _community_label(row.community),
            "cat": cat,
            "c": row.community,
            "sz": int(row.size),
            "sh": int(row.shown),
            "gm": [[labels.get(g, g) if g else "unassigned", n] for g, n in groups[:8]],
            "pm": [[p or "unknown", n] for p, n in platforms[:8]],
            "top": [_text(key_names.get(k) or k, 80) or k for k in row.top],
            "iw": _num(row.internal, 4),
        }
        info.append(d)
    e = cv.edges
    erows = np.arange(len(e))
    et_all = _dominant_types(e, erows, type_index)
    edges: list[dict[str, Any]] = []
    et: list[int] = []
    cross_total = 0
    for j, row in enumerate(e.itertuples(index=False)):
        a, b = index.get(row.src), index.get(row.dst)
        if a is None or b is None:
            continue
        item = {"from": a, "to": b, "width": _edge_width(row.weight)}
        crossing = float(getattr(row, "cross_platform", 0) or 0)
        ties = float(getattr(row, "ties", 0) or 0)
        # Dashed when most of the account ties between the two communities cross platforms.
        if ties and crossing * 2 > ties:
            item["dashes"] = True
            cross_total += 1
        edges.append(item)
        et.append(et_all[j])
    return {"nodes": nodes, "edges": edges, "info": info, "et": et, "cross": cross_total}


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    physics = n_nodes <= PHYSICS_MAX_NODES
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": EDGE_COLOUR, "highlight": "#2b3440", "hover": "#2b3440",
                      "opacity": 0.55},
            # Curves cost a lot to draw on big graphs and add nothing with fixed positions.
            "smooth": {"enabled": physics, "type": "continuous"},
            "selectionWidth": 1.5,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": 120},
            "stabilization": {"enabled": physics, "iterations": 150, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n_edges > 3000,
            "hideEdgesOnZoom": n_edges > 20000,
            "keyboard": False,
            "multiselect": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": 1},
    }


def view_scripts() -> tuple[str, str]:
    """The view's two executable scripts, vis-network and the page script (for CSP hashes)."""
    vis_js, _ = _vis_assets()
    return vis_js, (TEMPLATES / "network.js").read_text(encoding="utf-8")


def render_html(data: ExportGraph) -> str:
    """The whole offline page for ``data`` (used by :class:`HtmlExporter` and the HTML report)."""
    try:
        from pyvis.network import Network
    except ImportError as exc:
        raise ExportError("the HTML view needs pyvis: pip install 'pyvis>=0.3.2'") from exc

    vis_js, vis_css = _vis_assets()
    app_js = (TEMPLATES / "network.js").read_text(encoding="utf-8")
    nodes, edges, meta, views = _view_items(data)
    biggest = max([len(nodes), *(len(v["nodes"]) for v in views)])
    most_edges = max([len(edges), *(len(v["edges"]) for v in views)])

    title = clean_text(data.title)
    meta["title"] = title
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  heading=title)
    # Filled directly: pyvis' add_node/add_edge scan every node on every call.
    net.nodes = nodes
    net.edges = edges
    net.options = _options(biggest, most_edges)
    env = _environment()
    notes = [clean_text(n) for n in data.notes]
    env.globals["view"] = {
        "csp": page_csp(vis_js, app_js),
        "version": __version__,
        "banner": notes[0] if data.reduced and notes else "",
        "notes": notes[1:] if data.reduced else notes,
        "meta": meta,
        "views": views,
        "vis_js": _raw_block(vis_js, "script", "vis-network.min.js"),
        "vis_css": _raw_block(vis_css, "style", "vis-network.css"),
        "app_js": _raw_block(app_js, "script", "network.js"),
        "app_css": _raw_block((TEMPLATES / "network.css").read_text(encoding="utf-8"), "style",
                              "network.css"),
    }
    net.templateEnv = env
    net.path = "network.html"
    page = net.generate_html(name="netmap.html")
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    # A template or vendor change must never ship a page that phones home, and the
    # data must never add an element: the page has exactly its own scripts.
    if scan.found:
        raise ExportError(f"HTML view would load resources: {scan.found[:3]}")
    if scan.scripts != PAGE_SCRIPTS:
        raise ExportError(
            f"HTML view has {scan.scripts} script elements instead of {PAGE_SCRIPTS}; "
            "refusing to write a page whose structure the data changed"
        )
    return page


class HtmlExporter(Exporter):
    """Self-contained offline HTML view: legend, search, filters, tooltips, drill-down."""

    name = "html"
    description = "offline interactive HTML view (vis-network), coloured, sized, searchable"
    suffix = ".html"
    needs_layout = True
    reduce_modes = ("top", "kcore", "communities")

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        path = out_path(out, self.suffix)
        atomic_write(path, render_html(data))
        return [path]
