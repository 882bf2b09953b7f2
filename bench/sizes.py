"""Cost of one document by its size: is it linear?

    python bench/sizes.py [--sizes 100k,1M,15M] [--lang en,zh] [--work DIR]

For each language and size, a document of that many bytes (UTF-8) is made by repeating sentences
written for this bench, with varied numbers, units, dates and formation numbers, in paragraphs of
3-7 sentences; then `muster run DIR --max-bytes 20971520` runs on it and a small warm-up document
(processed first, it takes the loading of the models) in a new process, into a fresh output
directory.  Reported: the document's own seconds (from the store: ingest, pieces,
extraction, document checks), the run's wall time (interpreter start, models, corpus step and
report.html included), microseconds per character of both, and the peak RSS of the process.
Results go to bench/results/sizes.json.
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

EN = [
    "On {d} {mon} {y} the {o}th Rifle Division crossed the river near the village.",
    "General Ivanov ordered the {o}th Tank Army to advance {n} km towards the railway junction.",
    "The attack cost the regiment {n} killed and {m} wounded in two days of fighting.",
    "By {d} {mon} the front had moved some {n} miles ({k} km) to the west.",
    "Supply columns covered between {n} and {m} kilometres a day on the frozen roads.",
    "The corps could field {m} tanks and about {n} guns when the offensive opened.",
    "Rain turned the fields to mud, and the infantry dug in along the edge of the forest.",
    "Reports from the {o}th Guards Army spoke of {n} prisoners taken near the bridge.",
    "In the night of {d} {mon} the engineers rebuilt the crossing under artillery fire.",
    "Losses in the {o}th Cavalry Corps reached {m} men, nearly a third of its strength.",
    "The staff had planned for a pause of {d} days, but the enemy withdrew first.",
    "Colonel Petrov's brigade held the hill from {d} {mon} to the end of the month.",
]
ZH = [
    "{y}年{mo}月{d}日，第{o}步兵師渡過河流，進抵村莊附近。",
    "伊萬諾夫將軍命令第{o}坦克集團軍向鐵路樞紐推進{n}公里。",
    "兩天的戰鬥中，該團陣亡{n}人，負傷{m}人。",
    "到{mo}月{d}日，戰線已向西推進約{n}公里。",
    "補給車隊在結冰的道路上每天行進{n}至{m}公里。",
    "攻勢開始時，該軍擁有坦克{m}輛，火炮約{n}門。",
    "大雨使田野變成泥沼，步兵沿着森林邊緣挖掘工事。",
    "第{o}近衛集團軍報告在橋樑附近俘虜{n}人。",
    "{mo}月{d}日夜間，工兵在砲火下重建了渡口。",
    "第{o}騎兵軍的損失達到{m}人，接近其兵力的三分之一。",
    "參謀部原計劃休整{d}天，但敵軍先行撤退。",
    "彼得羅夫上校的旅從{mo}月{d}日到月底一直守住高地。",
]


def make_text(lang: str, size: int, seed: int = 0) -> str:
    """A document of about `size` UTF-8 bytes."""
    rng = random.Random(seed)
    sents = EN if lang == "en" else ZH
    paras, total = [], 0
    while total < size:
        n = rng.randint(3, 7)
        out = []
        for _ in range(n):
            s = rng.choice(sents).format(
                d=rng.randint(1, 28), mon=rng.choice(MONTHS), mo=rng.randint(1, 12), y=rng.randint(1941, 1945),
                o=rng.randint(1, 70), n=rng.randint(2, 900), m=rng.randint(1000, 30000), k=rng.randint(3, 1400))
            out.append(s)
        para = (" " if lang == "en" else "").join(out) + "\n\n"
        paras.append(para)
        total += len(para.encode("utf-8"))
    text = "".join(paras)
    data = text.encode("utf-8")[:size]
    return data.decode("utf-8", "ignore")


def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def main() -> None:
    from run import run_muster  # bench/run.py

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100k,1M,15M")
    ap.add_argument("--lang", default="en,zh")
    ap.add_argument("--work", type=Path)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="muster-sizes-"))
    rows = []
    for lang in args.lang.split(","):
        for size in map(parse_size, args.sizes.split(",")):
            src = work / f"in-{lang}-{size}"
            src.mkdir(parents=True, exist_ok=True)
            name = f"{lang}-{size}.txt"
            (src / name).write_text(make_text(lang, size), encoding="utf-8")
            # processed first (name order): it takes the loading of the language's models
            (src / "0-warm-up.txt").write_text(make_text(lang, 600, seed=1), encoding="utf-8")
            out = work / f"out-{lang}-{size}"
            res = run_muster(src, out, 1, extra=["--max-bytes", str(20 * 1024 * 1024)])
            conn = sqlite3.connect(out / "muster.sqlite")
            status, chars, secs = conn.execute("SELECT status, chars, seconds FROM documents WHERE name = ?",
                                               (name,)).fetchone()
            n_mentions = conn.execute("SELECT count(*) FROM mentions WHERE doc = ?", (name,)).fetchone()[0]
            conn.close()
            row = dict(lang=lang, bytes=size, chars=chars, status=status, mentions=n_mentions,
                       doc_seconds=secs, wall=res["wall"], us_per_char_doc=1e6 * secs / chars,
                       us_per_char_wall=1e6 * res["wall"] / chars, peak_rss_mb=res["peak_rss_mb"])
            rows.append(row)
            print(f"{lang} {size:>10,} B {chars:>10,} chars {status:5} {n_mentions:>8,} mentions  doc {secs:8.1f} s "
                  f"({row['us_per_char_doc']:.1f} µs/char)  wall {res['wall']:8.1f} s "
                  f"({row['us_per_char_wall']:.1f} µs/char)  peak RSS {res['peak_rss_mb']:,.0f} MB", flush=True)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "sizes.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
