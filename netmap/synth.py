"""A synthetic election campaign with a planted structure, for tests and benchmarks.

:func:`generate` writes a campaign in the real formats netmap's collectors read
(twarc2 JSONL pages from the Twitter API v2, WordPress RSS 2.0 post feeds, and
WordPress comment feeds in RSS 2.0 or Atom) plus the truth it was planted with,
so every stage of the pipeline can be checked against known answers: which
stance group each account is in, which accounts are the hubs of each group, and
which accounts bridge groups. :func:`generate_graph` builds the same planted
structure in memory as an account-to-account edge table, for analysis
benchmarks at millions of accounts where writing files would dominate.

The planted structure (deterministic for a seed):

* accounts split into stance groups (``neutral`` half the size of the others);
  most are Twitter accounts, about 7% blog authors (each blog on its own
  ``blogNNN.wordpress.com`` host) and about 3% commenters known only by the
  name they leave under one blog's posts;
* inside a group, shares, quotes, mentions, links between blogs and comments
  follow preferential attachment, with ``hubs_per_group`` hubs per group that
  attract a large share of them;
* bridge accounts spread their shares evenly over 2-3 groups and are shared
  by accounts of every group;
* replies and comments across groups (arguments) make up
  ``cross_reply_share`` of all interactions;
* a fraction of accounts (``lexicon_fraction``) write with their group's
  vocabulary in Russian or English; the rest post neutral filler.

Examples
--------
>>> from netmap.synth import generate, generate_graph
>>> summary = generate("campaign", accounts=1000, seed=7)   # doctest: +SKIP
>>> edges, truth = generate_graph(100_000, seed=7)           # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import email.utils
import json
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as _xml_escape

import numpy as np

from .errors import UsageError
from .keys import account_key, blog_account_key, url_key

__all__ = ["SynthSummary", "generate", "generate_graph", "DEFAULT_GROUPS", "GRAPH_TYPES"]

DEFAULT_GROUPS: tuple[str, ...] = ("supporter", "critic", "boycott", "neutral")

# Account kinds.
_TW, _BLOG, _CMT = 0, 1, 2
_KIND_NAMES = ("twitter", "blog", "commenter")

# Interaction kinds, and the relationship each one becomes between accounts
# (a tweet carrying a blog post's link is a SHARES once the store reconciles links).
_RETWEET, _QUOTE, _MENTION, _REPLY, _URLSHARE, _COMMENT, _BLOGLINK = range(7)
INTERACTION_KINDS: tuple[str, ...] = (
    "retweet", "quote", "mention", "reply", "urlshare", "comment", "bloglink",
)
GRAPH_TYPES: tuple[str, ...] = (
    "SHARES", "QUOTES", "MENTIONS", "REPLIES_TO", "SHARES", "REPLIES_TO", "LINKS_TO",
)

# How the interactions that are not cross-group arguments or name-only comments
# split between kinds; retweets take what is left.
_MIX: dict[int, float] = {
    _QUOTE: 0.08, _MENTION: 0.10, _REPLY: 0.07, _URLSHARE: 0.12, _COMMENT: 0.03, _BLOGLINK: 0.08,
}
_CROSS_TO_BLOG = 0.15  # share of cross-group arguments that are comments under blog posts
_TO_BRIDGE = 0.03  # chance that a retweet or quote goes to a bridge, whatever its group
_HUB_WEIGHT = 0.15  # each hub's attachment weight, as a share of its group's other weight

_TWITTER_EPOCH_MS = 1288834974657

# -- vocabulary ---------------------------------------------------------------
# Group sentences carry the lexicon evidence the stance step looks for; filler,
# replies and comments below are kept free of every group's vocabulary.
_VOCAB: dict[str, dict[str, list[str]]] = {
    "supporter": {
        "ru": [
            "Поддерживаем президента: стабильность важнее всего.",
            "Голосуем за стабильность и мир в стране.",
            "Стабильность — наш путь. Поддерживаем президента!",
            "Мир и стабильность дороже всего, поддерживаем президента.",
        ],
        "en": [
            "We vote for stability and peace.",
            "Vote for stability, support the president.",
            "Stability first: we support the president.",
            "Peace and stability matter. Vote for stability!",
        ],
        "tags": ["стабильность", "ЗаСтабильность"],
    },
    "critic": {
        "ru": [
            "Это имитация выборов, а не выборы.",
            "Фальсификация готовится заранее, все это знают.",
            "Власти боятся интернета, поэтому блокируют сайты.",
            "Снова имитация выборов и фальсификация итогов.",
        ],
        "en": [
            "This is an imitation election, nothing more.",
            "Falsification is planned in advance.",
            "The authorities fear the internet and block sites.",
            "Another imitation election with falsification of results.",
        ],
        "tags": ["фальсификация", "имитациявыборов"],
    },
    "boycott": {
        "ru": [
            "Бойкот! Не ходите на выборы 6 ноября.",
            "Объявляем бойкот этим выборам.",
            "Не ходите на выборы, не участвуйте в спектакле.",
            "Бойкот — единственный честный ответ.",
        ],
        "en": [
            "Boycott the vote on November 6.",
            "Join the boycott, boycott the vote.",
            "Stay home and boycott the vote.",
            "A boycott is the only honest answer.",
        ],
        "tags": ["бойкот", "boycott"],
    },
    "neutral": {
        "ru": [
            "Наблюдатели ОБСЕ приехали в Душанбе.",
            "Какая будет явка в этот раз?",
            "Наблюдатели сообщают о явке на участках.",
            "Ждём данных о явке от наблюдателей.",
        ],
        "en": [
            "Observers report on turnout at polling stations.",
            "OSCE observers arrived in Dushanbe.",
            "What will the turnout be this time?",
            "Waiting for turnout figures from observers.",
        ],
        "tags": ["наблюдатели", "явка"],
    },
}
_FILLER = {
    "ru": [
        "Доброе утро, Душанбе!", "Опять пробки на Рудаки.", "Кто смотрел вчерашний матч?",
        "Хорошая погода сегодня.", "Читаю новости за чаем.", "Сегодня много работы.",
        "Фотографии с прогулки по парку.", "Вечером идём к друзьям.",
    ],
    "en": [
        "Good morning, Dushanbe!", "Traffic on Rudaki again.", "Anyone watched the match yesterday?",
        "Nice weather today.", "Reading the news over tea.", "Busy day at work.",
        "Photos from a walk in the park.", "Seeing friends tonight.",
    ],
}
_ARGUE = {
    "ru": ["это неправда.", "откуда такие данные?", "не согласен с вами.", "вы ошибаетесь.",
           "а доказательства есть?"],
    "en": ["that's not true.", "source?", "I disagree.", "you are wrong.", "any evidence?"],
}
_AGREE = {
    "ru": ["согласен!", "точно так.", "+1, верно."],
    "en": ["exactly.", "agreed!", "so true."],
}
_QUOTE_FILLER = {"ru": ["Интересно.", "Посмотрите это.", "Вот что пишут."],
                 "en": ["Interesting.", "Look at this.", "Worth reading."]}
_SHARE_FILLER = {"ru": ["Читайте:", "Новый пост:", "Интересный текст:"],
                 "en": ["Must read:", "New post:", "Worth reading:"]}
_COMMENT_FILLER = {"ru": ["Спасибо за пост.", "Хороший текст, спасибо.", "Интересная мысль."],
                   "en": ["Thanks for the post.", "Good piece, thank you.", "Interesting thought."]}
_COMMENT_ARGUE = {"ru": ["Не согласен с автором.", "Автор ошибается.", "Всё совсем не так."],
                  "en": ["I disagree with the author.", "The author is wrong.", "That is not how it is."]}
_TITLE_FILLER = {"ru": ["Заметки за неделю", "Осенний Душанбе", "О работе и отдыхе", "Дорога в Худжанд"],
                 "en": ["Notes of the week", "Autumn in Dushanbe", "On work and rest", "The road to Khujand"]}
_GENERIC_TAGS = ["выборы2013", "Таджикистан", "Tajikistan"]
_NEWS = ["asiaplustj.info", "news.tj", "rus.ozodi.org", "avesta.tj", "khovar.tj"]
_STEMS = ["Dushanbe", "Tojik", "Pamir", "khujand", "Sugd", "varzob", "Zarafshon", "Navruz",
          "Somoni", "hisor", "Rasht", "Kulob", "bokhtar", "Isfara", "Vakhsh", "Nurek"]
_FIRST = {
    "ru": ["Фарход", "Нигина", "Дилшод", "Мехрона", "Рустам", "Зарина", "Бахтиёр", "Шахноза",
           "Умед", "Тахмина", "Сухроб", "Парвина"],
    "en": ["Farhod", "Nigina", "Dilshod", "Mehrona", "Rustam", "Zarina", "Bakhtiyor", "Shahnoza",
           "Umed", "Tahmina", "Suhrob", "Parvina"],
}
_LAST = {
    "ru": ["Рахимов", "Саидова", "Каримов", "Назарова", "Шарипов", "Холова", "Юсупов", "Мирзоева"],
    "en": ["Rahimov", "Saidova", "Karimov", "Nazarova", "Sharipov", "Kholova", "Yusupov", "Mirzoeva"],
}
_BIOS = {"ru": ["Душанбе", "журналист", "студент", "инженер, Худжанд", "люблю горы", ""],
         "en": ["Dushanbe", "journalist", "student", "engineer in Khujand", "mountains", ""]}


def _vocab(group: str) -> dict[str, list[str]]:
    """Vocabulary of a group; groups not in the defaults get sentences built on their name."""
    if group in _VOCAB:
        return _VOCAB[group]
    return {
        "ru": [f"Мы за {group}.", f"Только {group}!", f"{group} — наш ответ."],
        "en": [f"We stand for {group}.", f"{group} now!", f"{group} is our answer."],
        "tags": [group.replace(" ", "")],
    }


# -- results ------------------------------------------------------------------


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`generate` wrote.

    ``interactions`` counts planted account-to-account interactions (a
    retweet, a reply, a link between blogs ...); ``tweets`` counts every tweet
    written, originals included.
    """

    accounts: int
    tweets: int
    blog_posts: int
    comments: int
    files: int
    seconds: float
    interactions: int = 0
    out_dir: str = ""
    params: dict[str, Any] = field(default_factory=dict)


# -- the planted structure ----------------------------------------------------


@dataclass
class _Plan:
    groups: tuple[str, ...]
    grp: np.ndarray  # group index per account
    kind: np.ndarray  # _TW / _BLOG / _CMT per account
    weight: np.ndarray  # attachment weight (how much an account attracts)
    act: np.ndarray  # activity (how much an account does)
    vocal: np.ndarray  # writes with its group's vocabulary
    lang_en: np.ndarray
    hubs: np.ndarray
    bridges: np.ndarray
    bridge_groups: dict[int, list[int]]
    seeds: np.ndarray
    home_blog: np.ndarray  # commenters: the blog account they comment under; -1 else
    handle: list[str]  # twitter username, or blog host for blog authors/commenters
    name: list[str]  # display name (twitter), author name (blog), commenter name
    keys: list[str]
    src: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    dst: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    typ: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    # Planted brokers (off by default): account -> (role, home, source, audience group).
    brokers: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    broker_roles: dict[int, tuple[str, int, int, int]] = field(default_factory=dict)
    # Periods (off by default): period index per interaction; switchers and new bridges.
    period: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    switchers: dict[int, tuple[int, int]] = field(default_factory=dict)
    new_bridges: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))


def _apportion(total: int, weights: Sequence[float]) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` (largest remainder), exactly."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    raw = w / w.sum() * total
    out = np.floor(raw).astype(np.int64)
    short = total - int(out.sum())
    if short:
        order = np.argsort(-(raw - out), kind="stable")
        out[order[:short]] += 1
    return out


def _check_params(accounts: int, groups: Sequence[str], seed_fraction: float,
                  hubs_per_group: int, cross_reply_share: float) -> tuple[str, ...]:
    groups = tuple(str(g).strip() for g in groups)
    if not groups or any(not g for g in groups) or len(set(groups)) != len(groups):
        raise UsageError("groups must be distinct non-empty names, e.g. supporter,critic,neutral")
    if not 0.0 <= seed_fraction <= 1.0:
        raise UsageError(f"seed_fraction must be between 0 and 1 (got {seed_fraction})")
    if not 0.0 <= cross_reply_share < 1.0:
        raise UsageError(f"cross_reply_share must be in [0, 1) (got {cross_reply_share})")
    if hubs_per_group < 0:
        raise UsageError("hubs_per_group cannot be negative")
    minimum = len(groups) * (2 * hubs_per_group + 10)
    if accounts < minimum:
        raise UsageError(
            f"{accounts} accounts are too few for {len(groups)} groups with {hubs_per_group} hubs "
            f"each; use --accounts {minimum} or more"
        )
    return groups


def _plan(accounts: int, seed: int, groups: Sequence[str], seed_fraction: float,
          bridges: int | None, hubs_per_group: int, lexicon_fraction: float,
          blog_fraction: float, commenter_fraction: float) -> _Plan:
    """Draw the accounts: groups, kinds, hubs, bridges, seeds, weights and names."""
    rng = np.random.default_rng(seed)
    n = accounts
    G = len(groups)
    sizes = _apportion(n, [0.5 if g == "neutral" else 1.0 for g in groups])
    grp = np.repeat(np.arange(G, dtype=np.int8), sizes)
    rng.shuffle(grp)

    kind = np.zeros(n, dtype=np.int8)
    members = [rng.permutation(np.flatnonzero(grp == g)) for g in range(G)]
    for mem in members:
        nb = max(1, round(blog_fraction * len(mem))) if blog_fraction > 0 else 0
        nc = round(commenter_fraction * len(mem)) if nb else 0
        kind[mem[:nb]] = _BLOG
        kind[mem[nb:nb + nc]] = _CMT

    # Heavy-tailed attachment weights; hubs get a fixed large share of their group's.
    weight = 1.0 + rng.pareto(2.5, n)
    act = rng.lognormal(0.0, 1.0, n)
    hubs_l: list[int] = []
    for mem in members:
        tw = mem[kind[mem] == _TW]
        hubs_g = tw[:hubs_per_group]  # members are already in random order
        if len(hubs_g):
            weight[hubs_g] = _HUB_WEIGHT * weight[tw].sum()
            act[hubs_g] *= 3.0
            hubs_l.extend(int(h) for h in hubs_g)
    hubs = np.array(sorted(hubs_l), dtype=np.int64)

    n_bridges = max(3, n // 100) if bridges is None else max(0, int(bridges))
    bridge_l: list[int] = []
    bridge_groups: dict[int, list[int]] = {}
    mean_act = float(act.mean())
    if G > 1 and n_bridges:
        candidates = [mem[(kind[mem] == _TW)][hubs_per_group:] for mem in members]
        taken = [0] * G
        for b in range(n_bridges):
            g = b % G
            if taken[g] >= len(candidates[g]) // 2:  # never make most of a group bridges
                continue
            acct = int(candidates[g][-1 - taken[g]])
            taken[g] += 1
            k = int(rng.integers(2, min(3, G) + 1))
            others = rng.choice(np.array([x for x in range(G) if x != g]), k - 1, replace=False)
            bridge_l.append(acct)
            bridge_groups[acct] = [g, *sorted(int(o) for o in others)]
            # Busy enough that their endorsements visibly spread over their groups.
            act[acct] = 4.0 * mean_act
    bridges_arr = np.array(sorted(bridge_l), dtype=np.int64)

    vocal = rng.random(n) < lexicon_fraction
    vocal[hubs] = True  # the leaders of a camp speak its language
    lang_en = rng.random(n) < 0.3

    seeds_l: list[np.ndarray] = []
    for mem in members:
        k = max(1, round(seed_fraction * len(mem))) if seed_fraction > 0 else 0
        seeds_l.append(rng.choice(np.sort(mem), k, replace=False) if k else mem[:0])
    seeds = np.sort(np.concatenate(seeds_l)).astype(np.int64)

    # Commenters comment under one blog of their own group.
    home_blog = np.full(n, -1, dtype=np.int64)
    for mem in members:
        blogs_g = np.sort(mem[kind[mem] == _BLOG])
        cm = np.sort(mem[kind[mem] == _CMT])
        if len(cm):
            p = weight[blogs_g] / weight[blogs_g].sum()
            home_blog[cm] = rng.choice(blogs_g, len(cm), p=p)

    handle, name, keys = _names(rng, kind, lang_en, home_blog)
    return _Plan(groups=tuple(groups), grp=grp, kind=kind, weight=weight, act=act, vocal=vocal,
                 lang_en=lang_en, hubs=hubs, bridges=bridges_arr, bridge_groups=bridge_groups,
                 seeds=seeds, home_blog=home_blog, handle=handle, name=name, keys=keys)


def _names(rng: np.random.Generator, kind: np.ndarray, lang_en: np.ndarray,
           home_blog: np.ndarray) -> tuple[list[str], list[str], list[str]]:
    """Usernames, display names and netmap account keys, unique by construction."""
    n = len(kind)
    stem = rng.integers(0, len(_STEMS), n)
    first = rng.integers(0, len(_FIRST["ru"]), n)
    last = rng.integers(0, len(_LAST["ru"]), n)
    handle = [""] * n
    name = [""] * n
    keys = [""] * n
    lang = ["en" if e else "ru" for e in lang_en.tolist()]
    blog_no = np.cumsum(kind == _BLOG) - 1
    for i in np.flatnonzero(kind == _TW).tolist():
        # The account index makes the username unique; lower-casing cannot merge two.
        u = f"{_STEMS[stem[i]]}{i}"
        handle[i] = u
        name[i] = f"{_FIRST[lang[i]][first[i]]} {_LAST[lang[i]][last[i]][0]}."
        keys[i] = "twitter:" + u.lower()
    taken: dict[int, set[str]] = {}
    for i in np.flatnonzero(kind == _BLOG).tolist():
        host = f"blog{blog_no[i]:03d}.wordpress.com"
        handle[i] = host
        name[i] = f"{_FIRST[lang[i]][first[i]]} {_LAST[lang[i]][last[i]]}"
        keys[i] = blog_account_key(host, name[i])
        taken[i] = {name[i].lower()}
    for i in np.flatnonzero(kind == _CMT).tolist():
        b = int(home_blog[i])
        base = _FIRST[lang[i]][first[i]]
        cand, k = base, 1
        while cand.lower() in taken[b]:  # a blog's commenters are told apart by name only
            k += 1
            cand = f"{base} {k}"
        taken[b].add(cand.lower())
        handle[i] = handle[b]
        name[i] = cand
        keys[i] = blog_account_key(handle[b], cand)
    return handle, name, keys


def _search(cum: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``searchsorted(cum, q, 'right')``, clipped to valid positions.

    Millions of random probes into a big array miss the cache on every step;
    probing in sorted order and scattering back is about three times faster.
    """
    if len(q) < 100_000:
        pos = np.searchsorted(cum, q, side="right")
    else:
        order = np.argsort(q)
        pos = np.empty(len(q), dtype=np.int64)
        pos[order] = np.searchsorted(cum, q[order], side="right")
    return np.minimum(pos, len(cum) - 1)


class _Pool:
    """Accounts of one group that can be the target of an interaction, by weight."""

    __slots__ = ("idx", "cum")

    def __init__(self, idx: np.ndarray, weight: np.ndarray) -> None:
        self.idx = idx
        self.cum = np.cumsum(weight[idx]) if len(idx) else np.empty(0)

    def draw(self, u: np.ndarray) -> np.ndarray:
        if not len(self.idx):
            return np.full(len(u), -1, dtype=np.int64)
        return self.idx[_search(self.cum, u * self.cum[-1])]


def _pick(rng: np.random.Generator, target_group: np.ndarray, pools: list[_Pool]) -> np.ndarray:
    u = rng.random(len(target_group))
    out = np.full(len(target_group), -1, dtype=np.int64)
    for g, pool in enumerate(pools):
        m = target_group == g
        if m.any():
            out[m] = pool.draw(u[m])
    return out


def _draw_sources(rng: np.random.Generator, pop: np.ndarray, act: np.ndarray, k: int) -> np.ndarray:
    if k <= 0 or not len(pop):
        return np.empty(0, dtype=np.int64)
    cum = np.cumsum(act[pop])
    return pop[_search(cum, rng.random(k) * cum[-1])]


def _interactions(p: _Plan, seed: int, total: int, cross_reply_share: float,
                  stream: int | None = None) -> None:
    """Draw who interacts with whom, how; fills ``p.src``, ``p.dst``, ``p.typ``."""
    rng = np.random.default_rng([seed, 1] if stream is None else [seed, 1, stream])
    G = len(p.groups)
    tw = np.flatnonzero(p.kind == _TW)
    blogs = np.flatnonzero(p.kind == _BLOG)
    cmts = np.flatnonzero(p.kind == _CMT)
    tw_pools = [_Pool(tw[p.grp[tw] == g], p.weight) for g in range(G)]
    blog_pools = [_Pool(blogs[p.grp[blogs] == g], p.weight) for g in range(G)]
    is_bridge = np.zeros(len(p.grp), dtype=bool)
    is_bridge[p.bridges] = True
    bridge_row = np.full(len(p.grp), -1, dtype=np.int64)
    bridge_row[p.bridges] = np.arange(len(p.bridges))
    bg = np.full((max(1, len(p.bridges)), 3), -1, dtype=np.int64)
    bn = np.ones(max(1, len(p.bridges)), dtype=np.int64)
    for r, b in enumerate(p.bridges.tolist()):
        gs = p.bridge_groups[b]
        bg[r, :len(gs)] = gs
        bn[r] = len(gs)
    bridge_pool = _Pool(p.bridges, p.weight)

    def target_groups(src: np.ndarray) -> np.ndarray:
        tg = p.grp[src].astype(np.int64)
        br = is_bridge[src]
        if br.any():  # a bridge spreads its endorsements evenly over its groups
            rows = bridge_row[src[br]]
            tg[br] = bg[rows, (rng.random(len(rows)) * bn[rows]).astype(np.int64)]
        return tg

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    # Name-only commenters: a few comments each, under their home blog.
    per = 1 + rng.poisson(1.0, len(cmts))
    c_src = np.repeat(cmts, per)
    parts.append((c_src, p.home_blog[c_src], np.full(len(c_src), _COMMENT, np.int8)))

    # Arguments across groups: replies to tweets and comments under blog posts.
    n_cross = round(cross_reply_share * total)
    src = _draw_sources(rng, tw, p.act, n_cross)
    tg = (p.grp[src].astype(np.int64) + rng.integers(1, max(2, G), len(src))) % max(1, G)
    to_blog = rng.random(len(src)) < (_CROSS_TO_BLOG if len(blogs) else 0.0)
    dst = np.where(to_blog, _pick(rng, tg, blog_pools), _pick(rng, tg, tw_pools))
    if G > 1:
        parts.append((src, dst, np.where(to_blog, _COMMENT, _REPLY).astype(np.int8)))

    rest = max(0, total - n_cross - len(c_src))
    kinds = list(_MIX)
    shares = [_MIX[k] if (len(blogs) or k not in (_URLSHARE, _COMMENT, _BLOGLINK)) else 0.0
              for k in kinds]
    kinds.append(_RETWEET)
    shares.append(max(0.0, 1.0 - sum(shares)))
    for k, cnt in zip(kinds, _apportion(rest, shares).tolist(), strict=True):
        pop = blogs if k == _BLOGLINK else tw
        src = _draw_sources(rng, pop, p.act, cnt)
        tg = target_groups(src)
        pools = blog_pools if k in (_URLSHARE, _COMMENT, _BLOGLINK) else tw_pools
        dst = _pick(rng, tg, pools)
        if k in (_RETWEET, _QUOTE) and len(p.bridges):
            # Bridges are shared from every group.
            m = ~is_bridge[src] & (rng.random(len(src)) < _TO_BRIDGE)
            dst[m] = bridge_pool.draw(rng.random(int(m.sum())))
        parts.append((src, dst, np.full(len(src), k, np.int8)))

    src = np.concatenate([a for a, _, _ in parts]).astype(np.int64)
    dst = np.concatenate([b for _, b, _ in parts]).astype(np.int64)
    typ = np.concatenate([c for _, _, c in parts]).astype(np.int8)
    # Nobody shares or answers themselves: redraw those few from the same group, then drop.
    for _ in range(4):
        bad = np.flatnonzero(src == dst)
        if not len(bad):
            break
        to_blog = np.isin(typ[bad], (_URLSHARE, _BLOGLINK)) | (
            (typ[bad] == _COMMENT) & (p.kind[src[bad]] == _TW)
        )
        tg = p.grp[dst[bad]].astype(np.int64)
        dst[bad] = np.where(to_blog, _pick(rng, tg, blog_pools), _pick(rng, tg, tw_pools))
    keep = (dst >= 0) & (src != dst)
    p.src, p.dst, p.typ = src[keep], dst[keep], typ[keep]


def _truth(p: _Plan, params: dict[str, Any]) -> dict[str, Any]:
    keys = p.keys
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return {
        "accounts": {keys[i]: p.groups[p.grp[i]] for i in order},
        "hubs": sorted(keys[i] for i in p.hubs.tolist()),
        "bridges": sorted(keys[i] for i in p.bridges.tolist()),
        "seeds": sorted(keys[i] for i in p.seeds.tolist()),
        "lexicon": sorted(keys[i] for i in np.flatnonzero(p.vocal).tolist()),
        "bridge_groups": {keys[b]: [p.groups[g] for g in gs]
                          for b, gs in sorted(p.bridge_groups.items(), key=lambda kv: keys[kv[0]])},
        "kinds": {keys[i]: _KIND_NAMES[p.kind[i]] for i in order},
        "params": params,
        **({"brokers": {keys[b]: {"role": r, "group": p.groups[g], "from": p.groups[s],
                                  "to": p.groups[t]}
                        for b, (r, g, s, t) in sorted(p.broker_roles.items(),
                                                      key=lambda kv: keys[kv[0]])}}
           if p.broker_roles else {}),
    }


_BROKER_ROLES = ("liaison", "gatekeeper", "representative")


def _plant_brokers(p: _Plan, seed: int, n_brokers: int) -> None:
    """Pick ``n_brokers`` ordinary Twitter accounts and give each a Gould–Fernandez role.

    A broker carries content from a *source* group to an *audience* group:
    liaison (both other than its own), gatekeeper (from another group into
    its own) or representative (from its own group out to another).
    """
    rng = np.random.default_rng([seed, 4])
    G = len(p.groups)
    roles = _BROKER_ROLES if G >= 3 else _BROKER_ROLES[1:]
    busy = np.zeros(len(p.grp), dtype=bool)
    busy[p.hubs] = True
    busy[p.bridges] = True
    cand = np.flatnonzero((p.kind == _TW) & ~busy)
    chosen = rng.choice(cand, size=min(n_brokers, len(cand)), replace=False)
    for i, b in enumerate(chosen.tolist()):
        g = int(p.grp[b])
        others = np.array([x for x in range(G) if x != g])
        role = roles[i % len(roles)]
        if role == "liaison":
            s, t = (int(x) for x in rng.choice(others, 2, replace=False))
        elif role == "gatekeeper":
            s, t = int(rng.choice(others)), g
        else:
            s, t = g, int(rng.choice(others))
        p.broker_roles[b] = (role, g, s, t)
    p.brokers = np.array(sorted(p.broker_roles), dtype=np.int64)


def _broker_interactions(p: _Plan, seed: int, per_broker: int, stream: int
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each broker retweets ``per_broker`` posts of its source group and is retweeted as often by its audience."""
    rng = np.random.default_rng([seed, 6, stream])
    tw = np.flatnonzero(p.kind == _TW)
    pools = [_Pool(tw[p.grp[tw] == g], p.weight) for g in range(len(p.groups))]
    src_l, dst_l = [], []
    for b, (_, _, s, t) in sorted(p.broker_roles.items()):
        carried = pools[s].draw(rng.random(per_broker))
        audience = _draw_sources(rng, tw[p.grp[tw] == t], p.act, per_broker)
        src_l += [np.full(per_broker, b), audience]
        dst_l += [carried, np.full(per_broker, b)]
    src = np.concatenate(src_l) if src_l else np.empty(0, np.int64)
    dst = np.concatenate(dst_l) if dst_l else np.empty(0, np.int64)
    keep = (src != dst) & (dst >= 0)
    return src[keep], dst[keep], np.full(int(keep.sum()), _RETWEET, np.int8)


def _period_plans(p: _Plan, seed: int, periods: int, switchers: int,
                  new_bridges: int) -> list[_Plan]:
    """One plan per period: from the second on, switchers endorse another group and new bridges appear."""
    rng = np.random.default_rng([seed, 5])
    G = len(p.groups)
    busy = np.zeros(len(p.grp), dtype=bool)
    busy[p.hubs] = True
    busy[p.bridges] = True
    busy[p.brokers] = True
    cand = rng.permutation(np.flatnonzero((p.kind == _TW) & ~busy))
    if switchers + new_bridges > len(cand) // 2:
        raise UsageError(f"too many switchers and new bridges for {len(cand)} ordinary accounts")
    sw = np.sort(cand[:switchers])
    nb = np.sort(cand[switchers:switchers + new_bridges])
    grp2 = p.grp.copy()
    for a in sw.tolist():
        grp2[a] = (int(p.grp[a]) + int(rng.integers(1, G))) % G
        p.switchers[a] = (int(p.grp[a]), int(grp2[a]))
    bridge_groups2 = dict(p.bridge_groups)
    act2 = p.act.copy()
    for a in nb.tolist():
        g = int(p.grp[a])
        k = int(rng.integers(2, min(3, G) + 1))
        others = rng.choice(np.array([x for x in range(G) if x != g]), k - 1, replace=False)
        bridge_groups2[a] = [g, *sorted(int(o) for o in others)]
        act2[a] = 4.0 * float(p.act.mean())
    p.new_bridges = nb
    later = dataclasses.replace(
        p, grp=grp2, act=act2, bridges=np.array(sorted([*p.bridges.tolist(), *nb.tolist()]),
                                                dtype=np.int64),
        bridge_groups=bridge_groups2)
    return [p] + [later] * (periods - 1)


def _build(accounts: int, seed: int, groups: Sequence[str], seed_fraction: float,
           bridges: int | None, hubs_per_group: int, cross_reply_share: float,
           interactions_per_account: float, lexicon_fraction: float, blog_fraction: float,
           commenter_fraction: float, *, brokers: int = 0, periods: int = 1,
           switchers: int = 0, new_bridges: int = 0) -> tuple[_Plan, dict[str, Any]]:
    groups = _check_params(accounts, groups, seed_fraction, hubs_per_group, cross_reply_share)
    if not 0.0 <= lexicon_fraction <= 1.0:
        raise UsageError(f"lexicon_fraction must be between 0 and 1 (got {lexicon_fraction})")
    if not (0 <= blog_fraction < 0.5 and 0 <= commenter_fraction < 0.5):
        raise UsageError("blog_fraction and commenter_fraction must each be below 0.5")
    if interactions_per_account < 0:
        raise UsageError("interactions_per_account cannot be negative")
    if brokers < 0 or periods < 1 or switchers < 0 or new_bridges < 0:
        raise UsageError("brokers, switchers and new_bridges must be >= 0, periods >= 1")
    if brokers and len(groups) < 2:
        raise UsageError("brokers need at least two groups")
    if (switchers or new_bridges) and periods < 2:
        raise UsageError("switchers and new_bridges need periods >= 2")
    p = _plan(accounts, seed, groups, seed_fraction, bridges, hubs_per_group, lexicon_fraction,
              blog_fraction, commenter_fraction)
    total = round(accounts * interactions_per_account)
    if brokers:
        _plant_brokers(p, seed, brokers)
    if periods == 1:
        _interactions(p, seed, total, cross_reply_share)
        if brokers:
            extra = _broker_interactions(p, seed, max(30, round(10 * interactions_per_account)), 0)
            p.src, p.dst, p.typ = (np.concatenate([a, b]) for a, b in
                                   zip((p.src, p.dst, p.typ), extra, strict=True))
    else:
        parts = []
        per_broker = max(30, round(10 * interactions_per_account)) // periods
        plans = _period_plans(p, seed, periods, switchers, new_bridges)
        for k, (pk, tot) in enumerate(zip(plans, _apportion(total, [1.0] * periods).tolist(),
                                          strict=True)):
            pk = dataclasses.replace(pk)  # each period draws into its own arrays
            _interactions(pk, seed, int(tot), cross_reply_share, stream=k)
            chunk = [pk.src, pk.dst, pk.typ]
            if brokers:
                chunk = [np.concatenate([a, b]) for a, b in
                         zip(chunk, _broker_interactions(pk, seed, per_broker, k), strict=True)]
            parts.append((*chunk, np.full(len(chunk[0]), k, np.int8)))
        p.src, p.dst, p.typ, p.period = (np.concatenate(x) for x in zip(*parts, strict=True))
    params = {
        "accounts": accounts, "seed": seed, "groups": list(groups),
        "seed_fraction": seed_fraction, "bridges": len(p.bridges),
        "hubs_per_group": hubs_per_group, "cross_reply_share": cross_reply_share,
        "interactions_per_account": interactions_per_account,
        "lexicon_fraction": lexicon_fraction, "blog_fraction": blog_fraction,
        "commenter_fraction": commenter_fraction,
    }
    # Options that are off leave no trace, so default outputs stay byte-identical.
    if brokers:
        params["brokers"] = len(p.brokers)
    if periods > 1:
        params.update(periods=periods, switchers=switchers, new_bridges=new_bridges)
    return p, params


def generate_graph(
    accounts: int,
    seed: int = 42,
    interactions_per_account: float = 10,
    *,
    groups: Sequence[str] = DEFAULT_GROUPS,
    seed_fraction: float = 0.05,
    bridges: int | None = None,
    hubs_per_group: int = 3,
    cross_reply_share: float = 0.2,
    lexicon_fraction: float = 0.3,
    blog_fraction: float = 0.07,
    commenter_fraction: float = 0.03,
    brokers: int = 0,
    periods: int = 1,
    switchers: int = 0,
    new_bridges: int = 0,
    start: str = "2013-10-15",
    days: int = 30,
) -> tuple[Any, dict[str, Any]]:
    """The planted campaign as an in-memory account-to-account edge table (no files).

    Same accounts, groups, hubs, bridges and seeds as :func:`generate` with the
    same arguments; edges are the planted interactions, one row each
    (duplicates are kept: two retweets are two rows).

    Parameters
    ----------
    accounts : int
        Number of accounts.
    seed : int
        Random seed; the same seed gives the same graph.
    interactions_per_account : float
        Planted interactions per account on average.
    groups, seed_fraction, bridges, hubs_per_group, cross_reply_share, lexicon_fraction, blog_fraction, commenter_fraction
        As in :func:`generate`.
    brokers : int
        Planted Gould–Fernandez brokers (default none): ordinary Twitter
        accounts, in turn a liaison, a gatekeeper and a representative, each
        retweeting ``max(30, 10 * interactions_per_account)`` posts of a
        source group and retweeted as often by an audience group. Listed in
        ``truth["brokers"]`` with role, group, source and audience.
    periods : int
        Split the campaign into this many equal periods (default one). The
        first follows the plan; from the second on, ``switchers`` accounts
        endorse (and are endorsed by) another group and ``new_bridges``
        accounts start bridging groups. Adds columns ``period`` and
        ``created_at`` (ISO-8601 UTC inside the period) and
        ``truth["periods"]``: ``bounds`` (ISO start/end per period),
        ``switchers`` (key -> [group before, group after]) and ``new_bridges``.
    switchers, new_bridges : int
        See ``periods``.
    start, days : str, int
        The campaign window the periods divide (only used with ``periods > 1``).

    Returns
    -------
    edges : pandas.DataFrame
        Columns ``src``, ``dst`` (categoricals over the account keys, so codes
        are account indices), ``type`` (categorical: SHARES, QUOTES, MENTIONS,
        REPLIES_TO, LINKS_TO) and ``kind`` (categorical: retweet, quote,
        mention, reply, urlshare, comment, bloglink).
    truth : dict
        As ``truth.json`` written by :func:`generate`.

    Examples
    --------
    >>> edges, truth = generate_graph(1000, seed=1)
    >>> sorted(set(truth["accounts"].values()))
    ['boycott', 'critic', 'neutral', 'supporter']
    """
    import pandas as pd

    t0 = time.perf_counter()
    p, params = _build(accounts, seed, groups, seed_fraction, bridges, hubs_per_group,
                       cross_reply_share, interactions_per_account, lexicon_fraction,
                       blog_fraction, commenter_fraction, brokers=brokers, periods=periods,
                       switchers=switchers, new_bridges=new_bridges)
    cats = pd.Index(p.keys)
    gtypes = ["SHARES", "QUOTES", "MENTIONS", "REPLIES_TO", "LINKS_TO"]
    type_code = np.array([gtypes.index(t) for t in GRAPH_TYPES], dtype=np.int8)
    edges = pd.DataFrame({
        "src": pd.Categorical.from_codes(p.src.astype(np.int32), categories=cats),
        "dst": pd.Categorical.from_codes(p.dst.astype(np.int32), categories=cats),
        "type": pd.Categorical.from_codes(type_code[p.typ], categories=gtypes),
        "kind": pd.Categorical.from_codes(p.typ, categories=list(INTERACTION_KINDS)),
    })
    truth = _truth(p, params)
    if periods > 1:
        t_begin, span = _start_seconds(start, days), days * 86400 // periods
        rng = np.random.default_rng([seed, 7])
        ts = t_begin + p.period.astype(np.int64) * span + rng.integers(0, span, len(p.src))
        edges["period"] = p.period
        edges["created_at"] = pd.Series(
            np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")).astype("str") + "Z"
        bounds = [t_begin + k * span for k in range(periods + 1)]
        iso = [_dt.datetime.fromtimestamp(b, _dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
               for b in bounds]
        keys = p.keys
        truth["periods"] = {
            "bounds": [[iso[k], iso[k + 1]] for k in range(periods)],
            "switchers": {keys[a]: [p.groups[g1], p.groups[g2]]
                          for a, (g1, g2) in sorted(p.switchers.items(),
                                                    key=lambda kv: keys[kv[0]])},
            "new_bridges": sorted(keys[a] for a in p.new_bridges.tolist()),
        }
    truth["counts"] = {"accounts": accounts, "interactions": len(p.src),
                       "seconds": round(time.perf_counter() - t0, 3)}
    return edges, truth


# -- writing the files --------------------------------------------------------


def _start_seconds(start: str, days: int) -> int:
    """Unix seconds of the campaign's ``start`` (an ISO date, UTC unless it says otherwise),
    after checking ``start`` and the campaign length ``days``."""
    try:
        begin = _dt.datetime.fromisoformat(start)
    except ValueError as exc:
        raise UsageError(f"start must be an ISO date like 2013-10-15 (got {start!r})") from exc
    if begin.tzinfo is None:
        begin = begin.replace(tzinfo=_dt.UTC)
    if days < 1:
        raise UsageError("days must be at least 1")
    return int(begin.timestamp())


def _iso_ms(seconds: np.ndarray, ms: np.ndarray) -> list[str]:
    base = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return [f"{b}.{m:03d}Z" for b, m in zip(base.tolist(), ms.tolist(), strict=True)]


def _rfc822(ts: int) -> str:
    return email.utils.formatdate(ts, usegmt=False).replace("-0000", "+0000")


def _atom_time(ts: int) -> str:
    return _dt.datetime.fromtimestamp(ts, _dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


_B62_PAIRS = [a + b for a in _B62 for b in _B62]


def _tco(n: int) -> str:
    """A t.co short link: a bijection of ``n`` so links look random but never collide."""
    x = (n * 25214903917 + 11) % (62 ** 10)
    x, r0 = divmod(x, 3844)
    x, r1 = divmod(x, 3844)
    x, r2 = divmod(x, 3844)
    x, r3 = divmod(x, 3844)
    pairs = _B62_PAIRS
    return "https://t.co/" + pairs[x] + pairs[r3] + pairs[r2] + pairs[r1] + pairs[r0]


def _display(url: str) -> str:
    d = url.split("://", 1)[-1]
    return d if len(d) <= 26 else d[:25] + "…"


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_jstr = json.encoder.encode_basestring  # a str as a JSON string literal, non-ASCII kept


class _Writer:
    """Materialises a plan into tweets, blog posts and comments, then writes them."""

    def __init__(self, p: _Plan, seed: int, out: Path, start: str, days: int,
                 tweets_per_file: int) -> None:
        self.p = p
        self.rng = np.random.default_rng([seed, 2])
        self.out = out
        self.t0 = _start_seconds(start, days)
        self.t1 = self.t0 + days * 86400
        self.tweets_per_file = max(100, tweets_per_file)
        self.files = 0
        # Planted identities and cross-posts (see _Planter) hook in here; empty by default,
        # and then every file is exactly what it was without them.
        self.t_override: dict[int, str] = {}  # original tweet -> its text
        self.post_override: dict[int, str] = {}  # blog post -> its body
        self.user_extra: dict[int, dict[str, str]] = {}  # account -> {"url", "bio"}
        self.c_uri: dict[int, str] = {}  # comment -> the commenter's URL

    # -- drawing content ------------------------------------------------------
    def _times(self, k: int) -> np.ndarray:
        return self.rng.integers(self.t0, self.t1 - 7200, k)

    def _after(self, t: np.ndarray) -> np.ndarray:
        lag = 60 + self.rng.exponential(4 * 3600, len(t)).astype(np.int64)
        # Lags that would run past the window wrap inside what is left of it, so
        # late activity does not pile up on the window's last second.
        room = np.maximum(self.t1 - 1 - t, 1)
        return t + 1 + lag % room

    def plan_content(self) -> None:
        p, rng = self.p, self.rng
        n = len(p.grp)
        tw = np.flatnonzero(p.kind == _TW)
        blogs = np.flatnonzero(p.kind == _BLOG)

        # Original tweets: at least one per Twitter account, more for the active and hubs.
        act_tw = p.act[tw] / p.act[tw].mean()
        k = 1 + np.minimum(rng.poisson(1.5 * act_tw), 40)
        is_hub = np.zeros(n, dtype=bool)
        is_hub[p.hubs] = True
        k = k + np.where(is_hub[tw], 10, 0)
        n_orig = np.zeros(n, dtype=np.int64)
        n_orig[tw] = k
        orig_off = np.zeros(n, dtype=np.int64)
        orig_off[tw] = np.cumsum(k) - k
        o_author = np.repeat(tw, k)
        self.n_orig_tweets = len(o_author)

        # Blog posts: enough for the links each blog makes, at least one.
        src, dst, typ = p.src, p.dst, p.typ
        out_links = np.bincount(src[typ == _BLOGLINK], minlength=n)
        kb = 1 + rng.poisson(1.5, len(blogs)) + (out_links[blogs] + 2) // 3
        n_posts = np.zeros(n, dtype=np.int64)
        n_posts[blogs] = kb
        post_off = np.zeros(n, dtype=np.int64)
        post_off[blogs] = np.cumsum(kb) - kb
        self.post_author = np.repeat(blogs, kb)
        self.post_time = self._times(len(self.post_author))
        self.post_lex = p.vocal[self.post_author] & (rng.random(len(self.post_author)) < 0.7)
        first_post = post_off[blogs]
        self.post_lex[first_post] = p.vocal[blogs]  # a vocal blogger shows it at least once
        self.post_tpl = rng.integers(0, 1 << 30, len(self.post_author))

        def pick_post(acct: np.ndarray) -> np.ndarray:
            return post_off[acct] + (rng.random(len(acct)) * n_posts[acct]).astype(np.int64)

        # Tweets that are interactions.
        tweet_types = (_RETWEET, _QUOTE, _MENTION, _REPLY, _URLSHARE)
        is_tweet = np.isin(typ, tweet_types)
        t_src, t_dst, t_typ = src[is_tweet], dst[is_tweet], typ[is_tweet]
        ref = np.full(len(t_src), -1, dtype=np.int64)
        on_orig = np.isin(t_typ, (_RETWEET, _QUOTE, _REPLY))
        d = t_dst[on_orig]
        ref[on_orig] = orig_off[d] + (rng.random(len(d)) * n_orig[d]).astype(np.int64)
        m_url = t_typ == _URLSHARE
        ref[m_url] = pick_post(t_dst[m_url])
        m_men = t_typ == _MENTION
        ref[m_men] = t_dst[m_men]  # a mention refers to the account itself

        T = len(o_author) + len(t_src)
        self.t_author = np.concatenate([o_author, t_src])
        self.t_kind = np.concatenate([np.full(len(o_author), -1, np.int8), t_typ])
        self.t_ref = np.concatenate([np.full(len(o_author), -1, np.int64), ref])
        t_time = np.empty(T, dtype=np.int64)
        t_time[:len(o_author)] = self._times(len(o_author))
        base = len(o_author)
        idx = base + np.flatnonzero(on_orig)
        t_time[idx] = self._after(t_time[ref[on_orig]])
        idx = base + np.flatnonzero(m_url)
        t_time[idx] = self._after(self.post_time[ref[m_url]])
        idx = base + np.flatnonzero(m_men)
        t_time[idx] = self._times(len(idx))
        self.t_time = t_time
        self.t_ms = rng.integers(0, 1000, T)
        lex = p.vocal[self.t_author] & (rng.random(T) < 0.7)
        first = orig_off[tw]
        lex[first] = p.vocal[tw]  # every vocal account's first original shows its group
        self.t_lex = lex
        self.t_tpl = rng.integers(0, 1 << 30, T)
        self.t_news = rng.random(T) < 0.1

        # Snowflake ids follow creation time, so a reply's id is above its parent's.
        order = np.lexsort((np.arange(T), t_time * 1000 + self.t_ms))
        ms = t_time * 1000 + self.t_ms
        ids = np.empty(T, dtype=np.int64)
        ids[order] = ((ms[order] - _TWITTER_EPOCH_MS) << 22) + (np.arange(T) & 0x3FFFFF)
        self.t_id = ids
        self.t_order_desc = order[::-1]
        self.t_created = _iso_ms(t_time, self.t_ms)

        # Engagement counts on originals.
        self.rt_count = np.bincount(ref[t_typ == _RETWEET], minlength=len(o_author))
        self.q_count = np.bincount(ref[t_typ == _QUOTE], minlength=len(o_author))
        self.r_count = np.bincount(ref[t_typ == _REPLY], minlength=len(o_author))

        # Comments under blog posts: name-only commenters and Twitter accounts.
        is_c = typ == _COMMENT
        c_src, c_dst = src[is_c], dst[is_c]
        self.c_author = c_src
        self.c_post = pick_post(c_dst)
        self.c_time = self._after(self.post_time[self.c_post])
        self.c_cross = p.grp[c_src] != p.grp[c_dst]
        self.c_lex = p.vocal[c_src] & (rng.random(len(c_src)) < 0.7)
        # A vocal name-only commenter shows its group at least once: comments are all it writes.
        is_named = p.kind[c_src] == _CMT
        _, first_c = np.unique(c_src[is_named], return_index=True)
        named_idx = np.flatnonzero(is_named)[first_c]
        self.c_lex[named_idx] = p.vocal[c_src[named_idx]]
        self.c_tpl = rng.integers(0, 1 << 30, len(c_src))

        # Links between blogs: from a post of the linking blog to an earlier post of the other.
        is_l = typ == _BLOGLINK
        self.links: dict[int, list[int]] = {}
        l_src, l_dst = src[is_l], dst[is_l]
        from_post = pick_post(l_src)
        u = rng.random(len(l_src))
        for fp, db, uu in zip(from_post.tolist(), l_dst.tolist(), u.tolist(), strict=True):
            lo, hi = int(post_off[db]), int(post_off[db] + n_posts[db])
            ft = self.post_time[fp]
            earlier = [q for q in range(lo, hi) if self.post_time[q] < ft]
            # -1 - blog: no earlier post to cite, so the link goes to the blog's front page
            target = earlier[int(uu * len(earlier))] if earlier else -1 - db
            self.links.setdefault(fp, []).append(target)
        self.post_comments = np.bincount(self.c_post, minlength=len(self.post_author))
        self.wp_id = np.zeros(len(self.post_author), dtype=np.int64)
        for b in blogs.tolist():
            lo, hi = int(post_off[b]), int(post_off[b] + n_posts[b])
            # WordPress numbers posts in creation order; gaps are drafts, pages, attachments
            order_b = lo + np.argsort(self.post_time[lo:hi], kind="stable")
            self.wp_id[order_b] = 10 + np.cumsum(rng.integers(1, 9, hi - lo))
        self.post_slug_cyr = (~p.lang_en[self.post_author]) & (rng.random(len(self.post_author)) < 0.25)
        self._to_lists()

    def _to_lists(self) -> None:
        """Python lists for the per-record writers: indexing numpy scalars one by one is slow."""
        for name in ("t_author", "t_kind", "t_ref", "t_lex", "t_tpl", "t_news", "rt_count",
                     "q_count", "r_count", "post_author", "post_time", "post_lex", "post_tpl",
                     "post_comments", "wp_id", "post_slug_cyr", "c_author", "c_post", "c_time",
                     "c_cross", "c_lex", "c_tpl"):
            setattr(self, name, getattr(self, name).tolist())
        self.t_ids = [str(x) for x in self.t_id.tolist()]
        self.lang = ["en" if e else "ru" for e in self.p.lang_en.tolist()]
        self.grp = self.p.grp.tolist()

    # -- text helpers ---------------------------------------------------------
    def _lang(self, acct: int) -> str:
        return self.lang[acct]

    def _sentence(self, acct: int, lex: bool, tpl: int) -> str:
        lang = self._lang(acct)
        if lex:
            opts = _vocab(self.p.groups[self.grp[acct]])[lang]
        else:
            opts = _FILLER[lang]
        return opts[tpl % len(opts)]

    def post_url(self, q: int, variant: int = 0) -> str:
        """URL of blog post ``q``; variants 1-5 are what people paste: http, utm, no slash ..."""
        a = self.post_author[q]
        host = self.p.handle[a]
        d = _dt.datetime.fromtimestamp(self.post_time[q], _dt.UTC)
        wp = self.wp_id[q]
        if self.post_slug_cyr[q]:
            raw = f"выборы-{wp}"
            slug = raw if variant in (1, 3) else quote(raw)
        else:
            slug = f"{('notes', 'post', 'vybory-2013', 'mnenie', 'zametki')[wp % 5]}-{wp}"
        path = f"/{d.year:04d}/{d.month:02d}/{d.day:02d}/{slug}/"
        if variant == 1:
            return f"http://{host}{path}"
        if variant == 2:
            return f"https://{host}{path}?utm_source=twitter&utm_medium=social&utm_campaign=share"
        if variant == 3:
            return (f"http://{host}{path}?utm_source=feedburner&utm_medium=feed"
                    f"&utm_campaign=Feed%3A+{host.split('.')[0]}")
        if variant == 4:
            return f"https://{host}{path.rstrip('/')}"
        if variant == 5:
            return f"https://{host}{path}#more-{wp}"
        return f"https://{host}{path}"

    def _news_url(self, tpl: int) -> str:
        dom = _NEWS[tpl % len(_NEWS)]
        url = f"https://{dom}/news/2013/{(tpl >> 3) % 90000 + 10000}"
        return url + "?utm_source=twitter&utm_medium=social" if tpl & 4 else url

    # -- tweets ---------------------------------------------------------------
    def _user(self, a: int) -> dict[str, Any]:
        p = self.p
        lang = self._lang(a)
        bio = _BIOS[lang][self.user_tpl[a] % len(_BIOS[lang])]
        followers = int(p.weight[a] * 40 * (1 + (self.user_tpl[a] >> 4) % 7))
        extra = self.user_extra.get(a)
        if extra:
            if extra.get("bio_add"):
                bio = (bio + " · " if bio else "") + extra["bio_add"]
            return self._user_planted(a, bio, followers, extra)
        return {
            "id": self.uid[a],
            "username": p.handle[a],
            "name": p.name[a],
            "created_at": self.user_created[a],
            "description": bio,
            "location": "Душанбе" if lang == "ru" else "Dushanbe",
            "protected": False,
            "verified": False,
            "url": "",
            "profile_image_url": f"https://pbs.twimg.com/profile_images/{self.uid[a]}/p_normal.jpg",
            "public_metrics": {
                "followers_count": followers,
                "following_count": self.user_tpl[a] % 900 + 20,
                "tweet_count": self.user_tpl[a] % 20000 + 50,
                "listed_count": followers // 50,
            },
        }

    def _user_planted(self, a: int, bio: str, followers: int,
                      extra: dict[str, str]) -> dict[str, Any]:
        """A user object with a planted website link (``entities.url``) and/or bio."""
        p = self.p
        lang = self._lang(a)
        bio = extra.get("bio", bio)
        user: dict[str, Any] = {
            "id": self.uid[a], "username": p.handle[a], "name": p.name[a],
            "created_at": self.user_created[a], "description": bio,
            "location": "Душанбе" if lang == "ru" else "Dushanbe",
            "protected": False, "verified": False, "url": "",
            "profile_image_url": f"https://pbs.twimg.com/profile_images/{self.uid[a]}/p_normal.jpg",
            "public_metrics": {
                "followers_count": followers,
                "following_count": self.user_tpl[a] % 900 + 20,
                "tweet_count": self.user_tpl[a] % 20000 + 50,
                "listed_count": followers // 50,
            },
        }
        if extra.get("url"):
            short = _tco(10**9 + a)
            user["url"] = short
            user["entities"] = {"url": {"urls": [{
                "start": 0, "end": len(short), "url": short, "expanded_url": extra["url"],
                "display_url": _display(extra["url"])}]}}
        return user

    def _original_parts(self, i: int) -> tuple[str, list[tuple[int, int, str]],
                                                tuple[int, int, str, str] | None]:
        """Text, hashtags ``(start, end, tag)`` and link ``(start, end, t.co, url)`` of original ``i``."""
        a = self.t_author[i]
        tpl = self.t_tpl[i]
        lex = self.t_lex[i]
        planted = self.t_override.get(i)
        if planted is not None:
            return planted, [], None
        text = self._sentence(a, lex, tpl)
        tags: list[tuple[int, int, str]] = []
        names: list[str] = []
        if lex and tpl & 8:
            gv = _vocab(self.p.groups[self.grp[a]])
            names.append(gv["tags"][(tpl >> 4) % len(gv["tags"])])
        # Generic campaign tags: often with group speech, rarely with filler.
        if (tpl & 16) if lex else (tpl & 0x70) == 0x70:
            names.append(_GENERIC_TAGS[(tpl >> 7) % len(_GENERIC_TAGS)])
        for tag in names:
            start = len(text) + 1
            text += " #" + tag
            tags.append((start, len(text), tag))
        link = None
        if self.t_news[i]:
            short = _tco(2 * i)
            start = len(text) + 1
            text += " " + short
            link = (start, len(text), short, self._news_url(tpl))
        return text, tags, link

    def _tweet(self, i: int) -> tuple[str, list[int], int]:
        """Tweet ``i`` as v2 JSON, the users it mentions, and the tweet it references (-1: none).

        The JSON is formatted directly (every string from the data goes through
        the JSON string encoder): building dicts and encoding them took most of
        the time at 100k accounts.
        """
        p = self.p
        a = self.t_author[i]
        k = self.t_kind[i]
        tid = self.t_ids[i]
        lang = self.lang[a]
        tpl = self.t_tpl[i]
        conv = tid
        mentions: list[tuple[int, int, int]] = []  # start, end, account
        tags: list[tuple[int, int, str]] = []
        links: list[tuple[int, int, str, str]] = []
        extra = ""
        ref = -1
        if k == -1:
            text, tags, link = self._original_parts(i)
            if link:
                links.append(link)
            rt = self.rt_count[i]
            extra = (f',"public_metrics":{{"retweet_count":{rt},"reply_count":{self.r_count[i]},'
                     f'"like_count":{rt * 2 + tpl % 5},"quote_count":{self.q_count[i]}}}')
        elif k == _RETWEET:
            ref = self.t_ref[i]
            oa = self.t_author[ref]
            parts = self._parts[ref]
            if parts is None:  # most originals are retweeted more than once
                parts = self._parts[ref] = self._original_parts(ref)
            otext, otags, olink = parts
            head = f"RT @{p.handle[oa]}: "
            text = head + otext
            sh = len(head)
            mentions.append((3, 4 + len(p.handle[oa]), oa))
            tags = [(s0 + sh, e0 + sh, t) for s0, e0, t in otags]
            if olink:
                links.append((olink[0] + sh, olink[1] + sh, olink[2], olink[3]))
            extra = f',"referenced_tweets":[{{"type":"retweeted","id":"{self.t_ids[ref]}"}}]'
            lang = self.lang[oa]
        elif k == _QUOTE:
            ref = self.t_ref[i]
            oa = self.t_author[ref]
            text = self._sentence(a, True, tpl) if self.t_lex[i] else _QUOTE_FILLER[lang][tpl % 3]
            short = _tco(2 * i + 1)
            start = len(text) + 1
            text += " " + short
            links.append((start, len(text), short,
                          f"https://twitter.com/{p.handle[oa]}/status/{self.t_ids[ref]}"))
            extra = f',"referenced_tweets":[{{"type":"quoted","id":"{self.t_ids[ref]}"}}]'
        elif k == _REPLY:
            ref = self.t_ref[i]
            oa = self.t_author[ref]
            body = (_ARGUE if self.grp[oa] != self.grp[a] else _AGREE)[lang]
            text = f"@{p.handle[oa]} " + body[tpl % len(body)]
            mentions.append((0, 1 + len(p.handle[oa]), oa))
            conv = self.t_ids[ref]
            extra = (f',"referenced_tweets":[{{"type":"replied_to","id":"{conv}"}}]'
                     f',"in_reply_to_user_id":"{self.uid[oa]}"')
        elif k == _MENTION:
            oa = self.t_ref[i]
            text = self._sentence(a, self.t_lex[i], tpl)
            start = len(text) + 1
            text += f" @{p.handle[oa]}"
            mentions.append((start, len(text), oa))
        else:  # _URLSHARE
            text = self._sentence(a, True, tpl) if self.t_lex[i] else _SHARE_FILLER[lang][tpl % 3]
            variant = (0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5)[(tpl >> 3) % 11]
            short = _tco(2 * i + 1)
            start = len(text) + 1
            text += " " + short
            links.append((start, len(text), short, self.post_url(self.t_ref[i], variant)))
        ents = []
        if mentions:
            ents.append('"mentions":[' + ",".join(
                f'{{"start":{s0},"end":{e0},"username":"{p.handle[m]}","id":"{self.uid[m]}"}}'
                for s0, e0, m in mentions) + "]")
        if tags:
            ents.append('"hashtags":[' + ",".join(
                f'{{"start":{s0},"end":{e0},"tag":{_jstr(t)}}}' for s0, e0, t in tags) + "]")
        if links:
            ents.append('"urls":[' + ",".join(
                f'{{"start":{s0},"end":{e0},"url":"{short}","expanded_url":{_jstr(u)},'
                f'"display_url":{_jstr(_display(u))}}}' for s0, e0, short, u in links) + "]")
        ents_js = ',"entities":{' + ",".join(ents) + "}" if ents else ""
        js = (f'{{"id":"{tid}","text":{_jstr(text)},"author_id":"{self.uid[a]}",'
              f'"created_at":"{self.t_created[i]}","conversation_id":"{conv}","lang":"{lang}"'
              f"{extra}{ents_js}}}")
        return js, [m for _, _, m in mentions], ref

    def write_twitter(self) -> int:
        p = self.p
        n = len(p.grp)
        rng = self.rng
        self.user_id = 100_000_000 + np.cumsum(rng.integers(1, 5000, n))[rng.permutation(n)]
        self.uid = [str(x) for x in self.user_id.tolist()]
        self.user_tpl = rng.integers(0, 1 << 30, n).tolist()
        created = rng.integers(int(_dt.datetime(2008, 1, 1, tzinfo=_dt.UTC).timestamp()),
                               self.t0 - 86400, n)
        self.user_created = _iso_ms(created, np.zeros(n, dtype=np.int64))
        # Originals and users recur on many pages (as referenced tweets, as authors):
        # each is encoded once.
        n_orig = self.n_orig_tweets
        user_json: list[str | None] = [None] * n
        orig_json: list[str | None] = [None] * n_orig
        author, kind, tweet = self.t_author, self.t_kind, self._tweet
        self._parts: list[Any] = [None] * n_orig
        tdir = self.out / "twitter"
        tdir.mkdir(parents=True, exist_ok=True)
        order = self.t_order_desc.tolist()
        per_file = self.tweets_per_file // 100 * 100
        pages = (len(order) + 99) // 100
        url = ("https://api.twitter.com/2/tweets/search/all?expansions=author_id%2C"
               "referenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username"
               "%2Cin_reply_to_user_id&max_results=100&query=%23%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B"
               "2013%20OR%20%23Tajikistan")
        twarc = _dumps({"url": url, "version": "2.14.0", "retrieved_at": "2023-01-16T09:30:00+00:00"})
        fh = None
        written = 0
        for page in range(pages):
            if page * 100 % per_file == 0:
                if fh:
                    fh.close()
                self.files += 1
                fh = open(tdir / f"tweets-{page * 100 // per_file + 1:04d}.jsonl", "w",
                          encoding="utf-8", newline="\n")
            chunk = order[page * 100:(page + 1) * 100]
            data: list[str] = []
            users: dict[int, None] = {}
            inc: dict[int, None] = {}
            for i in chunk:
                users[author[i]] = None
                if i < n_orig:
                    js = orig_json[i]
                    if js is None:
                        js = orig_json[i] = tweet(i)[0]
                    data.append(js)
                    continue
                js, mentioned, ref = tweet(i)
                data.append(js)
                for m in mentioned:
                    users[m] = None
                if ref >= 0 and kind[i] != _URLSHARE:
                    inc[ref] = None
                    users[author[ref]] = None
            inc_json = []
            for r in inc:
                js = orig_json[r]
                if js is None:
                    js = orig_json[r] = tweet(r)[0]
                inc_json.append(js)
            user_parts = []
            for u in users:
                js = user_json[u]
                if js is None:
                    js = user_json[u] = _dumps(self._user(u))
                user_parts.append(js)
            meta: dict[str, Any] = {"newest_id": self.t_ids[chunk[0]],
                                    "oldest_id": self.t_ids[chunk[-1]],
                                    "result_count": len(chunk)}
            if page + 1 < pages:
                meta["next_token"] = f"b26v89c19zqg8o3fo{np.base_repr(page + 1, 36).lower():0>8}"
            includes = '{"users":[' + ",".join(user_parts) + "]"
            if inc_json:
                includes += ',"tweets":[' + ",".join(inc_json) + "]"
            includes += "}"
            assert fh is not None
            fh.write('{"data":[' + ",".join(data) + '],"includes":' + includes
                     + ',"meta":' + _dumps(meta) + ',"__twarc":' + twarc + "}\n")
            written += len(chunk)
        if fh:
            fh.close()
        return written

    # -- blogs ----------------------------------------------------------------
    def write_blogs(self) -> tuple[int, int]:
        p = self.p
        bdir = self.out / "blogs"
        bdir.mkdir(parents=True, exist_ok=True)
        posts_by_blog: dict[int, list[int]] = {}
        for q, a in enumerate(self.post_author):
            posts_by_blog.setdefault(int(a), []).append(q)
        comments_by_blog: dict[int, list[int]] = {}
        for c, q in enumerate(self.c_post):
            comments_by_blog.setdefault(self.post_author[q], []).append(c)
        n_comments = 0
        for b in np.flatnonzero(p.kind == _BLOG).tolist():
            posts = sorted(posts_by_blog.get(b, []), key=lambda q: (-self.post_time[q], q))
            self._write_rss(b, posts, bdir)
            cs = sorted(comments_by_blog.get(b, []), key=lambda c: (-self.c_time[c], c))
            if cs:
                self._write_comments(b, cs, bdir)
                n_comments += len(cs)
        return len(self.post_author), n_comments

    def _post_title(self, q: int) -> str:
        a = self.post_author[q]
        tpl = self.post_tpl[q]
        if self.post_lex[q]:
            return self._sentence(a, True, tpl).rstrip(".!")
        lang = self._lang(a)
        return _TITLE_FILLER[lang][tpl % len(_TITLE_FILLER[lang])]

    def _write_rss(self, b: int, posts: list[int], bdir: Path) -> None:
        p = self.p
        host = p.handle[b]
        lang = self._lang(b)
        esc = _xml_escape
        last = max((self.post_time[q] for q in posts), default=self.t0)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
            '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
            '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n\n<channel>\n',
            f"\t<title>{esc(p.name[b])}</title>\n",
            f'\t<atom:link href="https://{host}/feed/" rel="self" type="application/rss+xml" />\n',
            f"\t<link>https://{host}</link>\n",
            f"\t<description>{'Заметки о жизни' if lang == 'ru' else 'Notes on life'}</description>\n",
            f"\t<lastBuildDate>{_rfc822(last)}</lastBuildDate>\n",
            f"\t<language>{'ru-RU' if lang == 'ru' else 'en-US'}</language>\n",
            "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n\t<sy:updateFrequency>1</sy:updateFrequency>\n",
            "\t<generator>http://wordpress.com/</generator>\n",
        ]
        for q in posts:
            link = self.post_url(q)
            title = self._post_title(q)
            tpl = self.post_tpl[q]
            body = self._sentence(b, self.post_lex[q], tpl >> 2)
            second = self._sentence(b, False, tpl >> 5)
            if q in self.post_override:
                body, second = self.post_override[q], ""
            html = [f"<p>{esc(body)}</p>", f"<p>{esc(second)}"]
            for t in self.links.get(q, []):
                if t >= 0:
                    href = self.post_url(t, 1 if (tpl >> 9) & 3 == 0 else 0)
                    anchor = "пишет" if lang == "ru" else "writes"
                    html.append(f' <a href="{esc(href)}">{esc(p.name[self.post_author[t]])}'
                                f"</a> {anchor}.")
                else:
                    other = -1 - t
                    html.append(f' <a href="https://{p.handle[other]}/">{esc(p.name[other])}</a>')
            if (tpl >> 12) % 6 == 0:
                news = self._news_url(tpl >> 13)
                html.append(f' <a href="{esc(news)}">{news.split("/")[2]}</a>')
            html.append("</p>")
            content = "".join(html)
            wp = self.wp_id[q]
            out.append(
                "\t<item>\n"
                f"\t\t<title>{esc(title)}</title>\n"
                f"\t\t<link>{esc(link)}</link>\n"
                f"\t\t<comments>{esc(link)}#comments</comments>\n"
                f"\t\t<pubDate>{_rfc822(self.post_time[q])}</pubDate>\n"
                f"\t\t<dc:creator><![CDATA[{p.name[b]}]]></dc:creator>\n"
                f"\t\t<category><![CDATA[{'Выборы' if lang == 'ru' else 'Elections'}]]></category>\n"
                f'\t\t<guid isPermaLink="false">http://{host}/?p={wp}</guid>\n'
                f"\t\t<description><![CDATA[{body} {second} [&#8230;]]]></description>\n"
                f"\t\t<content:encoded><![CDATA[{content}]]></content:encoded>\n"
                f"\t\t<wfw:commentRss>{esc(link)}feed/</wfw:commentRss>\n"
                f"\t\t<slash:comments>{self.post_comments[q]}</slash:comments>\n"
                "\t</item>\n"
            )
        out.append("</channel>\n</rss>\n")
        (bdir / f"{host}.rss.xml").write_text("".join(out), encoding="utf-8")
        self.files += 1

    def _comment_text(self, c: int) -> str:
        a = self.c_author[c]
        lang = self._lang(a)
        tpl = self.c_tpl[c]
        if self.c_cross[c]:
            opts = _COMMENT_ARGUE[lang]
        elif self.c_lex[c]:
            return self._sentence(a, True, tpl)
        else:
            opts = _COMMENT_FILLER[lang]
        return opts[tpl % len(opts)]

    def _write_comments(self, b: int, cs: list[int], bdir: Path) -> None:
        """The blog's comment feed: Atom when a commenter left a profile URL, else RSS.

        WordPress's RSS comment feed has no place for a commenter's URL; its
        Atom feed carries it in ``<author><uri>``.
        """
        p = self.p
        host = p.handle[b]
        esc = _xml_escape
        # Comment numbers follow time, as WordPress assigns them.
        by_time = sorted(cs, key=lambda c: (self.c_time[c], c))
        cid = {c: 100 + 3 * k for k, c in enumerate(by_time)}
        atom = any(p.kind[self.c_author[c]] == _TW or c in self.c_uri for c in cs)
        lang = self._lang(b)
        last = max(self.c_time[c] for c in cs)
        title = f"{'Комментарии' if lang == 'ru' else 'Comments for'} {p.name[b]}"
        out: list[str] = []
        if atom:
            out.append(
                '<?xml version="1.0" encoding="UTF-8"?><feed\n'
                '  xmlns="http://www.w3.org/2005/Atom"\n'
                '  xmlns:thr="http://purl.org/syndication/thread/1.0"\n'
                f'  xml:lang="{"ru-RU" if lang == "ru" else "en-US"}"\n  >\n'
                f'\t<title type="text">{esc(title)}</title>\n'
                f"\t<updated>{_atom_time(last)}</updated>\n"
                f'\t<link rel="alternate" type="text/html" href="https://{host}" />\n'
                f"\t<id>https://{host}/comments/feed/atom/</id>\n"
                f'\t<link rel="self" type="application/atom+xml" href="https://{host}/comments/feed/atom/" />\n'
            )
        else:
            out.append(
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
                '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
                '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
                '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
                '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n\t>\n<channel>\n'
                f"\t<title>{esc(title)}</title>\n"
                f'\t<atom:link href="https://{host}/comments/feed/" rel="self" type="application/rss+xml" />\n'
                f"\t<link>https://{host}</link>\n"
                f"\t<description>{'Заметки о жизни' if lang == 'ru' else 'Notes on life'}</description>\n"
                f"\t<lastBuildDate>{_rfc822(last)}</lastBuildDate>\n"
                "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n\t<sy:updateFrequency>1</sy:updateFrequency>\n"
                "\t<generator>http://wordpress.com/</generator>\n"
            )
        for c in cs:
            q = self.c_post[c]
            a = self.c_author[c]
            post_link = self.post_url(q)
            link = f"{post_link}#comment-{cid[c]}"
            wp = self.wp_id[q]
            text = self._comment_text(c)
            ctitle = f"{'Комментарий к записи' if lang == 'ru' else 'Comment on'} {self._post_title(q)} " \
                     f"{'от' if lang == 'ru' else 'by'} {p.name[a]}"
            author = p.name[a]
            if atom:
                uri = ""
                if c in self.c_uri:
                    uri = f"\t\t\t<uri>{esc(self.c_uri[c])}</uri>\n"
                elif p.kind[a] == _TW:
                    scheme = "http" if self.c_tpl[c] & 1 else "https"
                    uri = f"\t\t\t<uri>{scheme}://twitter.com/{p.handle[a]}</uri>\n"
                out.append(
                    "\t<entry>\n"
                    f"\t\t<title>{esc(ctitle)}</title>\n"
                    f'\t\t<link rel="alternate" href="{esc(link)}" type="text/html" />\n'
                    f"\t\t<author>\n\t\t\t<name>{esc(author)}</name>\n{uri}\t\t</author>\n"
                    f"\t\t<id>http://{host}/?p={wp}#comment-{cid[c]}</id>\n"
                    f"\t\t<updated>{_atom_time(self.c_time[c])}</updated>\n"
                    f"\t\t<published>{_atom_time(self.c_time[c])}</published>\n"
                    f'\t\t<thr:in-reply-to ref="http://{host}/?p={wp}" href="{esc(post_link)}" '
                    'type="text/html" />\n'
                    f'\t\t<content type="html" xml:base="{esc(link)}"><![CDATA[<p>{esc(text)}</p>\n]]>'
                    "</content>\n"
                    "\t</entry>\n"
                )
            else:
                out.append(
                    "\t<item>\n"
                    f"\t\t<title>{esc(ctitle)}</title>\n"
                    f"\t\t<link>{esc(link)}</link>\n"
                    f"\t\t<dc:creator><![CDATA[{author}]]></dc:creator>\n"
                    f"\t\t<pubDate>{_rfc822(self.c_time[c])}</pubDate>\n"
                    f'\t\t<guid isPermaLink="false">http://{host}/?p={wp}#comment-{cid[c]}</guid>\n'
                    f"\t\t<description><![CDATA[{text}]]></description>\n"
                    f"\t\t<content:encoded><![CDATA[<p>{esc(text)}</p>\n]]></content:encoded>\n"
                    "\t</item>\n"
                )
        out.append("</feed>\n" if atom else "</channel>\n</rss>\n")
        ext = "atom.xml" if atom else "rss.xml"
        (bdir / f"{host}-comments.{ext}").write_text("".join(out), encoding="utf-8")
        self.files += 1


def generate(
    out_dir: str | Path,
    *,
    accounts: int = 500,
    seed: int = 42,
    groups: Sequence[str] = DEFAULT_GROUPS,
    seed_fraction: float = 0.05,
    bridges: int | None = None,
    hubs_per_group: int = 3,
    cross_reply_share: float = 0.2,
    days: int = 30,
    start: str = "2013-10-15",
    interactions_per_account: float = 10,
    lexicon_fraction: float = 0.3,
    blog_fraction: float = 0.07,
    commenter_fraction: float = 0.03,
    tweets_per_file: int = 100_000,
    identities: int = 0,
    crossposts: int = 0,
) -> SynthSummary:
    """Write a synthetic campaign with a planted structure to ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing; files of an earlier run with
        the same names are overwritten).
    accounts : int
        Number of accounts (Twitter accounts, blog authors and commenters).
    seed : int
        Random seed: the same arguments write byte-identical files.
    groups : sequence of str
        Stance groups; a group named ``neutral`` gets half the accounts of
        the others. Groups other than the defaults get vocabulary built on
        their name.
    seed_fraction : float
        Share of each group's accounts listed in ``seeds.csv`` (at least one
        per group when above 0).
    bridges : int, optional
        Number of bridge accounts; default ``max(3, accounts // 100)``.
    hubs_per_group : int
        Hubs per group: Twitter accounts that attract many shares.
    cross_reply_share : float
        Share of all interactions that are replies or comments across groups.
    days, start : int, str
        The campaign window: ``days`` days from the ISO date ``start`` (UTC).
    interactions_per_account : float
        Planted interactions per account on average.
    lexicon_fraction : float
        Share of accounts whose posts carry their group's vocabulary (hubs always do).
    blog_fraction, commenter_fraction : float
        Shares of accounts that are blog authors / name-only blog commenters.
    tweets_per_file : int
        Tweets per JSONL file (rounded down to whole pages of 100).
    identities : int
        People to plant with accounts on two platforms (default none). Each
        gets one kind of evidence, in turn (:data:`IDENTITY_EVIDENCE`): a VK
        profile's website field naming their Twitter profile (``vk_site``), a
        Twitter profile's website field naming their VK page
        (``twitter_url``), a VK handle written in a Twitter bio
        (``bio_handle``), a Twitter profile linking a blog (``blog_url``), an
        analyst's ``aliases.csv`` row (``alias``), a blog author commenting on
        another blog with their blog's URL (``comment_url``), or nothing but
        look-alike handles and names across scripts (``fuzzy``). VK accounts
        of nobody in particular are added as distractors (same names, handles
        one number apart).
    crossposts : int
        Texts to plant that are copied onto another platform within days (default
        none), in turn (:data:`CROSSPOST_KINDS`): a person's tweet copied to
        their VK page and the other way round, a blog post copied by a VK
        news community, a blogger tweeting their post's text, and a tweet
        copied by an unrelated VK user. Copies are verbatim plus hashtags, or
        with a prefix and one word changed, or cut to four fifths. Planted
        texts are unique word sequences, so nothing else near-duplicates them.

    Returns
    -------
    SynthSummary

    Notes
    -----
    Layout::

        OUT_DIR/twitter/tweets-0001.jsonl   twarc2 pages (API v2 responses), newest first
        OUT_DIR/blogs/<host>.rss.xml        WordPress RSS 2.0 post feed, one per blog
        OUT_DIR/blogs/<host>-comments.atom.xml or .rss.xml   the blog's comment feed
        OUT_DIR/truth.json                  accounts→group, hubs, bridges, seeds, params
        OUT_DIR/seeds.csv                   account,group for the seed accounts
        OUT_DIR/truth.csv                   account,group for every other account
        OUT_DIR/vk/wall-0001.jsonl          (identities/crossposts only) VK wall.get
                                            responses, extended, one per VK account
        OUT_DIR/aliases.csv                 (identities only) account,person rows

    With identities or crossposts, ``truth.json`` also holds ``identities``
    (person -> account keys), ``identity_evidence`` (person -> evidence kind),
    ``crossposts`` (``[copy post key, original post key]`` pairs, later first)
    and ``crosspost_kinds``; VK accounts (and ``blog:<host>`` accounts of
    commenters known by their blog URL) join ``accounts`` and ``kinds``.

    Keys in the truth files are the keys netmap gives the accounts:
    ``twitter:<username lower>``, ``blog:<host>/<author lower>`` and, for
    commenters, ``blog:<host of the blog they comment on>/<name lower>``.
    """
    t_start = time.perf_counter()
    p, params = _build(accounts, seed, groups, seed_fraction, bridges, hubs_per_group,
                       cross_reply_share, interactions_per_account, lexicon_fraction,
                       blog_fraction, commenter_fraction)
    params.update(days=days, start=start)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    w = _Writer(p, seed, out, start, days, tweets_per_file)
    w.plan_content()
    planter = None
    if identities > 0 or crossposts > 0:
        params.update(identities=identities, crossposts=crossposts)
        planter = _Planter(w, seed, identities, crossposts)
        planter.plan_identities()
        planter.plan_crossposts()
        planter.plan_background()
    n_tweets = w.write_twitter()
    n_posts, n_comments = w.write_blogs()
    extra_files = 0
    if planter is not None:
        extra_files = planter.write_vk() + planter.write_aliases()

    truth = _truth(p, params)
    if planter is not None:
        truth["accounts"] = dict(sorted({**truth["accounts"], **planter.groups}.items()))
        truth["kinds"] = dict(sorted({**truth["kinds"], **planter.kinds}.items()))
        truth.update(planter.truth())
    truth["counts"] = {"accounts": accounts, "interactions": int(len(p.src)), "tweets": n_tweets,
                       "blog_posts": n_posts, "comments": n_comments}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    seeds = set(truth["seeds"])
    seed_rows = ["account,group"] + [f"{_csv(k)},{_csv(truth['accounts'][k])}"
                                     for k in truth["seeds"]]
    rest_rows = ["account,group"] + [f"{_csv(k)},{_csv(g)}" for k, g in truth["accounts"].items()
                                     if k not in seeds]
    (out / "seeds.csv").write_text("\n".join(seed_rows) + "\n", encoding="utf-8")
    (out / "truth.csv").write_text("\n".join(rest_rows) + "\n", encoding="utf-8")
    files = w.files + 3 + extra_files
    return SynthSummary(accounts=accounts, tweets=n_tweets, blog_posts=n_posts,
                        comments=n_comments, files=files,
                        seconds=round(time.perf_counter() - t_start, 3),
                        interactions=int(len(p.src)), out_dir=str(out), params=params)


def _csv(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


# -- planted cross-platform identities and cross-posts --------------------------
#
# Off by default (generate(identities=0, crossposts=0) writes exactly what it
# always wrote). When on, a VK wall file joins the Twitter pages and blog
# feeds, and truth.json gains "identities", "identity_evidence" and
# "crossposts".

IDENTITY_EVIDENCE: tuple[str, ...] = (
    "vk_site", "twitter_url", "bio_handle", "blog_url", "alias", "comment_url", "fuzzy",
)
# Evidence types that tie two accounts explicitly; "fuzzy" persons only look alike.
EXPLICIT_EVIDENCE: tuple[str, ...] = IDENTITY_EVIDENCE[:-1]
CROSSPOST_KINDS: tuple[str, ...] = (
    "tweet>vk:person", "blog>vk:aggregator", "vk>tweet:person", "blog>tweet:person",
    "tweet>vk:other",
)

# Words for planted texts: unique word sequences, so a planted original and its
# copies are the only near-duplicates of each other.
_PLANT_WORDS = {
    "ru": (
        "выборы участок голос кандидат комиссия бюллетень явка город район школа дорога "
        "мост рынок цены хлеб работа зарплата пенсия студент учитель врач больница свет "
        "газ вода зима осень дождь горы река мигрант москва семья соседи друзья письмо "
        "газета радио телевизор интернет сайт форум блог канал новость статья мнение "
        "вопрос ответ спор разговор встреча собрание площадь улица дом двор подъезд "
        "очередь автобус маршрутка такси поезд аэропорт граница таможня банк кредит "
        "налог бизнес магазин базар урожай хлопок пшеница ремонт стройка завод фабрика "
        "энергия плотина закон суд адвокат право свобода правда ложь слух страх надежда "
        "будущее прошлое история память праздник навруз свадьба чай плов лепёшка утро "
        "вечер ночь неделя месяц год сегодня вчера завтра снова опять уже ещё только "
        "важно странно честно открыто тихо громко быстро медленно вместе отдельно"
    ).split(),
    "en": (
        "election station vote candidate commission ballot turnout city district school "
        "road bridge market prices bread work salary pension student teacher doctor "
        "hospital power gas water winter autumn rain mountains river migrant moscow "
        "family neighbours friends letter newspaper radio television internet site forum "
        "blog channel news article opinion question answer debate talk meeting square "
        "street house yard queue bus minibus taxi train airport border customs bank loan "
        "tax business shop bazaar harvest cotton wheat repair building plant factory "
        "energy dam law court lawyer rights freedom truth rumour fear hope future past "
        "history memory holiday navruz wedding tea pilaf bread morning evening night week "
        "month year today yesterday tomorrow again still already only important strange "
        "honest open quiet loud fast slow together apart"
    ).split(),
}
_COPY_PREFIX = {"ru": ["Репост:", "Из блога:", "Важно!", "Читаем:"],
                "en": ["Repost:", "From the blog:", "Important!", "Read:"]}
_VK_BIO = {"ru": ["Душанбе", "студент", "люблю горы", "журналист", ""],
           "en": ["Dushanbe", "student", "mountains", "journalist", ""]}


def _planted_text(rng: np.random.Generator, lang: str, lo: int = 14, hi: int = 28) -> str:
    words = _PLANT_WORDS[lang]
    n = int(rng.integers(lo, hi + 1))
    picked = [words[int(i)] for i in rng.integers(0, len(words), n)]
    cut = max(4, n // 2 + int(rng.integers(-2, 3)))
    first, second = " ".join(picked[:cut]), " ".join(picked[cut:])
    return first[:1].upper() + first[1:] + ". " + second[:1].upper() + second[1:] + "."


def _copy_of(text: str, rng: np.random.Generator, lang: str, variant: int) -> str:
    """A copy as people post them: verbatim plus tags, with a prefix and an edit, or cut short."""
    words = text.split()
    if variant == 0:  # verbatim, hashtags added (normalisation removes them)
        return text + " #выборы2013"
    if variant == 1:  # a prefix and one word changed
        w = list(words)
        k = int(rng.integers(0, len(w)))
        w[k] = _PLANT_WORDS[lang][int(rng.integers(0, len(_PLANT_WORDS[lang])))]
        pre = _COPY_PREFIX[lang][int(rng.integers(0, len(_COPY_PREFIX[lang])))]
        return pre + " " + " ".join(w)
    # cut short: the first four fifths
    keep = max(8, (len(words) * 4) // 5)
    return " ".join(words[:keep]) + " …"


class _Planter:
    """Plants people with accounts on several platforms, and texts copied across platforms.

    Works on a :class:`_Writer` after ``plan_content`` and before anything is
    written: it sets the writer's override hooks (tweet texts, blog bodies,
    profile links, comment URLs) and writes a VK wall file of its own. Uses its
    own random stream, so the rest of the campaign is drawn exactly as without it.
    """

    def __init__(self, w: _Writer, seed: int, identities: int, crossposts: int) -> None:
        self.w = w
        self.p = w.p
        self.rng = np.random.default_rng([seed, 7])
        self.n_identities = max(0, int(identities))
        self.n_crossposts = max(0, int(crossposts))
        self.vk_users: list[dict[str, Any]] = []  # VK profiles (persons' and others')
        self.vk_group: dict[str, Any] | None = None
        self.vk_posts: list[dict[str, Any]] = []
        self.persons: dict[str, list[str]] = {}
        self.evidence: dict[str, str] = {}
        self.groups: dict[str, str] = {}  # extra account -> stance group
        self.kinds: dict[str, str] = {}
        self.aliases: list[tuple[str, str]] = []
        self.pairs: list[tuple[str, str, str]] = []  # copy key, original key, kind
        self.person_vk: dict[int, int] = {}  # twitter account -> index in vk_users
        self.blog_twitter: dict[int, int] = {}  # blog author -> twitter account
        self._next_post = 1000
        self._used_tweets: set[int] = set()
        self._used_posts: set[int] = set()
        self._by_author: dict[int, list[int]] | None = None

    # -- accounts ---------------------------------------------------------------
    def _vk_user(self, first: str, last: str, screen: str | None, group: str,
                 site: str = "", about: str = "") -> int:
        uid = 200_000 + 37 * len(self.vk_users) + int(self.rng.integers(0, 30))
        user: dict[str, Any] = {"id": uid, "first_name": first, "last_name": last,
                                "can_access_closed": True, "is_closed": False,
                                "followers_count": int(self.rng.integers(20, 3000))}
        if screen:
            user["screen_name"] = screen
        if site:
            user["site"] = site
        if about:
            user["about"] = about
        self.vk_users.append(user)
        key = account_key("vk", screen or f"id{uid}")
        user["_key"] = key
        self.groups[key] = group
        self.kinds[key] = "vk"
        return len(self.vk_users) - 1

    def _full_name(self, a: int) -> tuple[str, str]:
        """A Cyrillic first and last name that agrees with account ``a``'s display name."""
        name = self.p.name[a]
        first_word = name.split()[0]
        lang = "en" if first_word in _FIRST["en"] else "ru"
        fi = _FIRST[lang].index(first_word) if first_word in _FIRST[lang] else 0
        initial = name.split()[-1][0] if len(name.split()) > 1 else ""
        lasts = [k for k in range(len(_LAST["ru"])) if _LAST[lang][k][0] == initial]
        li = lasts[int(self.rng.integers(0, len(lasts)))] if lasts else \
            int(self.rng.integers(0, len(_LAST["ru"])))
        return _FIRST["ru"][fi], _LAST["ru"][li]

    def _random_name(self) -> tuple[str, str]:
        return (_FIRST["ru"][int(self.rng.integers(0, len(_FIRST["ru"])))],
                _LAST["ru"][int(self.rng.integers(0, len(_LAST["ru"])))])

    def plan_identities(self) -> None:
        p, rng, w = self.p, self.rng, self.w
        tw = np.flatnonzero(p.kind == _TW)
        blogs = np.flatnonzero(p.kind == _BLOG)
        taken: set[int] = set(p.hubs.tolist())
        tw_free = [int(a) for a in rng.permutation(tw).tolist() if int(a) not in taken]
        blog_free = [int(b) for b in rng.permutation(blogs).tolist()]
        group = p.groups
        n_done = 0
        k = 0
        while n_done < self.n_identities and k < 20 * max(1, self.n_identities):
            ev = IDENTITY_EVIDENCE[k % len(IDENTITY_EVIDENCE)]
            k += 1
            person = f"p{n_done + 1:04d}"
            if ev in ("blog_url", "comment_url"):
                if not blog_free:
                    continue
                b = blog_free.pop()
                bkey = p.keys[b]
                host = p.handle[b]
                if ev == "blog_url":
                    same = [a for a in tw_free if p.grp[a] == p.grp[b]]
                    if not same:
                        blog_free.insert(0, b)
                        continue
                    t = same[0]
                    tw_free.remove(t)
                    w.user_extra[t] = {"url": f"https://{host}/"}
                    self.blog_twitter[b] = t
                    members = [bkey, p.keys[t]]
                else:
                    others = [q for q in range(len(w.post_author)) if w.post_author[q] != b]
                    if not others:
                        continue
                    q = others[int(rng.integers(0, len(others)))]
                    c = len(w.c_author)
                    w.c_author.append(b)
                    w.c_post.append(q)
                    w.c_time.append(int(min(w.t1 - 1, w.post_time[q] + 600
                                            + int(rng.integers(0, 2 * 86400)))))
                    w.c_cross.append(False)
                    w.c_lex.append(False)
                    w.c_tpl.append(int(rng.integers(0, 1 << 30)))
                    w.post_comments[q] += 1
                    w.c_uri[c] = f"https://{host}/"
                    hkey = f"blog:{host}"
                    self.groups[hkey] = group[p.grp[b]]
                    self.kinds[hkey] = "blog_host"
                    members = [bkey, hkey]
            else:
                if not tw_free:
                    break
                t = tw_free.pop()
                g = group[p.grp[t]]
                first, last = self._full_name(t)
                handle = p.handle[t]
                lang = w._lang(t)
                about = _VK_BIO[lang][int(rng.integers(0, len(_VK_BIO[lang])))]
                if ev == "fuzzy":
                    m = re.match(r"([A-Za-z]+)(\d+)$", handle)
                    screen = (f"{m.group(1).lower()}_{m.group(2)}" if m and rng.random() < 0.5
                              else handle.lower())
                    v = self._vk_user(first, last, screen, g, about=about)
                elif ev == "vk_site":
                    v = self._vk_user(first, last, None, g,
                                      site=f"https://twitter.com/{handle}", about=about)
                elif ev == "twitter_url":
                    screen = f"{_translit_simple(first)}.{_translit_simple(last)}{n_done}"
                    v = self._vk_user(first, last, screen, g, about=about)
                    w.user_extra[t] = {"url": f"https://vk.com/{screen}"}
                elif ev == "bio_handle":
                    screen = f"{_translit_simple(last)}_{_translit_simple(first)}{n_done}"
                    v = self._vk_user(first, last, screen, g, about=about)
                    w.user_extra[t] = {"bio_add": ("ВК: @" if lang == "ru" else "VK: @") + screen}
                else:  # alias: nothing links them but the analyst's file
                    v = self._vk_user(first, last, None, g, about=about)
                self.person_vk[t] = v
                members = [p.keys[t], self.vk_users[v]["_key"]]
                if ev == "alias":
                    self.aliases.extend((m_, person) for m_ in members)
            self.persons[person] = sorted(members)
            self.evidence[person] = ev
            n_done += 1
        # VK accounts of nobody in particular: some share a name with a Twitter account,
        # some a handle that differs only in its number, some a handle of their own.
        n_other = max(5, self.n_identities)
        for i in range(n_other):
            first, last = self._random_name()
            style = i % 3
            if style == 0:
                screen = None
            elif style == 1 and len(tw):
                a = int(tw[int(rng.integers(0, len(tw)))])
                m = re.match(r"([A-Za-z]+)(\d+)$", p.handle[a])
                screen = f"{m.group(1).lower()}{int(m.group(2)) + 1 + i}" if m else None
            else:
                screen = f"{_translit_simple(first)}_{_translit_simple(last)}{100 + i}"
            self._vk_user(first, last, screen, group[int(rng.integers(0, len(group)))])
        self.vk_group = {"id": 777_000, "name": "Новости и мнения — Таджикистан",
                         "screen_name": "tj_mnenie", "is_closed": 0, "type": "page",
                         "members_count": 4200, "description": "Лучшее из блогов и соцсетей."}
        gkey = account_key("vk", "tj_mnenie")
        self.groups[gkey] = "neutral" if "neutral" in group else group[0]
        self.kinds[gkey] = "vk"

    # -- cross-posts ---------------------------------------------------------------
    def _vk_post(self, owner: int, text: str, when: int, *, link: str | None = None,
                 copy_of: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_post += int(self.rng.integers(1, 6))
        item: dict[str, Any] = {"id": self._next_post, "owner_id": owner, "from_id": owner,
                                "date": int(when), "post_type": "post", "text": text,
                                "comments": {"count": 0},
                                "likes": {"count": int(self.rng.integers(0, 50))},
                                "reposts": {"count": 0},
                                "views": {"count": int(self.rng.integers(50, 5000))}}
        if link:
            item["attachments"] = [{"type": "link", "link": {"url": link, "title": ""}}]
        if copy_of is not None:
            item["copy_history"] = [{k: v for k, v in copy_of.items() if not k.startswith("_")}]
            copy_of["reposts"]["count"] += 1
        item["_key"] = f"vk.com/wall{owner}_{item['id']}"
        self.vk_posts.append(item)
        return item

    def _tweets_of(self, a: int) -> list[int]:
        """Original tweets of account ``a`` not yet used for a planted text."""
        if self._by_author is None:
            self._by_author = defaultdict(list)
            for i in range(self.w.n_orig_tweets):
                self._by_author[self.w.t_author[i]].append(i)
        return [i for i in self._by_author.get(a, ()) if i not in self._used_tweets]

    def _lag(self) -> int:
        return 60 + int(self.rng.exponential(8 * 3600)) % (5 * 86400)

    def plan_crossposts(self) -> None:
        w, rng = self.w, self.rng
        if self.n_crossposts == 0:
            return
        persons_tw = sorted(self.person_vk)
        blog_persons = sorted(self.blog_twitter)
        n_posts = len(w.post_author)
        others_vk = [i for i, u in enumerate(self.vk_users)
                     if not any(v == i for v in self.person_vk.values())]
        gid = -self.vk_group["id"] if self.vk_group else None
        made = 0
        k = 0
        while made < self.n_crossposts and k < 50 * self.n_crossposts:
            kind = CROSSPOST_KINDS[k % len(CROSSPOST_KINDS)]
            k += 1
            variant = made % 3
            if kind in ("tweet>vk:person", "vk>tweet:person"):
                cands = [t for t in persons_tw if self._tweets_of(t)]
                if not cands:
                    continue
                t = cands[int(rng.integers(0, len(cands)))]
                tws = self._tweets_of(t)
                i = tws[int(rng.integers(0, len(tws)))]
                lang = w._lang(t)
                vk_owner = self.vk_users[self.person_vk[t]]["id"]
                text = _planted_text(rng, lang)
                t_time = int(w.t_time[i])
                if kind == "tweet>vk:person":
                    w.t_override[i] = text
                    item = self._vk_post(vk_owner, _copy_of(text, rng, lang, variant),
                                         t_time + self._lag())
                    self.pairs.append((item["_key"], f"twitter:{w.t_ids[i]}", kind))
                else:
                    item = self._vk_post(vk_owner, text, t_time - self._lag())
                    w.t_override[i] = _copy_of(text, rng, lang, variant)
                    self.pairs.append((f"twitter:{w.t_ids[i]}", item["_key"], kind))
                self._used_tweets.add(i)
                self._reposts(item, others_vk)
            elif kind == "tweet>vk:other":
                if not others_vk or len(self._used_tweets) >= w.n_orig_tweets:
                    continue
                i = int(rng.integers(0, w.n_orig_tweets))
                while i in self._used_tweets:
                    i = (i + 1) % w.n_orig_tweets
                lang = w._lang(w.t_author[i])
                text = _planted_text(rng, lang)
                w.t_override[i] = text
                owner = self.vk_users[others_vk[int(rng.integers(0, len(others_vk)))]]["id"]
                item = self._vk_post(owner, _copy_of(text, rng, lang, variant),
                                     int(w.t_time[i]) + self._lag())
                self._used_tweets.add(i)
                self.pairs.append((item["_key"], f"twitter:{w.t_ids[i]}", kind))
            elif kind == "blog>vk:aggregator":
                if gid is None or len(self._used_posts) >= n_posts:
                    continue
                q = int(rng.integers(0, n_posts))
                while q in self._used_posts:
                    q = (q + 1) % n_posts
                lang = w._lang(w.post_author[q])
                text = _planted_text(rng, lang, 20, 40)
                w.post_override[q] = text
                copy = w._post_title(q) + ". " + _copy_of(text, rng, lang, variant)
                item = self._vk_post(gid, copy, int(w.post_time[q]) + self._lag())
                self._used_posts.add(q)
                self.pairs.append((item["_key"], url_key(w.post_url(q)), kind))
                self._reposts(item, others_vk)
            else:  # blog>tweet:person: the blogger tweets the post's text, no link
                found = None
                for b in blog_persons:
                    t = self.blog_twitter[b]
                    for q in range(n_posts):
                        if w.post_author[q] != b or q in self._used_posts:
                            continue
                        after = [i for i in self._tweets_of(t)
                                 if 60 < w.t_time[i] - w.post_time[q] < 6 * 86400]
                        if after:
                            found = (q, min(after, key=lambda i: w.t_time[i]))
                            break
                    if found:
                        break
                if not found:
                    continue
                q, i = found
                lang = w._lang(w.post_author[q])
                text = _planted_text(rng, lang, 14, 24)
                w.post_override[q] = text
                w.t_override[i] = _copy_of(text, rng, lang, variant)
                self._used_posts.add(q)
                self._used_tweets.add(i)
                self.pairs.append((f"twitter:{w.t_ids[i]}", url_key(w.post_url(q)), kind))
            made += 1

    def _reposts(self, item: dict[str, Any], pool: list[int]) -> None:
        """A few VK users repost a planted VK post (copy_history), later."""
        if not pool:
            return
        n = int(self.rng.integers(0, 4))
        for _ in range(n):
            u = self.vk_users[pool[int(self.rng.integers(0, len(pool)))]]
            self._vk_post(u["id"], "", item["date"] + 60 + int(self.rng.integers(0, 86400)),
                          copy_of=item)

    def plan_background(self) -> None:
        """Every VK account posts a few unrelated texts; some share blog posts by link."""
        w, rng = self.w, self.rng
        owners = [u["id"] for u in self.vk_users]
        if self.vk_group:
            owners.append(-self.vk_group["id"])
        n_posts = len(w.post_author)
        for o in owners:
            for _ in range(1 + int(rng.integers(0, 3))):
                lang = "ru" if rng.random() < 0.7 else "en"
                self._vk_post(o, _planted_text(rng, lang, 6, 14), int(rng.integers(w.t0, w.t1)))
            if n_posts and rng.random() < 0.3:
                q = int(rng.integers(0, n_posts))
                self._vk_post(o, "Читайте:" if rng.random() < 0.7 else "Must read:",
                              int(w.post_time[q]) + self._lag(), link=w.post_url(q, 2))

    # -- files ------------------------------------------------------------------------
    def write_vk(self) -> int:
        """One wall.get response (extended) per VK account, as JSON lines; returns files."""
        if not self.vk_users and not self.vk_group:
            return 0
        vdir = self.w.out / "vk"
        vdir.mkdir(parents=True, exist_ok=True)
        by_owner: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for it in self.vk_posts:
            by_owner[it["owner_id"]].append(it)
        users = {u["id"]: {k: v for k, v in u.items() if not k.startswith("_")}
                 for u in self.vk_users}
        group = {k: v for k, v in self.vk_group.items()} if self.vk_group else None
        lines = []
        for owner in sorted(by_owner, key=lambda o: (o < 0, abs(o))):
            items = sorted(by_owner[owner], key=lambda it: -it["date"])
            profiles: dict[int, dict[str, Any]] = {}
            groups: list[dict[str, Any]] = []
            for it in items:
                for src in [it, *it.get("copy_history", [])]:
                    o = src["owner_id"]
                    if o > 0 and o in users:
                        profiles[o] = users[o]
                    elif o < 0 and group and not groups:
                        groups.append(group)
            resp = {"response": {
                "count": len(items),
                "items": [{k: v for k, v in it.items() if not k.startswith("_")} for it in items],
                "profiles": list(profiles.values()), "groups": groups}}
            lines.append(json.dumps(resp, ensure_ascii=False, separators=(",", ":")))
        (vdir / "wall-0001.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 1

    def write_aliases(self) -> int:
        if not self.aliases:
            return 0
        rows = ["account,person"] + [f"{_csv(a)},{_csv(pn)}" for a, pn in self.aliases]
        (self.w.out / "aliases.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        return 1

    def truth(self) -> dict[str, Any]:
        return {
            "identities": dict(sorted(self.persons.items())),
            "identity_evidence": dict(sorted(self.evidence.items())),
            "crossposts": [[a, b] for a, b, _ in self.pairs],
            "crosspost_kinds": [kind for _, _, kind in self.pairs],
        }


_SIMPLE_TR = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})


def _translit_simple(name: str) -> str:
    """How people spell their own Cyrillic names in Latin handles (one common way)."""
    return name.lower().translate(_SIMPLE_TR)
