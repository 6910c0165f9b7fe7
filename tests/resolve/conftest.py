"""Small hand-built stores for identity and cross-posting tests.

Records are written through real Batches, the way collectors write them, with
keys from :mod:`netmap.keys` and the graph conventions of DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from netmap.keys import blog_account_key, url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "tajikistan-2013"


@dataclass
class Builder:
    """Accumulates one Batch of accounts, posts and relationships."""

    batch: Batch = field(default_factory=lambda: Batch("test"))
    n: int = 0

    def account(self, key: str, **props: object) -> str:
        props.setdefault("platform", key.split(":", 1)[0])
        self.batch.node("Account", key, **props)
        return key

    def blog_post(self, host: str, author: str, slug: str, created_at: str, *,
                  title: str | None = None, text: str | None = None) -> str:
        url = f"https://{host}/{slug}/"
        key = url_key(url)
        acc = self.account(blog_account_key(host, author), handle=author, name=author)
        self.batch.node("Post", key, platform="blog", kind="post", url=url, title=title or slug,
                        text=text, created_at=created_at)
        self.batch.edge("AUTHORED", "Account", acc, "Post", key)
        return key

    def post(self, key: str, author: str, platform: str, created_at: str, text: str = "", *,
             kind: str = "post") -> str:
        self.account(author)
        self.batch.node("Post", key, platform=platform, kind=kind, text=text or None,
                        created_at=created_at)
        self.batch.edge("AUTHORED", "Account", author, "Post", key)
        return key

    def comment(self, host: str, author: str, parent: str, created_at: str, text: str) -> str:
        self.n += 1
        key = f"blog:{host}:comment:{self.n}"
        self.account(author, handle=author.split("/")[-1])
        self.batch.node("Post", key, platform="blog", kind="comment", text=text,
                        created_at=created_at)
        self.batch.edge("AUTHORED", "Account", author, "Post", key)
        self.batch.edge("REPLIES_TO", "Post", key, "Post", parent)
        return key

    def rel(self, type_: str, src: str, dst: str, dst_label: str = "Post") -> None:
        self.batch.edge(type_, "Post", src, dst_label, dst)

    def write(self, store: SQLiteStore) -> SQLiteStore:
        run = store.begin_run("test", [], {})
        store.write_batch(self.batch, run)
        store.end_run(run, read=0, stored=0, rejected=0)
        self.batch = Batch("test")
        return store


@pytest.fixture
def store(tmp_path: Path):
    s = SQLiteStore(tmp_path / "resolve.db")
    yield s
    s.close()


@pytest.fixture
def build() -> Builder:
    return Builder()
