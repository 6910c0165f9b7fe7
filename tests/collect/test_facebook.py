"""The facebook collector on CrowdTangle CSV, Meta Content Library and "Download your information" exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from batchtools import edges, nodes, totals

from netmap.collect import sniff as sniff_any
from netmap.collect.base import CollectOptions, Source
from netmap.collect.facebook import (
    FacebookCollector,
    detect_export,
    fb_post_key,
    parse_crowdtangle_time,
)
from netmap.collect.ok import OkCollector
from netmap.collect.twitter import TwitterCollector
from netmap.errors import CollectError
from netmap.keys import url_key
from netmap.model import Batch
from netmap.pipeline import collect as pipeline_collect
from netmap.store.sqlite import SQLiteStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIX = FIXTURES / "facebook"
DYI = FIX / "dyi"
DYI_POSTS = DYI / "your_facebook_activity" / "posts" / "your_posts_1.json"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tajikistan-2013"

BLOG_KEY = url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")
NIGOH_POST = "facebook.com/nigoh.didbon/posts/10151234567890001"
STATUS_POST = "facebook.com/OzodiFikr/posts/10151234567890002"
PHOTO_POST = "facebook.com/vatandor.info/photos/a.4455.1073741825.4433/10151999000"
DELETED_POST = "facebook.com/permalink.php?id=100001234567890&story_fbid=10152000000000004"
LINK_ONLY = "facebook.com/khujand.news/posts/10151234567890005"
FB_SHARE = "facebook.com/ruznoma.tj/posts/10151234567890006"
VIDEO_POST = "facebook.com/medialabtj/videos/10153000000000007"
LATER_POST = "facebook.com/nigoh.didbon/posts/10151234567890010"


def collect(path: Path | str, **options) -> list[Batch]:
    return list(FacebookCollector().read(Source.from_path(path), CollectOptions(**options)))


def rejects(batches: list[Batch]) -> dict[str, str]:
    return {r.location: r.reason for b in batches for r in b.rejects}


# -- sniffing ------------------------------------------------------------------------

@pytest.mark.parametrize("name,kind", [
    ("crowdtangle_pages.csv", "crowdtangle"),
    ("crowdtangle_groups.csv", "crowdtangle"),
    ("mcl_posts.json", "mcl_json"),
    ("mcl_comments.jsonl", "mcl_json"),
    ("mcl_posts.csv", "mcl_csv"),
    ("dyi/your_facebook_activity/posts/your_posts_1.json", "dyi"),
    ("dyi/your_facebook_activity/comments_and_reactions/comments.json", "dyi"),
    ("dyi/your_facebook_activity/groups/your_posts_in_groups.json", "dyi"),
    ("dyi/personal_information/profile_information/profile_information.json", "dyi"),
])
def test_sniff_recognises_each_export(name: str, kind: str) -> None:
    source = Source.from_path(FIX / name)
    assert detect_export(source) == kind
    assert FacebookCollector().sniff(source) == 95
    assert OkCollector().sniff(source) == 0
    # auto picks facebook, also where twarc2's sniffing sees an author_id
    assert sniff_any(source).name == "facebook"


def test_sniff_leaves_other_formats_alone(tmp_path: Path) -> None:
    others = [
        FIXTURES / "feeds" / "wordpress_rss.xml",
        FIXTURES / "twitter" / "pages.jsonl",
        FIXTURES / "twitter" / "flat.jsonl",
        FIXTURES / "ok" / "getbyids.json",
        FIXTURES / "ok" / "comments.json",
        FIXTURES / "ok" / "groups.json",
        EXAMPLE / "seeds.csv",
        EXAMPLE / "truth.csv",
    ]
    table = tmp_path / "edges.csv"
    table.write_text("source,target,URL,Message\na,b,http://x.tj/,hi\n", encoding="utf-8")
    # CrowdTangle's Instagram export is not Facebook data
    insta = tmp_path / "instagram.csv"
    insta.write_text("Account,User Name,Followers at Posting,Post Created,Type,Likes,Comments,"
                     "Views,URL,Link,Photo,Title,Description\n", encoding="utf-8")
    for path in others + [table, insta]:
        source = Source.from_path(path)
        assert FacebookCollector().sniff(source) == 0, path.name
    for name in ("crowdtangle_pages.csv", "mcl_posts.json", "mcl_comments.jsonl"):
        assert TwitterCollector().sniff(Source.from_path(FIX / name)) < 95


# -- CrowdTangle -------------------------------------------------------------------

def test_crowdtangle_counts_and_rejects() -> None:
    batches = collect(FIX / "crowdtangle_pages.csv")
    assert totals(batches) == (10, 8, 2)
    assert rejects(batches) == {
        "row 8 (line 10)": "row has no post URL (the 'URL' column is empty or not an http(s) link)",
        "row 9 (line 11)": "row has 4 fields, the header has 40",
    }
    assert set(nodes(batches, "Post")) == {NIGOH_POST, STATUS_POST, PHOTO_POST, DELETED_POST,
                                           LINK_ONLY, FB_SHARE, VIDEO_POST, LATER_POST}


def test_crowdtangle_post_and_account_props() -> None:
    batches = collect(FIX / "crowdtangle_pages.csv")
    post = nodes(batches, "Post")[NIGOH_POST]
    assert post == {
        "platform": "facebook", "kind": "post",
        "text": "Соцсети — новая площадь. Читайте: http://bit.ly/1sOcSet #Выборы2013\n"
                "Дебаты переехали в «Одноклассники» и Фейсбук.",
        "created_at": "2013-10-29T14:15:02Z",  # 09:15:02 EST
        "url": "https://www.facebook.com/nigoh.didbon/posts/10151234567890001",
        "post_type": "Link", "link_title": "Соцсети наконец стали площадкой для дебатов",
        "link_description": "Впервые кандидаты и избиратели спорят открыто.",
        "like_count": 1001, "comment_count": 120, "share_count": 113,
        "interaction_count": 1234, "overperforming_score": 2.35,
    }
    acc = nodes(batches, "Account")
    # the later row's follower count wins; the key is the lower-cased User Name
    assert acc["facebook:nigoh.didbon"] == {
        "platform": "facebook", "handle": "nigoh.didbon", "name": "Нигоҳ — Дидбони интихобот",
        "url": "https://www.facebook.com/nigoh.didbon", "followers": 13544,
        "facebook_id": "301234567890123", "account_type": "page",
        "category": "MEDIA_NEWS_COMPANY", "country": "TJ", "bio": "Мониторинги интихоботи 2013",
        "page_created": "2012-05-03 10:00:00",
    }
    assert acc["facebook:ozodifikr"]["handle"] == "OzodiFikr"
    assert acc["facebook:ozodifikr"]["followers"] == 5871  # "5 871"
    posts = nodes(batches, "Post")
    assert posts[STATUS_POST]["text"] == "Интихоботи ҳақиқӣ нест. «Қонун» барои ҳама баробар аст! #бойкот"
    assert posts[STATUS_POST]["angry_count"] == 8
    assert "love_count" not in posts[STATUS_POST]  # zero reactions are left out
    assert posts[VIDEO_POST]["views"] == 15320
    assert posts[PHOTO_POST]["image_text"] == "Ватан — модар"


def test_crowdtangle_times_in_the_dashboard_zone() -> None:
    posts = nodes(collect(FIX / "crowdtangle_pages.csv"), "Post")
    assert posts[PHOTO_POST]["created_at"] == "2013-11-06T03:00:00Z"  # MSK was UTC+4 in 2013
    assert posts[LINK_ONLY]["created_at"] == "2013-11-07T01:00:00Z"  # TJT
    assert posts[VIDEO_POST]["created_at"] == "2013-10-27T19:00:00Z"  # CET
    assert posts[DELETED_POST]["created_at"] == "2013-11-02T12:00:00Z"
    assert posts[DELETED_POST]["created_raw"] == "2013-11-02 12:00:00 XYZT"  # zone unknown
    assert "created_raw" not in posts[NIGOH_POST]


@pytest.mark.parametrize("raw,expected", [
    ("2013-10-29 09:15:02 EST", ("2013-10-29T14:15:02Z", True)),
    ("2013-10-29 09:15:02 EDT", ("2013-10-29T13:15:02Z", True)),
    ("2013-10-29 09:15 UTC", ("2013-10-29T09:15:00Z", True)),
    ("2013-11-06 07:00:00 MSK", ("2013-11-06T03:00:00Z", True)),
    ("2016-11-06 07:00:00 MSK", ("2016-11-06T04:00:00Z", True)),
    ("2013-10-29 09:15:02 +05:00", ("2013-10-29T04:15:02Z", True)),
    ("2013-10-29 09:15:02", ("2013-10-29T09:15:02Z", False)),
    ("2013-10-29 09:15:02 QQQ", ("2013-10-29T09:15:02Z", False)),
    ("2013-10-29T09:15:02+0000", ("2013-10-29T09:15:02Z", True)),
    ("вчера", (None, False)),
    ("", (None, False)),
])
def test_parse_crowdtangle_time(raw: str, expected: tuple) -> None:
    assert parse_crowdtangle_time(raw) == expected


@pytest.mark.parametrize("url", [
    "https://www.facebook.com/nigoh.didbon/posts/10151234567890001",
    "http://facebook.com/Nigoh.Didbon/posts/10151234567890001/",
    "https://m.facebook.com/a-b_c.d/posts/1",
    "https://www.facebook.com/a/posts/pfbid02abcDEF",
    "https://www.facebook.com/groups/boykot2013/permalink/225500000000777/",
    "https://www.facebook.com/medialabtj/videos/10153000000000007/",
    "https://www.facebook.com/permalink.php?story_fbid=1&id=2",
    "https://www.facebook.com/a/posts/1?utm_source=x#c",
    "https://www.facebook.com/a/photos/a.1.2.3/4/?type=3",
])
def test_fast_post_keys_match_url_key(url: str) -> None:
    assert fb_post_key(url) == url_key(url)


def test_crowdtangle_links_final_link_media_and_shares() -> None:
    batches = collect(FIX / "crowdtangle_pages.csv")
    assert edges(batches, "LINKS_TO") == {
        # Final Link (utm'd) over Link; the bit.ly short form in the message is not a second link
        (NIGOH_POST, BLOG_KEY),
        # a link-only post; fbclid is dropped from the key
        (LINK_ONLY, "akhbori-ruz.tj/ru/2013/11/07/predvaritelnye-itogi"),
        # a page linking another page's post: the store turns this into a share
        (FB_SHARE, NIGOH_POST),
        # the video's own page is media; the link in the message is kept without ")."
        (VIDEO_POST, "ozodi-fikr.tj/ru/news/2013/10/27/debaty-v-efire-otmeneny.html"),
        (LATER_POST, "ozodi-fikr.tj/ru/news/2013/11/07/nablyudateli-vybora-ne-bylo.html"),
    }
    urls = nodes(batches, "Url")
    assert urls[BLOG_KEY]["url"].startswith("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/?utm_source=facebook")
    assert not any("bit.ly" in k for k in urls)
    assert not any(src == PHOTO_POST for src, _ in edges(batches, "LINKS_TO"))
    assert edges(batches, "TAGGED") == {(NIGOH_POST, "выборы2013"), (STATUS_POST, "бойкот")}
    # a deleted author: the account comes from the permalink's id
    assert (("facebook:100001234567890", DELETED_POST) in edges(batches, "AUTHORED"))
    assert "name" not in nodes(batches, "Account")["facebook:100001234567890"]


def test_crowdtangle_group_export() -> None:
    batches = collect(FIX / "crowdtangle_groups.csv")  # BOM, "Group Name", "Created"
    assert totals(batches) == (2, 2, 0)
    acc = nodes(batches, "Account")
    assert acc["facebook:225500000000001"]["account_type"] == "group"
    assert acc["facebook:225500000000001"]["url"] == "https://www.facebook.com/groups/225500000000001"
    assert acc["facebook:225500000000001"]["followers"] == 3210
    assert acc["facebook:boykot2013"]["name"] == "Бойкот-2013"
    post = "facebook.com/groups/225500000000001/permalink/225500000000555"
    posts = nodes(batches, "Post")
    assert posts[post]["created_at"] == "2013-10-30T19:05:11Z"  # CET
    assert posts[post]["overperforming_score"] == -1.12
    assert edges(batches, "LINKS_TO") == {(post, BLOG_KEY)}
    boycott = "facebook.com/groups/boykot2013/permalink/225500000000777"
    # "#бойкот #Бойкот" is one tag
    assert [(e.src, e.dst) for b in batches for e in b.edges if e.type == "TAGGED"] == [
        (boycott, "бойкот")]


def test_crowdtangle_resaved_with_semicolons_and_odd_rows(tmp_path: Path) -> None:
    text = (FIX / "crowdtangle_groups.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(rows[0])
    w.writerow(rows[1])
    out.write("\n")  # blank lines are not records
    w.writerow(rows[2] + ["extra"])
    w.writerow(rows[2])
    path = tmp_path / "resaved.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    batches = collect(path)
    assert totals(batches) == (3, 2, 1)
    assert rejects(batches) == {"row 2 (line 4)": "row has 32 fields, the header has 31"}
    header_only = tmp_path / "empty.csv"
    header_only.write_text(",".join(rows[0]) + "\n", encoding="utf-8")
    assert totals(collect(header_only)) == (0, 0, 0)


def test_crowdtangle_batches_and_store(tmp_path: Path) -> None:
    small = collect(FIX / "crowdtangle_pages.csv", batch_size=3)
    assert [b.read for b in small] == [3, 3, 3, 1]
    whole = collect(FIX / "crowdtangle_pages.csv")
    with SQLiteStore(tmp_path / "a.db") as a, SQLiteStore(tmp_path / "b.db") as b:
        for store, bs in ((a, small), (b, whole)):
            run = store.begin_run("collect", ["x"], {})
            for batch in bs:
                store.write_batch(batch, run)
        assert a.counts() == b.counts()
        first = a.counts()
        run = a.begin_run("collect", ["x"], {})
        for batch in collect(FIX / "crowdtangle_pages.csv"):
            a.write_batch(batch, run)
        assert a.counts() == first  # re-collecting changes nothing
        assert first["nodes"]["Post"] == 8
        assert first["nodes"]["Account"] == 7


# -- Meta Content Library ----------------------------------------------------------------

def test_mcl_json_posts() -> None:
    batches = collect(FIX / "mcl_posts.json")
    assert totals(batches) == (5, 3, 2)
    assert rejects(batches) == {"item 4": "record has no 'id'",
                                "item 5": "record is not a JSON object"}
    posts = nodes(batches, "Post")
    assert posts["facebook:881200000000001"] == {
        "platform": "facebook", "kind": "post",
        "text": "Статья о соцсетях: https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/?utm_source=fb #выборы",
        "lang": "ru", "created_at": "2013-10-30T06:10:00Z", "reaction_count": 1020,
        "like_count": 1000, "comment_count": 33, "share_count": 12, "content_type": "link",
        "surface": "Азия-Плюс", "surface_type": "page",
        "link_title": "Соцсети наконец стали площадкой для дебатов",
    }
    assert posts["facebook:881200000000002"]["kind"] == "share"
    assert posts["facebook:881200000000003"]["media"] == ["photo", "photo"]
    assert posts["facebook:881200000000003"]["surface_type"] == "group"
    assert posts["facebook:881200000000003"]["created_at"] == "2013-10-30T08:00:00Z"
    assert edges(batches, "SHARES") == {("facebook:881200000000002", "facebook:881200000000001")}
    assert edges(batches, "LINKS_TO") == {("facebook:881200000000001", BLOG_KEY)}
    assert edges(batches, "AUTHORED") == {
        ("facebook:asiaplus", "facebook:881200000000001"),
        ("facebook:770000000002", "facebook:881200000000002"),  # no username: the id
        ("facebook:javononi.faol", "facebook:881200000000003"),
    }


def test_mcl_comments_jsonl() -> None:
    batches = collect(FIX / "mcl_comments.jsonl")
    assert totals(batches) == (4, 3, 1)
    (loc, reason), = rejects(batches).items()
    assert loc == "line 3" and reason.startswith("invalid JSON (")
    assert edges(batches, "REPLIES_TO") == {
        ("facebook:990000000001", "facebook:881200000000001"),
        ("facebook:990000000002", "facebook:990000000001"),
        ("facebook:990000000004", "facebook:881200000000001"),
    }
    authored = edges(batches, "AUTHORED")
    assert ("facebook:sitora.d", "facebook:990000000001") in authored
    # a private commenter is counted, stored and left without an author
    assert not any(dst == "facebook:990000000002" for _, dst in authored)
    assert nodes(batches, "Post")["facebook:990000000002"]["author_private"] is True
    assert edges(batches, "LINKS_TO") == {
        ("facebook:990000000004", "ozodi-fikr.tj/ru/news/2013/11/04/facebook-snova-nedostupen.html")}


def test_mcl_csv_export() -> None:
    batches = collect(FIX / "mcl_posts.csv")
    assert totals(batches) == (2, 2, 0)
    post = nodes(batches, "Post")["facebook:881200000000010"]
    assert post["reaction_count"] == 1500
    assert post["url"].startswith("https://www.facebook.com/transparency-tools/")
    assert edges(batches, "LINKS_TO") == {("facebook:881200000000010", BLOG_KEY)}
    assert ("facebook:770000000007", "facebook:881200000000011") in edges(batches, "AUTHORED")


# -- Download your information --------------------------------------------------------

def test_dyi_posts_repair_mojibake_and_find_the_owner() -> None:
    raw = DYI_POSTS.read_text(encoding="ascii")
    assert "\\u00d0" in raw and "Отличный" not in raw  # the fixture is mis-encoded
    batches = collect(DYI_POSTS)
    assert totals(batches) == (4, 3, 1)
    assert rejects(batches) == {"item 3": "entry holds no text, link or attachment"}
    posts = nodes(batches, "Post")
    texts = sorted(p.get("text", "") for p in posts.values())
    assert texts == ["", "Отличный текст про соцсети и выборы",
                     "Ҳама ба интихобот! #Интихобот2013 https://l.facebook.com/l.php?u=http%3A%2F%2F"
                     "akhbori-ruz.tj%2Fru%2F2013%2F10%2F26%2Fcik-kandidaty%2F&h=AT0x"]
    assert {p["title"] for p in posts.values()} == {
        "Нигора Каримова поделилась ссылкой.", "Нигора Каримова обновила фото.",
        "Нигора Каримова обновила статус."}
    # the owner comes from profile_information.json in the same export
    assert {a for a, _ in edges(batches, "AUTHORED")} == {"facebook:nigora.karimova"}
    assert nodes(batches, "Account")["facebook:nigora.karimova"]["name"] == "Нигора Каримова"
    # external_context and a link wrapped by l.facebook.com in the text
    assert {dst for _, dst in edges(batches, "LINKS_TO")} == {
        BLOG_KEY, "akhbori-ruz.tj/ru/2013/10/26/cik-kandidaty"}
    assert {tag for _, tag in edges(batches, "TAGGED")} == {"интихобот2013"}
    media_only = next(p for p in posts.values() if "text" not in p)
    assert media_only["media"] == ["media"]
    # keys are stable: reading again gives the same ones
    assert set(nodes(collect(DYI_POSTS), "Post")) == set(posts)


def test_dyi_comments_group_posts_and_profile() -> None:
    comments = collect(DYI / "your_facebook_activity" / "comments_and_reactions" / "comments.json")
    assert totals(comments) == (1, 1, 0)
    (post,) = nodes(comments, "Post").values()
    assert post["kind"] == "comment"
    assert post["text"].startswith("Согласна с автором")
    assert not edges(comments, "REPLIES_TO")  # the export does not say which post
    groups = collect(DYI / "your_facebook_activity" / "groups" / "your_posts_in_groups.json")
    (gpost,) = nodes(groups, "Post").values()
    assert gpost["text"] == "Кто идёт голосовать? Пишите ниже."
    profile = collect(DYI / "personal_information" / "profile_information" / "profile_information.json")
    assert totals(profile) == (1, 1, 0)
    assert nodes(profile, "Account")["facebook:nigora.karimova"] == {
        "platform": "facebook", "handle": "nigora.karimova", "name": "Нигора Каримова",
        "url": "https://www.facebook.com/nigora.karimova",
        "profile_links": ["https://pamirnotes.wordpress.com/"],
    }


def test_dyi_owner_without_profile(tmp_path: Path) -> None:
    lone = tmp_path / "export" / "posts" / "your_posts_1.json"
    lone.parent.mkdir(parents=True)
    shutil.copy(DYI_POSTS, lone)
    # no profile and no owner given: posts are kept, without an author
    batches = collect(lone)
    assert totals(batches) == (4, 3, 1)
    assert not edges(batches, "AUTHORED")
    given = collect(lone, extra={"facebook_owner": "Nigora.K"})
    assert {a for a, _ in edges(given, "AUTHORED")} == {"facebook:nigora.k"}
    # a comments file names its author
    comments = tmp_path / "export" / "comments.json"
    shutil.copy(DYI / "your_facebook_activity" / "comments_and_reactions" / "comments.json", comments)
    assert {a for a, _ in edges(collect(comments), "AUTHORED")} == {"facebook:нигора каримова"}


def test_correct_utf8_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    path.write_text(json.dumps([{"timestamp": 1383032520,
                                 "data": [{"post": "Ҳама ба интихобот — café"}]}],
                               ensure_ascii=False), encoding="utf-8")
    (post,) = nodes(collect(path), "Post").values()
    assert post["text"] == "Ҳама ба интихобот — café"


def test_named_format_on_another_file_says_what_it_reads() -> None:
    with pytest.raises(CollectError, match="not a Facebook export netmap reads"):
        collect(FIXTURES / "feeds" / "wordpress_rss.xml")


def test_unreadable_json_is_one_reject(tmp_path: Path) -> None:
    broken = tmp_path / "your_posts_1.json"
    broken.write_text('[{"timestamp": 1383032520, "data": [{"post": "обрыв', encoding="utf-8")
    batches = collect(broken)
    assert totals(batches) == (1, 0, 1)
    assert next(iter(rejects(batches))) == "file"


# -- across platforms ----------------------------------------------------------------------

def test_blog_post_shared_on_facebook_ok_and_twitter_is_one_post(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "x.db") as store:
        report = pipeline_collect(store, "auto", [str(FIX / "crossplatform")])
        assert (report.read, report.stored, report.rejected) == (4, 4, 0)
        assert not report.errors
        assert {Path(s["source"]).name: s["format"] for s in report.sources} == {
            "blog.rss.xml": "feeds", "crowdtangle.csv": "facebook", "ok_topics.json": "ok",
            "tweets.jsonl": "twitter"}
        posts = store.nodes("Post", ["platform"])
        assert sorted(posts["platform"]) == ["blog", "facebook", "ok", "twitter"]
        assert store.nodes("Url").empty  # every variant met the blog post's key
        shares = store.edges(["SHARES"])
        assert set(shares["dst"]) == {BLOG_KEY}
        assert sorted(shares["src"]) == sorted([
            "facebook.com/nigoh.didbon/posts/10151234567899999", "ok:62000000000777",
            "twitter:397900000000000777"])
        assert store.edges(["LINKS_TO"]).empty
        blog = store.get_node("Post", BLOG_KEY)
        assert blog["platform"] == "blog" and blog["title"].startswith("Соцсети")


def test_example_facebook_and_ok_folders(tmp_path: Path) -> None:
    main = url_key("https://nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013/")
    with SQLiteStore(tmp_path / "ex.db") as store:
        report = pipeline_collect(store, "auto", [str(EXAMPLE / d) for d in
                                                  ("blogs", "facebook", "ok")])
        assert report.rejected == 0 and not report.errors
        shares = store.edges(["SHARES"])
        to_main = shares[shares["dst"] == main]["src"]
        assert sum(s.startswith("facebook.com/") for s in to_main) == 4
        assert sum(s.startswith("ok:") for s in to_main) == 2
        truth = dict(csv.reader((EXAMPLE / "truth.csv").open(encoding="utf-8")))
        wanted = {k for k in truth if k.startswith(("facebook:", "ok:"))}
        accounts = set(store.nodes("Account")["key"])
        assert wanted and wanted <= accounts
        assert {a for a in accounts if a.startswith(("facebook:", "ok:"))} == wanted
