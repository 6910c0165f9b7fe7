"""Stance assignment: seeds, then lexicon evidence, then propagation over endorsements.

Evidence, strongest first:

1. **Seeds**: the analyst's labels (``group_seed`` from :func:`~netmap.stance.apply_seeds`,
   and the ``seeds`` of ``groups.yaml``). Seeds are clamped: nothing changes them.
2. **Lexicon**: the account's own posts (articles, comments, replies, quote
   tweets; not native reposts, whose words are someone else's) matched against
   the groups' lexicons (:mod:`netmap.stance.lexicon`). Each post is one vote;
   the votes are the account's prior, which ties can outweigh when many
   neighbours disagree.
3. **Propagation** over endorsement ties between accounts: shares (retweets,
   forwards, tweets carrying a blog post's link), quotes, and links between
   posts (blog-to-blog links are strongly homophilous), plus links to a site or
   profile run by an account. Replies and mentions often disagree, so they
   weigh nothing by default (``tie_weights``).

Ties are derived from the post graph: the author of the acting post endorses
the author of the target post (or the accounts running the linked site). Ties
are used in both directions (the endorser learns from the endorsed with the
full weight, the endorsed from its endorsers with ``reverse_weight``).

The iteration is label spreading with clamped seeds: for every other account
``i``::

    F_i = (P_i + alpha * sum_j W_ij F_j) / (|P_i| + sum_j W_ij)

where ``P_i`` is the lexicon prior and seeds hold ``seed_weight`` on their
group. ``F_i`` is a score per group whose total shrinks with distance from the
evidence; the assigned group is the one with the largest share of ``F_i`` if
that share reaches ``threshold`` and beats every other group. Accounts with no
path to any evidence stay unassigned. Each step is one sparse matrix product
(scipy when installed, numpy otherwise), so a million accounts with ten million
ties take about 20 seconds on two cores, most of it building the evidence texts.

Results are stored on the accounts: ``group``, ``group_score`` (the winning
share, 0..1), ``group_source`` (``seed``, ``lexicon`` or ``propagated``) and
``group_evidence`` (a short human-readable reason).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import StanceError
from ..store.base import Store
from .groups import Groups, groups_from_dict, load_groups
from .lexicon import compile_lexicon, post_vote, tokenize
from .propagate import propagate
from .ties import DEFAULT_TIE_WEIGHTS, Ties, edge_types_needed, endorsement_ties, post_authors

__all__ = [
    "LEXICON_KINDS",
    "RESULT_PROPS",
    "LexiconEvidence",
    "AssignResult",
    "lexicon_evidence",
    "assign",
    "stored_groups",
]

# Post kinds whose words are the author's own.
LEXICON_KINDS: tuple[str, ...] = ("post", "comment", "reply", "quote")

RESULT_PROPS: tuple[str, ...] = ("group", "group_score", "group_source", "group_evidence")

_META_KEY = "stance"

# -- lexicon evidence ------------------------------------------------------------


@dataclass
class LexiconEvidence:
    """Per account: lexicon votes per group (``votes``, n x k), posts that voted for each
    group, and the matched words (for the evidence text)."""

    votes: np.ndarray
    posts: np.ndarray
    terms: dict[int, Counter[tuple[int, str]]]
    scanned: int


def lexicon_evidence(
    posts: pd.DataFrame, author: np.ndarray, groups: Groups,
    kinds: Sequence[str] = LEXICON_KINDS, n_accounts: int | None = None,
) -> LexiconEvidence:
    """Match every own post of every account against the lexicons.

    ``posts`` has ``title``, ``text`` and ``kind`` columns; ``author[i]`` is the
    account index of post ``i`` (-1 if unknown). Posts of other kinds (native
    reposts) and posts without an author are skipped.
    """
    names = groups.names
    gi = {g: i for i, g in enumerate(names)}
    n = int(n_accounts if n_accounts is not None else (author.max() + 1 if len(author) else 0))
    votes = np.zeros((n, len(names)))
    nposts = np.zeros((n, len(names)), dtype=np.int64)
    terms: dict[int, Counter[tuple[int, str]]] = {}
    lex = compile_lexicon(groups)
    if not len(lex):
        return LexiconEvidence(votes, nposts, terms, 0)
    kind = posts["kind"].to_numpy(dtype=object) if "kind" in posts else np.full(len(posts), None)
    title = posts["title"].to_numpy(dtype=object) if "title" in posts else np.full(len(posts), None)
    text = posts["text"].to_numpy(dtype=object) if "text" in posts else np.full(len(posts), None)
    allowed = set(kinds)
    scanned = 0
    for i in np.flatnonzero(author >= 0):
        k = kind[i]
        if isinstance(k, str) and k not in allowed:
            continue
        parts = [x for x in (title[i], text[i]) if isinstance(x, str) and x.strip()]
        if not parts:
            continue
        body = ".\n".join(parts)
        scanned += 1
        matches = lex.match_tokens(tokenize(body))
        if not matches:
            continue
        vote = post_vote(matches, lex.weights)
        if not vote:
            continue
        a = int(author[i])
        c = terms.setdefault(a, Counter())
        for g, v in vote.items():
            votes[a, gi[g]] += v
            nposts[a, gi[g]] += 1
        for m in matches:
            if m.counts:
                c[(gi[m.group], m.token.lower())] += 1
    return LexiconEvidence(votes, nposts, terms, scanned)


# -- assignment ------------------------------------------------------------------


@dataclass
class AssignResult:
    """What :func:`assign` did, with the parameters it used."""

    accounts: int
    assigned: int
    coverage: float
    by_group: dict[str, int]
    by_source: dict[str, int]
    seeds: int
    seeds_ignored: list[str] = field(default_factory=list)
    lexicon_posts: int = 0
    lexicon_accounts: int = 0
    ties: int = 0
    iterations: int = 0
    converged: bool = True
    seconds: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    fingerprint: str = ""
    algorithm: str = "label spreading: seeds clamped, lexicon votes as priors"

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    def __str__(self) -> str:
        groups = ", ".join(f"{g} {n}" for g, n in self.by_group.items())
        sources = ", ".join(f"{s} {n}" for s, n in self.by_source.items())
        return (f"assigned {self.assigned} of {self.accounts} accounts "
                f"({self.coverage:.0%}): {groups or 'none'}; by source: {sources or 'none'}")


def stored_groups(store: Store) -> Groups | None:
    """The groups the last :func:`assign` used, as saved in the store, or None."""
    raw = store.meta(_META_KEY)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return groups_from_dict(data["groups"], source=f"{store.uri} (stance meta)")
    except (ValueError, KeyError, TypeError, StanceError):
        return None


def _fmt_terms(counter: Counter[tuple[int, str]] | None, g: int, limit: int = 3) -> str:
    if not counter:
        return ""
    items = sorted(((t, c) for (gg, t), c in counter.items() if gg == g),
                   key=lambda x: (-x[1], x[0]))[:limit]
    return ", ".join(t if c == 1 else f"{t} x{c}" for t, c in items)



@dataclass
class _Decision:
    rows: list[tuple[str, dict[str, Any]]]
    assigned: int
    by_group: Counter[str]
    by_source: Counter[str]
    iterations: int
    converged: bool


def _decide(
    keys: pd.Index, names: list[str], ties: Ties, prior: np.ndarray,
    lexev: LexiconEvidence, seeds: np.ndarray, *, threshold: float, alpha: float,
    reverse_weight: float, seed_weight: float, max_iter: int, tol: float,
) -> _Decision:
    """Propagate, pick each account's group, and write its evidence text."""
    n = len(keys)
    key_of = keys.to_numpy(dtype=object)  # element access on a pandas Index is slow
    k = len(names)
    votes = lexev.votes
    total = votes.sum(axis=1)
    F, W, iterations, converged = propagate(
        n, ties.src, ties.dst, ties.weight, prior, seeds, alpha=alpha,
        reverse_weight=reverse_weight, seed_weight=seed_weight, max_iter=max_iter, tol=tol,
    )
    mass = F.sum(axis=1)
    best = F.argmax(axis=1)
    share = np.divide(F[np.arange(n), best], mass, out=np.zeros(n), where=mass > 0)
    if k > 1:
        second = np.partition(F, k - 2, axis=1)[:, k - 2]
    else:
        second = np.zeros(n)
    is_seed = seeds >= 0
    best[is_seed] = seeds[is_seed]
    share[is_seed] = 1.0
    assigned = is_seed | ((mass > 0) & (share >= threshold) & (F[np.arange(n), best] > second))
    lex_best = votes.argmax(axis=1)
    has_lex = total > 0
    source = np.where(is_seed, 0, np.where(has_lex & (lex_best == best), 1, 2))
    source_names = np.array(["seed", "lexicon", "propagated"], dtype=object)

    # Neighbours that carried the winning group to each non-seed assigned account.
    rows = np.flatnonzero(assigned & ~is_seed)
    sub_indptr, sub_indices, sub_data = W.rows(rows)
    entry_row = np.repeat(np.arange(len(rows)), np.diff(sub_indptr))
    contrib = sub_data * F[sub_indices, best[rows][entry_row]]
    n_nb = np.bincount(entry_row[contrib > 0], minlength=len(rows))
    top: dict[int, list[str]] = {}
    # Top three contributors per row, found in three linear passes (entries of a CSR
    # row are contiguous) rather than sorting tens of millions of entries.
    counts = np.diff(sub_indptr)
    full = np.flatnonzero(counts > 0)
    c = contrib.copy()
    for _ in range(3):
        if not len(full) or not len(c):
            break
        mx = np.zeros(len(rows))
        mx[full] = np.maximum.reduceat(c, sub_indptr[full])
        cand = np.flatnonzero((c == mx[entry_row]) & (c > 0))
        if not len(cand):
            break
        r_of = entry_row[cand]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = r_of[1:] != r_of[:-1]
        sel = cand[first]
        for r, key in zip(entry_row[sel].tolist(), key_of[sub_indices[sel]].tolist(),
                          strict=True):
            top.setdefault(r, []).append(key)
        c[sel] = -1.0

    out: list[tuple[str, dict[str, Any]]] = []
    by_group: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    nb_count = np.zeros(n, dtype=np.int64)
    nb_count[rows] = n_nb
    top_of = {int(rows[r]): v for r, v in top.items()}
    # Python lists: per-element access to numpy arrays costs more than the work itself.
    names_arr = np.asarray(names, dtype=object)
    idx = np.flatnonzero(assigned)
    for j, key, g, gname, score, src, nnb, lexed, lean in zip(
        idx.tolist(), key_of[idx].tolist(), best[idx].tolist(), names_arr[best[idx]].tolist(),
        np.round(share[idx], 4).tolist(), source_names[source[idx]].tolist(),
        nb_count[idx].tolist(), has_lex[idx].tolist(), lex_best[idx].tolist(), strict=True,
    ):
        if src == "seed":
            evidence = "seed"
        elif src == "lexicon":
            posts_n = int(lexev.posts[j, g])
            evidence = (f"lexicon: {posts_n} post{'s' if posts_n != 1 else ''} "
                        f"({_fmt_terms(lexev.terms.get(j), g)})")
            if nnb:
                evidence += f"; {nnb} neighbour{'s' if nnb != 1 else ''} agree"
        else:
            nbs = top_of.get(j, [])
            more = "…" if nnb > len(nbs) else ""
            evidence = (f"propagated from {nnb} neighbour{'s' if nnb != 1 else ''}"
                        f": {', '.join(nbs)}{more}")
            if lexed:
                evidence += f" (own posts lean {names[lean]})"
        by_group[gname] += 1
        by_source[src] += 1
        out.append((key, {"group": gname, "group_score": score, "group_source": src,
                          "group_evidence": evidence}))
    # Accounts with some evidence but no clear winner say so.
    idx = np.flatnonzero(~assigned & (mass > 0))
    if len(idx):
        shares = F[idx] / mass[idx, None]
        top2 = np.argsort(-shares, axis=1)[:, :2]
        for key, sh, t2 in zip(key_of[idx].tolist(), shares.tolist(), top2.tolist(),
                               strict=True):
            reason = ", ".join(f"{names[g]} {sh[g]:.2f}" for g in t2 if sh[g] > 0)
            out.append((key, {"group_evidence": f"unassigned (below threshold): {reason}"}))

    return _Decision(out, int(assigned.sum()), by_group, by_source, iterations, converged)


def assign(
    store: Store,
    groups: Groups | None = None,
    *,
    threshold: float = 0.5,
    seed_weight: float = 2.0,
    lexicon_weight: float = 1.0,
    lexicon_cap: float = 5.0,
    alpha: float = 0.85,
    reverse_weight: float = 1.0,
    tie_weights: Mapping[str, float] | None = None,
    lexicon_kinds: Sequence[str] = LEXICON_KINDS,
    max_iter: int = 100,
    tol: float = 1e-6,
    write: bool = True,
) -> AssignResult:
    """Assign every account a stance group, or leave it unassigned.

    Parameters
    ----------
    store : Store
    groups : Groups, optional
        Default: :func:`~netmap.stance.load_groups` ``()``.
    threshold : float
        Minimum share of the winning group among the account's scores (0..1).
    seed_weight : float
        Strength of a seed compared with an account known only from its lexicon (1).
    lexicon_weight : float
        Weight of one post's lexicon vote, in units of one share tie.
    lexicon_cap : float
        At most this many posts' worth of lexicon votes per account, so a prolific
        account cannot drown its ties.
    alpha : float
        Damping per hop of propagated evidence.
    reverse_weight : float
        Weight an endorsed account gives the accounts endorsing it.
    tie_weights : mapping, optional
        Override :data:`DEFAULT_TIE_WEIGHTS` (e.g. ``{"REPLIES_TO": 0.1}``).
    lexicon_kinds : sequence of str
        Post kinds whose text is lexicon evidence (default: not native reposts).
    max_iter, tol
        Iteration limits.
    write : bool
        Store the results on the accounts (default) or only return the summary.

    Returns
    -------
    AssignResult
    """
    t0 = time.perf_counter()
    if groups is None:
        groups = load_groups()
    if not 0 <= threshold <= 1:
        raise StanceError(f"threshold must be between 0 and 1 (got {threshold})")
    if not 0 < alpha < 1:
        raise StanceError(f"alpha must be between 0 and 1, exclusive (got {alpha})")
    names = groups.names
    if not names:
        raise StanceError("no stance groups to assign; give a groups file with at least one")
    gi = {g: i for i, g in enumerate(names)}
    acc = store.nodes("Account", columns=["group_seed"])
    keys = pd.Index(acc["key"])
    n = len(keys)
    params = {
        "threshold": threshold, "seed_weight": seed_weight, "lexicon_weight": lexicon_weight,
        "lexicon_cap": lexicon_cap, "alpha": alpha, "reverse_weight": reverse_weight,
        "tie_weights": {**DEFAULT_TIE_WEIGHTS, **dict(tie_weights or {})},
        "lexicon_kinds": list(lexicon_kinds), "max_iter": max_iter, "tol": tol,
    }
    posts = store.nodes("Post", columns=["title", "text", "platform", "kind"])
    post_ix = pd.Index(posts["key"])
    edges = store.edges(edge_types_needed(tie_weights))
    author = post_authors(edges, post_ix, keys)
    ties = endorsement_ties(store, tie_weights, accounts=keys, posts=posts, edges=edges,
                            author=author)
    del edges
    lexev = lexicon_evidence(posts, author, groups, lexicon_kinds, n_accounts=n)
    votes = lexev.votes
    total = votes.sum(axis=1)
    cap = np.where(total > lexicon_cap, lexicon_cap / np.maximum(total, 1e-12), 1.0)
    prior = votes * cap[:, None] * lexicon_weight

    # Seeds: the YAML's, then the stored ones (the analyst's latest word).
    seeds = np.full(n, -1, dtype=np.int64)
    ignored: list[str] = []
    for key, g in groups.seeds().items():
        j = keys.get_indexer([key])[0]
        if j >= 0:
            seeds[j] = gi[g]
    seed_col = acc["group_seed"].to_numpy(dtype=object)
    for j in np.flatnonzero(pd.notna(seed_col)):
        g = seed_col[j]
        if g in gi:
            seeds[j] = gi[g]
        else:
            ignored.append(f"{keys[j]} ({g})")
    if ignored:
        params["seeds_ignored_reason"] = (
            "seed group not in the groups used; re-seed or pass the groups file they were "
            "made with"
        )

    d = _decide(keys, names, ties, prior, lexev, seeds, threshold=threshold, alpha=alpha,
                reverse_weight=reverse_weight, seed_weight=seed_weight, max_iter=max_iter,
                tol=tol)
    out, by_group, by_source = d.rows, d.by_group, d.by_source
    iterations, converged = d.iterations, d.converged
    has_lex = total > 0
    n_assigned = d.assigned
    result = AssignResult(
        accounts=n, assigned=n_assigned, coverage=round(n_assigned / n, 4) if n else 0.0,
        by_group={g: by_group[g] for g in names if by_group[g]},
        by_source={s: by_source[s] for s in ("seed", "lexicon", "propagated") if by_source[s]},
        seeds=int((seeds >= 0).sum()), seeds_ignored=ignored, lexicon_posts=lexev.scanned,
        lexicon_accounts=int(has_lex.sum()), ties=len(ties),
        iterations=iterations, converged=converged, params=params, groups=names,
        fingerprint=store.fingerprint(),
    )
    if write:
        store.set_props("Account", out, clear=list(RESULT_PROPS))
        result.seconds = round(time.perf_counter() - t0, 3)
        store.set_meta(_META_KEY, json.dumps({
            "groups": groups.as_dict(), "groups_path": groups.path, "params": params,
            "result": {k_: v for k_, v in result.as_dict().items() if k_ != "params"},
        }, ensure_ascii=False, default=str))
    result.seconds = round(time.perf_counter() - t0, 3)
    return result
