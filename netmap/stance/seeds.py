"""Analyst seeds: accounts whose stance group the analyst knows.

A seeds file is CSV with a header naming the columns ``account`` and
``group`` (other columns, such as a note, are ignored). Accounts are keys
(``twitter:handle``, ``blog:host/author``) or profile/blog URLs
(``https://twitter.com/Handle``); :func:`netmap.keys.account_ref` turns both into
keys. UTF-8 with or without a BOM and windows-1251 (what Excel writes on
Russian-locale Windows) are read; commas, semicolons and tabs are accepted as
separators.

:func:`load_seeds` checks the file against the groups and reports every bad
line by number. :func:`apply_seeds` stores the seeds on the accounts as
``group_seed`` and lists the accounts that are not in the store, so a typo or
an account not collected yet is never ignored silently.

Examples
--------
>>> from netmap.stance import load_groups, load_seeds, apply_seeds  # doctest: +SKIP
>>> seeds = load_seeds("seeds.csv", load_groups())                  # doctest: +SKIP
>>> apply_seeds(store, seeds).unknown                               # doctest: +SKIP
['twitter:not_collected_yet']
"""

from __future__ import annotations

import csv
import difflib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StanceError
from ..keys import account_ref
from ..store.base import Store
from .groups import Groups

__all__ = ["CsvRow", "SeedResult", "SeedReport", "read_account_csv", "load_seeds", "apply_seeds"]

_ACCOUNT_COLUMNS = ("account", "key", "account_key")
_GROUP_COLUMNS = ("group", "stance")


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int
    account: str  # as written
    group: str  # as written


@dataclass
class SeedResult:
    """Seeds read from a file: ``{account key: group}`` plus what was wrong with it."""

    path: str
    seeds: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # account key -> line number
    rejects: list[dict[str, Any]] = field(default_factory=list)  # line, reason, excerpt
    rows: int = 0
    duplicates: int = 0
    encoding: str = "utf-8"

    @property
    def by_group(self) -> dict[str, int]:
        return dict(Counter(self.seeds.values()))

    def __len__(self) -> int:
        return len(self.seeds)


@dataclass
class SeedReport:
    """What :func:`apply_seeds` did."""

    file: str
    seeds: int  # distinct seed accounts in the file
    applied: int  # stored on accounts
    by_group: dict[str, int]
    unknown: list[str]  # seed accounts that are not in the store
    resolved: dict[str, str]  # seed key -> account key, for blog URLs that name one author
    rejects: list[dict[str, Any]]
    replaced: bool

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def read_account_csv(path: str | Path) -> tuple[list[CsvRow], str]:
    """Rows of an ``account,group`` CSV file and the encoding it was read in.

    Raises
    ------
    StanceError
        If the file cannot be read or its header lacks the two columns.
    """
    from ..collect.base import decode_bytes

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StanceError(f"{path}: cannot read: {exc}") from exc
    text, encoding = decode_bytes(data)
    lines = text.splitlines()
    header_at = next((i for i, ln in enumerate(lines)
                      if ln.strip() and not ln.lstrip().startswith("#")), None)
    if header_at is None:
        raise StanceError(f"{path}: empty file; expected a header line 'account,group'")
    head = lines[header_at]
    delimiter = max((",", ";", "\t"), key=head.count)
    reader = csv.reader(io.StringIO("\n".join(lines[header_at:])), delimiter=delimiter)
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    acc_col = next((header.index(c) for c in _ACCOUNT_COLUMNS if c in header), None)
    grp_col = next((header.index(c) for c in _GROUP_COLUMNS if c in header), None)
    if acc_col is None or grp_col is None:
        raise StanceError(
            f"{path}: line {header_at + 1}: the header must name the columns 'account' and "
            f"'group' (got: {', '.join(h for h in header if h) or 'nothing'}); "
            "add a first line 'account,group'"
        )
    rows: list[CsvRow] = []
    for rec in reader:
        line = header_at + reader.line_num
        if not rec or all(not c.strip() for c in rec):
            continue
        if rec[0].lstrip().startswith("#"):
            continue
        acc = rec[acc_col].strip() if acc_col < len(rec) else ""
        grp = rec[grp_col].strip() if grp_col < len(rec) else ""
        rows.append(CsvRow(line, acc, grp))
    return rows, encoding


def load_seeds(csv_path: str | Path, groups: Groups, *, strict: bool = True) -> SeedResult:
    """Read analyst seeds and check them against ``groups``.

    Parameters
    ----------
    csv_path : path
        CSV with a header ``account,group``.
    groups : Groups
        Group names are matched exactly, then ignoring case.
    strict : bool
        If true (the default) any bad line raises; otherwise bad lines are kept in
        ``SeedResult.rejects`` and the good ones are used.

    Raises
    ------
    StanceError
        Listing every bad line by number: an unknown group (with the closest
        known name), an account that is neither a key nor a profile URL, or one
        account seeded into two groups.
    """
    rows, encoding = read_account_csv(csv_path)
    result = SeedResult(path=str(csv_path), rows=len(rows), encoding=encoding)
    lower = {n.lower(): n for n in groups.names}
    for row in rows:
        excerpt = f"{row.account},{row.group}"
        if not row.account:
            result.rejects.append({"line": row.line, "reason": "no account", "excerpt": excerpt})
            continue
        try:
            key = account_ref(row.account)
        except ValueError as exc:
            result.rejects.append({"line": row.line, "reason": str(exc), "excerpt": excerpt})
            continue
        group = row.group if row.group in groups else lower.get(row.group.lower())
        if group is None:
            close = difflib.get_close_matches(row.group.lower(), list(lower), n=1)
            hint = f"; did you mean {lower[close[0]]!r}?" if close else ""
            result.rejects.append({
                "line": row.line,
                "reason": (f"unknown group {row.group!r} (groups: {', '.join(groups.names)})"
                           f"{hint}") if row.group else "no group",
                "excerpt": excerpt,
            })
            continue
        if key in result.seeds:
            if result.seeds[key] != group:
                result.rejects.append({
                    "line": row.line,
                    "reason": (f"{key} is already seeded as {result.seeds[key]!r} on line "
                               f"{result.lines[key]}"),
                    "excerpt": excerpt,
                })
            else:
                result.duplicates += 1
            continue
        result.seeds[key] = group
        result.lines[key] = row.line
    if strict and result.rejects:
        shown = result.rejects[:20]
        more = (f"\n  … and {len(result.rejects) - 20} more"
                if len(result.rejects) > 20 else "")
        raise StanceError(
            f"{csv_path}: {len(result.rejects)} bad seed line(s):\n  "
            + "\n  ".join(f"line {r['line']}: {r['reason']}" for r in shown) + more
            + "\nFix the file and run the command again."
        )
    return result


def _blog_owners(store: Store, hosts: set[str]) -> dict[str, list[str]]:
    """Accounts ``blog:<host>/<author>`` that wrote articles (not comments) on each host."""
    if not hosts:
        return {}
    authored = store.edges(["AUTHORED"])
    posts = store.nodes("Post", columns=["kind"])
    own = set(posts.loc[~posts["kind"].isin(["comment", "reply"]), "key"])
    owners: dict[str, set[str]] = {}
    for acc, post in zip(authored["src"], authored["dst"], strict=True):
        if not acc.startswith("blog:") or post not in own:
            continue
        host = acc[5:].split("/", 1)[0]
        if host in hosts:
            owners.setdefault(host, set()).add(acc)
    return {h: sorted(v) for h, v in owners.items()}


def apply_seeds(store: Store, seeds: SeedResult, *, replace: bool = True) -> SeedReport:
    """Store seeds as the ``group_seed`` property of their accounts.

    Parameters
    ----------
    store : Store
    seeds : SeedResult
        From :func:`load_seeds`.
    replace : bool
        If true (the default) the file is the whole truth: seeds stored by an
        earlier run and absent from this file are removed. If false, seeds are
        added to the stored ones (a later group wins).

    Returns
    -------
    SeedReport
        ``unknown`` lists the seed accounts that are not in the store (collect
        them, or fix the key); a blog URL seed (``blog:<host>``) whose blog has
        exactly one author is applied to that author and listed in ``resolved``.
    """
    accounts = set(store.nodes("Account", columns=[])["key"])
    unknown_keys = [k for k in seeds.seeds if k not in accounts]
    hosts = {k[5:] for k in unknown_keys if k.startswith("blog:") and "/" not in k}
    owners = _blog_owners(store, hosts)
    resolved: dict[str, str] = {}
    rows: list[tuple[str, dict[str, Any]]] = []
    unknown: list[str] = []
    for key, group in seeds.seeds.items():
        target = key
        if key not in accounts:
            cand = owners.get(key[5:], []) if key.startswith("blog:") else []
            if len(cand) == 1:
                target = cand[0]
                resolved[key] = target
            else:
                unknown.append(key)
                continue
        rows.append((target, {"group_seed": group}))
    store.set_props("Account", rows, clear=["group_seed"] if replace else ())
    by_group = dict(Counter(p["group_seed"] for _, p in rows))
    return SeedReport(
        file=seeds.path, seeds=len(seeds.seeds), applied=len(rows), by_group=by_group,
        unknown=unknown, resolved=resolved, rejects=list(seeds.rejects), replaced=replace,
    )
