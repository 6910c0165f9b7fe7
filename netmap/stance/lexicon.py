"""Lexicon matching: which stance group's vocabulary a post uses, and how.

A post is normalised and cut into tokens (:func:`tokenize`): lower case,
``ё`` -> ``е``, the Tajik letters ``ҳ қ ғ ӯ ӣ ҷ`` folded to their Russian
look-alikes (many Tajik sites of 2013 wrote "Сулх ва вахдат" for "Сулҳ ва
ваҳдат" because windows-1251 lacks the letters), URLs, @mentions and
punctuation removed, hashtags split into words. Each token remembers its
clause (negation never reaches across ``. ! ? ; :`` or a dash), whether it is a hashtag,
and whether it stands inside quotation marks.

Patterns come from the groups' ``lexicon`` (see ``groups.yaml`` for the
format): stems (``бойкот``), prefixes (``бойкот*``), exact words (``=за``),
regular expressions (``/фальсифи\\w+/``) and phrases of these. Phrases are
matched first, longest first, and the words they cover are taken: in
"не ходите на выборы" the ``не`` belongs to the boycott phrase and negates
nothing. A keyword preceded within :data:`NEGATION_WINDOW` tokens of its clause
by a negation, with no comma or other keyword in between, is *negated* (so is one followed by ``нест`` in a Tajik post: "бойкот нест",
"is not a boycott"); one inside quotation marks is
*quoted*; neither counts for its group (:func:`post_vote`).

Examples
--------
>>> from netmap.stance import load_groups, match_text
>>> groups = load_groups()
>>> [(m.group, m.negated) for m in match_text("Это не бойкот, а позиция", groups)]
[('boycott', True)]
>>> [m.group for m in match_text("Не ходите на выборы 6 ноября!", groups)]
['boycott']
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .groups import Groups

__all__ = [
    "KNOWN_LANGUAGES",
    "NEGATION_WINDOW",
    "Token",
    "Match",
    "Lexicon",
    "normalise",
    "tokenize",
    "guess_lang",
    "lang_of_tokens",
    "stem",
    "parse_pattern",
    "compile_lexicon",
    "match_text",
    "post_vote",
]

# Languages a lexicon may be written in, and what they are.
KNOWN_LANGUAGES: dict[str, str] = {
    "ru": "Russian",
    "tg": "Tajik (Cyrillic)",
    "en": "English",
}

NEGATION_WINDOW = 3

_SNOWBALL = {"ru": "russian", "en": "english"}

_TAJIK_LETTERS = frozenset("ҳқғӯӣҷ")
_FOLD = str.maketrans({
    "ё": "е", "ҳ": "х", "қ": "к", "ғ": "г", "ӯ": "у", "ӣ": "и", "ҷ": "ч",
    "’": "'", "ʼ": "'", "‘": "'", "`": "'",
})

# Negations, in normalised (folded) form.
_NEG_RU = frozenset({"не", "нет", "ни", "без", "отнюдь", "никогда", "нельзя"})
# Tajik: "на" is also a Russian preposition, so the Tajik list only applies to posts
# guessed as Tajik.
_NEG_TG = frozenset({"нест", "на", "не", "бе", "хеч"})
_NEG_EN = frozenset({
    "not", "no", "never", "don't", "dont", "isn't", "isnt", "aren't", "doesn't", "didn't",
    "won't", "wouldn't", "can't", "cannot", "nor", "without", "wasn't", "weren't",
})

# Frequent function words that tell Tajik from Russian written in Cyrillic.
_TG_WORDS = frozenset({
    "ва", "дар", "ба", "аз", "ки", "ин", "он", "ман", "мо", "шумо", "барои", "бо", "хам",
    "нест", "аст", "хама", "мешавад", "карда", "чи", "чун", "агар", "бояд",
})
_RU_WORDS = frozenset({
    "и", "в", "что", "это", "с", "по", "как", "из", "от", "для", "о", "у", "к", "же", "так",
    "все", "уже", "когда", "или", "только", "мы", "вы", "он", "она", "они", "был", "была",
    "а", "не", "но", "бы", "ли", "его", "ее", "их", "наш", "нас", "вас", "там",
})

# Tajik inflection, folded: plural, object marker, izofat, possessives, verb endings.
# Longest first; at most two are stripped and at least three letters stay.
_TG_SUFFIXES = tuple(sorted({
    "хоятон", "хоямон", "хояшон", "хоро", "хои", "хо", "гон", "ён", "он", "ро",
    "амон", "атон", "ашон", "ям", "ят", "яш", "ам", "ат", "аш",
    "ем", "ед", "анд", "ад", "ии", "и", "е",
}, key=len, reverse=True))

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@[\w.]+(?:@[\w.\-]+)?")
_TAG_HTML = re.compile(r"<[^>]{0,2000}>")
_SCAN = re.compile(
    r"(?P<tag>[#＃][^\W_]\w*)"
    r"|(?P<word>[^\W_](?:[^\W_]|['’ʼ](?=[^\W_]))*)"
    r"|(?P<quote>[«»“”„\"])"
    r"|(?P<stop>[.!?;:…\n—–]+)"
    r"|(?P<comma>,)"
)
_OPEN_CLOSE = {"«": "»", "„": "“", "“": "”"}


class Token(NamedTuple):
    """One normalised word of a post (a tuple: posts have many and they are made fast)."""

    norm: str  # lower case, folded: what patterns match
    text: str  # as written
    script: str  # "cyr", "lat" or "other"
    clause: int  # tokens of one sentence/clause share this number
    hashtag: bool = False
    quoted: bool = False
    scope: int = 0  # like clause, but commas also end it: the reach of a negation


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon pattern found in a text.

    ``negated`` and ``quoted`` matches are reported but do not count for the
    group (:func:`post_vote`).
    """

    group: str
    pattern: str
    token: str  # the matched words as written
    negated: bool = False
    quoted: bool = False
    lang: str = ""  # language of the pattern's lexicon
    position: int = 0  # index of the first matched token

    @property
    def counts(self) -> bool:
        return not (self.negated or self.quoted)


@lru_cache(maxsize=262_144)
def normalise(word: str) -> str:
    """Normal form of one word: NFC, casefold, ``ё`` -> ``е``, Tajik letters folded."""
    word = unicodedata.normalize("NFC", word).casefold()
    return word.translate(_FOLD).strip("'")


def _script(word: str) -> str:
    for ch in word:
        if "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f":
            return "cyr"
        if "a" <= ch <= "z":
            return "lat"
    return "other"


def _split_tag(tag: str) -> list[str]:
    """``ЗаСтабильность`` -> ``За``, ``Стабильность``; ``выборы2013`` -> ``выборы``, ``2013``."""
    parts: list[str] = []
    cur = ""
    prev = ""
    for ch in tag:
        boundary = (
            cur
            and (
                (ch.isupper() and prev.islower())
                or (ch.isdigit() != prev.isdigit())
            )
        )
        if ch == "_":
            if cur:
                parts.append(cur)
            cur, prev = "", ""
            continue
        if boundary:
            parts.append(cur)
            cur = ""
        cur += ch
        prev = ch
    if cur:
        parts.append(cur)
    return parts


def _clean(text: str) -> str:
    if "<" in text and ">" in text:
        text = _TAG_HTML.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = _URL.sub(" ", text)
    return _MENTION.sub(" ", text)


def tokenize(text: str) -> list[Token]:
    """Normalised tokens of ``text`` with clause numbers and quote/hashtag flags."""
    if not text:
        return []
    text = _clean(text)
    tokens: list[Token] = []
    clause = scope = 0
    stack: list[tuple[str, int]] = []  # open quote char, index of the first token inside
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        value = m.group()
        if kind == "stop":
            clause += 1
            scope += 1
        elif kind == "comma":
            scope += 1
        elif kind == "quote":
            # Closing the innermost open quote, else opening one; the straight " and
            # “ (opening in English, closing in Russian „…“) toggle.
            if stack and (_OPEN_CLOSE.get(stack[-1][0]) == value
                          or (value == '"' and stack[-1][0] == '"')
                          or (value == "»" and stack[-1][0] == "«")):
                stack.pop()
            elif value in ("«", "„", "“", '"'):
                stack.append((value, len(tokens)))
            # a stray closing mark is ignored
        elif kind == "tag":
            for part in _split_tag(value[1:]):
                norm = normalise(part)
                if norm:
                    tokens.append(Token(norm, part, _script(norm), clause, hashtag=True,
                                        scope=scope))
        else:
            norm = normalise(value)
            if norm:
                tokens.append(Token(norm, value, _script(norm), clause, quoted=bool(stack),
                                    scope=scope))
    if stack:
        # An unclosed quotation mark (a typo, an inch sign) would swallow the rest of
        # the post: words after it are not taken as quoted.
        for i in range(stack[0][1], len(tokens)):
            t = tokens[i]
            if t.quoted:
                tokens[i] = t._replace(quoted=False)
    return tokens


def guess_lang(text: str) -> str | None:
    """``"ru"``, ``"tg"`` or ``"en"`` from the script and a few function words; None if no letters.

    Latin letters outnumbering Cyrillic ones mean English. Cyrillic text is Tajik
    when its words with Tajik-only letters (ҳ қ ғ ӯ ӣ ҷ) and Tajik function words
    (ва, дар, ба, аз, ман …) outnumber Russian function words (и, в, что, это …).
    """
    return lang_of_tokens(tokenize(text)) if text else None


def lang_of_tokens(tokens: Sequence[Token]) -> str | None:
    """:func:`guess_lang` for an already tokenized text."""
    cyr = lat = 0
    tg_score = ru_score = 0
    for t in tokens:
        if t.script == "cyr":
            cyr += len(t.norm)
            if t.norm in _TG_WORDS:
                tg_score += 1
            elif t.norm in _RU_WORDS:
                ru_score += 1
            if not _TAJIK_LETTERS.isdisjoint(t.text.lower()):
                tg_score += 1
        elif t.script == "lat":
            lat += len(t.norm)
    if cyr == 0 and lat == 0:
        return None
    if lat > cyr:
        return "en"
    return "tg" if tg_score > ru_score else "ru"


def _stem_tg(word: str) -> str:
    for _ in range(2):
        for suf in _TG_SUFFIXES:
            if word.endswith(suf) and len(word) - len(suf) >= 3:
                word = word[: -len(suf)]
                break
        else:
            break
    return word


_LANG_SCRIPT = {"ru": "cyr", "tg": "cyr", "en": "lat"}


@lru_cache(maxsize=262_144)
def stem(word: str, lang: str) -> str:
    """Stem of a normalised word: Snowball for ``ru``/``en``, light suffix stripping for ``tg``."""
    # A stemmer leaves words of another script as they are: skip the work.
    if _LANG_SCRIPT.get(lang, "cyr") != _script(word):
        return word
    if lang == "tg":
        return _stem_tg(word)
    algo = _SNOWBALL.get(lang)
    if algo is None:
        return word
    return _stemmer(algo).stemWord(word)


@lru_cache(maxsize=8)
def _stemmer(algo: str):  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer(algo)


# -- patterns -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    kind: str  # "stem", "prefix", "exact", "regex"
    value: str
    lang: str
    regex: re.Pattern[str] | None = None

    def matches(self, norm: str) -> bool:
        if self.kind == "prefix":
            return norm.startswith(self.value)
        if self.kind == "exact":
            return norm == self.value
        if self.kind == "stem":
            return stem(norm, self.lang) == self.value
        assert self.regex is not None
        return self.regex.fullmatch(norm) is not None


@dataclass(frozen=True, slots=True)
class _Pattern:
    group: str
    text: str
    lang: str
    words: tuple[_Word, ...]
    order: int


def parse_pattern(text: str, lang: str) -> tuple[_Word, ...]:
    """Words of one lexicon pattern; raises ValueError saying what is wrong with it."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty pattern")
    words: list[_Word] = []
    for raw in text.split():
        if len(raw) >= 2 and raw.startswith("/") and raw.endswith("/"):
            # Regexes see normalised tokens, so fold their letters the same way.
            body = raw[1:-1].translate(_FOLD)
            try:
                rx = re.compile(body, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"bad regular expression {raw!r}: {exc}") from None
            words.append(_Word("regex", body, lang, rx))
            continue
        exact = raw.startswith("=")
        prefix = raw.endswith("*")
        core = raw[1 if exact else 0: -1 if prefix else None]
        if "*" in core or "=" in core:
            raise ValueError(
                f"{raw!r}: '*' may only end a word and '=' only start one"
            )
        # The same tokenizer as for posts, so "из-за" is the two words "из за".
        parts = [t.norm for t in tokenize(core)]
        if not parts:
            raise ValueError(f"{raw!r} has no letters or digits")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if exact:
                words.append(_Word("exact", part, lang))
            elif prefix and last:
                words.append(_Word("prefix", part, lang))
            else:
                words.append(_Word("stem", stem(part, lang), lang))
    return tuple(words)


class Lexicon:
    """The compiled patterns of a set of groups, indexed by their first word."""

    def __init__(self, patterns: Sequence[_Pattern], weights: dict[str, float]) -> None:
        self.patterns = list(patterns)
        self.weights = dict(weights)
        self._exact: dict[str, list[_Pattern]] = {}
        self._stem: dict[tuple[str, str], list[_Pattern]] = {}
        self._prefix: dict[str, list[_Pattern]] = {}
        self._regex: list[_Pattern] = []
        for p in self.patterns:
            w = p.words[0]
            if w.kind == "exact":
                self._exact.setdefault(w.value, []).append(p)
            elif w.kind == "stem":
                self._stem.setdefault((w.lang, w.value), []).append(p)
            elif w.kind == "prefix":
                self._prefix.setdefault(w.value, []).append(p)
            else:
                self._regex.append(p)
        self._prefix_lengths = sorted({len(k) for k in self._prefix})
        self._stem_langs = sorted({lang for lang, _ in self._stem})
        self._cache: dict[str, tuple[_Pattern, ...]] = {}

    def __len__(self) -> int:
        return len(self.patterns)

    def _candidates(self, norm: str) -> tuple[_Pattern, ...]:
        """Patterns whose first word matches the token (cached: tokens repeat a lot)."""
        hit = self._cache.get(norm)
        if hit is not None:
            return hit
        found: list[_Pattern] = list(self._exact.get(norm, ()))
        for lang in self._stem_langs:
            found.extend(self._stem.get((lang, stem(norm, lang)), ()))
        for n in self._prefix_lengths:
            if n > len(norm):
                break
            found.extend(self._prefix.get(norm[:n], ()))
        found.extend(p for p in self._regex if p.words[0].matches(norm))
        result = tuple(found)
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[norm] = result
        return result

    def match_tokens(self, tokens: Sequence[Token], lang: str | None = None) -> list[Match]:
        """Matches in a token list (see :func:`match_text`); ``lang`` is guessed if None."""
        n = len(tokens)
        spans: dict[tuple[int, int], list[_Pattern]] = {}
        for i, tok in enumerate(tokens):
            for p in self._candidates(tok.norm):
                size = len(p.words)
                if i + size > n:
                    continue
                ok = True
                for k in range(1, size):
                    t = tokens[i + k]
                    if t.clause != tok.clause or not p.words[k].matches(t.norm):
                        ok = False
                        break
                if ok:
                    spans.setdefault((i, size), []).append(p)
        if not spans:
            return []
        if lang is None:
            lang = lang_of_tokens(tokens)
        # Longest spans first; a span overlapping an accepted one is dropped, so a
        # phrase hides the single words inside it.
        taken = [False] * n
        accepted: list[tuple[int, int, list[_Pattern]]] = []
        for (i, size), pats in sorted(spans.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
            if any(taken[i: i + size]):
                continue
            for k in range(i, i + size):
                taken[k] = True
            accepted.append((i, size, pats))
        negators = _NEG_RU | _NEG_TG if lang == "tg" else _NEG_RU
        out: list[Match] = []
        for i, size, pats in sorted(accepted, key=lambda a: a[0]):
            first = tokens[i]
            negated = False
            if not first.hashtag:
                for k in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
                    t = tokens[k]
                    # A negation reaches the nearest keyword only, within its clause
                    # and up to a comma ("не фальсификация, а фарс").
                    if t.scope != first.scope or taken[k]:
                        break
                    if t.hashtag:
                        continue
                    neg = _NEG_EN if t.script == "lat" else negators
                    if t.norm in neg:
                        negated = True
                        break
            if not negated and lang == "tg" and not first.hashtag:
                # Tajik negates after the word: "бойкот нест" (is not a boycott).
                for k in range(i + size, min(n, i + size + 2)):
                    t = tokens[k]
                    if t.scope != first.scope or taken[k]:
                        break
                    if t.norm == "нест":
                        negated = True
                        break
            quoted = any(tokens[k].quoted for k in range(i, i + size))
            surface = " ".join(tokens[k].text for k in range(i, i + size))
            seen: set[str] = set()
            for p in sorted(pats, key=lambda p: p.order):
                if p.group in seen:
                    continue
                seen.add(p.group)
                out.append(Match(p.group, p.text, surface, negated, quoted, p.lang, i))
        return out


def compile_lexicon(groups: Groups) -> Lexicon:
    """Compile (once per Groups object) every group's patterns."""
    cached = getattr(groups, "_lexicon", None)
    if isinstance(cached, Lexicon):
        return cached
    patterns: list[_Pattern] = []
    order = 0
    for g in groups:
        for lang, pats in g.lexicon.items():
            for text in pats:
                patterns.append(_Pattern(g.name, text, lang, parse_pattern(text, lang), order))
                order += 1
    lex = Lexicon(patterns, {g.name: g.weight for g in groups})
    try:
        object.__setattr__(groups, "_lexicon", lex)
    except (AttributeError, TypeError):
        pass
    return lex


def match_text(text: str | None, groups: Groups, *, lang: str | None = None) -> list[Match]:
    """Every lexicon match in ``text``, in text order, with negation and quote flags.

    Parameters
    ----------
    text : str
        A post's text (HTML tags, URLs and @mentions are ignored).
    groups : Groups
        The stance groups whose lexicons to use.
    lang : str, optional
        ``ru``, ``tg`` or ``en``; guessed with :func:`guess_lang` when not given.
        It decides whether Tajik negations (``на``, ``нест``) apply.

    Returns
    -------
    list of Match
        ``negated`` and ``quoted`` matches included; :func:`post_vote` ignores them.
    """
    if not text:
        return []
    return compile_lexicon(groups).match_tokens(tokenize(text), lang)


def post_vote(matches: Iterable[Match], weights: dict[str, float] | None = None) -> dict[str, float]:
    """A post's one vote, split between groups by their distinct counting patterns.

    Each group's share is then multiplied by its ``weight``; negated and quoted
    matches do not count. An empty dict means the post is no evidence.
    """
    per: dict[str, set[str]] = {}
    for m in matches:
        if m.counts:
            per.setdefault(m.group, set()).add(m.pattern)
    total = sum(len(v) for v in per.values())
    if not total:
        return {}
    weights = weights or {}
    return {g: len(v) / total * float(weights.get(g, 1.0)) for g, v in per.items()}
