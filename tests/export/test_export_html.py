"""The HTML view without a browser: offline, escaped, reduced, styled."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest
from exportdata import (
    HOSTILE_STRINGS,
    XSS_BREAKOUT,
    XSS_IMG,
    XSS_JS_URL,
    XSS_SCRIPT,
    build_big_store,
)

from netmap.analysis.project import actor_graph
from netmap.errors import UsageError
from netmap.export import get_exporter
from netmap.export.html import (
    CSP,
    PAGE_SCRIPTS,
    count_scripts,
    find_remote_references,
    script_json,
)

JSON_BLOCK = re.compile(
    r'<script type="application/json" id="(netmap-[a-z]+)">(.*?)</script>', re.DOTALL
)
# What the brief asks to be absent: src=/href= pointing at http(s) or protocol-relative URLs.
REMOTE_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def export_html(store, tmp_path: Path, **kw) -> tuple[str, dict]:
    report = get_exporter("html").export(store, tmp_path / "view.html", **kw)
    page = report.path.read_text(encoding="utf-8")
    return page, {"report": report, **{m.group(1): json.loads(m.group(2))
                                       for m in JSON_BLOCK.finditer(page)}}


SCRIPT_BODY = re.compile(r"(<script\b[^>]*>).*?</script>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>")


def markup_only(page: str) -> str:
    """Every tag of the page (script bodies and text left out): where references live.

    Escaped text cannot hold a '<', so every tag found here is a real element.
    """
    return "\n".join(TAG.findall(SCRIPT_BODY.sub(r"\1</script>", page)))


def test_page_is_offline(small_store, tmp_path):
    page, _ = export_html(small_store, tmp_path)
    assert find_remote_references(page) == []
    assert not REMOTE_ATTR.search(markup_only(page))
    for cdn in ("cdnjs", "jsdelivr", "bootstrap", "unpkg", "<link"):
        assert cdn not in page.lower()
    # The policy comes before any script or style so it governs all of them.
    head = page[: page.index("<style>")]
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', head)
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in html.unescape(m.group(1)).split(";") if d.strip()
    )
    assert policy["default-src"] == ["'none'"] and policy["img-src"] == ["data:"]
    assert policy["style-src"] == ["'unsafe-inline'"] and policy["base-uri"] == ["'none'"]
    # The page's two executable scripts are allowed by hash, so browsers that know
    # hashes run nothing else (no injected script, no onerror= handler).
    bodies = [b for b in re.findall(r"<script>(.*?)</script>", page, re.DOTALL)]
    assert len(bodies) == 2
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in bodies
    ]
    assert policy["script-src"] == [*hashes, "'unsafe-inline'"]
    assert "default-src 'none'" in CSP
    # vis-network is inlined from pyvis' own copy.
    assert "vis-network" in page and len(page) > 400_000


def test_hostile_strings_never_become_markup(small_store, tmp_path):
    page, blocks = export_html(small_store, tmp_path, title=f"Title {XSS_SCRIPT}")
    for payload in (XSS_SCRIPT, XSS_IMG, XSS_BREAKOUT, "<b>bold group</b>", "onerror=alert(1)>"):
        assert payload not in page, payload
    assert "alert(2)</script>" not in page
    # Exactly the page's own script elements: nothing in the data opened another one.
    assert count_scripts(page) == PAGE_SCRIPTS
    assert "Title &lt;script&gt;alert(1)&lt;/script&gt;" in page
    # ... while the data itself arrives intact for textContent.
    info = {d["k"]: d for d in blocks["netmap-meta"]["info"]}
    assert info["twitter:evil1"]["n"] == XSS_SCRIPT
    assert info["twitter:evil1"]["ev"] == XSS_BREAKOUT
    assert info["twitter:evil2"]["n"] == XSS_IMG
    assert XSS_BREAKOUT in info["blog:other.example"]["n"]
    assert "\u2028" in info["blog:other.example"]["n"]
    labels = [c["label"] for c in blocks["netmap-meta"]["categories"]]
    assert "<b>bold group</b>" in labels


def test_only_http_profile_links(small_store, tmp_path):
    page, blocks = export_html(small_store, tmp_path)
    info = {d["k"]: d for d in blocks["netmap-meta"]["info"]}
    assert info["twitter:evil1"]["u"] == "https://twitter.com/evil1"
    assert "u" not in info["twitter:evil2"]  # javascript: URL
    assert "u" not in info["twitter:remote"]  # protocol-relative URL
    assert XSS_JS_URL not in page


def test_json_blocks_escape_everything_that_could_close_them():
    text = str(script_json({"a": "</script><!-- & \u2028\u2029 >"}))
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_styling_shapes_colours_and_ties(small_store, tmp_path):
    _, blocks = export_html(small_store, tmp_path)
    meta, nodes, edges = blocks["netmap-meta"], blocks["netmap-nodes"], blocks["netmap-edges"]
    info = meta["info"]
    by_key = {d["k"]: (d, nodes[i]) for i, d in enumerate(info)}
    assert [n["id"] for n in nodes] == list(range(len(nodes)))
    assert by_key["twitter:evil1"][1]["shape"] == "dot"
    assert by_key["blog:other.example"][1]["shape"] == "square"
    assert by_key["telegram:chan"][1]["shape"] == "triangle"
    # Colour by stance group: both critics share a colour, unassigned accounts are grey.
    assert by_key["twitter:evil1"][1]["color"] == by_key["blog:other.example"][1]["color"]
    assert by_key["twitter:evil1"][1]["color"] != by_key["blog:nigoh.example/nigoh"][1]["color"]
    # Legend entries are keyed by group name and show the groups.yaml label.
    cats = {c["value"]: c for c in meta["categories"]}
    assert cats["critic"]["count"] == 2 and cats[""]["count"] == 2
    assert cats["critic"]["label"] == "Critics" and cats["supporter"]["label"] == "Supporters"
    assert cats[""]["label"] == "unassigned"
    assert cats["<b>bold group</b>"]["label"] == "<b>bold group</b>"  # undeclared: name shown
    # Size follows PageRank.
    assert by_key["blog:nigoh.example/nigoh"][1]["size"] > by_key["twitter:remote"][1]["size"]
    # Positions are precomputed; small graphs keep physics.
    assert all("x" in n and "y" in n for n in nodes)
    assert blocks["netmap-options"]["physics"]["enabled"] is True
    # Cross-platform ties are dashed and coloured; others are not.
    dashed = [e for e in edges if e.get("dashes")]
    assert len(dashed) == meta["crossEdges"] == 3
    # Tie colour: the tie's dominant interaction type (the page colours by meta.et).
    types = [t["name"] for t in meta["types"]]
    assert len(meta["et"]) == len(edges)
    kind = {(info[e["from"]]["k"], info[e["to"]]["k"]): types[t]
            for e, t in zip(edges, meta["et"], strict=True)}
    assert kind[("twitter:evil1", "blog:nigoh.example/nigoh")] == "share"
    assert kind[("blog:other.example", "blog:nigoh.example/nigoh")] == "reply"
    assert kind[("twitter:remote", "twitter:evil1")] == "mention"
    assert kind[("twitter:evil2", "twitter:evil1")] == "quote"
    assert len({t["colour"] for t in meta["types"]}) == len(types)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", t["colour"]) for t in meta["types"])
    assert len(edges) == 6 and all(1 <= e["width"] <= 8 for e in edges)
    assert {p["name"] for p in meta["platforms"]} == {"twitter", "blog", "telegram"}
    # No vis-network titles: vis renders string titles as HTML.
    assert not any("title" in n for n in nodes)


def test_colour_by_community_and_size_by_other_metrics(small_store, tmp_path):
    _, blocks = export_html(small_store, tmp_path, color_by="community", size_by="indegree")
    meta = blocks["netmap-meta"]
    assert meta["colorBy"] == "community"
    labels = {c["label"] for c in meta["categories"]}
    assert {"community 0", "community 1", "no community"} <= labels
    assert "indegree computed" in blocks["report"].note
    info = {d["k"]: d for d in meta["info"]}
    g = actor_graph(small_store).graph
    blog = g.vs.find(name="blog:nigoh.example/nigoh").index
    assert g.strength(blog, mode="in", weights="weight") > 0
    assert info["blog:nigoh.example/nigoh"]["m"] == pytest.approx(
        g.strength(blog, mode="in", weights="weight"))


def test_groups_object_sets_colours_and_labels(small_store, tmp_path):
    class Groups:
        names = ["supporter", "critic", "boycott", "neutral"]

        def colour(self, name):
            return {"supporter": "#123456", "critic": "#abc", "boycott": "javascript:x"}.get(name)

        def label(self, name):
            return name.title()

    _, blocks = export_html(small_store, tmp_path, groups=Groups())
    cats = blocks["netmap-meta"]["categories"]
    assert [c["label"] for c in cats[:2]] == ["Supporter", "Critic"]  # configured order
    assert cats[0]["colour"] == "#123456" and cats[1]["colour"] == "#aabbcc"
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c["colour"]) for c in cats)


def test_unknown_metric_or_colour_column_is_a_usage_error(small_store, tmp_path):
    with pytest.raises(UsageError, match="cannot size by 'nope'"):
        get_exporter("html").export(small_store, tmp_path / "x.html", size_by="nope")
    with pytest.raises(UsageError, match="cannot size by 'name'"):
        get_exporter("html").export(small_store, tmp_path / "x.html", size_by="name")
    with pytest.raises(UsageError, match="cannot colour by 'nope'"):
        get_exporter("html").export(small_store, tmp_path / "x.html", color_by="nope")
    assert not (tmp_path / "x.html").exists()


def test_reduction_keeps_top_accounts_and_says_so(small_store, tmp_path):
    page, blocks = export_html(small_store, tmp_path, max_nodes=3)
    report = blocks["report"]
    assert report.reduced and report.nodes == 3 and report.total_nodes == 6
    keys = {d["k"] for d in blocks["netmap-meta"]["info"]}
    assert keys == {"blog:nigoh.example/nigoh", "twitter:evil1", "blog:other.example"}
    assert '<p id="netmap-banner" class="nm-banner" role="status">showing 3 of 6 accounts, top by pagerank</p>' in page
    # Only ties among the kept accounts.
    assert len(blocks["netmap-edges"]) == 2
    cats = {c["value"]: c for c in blocks["netmap-meta"]["categories"]}
    assert cats["critic"]["count"] == 2 and cats["supporter"]["total"] == 1
    assert cats[""]["count"] == 0 and cats[""]["total"] == 2


def test_output_folder_gets_default_name(small_store, tmp_path):
    report = get_exporter("html").export(small_store, tmp_path)
    assert report.path == tmp_path / "netmap.html" and report.path.is_file()
    assert not list(tmp_path.glob(".*.tmp"))


def test_big_graph_reduced_with_physics_off(tmp_path):
    store = build_big_store(tmp_path / "big.db", 1500)
    try:
        page, blocks = export_html(store, tmp_path, max_nodes=800)
    finally:
        store.close()
    assert blocks["report"].reduced
    assert "showing 800 of 1,500 accounts, top by pagerank" in page
    assert len(blocks["netmap-nodes"]) == 800
    assert blocks["netmap-options"]["physics"]["enabled"] is False
    assert blocks["netmap-options"]["edges"]["smooth"]["enabled"] is False
    labelled = [n for n in blocks["netmap-nodes"] if "label" in n]
    assert 0 < len(labelled) <= 60
    xs = [n["x"] for n in blocks["netmap-nodes"]]
    assert max(xs) - min(xs) > 500  # spread out, not piled at the origin
    assert find_remote_references(page) == []


@pytest.mark.parametrize("payload", HOSTILE_STRINGS)
def test_payload_in_every_field_is_escaped(tmp_path, payload):
    from netmap.model import Batch
    from netmap.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "p.db")
    try:
        run = store.begin_run("t", [], {})
        b = Batch(source=payload)
        b.node("Account", "twitter:x", platform=payload, handle=payload, name=payload, url=payload)
        b.node("Account", "twitter:y", platform="twitter", handle="y")
        b.node("Post", "twitter:1", platform="twitter")
        b.node("Post", "twitter:2", platform="twitter")
        b.edge("AUTHORED", "Account", "twitter:x", "Post", "twitter:1")
        b.edge("AUTHORED", "Account", "twitter:y", "Post", "twitter:2")
        b.edge("SHARES", "Post", "twitter:2", "Post", "twitter:1")
        store.write_batch(b, run)
        store.set_props("Account", [("twitter:x", {
            "group": payload, "group_source": payload, "group_evidence": payload,
            "community": payload, "pagerank": 0.5})])
        page, _ = export_html(store, tmp_path, title=payload, color_by="community")
    finally:
        store.close()
    assert count_scripts(page) == PAGE_SCRIPTS
    assert find_remote_references(page) == []
    assert not REMOTE_ATTR.search(markup_only(page))
    assert payload not in page


def test_kcore_reduction_keeps_a_core(tmp_path):
    from netmap.export.base import kcore_numbers

    store = build_big_store(tmp_path / "big.db", 1500)
    try:
        page, blocks = export_html(store, tmp_path, max_nodes=500, reduce="kcore")
        g = actor_graph(store).graph
    finally:
        store.close()
    report = blocks["report"]
    assert report.reduced and report.reduce == "kcore" and 0 < report.nodes <= 500
    core = kcore_numbers(g)
    m = re.search(r"showing the (\d+)-core: ([\d,]+) of 1,500 accounts", page)
    k, shown = int(m.group(1)), int(m.group(2).replace(",", ""))
    # Exactly the k-core, and the smallest k whose core fits.
    assert shown == report.nodes == int((core >= k).sum())
    assert int((core >= k - 1).sum()) > 500
    names = g.vs["name"]
    assert {d["k"] for d in blocks["netmap-meta"]["info"]} == {
        names[i] for i in range(len(names)) if core[i] >= k}


def test_kcore_falls_back_to_top_of_innermost_core(tmp_path):
    store = build_big_store(tmp_path / "big.db", 1500)
    try:
        page, blocks = export_html(store, tmp_path, max_nodes=5, reduce="kcore")
    finally:
        store.close()
    assert blocks["report"].nodes == 5
    assert re.search(r"showing 5 of 1,500 accounts: the top by pagerank in the \d+-core", page)


def test_communities_reduction_collapses_and_embeds_drill_downs(tmp_path):
    store = build_big_store(tmp_path / "big.db", 1500)
    try:
        page, blocks = export_html(store, tmp_path, max_nodes=100, reduce="communities",
                                   color_by="stance")
    finally:
        store.close()
    report = blocks["report"]
    assert report.reduced and report.reduce == "communities"
    meta, nodes = blocks["netmap-meta"], blocks["netmap-nodes"]
    assert meta["mode"] == "communities" and len(nodes) == report.nodes == 12
    info = meta["info"]
    assert sum(d["sz"] for d in info) == 1500
    assert all(d["k"].startswith("community:") and d["gm"] and d["top"] for d in info)
    assert "1,500 accounts in 12 communities" in page
    # One drill-down per community, together at most 2 x max_nodes members.
    views = blocks["netmap-views"]
    assert len(views) == 12 and sum(len(v["info"]) for v in views) <= 200
    for v in views:
        assert {d["c"] for d in v["info"]} == {v["community"]}
        assert len(v["et"]) == len(v["edges"]) and all("x" in n for n in v["nodes"])
        assert v["banner"].startswith(f"community {v['community']}: showing ")
    # Ties between communities are summed; none loops back to its own community.
    assert blocks["netmap-edges"] and all(e["from"] != e["to"] for e in blocks["netmap-edges"])
    assert report.edges == len(blocks["netmap-edges"])
    # Community filter entries follow the super-nodes.
    assert len(meta["communities"]) == 12


def test_small_graph_is_not_collapsed(small_store, tmp_path):
    _, blocks = export_html(small_store, tmp_path, reduce="communities")
    assert not blocks["report"].reduced and blocks["netmap-meta"]["mode"] == "accounts"
    assert blocks["netmap-views"] == []


def test_communities_are_computed_when_not_stored(tmp_path):
    from netmap.model import Batch
    from netmap.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "nocomm.db")
    try:
        run = store.begin_run("t", [], {})
        b = Batch(source="t")
        # Two cliques of 8 joined by one tie.
        for c in range(2):
            for i in range(8):
                b.node("Account", f"twitter:c{c}a{i}", platform="twitter", handle=f"c{c}a{i}")
                b.node("Post", f"twitter:c{c}p{i}", platform="twitter")
                b.edge("AUTHORED", "Account", f"twitter:c{c}a{i}", "Post", f"twitter:c{c}p{i}")
            for i in range(8):
                for j in range(8):
                    if i != j:
                        b.edge("MENTIONS", "Post", f"twitter:c{c}p{i}", "Account",
                               f"twitter:c{c}a{j}")
        b.edge("MENTIONS", "Post", "twitter:c0p0", "Account", "twitter:c1a0")
        store.write_batch(b, run)
        page, blocks = export_html(store, tmp_path, max_nodes=10, reduce="communities")
    finally:
        store.close()
    assert len(blocks["netmap-nodes"]) == 2
    assert "communities computed with Leiden" in blocks["report"].note
    assert sorted(d["sz"] for d in blocks["netmap-meta"]["info"]) == [8, 8]


def test_reduce_validated_per_format(small_store, tmp_path):
    with pytest.raises(UsageError, match="unknown reduction"):
        get_exporter("html").export(small_store, tmp_path / "x.html", reduce="backbone")
    for fmt in ("gexf", "graphml", "csv", "json"):
        with pytest.raises(UsageError, match="use html or report for communities"):
            get_exporter(fmt).export(small_store, tmp_path / "x", reduce="communities")


def test_dominant_type_picks_the_most_frequent_interaction():
    import numpy as np
    import pandas as pd

    from netmap.export.html import _dominant_types

    index = {t: i for i, t in enumerate(["share", "quote", "link", "site_link", "comment",
                                         "reply", "mention"])}
    e = pd.DataFrame({"n_share": [1, 0, 2], "n_mention": [3, 0, 2], "n_reply": [0, 1, 0]})
    assert _dominant_types(e, np.arange(3), index) == [6, 5, 0]  # ties go to the earlier type
