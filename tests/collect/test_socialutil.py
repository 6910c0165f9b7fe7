"""Helpers shared by the Facebook and Odnoklassniki collectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from netmap.collect.socialutil import (
    fix_mojibake,
    fix_mojibake_deep,
    link_target,
    load_json_documents,
    parse_count,
    parse_float,
    text_hashtags,
    text_urls,
    unwrap_redirect,
)
from netmap.errors import CollectError


@pytest.mark.parametrize("raw,expected", [
    ("1,234", 1234), ("1 234", 1234), ("1\u00a0234", 1234), ("12,345,678", 12345678),
    ("1.234", 1234), ("1.234.567", 1234567), ("1.5", 1), ("12", 12), (" 7 ", 7), (0, 0),
    (42, 42), (3.0, 3), ("", None), ("n/a", None), (None, None), (True, None),
    (float("nan"), None), ("1e30", None), ("²", None), ("١٢", 12),
])
def test_parse_count(raw, expected) -> None:
    assert parse_count(raw) == expected


def test_parse_float() -> None:
    assert parse_float("-2.35") == -2.35
    assert parse_float("1,234.5") == 1234.5
    assert parse_float(3) == 3.0
    assert parse_float("inf") is None
    assert parse_float("x") is None


@pytest.mark.parametrize("wrapped,target", [
    ("https://l.facebook.com/l.php?u=https%3A%2F%2Fnigoh.wordpress.com%2F2013%2F10%2F28%2Fx%2F&h=AT0",
     "https://nigoh.wordpress.com/2013/10/28/x/"),
    ("https://lm.facebook.com/l.php?u=http%3A%2F%2Fa.tj%2F", "http://a.tj/"),
    ("https://www.facebook.com/l.php?u=http%3A%2F%2Fa.tj%2F", "http://a.tj/"),
    ("http://www.odnoklassniki.ru/dk?st.cmd=outLinkWarning&st.rfn=http%3A%2F%2Fa.tj%2Fb%3Fc%3D1",
     "http://a.tj/b?c=1"),
    ("https://ok.ru/dk?cmd=logExternal&st.cmd=logExternal&st.link=https%3A%2F%2Fa.tj%2F",
     "https://a.tj/"),
    ("https://vk.com/away.php?to=https%3A%2F%2Fa.tj%2F", "https://a.tj/"),
    ("https://www.facebook.com/nigoh.tj/posts/1", "https://www.facebook.com/nigoh.tj/posts/1"),
    ("https://ok.ru/dk?st.cmd=userMain", "https://ok.ru/dk?st.cmd=userMain"),
    ("https://l.facebook.com/l.php?u=javascript%3Aalert(1)", "https://l.facebook.com/l.php?u=javascript%3Aalert(1)"),
])
def test_unwrap_redirect(wrapped: str, target: str) -> None:
    assert unwrap_redirect(wrapped) == target


def test_link_target() -> None:
    assert link_target("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.a.tj%2Fp%3Futm_source%3Dfb") == (
        "https://www.a.tj/p?utm_source=fb", "a.tj/p", "a.tj")
    assert link_target("mailto:x@y.tj") is None
    assert link_target("") is None
    assert link_target(None) is None


def test_text_urls_and_hashtags() -> None:
    text = ("Читайте (https://a.tj/x?y=1). И ещё http://b.tj/«цитата» и https://c.tj/path…, "
            "а также https://d.tj/wiki/Foo_(bar) #Выборы2013 #бойкот! #2013 "
            "https://e.tj/p#comments")
    assert text_urls(text) == ["https://a.tj/x?y=1", "http://b.tj/", "https://c.tj/path",
                               "https://d.tj/wiki/Foo_(bar)", "https://e.tj/p#comments"]
    assert text_hashtags(text) == ["Выборы2013", "бойкот"]
    assert text_urls(None) == [] and text_hashtags("") == []


def test_fix_mojibake() -> None:
    good = "Ҳама ба интихобот — «Выборы»"
    broken = good.encode("utf-8").decode("latin-1")
    assert broken != good
    assert fix_mojibake(broken) == good
    assert fix_mojibake(good) == good  # not Latin-1: left alone
    assert fix_mojibake("café") == "café"  # Latin-1 that is not UTF-8 bytes: left alone
    assert fix_mojibake("plain") == "plain"
    assert fix_mojibake_deep({"a": [broken, 1, {broken: broken}]}) == {"a": [good, 1, {good: good}]}


def test_load_json_documents(tmp_path: Path) -> None:
    whole = tmp_path / "whole.json"
    whole.write_text('\ufeff{\n "a": [1,\n 2]\n}\n', encoding="utf-8")
    docs = list(load_json_documents(whole, "whole.json"))
    assert [(d.location, d.value, d.error) for d in docs] == [("", {"a": [1, 2]}, None)]
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"a": 1}\n\n{"b": 2\n[3]\n', encoding="utf-8")
    docs = list(load_json_documents(lines, "lines.jsonl"))
    assert [d.location for d in docs] == ["line 1", "line 3", "line 4"]
    assert docs[1].error.startswith("invalid JSON (") and docs[2].value == [3]
    cp1251 = tmp_path / "cp1251.json"
    cp1251.write_bytes('{"text": "Выборы"}'.encode("cp1251"))
    assert next(load_json_documents(cp1251, "x")).value == {"text": "Выборы"}
    broken = tmp_path / "broken.json"
    broken.write_text('{\n "a": [1,\n', encoding="utf-8")
    (doc,) = load_json_documents(broken, "broken.json")
    assert doc.location == "file" and doc.error.startswith("invalid JSON (")
    with pytest.raises(CollectError, match="more than a JSON export"):
        list(load_json_documents(whole, "whole.json", max_bytes=4))
