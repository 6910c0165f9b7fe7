"""Privacy tools: a pseudonymising read-only view of a store, and forgetting an account.

:class:`PseudonymStore` wraps any :class:`~netmap.store.base.Store` and answers its read
methods with account identities replaced by stable salted hashes (HMAC-SHA256), so an export
can be shared without naming anyone::

    exporter.export(PseudonymStore(store), "out.html")

The same salt gives the same pseudonyms, so repeated exports line up. Structure (who
interacts with whom), platforms, stance groups, communities and metrics stay.

:func:`forget` deletes one account (and, optionally, what it wrote) from a store.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .errors import UsageError

__all__ = ["PseudonymStore", "forget", "pseudonym_salt", "SALT_ENV", "SALT_META"]

SALT_ENV = "NETMAP_PSEUDONYM_SALT"
SALT_META = "pseudonym_salt"

# Account properties that identify a person; dropped or replaced. Everything else
# (platform, group, community, metrics) is kept.
_ACCOUNT_DROP = ("url", "bio", "profile_links", "name", "handle", "author_id", "email")
# Free-text and link properties of other nodes, scrubbed of identities or dropped.
_TEXT_PROPS = ("text", "title", "name", "tag")
_LINK_PROPS = ("url", "profile_links", "author_id", "domain")
_MIN_TOKEN = 3  # shorter handles would match inside ordinary words
_PLATFORM_ID = re.compile(r"^[a-z]+:\d+$")  # a post key that is only a numeric id


def pseudonym_salt(store: Any, salt: str | bytes | None = None) -> bytes:
    """The salt to use: ``salt``, else ``$NETMAP_PSEUDONYM_SALT``, else one kept in the store.

    A random salt is created on first use and stored in the store's metadata, so exports of
    the same store keep the same pseudonyms without anyone choosing a salt.
    """
    if salt is None:
        salt = os.environ.get(SALT_ENV) or None
    if salt is None:
        salt = store.meta(SALT_META)
        if not salt:
            salt = secrets.token_hex(16)
            store.set_meta(SALT_META, salt)
    return salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)


class PseudonymStore:
    """A read-only view of ``store`` with account identities replaced by salted hashes.

    Parameters
    ----------
    store
        Any store (SQLite or Neo4j).
    salt
        HMAC key; default :func:`pseudonym_salt` (environment, else kept in the store).

    Notes
    -----
    Accounts become ``<platform>:u_<10 hex>`` with ``handle`` set to the same ``u_…`` value;
    their names, URLs, bios and profile links are dropped. Persons become ``person:p_…``.
    Node keys of other labels that contain a handle, name or blog host (tweet URLs, blog post
    URLs, blog sites) are hashed the same way, relationship endpoints follow, and texts and
    titles have every handle and name replaced by its pseudonym. Write methods raise.

    Examples
    --------
    >>> view = PseudonymStore(store, salt="team-secret")  # doctest: +SKIP
    >>> view.nodes("Account", ["handle"]).head(1)  # doctest: +SKIP
    """

    def __init__(self, store: Any, salt: str | bytes | None = None) -> None:
        self._store = store
        self._salt = pseudonym_salt(store, salt)
        self.uri = getattr(store, "uri", "")
        self._keymap: dict[tuple[str, str], str] | None = None
        self._scrub_re: re.Pattern[str] | None = None
        self._tokens: dict[str, str] = {}

    # -- pseudonyms -----------------------------------------------------------------------
    def _digest(self, value: str, n: int = 10) -> str:
        return hmac.new(self._salt, value.encode("utf-8"), hashlib.sha256).hexdigest()[:n]

    def account_pseudonym(self, key: str) -> str:
        """``twitter:alice`` -> ``twitter:u_3f9a1c2b7d`` (stable for a given salt)."""
        platform = key.split(":", 1)[0] if ":" in key else "account"
        return f"{platform}:u_{self._digest('Account|' + key)}"

    def _prepare(self) -> None:
        if self._keymap is not None:
            return
        keymap: dict[tuple[str, str], str] = {}
        tokens: dict[str, str] = {}
        acc = self._store.nodes("Account", ["handle", "name", "url"])
        for key, handle, name, url in acc.itertuples(index=False, name=None):
            pseudo = self.account_pseudonym(key)
            keymap[("Account", key)] = pseudo
            short = pseudo.split(":", 1)[1]
            ident = key.split(":", 1)[1] if ":" in key else key
            parts = {ident, *re.split(r"[/@]", ident)}
            for value in (handle, name, *parts):
                if isinstance(value, str) and len(value.strip()) >= _MIN_TOKEN:
                    tokens.setdefault(value.strip().lower(), short)
            if isinstance(url, str):
                host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0]
                if host and host not in _SHARED_HOSTS and len(host) >= _MIN_TOKEN:
                    tokens.setdefault(host, short)
        for key in self._store.nodes("Person", []).get("key", []):
            keymap[("Person", key)] = f"person:p_{self._digest('Person|' + key)}"
        self._tokens = tokens
        if tokens:
            alternation = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
            # Whole words only, so a handle "ann" does not rewrite "announce".
            self._scrub_re = re.compile(rf"(?<![\w.-])(?:{alternation})(?![\w-])", re.I)
        self._keymap = keymap

    def scrub(self, text: Any) -> Any:
        """Replace every known handle, name or blog host inside ``text`` by its pseudonym."""
        self._prepare()
        if not isinstance(text, str) or self._scrub_re is None:
            return text
        return self._scrub_re.sub(lambda m: self._tokens[m.group(0).lower()], text)

    def map_key(self, label: str, key: str) -> str:
        """The pseudonymous key of a node."""
        self._prepare()
        assert self._keymap is not None
        hit = self._keymap.get((label, key))
        if hit is not None:
            return hit
        if label == "Account":
            return self.account_pseudonym(key)
        if label == "Person":
            return f"person:p_{self._digest('Person|' + key)}"
        if label in ("Post", "Site", "Url") and not _PLATFORM_ID.match(key):
            if self.scrub(key) != key or label == "Post" and "twitter.com/" in key:
                prefix = key.split(":", 1)[0] if _looks_prefixed(key) else label.lower()
                return f"{prefix}:h_{self._digest(label + '|' + key)}"
        return key

    # -- frames ---------------------------------------------------------------------------
    def _node_frame(self, label: str, df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        if "key" in df.columns:
            df["key"] = [self.map_key(label, k) for k in df["key"]]
        if label in ("Account", "Person"):
            for col in _ACCOUNT_DROP:
                if col in df.columns:
                    if col in ("handle", "name"):
                        df[col] = [k.split(":", 1)[1] for k in df["key"]] if "key" in df else None
                    else:
                        df[col] = None
        else:
            for col in _TEXT_PROPS:
                if col in df.columns:
                    df[col] = [self.scrub(v) for v in df[col]]
            for col in _LINK_PROPS:
                if col in df.columns:
                    df[col] = [None if isinstance(v, str) and self.scrub(v) != v else v
                               for v in df[col]]
            if "url" in df.columns and label == "Post":
                df["url"] = None  # tweet and blog URLs name their authors
        for col in ("source", "run"):
            if col in df.columns:  # provenance holds input paths, which can name people
                df[col] = None
        return df

    # -- Store read methods ---------------------------------------------------------------
    def nodes(self, label: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        return self._node_frame(label, self._store.nodes(label, columns))

    def edges(self, types: Sequence[str] | None = None, columns: Sequence[str] = ()) -> pd.DataFrame:
        df = self._store.edges(types, columns).copy()
        if not df.empty:
            for end in ("src", "dst"):
                df[end] = [self.map_key(lab, k) for lab, k in zip(df[f"{end}_label"], df[end],
                                                                  strict=True)]
        for col in columns:
            if col in df.columns and df[col].dtype == object:
                df[col] = [self.scrub(v) for v in df[col]]
        return df

    def counts(self) -> dict[str, dict[str, int]]:
        return self._store.counts()

    def get_node(self, label: str, key: str) -> dict[str, Any] | None:
        """A node by its pseudonymous key (or its real key)."""
        self._prepare()
        real = key
        if label in ("Account", "Person"):
            reverse = {v: k for (lab, k), v in (self._keymap or {}).items() if lab == label}
            real = reverse.get(key, key)
        node = self._store.get_node(label, real)
        if node is None:
            return None
        frame = self._node_frame(label, pd.DataFrame([node]))
        out = frame.iloc[0].to_dict()
        return {k: v for k, v in out.items() if not _isna(v)}

    def meta(self, name: str) -> str | None:
        if name == SALT_META:
            return None  # the salt would undo the pseudonyms
        value = self._store.meta(name)
        return self.scrub(value) if isinstance(value, str) else value

    def fingerprint(self) -> str:
        return f"{self._store.fingerprint()}-p{self._digest('fingerprint', 6)}"

    def runs(self) -> pd.DataFrame:
        df = self._store.runs().copy()
        for col in ("inputs", "params", "error"):
            if col in df.columns:  # input paths and URLs can name people
                df[col] = None
        return df

    # -- writes are refused ---------------------------------------------------------------
    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise UsageError("a pseudonymised view is read-only; write to the underlying store")

    begin_run = end_run = write_batch = write_edges = set_props = _read_only
    delete_nodes = delete_edges = reconcile_links = _read_only

    def set_meta(self, name: str, value: str) -> None:
        # Exporters may cache derived data in meta; keep that out of the real store.
        return None

    def close(self) -> None:
        """The wrapped store stays open: its owner closes it."""


# Hosts of shared platforms: a profile URL there does not identify the account by host.
_SHARED_HOSTS = frozenset({
    "twitter.com", "x.com", "t.me", "vk.com", "facebook.com", "ok.ru", "bsky.app",
    "mastodon.social", "www.facebook.com", "mobile.twitter.com", "wordpress.com",
    "livejournal.com", "blogspot.com",
})


def _looks_prefixed(key: str) -> bool:
    head = key.split(":", 1)[0]
    return ":" in key and head.isalpha() and head.islower() and "/" not in head


def _isna(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def forget(store: Any, account_key: str, *, posts: bool = False) -> dict[str, Any]:
    """Delete an account's node and relationships; with ``posts``, also the posts it authored.

    Parameters
    ----------
    store
        Any store (SQLite or Neo4j).
    account_key
        The account's key (``twitter:alice``).
    posts
        Also delete every Post the account AUTHORED, with their relationships.

    Returns
    -------
    dict
        ``account`` (the key), ``accounts`` and ``posts`` deleted, and ``relationships``
        removed with them.

    Raises
    ------
    UsageError
        When the account is not in the store.
    """
    if store.get_node("Account", account_key) is None:
        raise UsageError(f"account {account_key} is not in the store")
    before = sum(store.counts()["relationships"].values())
    post_keys: list[str] = []
    if posts:
        authored = store.edges(["AUTHORED"])
        mine = authored[(authored["src_label"] == "Account") & (authored["src"] == account_key)]
        post_keys = sorted(set(mine["dst"]))
    n_posts = store.delete_nodes("Post", post_keys) if post_keys else 0
    n_accounts = store.delete_nodes("Account", [account_key])
    after = sum(store.counts()["relationships"].values())
    return {"account": account_key, "accounts": int(n_accounts), "posts": int(n_posts),
            "relationships": int(before - after)}

