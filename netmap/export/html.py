"""The offline HTML network view (pyvis + vis-network), safe with hostile data.

One self-contained file: vis-network's JavaScript and CSS are inlined from the
copy bundled with the installed pyvis package, and a Content-Security-Policy
forbids the page any request at all, so even markup injected through the data
could load nothing. (pyvis' own ``cdn_resources="in_line"`` template still
links Bootstrap from a CDN; netmap renders pyvis' data through its own
template, ``templates/network.html``.)

Data never becomes markup: nodes, ties and account details travel as JSON in
``<script type="application/json">`` blocks, with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped so a ``</script>`` inside a name cannot end
the block; the page script puts values into the DOM with ``textContent`` and
builds profile links only for http(s) URLs. No vis-network ``title`` is set
(vis renders string titles as HTML): tooltips are the page's own.

Big graphs stay usable: positions come precomputed from an igraph layout,
physics is off above :data:`PHYSICS_MAX_NODES` accounts, and the exporter's
``max_nodes`` keeps the top accounts by the size metric, saying so in a
banner.
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

from markupsafe import Markup

from .. import __version__
from ..errors import ExportError
from .base import (
    DEFAULT_SHAPE,
    PLATFORM_SHAPES,
    Exporter,
    ExportGraph,
    atomic_write,
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
PAGE_SCRIPTS = 6  # four JSON blocks, vis-network, the page script
LABELLED_NODES = 60  # only the biggest accounts carry a permanent label
CROSS_COLOUR = "#e07b00"
EDGE_COLOUR = "#9aa5b1"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")
_URL_ATTRS = frozenset({
    "src", "href", "action", "formaction", "poster", "data", "background", "srcset",
    "xlink:href", "ping", "manifest", "codebase", "cite", "longdesc", "usemap", "lowsrc",
})
_CSS_URL_RE = re.compile(r"@import|url\(\s*(?![\s\"']*data:)", re.IGNORECASE)


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block that no string can break out of."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Markup(_JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text))


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


def _view_items(data: ExportGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """vis-network node and edge items, and the page's metadata (legend, account details)."""
    df = data.nodes
    n = len(df)
    cols = set(df.columns)

    def column(name: str) -> list[Any]:
        return df[name].tolist() if name in cols else [None] * n

    keys, names, handles = column("key"), column("name"), column("handle")
    platforms, groups = column("platform"), column("group")
    scores, sources, evidence = column("group_score"), column("group_source"), column("group_evidence")
    communities, pageranks, urls = column("community"), column("pagerank"), column("url")
    labels = {c.value: c.label for c in data.categories}

    order = sorted(range(n), key=lambda i: -float(data.metric[i]))
    labelled = set(order[: LABELLED_NODES if n > LABELLED_NODES else n])

    nodes: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    platform_counts: dict[str, int] = {}
    for i in range(n):
        platform = _text(platforms[i]) or ""
        platform_counts[platform] = platform_counts.get(platform, 0) + 1
        shape, dashed = PLATFORM_SHAPES.get(platform, DEFAULT_SHAPE)
        cat = int(data.category[i])
        item: dict[str, Any] = {
            "id": i,
            "size": round(float(data.size[i]), 2),
            "color": data.categories[cat].colour,
            "shape": shape,
        }
        if data.positions is not None:
            item["x"] = round(float(data.positions[i][0]), 1)
            item["y"] = round(float(data.positions[i][1]), 1)
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
        community = _text(_num(communities[i]) if _num(communities[i]) is not None else communities[i])
        if community:
            d["c"] = community
        pr = _num(pageranks[i], 4)
        if pr is not None:
            d["pr"] = pr
        if data.size_by != "pagerank":
            m = _num(data.metric[i], 4)
            if m is not None:
                d["m"] = m
        url = safe_url(urls[i])
        if url:
            d["u"] = url
        info.append(d)

    index = {k: i for i, k in enumerate(keys)}
    edges: list[dict[str, Any]] = []
    cross_total = 0
    e = data.edges
    weights = e["weight"].tolist() if "weight" in e.columns else [1.0] * len(e)
    cross = e["cross_platform"].tolist() if "cross_platform" in e.columns else [False] * len(e)
    for src, dst, w, c in zip(e["src"].tolist(), e["dst"].tolist(), weights, cross, strict=True):
        a, b = index.get(src), index.get(dst)
        if a is None or b is None:
            continue
        wv = _num(w, 4)
        width = 1.0 if wv is None or wv <= 0 else min(8.0, 1.0 + 1.5 * math.log2(1.0 + float(wv)))
        item = {"from": a, "to": b, "width": round(width, 2)}
        if c is True or c == 1:
            item["dashes"] = True
            item["color"] = {"color": CROSS_COLOUR, "opacity": 0.9}
            cross_total += 1
        edges.append(item)

    colour_label = {"group": "stance group", "community": "community"}.get(data.color_by, data.color_by)
    meta = {
        "title": data.title,
        "colorBy": data.color_by,
        "colorLabel": colour_label,
        "sizeBy": data.size_by,
        "reduced": data.reduced,
        "shown": n,
        "total": data.total_nodes,
        "edges": len(edges),
        "crossEdges": cross_total,
        "categories": [
            {"label": c.label, "colour": c.colour, "count": c.count, "total": c.total}
            for c in data.categories
        ],
        "platforms": [
            {"name": p, "shape": PLATFORM_SHAPES.get(p, DEFAULT_SHAPE)[0],
             "dashed": PLATFORM_SHAPES.get(p, DEFAULT_SHAPE)[1], "count": c}
            for p, c in sorted(platform_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "info": info,
    }
    return nodes, edges, meta


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


def render_html(data: ExportGraph) -> str:
    """The whole offline page for ``data`` (used by :class:`HtmlExporter` and the HTML report)."""
    try:
        from pyvis.network import Network
    except ImportError as exc:
        raise ExportError("the HTML view needs pyvis: pip install 'pyvis>=0.3.2'") from exc

    vis_js, vis_css = _vis_assets()
    nodes, edges, meta = _view_items(data)

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  heading=data.title)
    # Filled directly: pyvis' add_node/add_edge scan every node on every call.
    net.nodes = nodes
    net.edges = edges
    net.options = _options(len(nodes), len(edges))
    app_js = (TEMPLATES / "network.js").read_text(encoding="utf-8")
    env = _environment()
    env.globals["view"] = {
        "csp": page_csp(vis_js, app_js),
        "version": __version__,
        "banner": data.notes[0] if data.reduced and data.notes else "",
        "notes": data.notes[1:] if data.reduced else data.notes,
        "meta": meta,
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
    # data must never add an element: the page has exactly its own six scripts.
    if scan.found:
        raise ExportError(f"HTML view would load resources: {scan.found[:3]}")
    if scan.scripts != PAGE_SCRIPTS:
        raise ExportError(
            f"HTML view has {scan.scripts} script elements instead of {PAGE_SCRIPTS}; "
            "refusing to write a page whose structure the data changed"
        )
    return page


class HtmlExporter(Exporter):
    """Self-contained offline HTML view: legend, search, group filter, tooltips."""

    name = "html"
    description = "offline interactive HTML view (vis-network), coloured, sized, searchable"
    suffix = ".html"
    needs_layout = True

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        path = out_path(out, self.suffix)
        atomic_write(path, render_html(data))
        return [path]
