"""Views at scale: export time and size, render time in Chromium, and plain pyvis as the anchor.

    .venv/bin/python benchmarks/views.py [--accounts 100000] [--interactions 10]
        [--max-nodes 2000] [--pyvis-big 20000] [--skip-store]
        [--out benchmarks/results/views.json] [--md benchmarks/RESULTS.md]

A planted campaign (``netmap.synth.generate_graph``: four stance groups,
hubs, bridges) is exported two ways:

* **store**: every interaction becomes a post in a SQLite store written
  through Batches (as collectors do), stance groups are stored on the
  accounts, and the exporters read the store (``actor_graph`` projection
  included in the export time);
* **frame**: the actor graph is built in memory from the interaction table
  and handed to ``prepare_graph(None, ag=..., accounts=...)``.

Each reduction (``top``, ``kcore``, ``communities``) is written as an HTML
view; each file is opened in headless Chromium (/usr/bin/chromium, any
request aborted and counted) and the time to the view's first drawing is read
from its ``netmap-drawn`` performance mark (milliseconds since navigation
start). On the 2,000-node view, typing a search and toggling a group filter
are timed inside the page up to the second animation frame after the event
(i.e. until the change is on screen).

Anchor: plain pyvis fed the same 2,000 accounts and ties through
``Network.add_node``/``add_edge`` with its defaults (physics on), and the
same at ``--pyvis-big`` accounts (ANCHORS.md measured pyvis at 20k); pyvis
pages reference a CDN, whose requests are aborted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("NETMAP_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KIND_TYPE = {"retweet": "share", "quote": "quote", "mention": "mention", "reply": "reply",
             "urlshare": "share", "comment": "comment", "bloglink": "link"}
TARGET_MB, TARGET_RENDER_S = 5.0, 5.0


# -- the graph -----------------------------------------------------------------


def synth(accounts: int, interactions: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The planted interactions (src, dst, type) and the accounts (key, platform, group...)."""
    from netmap.synth import generate_graph

    edges, truth = generate_graph(accounts, seed=seed, interactions_per_account=interactions)
    keys = list(edges["src"].cat.categories)
    group = truth["accounts"]
    acc = pd.DataFrame({"key": keys})
    acc["platform"] = acc["key"].str.split(":", n=1).str[0]
    acc["handle"] = acc["key"].str.split(":", n=1).str[1].str.rsplit("/", n=1).str[-1]
    acc["name"] = acc["handle"].str.title()
    acc["url"] = "https://example.org/" + acc["handle"].str.replace(" ", "-")
    acc["group"] = acc["key"].map(group)
    acc["group_source"] = "seed"
    acc["group_score"] = 1.0
    edges = edges.assign(type=edges["kind"].map(KIND_TYPE).astype(str))
    return edges, acc


def frame_actor_graph(edges: pd.DataFrame, acc: pd.DataFrame) -> Any:
    """The actor graph of the interactions, built in memory (no store)."""
    import igraph as ig

    from netmap.analysis.project import DEFAULT_WEIGHTS, INTERACTION_TYPES, ActorGraph

    src = edges["src"].cat.codes.to_numpy(np.int64)
    dst = edges["dst"].cat.codes.to_numpy(np.int64)
    keep = src != dst
    t = pd.Categorical(edges["type"], categories=list(INTERACTION_TYPES)).codes[keep]
    src, dst = src[keep], dst[keep]
    n = len(acc)
    pair = src * n + dst
    uniq, inv = np.unique(pair, return_inverse=True)
    counts = np.zeros((len(uniq), len(INTERACTION_TYPES)), dtype=np.int64)
    np.add.at(counts, (inv, t), 1)
    w = np.array([DEFAULT_WEIGHTS[x] for x in INTERACTION_TYPES])
    s, d = uniq // n, uniq % n
    plat = acc["platform"].to_numpy(dtype=object)
    frame = pd.DataFrame({"src": acc["key"].to_numpy(dtype=object)[s],
                          "dst": acc["key"].to_numpy(dtype=object)[d],
                          "source": s, "target": d, "weight": counts @ w,
                          "cross_platform": plat[s] != plat[d]})
    for i, x in enumerate(INTERACTION_TYPES):
        frame[f"n_{x}"] = counts[:, i]
    g = ig.Graph(n=n, edges=np.column_stack([s, d]).tolist(), directed=True)
    g.vs["name"] = acc["key"].tolist()
    g.vs["platform"] = acc["platform"].tolist()
    for c in frame.columns:
        if c not in ("src", "dst", "source", "target"):
            g.es[c] = frame[c].tolist()
    accounts = acc[["key", "platform", "handle", "name", "url", "group"]].copy()
    return ActorGraph(graph=g, accounts=accounts, edges=frame)


def write_store(path: Path, edges: pd.DataFrame, acc: pd.DataFrame, chunk: int = 100_000) -> float:
    """Every interaction as a post in a SQLite store (through Batches); returns seconds."""
    from netmap.model import Batch
    from netmap.store.sqlite import SQLiteStore

    started = time.perf_counter()
    store = SQLiteStore(path)
    run = store.begin_run("bench-views", [], {})
    keys = acc["key"].tolist()
    plats = acc["platform"].tolist()
    b = Batch(source="synth")
    for i, (k, p) in enumerate(zip(keys, plats, strict=True)):
        b.node("Account", k, platform=p, handle=acc["handle"].iat[i], name=acc["name"].iat[i],
               url=acc["url"].iat[i])
        b.node("Post", f"{p}:home{i}", platform=p, kind="post",
               created_at=f"2013-11-{1 + i % 10:02d}T08:00:00Z")
        b.edge("AUTHORED", "Account", k, "Post", f"{p}:home{i}")
        if len(b.nodes) >= chunk:
            b.ok()
            store.write_batch(b, run)
            b = Batch(source="synth")
    src = edges["src"].cat.codes.to_numpy()
    dst = edges["dst"].cat.codes.to_numpy()
    kinds = edges["kind"].astype(str).to_numpy()
    for j in range(len(src)):
        s, d, kind = int(src[j]), int(dst[j]), kinds[j]
        if s == d:
            continue
        p = plats[s]
        post = f"{p}:i{j}"
        b.node("Post", post, platform=p, kind="comment" if kind == "comment" else (
            "reply" if kind == "reply" else "post"), created_at=f"2013-11-{1 + j % 10:02d}T09:00:00Z")
        b.edge("AUTHORED", "Account", keys[s], "Post", post)
        home = f"{plats[d]}:home{d}"
        if kind in ("retweet", "urlshare"):
            b.edge("SHARES", "Post", post, "Post", home)
        elif kind == "quote":
            b.edge("QUOTES", "Post", post, "Post", home)
        elif kind in ("reply", "comment"):
            b.edge("REPLIES_TO", "Post", post, "Post", home)
        elif kind == "bloglink":
            b.edge("LINKS_TO", "Post", post, "Post", home)
        else:
            b.edge("MENTIONS", "Post", post, "Account", keys[d])
        if len(b.nodes) >= chunk:
            b.ok()
            store.write_batch(b, run)
            b = Batch(source="synth")
    b.ok()
    store.write_batch(b, run)
    store.set_props("Account", [(k, {"group": g, "group_source": "seed", "group_score": 1.0})
                                for k, g in zip(keys, acc["group"], strict=True)
                                if isinstance(g, str)])
    store.end_run(run, read=len(src), stored=len(src), rejected=0)
    store.close()
    return time.perf_counter() - started


# -- exporting -------------------------------------------------------------------


def export_frame(ag: Any, acc: pd.DataFrame, out: Path, reduce: str, max_nodes: int) -> dict:
    from netmap.export.base import prepare_graph
    from netmap.export.html import HtmlExporter

    t0 = time.perf_counter()
    data = prepare_graph(None, ag=ag, accounts=acc, max_nodes=max_nodes, reduce=reduce,
                         layout=True, title=f"synthetic campaign ({reduce})")
    t1 = time.perf_counter()
    HtmlExporter().write(data, out)
    t2 = time.perf_counter()
    return {"path": str(out), "prepare_s": round(t1 - t0, 2), "write_s": round(t2 - t1, 2),
            "export_s": round(t2 - t0, 2), "mb": round(out.stat().st_size / 1e6, 2),
            "nodes": len(data.nodes) if data.collapsed is None else len(data.collapsed.nodes),
            "banner": data.notes[0] if data.reduced and data.notes else "", "data": data}


def export_store(db: Path, out: Path, reduce: str, max_nodes: int, fmt: str = "html") -> dict:
    import netmap
    from netmap.export import get_exporter

    store = netmap.open_store(str(db))
    try:
        t0 = time.perf_counter()
        rep = get_exporter(fmt).export(store, out, max_nodes=max_nodes, reduce=reduce,
                                       title=f"synthetic campaign ({reduce}, from the store)")
        secs = time.perf_counter() - t0
    finally:
        store.close()
    return {"path": str(out), "export_s": round(secs, 2),
            "mb": round(rep.path.stat().st_size / 1e6, 2), "nodes": rep.nodes,
            "banner": rep.note.split("; ")[0] if rep.reduced else ""}


# -- Chromium ----------------------------------------------------------------------

# Counts vis-network's first drawing and stabilisation in pages we did not write (pyvis):
# pyvis assigns its Network to the global "network", which this accessor intercepts.
PYVIS_HOOK = """
(() => {
  let net;
  Object.defineProperty(window, 'network', {
    configurable: true,
    get() { return net; },
    set(v) {
      net = v;
      if (v && v.once) {
        v.once('afterDrawing', () => performance.mark('pyvis-drawn'));
        v.once('stabilizationIterationsDone', () => performance.mark('pyvis-stable'));
      }
    },
  });
})();
"""


def render(browser: Any, path: Path, *, pyvis: bool = False, timeout_s: float = 180,
           extrapolate: bool = True) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    blocked: list[str] = []
    errors: list[str] = []
    own = path.resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url == own or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if pyvis:
        page.add_init_script(PYVIS_HOOK)
    mark = "pyvis-drawn" if pyvis else "netmap-drawn"
    t0 = time.perf_counter()
    out: dict[str, Any] = {}
    try:
        # "commit": a page whose inline scripts block (pyvis' layout) never fires "load".
        page.goto(own, wait_until="commit", timeout=int(timeout_s * 1000))
        probe = f"() => performance.getEntriesByName('{mark}').length > 0"
        if pyvis:
            # A pyvis page may block its main thread for minutes: only Playwright's own
            # timeout can end the wait then.
            page.wait_for_function(probe, timeout=int(timeout_s * 1000), polling=100)
        # Our pages are polled from here: Playwright's in-page polling evaluates a string,
        # which the view's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
        while True:
            try:
                if page.evaluate(probe):
                    break
            except Exception as exc:  # noqa: BLE001
                # The probe may run in the document being replaced: try again in the new one.
                if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                    raise
            if time.perf_counter() - t0 > timeout_s:
                raise TimeoutError(f"no {mark} mark within {timeout_s:.0f} s")
            page.wait_for_timeout(50)
        out["wall_s"] = round(time.perf_counter() - t0, 2)
        out["first_draw_s"] = round(page.evaluate(
            f"performance.getEntriesByName('{mark}')[0].startTime") / 1000, 2)
        if not pyvis:
            out["script_start_s"] = round(page.evaluate(
                "performance.getEntriesByName('netmap-script-start')[0].startTime") / 1000, 2)
    except Exception as exc:  # noqa: BLE001 - a page that never draws is a result, not a crash
        out["first_draw_s"] = None
        out["note"] = f"no drawing within {timeout_s:.0f} s"
        out["error"] = str(exc).splitlines()[0][:200]
        if pyvis and extrapolate:
            # vis-network draws only after stabilising: extrapolate from the iterations done
            # (only where the page yields between iterations; a blocked page cannot answer).
            try:
                done, total = page.evaluate(
                    "[network.physics.stabilizationIterations, "
                    "network.physics.options.stabilization.iterations]")
                elapsed = time.perf_counter() - t0
                out["stabilisation"] = f"{done} of {total} iterations in {elapsed:.0f} s"
                if done:
                    out["first_draw_estimate_s"] = round(elapsed * total / done)
            except Exception:  # noqa: BLE001
                pass
    out["requests_blocked"] = len(blocked)
    out["page_errors"] = errors[:3]
    return {"ctx": ctx, "page": page, **out}


def render_isolated(path: Path, *, pyvis: bool, timeout_s: float, extrapolate: bool) -> dict:
    """:func:`render` in a child process that is killed when it overruns.

    A page that blocks its main thread (pyvis' layout of a big graph) can
    stall even the browser driver; only killing the process ends that.
    """
    import signal
    import subprocess

    cmd = [sys.executable, __file__, "--render-one", str(path), "--timeout", str(timeout_s)]
    if pyvis:
        cmd.append("--pyvis")
    if not extrapolate:
        cmd.append("--no-extrapolate")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout_s + 60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the child, its driver and its Chromium
        proc.communicate()
        return {"first_draw_s": None,
                "note": f"no drawing within {timeout_s:.0f} s (page unresponsive; killed)"}
    if proc.returncode != 0:
        return {"first_draw_s": None, "note": f"render failed: {err.strip()[-300:]}"}
    return json.loads(out.strip().splitlines()[-1])


def _render_one(path: str, pyvis: bool, timeout_s: float, extrapolate: bool) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            r = render(browser, Path(path), pyvis=pyvis, timeout_s=timeout_s,
                       extrapolate=extrapolate)
            print(json.dumps({k: v for k, v in r.items() if k not in ("ctx", "page")}))
        finally:
            browser.close()


INTERACT = """
async (what) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const t0 = performance.now();
  if (what.kind === 'search') {
    const box = document.getElementById('netmap-search');
    box.value = what.q;
    box.dispatchEvent(new Event('input'));
  } else {
    const box = document.querySelector(`#netmap-legend input[data-category='${what.i}']`);
    box.click();
  }
  await frame();
  return performance.now() - t0;
}
"""


def interactions(page: Any, repeat: int = 7) -> dict:
    """Median ms from a search keystroke / a filter click to the change on screen."""
    page.wait_for_timeout(1000)  # let the first drawing's follow-up work settle
    keys = page.evaluate("netmap.meta.info.slice(0, 50).map((d) => d.k)")
    search, filt = [], []
    for i in range(repeat):
        q = keys[(i * 7) % len(keys)]
        search.append(page.evaluate(INTERACT, {"kind": "search", "q": q[: max(3, len(q) - 2)]}))
        search.append(page.evaluate(INTERACT, {"kind": "search", "q": q}))
        filt.append(page.evaluate(INTERACT, {"kind": "filter", "i": 0}))
        filt.append(page.evaluate(INTERACT, {"kind": "filter", "i": 0}))
    return {"search_ms_median": round(statistics.median(search), 1),
            "search_ms_max": round(max(search), 1),
            "filter_ms_median": round(statistics.median(filt), 1),
            "filter_ms_max": round(max(filt), 1)}


# -- pyvis -------------------------------------------------------------------------


def pyvis_export(data: Any, out: Path) -> dict:
    """Plain pyvis through its API (add_node/add_edge, defaults) for the accounts of ``data``."""
    from pyvis.network import Network

    colours = data.colours()
    t0 = time.perf_counter()
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    names = data.nodes["name"].tolist() if "name" in data.nodes.columns else data.nodes["key"]
    for i, key in enumerate(data.nodes["key"].tolist()):
        net.add_node(key, label=str(names[i]), title=key, color=colours[i],
                     size=float(data.size[i]))
    for s, d, w in zip(data.edges["src"], data.edges["dst"], data.edges["weight"], strict=True):
        net.add_edge(s, d, value=float(w))
    t1 = time.perf_counter()
    html = net.generate_html()
    out.write_text(html, encoding="utf-8")
    t2 = time.perf_counter()
    return {"path": str(out), "build_s": round(t1 - t0, 2), "write_s": round(t2 - t1, 2),
            "export_s": round(t2 - t0, 2), "mb": round(out.stat().st_size / 1e6, 2),
            "nodes": len(net.nodes), "edges": len(net.edges)}


# -- the run -------------------------------------------------------------------------


def clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("data", "ctx", "page")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--interactions", type=float, default=10)
    ap.add_argument("--max-nodes", type=int, default=2000)
    ap.add_argument("--pyvis-big", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pyvis-timeout", type=float, default=600,
                    help="seconds to wait for plain pyvis to draw (a quarter of it at --pyvis-big)")
    ap.add_argument("--skip-store", action="store_true", help="only the in-memory path")
    ap.add_argument("--workdir", default=None, help="keep files here (default: a temp folder)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/views.json"))
    ap.add_argument("--md", default=str(ROOT / "benchmarks/RESULTS.md"))
    ap.add_argument("--render-one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=180, help=argparse.SUPPRESS)
    ap.add_argument("--pyvis", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-extrapolate", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.render_one:
        _render_one(args.render_one, args.pyvis, args.timeout, not args.no_extrapolate)
        return

    from playwright.sync_api import sync_playwright

    tmp = tempfile.TemporaryDirectory(prefix="netmap-views-") if not args.workdir else None
    work = Path(args.workdir or tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    # Other work on the machine skews timings: say how busy it was.
                    "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
        "params": {"accounts": args.accounts, "interactions_per_account": args.interactions,
                   "max_nodes": args.max_nodes, "pyvis_big": args.pyvis_big, "seed": args.seed},
    }

    t0 = time.perf_counter()
    edges, acc = synth(args.accounts, args.interactions, args.seed)
    res["synth_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    ag = frame_actor_graph(edges, acc)
    res["graph"] = {"accounts": ag.graph.vcount(), "ties": ag.graph.ecount(),
                    "interactions": len(edges), "build_s": round(time.perf_counter() - t0, 2)}
    print(f"graph: {res['graph']}", file=sys.stderr)

    frame: dict[str, dict] = {}
    for reduce in ("top", "kcore", "communities"):
        frame[reduce] = export_frame(ag, acc, work / f"frame-{reduce}.html", reduce,
                                     args.max_nodes)
        print(f"frame {reduce}: {clean(frame[reduce])}", file=sys.stderr)
    big = export_frame(ag, acc, work / f"frame-top{args.pyvis_big}.html", "top", args.pyvis_big)
    print(f"frame top {args.pyvis_big}: {clean(big)}", file=sys.stderr)

    store: dict[str, Any] = {}
    if not args.skip_store:
        db = work / "views.db"
        if db.exists():
            db.unlink()
        store["write_s"] = round(write_store(db, edges, acc), 1)
        store["db_mb"] = round(db.stat().st_size / 1e6, 1)
        print(f"store written: {store}", file=sys.stderr)
        for reduce in ("top", "kcore", "communities"):
            store[reduce] = export_store(db, work / f"store-{reduce}.html", reduce, args.max_nodes)
            print(f"store {reduce}: {store[reduce]}", file=sys.stderr)
        store["report"] = export_store(db, work / "store-report.html", "top", args.max_nodes,
                                       fmt="report")
        print(f"store report: {store['report']}", file=sys.stderr)

    pv = pyvis_export(frame["top"]["data"], work / f"pyvis-{args.max_nodes}.html")
    print(f"pyvis {args.max_nodes}: {pv}", file=sys.stderr)
    pv_big = pyvis_export(big["data"], work / f"pyvis-{args.pyvis_big}.html")
    print(f"pyvis {args.pyvis_big}: {pv_big}", file=sys.stderr)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, entry in [*((f"frame-{k}", v) for k, v in frame.items()),
                                (f"frame-top{args.pyvis_big}", big),
                                *((f"store-{k}", v) for k, v in store.items()
                                  if isinstance(v, dict) and "path" in v and k != "report")]:
                r = render(browser, Path(entry["path"]))
                entry["render"] = {k: v for k, v in r.items() if k not in ("ctx", "page")}
                if name == "frame-top":
                    entry["interaction"] = interactions(r["page"])
                r["ctx"].close()
                print(f"render {name}: {entry['render']} {entry.get('interaction', '')}",
                      file=sys.stderr)
        finally:
            browser.close()
    for entry, limit, extra in ((pv, args.pyvis_timeout, True),
                                (pv_big, args.pyvis_timeout / 4, False)):
        entry["render"] = render_isolated(Path(entry["path"]), pyvis=True, timeout_s=limit,
                                          extrapolate=extra)
        print(f"render pyvis {entry['nodes']}: {entry['render']}", file=sys.stderr)

    res["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    res["frame"] = {k: clean(v) for k, v in frame.items()}
    res["frame_big"] = clean(big)
    res["store"] = store
    res["pyvis"] = {str(args.max_nodes): pv, str(args.pyvis_big): pv_big}
    ours, theirs = frame["top"], pv
    res["ratios"] = {
        "pyvis_over_netmap_export_time_2000": round(theirs["export_s"] / ours["write_s"], 1),
        "pyvis_over_netmap_size_2000": round(theirs["mb"] / ours["mb"], 2),
        "pyvis_over_netmap_export_time_big": round(pv_big["export_s"] / big["write_s"], 1),
        "pyvis_over_netmap_size_big": round(pv_big["mb"] / big["mb"], 2),
    }
    for label, a, b in (("2000", ours, theirs), ("big", big, pv_big)):
        ra = a["render"].get("first_draw_s")
        rb = b["render"].get("first_draw_s") or b["render"].get("first_draw_estimate_s")
        res["ratios"][f"pyvis_over_netmap_first_draw_{label}"] = (
            round(rb / ra, 1) if ra and rb else None)
        res["ratios"][f"pyvis_first_draw_{label}_estimated"] = (
            b["render"].get("first_draw_s") is None and rb is not None)
    top_store = store.get("top", {})
    res["targets"] = {
        "html_under_5_mb": all(v["mb"] < TARGET_MB for v in frame.values())
        and all(v["mb"] < TARGET_MB for k, v in store.items()
                if k in ("top", "kcore", "communities")),
        "render_under_5_s": all((v["render"].get("first_draw_s") or 1e9) < TARGET_RENDER_S
                                for v in [*frame.values(),
                                          *(store[k] for k in ("top", "kcore", "communities")
                                            if k in store)]),
        "store_top_export_s": top_store.get("export_s"),
    }
    for v in [*frame.values(), big, pv, pv_big, *(x for x in store.values() if isinstance(x, dict))]:
        v.pop("path", None)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    append_markdown(Path(args.md), res)
    print(json.dumps(res["ratios"], indent=2))
    print(json.dumps(res["targets"], indent=2))
    if tmp is not None:
        tmp.cleanup()


def _ratio(x: float | None) -> str:
    return f"{x}x" if x is not None else "n/a (pyvis did not draw in time)"


def append_markdown(path: Path, res: dict) -> None:
    """Replace this benchmark's section of RESULTS.md (other sections are left alone)."""
    start, end = "<!-- views:start -->", "<!-- views:end -->"
    p = res["params"]
    g = res["graph"]
    lines = [
        start,
        "## Views at scale (benchmarks/views.py)",
        "",
        f"Planted campaign: {g['accounts']:,} accounts, {g['interactions']:,} interactions, "
        f"{g['ties']:,} ties (synth {res['synth_s']} s, actor graph in memory "
        f"{g['build_s']} s). Views reduced to --max-nodes {p['max_nodes']:,}; Chromium "
        "headless, first drawing from the page's performance mark. Load average during the "
        f"run: {res['machine']['loadavg_start'][0]} at start, "
        f"{res['machine']['loadavg_end'][0]} at the end ({res['machine']['cpus']} CPUs; other "
        "jobs shared the machine, so times are upper bounds).",
        "",
        "| path | reduce | shown | export s | MB | first draw s |",
        "|---|---|---|---|---|---|",
    ]

    def row(path: str, reduce: str, e: dict) -> str:
        r = e.get("render", {})
        fd = r.get("first_draw_s")
        return (f"| {path} | {reduce} | {e['nodes']:,} | {e['export_s']} | {e['mb']} | "
                f"{fd if fd is not None else r.get('note', '-')} |")

    for reduce, e in res["frame"].items():
        lines.append(row("in memory", reduce, e))
    lines.append(row("in memory", f"top {p['pyvis_big']:,}", res["frame_big"]))
    store = res.get("store") or {}
    for reduce in ("top", "kcore", "communities"):
        if reduce in store:
            lines.append(row("SQLite store", reduce, store[reduce]))
    if "report" in store:
        lines.append(row("SQLite store", "report (top)", store["report"]))
    if store:
        lines += ["", f"Store written through Batches in {store['write_s']} s "
                      f"({store['db_mb']} MB); store export times include the actor-graph "
                      "projection."]
    top = res["frame"]["top"]
    it = top.get("interaction", {})
    lines += [
        "",
        f"{p['max_nodes']:,}-node view: search keystroke to screen "
        f"{it.get('search_ms_median')} ms median "
        f"(max {it.get('search_ms_max')}), group filter {it.get('filter_ms_median')} ms median "
        f"(max {it.get('filter_ms_max')}).",
        "",
        "| plain pyvis (add_node/add_edge, defaults) | nodes | build+write s | MB | first draw s |",
        "|---|---|---|---|---|",
    ]
    for n, e in res["pyvis"].items():
        r = e.get("render", {})
        fd = r.get("first_draw_s")
        if fd is None and r.get("first_draw_estimate_s"):
            fd = (f"~{r['first_draw_estimate_s']} (extrapolated: {r.get('stabilisation')}; "
                  "vis-network draws after stabilising)")
        lines.append(f"| pyvis | {int(n):,} | {e['export_s']} | {e['mb']} | "
                     f"{fd if fd is not None else r.get('note', '-')} |")
    ra = res["ratios"]
    lines += [
        "",
        "Ratios pyvis / netmap (same accounts and ties; netmap write time only; a first-draw "
        "ratio from an extrapolated pyvis time is marked in views.json): "
        f"{p['max_nodes']:,} nodes: time {ra['pyvis_over_netmap_export_time_2000']}x, size "
        f"{ra['pyvis_over_netmap_size_2000']}x, first draw "
        f"{_ratio(ra['pyvis_over_netmap_first_draw_2000'])}; {p['pyvis_big']:,} nodes: time "
        f"{ra['pyvis_over_netmap_export_time_big']}x, size {ra['pyvis_over_netmap_size_big']}x, "
        f"first draw {_ratio(ra['pyvis_over_netmap_first_draw_big'])}.",
        f"Targets: every view under {TARGET_MB:g} MB: {res['targets']['html_under_5_mb']}; "
        f"first draw under {TARGET_RENDER_S:g} s: {res['targets']['render_under_5_s']}.",
        end,
    ]
    section = "\n".join(lines) + "\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section.rstrip("\n") + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
