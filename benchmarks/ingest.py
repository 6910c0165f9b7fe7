"""Ingest speed: records/s per input format into SQLite, against twarc-network on the same file.

    .venv/bin/python benchmarks/ingest.py [--accounts 10000] [--out benchmarks/results/ingest.json]

The input is a planted campaign from ``netmap synth`` (twarc2 JSONL pages plus RSS/Atom feeds).
Each format runs ``netmap collect`` in a fresh process into a fresh SQLite file; CPU seconds
(user+sys of the child) and wall seconds are reported, plus peak RSS. If twarc-network is
installed (``pip install twarc-network``), ``twarc2 network`` builds its users graph from the
same tweets in the same run, and the ratio is printed. Other formats (telegram, vk, ...) are
timed on their test fixtures replicated to ``--replicate`` copies when their collector exists.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict[str, str] | None = None,
          cwd: Path | None = None) -> dict[str, float]:
    """Run ``cmd``; return wall, CPU (children user+sys) and peak RSS of that child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            # ru_maxrss of RUSAGE_CHILDREN is the largest child so far, not this one alone
            "peak_rss_mb_so_far": round(after.ru_maxrss / 1024, 1), "stdout": proc.stdout}


def median_of(runs: int, measure) -> dict:  # type: ignore[no-untyped-def]
    """Run ``measure(i)`` ``runs`` times; keep the run with the median CPU time (and all CPU times)."""
    results = sorted((measure(i) for i in range(runs)), key=lambda r: r["cpu_s"])
    best = results[len(results) // 2]
    best["cpu_s_runs"] = [r["cpu_s"] for r in results]
    return best


def netmap_collect(fmt: str, inputs: list[str], db: Path, runs: int = 1) -> dict:
    def once(i: int) -> dict:
        target = db.with_name(f"{db.stem}-{i}{db.suffix}")  # a fresh store each time
        res = timed([str(BIN / "netmap"), "--store", str(target), "collect", fmt, *inputs,
                     "--format", "json", "-q"])
        res.update(json.loads(res.pop("stdout")))
        return res

    res = median_of(runs, once)
    res["records_per_cpu_s"] = round(res["read"] / max(res["cpu_s"], 1e-9))
    res["records_per_wall_s"] = round(res["read"] / max(res["wall_s"], 1e-9))
    return res


def cpu_now() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def split(folder: Path, work: Path, tweets: int) -> dict[str, float]:
    """Where a collect's CPU time goes, measured in this process.

    * parse: read the lines and ``orjson.loads`` them, nothing else (no collector goes lower);
    * store: CPU time inside ``SQLiteStore.write_batch`` during a whole ``netmap.pipeline.collect``
      of the folder into a fresh store (dedup, row packing, SQLite upserts, commits);
    * mapping: the rest of that collect's loop minus parse: the twitter collector turning
      tweets into batches of nodes and relationships.
    Start-up (imports, the command line) is what the child process spent on top.
    """
    import gc

    import orjson

    from netmap.pipeline import collect
    from netmap.store.sqlite import SQLiteStore

    files = sorted(folder.glob("*.jsonl"))
    gc.collect()
    t = cpu_now()
    gc.disable()
    for f in files:
        with f.open("rb") as fh:
            for line in fh:
                orjson.loads(line)
    gc.enable()
    parse = cpu_now() - t

    class Timed(SQLiteStore):
        spent = 0.0
        rows = 0

        def write_batch(self, batch, run):  # type: ignore[no-untyped-def]
            t0 = cpu_now()
            super().write_batch(batch, run)
            Timed.spent += cpu_now() - t0
            Timed.rows += len(batch.nodes) + len(batch.edges)

    store = Timed(work / "split.db")
    t = cpu_now()
    collect(store, "twitter", [str(folder)])
    loop = cpu_now() - t
    store.close()
    write, rows = Timed.spent, Timed.rows
    mapping = loop - write - parse
    out = {"parse_cpu_s": round(parse, 2), "mapping_cpu_s": round(mapping, 2),
           "store_cpu_s": round(write, 2), "collect_loop_cpu_s": round(loop, 2),
           "records_written": rows}
    budget = tweets / 50000
    print(f"split for {tweets} tweets (CPU s): parse {parse:.2f}, mapping {mapping:.2f}, "
          f"store {write:.2f} ({rows} node/relationship records, "
          f"{1e6 * write / max(rows, 1):.1f} us each), whole loop {loop:.2f}; 50k tweets/s "
          f"allows {budget:.2f} s in all")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "ingest.json"))
    ap.add_argument("--runs", type=int, default=3,
                    help="repeat the twitter collect and twarc-network; the median CPU run is kept")
    ap.add_argument("--no-split", action="store_true",
                    help="skip the in-process split of where the twitter collect's time goes")
    args = ap.parse_args()

    from netmap.synth import generate

    work = Path(tempfile.mkdtemp(prefix="netmap-ingest-"))
    try:
        t0 = time.perf_counter()
        summary = generate(work / "synth", accounts=args.accounts, seed=args.seed)
        print(f"synth: {summary.tweets} tweets, {summary.blog_posts} posts, "
              f"{summary.comments} comments in {time.perf_counter() - t0:.1f} s")
        results: dict[str, dict] = {}
        tw = netmap_collect("twitter", [str(work / "synth" / "twitter")], work / "tw.db",
                            runs=args.runs)
        results["twitter (twarc2 JSONL)"] = tw
        feeds = netmap_collect("feeds", [str(work / "synth" / "blogs")], work / "feeds.db")
        results["feeds (RSS/Atom + comment feeds)"] = feeds

        # The obvious alternative for tweets: twarc-network on the same tweets, one file.
        twarc2 = shutil.which("twarc2", path=str(BIN)) or shutil.which("twarc2")
        if twarc2:
            merged = work / "all.jsonl"
            with merged.open("wb") as out:
                for f in sorted((work / "synth" / "twitter").glob("*.jsonl")):
                    out.write(f.read_bytes())
            # twarc2 wants credentials even offline; a dummy token satisfies its start-up check.
            def twarc_once(i: int) -> dict:
                res = timed([twarc2, "--bearer-token", "offline", "network", str(merged),
                             str(work / f"net-{i}.gexf"),
                             # twarc2 writes twarc.log into its working directory
                             "--format", "gexf"], cwd=work)
                res.pop("stdout")
                return res

            alt = median_of(args.runs, twarc_once)
            alt["records_per_cpu_s"] = round(summary.tweets / max(alt["cpu_s"], 1e-9))
            results["twarc-network (users graph, gexf)"] = alt
            ratio = tw["records_per_cpu_s"] / max(alt["records_per_cpu_s"], 1)
            print(f"netmap twitter ingest vs twarc-network: {ratio:.2f}x (tweets per CPU second)")
        else:
            print("twarc-network not installed: `pip install twarc-network` for the comparison")

        if not args.no_split:
            results["split (in-process, twitter)"] = split(
                work / "synth" / "twitter", work, summary.tweets)
        for name, r in results.items():
            if "cpu_s" not in r:
                continue
            print(f"{name:40s} {r.get('read', summary.tweets):>9} records  "
                  f"{r['cpu_s']:>7.2f} s CPU  {r['wall_s']:>7.2f} s wall  "
                  f"{r['records_per_cpu_s']:>8} rec/CPU-s  max child RSS so far {r['peak_rss_mb_so_far']} MB")
        record = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "accounts": args.accounts, "tweets": summary.tweets, "results": results,
        }
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(record, indent=2, ensure_ascii=False))
        print(f"results: {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
