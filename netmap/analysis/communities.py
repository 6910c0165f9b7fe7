"""Communities of the actor graph: Leiden (modularity or CPM), Louvain, consensus, levels.

Detection runs on the undirected copy of the actor graph with the weights of
both directions summed (:meth:`ActorGraph.undirected`): a community is a dense
cluster of ties whichever way they point. igraph's built-in Leiden is used, not
the ``leidenalg`` package: it finds the same partitions about 13 times faster
at 100k accounts (see the project's performance anchors). Louvain (igraph's
multilevel) is there for comparison.

:func:`consensus` runs several seeds and reports a consensus partition with
each account's agreement; :func:`hierarchy` nests communities into coarser
levels; :func:`community_summary` describes each community.

igraph draws its random numbers from one process-wide generator; it is set to
``random.Random(seed)`` for the run and restored afterwards, so the same graph
and seed always give the same partition.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..store.base import Store
from .results import CommunityResult, ConsensusResult, HierarchyResult

if TYPE_CHECKING:
    import igraph as ig

    from .project import ActorGraph

__all__ = [
    "CommunityResult",
    "ConsensusResult",
    "HierarchyResult",
    "METHODS",
    "OBJECTIVES",
    "detect_communities",
    "consensus",
    "hierarchy",
    "stability",
    "community_summary",
    "summarise_communities",
    "undirected_weighted",
    "format_mix",
]

METHODS = ("leiden", "louvain")
OBJECTIVES = ("modularity", "cpm")


def undirected_weighted(g: ig.Graph) -> ig.Graph:
    """Undirected copy with one edge per account pair, ``weight`` summed over directions."""
    u = g.copy()
    keep = [a for a in u.es.attributes() if a != "weight"]
    for a in keep:
        del u.es[a]
    if "weight" not in u.es.attributes():
        u.es["weight"] = 1.0
    u.to_undirected(mode="collapse", combine_edges={"weight": "sum"})
    return u


def _renumber_by_size(membership: Sequence[int]) -> np.ndarray:
    """Relabel so 0 is the largest community; ties go to the one with the smaller first vertex."""
    mem = np.asarray(membership, dtype=np.int64)
    if mem.size == 0:
        return mem
    sizes = np.bincount(mem)
    first = np.full(sizes.size, mem.size, dtype=np.int64)
    np.minimum.at(first, mem, np.arange(mem.size))
    present = np.flatnonzero(sizes)
    order = present[np.lexsort((first[present], -sizes[present]))]
    new = np.empty(sizes.size, dtype=np.int64)
    new[order] = np.arange(order.size)
    return new[mem]


def _run(u: ig.Graph, method: str, objective: str, resolution: float, seed: int,
         n_iterations: int) -> np.ndarray:
    """One run of the chosen algorithm on an undirected weighted graph, with igraph's RNG seeded."""
    import igraph as ig

    if u.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    weights = u.es["weight"] if u.ecount() else None
    ig.set_random_number_generator(random.Random(seed))
    try:
        if method == "leiden":
            clustering = u.community_leiden(
                objective_function="CPM" if objective == "cpm" else "modularity",
                weights=weights,
                resolution=resolution,
                n_iterations=n_iterations,
            )
        else:
            clustering = u.community_multilevel(weights=weights, resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    return _renumber_by_size(clustering.membership)


def _contract(g: ig.Graph, membership: np.ndarray) -> ig.Graph:
    """One vertex per community, tie weights summed; ties inside a community become self-loops.

    Keeping the loops keeps every community's total degree, so modularity on
    the contracted graph equals modularity of the partition on ``g``.
    """
    c = g.copy()
    c.contract_vertices(membership.tolist(), combine_attrs=None)
    c.simplify(multiple=True, loops=False, combine_edges={"weight": "sum"})
    return c


def _check(method: str, objective: str, resolution: float) -> None:
    if method not in METHODS:
        raise UsageError(f"unknown community method {method!r}; use one of {', '.join(METHODS)}")
    if objective not in OBJECTIVES:
        raise UsageError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    if method == "louvain" and objective != "modularity":
        raise UsageError("louvain optimises modularity only; use --method leiden for CPM")
    if not (resolution > 0 and np.isfinite(resolution)):
        raise UsageError(f"resolution must be a positive number, not {resolution}")


def _modularity(u: ig.Graph, membership: np.ndarray, resolution: float) -> float:
    if not u.ecount():
        return 0.0
    return float(u.modularity(membership.tolist(), weights="weight", resolution=resolution))


def detect_communities(
    ag: ActorGraph,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    method: str = "leiden",
    objective: str = "modularity",
    n_iterations: int = 2,
) -> CommunityResult:
    """Partition the actor graph's accounts into communities.

    Parameters
    ----------
    ag : ActorGraph
    resolution : float
        Modularity: the resolution parameter (higher gives more, smaller
        communities). CPM: the density a community must exceed, in tie weight
        per pair of members (e.g. 0.05 keeps clusters where members share on
        average a twentieth of a share each), so useful values are far below 1.
    seed : int
        Seed of igraph's random number generator for this run.
    method : {"leiden", "louvain"}
        ``leiden``: ``Graph.community_leiden``; ``louvain``:
        ``Graph.community_multilevel`` (for comparison: it finds worse
        partitions, and may leave communities internally disconnected).
    objective : {"modularity", "cpm"}
        Leiden's quality function: modularity (relative to a random graph
        with the same degrees) or the Constant Potts Model (an absolute
        density threshold, free of modularity's resolution limit).
    n_iterations : int
        Leiden iterations; negative runs until an iteration brings no gain.
        Two (igraph's default) reach the same partitions on the benchmark
        graphs and take a fifth of the time of running to convergence at 1M accounts.

    Returns
    -------
    CommunityResult
        Community ids renumbered by size (0 = largest); isolated accounts form
        singleton communities. ``modularity`` is at ``resolution`` for the
        modularity objective, and the standard one (resolution 1) for CPM.

    Examples
    --------
    >>> res = detect_communities(ag, resolution=1.0, seed=7)  # doctest: +SKIP
    >>> res.n_communities, res.modularity  # doctest: +SKIP
    >>> fine = detect_communities(ag, objective="cpm", resolution=0.05)  # doctest: +SKIP
    """
    _check(method, objective, resolution)
    started = time.perf_counter()
    u = ag.undirected()
    membership = _run(u, method, objective, resolution, seed, n_iterations)
    params: dict[str, Any] = {"resolution": resolution, "seed": seed,
                              "weights": dict(ag.weights)}
    if method == "leiden":
        params["objective"] = objective
        params["n_iterations"] = n_iterations
    return CommunityResult(
        membership=membership,
        algorithm=method,
        parameters=params,
        fingerprint=ag.fingerprint,
        modularity=_modularity(u, membership, 1.0 if objective == "cpm" else resolution),
        seconds=time.perf_counter() - started,
    )


def _pairs_same(a: np.ndarray, b: np.ndarray, membership: np.ndarray) -> np.ndarray:
    return membership[a] == membership[b]


def _jaccard_agreement(ref: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per vertex: Jaccard overlap of its community in ``ref`` and its community in ``other``."""
    k = np.int64(other.max() + 1) if len(other) else np.int64(1)
    pair, inv = np.unique(ref * k + other, return_inverse=True)
    inter = np.bincount(inv)[inv]
    size_ref = np.bincount(ref)[ref]
    size_other = np.bincount(other)[other]
    return inter / (size_ref + size_other - inter)


def consensus(
    ag: ActorGraph,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    resolution: float = 1.0,
    method: str = "leiden",
    objective: str = "modularity",
    n_iterations: int = 2,
    threshold: float = 0.5,
) -> ConsensusResult:
    """Communities over several seeds: a consensus partition and how much each account agrees with it.

    Each seed gives a partition. For every tie, the share of the partitions
    that put its two accounts together is its co-assignment; the consensus
    partition is the same algorithm run once more (first seed) on the ties
    whose co-assignment is at least ``threshold``, weighted by tie weight
    times co-assignment (one round of Lancichinetti and Fortunato's consensus
    clustering). Ties the runs disagree on drop out, so accounts that
    wander between communities end up where most runs put them.

    Parameters
    ----------
    ag : ActorGraph
    seeds : sequence of int
        One run per seed (at least two).
    resolution, method, objective, n_iterations
        As :func:`detect_communities`.
    threshold : float
        Co-assignment a tie needs to count towards the consensus.

    Returns
    -------
    ConsensusResult
        ``membership`` (the consensus), ``agreement`` per account (mean
        Jaccard overlap between its consensus community and its community in
        each run: 1.0 when every run agrees), ``partitions`` (one per seed),
        ``pairwise_nmi`` (mean NMI between runs).

    Examples
    --------
    >>> cons = consensus(ag, seeds=range(5))  # doctest: +SKIP
    >>> ag.accounts["key"][cons.agreement < 0.5]  # the unstable accounts  # doctest: +SKIP
    """
    from .results import nmi

    _check(method, objective, resolution)
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2:
        raise UsageError("consensus needs at least two seeds")
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"threshold must be in (0, 1], not {threshold}")
    started = time.perf_counter()
    u = ag.undirected()
    parts = [_run(u, method, objective, resolution, s, n_iterations) for s in seeds]
    a, b, w = ag.undirected_edges()
    together = np.zeros(len(a))
    for p in parts:
        together += _pairs_same(a, b, p)
    together /= len(parts)
    keep = together >= threshold
    import igraph as ig

    cg = ig.Graph(n=ag.n, directed=False)
    if keep.any():
        cg.add_edges(np.column_stack([a[keep], b[keep]]))
    cg.es["weight"] = (w[keep] * together[keep]).tolist()
    membership = _run(cg, method, objective, resolution, seeds[0], n_iterations)
    agreement = (np.mean([_jaccard_agreement(membership, p) for p in parts], axis=0)
                 if ag.n else np.zeros(0))
    pair_nmi = [nmi(parts[i], parts[j]) for i in range(len(parts))
                for j in range(i + 1, len(parts))]
    params: dict[str, Any] = {"resolution": resolution, "seeds": seeds, "threshold": threshold,
                              "weights": dict(ag.weights)}
    if method == "leiden":
        params["objective"] = objective
        params["n_iterations"] = n_iterations
    return ConsensusResult(
        membership=membership,
        algorithm=f"consensus-{method}",
        parameters=params,
        fingerprint=ag.fingerprint,
        modularity=_modularity(u, membership, 1.0 if objective == "cpm" else resolution),
        seconds=time.perf_counter() - started,
        agreement=agreement,
        partitions=parts,
        pairwise_nmi=float(np.mean(pair_nmi)),
    )


def stability(
    ag: ActorGraph,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    resolution: float = 1.0,
    method: str = "leiden",
    objective: str = "modularity",
) -> float:
    """Mean pairwise NMI of the partitions found with each seed (1.0: the seed never matters).

    A low value says the community structure is weak at this resolution: read
    community ids with care. :func:`consensus` also says which accounts move.
    """
    from .results import nmi

    _check(method, objective, resolution)
    u = ag.undirected()
    parts = [_run(u, method, objective, resolution, s, 2) for s in seeds]
    scores = [nmi(parts[i], parts[j])
              for i in range(len(parts)) for j in range(i + 1, len(parts))]
    return float(np.mean(scores)) if scores else 1.0


def hierarchy(
    ag: ActorGraph,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    method: str = "leiden",
    factor: float = 0.5,
    max_levels: int = 6,
) -> HierarchyResult:
    """Nested communities: each level groups the communities of the level below.

    ``leiden`` finds level 0 at ``resolution``; ``louvain`` starts with the
    levels of the multilevel algorithm itself (each pass merges the
    communities of the previous one). Then each community of the last level
    is contracted into one vertex (tie weights summed, inner ties as
    self-loops, so modularity is unchanged) and the same algorithm runs on
    that graph at ``factor`` times the previous resolution, until one
    community is left, nothing merges twice in a row, or ``max_levels`` is
    reached.

    Returns
    -------
    HierarchyResult
        ``levels``: community id per account per level, finest first (each
        renumbered by size); ``resolutions`` per level (Leiden).
    """
    import igraph as ig

    _check(method, "modularity", resolution)
    if not 0.0 < factor < 1.0:
        raise UsageError(f"factor must be in (0, 1), not {factor}")
    started = time.perf_counter()
    u = ag.undirected()
    levels: list[np.ndarray] = []
    resolutions: list[float] = []
    if u.vcount():
        if method == "louvain":
            weights = u.es["weight"] if u.ecount() else None
            ig.set_random_number_generator(random.Random(seed))
            try:
                found = u.community_multilevel(weights=weights, resolution=resolution,
                                               return_levels=True)
            finally:
                ig.set_random_number_generator(random)
            levels = [_renumber_by_size(c.membership) for c in found]
            resolutions = [resolution] * len(levels)
        else:
            levels = [_run(u, "leiden", "modularity", resolution, seed, 2)]
            resolutions = [resolution]
        raw = levels[-1]
        res, stalled = resolution, 0
        coarse = _contract(u, raw)
        while len(levels) < max_levels and coarse.vcount() > 1 and stalled < 2:
            res *= factor
            top = _run(coarse, method, "modularity", res, seed, 2)
            if int(top.max()) + 1 < coarse.vcount():
                raw = top[raw]  # vertex -> community of this level
                levels.append(_renumber_by_size(raw))
                resolutions.append(res)
                coarse = _contract(coarse, top)
                stalled = 0
            else:
                stalled += 1
    return HierarchyResult(
        levels=levels,
        resolutions=resolutions,
        algorithm=f"{method}-hierarchy",
        parameters={"resolution": resolution, "seed": seed, "factor": factor,
                    "max_levels": max_levels, "weights": dict(ag.weights)},
        fingerprint=ag.fingerprint,
        seconds=time.perf_counter() - started,
    )


def format_mix(values: pd.Series) -> str:
    """``"critic:12, boycott:3"``: counts of the non-missing values, largest first."""
    vc = values.dropna().astype(str)
    vc = vc[vc != ""].value_counts()
    if vc.empty:
        return ""
    items = sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{k}:{v}" for k, v in items)


def summarise_communities(
    frame: pd.DataFrame, *, score_col: str, group_col: str = "group", top_n: int = 5
) -> pd.DataFrame:
    """Summary per community of a frame with ``key, community, platform`` and a score.

    Shared by :func:`community_summary` (fresh results) and
    :func:`netmap.analysis.tables.communities_table` (stored ones).
    """
    cols = ["id", "size", "top_members", "group_mix", "platforms"]
    df = frame[frame["community"].notna()]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(
        community=df["community"].astype(np.int64),
        _score=pd.to_numeric(df[score_col], errors="coerce").fillna(-np.inf),
    )
    df = df.sort_values(["community", "_score", "key"], ascending=[True, False, True],
                        kind="stable")
    grouped = df.groupby("community", sort=True)
    out = pd.DataFrame({"id": grouped.size().index.astype(np.int64),
                        "size": grouped.size().to_numpy(dtype=np.int64)})
    out["top_members"] = grouped["key"].apply(
        lambda s: ", ".join(s.astype(str).head(top_n))).to_numpy()
    if group_col in df.columns:
        out["group_mix"] = grouped[group_col].apply(format_mix).to_numpy()
    else:
        out["group_mix"] = ""
    out["platforms"] = grouped["platform"].apply(format_mix).to_numpy()
    return out.sort_values(["size", "id"], ascending=[False, True]).reset_index(drop=True)


def community_summary(
    ag: ActorGraph,
    result: CommunityResult,
    group_col: str = "group",
    *,
    scores: pd.Series | np.ndarray | None = None,
    top_n: int = 5,
    store: Store | None = None,
) -> pd.DataFrame:
    """One row per community: ``id, size, top_members, group_mix, platforms`` (+ content).

    Parameters
    ----------
    ag, result
        The actor graph and a partition of it.
    group_col : str
        Account column holding the stance group (mixed as ``"critic:12, boycott:3"``).
    scores : Series or array, optional
        Ranking of members (vertex order), e.g. PageRank; defaults to a
        ``pagerank`` column of ``ag.accounts`` when present, else weighted degree.
    top_n : int
        Members (and URLs, hashtags, posts) listed per community.
    store : Store, optional
        The store the actor graph came from: adds ``top_urls, top_hashtags,
        top_posts`` from the members' posts (see
        :func:`netmap.analysis.content.community_content`).
    """
    acc = ag.accounts
    frame = pd.DataFrame({"key": acc["key"].to_numpy(),
                          "platform": acc["platform"].to_numpy(),
                          "community": result.membership})
    if group_col in acc.columns:
        frame[group_col] = acc[group_col].to_numpy()
    if scores is not None:
        frame["_rank"] = np.asarray(scores, dtype=float)
    elif "pagerank" in acc.columns:
        frame["_rank"] = pd.to_numeric(acc["pagerank"], errors="coerce").to_numpy()
    else:
        g = ag.graph
        frame["_rank"] = (g.strength(mode="all", weights="weight") if g.ecount()
                          else [0.0] * g.vcount())
    out = summarise_communities(frame, score_col="_rank", group_col=group_col, top_n=top_n)
    if store is not None and len(out):
        from .content import community_content

        content = community_content(store, ag, result.membership, top_n=top_n)
        out = out.merge(content, on="id", how="left")
        for c in ("top_urls", "top_hashtags", "top_posts"):
            out[c] = out[c].fillna("")
    return out
