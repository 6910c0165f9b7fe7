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

__all__ = ["CommunityResult", "AnalysisResult", "nmi"]


@dataclass
class CommunityResult:
    """A partition of the actor graph's vertices.

    Attributes
    ----------
    membership : numpy.ndarray
        Community id per vertex (vertex order of the actor graph); ids are
        renumbered by size, 0 is the largest community.
    algorithm : str
        ``"leiden"`` (igraph's built-in, modularity objective) or ``"louvain"``
        (igraph's multilevel).
    parameters : dict
        ``resolution``, ``seed``, ``n_iterations``, ``weights``.
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
class AnalysisResult:
    """What :func:`netmap.analysis.analyze` computed and wrote back.

    ``accounts`` joins the influence and bridge metrics per account (one row
    per actor-graph vertex); ``communities`` summarises each community;
    ``mixing`` is the stance-group mixing matrix, ``ei`` the E-I index per
    group and ``assortativity`` the nominal assortativity by group (NaN when
    no group has been assigned).
    """

    algorithm: str
    parameters: dict[str, Any]
    fingerprint: str
    timings: dict[str, float]
    actor_graph: ActorGraph
    community: CommunityResult
    accounts: pd.DataFrame
    communities: pd.DataFrame
    mixing: pd.DataFrame
    ei: pd.DataFrame
    assortativity: float
    betweenness_sample: int | None = None
    written: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Plain-data summary (what the CLI prints and ``set_meta('analysis')`` stores)."""
        ag = self.actor_graph
        return {
            "accounts": ag.graph.vcount(),
            "ties": ag.graph.ecount(),
            "communities": self.community.n_communities,
            "modularity": round(float(self.community.modularity), 4),
            "assortativity": None if not np.isfinite(self.assortativity)
            else round(float(self.assortativity), 4),
            "betweenness": "exact" if self.betweenness_sample is None
            else f"sampled from {self.betweenness_sample} sources",
            "algorithm": self.algorithm,
            "fingerprint": self.fingerprint,
            "seconds": round(sum(self.timings.values()), 3),
            "written": self.written,
            "parameters": self.parameters,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


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
