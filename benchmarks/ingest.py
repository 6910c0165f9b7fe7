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


def netmap_collect(fmt: str, inputs: list[str], db: Path) -> dict:
    res = timed([str(BIN / "netmap"), "--store", str(db), "collect", fmt, *inputs,
                 "--format", "json", "-q"])
    counts = json.loads(res.pop("stdout"))
    res.update(counts)
    res["records_per_cpu_s"] = round(counts["read"] / max(res["cpu_s"], 1e-9))
    res["records_per_wall_s"] = round(counts["read"] / max(res["wall_s"], 1e-9))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "ingest.json"))
    args = ap.parse_args()

    from netmap.synth import generate

    work = Path(tempfile.mkdtemp(prefix="netmap-ingest-"))
    try:
        t0 = time.perf_counter()
        summary = generate(work / "synth", accounts=args.accounts, seed=args.seed)
        print(f"synth: {summary.tweets} tweets, {summary.blog_posts} posts, "
              f"{summary.comments} comments in {time.perf_counter() - t0:.1f} s")
        results: dict[str, dict] = {}
        tw = netmap_collect("twitter", [str(work / "synth" / "twitter")], work / "tw.db")
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
            alt = timed([twarc2, "--bearer-token", "offline", "network", str(merged),
                         str(work / "net.gexf"),
                         # twarc2 writes twarc.log into its working directory
                         "--format", "gexf"], cwd=work)
            alt.pop("stdout")
            alt["records_per_cpu_s"] = round(summary.tweets / max(alt["cpu_s"], 1e-9))
            results["twarc-network (users graph, gexf)"] = alt
            ratio = tw["records_per_cpu_s"] / max(alt["records_per_cpu_s"], 1)
            print(f"netmap twitter ingest vs twarc-network: {ratio:.2f}x (tweets per CPU second)")
        else:
            print("twarc-network not installed: `pip install twarc-network` for the comparison")

        for name, r in results.items():
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
