"""The HTML report: one offline file an analyst can send, open and print.

Sections: what the store holds (collection runs, counts, time range), the
stance groups, the top influencers and bridges overall and per group, the
group mixing matrix as a heatmap, the communities, an activity timeline
(posts per day per group, drawn as inline SVG), content that crossed
platforms and the accounts that carried it, and the interactive network view
itself.

Like the view (:mod:`netmap.export.html`) the report loads nothing: its
Content-Security-Policy forbids every request, the report page runs no script
of its own, and the network view lives in a sandboxed ``<iframe srcdoc>``
whose two scripts are the only ones the policy allows (by hash). Every value
from the data is HTML-escaped by the template (Jinja autoescape) or, inside
the SVG, by :func:`markupsafe.escape`; colours come from validated ``#rrggbb``
values only.

Each section is also a library function returning a DataFrame or dict
(:func:`dataset_summary`, :func:`group_summary`, :func:`top_tables`,
:func:`group_mixing`, :func:`activity_timeline`, :func:`cross_platform_posts`),
so a notebook gets the same numbers.
"""

from __future__ import annotations

import datetime as _dt
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from .. import __version__
from ..errors import AnalysisError, ExportError, UsageError
from .base import (
    OTHER_COLOUR,
    PALETTE,
    REDUCE_MODES,
    UNASSIGNED_COLOUR,
    Exporter,
    ExportGraph,
    ExportReport,
    atomic_write,
    category_text,
    clean_text,
    out_path,
    prepare_graph,
)
from .html import CSP, _PageScan, page_csp, render_html, view_scripts

if TYPE_CHECKING:
    from ..analysis.project import ActorGraph
    from ..store.base import Store

__all__ = [
    "ReportExporter",
    "ReportData",
    "build_report",
    "render_report",
    "dataset_summary",
    "group_summary",
    "top_tables",
    "group_mixing",
    "activity_timeline",
    "cross_platform_posts",
    "platform_carriers",
    "timeline_svg",
    "report_csp",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
TOP_N = 10
CASCADES_N = 25
RUNS_N = 20
_UNASSIGNED = "unassigned"


# -- the sections as data ------------------------------------------------------


@dataclass
class ReportData:
    """Everything the report shows, as plain data (tables as DataFrames)."""

    title: str
    generated: str
    summary: dict[str, Any]
    groups: pd.DataFrame
    top: list[dict[str, Any]]
    mixing: pd.DataFrame
    communities: pd.DataFrame | None
    timeline: pd.DataFrame
    cascades: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    cascades_source: str = ""
    carriers: pd.DataFrame | None = None


class _Posts:
    """Posts and authorship read once from the store and shared by the sections."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._posts: pd.DataFrame | None = None
        self._author: pd.Series | None = None

    @property
    def posts(self) -> pd.DataFrame:
        """``key`` (index), ``platform``, ``created_at``, ``title``; one row per post."""
        if self._posts is None:
            df = self.store.nodes("Post", columns=["platform", "created_at", "title"])
            for c in ("platform", "created_at", "title"):
                if c not in df.columns:
                    df[c] = None
            self._posts = df.drop_duplicates("key").set_index("key")
        return self._posts

    @property
    def author(self) -> pd.Series:
        """Post key -> the account that authored it (the first one listed)."""
        if self._author is None:
            a = self.store.edges(["AUTHORED"])
            self._author = (a.drop_duplicates("dst").set_index("dst")["src"] if not a.empty
                            else pd.Series(dtype=object))
        return self._author

    def dates(self) -> pd.Series:
        """Post key -> ``created_at`` for the posts with an ISO date."""
        c = self.posts["created_at"].dropna().astype(str)
        return c[c.str.match(r"^\d{4}-\d{2}-\d{2}")]


def dataset_summary(store: Store, *, _posts: _Posts | None = None) -> dict[str, Any]:
    """Collection runs, counts per node label and relationship type, and the posts' time range."""
    posts = _posts or _Posts(store)
    counts = store.counts()
    runs = store.runs()
    if not runs.empty:
        runs = runs.sort_values("started", ascending=False).head(RUNS_N)
    dates = posts.dates()
    return {
        "nodes": dict(counts.get("nodes", {})),
        "relationships": dict(counts.get("relationships", {})),
        "runs": runs,
        "posts": int(len(posts.posts)),
        "dated_posts": int(len(dates)),
        "first_post": str(dates.min()) if len(dates) else None,
        "last_post": str(dates.max()) if len(dates) else None,
    }


def _group_info(groups: Any, values: list[str]) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Group order (declared first), label and colour per group value seen in the data."""
    from .base import _group_colour, _group_label

    declared = list(getattr(groups, "names", []) or []) if groups is not None else []
    present = [v for v in declared if v in values] + sorted(v for v in values if v not in declared)
    labels, colours, used = {}, {}, set()
    spare = iter(PALETTE)
    for v in present:
        c = _group_colour(groups, v)
        if c is None or c in used:
            c = next((p for p in spare if p not in used), OTHER_COLOUR)
        used.add(c)
        colours[v] = c
        labels[v] = _group_label(groups, v)
    return present, labels, colours


def group_summary(store: Store, groups: Any = None) -> pd.DataFrame:
    """One row per stance group present: ``group, label, colour, accounts, share, seed, lexicon, propagated``.

    The last row, ``group == ""``, counts the accounts without a group.
    ``groups`` (a Groups object or a groups.yaml path; None: the defaults)
    gives the order, labels and colours.
    """
    from .base import _load_groups

    groups = _load_groups(groups)
    acc = store.nodes("Account", columns=["group", "group_source"])
    g = acc["group"].map(category_text) if "group" in acc.columns else pd.Series([], dtype=object)
    src = (acc["group_source"].map(category_text) if "group_source" in acc.columns
           else pd.Series([""] * len(acc)))
    values = sorted({v for v in g if v})
    order, labels, colours = _group_info(groups, values)
    total = max(len(acc), 1)
    rows = []
    for v in [*order, ""]:
        mask = g == v
        n = int(mask.sum())
        if v == "" and n == 0:
            continue
        by_src = src[mask].value_counts()
        rows.append({
            "group": v, "label": labels.get(v, _UNASSIGNED) if v else _UNASSIGNED,
            "colour": colours.get(v, UNASSIGNED_COLOUR), "accounts": n, "share": n / total,
            "seed": int(by_src.get("seed", 0)), "lexicon": int(by_src.get("lexicon", 0)),
            "propagated": int(by_src.get("propagated", 0)),
        })
    return pd.DataFrame(rows, columns=["group", "label", "colour", "accounts", "share", "seed",
                                       "lexicon", "propagated"])


def top_tables(store: Store, group_table: pd.DataFrame, limit: int = TOP_N) -> list[dict[str, Any]]:
    """Top influencers and bridges overall, then per group (stored analysis results).

    Raises
    ------
    AnalysisError
        When ``netmap analyze`` has not run on the store.
    """
    from ..analysis.tables import top

    out = [{"group": None, "label": "all accounts", "colour": None,
            "influencers": top(store, "influencers", limit=limit),
            "bridges": top(store, "bridges", limit=limit)}]
    for row in group_table.itertuples(index=False):
        if not row.group or not row.accounts:
            continue
        try:
            inf = top(store, "influencers", group=row.group, limit=limit)
            br = top(store, "bridges", group=row.group, limit=limit)
        except UsageError:
            continue
        out.append({"group": row.group, "label": row.label, "colour": row.colour,
                    "influencers": inf, "bridges": br})
    return out


def group_mixing(ag: ActorGraph) -> pd.DataFrame:
    """Tie weight from group (rows) to group (columns), among accounts that have one."""
    from ..analysis.bridges import mixing_matrix

    groups = pd.Series(ag.accounts["group"].to_numpy(), index=ag.accounts["key"].to_numpy())
    return mixing_matrix(ag, groups)


def activity_timeline(store: Store, *, _posts: _Posts | None = None) -> pd.DataFrame:
    """Posts per day (rows, ``YYYY-MM-DD``) per author's stance group (columns; ``""`` = none).

    Posts without a date or a known author are left out.
    """
    posts = _posts or _Posts(store)
    day = posts.dates().str[:10]
    author = posts.author
    if day.empty or author.empty:
        return pd.DataFrame()
    who = author.reindex(day.index)
    day = day[who.notna()]
    if day.empty:
        return pd.DataFrame()
    acc = store.nodes("Account", columns=["group"])
    group_of = (acc.drop_duplicates("key").set_index("key")["group"].map(category_text)
                if "group" in acc.columns else pd.Series(dtype=object))
    groups = who[who.notna()].map(group_of).fillna("")
    table = pd.crosstab(day.to_numpy(), groups.to_numpy()).sort_index()
    table.index.name = None
    table.columns = [str(c) for c in table.columns]
    return table


def cross_platform_posts(
    store: Store, limit: int = CASCADES_N, *, _posts: _Posts | None = None
) -> tuple[pd.DataFrame, str]:
    """Content that crossed platforms, and where the table came from.

    From :func:`netmap.analysis.crossposting.cross_platform_content` when that
    module is installed (``post, key, origin, platforms, n_platforms,
    n_posts, n_accounts, first_seen, last_seen``); otherwise the posts whose
    ``SHARES`` reach at least two platforms (the post's own and its
    sharers'): ``post, author, origin, platforms, n_platforms, shares,
    sharers, first_share_hours``.
    """
    try:
        from ..analysis.crossposting import cross_platform_content
    except ImportError:
        cross_platform_content = None
    if cross_platform_content is not None:
        try:
            table = cross_platform_content(store, limit=limit)
        except Exception:  # noqa: BLE001 - an analysis failing must not lose the report
            table = None
        if isinstance(table, pd.DataFrame):
            out = table.rename(columns={"excerpt": "post", "origin_platform": "origin"})
            if "platforms" in out.columns:
                out["platforms"] = out["platforms"].astype(str).str.replace(",", ", ")
            cols = [c for c in ("post", "key", "origin", "platforms", "n_platforms", "n_posts",
                                "n_accounts", "first_seen", "last_seen") if c in out.columns]
            return out[cols].reset_index(drop=True), "netmap.analysis.crossposting"
    return _shares_across_platforms(store, limit, _posts or _Posts(store)), "SHARES relationships"


def platform_carriers(store: Store, limit: int = TOP_N) -> pd.DataFrame | None:
    """Accounts that carried content from one platform to another (None without the analysis).

    From :func:`netmap.analysis.crossposting.carriers_table`, lags in hours.
    """
    try:
        from ..analysis.crossposting import carriers_table
    except ImportError:
        return None
    try:
        table = carriers_table(store, limit=limit)
    except Exception:  # noqa: BLE001 - an analysis failing must not lose the report
        return None
    out = table.copy()
    for c in ("first_lag_seconds", "median_lag_seconds"):
        if c in out.columns:
            out[c.replace("_seconds", "_hours")] = (
                pd.to_numeric(out.pop(c), errors="coerce") / 3600).round(1)
    return out


def _shares_across_platforms(store: Store, limit: int, posts: _Posts) -> pd.DataFrame:
    cols = ["post", "author", "origin", "platforms", "n_platforms", "shares", "sharers",
            "first_share_hours"]
    shares = store.edges(["SHARES"])
    if shares.empty:
        return pd.DataFrame(columns=cols)
    plat = posts.posts["platform"].map(category_text)
    author = posts.author
    df = pd.DataFrame({"src": shares["src"].to_numpy(), "dst": shares["dst"].to_numpy()})
    df["sp"] = df["src"].map(plat).fillna("")
    df["op"] = df["dst"].map(plat).fillna("")
    df["sharer"] = df["src"].map(author)
    # Platforms each shared post reached: its own and its sharers'.
    reach = pd.concat([df[["dst", "sp"]].set_axis(["dst", "p"], axis=1),
                       df[["dst", "op"]].set_axis(["dst", "p"], axis=1)])
    reach = reach[reach["p"] != ""].drop_duplicates()
    n_platforms = reach.groupby("dst").size()
    crossed = n_platforms[n_platforms >= 2]
    if crossed.empty:
        return pd.DataFrame(columns=cols)
    sub = df[df["dst"].isin(crossed.index)]
    agg = sub.groupby("dst").agg(shares=("src", "size"), sharers=("sharer", "nunique"))
    agg["n_platforms"] = crossed.reindex(agg.index)
    agg = agg.reset_index().sort_values(["n_platforms", "shares", "dst"],
                                        ascending=[False, False, True]).head(limit)
    # Details only for the rows shown: dates and titles are costly on millions of posts.
    top = sub[sub["dst"].isin(set(agg["dst"]))]
    created = posts.posts["created_at"]
    t_share = pd.to_datetime(top["src"].map(created), errors="coerce", utc=True)
    t_post = pd.to_datetime(top["dst"].map(created), errors="coerce", utc=True)
    lag = (t_share - t_post).groupby(top["dst"].to_numpy()).min()
    names = reach[reach["dst"].isin(set(agg["dst"]))].sort_values(["dst", "p"]).groupby("dst")["p"]
    platforms = names.agg(", ".join)
    titles = posts.posts["title"]
    rows = []
    for r in agg.itertuples(index=False):
        hours = lag.get(r.dst)
        rows.append({
            "post": category_text(titles.get(r.dst)) or str(r.dst),
            "author": category_text(author.get(r.dst)),
            "origin": plat.get(r.dst, ""),
            "platforms": platforms.get(r.dst, ""),
            "n_platforms": int(r.n_platforms),
            "shares": int(r.shares),
            "sharers": int(r.sharers),
            "first_share_hours": (round(hours.total_seconds() / 3600, 1)
                                  if hours is not None and pd.notna(hours) else None),
        })
    return pd.DataFrame(rows, columns=cols)


def build_report(
    store: Store,
    *,
    ag: ActorGraph | None = None,
    groups: Any = None,
    title: str | None = None,
) -> ReportData:
    """Compute every section of the report from ``store`` (``ag``: a projection to reuse)."""
    from ..analysis.project import actor_graph
    from .base import _load_groups

    if ag is None:
        ag = actor_graph(store)
    g = _load_groups(groups)
    notes: list[str] = []
    posts = _Posts(store)
    summary = dataset_summary(store, _posts=posts)
    gtable = group_summary(store, g)
    try:
        top = top_tables(store, gtable)
    except AnalysisError as exc:
        top = []
        notes.append(f"Influencers, bridges and communities: {exc}.")
    communities = None
    if top:
        from ..analysis.tables import communities_table

        communities = communities_table(store)
    cascades, source = cross_platform_posts(store, _posts=posts)
    return ReportData(
        title=title or "netmap report",
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        summary=summary,
        groups=gtable,
        top=top,
        mixing=group_mixing(ag),
        communities=communities,
        timeline=activity_timeline(store, _posts=posts),
        cascades=cascades,
        notes=notes,
        cascades_source=source,
        carriers=platform_carriers(store),
    )


# -- rendering -------------------------------------------------------------------


def report_csp() -> str:
    """The report's policy: no requests; scripts only the embedded view's two, by hash.

    A ``srcdoc`` frame inherits the policy of the page that embeds it, so the
    view's scripts must be allowed here too; the report itself runs none.
    """
    vis_js, app_js = view_scripts()
    hashes = page_csp(vis_js, app_js).split("script-src ", 1)[1].split(" 'unsafe-inline'", 1)[0]
    return CSP.replace("script-src 'unsafe-inline'", f"script-src {hashes}")


def _fmt(v: Any, digits: int = 3) -> str:
    """A cell as text: thousands separators for counts, 3 significant digits otherwise."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return ""
        if f.is_integer() and abs(f) < 1e15:
            return f"{int(f):,}"
        a = abs(f)
        return f"{f:.2e}" if (a < 1e-3 or a >= 1e6) else f"{f:.{digits}g}"
    if isinstance(v, (list, tuple, np.ndarray)):
        return ", ".join(_fmt(x) for x in v)
    return clean_text(str(v))


def _table(df: pd.DataFrame | None, columns: list[str] | None = None,
           labels: dict[str, str] | None = None) -> dict[str, Any]:
    """A DataFrame as header texts and rows of cell texts (escaped later by the template)."""
    if df is None:
        return {"head": [], "rows": [], "numeric": []}
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    head = [(labels or {}).get(c, str(c).replace("_", " ")) for c in cols]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in cols]
    rows = [[_fmt(v) for v in rec] for rec in df[cols].itertuples(index=False, name=None)]
    return {"head": head, "rows": rows, "numeric": numeric}


def _mix_colour(share: float) -> tuple[str, str]:
    """Background and text colour of a heatmap cell for a share in [0, 1]."""
    s = min(max(share, 0.0), 1.0) ** 0.6  # lift small shares so they still show
    lo, hi = (247, 249, 252), (31, 79, 145)
    rgb = tuple(round(a + (b - a) * s) for a, b in zip(lo, hi, strict=True))
    return f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})", ("#ffffff" if s > 0.55 else "#1d232a")


def _heatmap(mix: pd.DataFrame, labels: dict[str, str], order: list[str]) -> dict[str, Any]:
    # Groups in their configured order (the matrix comes sorted by name).
    names_in = [str(c) for c in mix.index]
    ordered = [g for g in order if g in names_in] + [g for g in names_in if g not in order]
    mix = mix.set_axis(names_in, axis=0).set_axis([str(c) for c in mix.columns], axis=1)
    mix = mix.loc[ordered, ordered] if ordered else mix
    values = mix.to_numpy(dtype=float) if mix.size else np.zeros((0, 0))
    total = float(values.sum()) or 1.0
    row_sums = values.sum(axis=1) if values.size else np.zeros(0)
    names = [str(c) for c in mix.columns]
    rows = []
    for i, name in enumerate([str(r) for r in mix.index]):
        cells = []
        for j in range(len(names)):
            v = float(values[i, j])
            row_share = v / row_sums[i] if row_sums[i] else 0.0
            bg, fg = _mix_colour(v / (values.max() or 1.0))
            cells.append({"value": _fmt(v), "share": f"{row_share:.0%}", "bg": bg, "fg": fg,
                          "diag": i == j})
        rows.append({"label": labels.get(name, name), "cells": cells,
                     "total": _fmt(float(row_sums[i]))})
    internal = float(np.trace(values)) if values.size else 0.0
    return {"cols": [labels.get(n, n) for n in names], "rows": rows,
            "within": f"{internal / total:.0%}" if values.size else ""}


def timeline_svg(
    table: pd.DataFrame, labels: dict[str, str], colours: dict[str, str],
    *, width: int = 860, height: int = 260,
) -> Markup:
    """Posts per period per group as an inline SVG line chart (every text escaped).

    Days are summed into weeks above 120 days and into months above two years,
    so the chart stays readable.
    """
    if table.empty:
        return Markup("")
    days = pd.to_datetime(pd.Index(table.index), errors="coerce")
    table = table[~days.isna()]
    days = days[~days.isna()]
    if not len(days):
        return Markup("")
    table = table.set_axis(days).sort_index()
    span = (days.max() - days.min()).days
    rule, unit = ("D", "day") if span <= 120 else (("W-MON", "week") if span <= 730 else ("MS", "month"))
    table = table.resample(rule).sum() if rule != "D" else table.asfreq("D", fill_value=0)
    table = table.fillna(0)
    left, right, top, bottom = 48, 12, 14, 34
    pw, ph = width - left - right, height - top - bottom
    n = len(table)
    ymax = float(table.to_numpy().max()) if table.size else 0.0
    ymax = ymax if ymax > 0 else 1.0

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph - ph * v / ymax

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nm-timeline" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-labelledby="nm-tl-title">',
        f'<title id="nm-tl-title">Posts per {unit} per stance group</title>',
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#ffffff" '
        'stroke="#dde1e6"/>',
    ]
    for frac in (0.0, 0.5, 1.0):
        v = ymax * frac
        yy = y(v)
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" '
                     'stroke="#eef0f3"/>')
        parts.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#59626d">{escape(_fmt(round(v, 1)))}</text>')
    ticks = sorted({0, n - 1, *range(0, n, max(1, n // 6))})
    for i in ticks:
        if i >= n:
            continue
        stamp = table.index[i]
        text = stamp.strftime("%Y-%m") if unit == "month" else stamp.strftime("%Y-%m-%d")
        anchor = "end" if i == n - 1 and n > 1 else ("start" if i == 0 and n > 1 else "middle")
        parts.append(f'<text x="{x(i):.1f}" y="{top + ph + 16}" text-anchor="{anchor}" '
                     f'font-size="11" fill="#59626d">{escape(text)}</text>')
    for col in table.columns:
        colour = colours.get(str(col), UNASSIGNED_COLOUR)
        values = table[col].to_numpy(dtype=float)
        label = labels.get(str(col), str(col)) if col else _UNASSIGNED
        if n == 1:
            parts.append(f'<circle cx="{x(0):.1f}" cy="{y(values[0]):.1f}" r="3" '
                         f'fill="{colour}"><title>{escape(label)}</title></circle>')
            continue
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'stroke-linejoin="round" points="{pts}"><title>{escape(label)}</title>'
                     '</polyline>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True)


_TOP_COLUMNS = {
    "influencers": ["key", "name", "platform", "group", "community", "pagerank", "indegree",
                    "reach", "cross_platform_reach"],
    "bridges": ["key", "name", "platform", "group", "community", "bridge_score", "betweenness",
                "cross_group_share", "n_groups_touched"],
}


def render_report(report: ReportData, view: ExportGraph, groups: Any = None) -> str:
    """The whole report page: the sections of ``report`` and the network view of ``view``."""
    from .base import _load_groups

    g = _load_groups(groups)
    labels = {r.group: r.label for r in report.groups.itertuples(index=False) if r.group}
    colours = {r.group: r.colour for r in report.groups.itertuples(index=False)}
    # Groups seen only in the graph (mixing matrix) still get a colour and label.
    extra = sorted({str(v) for v in report.mixing.index} - set(labels))
    if extra:
        _, more_labels, more_colours = _group_info(g, extra)
        labels.update(more_labels)
        colours.update({k: v for k, v in more_colours.items() if k not in colours})
    for t in report.top:
        for what in ("influencers", "bridges"):
            df = t[what]
            if "group" in df.columns:
                t[what] = df.assign(group=df["group"].map(
                    lambda v: labels.get(category_text(v), category_text(v))))
    order = [str(v) for v in report.groups["group"]]
    if not report.timeline.empty:
        # Groups in their configured order, accounts without one last.
        cols = [str(c) for c in report.timeline.columns]
        ranked = sorted(cols, key=lambda c: (c == "", order.index(c) if c in order else len(order), c))
        report.timeline = report.timeline[ranked]
    s = report.summary
    runs = s["runs"]
    runs_view = _table(runs, ["command", "inputs", "status", "started", "finished", "read",
                              "stored", "rejected"]) if isinstance(runs, pd.DataFrame) else (
        _table(None))
    view_page = render_html(view)
    env = _environment()
    template = env.get_template("report.html")
    page = template.render(
        r=report,
        version=__version__,
        csp=report_csp(),
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        title=clean_text(report.title),
        nodes=[(k, _fmt(v)) for k, v in sorted(s["nodes"].items())],
        relationships=[(k, _fmt(v)) for k, v in sorted(s["relationships"].items())],
        runs=runs_view,
        posts=_fmt(s["posts"]),
        dated=_fmt(s["dated_posts"]),
        first_post=s["first_post"] or "",
        last_post=s["last_post"] or "",
        groups=[{
            "label": row.label, "colour": row.colour, "accounts": _fmt(row.accounts),
            "share": f"{row.share:.1%}", "seed": _fmt(row.seed), "lexicon": _fmt(row.lexicon),
            "propagated": _fmt(row.propagated),
        } for row in report.groups.itertuples(index=False)],
        top=[{
            "label": t["label"], "colour": t["colour"],
            "influencers": _table(t["influencers"], _TOP_COLUMNS["influencers"]),
            "bridges": _table(t["bridges"], _TOP_COLUMNS["bridges"]),
        } for t in report.top],
        heatmap=_heatmap(report.mixing, labels, order),
        communities=_table(report.communities),
        timeline=timeline_svg(report.timeline, labels, colours),
        timeline_legend=[{"label": labels.get(c, c) if c else _UNASSIGNED,
                          "colour": colours.get(c, UNASSIGNED_COLOUR),
                          "posts": _fmt(int(report.timeline[c].sum()))}
                         for c in report.timeline.columns] if not report.timeline.empty else [],
        cascades=_table(report.cascades),
        cascades_source=report.cascades_source,
        carriers=_table(report.carriers) if report.carriers is not None else None,
        view_note=clean_text(view.note),
        view_html=view_page,
        notes=[clean_text(n) for n in report.notes],
    )
    check_report(page)
    return page


def check_report(page: str) -> None:
    """Refuse a report that would load anything or whose structure the data changed.

    The report page itself has no script; its one element that embeds
    anything is the view's ``<iframe srcdoc>``.
    """
    scan = _ReportScan()
    scan.feed(page)
    scan.close()
    problems = [f for f in scan.found if f != "<iframe>"]
    if problems:
        raise ExportError(f"HTML report would load resources: {problems[:3]}")
    if scan.scripts:
        raise ExportError("HTML report has script elements outside the view; refusing to write it")
    if scan.frames != 1 or scan.frame_src:
        raise ExportError("HTML report must embed exactly one srcdoc view; refusing to write it")


class _ReportScan(_PageScan):
    def __init__(self) -> None:
        super().__init__()
        self.frames = 0
        self.frame_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.frames += 1
            names = {n for n, _ in attrs}
            self.frame_src = self.frame_src or "src" in names or "srcdoc" not in names
        super().handle_starttag(tag, attrs)


class ReportExporter(Exporter):
    """One offline HTML file: dataset, groups, influencers, bridges, mixing, timeline, network."""

    name = "report"
    description = "offline HTML report: summary, groups, top accounts, mixing, timeline, network view"
    suffix = ".html"
    needs_layout = True
    reduce_modes = REDUCE_MODES

    def export(
        self,
        store: Store,
        out: str | Path,
        *,
        color_by: str = "stance",
        size_by: str = "pagerank",
        max_nodes: int | None = 2000,
        groups: Any = None,
        title: str | None = None,
        reduce: str = "top",
    ) -> ExportReport:
        """Write the report for ``store`` to ``out`` (parameters as :meth:`Exporter.export`)."""
        from ..analysis.project import actor_graph

        self.check_reduce(reduce)
        started = time.perf_counter()
        ag = actor_graph(store)
        data = prepare_graph(store, color_by=color_by, size_by=size_by, max_nodes=max_nodes,
                             groups=groups, title=title, layout=True, reduce=reduce, ag=ag)
        report = build_report(store, ag=ag, groups=groups, title=title)
        path = out_path(Path(out), self.suffix)
        atomic_write(path, render_report(report, data, groups))
        return self.report(data, [path], started)

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        raise ExportError("the report reads the store for its tables: use export(store, out)")
