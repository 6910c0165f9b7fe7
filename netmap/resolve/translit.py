"""Cyrillic -> Latin transliteration, name normalisation and string similarity.

Identity candidates compare handles and display names written in different
scripts: ``Фарход Рахимов`` on VK, ``Farhod Rahimov`` on Twitter, ``farhod_r``
as a handle. :func:`translit` maps Russian and Tajik Cyrillic to Latin with a
simplified GOST 7.79 (system B) / ISO 9 table; :func:`skeleton` then folds the
spelling variants that romanisations disagree on (``kh``/``h``, ``yo``/``o``,
``iy``/``i``, doubled letters, ``x``/``h`` ...), so two spellings of one name
get one key. :func:`jaro_winkler` and :func:`name_similarity` score pairs.

Examples
--------
>>> translit("Фарход Раҳимов")
'Farkhod Rahimov'
>>> skeleton("Фарход") == skeleton("Farhod")
True
>>> round(jaro_winkler("martha", "marhta"), 3)
0.961
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "translit",
    "normalise_text",
    "skeleton",
    "handle_skeleton",
    "name_tokens",
    "jaro",
    "jaro_winkler",
    "agreement",
    "name_similarity",
]

# Russian, then the letters Tajik (and a few neighbours) add. Lower case only;
# upper case is handled by capitalising the output of the lower-case letter.
_TABLE: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Tajik
    "ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "j",
    # Ukrainian, Belarusian, Kazakh/Uzbek Cyrillic letters seen in the region
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ә": "a", "ө": "o", "ү": "u",
    "ң": "ng", "ұ": "u", "һ": "h", "қ\u0301": "q",
}


def _build_translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for cyr, lat in _TABLE.items():
        if len(cyr) != 1:
            continue
        table[ord(cyr)] = lat
        up = cyr.upper()
        if up != cyr and len(up) == 1:
            table[ord(up)] = lat[:1].upper() + lat[1:] if lat else ""
    return table


_TRANS = _build_translation()


def translit(text: str) -> str:
    """Latin transliteration of Russian/Tajik Cyrillic; other characters pass through.

    >>> translit("Щука и ёж")
    'Shchuka i yozh'
    >>> translit("Ҷамшед Назаров")
    'Jamshed Nazarov'
    """
    return unicodedata.normalize("NFC", text).translate(_TRANS)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_MARKS = re.compile(r"[\u0300-\u036f]")


def normalise_text(text: str) -> str:
    """Casefolded Latin text with accents removed and punctuation as single spaces."""
    t = translit(text).casefold()
    t = _MARKS.sub("", unicodedata.normalize("NFKD", t))
    return " ".join(_NON_WORD.sub(" ", t).split())


# Romanisation variants folded to one spelling (applied in order, on normalised text).
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r) for p, r in (
        (r"shch", "sh"), (r"kh", "h"), (r"x", "h"), (r"zh", "j"), (r"dzh", "j"), (r"dj", "j"),
        (r"ts", "s"), (r"yo", "o"), (r"jo", "o"), (r"yu", "u"), (r"ju", "u"), (r"iu", "u"),
        (r"ya", "a"), (r"ja", "a"), (r"ia", "a"), (r"iy", "i"), (r"ii", "i"), (r"y", "i"),
        (r"w", "v"), (r"q", "k"), (r"gh", "g"), (r"c(?=[ei])", "s"), (r"ck", "k"), (r"c", "k"),
        (r"ph", "f"), (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """A spelling-insensitive key: transliterated, casefolded, variants folded, no spaces.

    >>> skeleton("Бахтиёр") == skeleton("Bakhtiyor") == skeleton("Baxtiyor")
    True
    """
    t = normalise_text(text).replace(" ", "")
    for pat, rep in _FOLDS:
        t = pat.sub(rep, t)
    return t


def handle_skeleton(handle: str) -> str:
    """Skeleton of a handle, without an ``@``, a mastodon ``@instance`` or a blog host's TLD.

    >>> handle_skeleton("@Farhod_R")
    'farhodr'
    >>> handle_skeleton("farhod.r@mastodon.social")
    'farhodr'
    """
    h = handle.strip().lstrip("@")
    if "@" in h:
        h = h.split("@", 1)[0]
    h = h.casefold()
    return skeleton(h)


def name_tokens(name: str) -> list[str]:
    """Skeletons of a display name's words (``Farhod R.`` -> ``['farhod', 'r']``)."""
    return [skeleton(w) for w in normalise_text(name).split() if skeleton(w)]


def jaro(a: str, b: str) -> float:
    """Jaro similarity of two strings (1.0 equal, 0.0 nothing in common)."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    a_hit = [False] * la
    b_hit = [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        lo, hi = max(0, i - window), min(lb, i + window + 1)
        for j in range(lo, hi):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    # Transpositions: matched characters that appear in a different order.
    k = trans = 0
    for i in range(la):
        if a_hit[i]:
            while not b_hit[k]:
                k += 1
            if a[i] != b[k]:
                trans += 1
            k += 1
    m = float(matches)
    return (m / la + m / lb + (m - trans / 2) / m) / 3.0


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity: Jaro boosted by a common prefix of up to 4 characters."""
    j = jaro(a, b)
    prefix = 0
    for ca, cb in zip(a[:4], b[:4], strict=False):
        if ca != cb:
            break
        prefix += 1
    return j + prefix * prefix_scale * (1.0 - j)


def agreement(a: str, b: str) -> float:
    """Jaro-Winkler rescaled so unrelated strings score about 0 and equal ones 1.

    Jaro-Winkler gives two unrelated words of similar length 0.6-0.7 and a
    shared prefix pushes that higher (``dushanbenotes`` / ``dushanbepatriot``
    0.87), so scores below 0.7 are taken as no agreement at all.
    """
    return min(1.0, max(0.0, (jaro_winkler(a, b) - 0.7) / 0.3))


def _words(name: str) -> list[tuple[str, str]]:
    """(skeleton, first letter as written in Latin) of each word of a name."""
    out = []
    for w in normalise_text(name).split():
        sk = skeleton(w)
        if sk:
            out.append((sk, w[0]))
    return out


def _token_score(t: tuple[str, str], others: list[tuple[str, str]], initials: bool) -> float:
    best = 0.0
    for o in others:
        if len(t[0]) == 1 or len(o[0]) == 1:
            # An initial ("R.") agrees, weakly, with a word that starts with it as written
            # or as folded ("K." and "Kholova", whose skeleton starts with "h").
            s = 0.85 if initials and ({t[0][0], t[1]} & {o[0][0], o[1]}) else 0.0
        else:
            s = agreement(t[0], o[0])
        best = max(best, s)
    return best


def name_similarity(a: str, b: str) -> float:
    """Similarity of two display names or handles across scripts, in [0, 1].

    Words are compared as skeletons with :func:`agreement`, each word of the
    shorter name with its best match in the other (between two names of two
    or more words, an initial counts as a weak match); the whole skeletons
    are compared too, and the higher score wins. Word order does not matter.

    >>> name_similarity("Фарход Рахимов", "Farhod Rahimov")
    1.0
    >>> name_similarity("Farhod R.", "Фарход Рахимов") > 0.9
    True
    >>> name_similarity("Farhod Rahimov", "Zarina Saidova") < 0.1
    True
    >>> name_similarity("dushanbe_notes", "Dushanbe Patriot") < 0.7
    True
    >>> name_similarity("Dilshod K.", "Дилшод Холова") > 0.9
    True
    """
    ta, tb = _words(a), _words(b)
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    # Initials only count between two full names ("Farhod R." / "Фарход Рахимов").
    initials = len(short) >= 2
    token = sum(_token_score(t, long_, initials) for t in short) / len(short)
    if len(short) == 1 and len(long_) > 1:
        token *= 0.9  # one word against a full name: weaker than a full agreement
    whole = agreement("".join(t for t, _ in ta), "".join(t for t, _ in tb))
    return round(max(token, whole), 6)
