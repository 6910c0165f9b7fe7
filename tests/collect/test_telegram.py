"""The telegram collector on Telegram Desktop JSON exports (one chat, a full account)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from batchtools import edges, nodes, rejects, totals

import netmap.collect.telegram as telegram_mod
from netmap.collect.base import CollectOptions, Source
from netmap.collect.telegram import TelegramCollector
from netmap.errors import CollectError
from netmap.keys import url_key
from netmap.model import Batch
from netmap.pipeline import collect as pipeline_collect
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"
CHANNEL = FIX / "channel_result.json"
GROUP = FIX / "group_result.json"
FULL = FIX / "full_result.json"
TRUNCATED = FIX / "truncated_result.json"

CH = "telegram:channel1001234567"
P = "telegram:1001234567:"  # posts of the channel, keyed by chat id while its username is unknown
G = "telegram:1007654321:"  # posts of the group


def collect(path: Path | str, **options) -> list[Batch]:
    return list(TelegramCollector().read(Source.from_path(path), CollectOptions(**options)))


def load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def write(path: Path, obj: dict) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1), "utf-8")
    return path


def fwd_key(batches: list[Batch], forward: str) -> str:
    (dst,) = [d for s, d in edges(batches, "SHARES") if s == forward]
    return dst


# -- sniffing ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["channel_result.json", "group_result.json", "full_result.json",
                                  "truncated_result.json"])
def test_sniff_recognises_exports(name: str) -> None:
    assert TelegramCollector().sniff(Source.from_path(FIX / name)) >= 90


def test_sniff_ignores_other_json(tmp_path: Path) -> None:
    other = write(tmp_path / "other.json", {"name": "x", "items": [1, 2]})
    assert TelegramCollector().sniff(Source.from_path(other)) == 0
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"messages": []}\n{"messages": []}\n', "utf-8")
    assert TelegramCollector().sniff(Source.from_path(lines)) == 0


# -- one channel ---------------------------------------------------------------------

def test_channel_counts_and_rejects() -> None:
    batches = collect(CHANNEL)
    # 13 messages: 2 service messages (stored, no Post), 9 messages, 2 rejects
    assert totals(batches) == (13, 11, 2)
    assert [(r.location, r.reason) for r in rejects(batches)] == [
        ("message 9 (id 9)", "message of type 'unsupported' has no readable content "
                             "(Telegram Desktop could not export it)"),
        ("message 11", "message has no id"),
    ]
    posts = nodes(batches, "Post")
    own = {k for k, v in posts.items() if not v.get("from_forward")}
    assert own == {P + str(i) for i in (2, 3, 4, 5, 6, 7, 8, 12, 13)}


def test_service_messages_make_no_post_but_their_actor() -> None:
    batches = collect(CHANNEL)
    posts = nodes(batches, "Post")
    assert P + "1" not in posts and P + "10" not in posts  # create_channel, pin_message
    group = collect(GROUP)
    assert totals(group) == (7, 7, 0)
    assert G + "1" not in nodes(group, "Post") and G + "2" not in nodes(group, "Post")
    # the member who joined by link is known although they never wrote
    assert nodes(group, "Account")["telegram:user500000001"]["name"] == "Dilshod"


def test_post_properties_and_entity_arrays() -> None:
    batches = collect(CHANNEL)
    posts = nodes(batches, "Post")
    assert posts[P + "2"] == {
        "platform": "telegram", "kind": "post",
        "text": "Соцсети стали площадкой для дебатов: читайте блог #выборы2013 via @Ozodi_TJ",
        "created_at": "2013-11-06T05:00:00Z",  # date_unixtime, not the local 10:00
        "chat": CH, "chat_name": "Азия-Плюс | Новости", "chat_type": "public_channel",
        "message_id": 2,
    }
    assert ("telegram:channel1001234567", P + "2") in edges(batches, "AUTHORED")
    assert (P + "2", url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")) \
        in edges(batches, "LINKS_TO")
    assert (P + "2", "выборы2013") in edges(batches, "TAGGED")
    assert (P + "2", "telegram:ozodi_tj") in edges(batches, "MENTIONS")
    acc = nodes(batches, "Account")
    assert acc["telegram:ozodi_tj"] == {"platform": "telegram", "handle": "ozodi_tj",
                                        "url": "https://t.me/ozodi_tj"}
    assert acc[CH]["name"] == "Азия-Плюс | Новости"  # a display name, never taken as username
    assert "handle" not in acc[CH]
    # edited, signed post; mention_name points at the user id, not the inflected text
    p8 = posts[P + "8"]
    assert p8["edited_at"] == "2013-11-06T07:45:00Z" and p8["signature"] == "Дилшод"
    assert p8["text"] == "Спасибо Нигоре за фото с участка"
    assert (P + "8", "telegram:user500000002") in edges(batches, "MENTIONS")
    assert "name" not in acc["telegram:user500000002"]


def test_media_only_and_poll_messages_are_posts() -> None:
    posts = nodes(collect(CHANNEL), "Post")
    assert posts[P + "3"]["media"] == "photo" and "text" not in posts[P + "3"]
    assert posts[P + "3"]["kind"] == "post"
    poll = posts[P + "4"]
    assert poll["text"] == "Пойдёте ли вы на выборы?"
    assert poll["poll_answers"] == ["Да", "Нет, бойкот", "Ещё не решил"]
    assert poll["poll_voters"] == 412 and poll["media"] == "poll" and poll["kind"] == "post"


def test_old_export_text_array_without_text_entities() -> None:
    batches = collect(CHANNEL)
    posts = nodes(batches, "Post")
    assert posts[P + "12"]["text"] == "Итоги дня http://news.tj/ru/node/160000 #Таджикистан"
    # no date_unixtime: the local time is taken as it is written
    assert posts[P + "12"]["created_at"] == "2013-11-06T14:00:00Z"
    assert (P + "12", "news.tj/ru/node/160000") in edges(batches, "LINKS_TO")
    assert (P + "12", "таджикистан") in edges(batches, "TAGGED")
    assert nodes(batches, "Hashtag")["таджикистан"] == {"tag": "Таджикистан"}


def test_forward_from_a_channel_shares_a_stub_original() -> None:
    batches = collect(CHANNEL)
    orig = fwd_key(batches, P + "5")
    assert orig.startswith("telegram:channel1009999999:fwd:") and len(orig.rsplit(":", 1)[1]) == 16
    posts = nodes(batches, "Post")
    assert posts[P + "5"]["kind"] == "share" and posts[P + "5"]["forwarded_from"] == "Радио Озоди"
    assert posts[orig] == {"platform": "telegram", "kind": "post", "from_forward": True,
                           "text": "Явка на 10:00 — 20%, пишет Озоди: ozodi.org/a/25159000.html"}
    assert ("telegram:channel1009999999", orig) in edges(batches, "AUTHORED")
    assert nodes(batches, "Account")["telegram:channel1009999999"]["name"] == "Радио Озоди"
    # the forwarded text's link is the original's; a bare domain gets http://
    links = edges(batches, "LINKS_TO")
    assert (orig, "ozodi.org/a/25159000.html") in links
    assert not any(src == P + "5" for src, _ in links)
    assert nodes(batches, "Url")["ozodi.org/a/25159000.html"]["url"] == "http://ozodi.org/a/25159000.html"


def test_forward_from_hidden_and_deleted_senders() -> None:
    batches = collect(CHANNEL)
    hidden = fwd_key(batches, P + "6")
    assert hidden.startswith("telegram:name:фарход:fwd:")
    acc = nodes(batches, "Account")["telegram:name:фарход"]
    assert acc == {"platform": "telegram", "name": "Фарход", "name_only": True}
    assert ("telegram:name:фарход", hidden) in edges(batches, "AUTHORED")
    # forwarded_from: null (a deleted account), media only: an original with no author
    deleted = fwd_key(batches, P + "13")
    assert deleted.startswith("telegram:unknown:fwd:")
    assert not any(dst == deleted for _, dst in edges(batches, "AUTHORED"))
    assert nodes(batches, "Post")[deleted]["media"] == "video_file"


def test_same_original_forwarded_twice_is_one_post_short_texts_never_merge(tmp_path: Path) -> None:
    export = load(CHANNEL)
    fwd = next(m for m in export["messages"] if m["id"] == 5)
    short = {**fwd, "id": 21, "text": "+1", "text_entities": [{"type": "plain", "text": "+1"}]}
    export["messages"] = [fwd, {**fwd, "id": 20}, short, {**short, "id": 22}]
    batches = collect(write(tmp_path / "twice.json", export))
    assert fwd_key(batches, P + "5") == fwd_key(batches, P + "20")
    assert fwd_key(batches, P + "21") != fwd_key(batches, P + "22")


def test_replies_within_and_across_chats() -> None:
    assert (P + "7", P + "2") in edges(collect(CHANNEL), "REPLIES_TO")
    group = collect(GROUP)
    assert edges(group, "REPLIES_TO") == {(G + "4", G + "3"), (G + "5", G + "3"),
                                          (G + "6", P + "99")}  # reply_to_peer_id: the channel
    assert nodes(group, "Post")[G + "4"]["kind"] == "reply"
    # a deleted account ("from": null) still authors by its id
    assert ("telegram:user500000009", G + "7") in edges(group, "AUTHORED")


def test_views_when_an_exporter_adds_them(tmp_path: Path) -> None:
    export = load(CHANNEL)
    export["messages"] = [{**export["messages"][1], "views": 1520}]
    posts = nodes(collect(write(tmp_path / "views.json", export)), "Post")
    assert posts[P + "2"]["views"] == 1520


# -- usernames ---------------------------------------------------------------------------

def test_known_usernames_give_public_keys_and_links_meet(tmp_path: Path) -> None:
    opts = {"extra": {"telegram_usernames": {"1001234567": "https://t.me/AsiaPlus_TJ"}}}
    batches = collect(CHANNEL, **opts)
    posts = nodes(batches, "Post")
    assert "t.me/asiaplus_tj/2" in posts
    assert url_key("https://t.me/asiaplus_tj/2") == "t.me/asiaplus_tj/2"
    assert posts["t.me/asiaplus_tj/2"]["url"] == "https://t.me/asiaplus_tj/2"
    assert ("t.me/asiaplus_tj/7", "t.me/asiaplus_tj/2") in edges(batches, "REPLIES_TO")
    acc = nodes(batches, "Account")["telegram:asiaplus_tj"]
    assert acc["handle"] == "asiaplus_tj" and acc["url"] == "https://t.me/asiaplus_tj"
    assert acc["telegram_id"] == "channel1001234567"
    # the group links to the channel's post 2: after the run it shares that Post
    with SQLiteStore(tmp_path / "t.db") as store:
        report = pipeline_collect(store, "telegram", [str(CHANNEL), str(GROUP)],
                                  options=CollectOptions(**opts))
        assert (report.read, report.stored, report.rejected) == (20, 18, 2)
        shares = store.edges(["SHARES"])
        assert ((shares["src"] == G + "6") & (shares["dst"] == "t.me/asiaplus_tj/2")).any()
        # the cross-chat reply targets the channel's public key too
        replies = store.edges(["REPLIES_TO"])
        assert ((replies["src"] == G + "6") & (replies["dst"] == "t.me/asiaplus_tj/99")).any()


def test_full_export_reads_every_chat_and_the_owners_username() -> None:
    batches = collect(FULL)
    # personal chat 2 + group 7 + left channel 13
    assert totals(batches) == (22, 20, 2)
    assert [r.location for r in rejects(batches)] == ["chat 3 message 9 (id 9)", "chat 3 message 11"]
    # personal_information names the exporting user's username
    assert ("telegram:nigora_tj", "telegram:500000001:1") in edges(batches, "AUTHORED")
    assert ("telegram:nigora_tj", G + "3") in edges(batches, "AUTHORED")
    assert (P + "8", "telegram:nigora_tj") in edges(batches, "MENTIONS")
    acc = nodes(batches, "Account")["telegram:nigora_tj"]
    assert acc["telegram_id"] == "user500000002" and acc["url"] == "https://t.me/nigora_tj"
    assert "phone_number" not in json.dumps(nodes(batches, "Account"))


# -- broken input --------------------------------------------------------------------------

def test_truncated_export_keeps_what_came_before() -> None:
    batches = collect(TRUNCATED)
    assert totals(batches) == (7, 6, 1)
    (rej,) = rejects(batches)
    assert rej.location == "after message 6"
    assert rej.reason.startswith("invalid JSON (") and "could not be read" in rej.reason
    assert P + "2" in nodes(batches, "Post")


def test_not_json_is_a_collect_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "result.json"
    bad.write_text("<html><body>Export failed</body></html>", "utf-8")
    with pytest.raises(CollectError, match="result.json: not a Telegram Desktop export"):
        collect(bad)
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x", "type": "public_channel", "id": 1, "messages": [{"id": 1,,]}',
                      "utf-8")
    batches = collect(broken)
    assert totals(batches) == (1, 0, 1)
    assert rejects(batches)[0].location == "before message 1"


def test_invalid_utf8_mid_file_is_one_reject(tmp_path: Path) -> None:
    data = CHANNEL.read_bytes().replace("Явка".encode(), b"\xff\xfe\xfd\xfc", 1)
    path = tmp_path / "bad_utf8.json"
    path.write_bytes(data)
    batches = collect(path)
    read, stored, rejected = totals(batches)
    assert rejected == 1 and stored == 4  # messages 1-4, then the broken string
    assert rejects(batches)[0].reason.startswith("invalid JSON (not valid UTF-8")


def test_utf8_bom_is_skipped_and_utf16_refused(tmp_path: Path) -> None:
    bom = tmp_path / "bom.json"
    bom.write_bytes(codecs.BOM_UTF8 + CHANNEL.read_bytes())
    assert TelegramCollector().sniff(Source.from_path(bom)) == 95
    assert totals(collect(bom)) == totals(collect(CHANNEL))
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(CHANNEL.read_text("utf-8").encode("utf-16"))
    with pytest.raises(CollectError, match="utf16.json: the file is UTF-16"):
        collect(utf16)


def test_streamed_not_loaded_whole(monkeypatch) -> None:
    def refuse(_data):  # the whole-file parser must not be used when ijson is there
        raise AssertionError("read whole")

    monkeypatch.setattr(telegram_mod, "loads", refuse)
    assert totals(collect(CHANNEL)) == (13, 11, 2)


def test_without_ijson_the_same_records(monkeypatch) -> None:
    streamed = collect(FULL)
    monkeypatch.setattr(telegram_mod, "have_ijson", lambda: False)
    whole = collect(FULL)
    assert totals(whole) == totals(streamed)
    assert nodes(whole, "Post") == nodes(streamed, "Post")
    for t in ("AUTHORED", "SHARES", "LINKS_TO", "REPLIES_TO", "MENTIONS", "TAGGED"):
        assert edges(whole, t) == edges(streamed, t)


def test_sorted_keys_export_still_finds_chat_metadata(tmp_path: Path) -> None:
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(load(CHANNEL), ensure_ascii=False, sort_keys=True), "utf-8")
    batches = collect(path)
    assert totals(batches) == (13, 11, 2)
    assert nodes(batches, "Post")[P + "2"]["chat_type"] == "public_channel"


# -- batches and the store ----------------------------------------------------------------

def test_batches_and_store_idempotency(tmp_path: Path) -> None:
    small = collect(FULL, batch_size=5)
    assert [b.read for b in small] == [5, 5, 5, 5, 2]
    one = collect(FULL, batch_size=1000)
    assert len(one) == 1
    with SQLiteStore(tmp_path / "a.db") as a, SQLiteStore(tmp_path / "b.db") as b:
        for store, bs in ((a, small), (b, one)):
            run = store.begin_run("collect", [str(FULL)], {})
            for batch in bs:
                store.write_batch(batch, run)
        assert a.counts() == b.counts()
        cols = ["name", "handle", "telegram_id"]
        assert a.nodes("Account", cols).equals(b.nodes("Account", cols))
        first = a.counts()
        run = a.begin_run("collect", [str(FULL)], {})
        for batch in small:
            a.write_batch(batch, run)
        assert a.counts() == first
