"""The HTML view in real headless Chromium: offline, no XSS, drawable, searchable, filterable.

Every test records each request, console message, page error and dialog; the
page may request nothing but its own file (and data: URLs), and any dialog
(the XSS payloads call alert) fails the test.
"""

from __future__ import annotations

import time

import pytest
from browsing import Watched, canvas_stats, png_variance
from exportdata import XSS_IMG, XSS_SCRIPT, build_big_store

from netmap.export import get_exporter

pytestmark = pytest.mark.browser


@pytest.fixture
def small_view(small_store, tmp_path, chromium):
    report = get_exporter("html").export(small_store, tmp_path / "view.html")
    w = Watched(chromium, report.path)
    w.open()
    yield w
    w.close()


def node_id(w: Watched, key: str) -> int:
    return w.page.evaluate(
        "(k) => netmap.meta.info.findIndex((d) => d.k === k)", key
    )


def test_page_loads_offline_and_draws(small_view):
    w = small_view
    assert w.page.evaluate("network.body.data.nodes.length") == 6
    assert w.page.evaluate("network.body.data.edges.length") == 6
    # The canvas really has a drawing on it: many non-white pixels, several colours.
    stats = canvas_stats(w.page)
    assert stats["w"] > 300 and stats["h"] > 300
    assert stats["ink"] > 2000 and stats["colours"] >= 4 and stats["variance"] > 20, stats
    # ... and so has the screen: the screenshot of the drawing area is not blank.
    box = w.page.locator("#netmap-network").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    shot = w.page.screenshot(clip={"x": cx - 200, "y": cy - 200, "width": 400, "height": 400})
    assert png_variance(shot) > 20
    # Legend: one row per stance group and platform, with counts.
    legend = w.page.inner_text("#netmap-legend")
    # Groups show their groups.yaml labels.
    for text in ("Critics", "Supporters", "unassigned", "twitter", "blog", "telegram",
                 "cross-platform", "share", "quote", "mention"):
        assert text in legend
    assert w.page.evaluate(
        "document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
    ).startswith("default-src 'none'")
    w.assert_clean()


def test_hostile_names_are_text(small_view):
    w = small_view
    # The legend shows the hostile group name as text, not as a <b> element.
    assert "<b>bold group</b>" in w.page.inner_text("#netmap-legend")
    assert w.page.evaluate("document.querySelectorAll('#netmap-legend b').length") == 0
    w.page.fill("#netmap-search", "twitter:evil2")
    details = w.page.inner_text("#netmap-details")
    assert XSS_IMG in details
    assert w.page.evaluate(
        "document.querySelectorAll('#netmap-details img, #netmap-details script, "
        "#netmap-details a').length"
    ) == 0  # no markup from data, and no link for the javascript: URL
    w.page.fill("#netmap-search", "twitter:evil1")
    assert XSS_SCRIPT in w.page.inner_text("#netmap-details")
    assert "</script><script>alert(2)</script>" in w.page.inner_text("#netmap-details")
    # All scripts on the page are the page's own seven.
    assert w.page.evaluate("document.scripts.length") == 7
    w.assert_clean()


def test_search_selects_and_focuses(small_view):
    w = small_view
    evil1 = node_id(w, "twitter:evil1")
    w.page.fill("#netmap-search", "twitter:evil1")
    assert w.page.evaluate("network.getSelectedNodes()") == [evil1]
    # A unique part of a name selects too (case-insensitive, Cyrillic included).
    chan = node_id(w, "telegram:chan")
    w.page.fill("#netmap-search", "КАН")
    assert w.page.evaluate("network.getSelectedNodes()") == [chan]
    # Several matches: a list; Enter takes the first.
    w.page.fill("#netmap-search", "blog:")
    items = w.page.locator("#netmap-results li")
    assert items.count() == 2
    w.page.press("#netmap-search", "Enter")
    selected = w.page.evaluate("network.getSelectedNodes()")
    assert len(selected) == 1 and w.page.evaluate(
        "(i) => netmap.meta.info[i].k.startsWith('blog:')", selected[0])
    # The details panel carries a safe profile link.
    w.page.fill("#netmap-search", "twitter:evil1")
    link = w.page.locator("#netmap-details a.nm-profile")
    assert link.get_attribute("href") == "https://twitter.com/evil1"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    w.assert_clean()


def test_group_filter_hides_nodes(small_view):
    w = small_view
    critics = sorted(node_id(w, k) for k in ("twitter:evil1", "blog:other.example"))
    hidden = "netmap.nodes.get({filter: (n) => n.hidden}).map((n) => n.id).sort()"
    assert w.page.evaluate(hidden) == []
    # Legend rows are keyed by group name and show the label.
    idx = w.page.evaluate("netmap.meta.categories.findIndex((c) => c.value === 'critic')")
    box = w.page.locator(f"#netmap-legend input[data-category='{idx}']")
    assert "Critics" in w.page.inner_text(
        f"#netmap-legend ul.nm-categories li:nth-child({idx + 1})")
    box.uncheck()
    assert w.page.evaluate(hidden) == critics
    assert w.page.evaluate(f"network.body.nodes[{critics[0]}].options.hidden") is True
    assert "4 of 6 accounts visible" in w.page.inner_text("#netmap-legend")
    # The platform filter combines with it.
    w.page.locator("#netmap-legend input[data-platform='telegram']").uncheck()
    assert len(w.page.evaluate(hidden)) == 3
    box.check()
    w.page.locator("#netmap-legend input[data-platform='telegram']").check()
    assert w.page.evaluate(hidden) == []
    # Searching for a filtered-out account brings it back.
    box.uncheck()
    w.page.fill("#netmap-search", "twitter:evil1")
    assert box.is_checked() and w.page.evaluate(hidden) == []
    w.assert_clean()


def test_tooltip_on_hover(small_view):
    w = small_view
    nid = node_id(w, "twitter:evil1")
    x, y = w.page.evaluate(
        """(id) => {
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('netmap-network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        nid,
    )
    w.page.mouse.move(x - 40, y - 40)
    w.page.mouse.move(x, y, steps=5)
    w.page.wait_for_selector("#netmap-tooltip:not([hidden])", timeout=5000)
    tip = w.page.inner_text("#netmap-tooltip")
    assert XSS_SCRIPT in tip and "twitter:evil1" in tip and "Critics" in tip
    assert "lexicon" in tip and "pagerank" in tip
    assert w.page.evaluate("document.querySelectorAll('#netmap-tooltip script').length") == 0
    w.assert_clean()


def test_csp_blocks_injected_requests(small_view):
    """Even script running in the page cannot fetch anything."""
    w = small_view
    outcome = w.page.evaluate(
        """() => new Promise((resolve) => {
            const seen = [];
            document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
            const img = new Image();
            img.onload = () => resolve({img: 'loaded', seen});
            img.onerror = () => setTimeout(() => resolve({img: 'blocked', seen}), 50);
            img.src = 'http://127.0.0.1:9/x.png';
        })"""
    )
    assert outcome["img"] == "blocked" and any("img-src" in v for v in outcome["seen"])
    # Markup injected into the page cannot run handlers: the page's scripts are
    # allowed by hash, which turns 'unsafe-inline' off.
    w.page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(3)>"
        "<svg onload=alert(4)></svg>')"
    )
    w.page.wait_for_timeout(200)
    assert w.dialogs == []
    assert any("inline event handler" in m[1] for m in w.console if m[0] == "error")
    # Chromium reports the attempt, and that the policy (not the network) stopped it.
    attempts = [u for u in w.requests if u.startswith("http")]
    assert attempts and all(w.failed.get(u, "").lower() in ("csp", "net::err_blocked_by_csp") for u in attempts), w.failed


def test_reduced_big_view_renders(tmp_path, chromium):
    store = build_big_store(tmp_path / "big.db", 10_000)
    try:
        started = time.perf_counter()
        report = get_exporter("html").export(store, tmp_path / "big.html", max_nodes=2000)
        export_s = time.perf_counter() - started
    finally:
        store.close()
    w = Watched(chromium, report.path)
    try:
        render_s = w.open(timeout_ms=60_000)
        assert w.page.evaluate("network.body.data.nodes.length") == 2000
        banner = w.page.inner_text("#netmap-banner")
        assert banner == "showing 2,000 of 10,000 accounts, top by pagerank"
        assert w.page.evaluate("netmap.network.physics.options.enabled") is False
        w.page.fill("#netmap-search", "acc17")
        assert w.page.locator("#netmap-results li").count() >= 1
        w.assert_clean()
    finally:
        w.close()
    size_mb = report.path.stat().st_size / 1e6
    print(f"\n10k accounts -> 2,000 shown: export {export_s:.2f}s, {size_mb:.2f} MB, "
          f"Chromium ready in {render_s:.2f}s")
    assert render_s < 30 and size_mb < 5


def test_tie_colours_and_type_filter(small_view):
    w = small_view
    # Ties are coloured by their main interaction type, as the legend says.
    colours = w.page.evaluate(
        """() => netmap.edges.get().map((e) => [netmap.meta.types[netmap.meta.et[e.id]].name,
                                                 e.color.color])""")
    legend = {t["name"]: t["colour"] for t in w.page.evaluate("netmap.meta.types")}
    assert {name for name, _ in colours} == {"share", "quote", "reply", "mention"}
    assert all(colour == legend[name] for name, colour in colours)
    shares = sorted(e for e, (name, _) in enumerate(colours) if name == "share")
    hidden = "netmap.edges.get({filter: (e) => e.hidden}).map((e) => e.id).sort()"
    w.page.locator("#netmap-legend input[data-type='share']").uncheck()
    assert w.page.evaluate(hidden) == shares
    assert w.page.evaluate("network.body.edges[0].options.hidden") is (0 in shares)
    w.page.locator("#netmap-legend input[data-type='share']").check()
    assert w.page.evaluate(hidden) == []
    w.assert_clean()


def test_community_filter(small_view):
    w = small_view
    hidden = "netmap.nodes.get({filter: (n) => n.hidden}).map((n) => n.id).sort()"
    entries = w.page.evaluate("netmap.meta.communities")
    assert [e["label"] for e in entries] == ["community 0", "community 1", "no community"]
    members = w.page.evaluate(
        "netmap.meta.info.map((d, i) => [d.c, i]).filter((x) => x[0] === '1').map((x) => x[1])")
    w.page.locator("#netmap-legend input[data-community='1']").uncheck()
    assert w.page.evaluate(hidden) == sorted(members)
    assert f"{6 - len(members)} of 6 accounts visible" in w.page.inner_text("#netmap-legend")
    w.page.click("#netmap-legend [data-filter='community'] button:text-is('none')")
    assert len(w.page.evaluate(hidden)) == 6
    w.page.click("#netmap-legend [data-filter='community'] button:text-is('all')")
    assert w.page.evaluate(hidden) == []
    w.assert_clean()


def test_evidence_in_tooltip_and_details(small_view):
    w = small_view
    nid = node_id(w, "twitter:evil1")
    w.page.evaluate("(i) => netmap.select(i)", nid)
    details = w.page.inner_text("#netmap-details")
    assert "evidence" in details and "</script><script>alert(2)</script>" in details
    x, y = w.page.evaluate(
        """(id) => {
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('netmap-network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", nid)
    w.page.mouse.move(x - 40, y - 40)
    w.page.mouse.move(x, y, steps=5)
    w.page.wait_for_selector("#netmap-tooltip:not([hidden])", timeout=5000)
    assert "evidence" in w.page.inner_text("#netmap-tooltip")
    w.assert_clean()


def test_kcore_view_renders(tmp_path, chromium):
    store = build_big_store(tmp_path / "big.db", 3000)
    try:
        report = get_exporter("html").export(store, tmp_path / "k.html", max_nodes=500,
                                             reduce="kcore")
    finally:
        store.close()
    w = Watched(chromium, report.path)
    try:
        w.open()
        banner = w.page.inner_text("#netmap-banner")
        assert banner.startswith("showing the ") and "-core: " in banner
        shown = w.page.evaluate("network.body.data.nodes.length")
        assert 0 < shown <= 500 and f"{shown:,} of 3,000 accounts" in banner
        assert canvas_stats(w.page)["ink"] > 2000
        w.assert_clean()
    finally:
        w.close()


def test_communities_collapse_and_drill_down(tmp_path, chromium):
    store = build_big_store(tmp_path / "big.db", 3000)
    try:
        report = get_exporter("html").export(store, tmp_path / "c.html", max_nodes=200,
                                             reduce="communities")
    finally:
        store.close()
    w = Watched(chromium, report.path)
    try:
        w.open()
        page = w.page
        assert page.inner_text("#netmap-banner").startswith("3,000 accounts in 12 communities")
        assert page.evaluate("network.body.data.nodes.length") == 12
        assert canvas_stats(page)["ink"] > 2000
        # Double-clicking a community node opens the view of its members.
        target = page.evaluate("netmap.meta.info.findIndex((d) => d.c === '3')")
        x, y = page.evaluate(
            """(id) => {
                const p = network.canvasToDOM(network.getPositions([id])[id]);
                const r = document.getElementById('netmap-network').getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""", target)
        page.mouse.dblclick(x, y)
        page.wait_for_selector("body[data-netmap-view]:not([data-netmap-view='0'])")
        view = page.evaluate("netmap.view()")
        assert page.evaluate("(v) => netmap.views[v].community", view) == "3"
        members = page.evaluate("network.body.data.nodes.length")
        assert 0 < members <= 200
        assert page.inner_text("#netmap-banner").startswith("community 3: showing ")
        assert page.evaluate(
            "network.body.data.nodes.get().every((n) => netmap.views[netmap.view()]"
            ".info[n.id].c === '3')")
        assert canvas_stats(page)["ink"] > 500
        # Search reaches accounts in other communities and opens their view.
        other = page.evaluate(
            "netmap.views.find((v, i) => i > 0 && v.community === '5').info[0].k")
        page.fill("#netmap-search", other)
        assert page.evaluate("netmap.views[netmap.view()].community") == "5"
        sel = page.evaluate("network.getSelectedNodes()")
        assert page.evaluate("(i) => netmap.views[netmap.view()].info[i].k", sel[0]) == other
        # Back to the communities.
        page.click("#netmap-back")
        assert page.evaluate("netmap.view()") == 0
        assert page.evaluate("network.body.data.nodes.length") == 12
        w.assert_clean()
    finally:
        w.close()


def test_prototype_names_are_ordinary_values(tmp_path, chromium):
    """Communities and platforms named like Object.prototype members filter and open normally."""
    from netmap.model import Batch
    from netmap.store.sqlite import SQLiteStore

    names = ["__proto__", "constructor", "toString", "hasOwnProperty"]
    store = SQLiteStore(tmp_path / "proto.db")
    try:
        run = store.begin_run("t", [], {})
        b = Batch(source="t")
        for c, name in enumerate(names):
            for i in range(6):
                key = f"x:{name}{i}"
                b.node("Account", key, platform=name, handle=f"{name}{i}", name=f"{name} {i}")
                b.node("Post", f"x:p{c}-{i}", platform=name)
                b.edge("AUTHORED", "Account", key, "Post", f"x:p{c}-{i}")
            for i in range(6):
                b.edge("MENTIONS", "Post", f"x:p{c}-{i}", "Account", f"x:{name}{(i + 1) % 6}")
        store.write_batch(b, run)
        store.set_props("Account", [(f"x:{name}{i}", {"community": name})
                                    for name in names for i in range(6)])
        full = get_exporter("html").export(store, tmp_path / "full.html")
        coll = get_exporter("html").export(store, tmp_path / "coll.html", max_nodes=10,
                                           reduce="communities")
    finally:
        store.close()
    hidden = "netmap.nodes.get({filter: (n) => n.hidden}).length"
    w = Watched(chromium, full.path)
    try:
        w.open()
        page = w.page
        for name in names:
            i = page.evaluate("(v) => netmap.meta.communities.findIndex((c) => c.value === v)",
                              name)
            page.locator(f"#netmap-legend input[data-community='{i}']").uncheck()
            assert page.evaluate(hidden) == 6
            page.locator(f"#netmap-legend input[data-community='{i}']").check()
            page.locator(f"#netmap-legend input[data-platform='{name}']").uncheck()
            assert page.evaluate(hidden) == 6
            page.locator(f"#netmap-legend input[data-platform='{name}']").check()
        assert page.evaluate(hidden) == 0
        w.assert_clean()
    finally:
        w.close()
    w = Watched(chromium, coll.path)
    try:
        w.open()
        page = w.page
        assert page.evaluate("network.body.data.nodes.length") == 4
        for name in names:
            page.evaluate(
                "(v) => { const d = netmap.meta.info.findIndex((x) => x.c === v);"
                " network.body.emitter.emit('doubleClick', {nodes: [d], edges: []}); }", name)
            assert page.evaluate("netmap.views[netmap.view()].community") == name
            # A budget of 2 x max_nodes members shared by four communities: 5 of 6 each.
            assert page.evaluate("network.body.data.nodes.length") == 5
            assert page.inner_text("#netmap-banner") == (
                f"community {name}: showing 5 of 6 members, top by pagerank")
            page.click("#netmap-back")
        w.assert_clean()
    finally:
        w.close()
