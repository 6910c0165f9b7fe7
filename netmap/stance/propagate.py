"""Label spreading over account ties: the propagation step of stance assignment.

:class:`Adjacency` holds the symmetric tie matrix in compressed sparse rows and
multiplies with scipy when it is installed, with numpy otherwise.
:func:`propagate` iterates::

    F_i = (P_i + alpha * sum_j W_ij F_j) / (|P_i| + sum_j W_ij)

for every account that is not a seed, with seeds clamped to ``seed_weight`` on
their group; ``P`` is the lexicon prior.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Adjacency", "propagate"]


class Adjacency:
    """Symmetric weighted account ties in compressed sparse rows (``indptr``, ``indices``,
    ``data``), multiplied with scipy when it is installed and with numpy otherwise."""

    def __init__(self, n: int, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray,
                 ) -> None:
        self.n = n
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self._sp: Any = None

    @classmethod
    def from_acts(cls, n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray,
                  reverse_weight: float = 1.0) -> Adjacency:
        """Sum acts ``src -> dst`` into ties; the reverse direction gets ``reverse_weight``."""
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        w = np.asarray(weight, dtype=np.float64)
        if reverse_weight > 0:
            rows = np.concatenate([src, dst])
            cols = np.concatenate([dst, src])
            vals = np.concatenate([w, w * reverse_weight])
        else:
            rows, cols, vals = src, dst, w
        try:
            import scipy.sparse as sp
        except ImportError:
            # Without scipy: sort by (row, col) and sum duplicates with numpy.
            key = rows * max(n, 1) + cols
            uniq, inv = np.unique(key, return_inverse=True)
            data = np.bincount(inv, weights=vals, minlength=len(uniq))
            r = uniq // max(n, 1)
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
            return cls(n, indptr, (uniq % max(n, 1)).astype(np.int64), data)
        m = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
        m.sum_duplicates()
        return cls(n, m.indptr, m.indices, m.data)

    @property
    def nnz(self) -> int:
        return len(self.data)

    def degree(self) -> np.ndarray:
        return np.bincount(self.row_ids(), weights=self.data, minlength=self.n)

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.n), np.diff(self.indptr))

    def scaled(self, row_factor: np.ndarray, dtype: Any = np.float32) -> Adjacency:
        """``diag(row_factor) @ self`` in ``dtype``."""
        data = (self.data * row_factor[self.row_ids()]).astype(dtype)
        return Adjacency(self.n, self.indptr, self.indices, data)

    def dot(self, F: np.ndarray) -> np.ndarray:
        if self._sp is None:
            try:
                import scipy.sparse as sp

                self._sp = sp.csr_matrix((self.data, self.indices, self.indptr),
                                         shape=(self.n, self.n))
            except ImportError:
                self._sp = False
        if self._sp is not False:
            return self._sp @ F
        # numpy only: gather the neighbours' scores, sum each row's run of entries.
        full = np.flatnonzero(np.diff(self.indptr) > 0)
        out = np.zeros((self.n, F.shape[1]), dtype=F.dtype)
        if len(full):
            vals = self.data[:, None] * F[self.indices]
            out[full] = np.add.reduceat(vals, self.indptr[full], axis=0)
        return out

    def rows(self, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The selected rows as (indptr, indices, data) of their own."""
        starts = self.indptr[sel]
        counts = self.indptr[sel + 1] - starts
        indptr = np.zeros(len(sel) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        pos = np.repeat(starts - indptr[:-1], counts) + np.arange(indptr[-1])
        return indptr, self.indices[pos], self.data[pos]

    def toarray(self) -> np.ndarray:
        """Dense copy (small graphs and tests only)."""
        out = np.zeros((self.n, self.n))
        out[self.row_ids(), self.indices] = self.data
        return out


def propagate(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    prior: np.ndarray,
    seeds: np.ndarray,
    *,
    alpha: float = 0.85,
    reverse_weight: float = 1.0,
    seed_weight: float = 2.0,
    max_iter: int = 100,
    tol: float = 1e-6,
) -> tuple[np.ndarray, Adjacency, int, bool]:
    """Label spreading with clamped seeds over endorsement ties.

    Parameters
    ----------
    n : int
        Number of accounts.
    src, dst, weight : arrays
        Endorsement acts ``src -> dst`` (duplicates are summed).
    prior : ndarray, shape (n, k)
        Lexicon votes per account and group.
    seeds : ndarray of int, shape (n,)
        Group index of each seed, -1 for other accounts.
    alpha : float
        Damping of neighbour evidence per hop (0 < alpha < 1).
    reverse_weight : float
        Weight an endorsed account gives its endorsers, relative to the reverse.
    seed_weight : float
        Score a seed holds on its group (lexicon-only accounts hold at most 1).
    max_iter, tol
        Iteration limits: stop when no score moves by more than ``tol``.

    Returns
    -------
    F : ndarray, shape (n, k)
        Scores per group.
    W : Adjacency
        The tie matrix used.
    iterations : int
    converged : bool
    """
    W = Adjacency.from_acts(n, src, dst, weight, reverse_weight)
    deg = W.degree()
    is_seed = seeds >= 0
    seed_rows = np.flatnonzero(is_seed)
    denom = prior.sum(axis=1) + deg
    denom[denom == 0] = 1.0
    inv = 1.0 / denom
    # One sparse product per step: M = alpha * D^-1 W and b = D^-1 P, in float32 (the
    # product is memory-bound; single precision halves the traffic and is ample for
    # comparing shares).
    M = W.scaled(alpha * inv)
    b = (prior * inv[:, None]).astype(np.float32)
    F = b.copy()
    F[seed_rows] = 0.0
    F[seed_rows, seeds[seed_rows]] = seed_weight
    fixed = F[seed_rows].copy()
    iterations = 0
    converged = False
    scale = max(1.0, seed_weight)
    while iterations < max_iter:
        iterations += 1
        G = M.dot(F)
        G += b
        G[seed_rows] = fixed
        delta = float(np.abs(G - F).max()) if n else 0.0
        F = G
        if delta <= tol * scale:
            converged = True
            break
    return F.astype(np.float64), W, iterations, converged
