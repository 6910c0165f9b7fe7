"""The HTML report: sections computed from the store, escaped, offline, and usable in Chromium."""

from __future__ import annotations

import base64
import hashlib
import html
import re

import pandas as pd
import pytest
from browsing import Watched, canvas_stats
from exportdata import XSS_IMG, XSS_SCRIPT, build_big_store, build_dated_store

from netmap.errors import ExportError, UsageError
from netmap.export import get_exporter
from netmap.export.html import PAGE_SCRIPTS, count_scripts, find_remote_references, view_scripts
from netmap.export.report import (
    _Posts,
    _shares_across_platforms,
    activity_timeline,
    build_report,
    cross_platform_posts,
    dataset_summary,
    group_summary,
    platform_carriers,
    timeline_svg,
)


@pytest.fixture
def dated_store(tmp_path):
    store = build_dated_store(tmp_path / "dated.db")
    yield store
    store.close()


def iframes(page: str) -> list[dict[str, str | None]]:
    """The attributes of every iframe in ``page`` (values unescaped)."""
    from html.parser import HTMLParser

    found: list[dict[str, str | None]] = []

    class Frames(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "iframe":
                found.append(dict(attrs))

    Frames(convert_charrefs=True).feed(page)
    return found


def srcdoc(page: str) -> str:
    frames = iframes(page)
    assert len(frames) == 1 and frames[0].get("srcdoc"), "no srcdoc iframe"
    return frames[0]["srcdoc"]


def section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


def test_sections_from_the_store(dated_store):
    summary = dataset_summary(dated_store)
    assert summary["posts"] == 6 and summary["dated_posts"] == 6
    assert summary["first_post"] == "2013-10-20T08:00:00Z"
    assert summary["last_post"] == "2013-10-23T18:00:00Z"
    assert summary["nodes"]["Account"] == 6 and summary["relationships"]["SHARES"] == 3
    assert list(summary["runs"]["command"]) == ["test"]

    groups = group_summary(dated_store)
    rows = {r.group: r for r in groups.itertuples(index=False)}
    assert list(groups["group"])[:2] == ["supporter", "critic"]  # the configured order
    assert rows["critic"].accounts == 2 and rows["critic"].label == "Critics"
    assert rows["critic"].seed == 1 and rows["critic"].lexicon == 1
    assert rows[""].label == "unassigned" and rows[""].accounts == 2
    assert abs(groups["share"].sum() - 1.0) < 1e-9

    timeline = activity_timeline(dated_store)
    assert list(timeline.index) == ["2013-10-20", "2013-10-21", "2013-10-23"]
    assert timeline.loc["2013-10-20", "supporter"] == 1 and timeline.loc["2013-10-20", "critic"] == 1
    assert timeline.loc["2013-10-21", "critic"] == 1  # the blog comment
    assert timeline.loc["2013-10-23", ""] == 2  # two authors without a group
    assert int(timeline.to_numpy().sum()) == 6

    # Without netmap.analysis.crossposting: posts whose shares reach two platforms.
    fallback = _shares_across_platforms(dated_store, 25, _Posts(dated_store)).set_index("post")
    # The blog post shared by two tweets; the tweet forwarded to Telegram.
    assert fallback.loc["Выборы и сети", "platforms"] == "blog, twitter"
    assert fallback.loc["Выборы и сети", "shares"] == 2
    assert fallback.loc["Выборы и сети", "first_share_hours"] == 2.5
    assert fallback.loc["twitter:1", "platforms"] == "telegram, twitter"
    # With it (installed in this checkout), its cross-platform items.
    cascades, source = cross_platform_posts(dated_store)
    if source == "netmap.analysis.crossposting":
        row = cascades.set_index("key").loc["nigoh.example/p1"]
        assert row["post"] == "Выборы и сети" and row["n_platforms"] >= 2
        assert platform_carriers(dated_store) is not None
    else:
        assert source == "SHARES relationships" and len(cascades) == len(fallback)


def test_report_page(dated_store, tmp_path):
    report = get_exporter("report").export(dated_store, tmp_path / "r.html", title="Report <1>")
    assert report.path == tmp_path / "r.html" and report.format == "report"
    page = report.path.read_text(encoding="utf-8")
    for sid in ("dataset", "groups", "top", "mixing", "communities", "timeline", "cascades",
                "network"):
        assert f'<section id="{sid}">' in page
    assert "<title>Report &lt;1&gt;</title>" in page
    assert "6 posts, 6 with a date, from <time>2013-10-20T08:00:00Z</time>" in page
    groups = section(page, "groups")
    assert "Critics" in groups and "Supporters" in groups and "unassigned" in groups
    top = section(page, "top")
    assert "all accounts" in top and "Top influencers (PageRank)" in top
    # Hostile names are escaped text in the tables.
    assert html.escape(XSS_SCRIPT, quote=False) in top and XSS_SCRIPT not in page
    assert XSS_IMG not in page
    heat = section(page, "mixing")
    assert heat.count("<tr>") == 1 + 3  # header + supporter, critic, <b>bold group</b>
    assert "background-color: rgb(" in heat
    assert "&lt;b&gt;bold group&lt;/b&gt;" in heat
    timeline = section(page, "timeline")
    assert timeline.count("<polyline") == 4  # supporter, critic, bold group, unassigned
    assert "2013-10-20" in timeline
    cascades = section(page, "cascades")
    assert "Выборы и сети" in cascades and "twitter" in cascades
    assert "communities" in page and section(page, "communities").count("<tr>") >= 2

    # Offline: no reference, no script of its own, one srcdoc view in a sandbox.
    assert find_remote_references(page) == ["<iframe>"]
    assert count_scripts(page) == 0
    frame = iframes(page)[0]
    assert frame["sandbox"].split() == ["allow-scripts", "allow-popups",
                                        "allow-popups-to-escape-sandbox"]
    assert "src" not in frame
    view = srcdoc(page)
    assert count_scripts(view) == PAGE_SCRIPTS and find_remote_references(view) == []
    # The policy allows exactly the view's two scripts, by hash, and nothing inline.
    policy = html.unescape(re.search(
        r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1))
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
              for s in view_scripts()]
    assert directives["script-src"] == hashes
    assert directives["default-src"] == ["'none'"]


def test_report_without_analysis_says_what_to_run(small_store, tmp_path):
    report = get_exporter("report").export(small_store, tmp_path / "r.html")
    page = report.path.read_text(encoding="utf-8")
    assert "run `netmap analyze`" in page
    assert "No dated posts with a known author." in page
    data = build_report(small_store)
    assert data.top == [] and data.communities is None


def test_report_collapses_big_graphs(tmp_path):
    store = build_big_store(tmp_path / "big.db", 1200)
    try:
        report = get_exporter("report").export(store, tmp_path / "big.html", max_nodes=100,
                                               reduce="communities")
    finally:
        store.close()
    assert report.reduced and report.reduce == "communities" and report.nodes == 12
    view = srcdoc(report.path.read_text(encoding="utf-8"))
    assert "1,200 accounts in 12 communities" in view


def test_reduce_is_checked():
    with pytest.raises(UsageError, match="unknown reduction 'tiny'"):
        get_exporter("report").check_reduce("tiny")
    with pytest.raises(UsageError, match="use html or report for communities"):
        get_exporter("gexf").check_reduce("communities")
    with pytest.raises(ExportError, match="export\\(store, out\\)"):
        get_exporter("report").write(None, None)  # type: ignore[arg-type]


def test_timeline_bins_long_ranges():
    days = pd.date_range("2012-01-01", "2013-12-31", freq="D").strftime("%Y-%m-%d")
    table = pd.DataFrame({"critic": 1, "": 2}, index=days)
    svg = str(timeline_svg(table, {"critic": "<Critics>"}, {"critic": "#e69f00"}))
    assert "Posts per week" in svg
    assert svg.count("<polyline") == 2 and "&lt;Critics&gt;" in svg and "<Critics>" not in svg
    long = pd.DataFrame({"critic": 1}, index=pd.date_range("2008-01-01", periods=1500,
                                                            freq="D").strftime("%Y-%m-%d"))
    assert "Posts per month" in str(timeline_svg(long, {}, {}))
    assert str(timeline_svg(pd.DataFrame(), {}, {})) == ""


def test_report_on_the_example(tmp_path):
    """The whole pipeline on examples/tajikistan-2013, then the report."""
    from netmap.cli import example_dir
    from netmap.demo import run_demo

    db = tmp_path / "tj.db"
    list(run_demo(example_dir(), tmp_path / "tj.html", keep_store=db))
    import netmap

    store = netmap.open_store(str(db))
    try:
        report = get_exporter("report").export(store, tmp_path / "tj-report.html",
                                               title="Tajikistan 2013")
        data = build_report(store)
    finally:
        store.close()
    page = report.path.read_text(encoding="utf-8")
    assert data.mixing.shape == (4, 4)
    assert len(data.top) == 5  # all accounts + four groups
    assert data.timeline.shape[0] > 10 and len(data.cascades) >= 3
    assert set(data.cascades["n_platforms"]) <= {2, 3, 4} and data.cascades["n_platforms"].max() >= 3
    assert section(page, "timeline").count("<polyline") == data.timeline.shape[1]
    assert "Boycott advocates" in section(page, "mixing")
    if data.cascades_source == "netmap.analysis.crossposting":
        assert data.carriers is not None and len(data.carriers) >= 3
        assert "Accounts that carry content across platforms" in section(page, "cascades")


# -- in Chromium -------------------------------------------------------------------


@pytest.mark.browser
def test_report_in_chromium(dated_store, tmp_path, chromium):
    report = get_exporter("report").export(dated_store, tmp_path / "r.html")
    w = Watched(chromium, report.path, viewport=(1280, 900))
    try:
        w.open(ready="")
        page = w.page
        assert "Critics" in page.inner_text("#groups")
        assert XSS_SCRIPT in page.inner_text("#top")  # shown as text
        assert page.evaluate("document.querySelectorAll('#top script, #top img').length") == 0
        assert page.locator("#timeline svg polyline").count() == 4
        # The view draws once it is on screen (Chromium pauses off-screen frames).
        page.locator("iframe.rp-view").scroll_into_view_if_needed()
        page.frame_locator("iframe.rp-view").locator(
            "body[data-netmap-ready='1']").wait_for(timeout=60_000)
        view = next(f for f in page.frames if f.url == "about:srcdoc")
        stats = canvas_stats(view)
        assert stats["ink"] > 2000 and stats["colours"] >= 4, stats
        # Search and the group filter work inside the report.
        view.fill("#netmap-search", "twitter:evil1")
        sel = view.evaluate("network.getSelectedNodes()")
        assert view.evaluate("(i) => netmap.meta.info[i].k", sel[0]) == "twitter:evil1"
        idx = view.evaluate("netmap.meta.categories.findIndex((c) => c.value === 'critic')")
        view.locator(f"#netmap-legend input[data-category='{idx}']").uncheck()
        assert view.evaluate("netmap.nodes.get({filter: (n) => n.hidden}).length") == 2
        # The report's own links are in-page anchors only.
        page.click("a[href='#timeline']")
        w.assert_clean()
    finally:
        w.close()


def test_cli_export_report_and_parquet(dated_store, tmp_path):
    """`netmap export report OUT.html` and `netmap export parquet OUT` through the CLI."""
    from click.testing import CliRunner

    from netmap.cli import cli

    db = str(tmp_path / "dated.db")  # the dated_store fixture's file
    runner = CliRunner()
    out = tmp_path / "cli-report.html"
    result = runner.invoke(cli, ["--store", db, "export", "report", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert '<section id="mixing">' in out.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["--store", db, "export", "parquet", str(tmp_path / "pq")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pq" / "nodes.parquet").is_file()
