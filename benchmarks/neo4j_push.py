"""Push throughput into a local Neo4j: relationships/s for ~1M relationships.

    .venv/bin/python benchmarks/neo4j_push.py [--accounts 100000] [--interactions 10]

Builds an SQLite store from a planted synth graph (``generate_graph``: Account and Post
nodes, AUTHORED plus the interactions), starts a private Neo4j with ``tools/neo4j/start``
(unless ``--uri`` names one; it must be empty), runs ``netmap.store.transfer.push`` and
reports nodes/s and relationships/s. Then the offline path for first loads: ``netmap
admin-import-files`` + ``neo4j-admin database import full`` (tools/neo4j/import) into a new
database + start + ``push --after-import``, timed end to end. The obvious alternative — one ``MERGE`` statement per
relationship through the same driver, as a naive script would do — runs on a sample in the
same run and is printed as a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_store(path: Path, accounts: int, per_account: int):
    """An SQLite store shaped like collected data: each interaction is a post by src acting on a
    post by dst (AUTHORED for both, plus the interaction relationship)."""
    import numpy as np

    from netmap.store.sqlite import SQLiteStore
    from netmap.synth import generate_graph

    edges, _truth = generate_graph(accounts, seed=3, interactions_per_account=per_account)
    store = SQLiteStore(path)
    src = edges["src"].astype(str).to_numpy()
    dst = edges["dst"].astype(str).to_numpy()
    typ = edges["type"].astype(str).to_numpy()
    n = len(edges)
    ts = "2013-11-01T00:00:00Z"
    keys = np.char.add("twitter:", np.arange(n).astype(str))
    cur = store.conn.cursor()
    cur.execute("BEGIN")
    cur.executemany(
        "INSERT OR IGNORE INTO nodes VALUES ('Account', ?, ?, 'bench', 'r', ?, ?)",
        ((k, json.dumps({"platform": "twitter", "handle": k.split(':', 1)[1]}), ts, ts)
         for k in np.unique(np.concatenate([src, dst]))),
    )
    cur.executemany(
        "INSERT INTO nodes VALUES ('Post', ?, ?, 'bench', 'r', ?, ?)",
        ((k, '{"platform":"twitter","kind":"post"}', ts, ts) for k in keys),
    )
    cur.executemany(
        "INSERT INTO edges VALUES ('AUTHORED', 'Account', ?, 'Post', ?, '{}', 'bench', 'r', ?, ?)",
        zip(src, keys, [ts] * n, [ts] * n, strict=True),
    )
    # the acted-on post: the first post authored by dst (a stand-in target per account)
    first_post = {}
    for s, k in zip(src, keys, strict=True):
        first_post.setdefault(s, k)
    rel_rows = []
    for s_key, d, t in zip(keys, dst, typ, strict=True):
        target = first_post.get(d)
        if t == "MENTIONS":
            rel_rows.append(("MENTIONS", "Post", s_key, "Account", d))
        elif target and target != s_key:
            rel_rows.append((t if t != "LINKS_TO" else "SHARES", "Post", s_key, "Post", target))
    cur.executemany(
        "INSERT OR IGNORE INTO edges VALUES (?, ?, ?, ?, ?, '{}', 'bench', 'r', ?, ?)",
        ((*r, ts, ts) for r in rel_rows),
    )
    cur.execute("COMMIT")
    return store


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process (Linux /proc), or of this one when pid is None."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def naive_merge(uri: str, store, sample: int) -> float:
    """Relationships/s of one MERGE per relationship (auto-commit), on ``sample`` rows."""
    from neo4j import GraphDatabase

    rows = store.conn.execute(
        "SELECT src, dst FROM edges WHERE type = 'SHARES' LIMIT ?", (sample,)
    ).fetchall()
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as s:
        t0 = time.perf_counter()
        for a, b in rows:
            s.run("MERGE (x:BenchPost {key: $a}) MERGE (y:BenchPost {key: $b}) "
                  "MERGE (x)-[:BENCH_SHARES]->(y)", a=a, b=b).consume()
        dt = time.perf_counter() - t0
        s.run("MATCH (n:BenchPost) DETACH DELETE n").consume()
    return len(rows) / dt


def admin_import(store, work: Path, env: dict[str, str]) -> dict:
    """First load through neo4j-admin: files, offline import, start, schema + finish; timed."""
    from netmap.store.admin_import import finish_import, write_import_files
    from netmap.store.neo4j import Neo4jStore

    home = work / "neo4j-import"
    penv = {**env, "NETMAP_NEO4J_HOME": str(home), "NETMAP_NEO4J_PERSIST": "1"}
    steps: dict[str, float] = {}
    t = time.perf_counter()
    manifest = write_import_files(store, work / "import-files")
    steps["write_files_s"] = time.perf_counter() - t
    t = time.perf_counter()
    proc = subprocess.run([str(ROOT / "tools" / "neo4j" / "import"), str(work / "import-files")],
                          env=penv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"neo4j-admin import failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    steps["neo4j_admin_import_s"] = time.perf_counter() - t
    t = time.perf_counter()
    uri = subprocess.run([str(ROOT / "tools" / "neo4j" / "start")], env=penv, check=True,
                         capture_output=True, text=True).stdout.strip()
    steps["server_start_s"] = time.perf_counter() - t
    try:
        t = time.perf_counter()
        target = Neo4jStore(uri)  # applies netmap's schema: constraints and indexes built here
        steps["schema_s"] = time.perf_counter() - t
        t = time.perf_counter()
        report = finish_import(store, target, work / "import-files")
        steps["finish_s"] = time.perf_counter() - t
        counts = target.counts()
        target.close()
    finally:
        subprocess.run([str(ROOT / "tools" / "neo4j" / "stop")], env=penv, check=False)
    total = sum(steps.values())
    return {
        **{k: round(v, 1) for k, v in steps.items()},
        "total_s": round(total, 1),
        # the server start is part of any offline load; report with and without it
        "relationships_per_s": round(report["relationships"] / total),
        "relationships_per_s_without_start": round(
            report["relationships"] / (total - steps["server_start_s"])),
        "nodes": sum(counts["nodes"].values()), "relationships": sum(counts["relationships"].values()),
        "leftovers": manifest["leftovers"], "skipped": manifest["skipped"],
    }


def measure(store, uri: str, server_pid: int | None, args) -> dict:
    """One push of ``store`` into the (empty) Neo4j at ``uri``, timed per phase."""
    from netmap.store.neo4j import Neo4jStore
    from netmap.store.transfer import push

    counts = store.counts()
    n_nodes = sum(counts["nodes"].values())
    n_rels = sum(counts["relationships"].values())
    target = Neo4jStore(uri)
    marks: dict[str, float] = {}

    def progress(table: str, done: int, total: int) -> None:
        marks[table] = time.perf_counter()

    # CPU seconds tell more than wall time on a shared machine: the server's and ours
    load_before = os.getloadavg()[0]
    cpu0 = (_cpu_seconds(server_pid) if server_pid else float("nan"), _cpu_seconds(None))
    t0 = time.perf_counter()
    report = push(store, target, batch_size=args.batch_size, workers=args.workers,
                  progress=progress)
    dt = time.perf_counter() - t0
    server_cpu = (_cpu_seconds(server_pid) if server_pid else float("nan")) - cpu0[0]
    client_cpu = _cpu_seconds(None) - cpu0[1]
    node_s = marks.get("nodes", t0) - t0
    target.close()
    return {
        "push_seconds": round(dt, 1), "relationships_per_s_overall": round(n_rels / dt),
        "node_phase_seconds": round(node_s, 1),
        "nodes_per_s": round(n_nodes / node_s) if node_s else None,
        "relationship_phase_seconds": round(dt - node_s, 1),
        "relationships_per_s": round(n_rels / (dt - node_s)),
        # the machine is shared: the 1-minute load average when the push began (2 cores)
        "load_average": round(load_before, 2),
        "server_cpu_seconds": None if server_cpu != server_cpu else round(server_cpu, 1),
        "client_cpu_seconds": round(client_cpu, 1),
        "report": {k: v for k, v in report.items() if k != "seconds"},
    }


def empty(uri: str) -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--interactions", type=int, default=5, help="per account")
    ap.add_argument("--batch-size", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2, help="transactions in flight")
    ap.add_argument("--uri", default=None, help="an empty Neo4j (default: start a private one)")
    ap.add_argument("--naive-sample", type=int, default=2000)
    ap.add_argument("--no-admin-import", action="store_true",
                    help="skip the neo4j-admin import measurement")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "neo4j_push.json"))
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="netmap-push-"))
    t0 = time.perf_counter()
    store = build_store(work / "bench.db", args.accounts, args.interactions)
    counts = store.counts()
    n_nodes = sum(counts["nodes"].values())
    n_rels = sum(counts["relationships"].values())
    print(f"store: {n_nodes} nodes, {n_rels} relationships ({time.perf_counter() - t0:.1f} s)")

    started = False
    uri = args.uri
    env = {**os.environ, "NETMAP_NEO4J_HOME": str(work / "neo4j"),
           "NETMAP_NEO4J_HEAP": os.environ.get("NETMAP_NEO4J_HEAP", "4g"),
           "NETMAP_NEO4J_PAGECACHE": os.environ.get("NETMAP_NEO4J_PAGECACHE", "2g")}
    try:
        if uri is None:
            uri = subprocess.run([str(ROOT / "tools" / "neo4j" / "start")], env=env, check=True,
                                 capture_output=True, text=True).stdout.strip()
            started = True
        pidf = Path(env["NETMAP_NEO4J_HOME"]) / "pid"
        server_pid = int(pidf.read_text()) if started and pidf.is_file() else None
        # First into a just-started server (cold: the JVM compiles Neo4j's hot paths during
        # the push), then, after emptying it, again (warm: a server that has been running).
        cold = measure(store, uri, server_pid, args)
        print(f"cold server: {cold['relationships_per_s']} rels/s in the relationship phase, "
              f"{cold['relationships_per_s_overall']} overall")
        t = time.perf_counter()
        empty(uri)
        print(f"emptied the database in {time.perf_counter() - t:.1f} s")
        warm = measure(store, uri, server_pid, args)
        print(f"warm server: {warm['relationships_per_s']} rels/s in the relationship phase, "
              f"{warm['relationships_per_s_overall']} overall")
        dt = warm["push_seconds"]
        naive = naive_merge(uri, store, args.naive_sample)
        if started:  # one server at a time on the 2-core machine
            subprocess.run([str(ROOT / "tools" / "neo4j" / "stop")], env=env, check=False)
            started = False
        offline = None if args.no_admin_import else admin_import(store, work, env)
        rels_per_s = n_rels / dt
        result = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "nodes": n_nodes, "relationships": n_rels, "batch_size": args.batch_size,
            "workers": args.workers,
            "warm": warm, "cold": cold,
            "naive_merge_per_s": round(naive), "speedup_vs_naive": round(rels_per_s / naive, 1),
            "admin_import": offline,
        }
        print(json.dumps(result, indent=2))
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2))
    finally:
        if started:
            subprocess.run([str(ROOT / "tools" / "neo4j" / "stop")], env=env, check=False)
        store.close()


if __name__ == "__main__":
    main()
