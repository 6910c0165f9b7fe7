"""The twitter collector on API v1.1 statuses (twarc 1, streams) and personal archives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from batchtools import edges, nodes, rejects, totals

from netmap.collect import sniff
from netmap.collect.base import CollectOptions, Source
from netmap.collect.twitter import TwitterCollector, from_v1
from netmap.errors import CollectError
from netmap.keys import hashtag_key
from netmap.model import Batch
from netmap.pipeline import collect as pipeline_collect
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "twitter"
ARCHIVE = FIX / "archive" / "data"

BLOG = "twitter:397900000000000001"
RT = "twitter:397900000000000002"
ORIG = "twitter:397800000000000002"
QUOTE = "twitter:397900000000000003"
REPLY = "twitter:397900000000000004"
LONG = "twitter:397900000000000007"
ARCHIVE_RT = "twitter:397900000000000006"
ARCHIVE_REPLY = "twitter:397900000000000008"


def collect(path: Path, **options) -> list[Batch]:
    return list(TwitterCollector().read(Source.from_path(path), CollectOptions(**options)))


# -- API v1.1 ----------------------------------------------------------------------------------

def test_v1_statuses_give_the_same_graph_as_flattened_v2() -> None:
    v1 = collect(FIX / "v1.jsonl")
    flat = collect(FIX / "flat.jsonl")
    assert totals(v1) == (7, 5, 2)
    long_edges = {e for e in edges(v1) if LONG in (e[1], e[2])}
    assert long_edges  # the streamed long tweet is there with its own records
    assert edges(v1) - long_edges == edges(flat)
    posts = {k: v for k, v in nodes(v1, "Post").items() if k != LONG}
    assert posts == nodes(flat, "Post")
    assert nodes(v1, "Account") == nodes(flat, "Account")
    assert nodes(v1, "Post")[RT]["kind"] == "share"
    assert nodes(v1, "Post")[QUOTE]["kind"] == "quote"
    assert nodes(v1, "Post")[BLOG]["like_count"] == 9  # favorite_count


def test_v1_extended_tweet_gives_the_full_text_and_its_entities() -> None:
    post = nodes(collect(FIX / "v1.jsonl"), "Post")[LONG]
    assert post["text"].startswith("Длинный текст о выборах, полностью:")
    assert len(post["text"]) > 400
    batches = collect(FIX / "v1.jsonl")
    assert (LONG, hashtag_key("Таджикистан")) in edges(batches, "TAGGED")
    links = {dst for src, dst in edges(batches, "LINKS_TO") if src == LONG}
    assert any("asiaplus.tj/ru/news/analysis" in dst for dst in links)


def test_v1_stream_notices_are_rejected_with_their_kind() -> None:
    rej = rejects(collect(FIX / "v1.jsonl"))
    assert [r.location for r in rej] == ["line 5", "line 6"]
    assert "'delete'" in rej[0].reason and "deleted by its author" in rej[0].reason
    assert "'limit'" in rej[1].reason


def test_v1_is_sniffed_as_twitter(tmp_path: Path) -> None:
    assert sniff(Source.from_path(FIX / "v1.jsonl")).name == "twitter"
    # a status line longer than the sniffing head is still recognised by its opening
    status = json.loads((FIX / "v1.jsonl").read_text("utf-8").splitlines()[0])
    status["full_text"] += " " + "x" * 70000
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(status) + "\n", encoding="utf-8")
    assert sniff(Source.from_path(path)).name == "twitter"


def test_v1_bad_statuses_are_rejected_one_by_one(tmp_path: Path) -> None:
    lines = (FIX / "v1.jsonl").read_text("utf-8").splitlines()
    good = json.loads(lines[0])
    bad_id = {**good, "id_str": {"nested": 1}, "id": None}
    no_user = {**good, "id_str": "397900000000000099", "user": "someone"}
    bad_entities = {**good, "id_str": "397900000000000098", "entities": [1, 2]}
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False)
                              for o in (bad_id, good, no_user, bad_entities)) + "\n",
                    encoding="utf-8")
    batches = collect(path)
    assert totals(batches) == (4, 1, 3)
    reasons = {r.location: r.reason for r in rejects(batches)}
    assert reasons["line 1"].startswith("unusable tweet: id is a JSON dict")
    assert reasons["line 3"] == "tweet has no author_id"
    assert reasons["line 4"] == "unusable tweet: entities is not a JSON object"


def test_from_v1_maps_references_and_counts() -> None:
    status = json.loads((FIX / "v1.jsonl").read_text("utf-8").splitlines()[3])  # the reply
    t = from_v1(status)
    assert t["id"] == "397900000000000004"
    assert t["referenced_tweets"] == [{"type": "replied_to", "id": "397900000000000003"}]
    assert t["in_reply_to_user"] == {"username": "farrukh_pamir", "id": "1500000004"}
    assert t["author"]["username"] == "AsiaPlusTJ"
    archive = from_v1({"id_str": "1", "full_text": "RT @x: y", "retweet_count": "12",
                       "favorite_count": "x"}, owner={"id": "9", "username": "me"})
    assert archive["_kind"] == "share"
    assert archive["public_metrics"]["retweet_count"] == 12
    assert archive["public_metrics"]["like_count"] == "x"  # left for clean_props, not guessed


# -- personal archive --------------------------------------------------------------------------

def _archive_store(tmp_path: Path, inputs: list[str], fmt: str = "twitter", **extra):
    store = SQLiteStore(tmp_path / "a.db")
    report = pipeline_collect(store, fmt, inputs, options=CollectOptions(extra=extra))
    return store, report


@pytest.mark.parametrize("fmt", ["twitter", "auto"])
def test_archive_data_folder(tmp_path: Path, fmt: str) -> None:
    store, report = _archive_store(tmp_path, [str(ARCHIVE)], fmt)
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    assert report.errors == []
    per_file = {Path(s["source"]).name: s["read"] for s in report.sources}
    assert per_file == {"tweets.js": 3, "account.js": 0, "profile.js": 0, "like.js": 0,
                        "deleted-tweets.js": 0}
    owner = store.get_node("Account", "twitter:dilshod_tj")
    assert owner["name"] == "Dilshod" and owner["bio"] == "Журналист. Пишу о выборах"
    assert owner["user_id"] == "1500000001" and owner["location"] == "Dushanbe"
    assert "profile_links" not in owner  # the website is a t.co wrapper: no identity hint
    authored = set(store.edges(["AUTHORED"]).itertuples(index=False, name=None))
    for key in (BLOG, ARCHIVE_RT, ARCHIVE_REPLY):
        assert ("AUTHORED", "Account", "twitter:dilshod_tj", "Post", key) in authored
    # the reply: to farrukh's quote, whose author the archive names
    assert ("AUTHORED", "Account", "twitter:farrukh_pamir", "Post", QUOTE) in authored
    replies = store.edges(["REPLIES_TO"])
    assert list(zip(replies.src, replies.dst, strict=True)) == [(ARCHIVE_REPLY, QUOTE)]
    rt = store.get_node("Post", ARCHIVE_RT)
    # a retweet's counts are the original's: not kept on the retweet, as with API v2
    assert rt["kind"] == "share" and "retweet_count" not in rt
    mentions = store.edges(["MENTIONS"])
    assert (ARCHIVE_RT, "twitter:ozodi_tj") in set(zip(mentions.src, mentions.dst, strict=True))
    blog = store.get_node("Post", BLOG)
    assert blog["created_at"] == "2013-11-06T08:00:00Z" and blog["like_count"] == 9
    assert blog["url"] == f"https://twitter.com/dilshod_tj/status/{BLOG.split(':')[1]}"
    store.close()


def test_archive_tweets_file_alone_finds_its_account(tmp_path: Path) -> None:
    store, report = _archive_store(tmp_path, [str(ARCHIVE / "tweets.js")])
    assert (report.read, report.rejected) == (3, 0)
    assert store.counts()["nodes"]["Account"] >= 2
    store.close()


def test_archive_without_account_needs_an_owner(tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(ARCHIVE / "tweets.js", lone / "tweets.js")
    with pytest.raises(CollectError, match="twitter_owner"):
        collect(lone / "tweets.js")
    batches = collect(lone / "tweets.js", extra={"twitter_owner": "@Dilshod_TJ"})
    assert totals(batches) == (3, 3, 0)
    assert ("twitter:dilshod_tj", BLOG) in edges(batches, "AUTHORED")


def test_truncated_archive_keeps_every_whole_tweet(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(ARCHIVE, folder)
    text = (ARCHIVE / "tweets.js").read_text("utf-8")
    cut = text.index('"397900000000000008"')  # inside the third tweet
    (folder / "tweets.js").write_text(text[:cut], encoding="utf-8")
    batches = collect(folder / "tweets.js")
    assert totals(batches) == (3, 2, 1)
    (rej,) = rejects(batches)
    third_line = text[:text.index('"tweet"', text.index(ARCHIVE_RT.split(":")[1]))].count("\n")
    assert rej.location == f"tweet 3 (line {third_line})"
    assert rej.reason.startswith("invalid or truncated JSON")
    assert {BLOG, ARCHIVE_RT} <= set(nodes(batches, "Post"))


def test_archive_damaged_entries(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(ARCHIVE, folder)
    items = [{"tweet": {"id_str": "1", "full_text": "ok", "created_at": "Wed Nov 06 08:00:00 +0000 2013"}},
             "a string", {"tweet": {"id_str": ["x"], "full_text": "bad id"}},
             {"tweet": {"full_text": "no id"}}]
    (folder / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(items, indent=2),
                                      encoding="cp1251")
    batches = collect(folder / "tweets.js")
    assert totals(batches) == (4, 1, 3)
    reasons = [r.reason for r in rejects(batches)]
    assert reasons[0] == "archive entry is not a JSON object"
    assert reasons[1].startswith("unusable tweet: id is a JSON list")
    assert reasons[2] == "tweet has no id"
    assert [r.location.split(" (")[0] for r in rejects(batches)] == ["tweet 2", "tweet 3", "tweet 4"]


@pytest.mark.parametrize("fmt", ["twitter", "auto"])
def test_archive_media_are_skipped(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(ARCHIVE, folder)
    media = folder / "tweets_media"
    media.mkdir()
    (media / "397900000000000001-AbCd.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    (media / "397900000000000001-EfGh.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42\n{" * 50)
    store, report = _archive_store(tmp_path, [str(folder)], fmt)
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    assert report.errors == []
    store.close()


# -- the archive as downloaded (.zip) ----------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _archive_members(root: str = "") -> dict[str, bytes]:
    members = {f"{root}data/{f.name}": f.read_bytes() for f in ARCHIVE.iterdir() if f.is_file()}
    members[f"{root}data/tweets_media/397900000000000001-AbCd.jpg"] = b"\xff\xd8\xff\xe0" * 100
    members[f"{root}Your archive.html"] = b"<html><body>archive</body></html>"
    members[f"{root}assets/js/app.js"] = b"window.__THAR_CONFIG = {};"
    return members


@pytest.mark.parametrize("fmt", ["twitter", "auto"])
def test_archive_zip_as_downloaded(tmp_path: Path, fmt: str) -> None:
    path = _zip(tmp_path / "twitter-2023-11-06-abc.zip", _archive_members())
    store, report = _archive_store(tmp_path, [str(path)], fmt)
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    assert report.errors == []
    assert store.get_node("Account", "twitter:dilshod_tj")["bio"] == "Журналист. Пишу о выборах"
    authored = set(store.edges(["AUTHORED"]).itertuples(index=False, name=None))
    assert ("AUTHORED", "Account", "twitter:dilshod_tj", "Post", ARCHIVE_REPLY) in authored
    store.close()


def test_archive_zip_in_parts_with_damage(tmp_path: Path) -> None:
    members = _archive_members("twitter-archive/")
    text = members.pop("twitter-archive/data/tweets.js").decode("utf-8")
    items = json.loads(text.split("=", 1)[1])
    part2 = "window.YTD.tweets.part1 = " + json.dumps(items[2:], indent=2)
    members["twitter-archive/data/tweets-part1.js"] = (
        "window.YTD.tweets.part0 = " + json.dumps(items[:2], indent=2)).encode()
    members["twitter-archive/data/tweets-part2.js"] = part2[: len(part2) // 2].encode()
    path = _zip(tmp_path / "archive.zip", members)
    batches = collect(path)
    assert totals(batches) == (3, 2, 1)
    (rej,) = rejects(batches)
    assert rej.location == "twitter-archive/data/tweets-part2.js: tweet 1 (line 2)"
    assert rej.reason.startswith("invalid or truncated JSON")
    assert {BLOG, ARCHIVE_RT} <= set(nodes(batches, "Post"))


def test_archive_zip_without_account(tmp_path: Path) -> None:
    members = {k: v for k, v in _archive_members().items() if not k.endswith("account.js")}
    path = _zip(tmp_path / "archive.zip", members)
    with pytest.raises(CollectError, match="twitter_owner"):
        collect(path)
    assert totals(collect(path, extra={"twitter_owner": "dilshod_tj"})) == (3, 3, 0)


def test_other_zips_are_not_taken_for_archives(tmp_path: Path) -> None:
    path = _zip(tmp_path / "other.zip", {"data/notes.txt": b"hello", "tweets.js": b"x"})
    assert TwitterCollector().sniff(Source.from_path(path)) == 0


def test_hostile_archive_entries(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(ARCHIVE, folder)
    good = json.loads((ARCHIVE / "tweets.js").read_text("utf-8").split("=", 1)[1])[0]
    hostile = {"tweet": {**good["tweet"], "id_str": "397900000000000077",
                         "full_text": "<script>alert(1)</script>\u0000\u202e ' OR 1=1 --",
                         "retweet_count": str(2**70)}}
    deep = "[" * 100000 + "]" * 100000
    (folder / "tweets.js").write_text(
        "window.YTD.tweets.part0 = [\n" + json.dumps(good) + ",\n" + json.dumps(hostile)
        + ",\n" + deep + "\n]", encoding="utf-8")
    batches = collect(folder / "tweets.js")
    assert totals(batches) == (3, 2, 1)
    (rej,) = rejects(batches)
    assert rej.location == "tweet 3 (line 4)" and "nested too deeply" in rej.reason
    post = nodes(batches, "Post")["twitter:397900000000000077"]
    assert post["text"].startswith("<script>alert(1)</script>\x00\u202e")
    assert post["retweet_count"] == 2**70
    with SQLiteStore(tmp_path / "h.db") as store:  # stored as a float: SQLite and Neo4j hold 64 bits
        run = store.begin_run("t", [], {})
        for b in batches:
            store.write_batch(b, run)
        assert store.get_node("Post", "twitter:397900000000000077")["retweet_count"] == float(2**70)
    # a deep account.js is a clear error, not a crash
    (folder / "tweets.js").write_text("window.YTD.tweets.part0 = []", encoding="utf-8")
    (folder / "account.js").write_text("window.YTD.account.part0 = " + deep, encoding="utf-8")
    with pytest.raises(CollectError, match="account.js: invalid JSON"):
        collect(folder / "tweets.js")


def _fixture_items() -> list:
    return json.loads((ARCHIVE / "tweets.js").read_text("utf-8").split("=", 1)[1])


def test_archive_layouts_read_alike(tmp_path: Path) -> None:
    results = []
    for name, text in (("pretty", json.dumps(_fixture_items(), indent=2, ensure_ascii=False)),
                       ("minified", json.dumps(_fixture_items(), ensure_ascii=False)),
                       ("four", json.dumps(_fixture_items(), indent=4))):
        folder = tmp_path / name
        shutil.copytree(ARCHIVE, folder)
        (folder / "tweets.js").write_text("window.YTD.tweets.part0 = " + text, encoding="utf-8")
        batches = collect(folder / "tweets.js")
        assert totals(batches) == (3, 3, 0)
        results.append((nodes(batches, "Post"), nodes(batches, "Account"), edges(batches)))
    assert results[0] == results[1] == results[2]


def test_pretty_archive_reads_on_after_a_damaged_tweet(tmp_path: Path) -> None:
    items = _fixture_items()
    text = json.dumps(items, indent=2, ensure_ascii=False)
    lines = text.splitlines()
    second = next(i for i, ln in enumerate(lines) if '"397900000000000006"' in ln)
    lines[second] = lines[second].replace('"397900000000000006"', '"397900000000000006" "x"')
    folder = tmp_path / "data"
    shutil.copytree(ARCHIVE, folder)
    (folder / "tweets.js").write_text("window.YTD.tweets.part0 = " + "\n".join(lines),
                                      encoding="utf-8")
    batches = collect(folder / "tweets.js")
    assert totals(batches) == (3, 2, 1)
    (rej,) = rejects(batches)
    start = max(i for i, ln in enumerate(lines[:second]) if ln == "  {") + 1
    assert rej.location == f"tweet 2 (line {start})"
    assert rej.reason.startswith("invalid or truncated JSON")
    assert {BLOG, ARCHIVE_REPLY} <= set(nodes(batches, "Post"))  # the third is read again
    assert ARCHIVE_RT not in nodes(batches, "Post")
