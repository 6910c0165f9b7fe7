from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.stance import guess_lang, load_groups, match_text, tokenize
from netmap.stance.groups import Group, Groups
from netmap.stance.lexicon import post_vote, stem

GROUPS = load_groups()


def counted(text: str, groups: Groups = GROUPS) -> set[str]:
    return {m.group for m in match_text(text, groups) if m.counts}


@pytest.mark.parametrize("text, group", [
    # Russian inflection of the boycott stem
    ("Объявляем бойкот этим выборам", "boycott"),
    ("Мы бойкотируем выборы", "boycott"),
    ("Призываем бойкотировать выборы", "boycott"),
    ("Сторонники бойкота вышли с плакатами", "boycott"),
    ("Бойкотом ничего не добиться", "boycott"),
    ("Не ходите на выборы 6 ноября!", "boycott"),
    ("6 ноября — остаёмся дома.", "boycott"),
    # falsification, in noun and participle forms
    ("Фальсификации готовятся заранее", "critic"),
    ("Фальсифицированные протоколы уже напечатаны", "critic"),
    ("Это имитация выборов, а не выборы.", "critic"),
    ("Власти боятся интернета", "critic"),
    # support, in two tenses
    ("Поддерживаем президента!", "supporter"),
    ("Поддержим Лидера нации 6 ноября", "supporter"),
    ("Голосуйте за стабильность", "supporter"),
    ("Наблюдатели ОБСЕ сообщают о явке", "neutral"),
    # English
    ("Join the boycott, stay home on election day", "boycott"),
    ("Boycotting this vote is the only answer", "boycott"),
    ("This is an imitation election and the vote is rigged", "critic"),
    ("Vote for stability!", "supporter"),
    ("OSCE observers report turnout", "neutral"),
])
def test_inflected_forms(text: str, group: str):
    assert counted(text) == {group}


def test_stem_versus_prefix_patterns():
    g = Groups((Group("b", "B", "#000000", lexicon={"ru": ("бойкот",)}),
                Group("p", "P", "#ffffff", lexicon={"ru": ("бойкотир*",)})))
    assert counted("нет бойкоту", g) == set()  # negated
    assert counted("сторонники бойкота", g) == {"b"}  # stem: бойкота -> бойкот
    assert counted("призывают бойкотировать", g) == {"p"}  # the stem differs, the prefix holds
    assert stem("бойкота", "ru") == stem("бойкот", "ru") != stem("бойкотировать", "ru")


@pytest.mark.parametrize("text", [
    "Это не бойкот, а позиция",
    "я не за бойкот",
    "Не согласен с бойкотом, но понимаю",
    "This is not a boycott",
    "We never boycott elections",
    "Без фальсификаций не обойдётся",  # "без" negates the critic word
])
def test_negation(text: str):
    ms = match_text(text, GROUPS)
    assert ms and all(m.negated for m in ms)
    assert post_vote(ms) == {}


def test_negation_stays_in_its_sentence():
    ms = match_text("Не верю ни одной цифре ЦИК. Бойкот!", GROUPS)
    assert [(m.group, m.negated) for m in ms] == [("boycott", False)]
    # a negation four words back is out of the window
    ms = match_text("не надо думать что это бойкот", GROUPS)
    assert [m.negated for m in ms] == [False]


def test_phrase_wins_over_negation():
    ms = match_text("Бойкот! Не ходите на выборы.", GROUPS)
    assert [(m.pattern, m.negated) for m in ms] == [("бойкот*", False),
                                                     ("не ход* на выбор*", False)]
    # the "не" of a phrase negates nothing after it
    ms = match_text("Не голосуй — бойкот", GROUPS)
    assert {m.pattern: m.negated for m in ms} == {"не голосу*": False, "бойкот*": False}
    # but a negation before the phrase does
    ms = match_text("я не говорю: не ходите на выборы", GROUPS)
    assert ms[0].pattern == "не ход* на выбор*" and ms[0].negated is False  # ":" ends a clause
    ms = match_text("я не призываю не ходить на выборы", GROUPS)
    assert ms[0].negated is True


def test_hashtags_split_and_never_negated():
    ms = match_text("Не голосую. #ЗаСтабильность не #бойкот", GROUPS)
    by = {m.pattern: m for m in ms}
    assert by["за стабильн*"].token == "За Стабильность" and by["за стабильн*"].counts
    assert by["бойкот*"].counts  # a hashtag is a label, not a clause
    assert all(t.hashtag for t in tokenize("#ЗаСтабильность") )


def test_quoted_words_are_reported_speech():
    ms = match_text("Кто называет выборы «имитацией», тот не ходил на участок.", GROUPS)
    assert [(m.group, m.quoted, m.counts) for m in ms] == [("critic", True, False)]
    ms = match_text('They call it a "sham" election', GROUPS)
    assert ms[0].quoted
    # an unclosed quotation mark does not swallow the rest of the post
    ms = match_text('Рост 5" и бойкот', GROUPS)
    assert ms[0].counts


def test_urls_and_mentions_are_not_words():
    assert match_text("@boycott_tj http://example.com/boycott https://t.co/x", GROUPS) == []
    assert match_text("<p>Бойкот &amp; <b>имитация</b></p>", GROUPS)[0].token == "Бойкот"


@pytest.mark.parametrize("text, lang", [
    ("Объявляем бойкот этим выборам", "ru"),
    ("Ман овоз намедиҳам. Интихоботи бе интихоб.", "tg"),
    ("Сулҳ, ваҳдат, бунёдкорӣ. Ман ба интихобот меравам!", "tg"),
    # a Tajik slogan inside a Russian article stays Russian
    ("«Сулҳ ва ваҳдат» для нашего народа не лозунг, а опыт, и это все знают", "ru"),
    ("Boycott the vote on November 6 #выборы", "en"),
    ("2013 !!!", None),
])
def test_guess_lang(text: str, lang: str | None):
    assert guess_lang(text) == lang


@pytest.mark.parametrize("text, group", [
    ("Пешвои миллат — гарант. Ба интихобот биёед!", "supporter"),
    ("Ватан обод бод! Фардо ҳама ба интихобот.", "supporter"),
    ("Ман овоз намедиҳам. #бойкот", "boycott"),
    ("Интихоботро бойкот кунед, дар хона монед", "boycott"),
    ("Интихоботи бе интихоб", "critic"),
    ("Сулҳ ва ваҳдат", "supporter"),
    ("Сулх ва вахдат", "supporter"),  # windows-1251 look-alike letters
])
def test_tajik(text: str, group: str):
    assert counted(text) == {group}


def test_tajik_negation_only_in_tajik_posts():
    # Tajik "на" (no) negates in a Tajik post ...
    ms = match_text("Ман на тарафдори бойкот ҳастам", GROUPS)
    assert guess_lang("Ман на тарафдори бойкот ҳастам") == "tg"
    assert [m.negated for m in ms] == [True]
    # ... and "нест" after the word ("is not a boycott")
    assert [m.negated for m in match_text("Ин бойкот нест, ин ҳақ аст", GROUPS)] == [True]
    # Russian "на" is a preposition
    assert [m.negated for m in match_text("Все на бойкот выборов!", GROUPS)] == [False]


def test_post_vote_splits_one_vote_and_applies_weights():
    ms = match_text("Boycott the imitation. Stay home on 6 November. #boycott", GROUPS)
    vote = post_vote(ms, {"boycott": 1.0, "critic": 1.0})
    # boycott: two distinct patterns (boycott*, stay home); critic: one
    assert vote == pytest.approx({"boycott": 2 / 3, "critic": 1 / 3})
    ms = match_text("Observers report turnout", GROUPS)
    assert post_vote(ms, {"neutral": 0.5}) == pytest.approx({"neutral": 0.5})


def test_match_fields():
    (m,) = match_text("Мы бойкотируем", GROUPS)
    assert (m.group, m.pattern, m.token, m.negated, m.quoted, m.lang, m.position) == (
        "boycott", "бойкот*", "бойкотируем", False, False, "ru", 1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "бойкот", "не", "за", "фальсификация", "«", "»", '"', "“", "„", "”", ".", ",", ":", "!",
    "—", " ", "#", "@", "ҳ", "ӣ", "Бойкот", "boycott", "not", "2013", "\n", "<b>", "&amp;",
    "http://x.tj/бойкот", "нест", "на",
]), max_size=40).map("".join))
def test_any_text_is_safe(text: str):
    tokens = tokenize(text)
    assert all(t.norm for t in tokens)
    assert [t.clause for t in tokens] == sorted(t.clause for t in tokens)
    for m in match_text(text, GROUPS):
        assert m.group in GROUPS.names and m.token
    assert set(post_vote(match_text(text, GROUPS))) <= set(GROUPS.names)
