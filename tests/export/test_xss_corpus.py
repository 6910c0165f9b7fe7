"""The XSS corpus (xss_payloads.txt) in every field, through the view, the report and the files.

Payloads sit in account keys, names, handles, profile URLs, bios, platforms,
post titles, stance group names (stored on accounts), group labels (from a
groups.yaml and from a groups object whose names and colours are hostile
too), group evidence, group sources, community ids and the collection run.
Statically, no payload may add an element, a script or a reference to the
pages; in Chromium, none may run (a dialog, or the window flag the payloads
set, in any frame) or make a request, while the tests use every part of the
page that shows data: details of each account, tooltips, search, filters and
the community views.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from browsing import Watched
from exportdata import (
    HostileGroups,
    build_hostile_store,
    hostile_communities,
    hostile_groups_yaml,
    load_payloads,
)
from lxml import etree

from netmap.errors import StanceError
from netmap.export import get_exporter
from netmap.export.base import clean_text
from netmap.export.html import PAGE_SCRIPTS, count_scripts, find_remote_references

PAYLOADS = load_payloads()
SCHEMA = Path(__file__).with_name("schema") / "gexf.xsd"
REMOTE_ATTR = re.compile(r"""\b(?:src|href|action|data)\s*=\s*["']?\s*(?:https?:|javascript:)?//""",
                         re.IGNORECASE)
SCRIPT_BODY = re.compile(r"(<script\b[^>]*>).*?</script>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    store = build_hostile_store(folder / "h.db", PAYLOADS)
    yield store, folder
    store.close()


@pytest.fixture(scope="module")
def hostile_comm(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_comm")
    store = build_hostile_store(folder / "c.db", PAYLOADS)
    hostile_communities(store, PAYLOADS)
    yield store, folder
    store.close()


def markup_only(page: str) -> str:
    return "\n".join(TAG.findall(SCRIPT_BODY.sub(r"\1</script>", page)))


def srcdoc_of(page: str) -> str:
    """The page embedded in the report's iframe (the attribute value, unescaped)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Frames(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "iframe":
                found.append(dict(attrs).get("srcdoc") or "")

    Frames(convert_charrefs=True).feed(page)
    assert len(found) == 1
    return found[0]


def assert_inert(page: str, scripts: int, frames: int = 0) -> None:
    assert count_scripts(page) == scripts
    assert find_remote_references(page) == ["<iframe>"] * frames
    if not frames:
        # A second, cruder look at every tag (a srcdoc attribute holds a page as text).
        assert not REMOTE_ATTR.search(markup_only(page))
    for p in PAYLOADS:
        if any(ch in p for ch in "<>"):
            assert p not in page, p


def test_corpus_covers_the_classic_vectors():
    assert len(PAYLOADS) >= 60
    text = "\n".join(PAYLOADS)
    for needle in ("<script>", "onerror=", "javascript:", "</script>", "<svg onload", "expression(",
                   "data:text/html", "${", "\u2028", "\u2029", "\x00", "<iframe srcdoc",
                   "style=", "@import"):
        assert needle in text, needle


def test_hostile_group_names_and_colours_never_load(tmp_path):
    """groups.yaml validates names and colours; only labels (free text) carry payloads."""
    from netmap.stance import load_groups

    path = hostile_groups_yaml(tmp_path / "groups.yaml", PAYLOADS)
    groups = load_groups(path)
    assert groups.label("camp_a") == PAYLOADS[0]
    bad_name = path.read_text(encoding="utf-8").replace("name: camp_b", "name: '<b>x</b>'")
    (tmp_path / "bad1.yaml").write_text(bad_name, encoding="utf-8")
    with pytest.raises(StanceError, match="'name' must be letters"):
        load_groups(tmp_path / "bad1.yaml")
    bad_colour = path.read_text(encoding="utf-8").replace(
        "'#228833'", "'red;background:url(//127.0.0.1:9/x)'")
    (tmp_path / "bad2.yaml").write_text(bad_colour, encoding="utf-8")
    with pytest.raises(StanceError, match="'colour' must be a hex colour"):
        load_groups(tmp_path / "bad2.yaml")


GROUPS = ["yaml", "object"]


def groups_for(kind: str, folder: Path):
    if kind == "yaml":
        return hostile_groups_yaml(folder / "groups.yaml", PAYLOADS)
    return HostileGroups(PAYLOADS)


@pytest.mark.parametrize("groups", GROUPS)
@pytest.mark.parametrize("reduce", ["top", "kcore"])
def test_view_is_inert(hostile, groups, reduce):
    store, folder = hostile
    report = get_exporter("html").export(
        store, folder / f"v-{groups}-{reduce}.html", title=PAYLOADS[0], max_nodes=40,
        reduce=reduce, groups=groups_for(groups, folder))
    page = report.path.read_text(encoding="utf-8")
    assert_inert(page, PAGE_SCRIPTS)
    meta = json.loads(re.search(r'id="netmap-meta">(.*?)</script>', page, re.DOTALL).group(1))
    # Hostile colours never reach the page: every colour is #rrggbb.
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c["colour"]) for c in meta["categories"])
    labels = {c["label"] for c in meta["categories"]}
    if groups == "yaml":
        assert PAYLOADS[0] in labels  # shown as text, intact
    else:
        assert PAYLOADS[8] in labels


def test_collapsed_view_is_inert(hostile_comm):
    store, folder = hostile_comm
    report = get_exporter("html").export(
        store, folder / "collapsed.html", max_nodes=20, reduce="communities",
        groups=hostile_groups_yaml(folder / "groups.yaml", PAYLOADS))
    page = report.path.read_text(encoding="utf-8")
    assert report.reduced and report.reduce == "communities"
    assert_inert(page, PAGE_SCRIPTS)
    views = json.loads(re.search(r'id="netmap-views">(.*?)</script>', page, re.DOTALL).group(1))
    assert {v["community"] for v in views} <= set(PAYLOADS[:6])
    assert any("<" in v["community"] for v in views)


@pytest.mark.parametrize("groups", GROUPS)
def test_report_is_inert(hostile, groups):
    store, folder = hostile
    report = get_exporter("report").export(
        store, folder / f"r-{groups}.html", title=PAYLOADS[1], groups=groups_for(groups, folder))
    page = report.path.read_text(encoding="utf-8")
    # The report page itself has no script: the view's scripts live in the srcdoc.
    assert_inert(page, 0, frames=1)
    assert page.count("<iframe") == 1
    assert_inert(srcdoc_of(page), PAGE_SCRIPTS)
    assert "<svg" in page  # the timeline was drawn, with payload labels escaped inside
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert not re.search(r"<(?!/?(svg|title|rect|line|text|polyline|circle)\b)", svg)


def test_gephi_and_tables_carry_payloads_as_data(hostile):
    store, folder = hostile
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    gexf = get_exporter("gexf").export(store, folder / "h.gexf", max_nodes=None)
    doc = etree.parse(str(gexf.path))
    assert schema.validate(doc), schema.error_log
    g = nx.read_gexf(gexf.path)
    names = {d.get("name") for _, d in g.nodes(data=True)}
    assert {clean_text(p) for p in PAYLOADS} <= names
    graphml = get_exporter("graphml").export(store, folder / "h.graphml", max_nodes=None)
    assert {clean_text(p) for p in PAYLOADS} <= {
        d.get("name") for _, d in nx.read_graphml(graphml.path).nodes(data=True)}
    js = get_exporter("json").export(store, folder / "h.json", max_nodes=None)
    data = json.loads(js.path.read_text(encoding="utf-8"))
    assert {clean_text(p) for p in PAYLOADS} <= {n.get("name") for n in data["nodes"]}


# -- in Chromium -------------------------------------------------------------------


def exercise_view(frame, page_mouse=None) -> int:
    """Use every part of a view that shows data; returns the accounts looked at."""
    seen = 0
    views = frame.evaluate("netmap.views.length")
    for v in range(views):
        frame.evaluate("(v) => netmap.show(v)", v)
        n = frame.evaluate("netmap.views[netmap.view()].info.length")
        for i in range(n):
            frame.evaluate("(i) => netmap.select(i)", i)
            seen += 1
        # Tooltips: hover the first few nodes through vis-network's own event.
        frame.evaluate(
            """() => {
                const ids = netmap.nodes.getIds().slice(0, 8);
                for (const id of ids) {
                    const p = network.canvasToDOM(network.getPositions([id])[id]);
                    network.body.emitter.emit('hoverNode', {node: id, pointer: {DOM: p}});
                }
            }""")
    frame.evaluate("netmap.show(0)")
    for box in frame.query_selector_all("#netmap-legend input[type=checkbox]"):
        box.uncheck()
        box.check()
    for p in PAYLOADS[:12]:
        frame.fill("#netmap-search", p)
        frame.press("#netmap-search", "Enter")
    return seen


@pytest.mark.browser
def test_view_runs_no_payload_in_chromium(hostile, chromium):
    store, folder = hostile
    report = get_exporter("html").export(
        store, folder / "b-view.html", title=PAYLOADS[0],
        groups=hostile_groups_yaml(folder / "groups.yaml", PAYLOADS))
    w = Watched(chromium, report.path)
    try:
        w.open()
        assert exercise_view(w.page) == len(PAYLOADS)
        assert w.page.evaluate("document.scripts.length") == PAGE_SCRIPTS
        assert w.page.evaluate(
            "document.querySelectorAll('#netmap-details img, #netmap-details iframe, "
            "#netmap-tooltip img, #netmap-legend img, #netmap-legend iframe').length") == 0
        w.page.wait_for_timeout(300)
        w.assert_clean()
    finally:
        w.close()


@pytest.mark.browser
def test_collapsed_view_runs_no_payload_in_chromium(hostile_comm, chromium):
    store, folder = hostile_comm
    report = get_exporter("html").export(store, folder / "b-coll.html", max_nodes=20,
                                         reduce="communities", groups=HostileGroups(PAYLOADS))
    w = Watched(chromium, report.path)
    try:
        w.open()
        assert w.page.evaluate("netmap.views.length") > 2
        exercise_view(w.page)
        w.page.wait_for_timeout(300)
        w.assert_clean()
    finally:
        w.close()


@pytest.mark.browser
def test_report_runs_no_payload_in_chromium(hostile, chromium):
    store, folder = hostile
    report = get_exporter("report").export(
        store, folder / "b-report.html", title=PAYLOADS[1],
        groups=hostile_groups_yaml(folder / "groups.yaml", PAYLOADS))
    w = Watched(chromium, report.path, viewport=(1280, 900))
    try:
        w.open(ready="")
        page = w.page
        # The report itself: the payload texts are shown as text.
        assert PAYLOADS[0] in page.inner_text("#groups")  # a group label
        assert page.evaluate("document.scripts.length") == 0
        page.locator("iframe.rp-view").scroll_into_view_if_needed()
        frame = page.frame_locator("iframe.rp-view")
        frame.locator("body[data-netmap-ready='1']").wait_for(timeout=60_000)
        view = next(f for f in page.frames if f.url == "about:srcdoc")
        exercise_view(view)
        page.wait_for_timeout(300)
        w.assert_clean()
    finally:
        w.close()
