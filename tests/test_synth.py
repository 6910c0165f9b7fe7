"""The synthetic campaign generator: real formats, determinism, and the planted truth."""

from __future__ import annotations

import csv
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import feedparser
import pytest

from netmap.errors import UsageError
from netmap.keys import blog_account_key, profile_account, url_key
from netmap.synth import SynthSummary, generate, generate_graph


def require(available: bool, reason: str) -> None:
    """As tests/conftest.py: fail under CI (a missing component is a defect), skip elsewhere."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
    "thr": "http://purl.org/syndication/thread/1.0",
}

# Each group's vocabulary as the stance step would look for it (written here, not
# imported, so the test fails if the generator's texts drift away from it).
LEXICON = {
    "supporter": re.compile(r"стабильност|поддерживаем президента|vote for stability|stability", re.I),
    "critic": re.compile(r"имитаци|фальсификац|боятся интернета|imitation election|falsification|fear the internet", re.I),
    "boycott": re.compile(r"бойкот|не ходите на выборы|boycott", re.I),
    "neutral": re.compile(r"наблюдател|явк|observers|turnout", re.I),
}


# -- reading a synth folder back, independently of netmap's collectors ----------


def read_pages(out: Path) -> list[dict[str, Any]]:
    pages = []
    for f in sorted((out / "twitter").glob("tweets-*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                assert line.endswith("\n"), f"{f}:{n} not newline-terminated"
                pages.append(json.loads(line))
    return pages


def read_feed_posts(out: Path) -> dict[str, list[dict[str, Any]]]:
    """host -> posts from its RSS feed: link, creator, text (content + title)."""
    blogs = {}
    for f in sorted((out / "blogs").glob("*.rss.xml")):
        if f.name.endswith("-comments.rss.xml"):
            continue
        host = f.name[: -len(".rss.xml")]
        root = ET.parse(f).getroot()
        posts = []
        for item in root.iter("item"):
            posts.append({
                "link": item.findtext("link"),
                "creator": item.findtext("dc:creator", namespaces=NS),
                "title": item.findtext("title"),
                "content": item.findtext("content:encoded", namespaces=NS),
            })
        blogs[host] = posts
    return blogs


def read_comments(out: Path) -> dict[str, list[dict[str, Any]]]:
    """host -> comments: name, uri (Atom only), link, text."""
    result: dict[str, list[dict[str, Any]]] = {}
    for f in sorted((out / "blogs").glob("*-comments.*.xml")):
        host = f.name.split("-comments.")[0]
        root = ET.parse(f).getroot()
        items = []
        if f.name.endswith(".atom.xml"):
            assert root.tag == "{http://www.w3.org/2005/Atom}feed"
            for e in root.findall("atom:entry", NS):
                items.append({
                    "name": e.findtext("atom:author/atom:name", namespaces=NS),
                    "uri": e.findtext("atom:author/atom:uri", namespaces=NS),
                    "link": e.find("atom:link", NS).get("href"),
                    "parent": e.find("thr:in-reply-to", NS).get("href"),
                    "text": e.findtext("atom:content", namespaces=NS),
                })
        else:
            assert root.tag == "rss"
            for item in root.iter("item"):
                items.append({
                    "name": item.findtext("dc:creator", namespaces=NS),
                    "uri": None,
                    "link": item.findtext("link"),
                    "parent": item.findtext("link").split("#")[0],
                    "text": item.findtext("content:encoded", namespaces=NS),
                })
        result[host] = items
    return result


def comment_key(host: str, c: dict[str, Any]) -> str:
    if c["uri"]:
        key = profile_account(c["uri"])
        assert key, c["uri"]
        return key
    return blog_account_key(host, c["name"])


def load_truth(out: Path) -> dict[str, Any]:
    return json.loads((out / "truth.json").read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["account", "group"]
    return [(a, g) for a, g in rows[1:]]


class Campaign:
    """Everything read back from one synth folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.truth = load_truth(out)
        self.pages = read_pages(out)
        self.posts = read_feed_posts(out)
        self.comments = read_comments(out)
        self.users: dict[str, dict[str, Any]] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        for page in self.pages:
            for u in page["includes"]["users"]:
                self.users[u["id"]] = u
            for t in page["data"] + page["includes"].get("tweets", []):
                self.tweets[t["id"]] = t
        self.groups = self.truth["accounts"]

    def tkey(self, user_id: str) -> str:
        return "twitter:" + self.users[user_id]["username"].lower()

    def post_owner(self) -> dict[str, str]:
        """url_key of every blog post -> its author's key."""
        return {url_key(p["link"]): blog_account_key(host, p["creator"])
                for host, posts in self.posts.items() for p in posts}


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    out = tmp_path_factory.mktemp("synth") / "c300"
    summary = generate(out, accounts=300, seed=11)
    assert isinstance(summary, SynthSummary)
    return Campaign(out)


# -- tests --------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", accounts=300, seed=5)
    b = generate(tmp_path / "b", accounts=300, seed=5)
    generate(tmp_path / "c", accounts=300, seed=6)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert len(files_a) == a.files
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert (a.tweets, a.blog_posts, a.comments, a.interactions) == (
        b.tweets, b.blog_posts, b.comments, b.interactions)
    assert load_truth(tmp_path / "a") != load_truth(tmp_path / "c")
    assert (tmp_path / "a" / "twitter" / "tweets-0001.jsonl").read_bytes() != (
        tmp_path / "c" / "twitter" / "tweets-0001.jsonl").read_bytes()


def test_summary_counts_match_files(tmp_path: Path) -> None:
    s = generate(tmp_path, accounts=400, seed=3, tweets_per_file=1000)
    c = Campaign(tmp_path)
    assert s.accounts == 400 == len(c.truth["accounts"])
    assert s.tweets == sum(len(p["data"]) for p in c.pages)
    assert len(list((tmp_path / "twitter").glob("*.jsonl"))) == -(-s.tweets // 1000)
    assert s.blog_posts == sum(len(v) for v in c.posts.values())
    assert s.comments == sum(len(v) for v in c.comments.values())
    assert s.files == len([p for p in tmp_path.rglob("*") if p.is_file()])
    assert s.seconds >= 0 and s.interactions == c.truth["counts"]["interactions"]


def test_twarc2_pages_have_the_api_v2_shape(campaign: Campaign) -> None:
    assert campaign.pages
    seen: set[str] = set()
    last_page = len(campaign.pages) - 1
    for n, page in enumerate(campaign.pages):
        assert set(page) == {"data", "includes", "meta", "__twarc"}
        data = page["data"]
        assert 1 <= len(data) <= 100
        assert page["meta"]["result_count"] == len(data)
        assert page["meta"]["newest_id"] == data[0]["id"]
        assert page["meta"]["oldest_id"] == data[-1]["id"]
        assert ("next_token" in page["meta"]) == (n != last_page)
        assert page["__twarc"]["url"].startswith("https://api.twitter.com/2/tweets/search/all?")
        users = {u["id"]: u for u in page["includes"]["users"]}
        assert len(users) == len(page["includes"]["users"])
        for u in users.values():
            assert re.fullmatch(r"\w{1,15}", u["username"]), u["username"]
            assert isinstance(u["public_metrics"]["followers_count"], int)
        included = {t["id"]: t for t in page["includes"].get("tweets", [])}
        ids = [int(t["id"]) for t in data]
        assert ids == sorted(ids, reverse=True), "search results come newest first"
        for t in data + list(included.values()):
            assert {"id", "text", "author_id", "created_at", "conversation_id", "lang"} <= set(t)
            assert re.fullmatch(r"2013-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t["created_at"])
            assert t["author_id"] in users, "author missing from includes.users"
            ents = t.get("entities", {})
            for m in ents.get("mentions", []):
                assert users[m["id"]]["username"] == m["username"]
                assert t["text"][m["start"]:m["end"]] == "@" + m["username"]
            for h in ents.get("hashtags", []):
                assert t["text"][h["start"]:h["end"]] == "#" + h["tag"]
            for u in ents.get("urls", []):
                assert t["text"][u["start"]:u["end"]] == u["url"]
                assert u["url"].startswith("https://t.co/")
                assert u["expanded_url"].startswith(("http://", "https://"))
            if "in_reply_to_user_id" in t:
                assert t["in_reply_to_user_id"] in users
            for ref in t.get("referenced_tweets", []):
                assert ref["type"] in ("retweeted", "quoted", "replied_to")
                assert ref["id"] in included, "referenced tweet missing from includes.tweets"
                parent = included[ref["id"]]
                assert int(parent["id"]) < int(t["id"]) and parent["created_at"] < t["created_at"]
                if ref["type"] == "retweeted":
                    assert t["text"].startswith(f"RT @{users[parent['author_id']]['username']}: ")
                    assert t["text"].endswith(parent["text"])
                if ref["type"] == "replied_to":
                    assert t["in_reply_to_user_id"] == parent["author_id"]
                    assert t["conversation_id"] == parent["id"]
                if ref["type"] == "quoted":
                    assert any(u["expanded_url"].endswith(f"/status/{parent['id']}")
                               for u in ents["urls"])
        for t in data:
            assert t["id"] not in seen, "a tweet is written twice"
            seen.add(t["id"])
    kinds = Counter(r["type"] for p in campaign.pages for t in p["data"]
                    for r in t.get("referenced_tweets", []))
    assert kinds["retweeted"] > kinds["replied_to"] > kinds["quoted"] > 0


def test_feeds_parse_as_wordpress_feeds(campaign: Campaign) -> None:
    out = campaign.out
    post_files = [f for f in (out / "blogs").glob("*.rss.xml") if "-comments." not in f.name]
    comment_files = list((out / "blogs").glob("*-comments.*.xml"))
    assert post_files and comment_files
    assert any(f.name.endswith(".atom.xml") for f in comment_files)
    for f in post_files + comment_files:
        parsed = feedparser.parse(f.read_bytes())
        assert not parsed.bozo, (f, parsed.get("bozo_exception"))
        assert parsed.entries, f
        for e in parsed.entries:
            assert e.get("link", "").startswith("https://")
            assert e.get("author")
            assert e.get("published_parsed")
    links = {url_key(p["link"]) for posts in campaign.posts.values() for p in posts}
    for host, posts in campaign.posts.items():
        assert re.fullmatch(r"blog\d{3,}\.wordpress\.com", host)
        assert len({p["creator"] for p in posts}) == 1, "one author per blog"
    for host, comments in campaign.comments.items():
        for c in comments:
            assert re.search(r"#comment-\d+$", c["link"])
            assert url_key(c["parent"]) in links, "comment under a post that is not in any feed"
            assert url_key(c["parent"]).startswith(host + "/")
            if c["uri"]:
                assert re.fullmatch(r"https?://twitter\.com/\w+", c["uri"])


def test_every_truth_account_appears_in_the_files_and_no_other(campaign: Campaign) -> None:
    found: set[str] = {campaign.tkey(uid) for uid in campaign.users}
    for host, posts in campaign.posts.items():
        found |= {blog_account_key(host, p["creator"]) for p in posts}
    for host, comments in campaign.comments.items():
        found |= {comment_key(host, c) for c in comments}
    assert found == set(campaign.truth["accounts"])
    kinds = Counter(campaign.truth["kinds"].values())
    assert kinds["twitter"] > kinds["blog"] > kinds["commenter"] > 0
    assert 0.05 <= kinds["blog"] / 300 <= 0.10
    # Twitter accounts that comment on blogs carry their profile URL, so they are one account.
    uris = [c for cs in campaign.comments.values() for c in cs if c["uri"]]
    assert uris
    assert all(campaign.truth["kinds"][profile_account(c["uri"])] == "twitter" for c in uris)


def test_seeds_are_stratified_and_disjoint_from_truth_csv(campaign: Campaign) -> None:
    truth = campaign.truth
    seeds = read_csv(campaign.out / "seeds.csv")
    rest = read_csv(campaign.out / "truth.csv")
    assert sorted(k for k, _ in seeds) == truth["seeds"]
    assert not {k for k, _ in seeds} & {k for k, _ in rest}
    assert dict(seeds) | dict(rest) == truth["accounts"]
    sizes = Counter(truth["accounts"].values())
    per_group = Counter(g for _, g in seeds)
    for group, size in sizes.items():
        assert per_group[group] == max(1, round(0.05 * size)), group


def test_group_sizes(campaign: Campaign) -> None:
    sizes = Counter(campaign.groups.values())
    assert set(sizes) == {"supporter", "critic", "boycott", "neutral"}
    assert sum(sizes.values()) == 300
    big = [sizes[g] for g in ("supporter", "critic", "boycott")]
    assert max(big) - min(big) <= 1
    assert abs(sizes["neutral"] - min(big) / 2) <= 1


def test_custom_groups(tmp_path: Path) -> None:
    generate(tmp_path, accounts=200, seed=2, groups=("pro", "contra"), hubs_per_group=2,
             bridges=4, seed_fraction=0.1)
    truth = load_truth(tmp_path)
    sizes = Counter(truth["accounts"].values())
    assert sizes == {"pro": 100, "contra": 100}
    assert len(truth["hubs"]) == 4 and len(truth["bridges"]) == 4
    assert Counter(truth["accounts"][k] for k in truth["seeds"]) == {"pro": 10, "contra": 10}
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "twitter").glob("*.jsonl"))
    assert "#pro" in text and "#contra" in text


def _endorsements(c: Campaign) -> list[tuple[str, str, str]]:
    """(kind, source account, target account) for retweets, quotes and blog-link shares."""
    owner = c.post_owner()
    out = []
    for page in c.pages:
        for t in page["data"]:
            src = c.tkey(t["author_id"])
            refs = t.get("referenced_tweets", [])
            for r in refs:
                if r["type"] in ("retweeted", "quoted"):
                    out.append((r["type"], src, c.tkey(c.tweets[r["id"]]["author_id"])))
            if not refs:
                for u in t.get("entities", {}).get("urls", []):
                    key = url_key(u["expanded_url"])
                    if key in owner:
                        out.append(("urlshare", src, owner[key]))
    return out


def test_bridges_share_several_groups_and_are_shared_by_several(campaign: Campaign) -> None:
    ends = _endorsements(campaign)
    bridges = campaign.truth["bridges"]
    assert len(bridges) == 3  # max(3, 300 // 100)
    g = campaign.groups
    for b in bridges:
        assert campaign.truth["kinds"][b] == "twitter"
        declared = campaign.truth["bridge_groups"][b]
        assert declared[0] == g[b] and 2 <= len(declared) <= 3
        shared = Counter(g[dst] for _, src, dst in ends if src == b)
        assert len(shared) >= 2, (b, shared)
        assert set(shared) <= set(declared)
        sharers = {g[src] for _, src, dst in ends if dst == b}
        assert len(sharers) >= 2, (b, sharers)
    # Ordinary accounts endorse inside their group.
    others = [(s, d) for _, s, d in ends if s not in bridges and d not in bridges]
    assert sum(g[s] == g[d] for s, d in others) / len(others) > 0.97


def test_hubs_lead_their_group(campaign: Campaign) -> None:
    hubs = campaign.truth["hubs"]
    g = campaign.groups
    assert len(hubs) == 12
    received = Counter(dst for kind, _, dst in _endorsements(campaign) if kind == "retweeted")
    for group in set(g.values()):
        members = [k for k in g if g[k] == group and campaign.truth["kinds"][k] == "twitter"]
        top = sorted(members, key=lambda k: (-received[k], k))[:4]
        group_hubs = [h for h in hubs if g[h] == group]
        assert len(group_hubs) == 3
        assert sum(h in top for h in group_hubs) >= 2, (group, top, group_hubs)
        rest = sorted(received[k] for k in members if k not in hubs)
        assert min(received[h] for h in group_hubs) >= 2 * max(1, rest[len(rest) // 2])
        assert sum(received[h] for h in group_hubs) >= 0.2 * sum(received[k] for k in members)


def test_shared_blog_urls_exercise_canonicalisation(campaign: Campaign) -> None:
    owner = campaign.post_owner()
    raw_by_key: dict[str, set[str]] = defaultdict(set)
    for page in campaign.pages:
        for t in page["data"]:
            if t.get("referenced_tweets"):
                continue
            for u in t.get("entities", {}).get("urls", []):
                if ".wordpress.com/" in u["expanded_url"]:
                    raw_by_key[url_key(u["expanded_url"])].add(u["expanded_url"])
    assert raw_by_key
    assert set(raw_by_key) <= set(owner), "a shared blog URL does not match any post"
    raws = [r for rs in raw_by_key.values() for r in rs]
    assert any(r.startswith("http://") for r in raws)
    assert any("utm_source=" in r for r in raws)
    assert any(len(rs) > 1 for rs in raw_by_key.values())
    # Blogs link other blogs' posts, mostly of their own group.
    g = campaign.groups
    links = []
    for host, posts in campaign.posts.items():
        for p in posts:
            for href in re.findall(r'href="([^"]+)"', p["content"]):
                if url_key(href) in owner:
                    links.append((blog_account_key(host, p["creator"]), owner[url_key(href)]))
    assert links
    assert sum(g[a] == g[b] for a, b in links) / len(links) > 0.8


def test_cross_group_replies_make_the_requested_share(campaign: Campaign) -> None:
    g = campaign.groups
    n_cross = 0
    for page in campaign.pages:
        for t in page["data"]:
            for r in t.get("referenced_tweets", []):
                if r["type"] == "replied_to":
                    parent = campaign.tweets[r["id"]]
                    n_cross += g[campaign.tkey(t["author_id"])] != g[campaign.tkey(parent["author_id"])]
    owner = campaign.post_owner()
    for host, comments in campaign.comments.items():
        for c in comments:
            n_cross += g[comment_key(host, c)] != g[owner[url_key(c["parent"])]]
    total = campaign.truth["counts"]["interactions"]
    assert abs(n_cross / total - 0.2) < 0.02
    edges, truth = generate_graph(2000, seed=4, cross_reply_share=0.35)
    gg = truth["accounts"]
    cross = edges.src.map(gg).astype(str) != edges.dst.map(gg).astype(str)
    share = (cross & (edges.type == "REPLIES_TO")).mean()
    assert abs(share - 0.35) < 0.01


def _own_texts(c: Campaign) -> dict[str, list[str]]:
    """What each account wrote itself (retweets excluded: those are someone else's words)."""
    texts: dict[str, list[str]] = defaultdict(list)
    for t in c.tweets.values():
        if any(r["type"] == "retweeted" for r in t.get("referenced_tweets", [])):
            continue
        texts[c.tkey(t["author_id"])].append(t["text"])
    for host, posts in c.posts.items():
        for p in posts:
            body = re.sub(r"<a [^>]*>[^<]*</a>", "", p["content"])  # anchors name other bloggers
            texts[blog_account_key(host, p["creator"])].append(p["title"] + " " + body)
    for host, comments in c.comments.items():
        for cm in comments:
            texts[comment_key(host, cm)].append(cm["text"])
    return texts


def test_lexicon_evidence_only_for_vocal_accounts(campaign: Campaign) -> None:
    vocal = set(campaign.truth["lexicon"])
    g = campaign.groups
    assert 0.25 <= len(vocal) / len(g) <= 0.4
    assert set(campaign.truth["hubs"]) <= vocal
    texts = _own_texts(campaign)
    for acct, group in g.items():
        hits = {name for name, rx in LEXICON.items() for t in texts[acct] if rx.search(t)}
        if acct in vocal:
            assert hits == {group}, (acct, group, hits)
        else:
            assert not hits, (acct, hits, texts[acct])
    langs = Counter(t["lang"] for t in campaign.tweets.values())
    assert langs["ru"] > langs["en"] > 0


def test_generate_graph_matches_the_planted_truth(tmp_path: Path) -> None:
    edges, truth = generate_graph(300, seed=11, interactions_per_account=10)
    files_truth = generate(tmp_path, accounts=300, seed=11)
    on_disk = load_truth(tmp_path)
    for key in ("accounts", "hubs", "bridges", "seeds", "lexicon", "bridge_groups", "kinds"):
        assert truth[key] == on_disk[key], key
    assert list(edges.columns) == ["src", "dst", "type", "kind"]
    assert len(edges) == files_truth.interactions
    assert 2990 <= len(edges) <= 3000  # a few self-interactions are dropped
    assert set(edges.type.cat.categories) == {"SHARES", "QUOTES", "MENTIONS", "REPLIES_TO", "LINKS_TO"}
    assert list(edges.src.cat.categories) == list(edges.dst.cat.categories)
    assert set(edges.src.cat.categories) == set(truth["accounts"])
    assert not (edges.src.astype(str) == edges.dst.astype(str)).any()
    again, _ = generate_graph(300, seed=11)
    assert edges.equals(again)
    other, _ = generate_graph(300, seed=12)
    assert not edges.equals(other)
    kinds = truth["kinds"]
    links = edges[edges.type == "LINKS_TO"]
    assert all(kinds[s] == "blog" and kinds[d] == "blog" for s, d in zip(links.src, links.dst, strict=True))
    named = edges[edges.src.map(kinds).astype(str) == "commenter"]
    assert len(named) and set(named.kind) == {"comment"}


def test_generate_graph_scales(tmp_path: Path) -> None:
    edges, truth = generate_graph(200_000, seed=1, interactions_per_account=5)
    assert len(edges) == 1_000_000
    assert truth["counts"]["seconds"] < 20
    assert edges.src.cat.codes.dtype.itemsize <= 4


@pytest.mark.parametrize("kwargs", [
    {"accounts": 20},
    {"accounts": 300, "groups": ()},
    {"accounts": 300, "groups": ("a", "a")},
    {"accounts": 300, "seed_fraction": 1.5},
    {"accounts": 300, "cross_reply_share": 1.0},
    {"accounts": 300, "start": "15 Oct 2013"},
    {"accounts": 300, "days": 0},
])
def test_bad_parameters_are_usage_errors(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        generate(tmp_path, **kwargs)


def _collectors_available() -> bool:
    try:
        from netmap.collect import get_collector

        get_collector("feeds")
        get_collector("twitter")
    except Exception:
        return False
    return True


def test_collectors_read_every_truth_account(tmp_path: Path) -> None:
    require(_collectors_available(), "netmap.collect.feeds / netmap.collect.twitter not available")
    from netmap.collect import CollectOptions, Source, get_collector
    from netmap.store.sqlite import SQLiteStore

    out = tmp_path / "c"
    generate(out, accounts=300, seed=21)
    store = SQLiteStore(tmp_path / "s.db")
    try:
        run = store.begin_run("collect", [str(out)], {})
        read = stored = rejected = 0
        for f in sorted(out.rglob("*")):
            if f.suffix not in (".jsonl", ".xml"):
                continue
            name = "twitter" if f.suffix == ".jsonl" else "feeds"
            for batch in get_collector(name).read(Source.from_path(f), CollectOptions()):
                store.write_batch(batch, run)
                read += batch.read
                stored += batch.stored
                rejected += len(batch.rejects)
        store.reconcile_links()
        assert rejected == 0 and read == stored > 0
        truth = load_truth(out)
        accounts = set(store.nodes("Account", ["platform"])["key"])
        missing = set(truth["accounts"]) - accounts
        assert not missing, sorted(missing)[:10]
        # ... and no other: an extra account would be a key the generator and collectors disagree on
        assert accounts == set(truth["accounts"]), sorted(accounts - set(truth["accounts"]))[:10]
        # A tweet carrying a blog post's link became a share of that post.
        shares = store.edges(["SHARES"])
        assert (shares.dst.str.contains(r"\.wordpress\.com/")).any()
    finally:
        store.close()
