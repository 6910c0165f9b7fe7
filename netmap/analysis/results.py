"""Result records of the analyses, and a partition-comparison helper.

Every result says how it was made: the algorithm, its parameters and the
fingerprint of the actor graph it ran on (house style, after cdlib's
``NodeClustering``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .project import ActorGraph

__all__ = ["CommunityResult", "ConsensusResult", "HierarchyResult", "AnalysisResult", "nmi"]


@dataclass
class CommunityResult:
    """A partition of the actor graph's vertices.

    Attributes
    ----------
    membership : numpy.ndarray
        Community id per vertex (vertex order of the actor graph); ids are
        renumbered by size, 0 is the largest community.
    algorithm : str
        ``"leiden"`` (igraph's built-in) or ``"louvain"`` (igraph's multilevel).
    parameters : dict
        ``resolution``, ``seed``, ``weights``; Leiden adds ``objective``
        (modularity or cpm) and ``n_iterations``.
    fingerprint : str
        The actor graph's fingerprint.
    modularity : float
        Weighted modularity of the partition at the given resolution, on the
        undirected weight-summed graph.
    """

    membership: np.ndarray
    algorithm: str
    parameters: dict[str, Any]
    fingerprint: str
    modularity: float
    seconds: float = 0.0

    @property
    def n_communities(self) -> int:
        return int(self.membership.max()) + 1 if len(self.membership) else 0

    def sizes(self) -> np.ndarray:
        return np.bincount(self.membership, minlength=self.n_communities)


@dataclass
class ConsensusResult(CommunityResult):
    """A consensus partition over several seeds (see :func:`~netmap.analysis.communities.consensus`).

    Attributes
    ----------
    agreement : numpy.ndarray
        Per vertex, mean Jaccard overlap of its consensus community with its
        community in each run (1.0: every run agrees).
    partitions : list of numpy.ndarray
        The partition of each seed, in seed order.
    pairwise_nmi : float
        Mean NMI between the runs' partitions.
    """

    agreement: np.ndarray = field(default_factory=lambda: np.zeros(0))
    partitions: list[np.ndarray] = field(default_factory=list)
    pairwise_nmi: float = 1.0


@dataclass
class HierarchyResult:
    """Nested communities, finest level first (see :func:`~netmap.analysis.communities.hierarchy`)."""

    levels: list[np.ndarray]
    resolutions: list[float]
    algorithm: str
    parameters: dict[str, Any]
    fingerprint: str
    seconds: float = 0.0

    def frame(self, keys: Sequence[str] | np.ndarray) -> pd.DataFrame:
        """``key, level_0, level_1, ...`` for the vertices named by ``keys``."""
        out = pd.DataFrame({"key": np.asarray(keys)})
        for i, lev in enumerate(self.levels):
            out[f"level_{i}"] = lev
        return out


@dataclass
class AnalysisResult:
    """What :func:`netmap.analysis.analyze` computed and wrote back.

    ``accounts`` joins the influence, bridge and structural-hole metrics per
    account (one row per actor-graph vertex); ``communities`` summarises each
    community; ``mixing`` is the stance-group mixing matrix, ``ei`` the E-I
    index per group and ``assortativity`` the nominal assortativity by group
    (NaN when no group has been assigned).

    A result returned from the cache (``cached=True``: the store already held
    a run with the same data, groups and parameters) carries only what the
    store keeps: ``summary()`` and the stored ``communities`` table;
    ``actor_graph`` and ``community`` are None and ``accounts`` is empty (read
    the stored metrics with :func:`netmap.analysis.tables.accounts_table`).
    """

    algorithm: str
    parameters: dict[str, Any]
    fingerprint: str
    timings: dict[str, float]
    actor_graph: ActorGraph | None
    community: CommunityResult | None
    accounts: pd.DataFrame
    communities: pd.DataFrame
    mixing: pd.DataFrame
    ei: pd.DataFrame
    assortativity: float
    betweenness_sample: int | None = None
    written: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    cached: bool = False
    stored: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> AnalysisResult:
        """A cached result from the store's ``analysis`` meta entry."""
        return cls(
            algorithm=str(meta.get("algorithm", "")),
            parameters=dict(meta.get("parameters") or {}),
            fingerprint=str(meta.get("fingerprint", "")),
            timings={},
            actor_graph=None,
            community=None,
            accounts=pd.DataFrame(columns=["key"]),
            communities=pd.DataFrame(),
            mixing=pd.DataFrame(),
            ei=pd.DataFrame(),
            assortativity=float("nan") if meta.get("assortativity") is None
            else float(meta["assortativity"]),
            cached=True,
            stored=dict(meta),
        )

    def summary(self) -> dict[str, Any]:
        """Plain-data summary (what the CLI prints and ``set_meta('analysis')`` stores)."""
        if self.cached:
            kept = {k: v for k, v in self.stored.items() if k != "cache_key"}
            kept["cached"] = True
            kept["timings"] = {k: round(v, 3) for k, v in self.timings.items()}
            return kept
        ag = self.actor_graph
        comm = self.community
        assert ag is not None and comm is not None
        extra = self.extra
        holes = extra.get("structural_holes") or {}
        brk = extra.get("brokerage") or {}
        out: dict[str, Any] = {
            "accounts": ag.graph.vcount(),
            "ties": ag.graph.ecount(),
            "communities": comm.n_communities,
            "modularity": round(float(comm.modularity), 4),
            "assortativity": None if not np.isfinite(self.assortativity)
            else round(float(self.assortativity), 4),
            "betweenness": "exact" if self.betweenness_sample is None
            else f"sampled from {self.betweenness_sample} sources",
            "brokerage": "exact" if not brk.get("cap")
            else f"sampled: {brk.get('cap')} pairs per account for {brk.get('sampled')} accounts",
            "structural_holes": "exact" if not holes.get("cap")
            else f"sampled: {holes.get('cap')} pairs per account for {holes.get('sampled')} accounts",
            "reach2": extra.get("reach2_method") or "exact",
            "algorithm": self.algorithm,
            "fingerprint": self.fingerprint,
            "seconds": round(sum(v for k, v in self.timings.items() if "." not in k), 3),
            "written": self.written,
            "cached": False,
            "parameters": self.parameters,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }
        pairwise = getattr(comm, "pairwise_nmi", None)
        if pairwise is not None and getattr(comm, "partitions", None):
            out["stability_nmi"] = round(float(pairwise), 4)
        return out


def nmi(a: Sequence[Any] | np.ndarray, b: Sequence[Any] | np.ndarray) -> float:
    """Normalised mutual information of two labelings of the same items.

    Uses the arithmetic-mean normalisation, ``2 I(A;B) / (H(A) + H(B))``, the
    same as igraph's ``compare_communities(method="nmi")``. Labels may be any
    hashable values. Two single-cluster labelings score 1.0.

    Examples
    --------
    >>> nmi([0, 0, 1, 1], [5, 5, 7, 7])
    1.0
    """
    la, lb = np.asarray(a), np.asarray(b)
    if la.shape != lb.shape:
        raise ValueError("nmi: the two labelings must have the same length")
    n = la.size
    if n == 0:
        return 1.0
    ca, _ = pd.factorize(la)
    cb, _ = pd.factorize(lb)
    ka, kb = ca.max() + 1, cb.max() + 1
    joint = np.bincount(ca * kb + cb, minlength=ka * kb).reshape(ka, kb) / n
    pa, pb = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    mi = float((joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])).sum())
    ha = float(-(pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = float(-(pb[pb > 0] * np.log(pb[pb > 0])).sum())
    if ha + hb == 0:
        return 1.0
    return max(0.0, min(1.0, 2 * mi / (ha + hb)))
