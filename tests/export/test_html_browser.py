"""The HTML view in real headless Chromium: offline, no XSS, drawable, searchable, filterable.

Every test records each request, console message, page error and dialog; the
page may request nothing but its own file (and data: URLs), and any dialog
(the XSS payloads call alert) fails the test.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from exportdata import XSS_IMG, XSS_SCRIPT, build_big_store

from netmap.export import get_exporter

pytestmark = pytest.mark.browser


class Watched:
    """A page with every request, console message, error and dialog recorded."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.failed: dict[str, str] = {}
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.__setitem__(r.url, r.failure or ""))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

    def open(self, timeout_ms: int = 60_000) -> float:
        started = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-netmap-ready='1']", timeout=timeout_ms)
        return time.perf_counter() - started

    def assert_clean(self) -> None:
        foreign = [u for u in self.requests if u != self.url and not u.startswith("data:")]
        assert foreign == [], f"page made requests: {foreign[:5]}"
        assert self.dialogs == [], f"a payload ran: {self.dialogs}"
        assert self.errors == [], f"page errors: {self.errors}"
        bad = [m for m in self.console if m[0] in ("error", "assert")]
        assert bad == [], f"console errors: {bad}"

    def close(self) -> None:
        self.context.close()


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
    stats = w.page.evaluate(
        """() => {
            const c = document.querySelector('#netmap-network canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let ink = 0; const colours = new Set();
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) {
                    ink++; colours.add((d[i] >> 4) + ',' + (d[i + 1] >> 4) + ',' + (d[i + 2] >> 4));
                }
            }
            return {ink, colours: colours.size, w: c.width, h: c.height};
        }"""
    )
    assert stats["w"] > 300 and stats["h"] > 300
    assert stats["ink"] > 2000 and stats["colours"] >= 4, stats
    # Legend: one row per stance group and platform, with counts.
    legend = w.page.inner_text("#netmap-legend")
    for text in ("critic", "supporter", "unassigned", "twitter", "blog", "telegram",
                 "cross-platform"):
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
    # All scripts on the page are the page's own six.
    assert w.page.evaluate("document.scripts.length") == 6
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
    box = w.page.locator("#netmap-legend input[data-category='0']")
    assert "critic" in w.page.inner_text("#netmap-legend ul.nm-categories li:first-child")
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
    assert XSS_SCRIPT in tip and "twitter:evil1" in tip and "critic" in tip
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
