"""One blog post shared on five platforms, and every fixture sniffed by its own collector.

``tests/fixtures/cross/`` holds the blog's RSS feed and one share of its post
from each platform, each with a different variant of the post's URL (utm
parameters, http/https, www., m., no trailing slash, #fragment, fbclid).
Collected together with format ``auto``, they must meet in the one blog Post.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netmap.collect import get_collector, sniff
from netmap.collect.base import CollectOptions, Source
from netmap.errors import CollectError
from netmap.keys import url_key
from netmap.pipeline import collect
from netmap.store.sqlite import SQLiteStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CROSS = FIXTURES / "cross"
BLOG_POST = url_key("https://pamirnotes.wordpress.com/2013/11/05/debaty-v-seti/")

EXPECTED = {
    **{("telegram", n): "telegram" for n in ("channel_result.json", "group_result.json",
                                             "full_result.json", "truncated_result.json")},
    **{("vk", n): "vk" for n in ("wall_get.json", "comments.jsonl", "users_get.json",
                                 "groups_getbyid.json")},
    **{("mastodon", n): "mastodon" for n in ("timeline.json", "outbox.json", "actor.json")},
    **{("bluesky", n): "bluesky" for n in ("author_feed.json", "records.jsonl")},
    ("twitter", "pages.jsonl"): "twitter",
    ("twitter", "flat.jsonl"): "twitter",
    ("twitter", "truncated.jsonl"): "twitter",
    ("feeds", "wordpress_rss.xml"): "feeds",
    ("cross", "blog_feed.xml"): "feeds",
    ("cross", "tweets.jsonl"): "twitter",
    ("cross", "telegram_result.json"): "telegram",
    ("cross", "vk_wall.json"): "vk",
    ("cross", "mastodon_home.json"): "mastodon",
    ("cross", "bluesky_feed.json"): "bluesky",
}


@pytest.mark.parametrize(("folder", "name"), sorted(EXPECTED))
def test_auto_sniff_picks_the_right_collector(folder: str, name: str) -> None:
    assert sniff(Source.from_path(FIXTURES / folder / name)).name == EXPECTED[(folder, name)]


SOCIAL = ("telegram", "vk", "mastodon", "bluesky")


@pytest.mark.parametrize(("folder", "name"), sorted(EXPECTED))
def test_no_other_collector_claims_the_file(folder: str, name: str) -> None:
    source = Source.from_path(FIXTURES / folder / name)
    for other in (*SOCIAL, "twitter", "feeds"):
        if other != EXPECTED[(folder, name)]:
            assert get_collector(other).sniff(source) == 0, other


@pytest.mark.parametrize(("name", "fixture"), [
    ("telegram", "telegram/channel_result.json"), ("vk", "vk/wall_get.json"),
    ("mastodon", "mastodon/timeline.json"), ("bluesky", "bluesky/author_feed.json"),
])
def test_bom_is_read_and_utf16_refused_naming_the_file(tmp_path: Path, name: str,
                                                       fixture: str) -> None:
    import codecs

    data = (FIXTURES / fixture).read_bytes()
    bom = tmp_path / ("bom-" + Path(fixture).name)
    bom.write_bytes(codecs.BOM_UTF8 + data)
    assert sniff(Source.from_path(bom)).name == name
    collector = get_collector(name)
    plain = list(collector.read(Source.from_path(FIXTURES / fixture), CollectOptions()))
    with_bom = list(collector.read(Source.from_path(bom), CollectOptions()))
    assert [b.read for b in with_bom] == [b.read for b in plain]
    utf16 = tmp_path / ("utf16-" + Path(fixture).name)
    utf16.write_bytes(data.decode("utf-8").encode("utf-16"))
    with pytest.raises(CollectError, match=f"utf16-{Path(fixture).name}: the file is UTF-16"):
        list(collector.read(Source.from_path(utf16), CollectOptions()))


def test_every_data_fixture_of_the_social_collectors_is_covered() -> None:
    for folder in ("telegram", "vk", "mastodon", "bluesky", "cross"):
        names = {p.name for p in (FIXTURES / folder).iterdir()
                 if p.is_file() and p.suffix in (".json", ".jsonl", ".xml")}
        assert names == {n for f, n in EXPECTED if f == folder}, folder


def test_one_blog_post_shared_from_five_platforms(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "cross.db") as store:
        report = collect(store, "auto", [str(CROSS)])
        assert report.errors == []
        assert {s["format"] for s in report.sources} == {
            "feeds", "twitter", "telegram", "vk", "mastodon", "bluesky"}
        assert report.read == report.stored + report.rejected
        assert report.rejected == 0

        # the blog post is one Post node, and no Url node is left with its key
        posts = store.nodes("Post", ["platform", "kind", "title"])
        blog = posts[posts["key"] == BLOG_POST]
        assert len(blog) == 1 and blog.iloc[0]["platform"] == "blog"
        assert store.get_node("Url", BLOG_POST) is None

        shares = store.edges(["SHARES"])
        into = shares[shares["dst"] == BLOG_POST]
        platform = dict(zip(posts["key"], posts["platform"], strict=True))
        sharers = {platform[src] for src in into["src"]}
        assert sharers == {"twitter", "telegram", "vk", "mastodon", "bluesky"}
        assert len(into) == 5
        # nothing still links to the post as an outside page
        links = store.edges(["LINKS_TO"])
        assert not (links["dst"] == BLOG_POST).any()

        # the Mastodon boost shares the status that carries the link
        boost = "mastodon.social/@nigora/109400000000000002"
        status = "pamir.social/@farrukh/110400000000000001"
        assert ((shares["src"] == boost) & (shares["dst"] == status)).any()
        assert status in set(into["src"])

        # a second run over the same inputs changes nothing
        before = store.counts()
        collect(store, "auto", [str(CROSS)])
        assert store.counts() == before
