"""Transliteration, spelling skeletons and string similarity."""

from __future__ import annotations

import pytest

from netmap.resolve.translit import (
    agreement,
    handle_skeleton,
    jaro,
    jaro_winkler,
    name_similarity,
    name_tokens,
    normalise_text,
    skeleton,
    translit,
)


@pytest.mark.parametrize(("cyr", "lat"), [
    ("Душанбе", "Dushanbe"),
    ("Худжанд", "Khudzhand"),
    ("Щёлково", "Shchyolkovo"),
    ("Юлия Царёва", "Yuliya Tsaryova"),
    ("Объём", "Obyom"),
    ("Ҷамшед Ғафуров", "Jamshed Ghafurov"),
    ("Қурбон Раҳимӣ", "Qurbon Rahimi"),
    ("Кӯҳистон", "Kuhiston"),
    ("ШАҲЛО", "ShAHLO"),
    ("mixed Текст 2013!", "mixed Tekst 2013!"),
])
def test_translit_table(cyr: str, lat: str) -> None:
    assert translit(cyr) == lat


def test_normalise_text_folds_case_marks_and_punctuation() -> None:
    assert normalise_text("  Zarína —  Saídova!! ") == "zarina saidova"
    assert normalise_text("Ёлки-Палки") == "yolki palki"


@pytest.mark.parametrize("variants", [
    ("Фарход", "Farhod", "Farkhod", "Farxod"),
    ("Бахтиёр", "Bakhtiyor", "Baxtiyor", "Bakhtiyor"),
    ("Шаҳноза", "Shahnoza", "Shakhnoza"),
    ("Юсупов", "Yusupov", "Jusupov", "Iusupov"),
    ("Нигоҳ", "Nigoh", "Nigokh"),
    ("Джамшед", "Jamshed", "Dzhamshed", "Ҷамшед"),
])
def test_skeleton_joins_romanisation_variants(variants: tuple[str, ...]) -> None:
    assert len({skeleton(v) for v in variants}) == 1, [skeleton(v) for v in variants]


def test_skeleton_keeps_different_names_apart() -> None:
    names = ["Фарход", "Фарида", "Зарина", "Зафар", "Рустам", "Сухроб"]
    assert len({skeleton(n) for n in names}) == len(names)


def test_handle_skeleton() -> None:
    assert handle_skeleton("@Farhod_R") == handle_skeleton("farhod.r") == "farhodr"
    assert handle_skeleton("farhod_r@mastodon.social") == "farhodr"


def test_name_tokens() -> None:
    assert name_tokens("Farhod R.") == ["farhod", "r"]
    assert name_tokens("Таҳрим | Бойкот-2013") == ["tahrim", "boikot", "2013"]


@pytest.mark.parametrize(("a", "b", "expected"), [
    # textbook values (Winkler 1990 examples)
    ("martha", "marhta", 0.961),
    ("dwayne", "duane", 0.840),
    ("dixon", "dicksonx", 0.813),
])
def test_jaro_winkler_known_values(a: str, b: str, expected: float) -> None:
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=0.001)


def test_jaro_edge_cases() -> None:
    assert jaro("", "") == 1.0
    assert jaro("abc", "") == 0.0
    assert jaro("abc", "xyz") == 0.0
    assert jaro_winkler("abc", "abc") == 1.0
    assert 0.0 <= agreement("kulob", "dushanbe") < 0.2
    assert agreement("farhod", "farhod") == 1.0


def test_name_similarity_across_scripts() -> None:
    assert name_similarity("Фарход Рахимов", "Farhod Rahimov") == 1.0
    assert name_similarity("Рахимов Фарход", "Farkhod Rakhimov") == 1.0  # order-free
    assert name_similarity("Farhod R.", "Фарход Рахимов") > 0.9  # an initial agrees
    assert name_similarity("Нигоҳ", "Nigoh") == 1.0
    assert name_similarity("Farhod Rahimov", "Zarina Saidova") < 0.1
    assert name_similarity("Farhod Rahimov", "Farhod Karimov") < 0.9
    assert name_similarity("", "Farhod") == 0.0
