"""Cross-post detection at scale: 1M short posts with planted near-duplicates, in memory.

    .venv/bin/python benchmarks/crosspost.py [--posts 1000000] [--copies 0.02] [--seed 7]
        [--datasketch 20000] [--out benchmarks/results/crosspost.json]

Posts are word sequences drawn from a Zipf-distributed vocabulary of 50,000
words (so common words and phrases are shared, as in real text), 8-40 words
long, spread over 30 days and five platforms. Planted:

* copies: ``--copies`` of the posts get a copy on another platform 1 minute
  to 5 days later: verbatim plus a hashtag and a link, with a prefix and one
  word changed, or cut to four fifths (one third each);
* slogans: 200 texts posted 50 times each on one platform (which must not
  become cross-posts).

Reports the time of :func:`netmap.resolve.crosspost.find_crossposts`, the
process's peak memory, candidates and precision/recall against the planted
pairs, and appends one record to ``--out`` (a JSON list). With
``--datasketch N`` the same detection is timed with datasketch's MinHash +
MinHashLSH on the first N posts, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netmap.resolve.crosspost import evaluate_pairs, find_crossposts  # noqa: E402

PLATFORMS = np.array(["twitter", "vk", "telegram", "blog", "facebook"], dtype=object)
SHARE = [0.5, 0.2, 0.15, 0.1, 0.05]
T0 = int(pd.Timestamp("2013-10-15", tz="UTC").timestamp())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_posts(n: int, copies: float, seed: int) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    rng = np.random.default_rng(seed)
    vocab_size = 50_000
    # Pseudo-words from syllables, Cyrillic and Latin, so normalisation has real work to do.
    syl = ["ра", "до", "ми", "ка", "ло", "ну", "ша", "те", "бо", "зи", "ta", "ro", "ki", "mu",
           "sa", "ne", "vo", "li", "ха", "ҷу", "қо", "ӯн"]
    lens = rng.integers(2, 5, vocab_size)
    picks = rng.integers(0, len(syl), (vocab_size, 4))
    vocab = ["".join(syl[j] for j in picks[i, :lens[i]]) + str(i % 7 if i % 5 == 0 else "")
             for i in range(vocab_size)]
    ranks = np.arange(1, vocab_size + 1, dtype=float)
    pz = 1.0 / ranks ** 1.05
    pz /= pz.sum()
    n_slogan_posts = min(10_000, n // 100)
    n_base = n - int(n * copies) - n_slogan_posts
    lengths = rng.integers(8, 41, n_base)
    words = rng.choice(vocab_size, int(lengths.sum()), p=pz)
    offs = np.concatenate([[0], np.cumsum(lengths)])
    vocab_arr = np.array(vocab, dtype=object)
    texts = [" ".join(vocab_arr[words[offs[i]:offs[i + 1]]]) for i in range(n_base)]
    plat = rng.choice(len(PLATFORMS), n_base, p=SHARE)
    when = T0 + rng.integers(0, 30 * 86400, n_base)
    keys = [f"{PLATFORMS[p]}:{i}" for i, p in enumerate(plat.tolist())]
    # Planted copies.
    n_copy = int(n * copies)
    src = rng.choice(n_base, n_copy, replace=False)
    truth: list[tuple[str, str]] = []
    c_texts, c_keys, c_plat, c_when = [], [], [], []
    for k, i in enumerate(src.tolist()):
        w = texts[i].split()
        v = k % 3
        if v == 0:
            t = texts[i] + " #выборы2013 https://t.co/x" + str(k)
        elif v == 1:
            w[int(rng.integers(0, len(w)))] = "правка"
            t = "Репост: " + " ".join(w)
        else:
            t = " ".join(w[:max(8, len(w) * 4 // 5)]) + " …"
        p = (plat[i] + 1 + int(rng.integers(0, len(PLATFORMS) - 1))) % len(PLATFORMS)
        key = f"{PLATFORMS[p]}:copy{k}"
        c_texts.append(t)
        c_keys.append(key)
        c_plat.append(p)
        c_when.append(int(when[i]) + 60 + int(rng.integers(0, 5 * 86400)))
        truth.append((key, keys[i]))
    # Slogans: 200 texts, each posted many times on one platform.
    s_texts, s_keys, s_plat, s_when = [], [], [], []
    n_slogans = 200
    per = max(1, n_slogan_posts // n_slogans)
    for s in range(n_slogans):
        text = " ".join(vocab_arr[rng.choice(vocab_size, 10, p=pz)])
        p = int(rng.integers(0, len(PLATFORMS)))
        for r in range(per):
            s_texts.append(text)
            s_keys.append(f"{PLATFORMS[p]}:slogan{s}_{r}")
            s_plat.append(p)
            s_when.append(T0 + int(rng.integers(0, 30 * 86400)))
    all_plat = np.concatenate([plat, np.array(c_plat, dtype=np.int64),
                               np.array(s_plat, dtype=np.int64)])
    df = pd.DataFrame({
        "key": keys + c_keys + s_keys,
        "platform": PLATFORMS[all_plat],
        "created_at": np.concatenate([when, np.array(c_when), np.array(s_when)]).astype(np.int64),
        "text": texts + c_texts + s_texts,
        "kind": "post",
    })
    return df, truth


def run_datasketch(df: pd.DataFrame, truth: list[tuple[str, str]], n: int) -> dict:
    """The same task with datasketch (MinHash per post + MinHashLSH query), for comparison."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return {"skipped": "datasketch is not installed (pip install datasketch)"}
    from netmap.resolve.crosspost import normalise_many

    sub = df.head(n).reset_index(drop=True)
    t0 = time.perf_counter()
    norm = normalise_many(sub["text"].tolist())
    lsh = MinHashLSH(threshold=0.5, num_perm=50)
    sigs = []
    for i, text in enumerate(norm):
        w = text.split()
        m = MinHash(num_perm=50)
        for j in range(max(1, len(w) - 2)):
            m.update(" ".join(w[j:j + 3]).encode())
        sigs.append(m)
        lsh.insert(str(i), m)
    cands = sum(len(lsh.query(m)) for m in sigs)
    secs = time.perf_counter() - t0
    return {"posts": n, "seconds": round(secs, 2), "posts_per_s": round(n / secs),
            "candidates": cands, "note": "signatures + LSH only, no verification"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--copies", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--datasketch", type=int, default=20_000,
                    help="also time datasketch on this many posts (0: skip)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "crosspost.json"))
    args = ap.parse_args()

    t0 = time.perf_counter()
    df, truth = make_posts(args.posts, args.copies, args.seed)
    gen_s = time.perf_counter() - t0
    rss_before = rss_mb()
    print(f"generated {len(df):,} posts ({len(truth):,} planted copies) in {gen_s:.1f}s, "
          f"RSS {rss_before:.0f} MB", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    res = find_crossposts(df)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = rss_mb()
    ev = evaluate_pairs(res.pairs, truth)
    load = os.getloadavg()[0]
    print(f"find_crossposts: {secs:.1f}s wall, {cpu:.1f}s CPU ({len(df) / secs:,.0f} posts/s; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs), peak RSS {peak:.0f} MB "
          f"(+{peak - rss_before:.0f} MB over the generated data)")
    print(f"  compared {res.posts_compared:,} posts, {res.candidates:,} candidate pairs, "
          f"{len(res.pairs):,} cross-posts")
    print(f"  precision {ev['precision']}, recall {ev['recall']}, F1 {ev['f1']}, "
          f"oriented {ev['oriented']}")
    slogans = res.pairs["src"].str.contains("slogan").sum() + \
        res.pairs["dst"].str.contains("slogan").sum()
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "posts": len(df), "planted_copies": len(truth), "seed": args.seed,
        "params": res.params,
        "seconds": round(secs, 2), "cpu_seconds": round(cpu, 2),
        "posts_per_s": round(len(df) / secs), "load_average": round(load, 2),
        "generate_seconds": round(gen_s, 1),
        "peak_rss_mb": round(peak), "rss_before_mb": round(rss_before),
        "posts_compared": res.posts_compared, "candidates": res.candidates,
        "crossposts": len(res.pairs), "slogan_pairs": int(slogans), **ev,
    }
    if args.datasketch:
        ds = run_datasketch(df.sample(frac=1.0, random_state=1), truth,
                            min(args.datasketch, len(df)))
        record["datasketch"] = ds
        if "seconds" in ds:
            ours = find_crossposts(df.sample(frac=1.0, random_state=1).head(ds["posts"]))
            record["datasketch"]["netmap_seconds_same_posts"] = round(ours.seconds, 2)
            print(f"datasketch on {ds['posts']:,} posts: {ds['seconds']}s "
                  f"({ds['posts_per_s']:,} posts/s); netmap on the same posts: "
                  f"{ours.seconds:.2f}s")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(out.read_text()) if out.is_file() else []
    if isinstance(runs, dict):
        runs = [runs]
    runs.append(record)
    out.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    print(f"appended to {out}")


if __name__ == "__main__":
    main()
