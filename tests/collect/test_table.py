"""The table collector: CSV / TSV / JSON lines read through a YAML mapping."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from batchtools import edges, nodes, totals

from netmap.collect import sniff
from netmap.collect.base import CollectOptions, Source
from netmap.collect.table import TableCollector, _detect_encoding, load_mapping
from netmap.errors import CollectError
from netmap.model import Batch
from netmap.pipeline import collect as run_collect
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "table"
T1, T2, T3, T4 = (f"twitter:39610000000000000{i}" for i in range(1, 5))
BLOG = "pamirnotes.wordpress.com/2013/10/12/socseti-debaty"


def read(path: Path, mapping, **options) -> list[Batch]:
    opts = CollectOptions(extra={"mapping": mapping}, **options)
    return list(TableCollector().read(Source.from_path(path), opts))


def rejects(batches: list[Batch]) -> dict[str, str]:
    return {r.location: r.reason for b in batches for r in b.rejects}


# -- without or with a broken mapping --------------------------------------------------

def test_never_sniffed_and_needs_a_mapping() -> None:
    source = Source.from_path(FIX / "4cat_twitter.csv")
    assert TableCollector().sniff(source) == 0
    with pytest.raises(CollectError, match="format not recognised"):
        sniff(source)
    with pytest.raises(CollectError, match="--mapping FILE.yaml"):
        list(TableCollector().read(source, CollectOptions()))


@pytest.mark.parametrize(("mapping", "message"), [
    ({"platform": "twitter"}, "'columns' must map fields"),
    ({"platform": "twitter", "columns": {"id": "a", "author": "b"}, "colums": 1}, "unknown key.*colums"),
    ({"platform": "twitter", "columns": {"id": "a", "author": "b", "txt": "c"}}, "unknown field.*txt"),
    ({"columns": {"id": "a", "author": "b"}}, "which platform"),
    ({"platform": "x", "format": "xlsx", "columns": {"id": "a", "author": "b"}}, "csv, tsv or jsonl"),
    ({"platform": "x", "header": False, "columns": {"id": "a", "author": "b"}}, "0-based numbers"),
    ({"platform": "x", "required": ["text"], "columns": {"id": "a", "author": "b"}}, "text have no column"),
    ({"platform": "x", "columns": {"author": "b"}}, "an id or a url"),
    ({"platform": "x", "columns": {"id": "a"}}, "author column"),
    ({"platform": "x", "timezone": "Mars/Olympus", "columns": {"id": "a", "author": "b"}}, "timezone"),
    ({"platform": "x", "kind": "retweet", "columns": {"id": "a", "author": "b"}}, "kind must be"),
])
def test_mapping_errors_name_the_key(mapping: dict, message: str) -> None:
    with pytest.raises(CollectError, match=message):
        load_mapping(mapping)


def test_mapping_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CollectError, match="mapping file not found"):
        load_mapping(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: [unclosed")
    with pytest.raises(CollectError, match="not valid YAML"):
        load_mapping(bad)


def test_mapped_column_missing_from_header(tmp_path: Path) -> None:
    mapping = {"platform": "twitter", "columns": {"id": "id", "author": "user_name", "text": "body"}}
    with pytest.raises(CollectError, match=r"not in the header: author -> 'user_name'.*author_fullname"):
        read(FIX / "4cat_twitter.csv", mapping)


# -- real-format tables --------------------------------------------------------------

def test_4cat_twitter_export() -> None:
    batches = read(FIX / "4cat_twitter.csv", str(FIX / "4cat_twitter.yaml"))
    assert totals(batches) == (4, 4, 0)
    posts = nodes(batches, "Post")
    assert posts[T1]["kind"] == "post" and posts[T2]["kind"] == "share"
    assert posts[T3]["kind"] == "reply" and posts[T4]["kind"] == "quote"
    assert posts[T1]["created_at"] == "2013-11-01T08:00:00Z" and posts[T1]["lang"] == "ru"
    assert posts[T3]["text"] == "@farrukh_p Это шум, а не дебаты.\nБойкот!"  # a quoted newline
    assert edges(batches, "SHARES") == {(T2, T1)}
    assert edges(batches, "REPLIES_TO") == {(T3, T1)}
    assert edges(batches, "QUOTES") == {(T4, T1)}  # a tweet URL names the tweet
    assert edges(batches, "MENTIONS") == {(T2, "twitter:farrukh_p"), (T3, "twitter:farrukh_p")}
    assert ("twitter:farrukh_p", T1) in edges(batches, "AUTHORED")
    # the URL column's expanded link, not the t.co of the text; no link to the quoted tweet
    assert {d for s, d in edges(batches, "LINKS_TO")} == {BLOG}
    assert (T1, "выборы2013") in edges(batches, "TAGGED")
    acc = nodes(batches, "Account")
    assert acc["twitter:farrukh_p"]["group_seed"] == "supporter"
    assert acc["twitter:boycott_tj"]["group_seed"] == "boycott"
    assert acc["twitter:boycott_tj"]["name"] == "Бойкот 2013"
    assert "group_seed" not in acc["twitter:nigora"]


def test_cp1251_tsv_with_local_times() -> None:
    batches = read(FIX / "telegram.tsv", str(FIX / "telegram_tsv.yaml"))
    assert totals(batches) == (2, 2, 0)
    posts = nodes(batches, "Post")
    # Telegram posts with their t.me URL are keyed by it, as the telegram collector does
    assert posts["t.me/asiaplus/1290"]["text"].startswith("Явка на 12:00 составила 46%.")
    assert posts["t.me/asiaplus/1290"]["created_at"] == "2013-11-08T07:00:00Z"  # +05:00
    assert ("telegram:asiaplus", "t.me/asiaplus/1290") in edges(batches, "AUTHORED")
    assert ("t.me/asiaplus/1290", "asiaplus.tj/news/1") in edges(batches, "LINKS_TO")
    assert ("t.me/asiaplus/1290", "выборы") in edges(batches, "TAGGED")


def test_jsonl_with_dotted_paths_and_rejects() -> None:
    batches = read(FIX / "vk_posts.jsonl", str(FIX / "vk_jsonl.yaml"))
    assert totals(batches) == (5, 2, 3)  # the blank line is no record
    assert rejects(batches) == {
        "line 4": "missing author (column 'owner.screen_name')",
        "line 5": "invalid JSON: Expecting value: line 1 column 1 (char 0)",
        "line 6": "a JSON list, not an object",
    }
    posts = nodes(batches, "Post")
    assert posts["vk:wall-1_10"]["views"] == 1532
    assert posts["vk:wall-1_10"]["created_at"] == "2013-11-08T08:00:00Z"
    assert edges(batches, "REPLIES_TO") == {("vk:wall-1_10_c5", "vk:wall-1_10")}
    assert {d for s, d in edges(batches, "LINKS_TO")} == {"news.tj/ru/node/172000",
                                                           "ozodi.org/a/25160000.html"}


def test_bad_rows_are_rejected_with_their_lines() -> None:
    mapping = {"platform": "mastodon", "columns": {"id": "id", "author": "author", "time": "time",
                                                   "text": "text"}}
    batches = read(FIX / "bad_rows.csv", mapping)  # ';' found from the header line
    assert totals(batches) == (6, 3, 3)
    assert rejects(batches) == {
        "line 3": "missing author (column 'author')",
        "line 5": "row has 2 fields; no column for time, text",
        "line 6": "time 'yesterday' does not match 'iso'",
    }
    posts = nodes(batches, "Post")
    assert posts["mastodon:5"]["text"] == "a text\nover two lines"
    assert posts["mastodon:5"]["created_at"] == "2013-11-01T07:00:00Z"
    assert posts["mastodon:6"]["created_at"] == "2013-11-01T10:00:00Z"  # epoch seconds


def test_headerless_csv_and_blog_rows(tmp_path: Path) -> None:
    path = tmp_path / "blog.csv"
    path.write_text("https://blog.example/2013/11/a/,Aziz,Post A,https://blog.example/2013/10/b/\n"
                    "https://blog.example/2013/10/b/,Aziz,Post B,\n", encoding="utf-8")
    mapping = {"platform": "blog", "header": False,
               "columns": {"url": 0, "author": 1, "title": 2, "shared_url": 3}}
    batches = read(path, mapping)
    assert totals(batches) == (2, 2, 0)
    assert ("blog:blog.example/aziz", "blog.example/2013/11/a") in edges(batches, "AUTHORED")
    assert ("blog.example/2013/11/a", "blog.example") in edges(batches, "PUBLISHED_ON")
    assert ("blog.example/2013/11/a", "blog.example/2013/10/b") in edges(batches, "LINKS_TO")


def test_table_into_a_store(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        report = run_collect(store, "table", [str(FIX / "4cat_twitter.csv")],
                             options=CollectOptions(extra={"mapping": str(FIX / "4cat_twitter.yaml")}))
        assert report.errors == [] and (report.read, report.stored) == (4, 4)
        assert store.get_node("Account", "twitter:farrukh_p")["group_seed"] == "supporter"
        report = run_collect(store, "table", [str(FIX / "4cat_twitter.csv")])
        assert "--mapping" in report.errors[0]


# -- encodings and size ----------------------------------------------------------------

def test_encoding_detection_on_a_cut_head() -> None:
    text = ("id,author,text\n" + "1,a,Привет мир\n" * 5000).encode("utf-8")
    for n in range(65530, 65537):  # wherever the head ends, even inside a character
        assert _detect_encoding(text[:n]) == "utf-8"
    assert _detect_encoding("id,автор\n1,Фарход\n".encode("cp1251")) == "cp1251"
    assert _detect_encoding("id,автор\n1,Фарход\n".encode("koi8-r")) == "koi8-r"
    assert _detect_encoding(b"\xef\xbb\xbfid,author\n") == "utf-8-sig"


def test_bom_and_big_field(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    big = "слово " * 400_000  # a 4.4 MB cell: past csv's default 128 KiB field limit
    path.write_bytes(b"\xef\xbb\xbf" + f'id,author,text\n1,a,"{big}"\n2,b,short\n'.encode())
    batches = read(path, {"platform": "twitter", "columns": {"id": "id", "author": "author",
                                                              "text": "text"}})
    assert totals(batches) == (2, 2, 0)
    assert nodes(batches, "Post")["twitter:1"]["text"] == big  # kept whole, as written


def test_streams_a_large_table(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    n = 100_000
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,author,time,text,url\n")
        for i in range(n):
            fh.write(f"{i},user{i % 5000},2013-11-0{1 + i % 9}T10:00:00Z,"
                     f"пост номер {i} #тег{i % 50},https://blog{i % 300}.example/p/{i}\n")
    mapping = {"platform": "twitter", "columns": {"id": "id", "author": "author", "time": "time",
                                                  "text": "text", "shared_url": "url"}}
    t0 = time.perf_counter()
    sizes = []
    with open(path, "rb") as probe:
        total_bytes = probe.seek(0, 2)
    source = Source.from_path(path)
    for batch in TableCollector().read(source, CollectOptions(batch_size=5000,
                                                              extra={"mapping": mapping})):
        sizes.append(batch.read)
    elapsed = time.perf_counter() - t0
    # handed on batch by batch as the rows stream in, never the whole table at once
    assert sizes == [5000] * (n // 5000)
    assert total_bytes > 8_000_000
    print(f"table: {n} rows in {elapsed:.2f} s ({n / elapsed:,.0f} rows/s)")
