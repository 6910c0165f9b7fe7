"""Why an account has its stance group, and how good the assignment is.

:func:`explain` gathers the evidence for one account: its seed, its posts that
matched a lexicon (with the matched words, negated and quoted ones flagged),
and the neighbours whose groups reached it. :func:`evaluate` compares the
stored groups with held-out labels.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import StanceError
from ..keys import account_ref
from ..store.base import Store
from .assign import stored_groups
from .groups import Groups, load_groups
from .lexicon import compile_lexicon, guess_lang, post_vote, tokenize
from .seeds import read_account_csv
from .ties import TIE_TYPES, endorsement_ties

__all__ = ["explain", "evaluate"]


def explain(
    store: Store, account_key: str, groups: Groups | None = None, *, limit: int = 10
) -> dict[str, Any]:
    """The evidence behind one account's stance group.

    Parameters
    ----------
    store : Store
    account_key : str
        An account key or profile URL.
    groups : Groups, optional
        Default: the groups the last ``assign`` used (saved in the store), else the
        built-in ones.
    limit : int
        At most this many matched posts and neighbours.

    Returns
    -------
    dict
        ``account``, ``group``, ``group_score``, ``group_source``,
        ``group_evidence``, ``seed``, ``lexicon`` (``votes`` per group,
        ``posts_scanned`` and ``matched_posts`` with their matches) and
        ``neighbours`` (account, relation, tie types, weight, their group and
        score, and ``contribution`` to this account's group).
    """
    try:
        key = account_ref(account_key)
    except ValueError as exc:
        raise StanceError(str(exc)) from exc
    node = store.get_node("Account", key)
    if node is None:
        raise StanceError(
            f"account {key} is not in the store; check the key with `netmap top influencers` "
            "or collect it first"
        )
    if groups is None:
        groups = stored_groups(store) or load_groups()
    yaml_seed = groups.seeds().get(key)
    meta = store.meta("stance")
    params: dict[str, Any] = {}
    if meta:
        try:
            params = json.loads(meta).get("params", {})
        except ValueError:
            params = {}

    # Own posts and their lexicon matches.
    authored = store.edges(["AUTHORED"])
    own_keys = set(authored.loc[authored["src"] == key, "dst"])
    posts = store.nodes("Post", columns=["title", "text", "kind", "platform", "url"])
    mine = posts[posts["key"].isin(own_keys)]
    kinds = set(params.get("lexicon_kinds") or ("post", "comment", "reply", "quote"))
    lex = compile_lexicon(groups)
    votes: Counter[str] = Counter()
    matched: list[dict[str, Any]] = []
    scanned = 0
    for rec in mine.itertuples(index=False):
        kind = rec.kind if isinstance(rec.kind, str) else None
        parts = [x for x in (rec.title, rec.text) if isinstance(x, str) and x.strip()]
        if not parts:
            continue
        body = ".\n".join(parts)
        lang = guess_lang(body)
        ms = lex.match_tokens(tokenize(body), lang)
        counted = kind is None or kind in kinds
        scanned += counted
        if not ms:
            continue
        vote = post_vote(ms, lex.weights) if counted else {}
        votes.update(vote)
        matched.append({
            "post": rec.key, "kind": kind, "lang": lang, "counted": counted,
            "text": body[:280], "vote": {g: round(v, 3) for g, v in vote.items()},
            "matches": [{"group": m.group, "pattern": m.pattern, "words": m.token,
                         "negated": m.negated, "quoted": m.quoted} for m in ms],
        })
    # Posts that counted first, strongest vote first; reposts (not counted) last.
    matched.sort(key=lambda d: (not d["counted"], -sum(d["vote"].values())))

    # Neighbours along endorsement ties, in both directions.
    tie_weights = params.get("tie_weights")
    ties = endorsement_ties(store, tie_weights, posts=posts)
    neighbours: list[dict[str, Any]] = []
    i = ties.keys.get_indexer([key])[0]
    if i >= 0 and len(ties):
        rev = float(params.get("reverse_weight", 1.0))
        out = ties.src == i
        inc = ties.dst == i
        rows = []
        for mask, other, rel, factor in ((out, ties.dst, "endorses", 1.0),
                                          (inc, ties.src, "endorsed by", rev)):
            if mask.any():
                rows.append(pd.DataFrame({
                    "account": ties.keys[other[mask]], "relation": rel,
                    "type": np.asarray(TIE_TYPES, dtype=object)[ties.type[mask]],
                    "weight": ties.weight[mask] * factor,
                }))
        if rows:
            df = pd.concat(rows, ignore_index=True)
            accs = store.nodes("Account", columns=["group", "group_score", "group_source"])
            info = accs.set_index("key")
            agg: dict[tuple[str, str], dict[str, Any]] = defaultdict(
                lambda: {"weight": 0.0, "types": Counter()})
            for r in df.itertuples(index=False):
                d = agg[(r.account, r.relation)]
                d["weight"] += float(r.weight)
                d["types"][r.type] += 1
            mine_group = node.get("group")
            for (acc, rel), d in agg.items():
                g = info.at[acc, "group"] if acc in info.index else None
                s = info.at[acc, "group_score"] if acc in info.index else None
                g = g if isinstance(g, str) else None
                s = float(s) if s is not None and pd.notna(s) else None
                neighbours.append({
                    "account": acc, "relation": rel,
                    "types": ", ".join(f"{t} x{c}" if c > 1 else t
                                       for t, c in d["types"].most_common()),
                    "weight": round(d["weight"], 3), "group": g, "group_score": s,
                    "contribution": round(d["weight"] * (s or 0.0), 3)
                    if g is not None and g == mine_group else 0.0,
                })
            neighbours.sort(key=lambda d: (-d["contribution"], -d["weight"], d["account"]))

    seed = node.get("group_seed") or yaml_seed
    return {
        "account": key,
        "group": node.get("group"),
        "group_score": node.get("group_score"),
        "group_source": node.get("group_source"),
        "group_evidence": node.get("group_evidence"),
        "seed": seed,
        "seed_from": ("seeds file" if node.get("group_seed") else "groups.yaml" if yaml_seed
                      else None),
        "lexicon": {
            "posts_scanned": scanned,
            "votes": {g: round(v, 3) for g, v in votes.most_common()},
            "matched_posts": matched[:limit],
        },
        "neighbours": neighbours[:limit],
        "neighbours_total": len(neighbours),
        "params": params,
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(store: Store, truth_csv: str | Path) -> dict[str, Any]:
    """Score stored groups against held-out labels (CSV ``account,group``).

    Seeds (accounts with ``group_seed`` or ``group_source == "seed"``) are left
    out: they score themselves. Truth accounts not in the store are listed under
    ``missing``. An unassigned account counts as a wrong answer for recall and
    ``accuracy_all``, not for ``accuracy`` (which is over assigned accounts).
    Macro-F1 averages the per-group F1 over every group in the truth or the
    predictions (as scikit-learn does, with 0 for a group never predicted).

    Returns
    -------
    dict
        ``evaluated``, ``assigned``, ``coverage``, ``accuracy``, ``accuracy_all``,
        ``macro_f1``, ``per_group`` (precision, recall, f1, support),
        ``confusion`` (``{truth: {predicted or "unassigned": n}}``), ``missing``,
        ``seeds_excluded``, ``conflicts``.
    """
    rows, _ = read_account_csv(truth_csv)
    truth: dict[str, str] = {}
    conflicts: list[str] = []
    bad: list[str] = []
    for row in rows:
        try:
            key = account_ref(row.account)
        except ValueError as exc:
            bad.append(f"line {row.line}: {exc}")
            continue
        if not row.group:
            bad.append(f"line {row.line}: no group")
            continue
        if key in truth and truth[key] != row.group:
            conflicts.append(f"line {row.line}: {key} is {truth[key]!r} earlier, "
                             f"{row.group!r} here (the later label is used)")
        truth[key] = row.group
    if bad:
        raise StanceError(f"{truth_csv}: bad line(s):\n  " + "\n  ".join(bad[:20]))
    acc = store.nodes("Account", columns=["group", "group_seed", "group_source"]).set_index("key")
    missing = [k for k in truth if k not in acc.index]
    present = [k for k in truth if k in acc.index]
    is_seed = acc["group_seed"].notna() | (acc["group_source"] == "seed")
    seeds = [k for k in present if bool(is_seed.at[k])]
    keys = [k for k in present if not bool(is_seed.at[k])]
    y_true = [truth[k] for k in keys]
    pred_raw = acc.loc[keys, "group"] if keys else pd.Series(dtype=object)
    y_pred = [g if isinstance(g, str) and g else None for g in pred_raw.tolist()]
    n = len(keys)
    assigned = sum(p is not None for p in y_pred)
    correct = sum(p == t for p, t in zip(y_pred, y_true, strict=True))
    labels = sorted(set(y_true) | {p for p in y_pred if p is not None})
    per_group: dict[str, dict[str, float]] = {}
    f1s: list[float] = []
    for g in labels:
        tp = sum(p == g and t == g for p, t in zip(y_pred, y_true, strict=True))
        npred = sum(p == g for p in y_pred)
        support = sum(t == g for t in y_true)
        prec = tp / npred if npred else 0.0
        rec = tp / support if support else 0.0
        f1s.append(_f1(prec, rec))
        per_group[g] = {"precision": round(prec, 4), "recall": round(rec, 4),
                        "f1": round(f1s[-1], 4), "support": support}
    macro = sum(f1s) / len(f1s) if f1s else 0.0
    confusion: dict[str, dict[str, int]] = {}
    for t, p in zip(y_true, y_pred, strict=True):
        cells = confusion.setdefault(t, {})
        col = p if p is not None else "unassigned"
        cells[col] = cells.get(col, 0) + 1
    return {
        "truth_file": str(truth_csv),
        "truth_accounts": len(truth),
        "evaluated": n,
        "assigned": assigned,
        "coverage": round(assigned / n, 4) if n else 0.0,
        "accuracy": round(correct / assigned, 4) if assigned else 0.0,
        "accuracy_all": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(macro, 4),
        "per_group": per_group,
        "confusion": {t: dict(sorted(r.items())) for t, r in sorted(confusion.items())},
        "seeds_excluded": len(seeds),
        "missing": missing,
        "conflicts": conflicts,
    }
