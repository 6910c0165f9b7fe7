"""Cross-platform identity: which accounts belong to one person.

Accounts of one person are linked as ``(Account)-[:BELONGS_TO]->(Person)``
from **explicit evidence** only; similar-looking accounts are *proposed* as
candidates and merged only when an analyst accepts them.

Evidence, strongest first (each link keeps ``method``, ``confidence`` and a
human-readable ``evidence`` on its BELONGS_TO relationship):

``alias`` (1.0)
    the analyst's alias file, CSV ``account,person`` (accounts as keys or
    profile URLs).
``analyst`` (1.0)
    a candidate pair accepted with ``netmap identities accept``.
``profile_link`` (0.85)
    a URL in the account's profile (``profile_links``: the profile's website
    field, links in its bio, ``rel=me`` links, a comment author's URL) that is
    another account's profile (``https://vk.com/farhod``) or a blog that
    account runs. Links in both directions make it 0.95.
``comment_url`` (0.8)
    a commenter known only by the blog URL they left (``blog:<host>``) and the
    author who runs that blog.
``bio_link`` (0.8) and ``bio_handle`` (0.7)
    a profile address (``t.me/x``, ``vk.com/x``, ``twitter.com/x``, a blog
    host) or a handle next to a platform word (``Telegram: @x``, ``ВК @x``)
    written in the bio or the display name.
``self_link`` (0.75)
    the account's own post or comment that says "my blog: <url>" (``мой
    блог``, ``блоги ман``, ``my channel`` ...).

Guards against over-merging: a link target (a profile or a blog) claimed by
more than ``max_claimants`` accounts of one platform is an affiliation (staff
linking their newspaper), not an identity, and is dropped; links only join
accounts present in the store; accounts of two different alias-file persons
and pairs the analyst rejected are never merged.

Person keys come from the alias file, else ``person:`` + the smallest account
key of the linked group, so they stay stable when nothing changes. The links
are derived data: :func:`resolve` deletes every BELONGS_TO and writes them
anew.

Fuzzy candidates (:func:`candidates`) compare handles and display names across
platforms and scripts (see :mod:`netmap.resolve.translit`); decisions are kept
in the store's meta ``identity_decisions`` and survive re-resolution.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..keys import account_ref, blog_account_key, host_of, is_http_url, profile_account
from ..model import Batch
from .translit import agreement, handle_skeleton, name_similarity, name_tokens

if TYPE_CHECKING:
    from ..analysis.project import ActorGraph
    from ..store.base import Store

__all__ = [
    "METHOD_CONFIDENCE",
    "Link",
    "Resolution",
    "explicit_links",
    "load_aliases",
    "resolve",
    "candidates",
    "score_pair",
    "decide",
    "decisions",
    "persons_map",
    "persons_table",
    "collapse_to_persons",
    "evaluate_links",
]

METHOD_CONFIDENCE: dict[str, float] = {
    "alias": 1.0,
    "analyst": 1.0,
    "profile_link": 0.85,
    "comment_url": 0.8,
    "bio_link": 0.8,
    "self_link": 0.75,
    "bio_handle": 0.7,
}
_MUTUAL = 0.95  # a link stated from both sides
_META_DECISIONS = "identity_decisions"
_META_ALIASES = "identity_aliases"
_SOURCE = "netmap:identity"


@dataclass(frozen=True, slots=True)
class Link:
    """Explicit evidence that accounts ``a`` and ``b`` are one person.

    ``a`` is the account whose profile or text carries the evidence.
    """

    a: str
    b: str
    method: str
    confidence: float
    evidence: str


@dataclass
class Resolution:
    """What :func:`resolve` found and wrote.

    ``memberships`` has one row per linked account: ``account, person,
    method, confidence, evidence, via`` (the account the evidence ties it to).
    """

    memberships: pd.DataFrame
    links: list[Link]
    dropped: list[tuple[Link, str]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    missing_aliases: list[str] = field(default_factory=list)

    @property
    def persons(self) -> int:
        return int(self.memberships["person"].nunique()) if len(self.memberships) else 0

    def summary(self) -> dict[str, Any]:
        methods = self.memberships["method"].value_counts().to_dict() if len(self.memberships) else {}
        return {
            "persons": self.persons,
            "accounts_linked": len(self.memberships),
            "links": len(self.links),
            "links_dropped": len(self.dropped),
            "aliases_missing": len(self.missing_aliases),
            "methods": {str(k): int(v) for k, v in methods.items()},
        }


# -- reading what the store knows ------------------------------------------------

_ACCOUNT_COLS = ("platform", "handle", "name", "url", "bio", "profile_links", "rel_me")


def _listish(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float):
        return []
    if isinstance(value, str):
        v = value.strip()
        if v.startswith("["):
            try:
                parsed = json.loads(v)
            except ValueError:
                return [v]
            return [str(x) for x in parsed if isinstance(x, str)]
        return [v] if v else []
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(x) for x in value if isinstance(x, str)]
    return []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _platform(key: str, platform: Any) -> str:
    return platform if isinstance(platform, str) and platform else key.partition(":")[0]


@dataclass
class _World:
    """The accounts and who runs which web host, as identity resolution needs them."""

    accounts: pd.DataFrame
    keys: set[str]
    platform: dict[str, str]
    owners: dict[str, set[str]]

    @classmethod
    def from_store(cls, store: Store) -> _World:
        acc = store.nodes("Account", columns=list(_ACCOUNT_COLS))
        posts = store.nodes("Post", columns=["platform", "kind"])
        authored = store.edges(["AUTHORED"])
        return cls.from_frames(acc, posts, authored)

    @classmethod
    def from_frames(cls, accounts: pd.DataFrame, posts: pd.DataFrame,
                    authored: pd.DataFrame) -> _World:
        acc = accounts.copy()
        for c in _ACCOUNT_COLS:
            if c not in acc:
                acc[c] = None
        keys = acc["key"].astype(str).tolist()
        plat = {k: _platform(k, p) for k, p in zip(keys, acc["platform"].tolist(), strict=True)}
        # Who runs a web host: authors of its own articles (not comments, not social posts).
        owners: dict[str, set[str]] = defaultdict(set)
        if len(posts) and len(authored):
            p = posts
            if "platform" in p:
                p = p[p["platform"].isin(["blog", "web"]) | p["platform"].isna()]
            if "kind" in p:
                p = p[~p["kind"].isin(["comment", "reply", "share"])]
            pk = p["key"].astype(str)
            p = p[~pk.str.contains(":", regex=False) | pk.str.contains("/", regex=False)]
            a = authored[authored["dst"].isin(set(p["key"]))]
            for acct, post in zip(a["src"].tolist(), a["dst"].tolist(), strict=True):
                host = post.split("/", 1)[0]
                if ":" in host:
                    continue
                owners[host].add(acct)
        for k in keys:
            # An outlet or a commenter known by URL only: the blog:<host> account stands for it.
            if k.startswith("blog:") and "/" not in k and k[5:] not in owners:
                owners[k[5:]] = {k}
        return cls(accounts=acc, keys=set(keys), platform=plat, owners=dict(owners))

    def owners_of(self, url: str) -> set[str]:
        """Accounts a web URL belongs to: the author named in it, else the host's owners."""
        host = host_of(url)
        if not host:
            return set()
        segs = [unquote(s) for s in urlsplit(url.strip()).path.split("/") if s]
        if len(segs) >= 2 and segs[0].lower() == "author":
            k = blog_account_key(host, segs[1])
            if k in self.keys:
                return {k}
        found = self.owners.get(host)
        if found is None and host.count(".") >= 1:
            found = self.owners.get(host.split(".", 1)[1]) if host.startswith("blog.") else None
        return set(found or ())

    def target_of(self, url: str) -> tuple[set[str], str]:
        """The account a URL names and whether it names a ``profile`` or a ``site``.

        A site run by several accounts (a group blog) names none of them.
        """
        prof = profile_account(url) if is_http_url(url) else None
        if prof:
            return ({prof} if prof in self.keys else set()), "profile"
        if not is_http_url(url):
            return set(), "none"
        owners = self.owners_of(url)
        return (owners if len(owners) == 1 else set()), "site"


# -- evidence ----------------------------------------------------------------------

_PLATFORM_WORDS: dict[str, str] = {}
for _plat, _words in {
    "telegram": ("telegram", "телеграм", "телеграмм", "телега", "tg", "тг", "канал", "channel"),
    "vk": ("vk", "вк", "vkontakte", "вконтакте", "контакт"),
    "twitter": ("twitter", "твиттер", "твитер", "tw", "twi"),
    "facebook": ("facebook", "fb", "фейсбук", "фб"),
    "ok": ("ok", "одноклассники", "одноклассниках", "ок"),
    "mastodon": ("mastodon", "мастодон"),
    "bluesky": ("bluesky", "bsky"),
}.items():
    for _w in _words:
        _PLATFORM_WORDS[_w] = _plat

_WORD_ALT = "|".join(sorted((re.escape(w) for w in _PLATFORM_WORDS), key=len, reverse=True))
# "Telegram: @x", "ВК — @x", "tg @x"
_HANDLE_AFTER = re.compile(
    rf"(?<![\w@])({_WORD_ALT})\w*\s*[:\-—–|]?\s*@([A-Za-z0-9_][A-Za-z0-9_.]{{2,63}})", re.I)
# "@x in Telegram", "@x (ВК)", "@x в телеграме"
_HANDLE_BEFORE = re.compile(
    rf"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.]{{2,63}})\s*(?:\(|-|—|–|in|on|at|в|на|во)?\s*({_WORD_ALT})\w*",
    re.I)
# Profile addresses written without a scheme: t.me/x, vk.com/x, twitter.com/x ...
_PROFILE_URL = re.compile(
    r"(?<![\w./])(?:https?://)?(?:www\.|m\.|mobile\.)?"
    r"((?:t\.me|telegram\.me|vk\.com|twitter\.com|x\.com|facebook\.com|fb\.com|ok\.ru"
    r"|bsky\.app/profile)/[A-Za-z0-9_.\-]{2,64})", re.I)
_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|ru|tj|org|net|info|me|io|uz|kz|kg|by|ua|su|blog|xn--p1ai))(/[^\s,;)\]]*)?", re.I)
# "my blog: <url>", "мой блог", "блоги ман" (Tajik: my blog), "my channel" ...
_SELF_DECL = re.compile(
    r"(?:\b(?:my|мой|моя|мои|моём|моем)\s+(?:personal\s+|личный\s+)?"
    r"(?:blog|блог|канал|channel|page|страниц\w*|site|сайт|twitter|твиттер|telegram|телеграм\w*"
    r"|vk|вк|facebook|фейсбук|жж|lj|livejournal|account|аккаунт)"
    r"|(?:блоги|канали|саҳифаи|сайти)\s+ман)\s*(?:[:\-—–(]|is|here|тут|здесь|—)?\s*", re.I)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]]+|(?:t\.me|vk\.com|twitter\.com)/[\w.]+", re.I)


def _profile_key(fragment: str) -> str | None:
    try:
        return profile_account("https://" + fragment.rstrip("."))
    except ValueError:
        return None


def _bio_links(world: _World, key: str, text: str) -> Iterable[Link]:
    """Profile addresses, blog hosts and platform handles written in a bio or a name."""
    if not text:
        return
    me = world.platform.get(key, "")
    seen: set[str] = set()
    for m in _PROFILE_URL.finditer(text):
        target = _profile_key(m.group(1))
        if target and target in world.keys and target != key and target not in seen:
            seen.add(target)
            yield Link(key, target, "bio_link", METHOD_CONFIDENCE["bio_link"],
                       f"bio: {m.group(0).strip()}")
    for m in _DOMAIN.finditer(text):
        host = m.group(1).lower()
        if host in ("t.me", "vk.com", "twitter.com", "x.com", "facebook.com", "ok.ru"):
            continue
        targets, _ = world.target_of("https://" + host + (m.group(2) or "/"))
        for target in sorted(targets):
            if target != key and target not in seen:
                seen.add(target)
                yield Link(key, target, "bio_link", METHOD_CONFIDENCE["bio_link"],
                           f"bio: {m.group(0).strip()}")
    pairs = [(m.group(1), m.group(2), m.group(0)) for m in _HANDLE_AFTER.finditer(text)]
    pairs += [(m.group(2), m.group(1), m.group(0)) for m in _HANDLE_BEFORE.finditer(text)]
    for word, handle, whole in pairs:
        plat = _PLATFORM_WORDS.get(word.lower())
        if plat is None or plat == me:
            continue  # a same-platform @mention in a bio is usually an affiliation
        try:
            target = f"{plat}:{handle.rstrip('.').lower()}"
        except ValueError:
            continue
        if target in world.keys and target != key and target not in seen:
            seen.add(target)
            yield Link(key, target, "bio_handle", METHOD_CONFIDENCE["bio_handle"],
                       f"bio: {whole.strip()}")


def _self_links(world: _World, store_texts: pd.DataFrame) -> Iterable[Link]:
    """"My blog: <url>" in an account's own posts and comments."""
    for acct, text in zip(store_texts["account"].tolist(), store_texts["text"].tolist(),
                          strict=True):
        if not isinstance(text, str):
            continue
        for m in _SELF_DECL.finditer(text):
            um = _URL_IN_TEXT.match(text, m.end())
            if not um:
                continue
            url = um.group(0).rstrip(".,;:!?)")
            if not url.lower().startswith("http"):
                url = "https://" + url
            targets, _ = world.target_of(url)
            for t in sorted(targets):
                if t != acct:
                    yield Link(acct, t, "self_link", METHOD_CONFIDENCE["self_link"],
                               f"own post: {text[max(0, m.start() - 20):um.end()].strip()}")


def _texts_with_declarations(store: Store) -> pd.DataFrame:
    posts = store.nodes("Post", columns=["text"])
    posts = posts[posts["text"].notna()]
    if posts.empty:
        return pd.DataFrame({"account": [], "text": []})
    hit = posts["text"].astype(str).str.contains(_SELF_DECL.pattern, case=False, regex=True)
    posts = posts[hit.to_numpy(dtype=bool)]
    if posts.empty:
        return pd.DataFrame({"account": [], "text": []})
    authored = store.edges(["AUTHORED"])
    authored = authored[authored["dst"].isin(set(posts["key"]))]
    df = authored.merge(posts, left_on="dst", right_on="key")
    return pd.DataFrame({"account": df["src"], "text": df["text"]})


def explicit_links(world: _World, texts: pd.DataFrame | None = None) -> list[Link]:
    """Every piece of explicit evidence between two accounts present in ``world``."""
    out: list[Link] = []
    acc = world.accounts
    cols = [acc[c].tolist() for c in ("key", "url", "profile_links", "rel_me", "bio", "name",
                                      "handle")]
    for key, url, links, rel_me, bio, name, _handle in zip(*cols, strict=True):
        me_blog_host = key[5:] if key.startswith("blog:") and "/" not in key else None
        urls = _listish(links) + _listish(rel_me)
        if isinstance(url, str) and url and me_blog_host:
            urls.append(url)  # a URL-only commenter: its URL is the evidence
        seen: set[str] = set()
        for u in urls:
            targets, kind = world.target_of(u)
            for t in sorted(targets):
                if t == key or t in seen:
                    continue
                if kind == "site" and me_blog_host and host_of(u) == me_blog_host:
                    method = "comment_url"
                else:
                    method = "profile_link"
                seen.add(t)
                out.append(Link(key, t, method, METHOD_CONFIDENCE[method], f"profile link: {u}"))
        text = " | ".join(x for x in (_str(bio), _str(name)) if x)
        out.extend(_bio_links(world, key, text))
    if texts is not None and len(texts):
        out.extend(_self_links(world, texts))
    return out


# -- aliases and decisions ----------------------------------------------------------


def load_aliases(source: str | Path | io.TextIOBase) -> list[tuple[str, str]]:
    """Read an alias CSV (``account,person``; accounts as keys or profile URLs).

    Raises :class:`~netmap.errors.UsageError` naming the line of a bad row.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"alias file {path} does not exist")
        text = path.read_text(encoding="utf-8-sig")
    else:
        text = source.read()
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[str, str]] = []
    for n, row in enumerate(reader, 1):
        if not row or all(not c.strip() for c in row):
            continue
        if n == 1 and [c.strip().lower() for c in row[:2]] == ["account", "person"]:
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise UsageError(f"alias file line {n}: expected 'account,person', got {row!r}")
        try:
            acct = account_ref(row[0])
        except ValueError as exc:
            raise UsageError(f"alias file line {n}: {exc}") from exc
        rows.append((acct, row[1].strip()))
    return rows


def _ref(ref: str) -> str:
    try:
        return account_ref(ref)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def decisions(store: Store) -> list[dict[str, Any]]:
    """The analyst's accept/reject decisions on candidate pairs, oldest first."""
    raw = store.meta(_META_DECISIONS)
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    return [d for d in data if isinstance(d, dict) and d.get("a") and d.get("b")]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _current_decisions(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for d in decisions(store):
        latest[_pair(d["a"], d["b"])] = d
    return latest


def decide(store: Store, a: str, b: str, decision: str, *, person: str | None = None,
           note: str | None = None) -> dict[str, Any]:
    """Record an analyst's ``accept`` or ``reject`` of the pair ``a``, ``b``.

    The latest decision on a pair wins. Run :func:`resolve` afterwards (the CLI
    does) so an acceptance becomes a BELONGS_TO with method ``analyst``.
    """
    if decision not in ("accept", "reject"):
        raise UsageError("decision must be 'accept' or 'reject'")
    a, b = _ref(a), _ref(b)
    if a == b:
        raise UsageError(f"{a} and {b} are the same account")
    for k in (a, b):
        if store.get_node("Account", k) is None:
            raise UsageError(f"account {k} is not in the store; check the key with "
                             "`netmap accounts`")
    rec: dict[str, Any] = {
        "a": a, "b": b, "decision": decision,
        "at": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if person:
        rec["person"] = person
    if note:
        rec["note"] = note
    data = decisions(store)
    data.append(rec)
    store.set_meta(_META_DECISIONS, json.dumps(data, ensure_ascii=False))
    return rec


# -- grouping -------------------------------------------------------------------------


class _Groups:
    """Union-find with cannot-link constraints (rejected pairs, distinct alias persons)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.label: dict[str, str] = {}  # root -> alias person
        self.banned: dict[str, set[str]] = defaultdict(set)  # account -> accounts never joined
        self.members: dict[str, set[str]] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        if p not in self.members:
            self.members[p] = {p}
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def conflict(self, a: str, b: str) -> str | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        la, lb = self.label.get(ra), self.label.get(rb)
        if la and lb and la != lb:
            return f"would merge alias persons {la} and {lb}"
        small, big = sorted((self.members[ra], self.members[rb]), key=len)
        for x in small:
            if self.banned.get(x, set()) & big:
                return "would merge a pair the analyst rejected"
        return None

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        if rb in self.label and ra not in self.label:
            self.label[ra] = self.label[rb]
        self.label.pop(rb, None)


def _stored_aliases(store: Store) -> list[tuple[str, str]] | None:
    raw = store.meta(_META_ALIASES)
    if not raw:
        return None
    try:
        return [(str(a), str(p)) for a, p in json.loads(raw)]
    except (ValueError, TypeError):
        return None


def resolve(
    store: Store,
    aliases: str | Path | Sequence[tuple[str, str]] | None = None,
    *,
    min_confidence: float = 0.6,
    max_claimants: int = 2,
    write: bool = True,
) -> Resolution:
    """Link accounts of one person from explicit evidence; write Person and BELONGS_TO.

    Parameters
    ----------
    store : Store
        Any netmap store.
    aliases : path or list of (account, person), optional
        The analyst's alias file. It is remembered in the store, so a later
        call without it (``netmap identities accept`` re-resolves) keeps it;
        pass ``[]`` to forget it.
    min_confidence : float
        Links below this confidence are not used.
    max_claimants : int
        A profile or blog claimed by more accounts than this on one platform is
        treated as an affiliation and its links are dropped.
    write : bool
        Replace the store's BELONGS_TO relationships and Person nodes
        (default); False only computes.

    Returns
    -------
    Resolution
    """
    if aliases is None:
        alias_rows = _stored_aliases(store) or []
    elif isinstance(aliases, (str, Path)):
        alias_rows = load_aliases(aliases)
    else:
        alias_rows = [(_ref(a), str(p)) for a, p in aliases]
    world = _World.from_store(store)
    links = explicit_links(world, _texts_with_declarations(store))

    # Affiliations: one target claimed by many accounts of a platform.
    dropped: list[tuple[Link, str]] = []
    claim: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lk in links:
        claim[(lk.b, world.platform.get(lk.a, ""))].add(lk.a)
    kept: list[Link] = []
    for lk in links:
        n = len(claim[(lk.b, world.platform.get(lk.a, ""))])
        if n > max_claimants:
            dropped.append((lk, f"{lk.b} is claimed by {n} {world.platform.get(lk.a)} accounts"))
        elif lk.confidence < min_confidence:
            dropped.append((lk, "below min_confidence"))
        else:
            kept.append(lk)

    # Merge evidence per pair: both directions make a mutual link.
    by_pair: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for lk in kept:
        by_pair[_pair(lk.a, lk.b)].append(lk)
    current = _current_decisions(store)
    missing = sorted({a for a, _ in alias_rows if a not in world.keys})
    for (a, b), d in sorted(current.items()):
        if d["decision"] == "accept" and a in world.keys and b in world.keys:
            by_pair[(a, b)].append(Link(d["a"], d["b"], "analyst", 1.0,
                                        f"accepted by the analyst {d.get('at', '')}".strip()))
    pair_links: list[tuple[float, str, str, Link]] = []
    for (a, b), lks in by_pair.items():
        best = max(lks, key=lambda x: (x.confidence, x.method))
        froms = {x.a for x in lks}
        conf = best.confidence
        if len(froms) == 2 and best.method not in ("analyst", "alias"):
            conf = max(conf, _MUTUAL)
            best = Link(best.a, best.b, best.method, conf,
                        best.evidence + "; and back: "
                        + next(x.evidence for x in lks if x.a != best.a))
        pair_links.append((conf, a, b, best))
    pair_links.sort(key=lambda t: (-t[0], t[1], t[2]))

    groups = _Groups()
    for (a, b), d in current.items():
        if d["decision"] == "reject":
            groups.banned[a].add(b)
            groups.banned[b].add(a)
    alias_of: dict[str, str] = {}
    first_of_person: dict[str, str] = {}
    for acct, person in alias_rows:
        if acct not in world.keys:
            continue
        alias_of[acct] = person
        r = groups.find(acct)
        if person in first_of_person:
            groups.union(first_of_person[person], acct)
            r = groups.find(acct)
        else:
            first_of_person[person] = acct
        groups.label[r] = person
    # Accepted pairs with a chosen person name behave like alias rows for both accounts.
    for (a, b), d in current.items():
        if d["decision"] == "accept" and d.get("person"):
            for acct in (a, b):
                if acct in world.keys and acct not in alias_of:
                    alias_of[acct] = d["person"]
                    r = groups.find(acct)
                    if d["person"] in first_of_person:
                        groups.union(first_of_person[d["person"]], acct)
                    else:
                        first_of_person[d["person"]] = acct
                        groups.label[r] = d["person"]
    used: list[Link] = []
    for _conf, a, b, lk in pair_links:
        why = groups.conflict(a, b)
        if why:
            dropped.append((lk, why))
            continue
        groups.union(a, b)
        used.append(lk)

    # Memberships: each account with its strongest incident link.
    best_for: dict[str, tuple[float, Link, str]] = {}
    for lk in used:
        for me, other in ((lk.a, lk.b), (lk.b, lk.a)):
            cur = best_for.get(me)
            if cur is None or lk.confidence > cur[0]:
                best_for[me] = (lk.confidence, lk, other)
    rows = []
    comps: dict[str, list[str]] = defaultdict(list)
    for acct in set(best_for) | set(alias_of):
        comps[groups.find(acct)].append(acct)
    for root, members in comps.items():
        if len(members) < 2 and members[0] not in alias_of:
            continue
        person = groups.label.get(root) or "person:" + min(members)
        for acct in sorted(members):
            if acct in alias_of and alias_of[acct] == person:
                rows.append((acct, person, "alias", 1.0, f"alias file: {acct},{person}", ""))
            elif acct in best_for:
                conf, lk, other = best_for[acct]
                rows.append((acct, person, lk.method, conf, lk.evidence, other))
            else:
                rows.append((acct, person, "alias", 1.0, f"alias file: {acct}", ""))
    memberships = pd.DataFrame(rows, columns=["account", "person", "method", "confidence",
                                              "evidence", "via"])
    memberships = memberships.sort_values(["person", "account"]).reset_index(drop=True)
    params = {"min_confidence": min_confidence, "max_claimants": max_claimants,
              "aliases": len(alias_rows)}
    res = Resolution(memberships=memberships, links=used, dropped=dropped, params=params,
                     missing_aliases=missing)
    if write:
        if aliases is not None:
            store.set_meta(_META_ALIASES, json.dumps(alias_rows, ensure_ascii=False))
        _write(store, res, world)
    return res


def _write(store: Store, res: Resolution, world: _World) -> None:
    m = res.memberships
    old = store.nodes("Person", columns=[])
    store.delete_edges("BELONGS_TO")
    run = store.begin_run("identities resolve", [], res.params)
    batch = Batch(_SOURCE)
    for person, grp in m.groupby("person", sort=True):
        accts = grp["account"].tolist()
        names = world.accounts.set_index("key").reindex(accts)["name"]
        name = next((n for n in names.tolist() if isinstance(n, str) and n), None)
        batch.node("Person", str(person), name=name, n_accounts=len(accts), accounts=accts,
                   platforms=sorted({world.platform.get(a, a.partition(":")[0]) for a in accts}),
                   methods=sorted(set(grp["method"])))
        for r in grp.itertuples(index=False):
            batch.edge("BELONGS_TO", "Account", r.account, "Person", str(person),
                       method=r.method, confidence=float(r.confidence), evidence=r.evidence,
                       via=r.via or None)
    store.write_batch(batch, run)
    stale = sorted(set(old["key"]) - set(m["person"]))
    if stale:
        store.delete_nodes("Person", stale)
    store.end_run(run, read=len(m), stored=len(m), rejected=0)


# -- reading results -------------------------------------------------------------------


def persons_map(store: Store) -> dict[str, str]:
    """``{account key: person key}`` for every account that BELONGS_TO a Person."""
    e = store.edges(["BELONGS_TO"])
    return dict(zip(e["src"].tolist(), e["dst"].tolist(), strict=True))


def persons_table(store: Store) -> pd.DataFrame:
    """One row per linked account: person, account, platform, name, method, confidence, evidence."""
    e = store.edges(["BELONGS_TO"], columns=["method", "confidence", "evidence"])
    acc = store.nodes("Account", columns=["platform", "name"])
    df = e.rename(columns={"src": "account", "dst": "person"})[
        ["person", "account", "method", "confidence", "evidence"]]
    df = df.merge(acc.rename(columns={"key": "account"}), on="account", how="left")
    return df[["person", "account", "platform", "name", "method", "confidence", "evidence"]] \
        .sort_values(["person", "account"]).reset_index(drop=True)


# -- fuzzy candidates ---------------------------------------------------------------------


def score_pair(handle_a: str, name_a: str, handle_b: str, name_b: str) -> dict[str, float]:
    """How alike two accounts look: ``score`` plus its parts ``handle`` and ``name``.

    ``handle`` compares handle skeletons with
    :func:`~netmap.resolve.translit.agreement` (equal handles of 5+ characters
    score 1, shorter ones 0.8: short handles collide by chance); ``name`` is the best
    of name-vs-name and name-vs-handle similarity across scripts. ``score`` is
    ``0.55 * handle + 0.45 * name`` when both sides have a name, else
    ``0.9 * handle``.
    """
    ha, hb = handle_skeleton(handle_a) if handle_a else "", handle_skeleton(handle_b) if handle_b else ""
    if ha and hb and len(ha) >= 3 and len(hb) >= 3:
        if ha == hb:
            hs = 1.0 if len(ha) >= 5 else 0.8
        else:
            hs = agreement(ha, hb)
            # Handles that differ only in a number belong to different people as often as not.
            if re.sub(r"\d+", "", ha) == re.sub(r"\d+", "", hb) and ha != hb:
                hs = min(hs, 0.75)
    else:
        hs = 0.0
    ns = 0.0
    if name_a and name_b:
        ns = name_similarity(name_a, name_b)
    cross = 0.0
    if name_a and handle_b:
        cross = max(cross, name_similarity(name_a, re.sub(r"\d+", "", handle_b)))
    if name_b and handle_a:
        cross = max(cross, name_similarity(name_b, re.sub(r"\d+", "", handle_a)))
    name_part = max(ns, cross)
    if name_a and name_b:
        score = 0.55 * hs + 0.45 * name_part
    else:
        score = 0.9 * max(hs, cross)
    return {"score": round(score, 4), "handle": round(hs, 4), "name": round(name_part, 4)}


def _block_keys(handle: str, name: str) -> list[str]:
    keys: list[str] = []
    h = handle_skeleton(handle) if handle else ""
    if len(h) >= 3:
        keys.append("h:" + h)
        keys.append("h:" + re.sub(r"\d+", "", h))
        if len(h) >= 4:
            keys.append("p:" + h[:4])
    toks = name_tokens(name) if name else []
    if toks:
        joined = "".join(toks)
        if len(joined) >= 5:
            keys.append("h:" + joined)
        long_toks = [t for t in toks if len(t) >= 2]
        if len(long_toks) >= 2:
            keys.append("n:" + "|".join(sorted(long_toks)))
        if len(toks) >= 2:
            keys.append("f:" + toks[0] + "|" + toks[-1][0])
            keys.append("f:" + toks[-1] + "|" + toks[0][0])
    return keys


def candidates(
    store: Store,
    *,
    min_score: float = 0.85,
    limit: int | None = None,
    max_block: int = 100,
) -> pd.DataFrame:
    """Accounts on different platforms that look like one person, for the analyst to decide.

    Pairs are found by blocking on handle and name skeletons (a block with
    more than ``max_block`` accounts is too common a name to mean anything and
    is skipped), then scored with :func:`score_pair`. Pairs already in one
    Person, pairs the analyst decided on, and pairs between two persons the
    analyst told apart (a rejection covers all accounts of each side's
    person) are left out. Nothing is merged.

    Returns
    -------
    DataFrame
        ``a, b, score, handle, name, a_name, b_name`` sorted by score.
    """
    world = _World.from_store(store)
    acc = world.accounts
    pm = persons_map(store)
    cur = _current_decisions(store)
    keys = acc["key"].astype(str).tolist()
    plat = [_platform(k, p) for k, p in zip(keys, acc["platform"].tolist(), strict=True)]
    handles = [_str(h) or k.partition(":")[2] for k, h in zip(keys, acc["handle"].tolist(),
                                                             strict=True)]
    runs = defaultdict(set)
    for host, accts in world.owners.items():
        for a in accts:
            runs[a].add(host)
    for i, k in enumerate(keys):
        if plat[i] in ("blog", "web"):
            # A blog author's "handle" is their display name (no evidence twice); the name
            # a blogger chose is the blog's host label, and only for the blog they run.
            hosts = sorted(runs.get(k, ()))
            handles[i] = hosts[0].split(".")[0] if len(hosts) == 1 else ""
    names = [_str(n) for n in acc["name"].tolist()]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        for bk in set(_block_keys(handles[i], names[i])):
            blocks[bk].append(i)
    # A rejection holds for the whole person on each side ("not Nigoh" covers all of Nigoh's
    # accounts).
    rejected = {_pair(pm.get(a, a), pm.get(b, b)) for (a, b), d in cur.items()
                if d["decision"] == "reject"}
    seen: set[tuple[int, int]] = set()
    rows = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        for x in range(len(members)):
            i = members[x]
            for y in range(x + 1, len(members)):
                j = members[y]
                if plat[i] == plat[j]:
                    continue
                pair = (i, j) if i < j else (j, i)
                if pair in seen:
                    continue
                seen.add(pair)
                a, b = keys[pair[0]], keys[pair[1]]
                if pm.get(a) is not None and pm.get(a) == pm.get(b):
                    continue
                if _pair(a, b) in cur or _pair(pm.get(a, a), pm.get(b, b)) in rejected:
                    continue
                s = score_pair(handles[pair[0]], names[pair[0]], handles[pair[1]],
                               names[pair[1]])
                if s["score"] >= min_score:
                    rows.append((a, b, s["score"], s["handle"], s["name"], names[pair[0]] or None,
                                 names[pair[1]] or None))
    df = pd.DataFrame(rows, columns=["a", "b", "score", "handle", "name", "a_name", "b_name"])
    df = df.sort_values(["score", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)
    return df.head(limit) if limit else df


# -- analyses on persons -----------------------------------------------------------------


def collapse_to_persons(ag: ActorGraph, persons: Mapping[str, str] | None = None) -> ActorGraph:
    """The actor graph with each person's accounts contracted into one vertex.

    Parameters
    ----------
    ag : ActorGraph
        From :func:`netmap.analysis.project.actor_graph`.
    persons : mapping, optional
        ``{account key: person key}``, e.g. :func:`persons_map`; by default the
        ``person`` column of ``ag.accounts``. Accounts without a person stay
        vertices of their own (their key is kept).

    Returns
    -------
    ActorGraph
        Vertices are persons (key = person key) and unlinked accounts;
        ``accounts`` gains ``accounts`` (member keys) and ``n_accounts``;
        ``platform`` is the members' platforms joined with ``+``; ``group`` is
        the members' most common group. Ties between members of one person
        disappear; parallel ties are summed (weights and ``n_<type>``).
    """
    import igraph as ig

    from ..analysis.project import INTERACTION_TYPES, ActorGraph

    acc = ag.accounts
    keys = acc["key"].astype(str).tolist()
    if persons is None:
        if "person" not in acc:
            raise UsageError("no person mapping: pass persons=persons_map(store) "
                             "(run `netmap identities resolve` first)")
        persons = {k: p for k, p in zip(keys, acc["person"].tolist(), strict=True)
                   if isinstance(p, str) and p}
    target = [persons.get(k, k) for k in keys]
    codes, uniq = pd.factorize(pd.Series(target, dtype=object))
    order = np.argsort(np.asarray(uniq, dtype=str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    vid = rank[codes]  # new vertex of each old vertex, vertices sorted by key
    new_keys = np.asarray(uniq, dtype=object)[order]

    grouped = acc.assign(_v=vid).groupby("_v", sort=True)
    rows = []
    for v, grp in grouped:
        members = grp["key"].astype(str).tolist()
        plats = sorted({str(p) for p in grp["platform"].tolist() if isinstance(p, str)})
        groups_ = [g for g in grp.get("group", pd.Series(dtype=object)).tolist()
                   if isinstance(g, str) and g]
        group = pd.Series(groups_).mode().iloc[0] if groups_ else None
        name = next((n for n in grp["name"].tolist() if isinstance(n, str) and n), None) \
            if "name" in grp else None
        handle = next((h for h in grp["handle"].tolist() if isinstance(h, str) and h), None) \
            if "handle" in grp else None
        url = next((u for u in grp["url"].tolist() if isinstance(u, str) and u), None) \
            if "url" in grp else None
        rows.append({"key": str(new_keys[v]), "platform": "+".join(plats), "handle": handle,
                     "name": name, "url": url, "group": group, "n_accounts": len(members),
                     "accounts": members})
    vacc = pd.DataFrame(rows, columns=["key", "platform", "handle", "name", "url", "group",
                                       "n_accounts", "accounts"])

    e = ag.edges
    src = vid[e["source"].to_numpy(dtype=np.int64)]
    dst = vid[e["target"].to_numpy(dtype=np.int64)]
    keep = src != dst
    n = len(vacc)
    pair = src[keep] * np.int64(max(n, 1)) + dst[keep]
    uniq_pair, inv = np.unique(pair, return_inverse=True)
    weight = np.bincount(inv, weights=e["weight"].to_numpy(dtype=float)[keep],
                         minlength=len(uniq_pair))
    s_new, t_new = uniq_pair // max(n, 1), uniq_pair % max(n, 1)
    vkeys = pd.Index(vacc["key"].astype(str).to_numpy(dtype=object))
    plat_sets = [set(p.split("+")) for p in vacc["platform"].tolist()]
    cross = np.array([plat_sets[a] != plat_sets[b] for a, b in
                      zip(s_new.tolist(), t_new.tolist(), strict=True)], dtype=bool)
    edf = pd.DataFrame({
        "src": pd.Categorical.from_codes(s_new, categories=vkeys),
        "dst": pd.Categorical.from_codes(t_new, categories=vkeys),
        "source": s_new, "target": t_new, "weight": weight, "cross_platform": cross,
    })
    counts = {}
    for t in INTERACTION_TYPES:
        col = f"n_{t}"
        if col in e:
            counts[col] = np.bincount(inv, weights=e[col].to_numpy(dtype=float)[keep],
                                      minlength=len(uniq_pair)).astype(np.int64)
            edf[col] = counts[col]
    g = ig.Graph(n=n, directed=True)
    if len(uniq_pair):
        g.add_edges(np.column_stack([s_new, t_new]))
    g.vs["name"] = vkeys.tolist()
    g.vs["platform"] = vacc["platform"].astype(str).tolist()
    g.es["weight"] = weight.tolist()
    g.es["cross_platform"] = cross.tolist()
    for col, vals in counts.items():
        g.es[col] = vals.tolist()
    basis = json.dumps([ag.fingerprint, sorted(persons.items())], sort_keys=True)
    fp = hashlib.sha256(basis.encode()).hexdigest()[:16]
    return ActorGraph(graph=g, accounts=vacc, edges=edf, weights=dict(ag.weights),
                      since=ag.since, until=ag.until, fingerprint=fp)


# -- evaluation --------------------------------------------------------------------------


def _pairs_of(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for g in groups:
        members = sorted(set(g))
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                out.add((members[i], members[j]))
    return out


def evaluate_links(predicted: Mapping[str, str], truth: Mapping[str, Iterable[str]],
                   *, only: Iterable[str] | None = None) -> dict[str, float]:
    """Pairwise precision, recall and F1 of account -> person assignments.

    ``predicted`` maps account -> person; ``truth`` maps person -> accounts.
    ``only`` restricts the truth to those persons (e.g. the ones planted with
    explicit evidence); predicted pairs touching accounts of other truth
    persons are then ignored rather than counted as errors.
    """
    wanted = set(only) if only is not None else None
    true_groups = [v for k, v in truth.items() if wanted is None or k in wanted]
    tp_pairs = _pairs_of(true_groups)
    excluded = set()
    if wanted is not None:
        excluded = {a for k, v in truth.items() if k not in wanted for a in v}
    by_person: dict[str, list[str]] = defaultdict(list)
    for a, p in predicted.items():
        by_person[p].append(a)
    pred_pairs = {pr for pr in _pairs_of(by_person.values())
                  if not (pr[0] in excluded or pr[1] in excluded)}
    tp = len(tp_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(tp_pairs) if tp_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "true_pairs": len(tp_pairs), "predicted_pairs": len(pred_pairs), "tp": tp}
