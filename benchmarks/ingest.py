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


def _v1_time(iso: str) -> str:
    """2013-11-13T23:59:57.284Z -> Wed Nov 13 23:59:57 +0000 2013."""
    import datetime as dt

    return dt.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").strftime(
        "%a %b %d %H:%M:%S +0000 %Y")


def _v1_status(t: dict, users: dict[str, dict], context: dict[str, dict],
               with_user: bool = True) -> dict:
    """One synth (API v2) tweet as an API v1.1 status, or as an archive's tweets.js entry."""
    ents = t.get("entities") or {}
    s: dict = {
        "created_at": _v1_time(t["created_at"]), "id": int(t["id"]), "id_str": t["id"],
        "full_text": t["text"], "lang": t.get("lang"),
        "retweet_count": 0, "favorite_count": 0,
        "entities": {
            "hashtags": [{"text": h["tag"]} for h in ents.get("hashtags", [])],
            "user_mentions": [{"screen_name": m["username"], "id_str": m["id"]}
                              for m in ents.get("mentions", [])],
            "urls": [{"url": u["url"], "expanded_url": u["expanded_url"]}
                     for u in ents.get("urls", [])],
        },
    }
    for r in t.get("referenced_tweets") or ():
        ref = context.get(r["id"])
        if r["type"] == "replied_to":
            s["in_reply_to_status_id_str"] = r["id"]
            parent = users.get(t.get("in_reply_to_user_id", ""))
            if parent:
                s["in_reply_to_screen_name"] = parent["username"]
        elif r["type"] == "quoted":
            s["quoted_status_id_str"] = r["id"]
            if ref is not None and with_user:
                s["quoted_status"] = _v1_status(ref, users, {}, with_user)
        elif r["type"] == "retweeted" and ref is not None and with_user:
            s["retweeted_status"] = _v1_status(ref, users, {}, with_user)
    if with_user:
        u = users[t["author_id"]]
        s["user"] = {"id_str": u["id"], "screen_name": u["username"], "name": u["name"],
                     "description": u.get("description"), "location": u.get("location"),
                     "followers_count": u.get("public_metrics", {}).get("followers_count")}
    else:  # archives write numbers as strings
        s.update(id=t["id"], retweet_count="0", favorite_count="0")
    return s


def v1_and_archive(folder: Path, out: Path) -> tuple[Path, Path, int]:
    """The synth tweets as twarc 1 (API v1.1) JSON lines and as one owner's archive.

    The archive holds every tweet as if one account wrote them (a record-rate measure;
    real archives are one person's few thousand tweets).
    """
    import orjson

    v1 = out / "v1.jsonl"
    data = out / "archive" / "data"
    data.mkdir(parents=True)
    items = []
    n = 0
    with v1.open("wb") as fh:
        for f in sorted(folder.glob("*.jsonl")):
            for line in f.open("rb"):
                page = orjson.loads(line)
                inc = page.get("includes") or {}
                users = {u["id"]: u for u in inc.get("users") or ()}
                context = {c["id"]: c for c in inc.get("tweets") or ()}
                for t in page.get("data") or ():
                    fh.write(orjson.dumps(_v1_status(t, users, context)) + b"\n")
                    items.append({"tweet": _v1_status(t, users, context, with_user=False)})
                    n += 1
    (data / "tweets.js").write_bytes(b"window.YTD.tweets.part0 = "
                                     + orjson.dumps(items, option=orjson.OPT_INDENT_2))
    (data / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"username": "archive_owner", '
        '"accountId": "1", "accountDisplayName": "Archive Owner"}}]', encoding="utf-8")
    return v1, data, n


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
        v1, archive, n_v1 = v1_and_archive(work / "synth" / "twitter", work)
        results["twitter (API v1.1 JSONL, twarc 1)"] = netmap_collect(
            "twitter", [str(v1)], work / "v1.db")
        results["twitter (personal archive tweets.js)"] = netmap_collect(
            "twitter", [str(archive)], work / "archive.db")
        for name in ("twitter (API v1.1 JSONL, twarc 1)", "twitter (personal archive tweets.js)"):
            if results[name]["read"] != n_v1 or results[name]["rejected"]:
                print(f"warning: {name}: read {results[name]['read']} of {n_v1}, "
                      f"{results[name]['rejected']} rejected")

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
