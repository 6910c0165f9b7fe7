"""Security: Cypher only through parameters, credentials never printed, logged or stored."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from netmap.store.sqlite import SQLiteStore

from .conftest import CORPUS, netmap_env, run_netmap

INJECTIONS = [
    "'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m RETURN 1 //',
    "\\'}) DETACH DELETE n //",
    "back`tick`) DETACH DELETE n //",
    "$param {rows} $rows",
    "\u2018}) DETACH DELETE n // \u201cquoted\u201d",
    "\\u0027 OR 1=1 --",
    "x\\\\\\'",
]


def injection_tweets(path: Path) -> list[str]:
    users = [{"id": str(100 + i), "username": f"inj{i}", "name": s}
             for i, s in enumerate(INJECTIONS)]
    data = [{"id": str(5000 + i), "author_id": str(100 + i), "text": s,
             "created_at": "2013-11-06T08:00:00.000Z"} for i, s in enumerate(INJECTIONS)]
    path.write_text(json.dumps({"data": data, "includes": {"users": users}}) + "\n",
                    encoding="utf-8")
    return INJECTIONS


def test_cypher_injection_round_trips(tmp_path: Path, neo4j_uri: str, neo4j_store):
    src = tmp_path / "inj.jsonl"
    injection_tweets(src)
    feed = tmp_path / "inj.xml"
    items = "".join(
        f"<item><title><![CDATA[{s}]]></title><link>https://b.example.org/p{i}</link>"
        f"<author><![CDATA[{s}]]></author></item>" for i, s in enumerate(INJECTIONS))
    feed.write_text(f'<rss version="2.0"><channel><title>B</title>'
                    f"<link>https://b.example.org/</link>{items}</channel></rss>", encoding="utf-8")
    for fmt, path in (("twitter", src), ("feeds", feed)):
        proc = run_netmap(["--store", neo4j_uri, "collect", fmt, str(path), "--format", "json",
                           "--rejects", str(tmp_path / "r.csv")])
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["stored"] == len(INJECTIONS)
    c = neo4j_store.counts()
    assert c["nodes"]["Post"] == 2 * len(INJECTIONS)
    assert c["relationships"]["AUTHORED"] == 2 * len(INJECTIONS)
    texts = set(neo4j_store.nodes("Post", ["text"])["text"])
    titles = set(neo4j_store.nodes("Post", ["title"])["title"])
    assert set(INJECTIONS) <= texts
    assert set(INJECTIONS) <= titles
    names = set(neo4j_store.nodes("Account", ["name"])["name"])
    assert set(INJECTIONS) <= names


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_password_never_printed_logged_or_stored(tmp_path: Path, neo4j_uri: str, neo4j_store):
    pw = "pw-Zq81-unique-test-secret"
    env = netmap_env(NETMAP_NEO4J_PASSWORD=pw)
    db = tmp_path / "s.db"
    outputs: list[str] = []

    def run(args: list[str], ok: bool = True) -> None:
        proc = run_netmap(args, env=env)
        outputs.append(proc.stdout + proc.stderr)
        assert (proc.returncode == 0) == ok, proc.stderr
        if not ok:
            assert "Traceback" not in proc.stderr and "Error:" in proc.stderr

    src = tmp_path / "t.jsonl"
    injection_tweets(src)
    run(["--store", str(db), "collect", "twitter", str(src), str(CORPUS / "truncated.jsonl"),
         "--rejects", str(tmp_path / "rejects.csv")])
    run(["--store", str(db), "push", neo4j_uri, "--format", "json"])
    run(["--store", neo4j_uri, "stats", "--format", "json"])
    run(["--store", neo4j_uri, "collect", "twitter", str(src), "--rejects",
         str(tmp_path / "rejects2.csv")])
    bad = f"bolt://127.0.0.1:{closed_port()}"
    run(["--store", str(db), "push", bad], ok=False)
    run(["--store", bad, "stats"], ok=False)
    run(["--store", "neo4j://user:" + pw + "@127.0.0.1:7687", "stats"], ok=False)
    run(["--store", str(db), "push", "neo4j://neo4j:" + pw + "@127.0.0.1:7687"], ok=False)
    for kind in ("html", "gexf", "graphml", "csv", "json"):
        run(["--store", str(db), "export", kind, str(tmp_path / "out" / f"x.{kind}")])
    assert not any(pw in o for o in outputs)
    assert "credentials" in outputs[6] and "credentials" in outputs[7]  # refused, not echoed
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 7
    for p in files:
        assert pw.encode() not in p.read_bytes(), p
    leaked = neo4j_store._read_all(
        "MATCH (n) WHERE any(k IN keys(n) WHERE toString(n[k]) CONTAINS $pw) RETURN count(n) AS n",
        pw=pw)
    assert leaked[0]["n"] == 0
    with SQLiteStore(db) as s:
        assert s.counts()["nodes"]["Post"] >= len(INJECTIONS)
