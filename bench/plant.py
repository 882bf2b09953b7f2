"""Planted-inconsistency benchmark: how far can a reviewer trust muster's flags?

    python bench/plant.py [--texts DIR] [--gold DIR] [--seed N] [--per-kind N] [--json FILE]

From texts with gold annotations (default: the development corpus originals beside the
checkout, `../shared/eval/dev`), every flag kind is planted many times, each plant one small
edit of one copy that makes a real inconsistency:

| kind | edit |
|---|---|
| conversion_mismatch | a wrong conversion after a distance ("100 km (93 miles)"), or a sentence stating one |
| unit_mislabel | km on both sides ("100 km (62 km)") |
| date_out_of_range | a dated event moved after the stated end of the period |
| name_variant | one mention of a person who is named more than once spelled another way (a letter swapped, doubled, dropped; a Chinese character replaced by one of the same sound) |
| commander_conflict | a commander's formation in a "Person (formation)" list changed to the formation of another commander |
| arithmetic_mismatch | one part of parts that add up to their stated total changed, so that they exceed or miss it |
| corrupt_text | stray symbols inside a figure |
| cross_source_conflict | a figure that an English and a Chinese document about one operation both give, changed in one of them |

Each planted copy is run through the batch API (`pipeline.batch.process_text`, then the corpus
step `pipeline.batch.reconcile_and_check`) alone, or with the other-language partner for
cross_source_conflict, exactly as `muster run` would on a directory holding it.  Per kind:

- **recall**: plants for which a flag of that kind has evidence overlapping the edit;
- **precision**: of the flags of that kind that the edits brought (flags whose id the
  untouched run does not have), the share on the edit;
- **false/doc**: flags of that kind on the untouched originals (all run as one batch, as
  `run.sh` does) that overlap no gold flag of that kind, per document.

Deterministic: the plants are drawn with `random.Random(seed)`.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"
KINDS = ("conversion_mismatch", "unit_mislabel", "date_out_of_range", "name_variant", "commander_conflict",
         "arithmetic_mismatch", "corrupt_text", "cross_source_conflict")
MI_PER_KM = 0.621371
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# How a planted phrase is written, by the gold's language group (en, zh).
WRITE = {
    "en": {"mi": " ({v:,} miles)", "km": " ({v:,} km)", "date": "{d} {month} {y}",
           "sentence": " The front there was {a:,} km ({b:,} miles) wide."},
    "zh": {"mi": "({v:,}英里)", "km": "({v:,}公里)", "date": "{y}年{m}月{d}日",
           "sentence": "戰線寬{a:,}公里({b:,}英里)。"},
}
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Doc:
    name: str
    text: str
    lang: str                 # en, zh-Hant, zh-Hans
    gold: dict

    @property
    def group(self) -> str:
        return "zh" if self.lang.startswith("zh") else "en"

    def mentions(self, typ: str) -> list[dict]:
        return sorted((m for m in self.gold.get("mentions", []) if m["type"] == typ), key=lambda m: m["start"])


@dataclass
class Plant:
    kind: str
    doc: str                          # the original's name
    text: str                         # the planted copy
    spans: list[tuple[int, int]]      # where the inconsistency is, in the copy
    note: str
    partner: str | None = None        # cross_source_conflict: the other document, run beside it
    name: str = ""                    # the copy's file name

    def hit(self, flag) -> bool:
        return flag.kind == self.kind and any(
            e.doc == self.name and e.start < b and a < e.end for e in flag.evidence for a, b in self.spans)


def edit(text: str, start: int, end: int, new: str) -> tuple[str, tuple[int, int]]:
    return text[:start] + new + text[end:], (start, start + len(new))


# --------------------------------------------------------------------------------------- plants

def plant_conversions(doc: Doc, rng: random.Random) -> list[Plant]:
    w = WRITE[doc.group]
    out = []
    for m in doc.mentions("measurement"):
        km = m.get("km_low")
        if km is None or m.get("km_high") != km or km < 5 or doc.text[m["end"]:m["end"] + 2].strip()[:1] in "(（":
            continue
        wrong = round(km * MI_PER_KM * rng.choice([1.3, 1.5, 0.7]))
        text, span = edit(doc.text, m["end"], m["end"], w["mi"].format(v=wrong))
        out.append(Plant("conversion_mismatch", doc.name, text, [(m["start"], m["end"]), span],
                         f"{m['text']} given as {wrong} miles"))
        same = round(km * MI_PER_KM)
        text, span = edit(doc.text, m["end"], m["end"], w["km"].format(v=same))
        out.append(Plant("unit_mislabel", doc.name, text, [(m["start"], m["end"]), span],
                         f"{m['text']} converted to {same} km"))
    # a sentence that states a wrong conversion, at the end of the first paragraph of prose
    para = next((p for p in re.finditer(r"[^\n]{120,}", doc.text)), None)
    if para is not None:
        a = rng.randrange(40, 400, 10)
        b = round(a * MI_PER_KM * rng.choice([1.4, 0.6]))
        new = w["sentence"].format(a=a, b=b)
        text, span = edit(doc.text, para.end(), para.end(), new)
        out.append(Plant("conversion_mismatch", doc.name, text, [span], f"{a} km stated as {b} miles"))
    return out


def _day(value: str) -> date | None:
    try:
        y, m, d = (int(x) for x in value.split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def gold_period(doc: Doc) -> tuple[dict, date, date] | None:
    """The gold's first interval of days: the stated period of these texts (infobox date line)."""
    for m in doc.mentions("date"):
        a, _, b = m["value"].partition("/")
        if b:
            start, end = _day(a), _day(b)
            if start is None and re.fullmatch(r"\d{4}-\d\d", a):
                start = date(int(a[:4]), int(a[5:]), 1)
            if start and end and end > start:
                return m, start, end
    return None


def plant_dates(doc: Doc, rng: random.Random) -> list[Plant]:
    period = gold_period(doc)
    if period is None:
        return []
    pm, start, end = period
    w = WRITE[doc.group]
    out = []
    for m in doc.mentions("date"):
        d = _day(m["value"]) if "/" not in m["value"] else None
        if m is pm or d is None or not start <= d <= end or m.get("mod") in ("before", "until", "by"):
            continue
        moved = end + timedelta(days=rng.randrange(12, 90))
        new = w["date"].format(d=moved.day, m=moved.month, month=MONTHS[moved.month - 1], y=moved.year)
        text, span = edit(doc.text, m["start"], m["end"], new)
        out.append(Plant("date_out_of_range", doc.name, text, [span], f"{m['text']} -> {new}, after {end}"))
    return out


def _misspell(word: str, rng: random.Random) -> str | None:
    inner = [i for i in range(1, len(word) - 2) if word[i].isalpha() and word[i + 1].isalpha()]
    if len(word) < 5 or not inner:
        return None
    i = rng.choice(inner)
    how = rng.choice(["swap", "double", "drop", "vowel"])
    if how == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if how == "double":
        return word[:i + 1] + word[i] + word[i + 1:]
    if how == "vowel":
        vs = [j for j in range(1, len(word) - 1) if word[j] in "aeiou"]
        if vs:
            j = rng.choice(vs)
            return word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1:]
    return word[:i] + word[i + 1:]


_HOMOPHONES: dict[str, list[str]] | None = None


def homophones() -> dict[str, list[str]]:
    """Characters by their toneless pinyin, from the transliteration table and the corpus texts."""
    global _HOMOPHONES
    if _HOMOPHONES is None:
        from pypinyin import lazy_pinyin

        pool = set(json.loads((ROOT / "models" / "lexicon" / "zh" / "translit.json").read_text("utf-8"))["chars"])
        for p in sorted(DEV.glob("texts/zh_*.txt")) if DEV.is_dir() else []:
            pool.update(_HAN.findall(p.read_text("utf-8")))
        by: dict[str, list[str]] = {}
        for ch in sorted(c for c in pool if len(c) == 1 and _HAN.match(c)):
            by.setdefault(lazy_pinyin(ch)[0], []).append(ch)
        _HOMOPHONES = by
    return _HOMOPHONES


def _misspell_han(surface: str, rng: random.Random) -> str | None:
    from pypinyin import lazy_pinyin

    positions = [i for i, ch in enumerate(surface) if _HAN.match(ch)][1:]   # not the first character
    rng.shuffle(positions)
    for i in positions:
        same = [c for c in homophones().get(lazy_pinyin(surface[i])[0], []) if c != surface[i]]
        if same:
            return surface[:i] + rng.choice(same) + surface[i + 1:]
    return None


def plant_names(doc: Doc, rng: random.Random) -> list[Plant]:
    people = doc.mentions("person")
    by_name: dict[str, list[dict]] = {}
    for m in people:
        by_name.setdefault(m["name"], []).append(m)
    out = []
    for name, ms in by_name.items():
        spelled = {m["text"] for m in ms}
        if len(ms) < 2:
            continue
        m = ms[-1]
        if _HAN.search(m["text"]):
            new = _misspell_han(m["text"], rng)
        else:
            words = m["text"].split()
            last = _misspell(words[-1], rng) if words else None
            new = " ".join(words[:-1] + [last]) if last else None
        if not new or new in spelled:
            continue
        text, span = edit(doc.text, m["start"], m["end"], new)
        out.append(Plant("name_variant", doc.name, text, [span], f"{m['text']} -> {new}"))
    return out


def plant_commanders(doc: Doc, rng: random.Random) -> list[Plant]:
    """'Person (formation)' pairs: the second person's formation becomes the first one's."""
    forms = doc.mentions("formation")
    pairs = []
    for p in doc.mentions("person"):
        f = next((f for f in forms if 0 <= f["start"] - p["end"] <= 4
                  and re.fullmatch(r"[\s,，(（]*", doc.text[p["end"]:f["start"]])), None)
        if f is not None:
            pairs.append((p, f))
    out = []
    for (p1, f1), (p2, f2) in zip(pairs, pairs[1:]):
        if p1["name"] == p2["name"] or f1["text"] == f2["text"] or f1.get("side") != f2.get("side"):
            continue
        text, span = edit(doc.text, f2["start"], f2["end"], f1["text"])
        out.append(Plant("commander_conflict", doc.name, text, [span, (p2["start"], p2["end"])],
                         f"{p2['text']} given {f1['text']}, like {p1['text']}"))
    return out


def _figure_value(m: dict) -> int | None:
    lo, hi = m.get("low"), m.get("high")
    return int(lo) if lo is not None and lo == hi and float(lo).is_integer() else None


_DIGITS = re.compile(r"\d{1,3}(?:[,.]\d{3})+|\d+")


def _bump(surface: str, rng: random.Random) -> tuple[str, int, int] | None:
    """The figure in a surface with its leading digit moved: ('6,082 killed', old, new)."""
    found = max(_DIGITS.finditer(surface), key=lambda x: len(x.group()), default=None)
    if found is None or len(found.group().replace(",", "").replace(".", "")) < 3:
        return None
    g = found.group()
    first = int(g[0])
    new_first = first + rng.choice([1, 2]) if first < 8 else first - 1
    new = str(new_first) + g[1:]
    old_v, new_v = int(re.sub(r"\D", "", g)), int(re.sub(r"\D", "", new))
    return surface[:found.start()] + new + surface[found.end():], old_v, new_v


def plant_arithmetic(doc: Doc, rng: random.Random) -> list[Plant]:
    """Parts listed before their stated total (the same line, within 250 characters) that add up:
    one part changed."""
    figs = [m for m in doc.mentions("casualty") + doc.mentions("strength") if _figure_value(m)]
    figs.sort(key=lambda m: m["start"])
    out = []
    for i, total in enumerate(figs):
        line_start = doc.text.rfind("\n", 0, total["start"]) + 1
        before = [m for m in figs[:i] if m["start"] >= max(line_start, total["start"] - 250)
                  and m["type"] == total["type"]]
        for k in range(len(before) - 1):
            parts = before[k:]
            if len(parts) < 2 or sum(_figure_value(p) for p in parts) != _figure_value(total):
                continue
            p = rng.choice(parts)
            bumped = _bump(p["text"], rng)
            if bumped is None:
                continue
            text, span = edit(doc.text, p["start"], p["end"], bumped[0])
            out.append(Plant("arithmetic_mismatch", doc.name, text,
                             [span, (total["start"] + len(text) - len(doc.text), total["end"] + len(text) - len(doc.text))],
                             f"{p['text']} -> {bumped[0]}: parts no longer give {total['text']}"))
            break
    return out


def plant_corrupt(doc: Doc, rng: random.Random) -> list[Plant]:
    figs = [m for m in doc.mentions("casualty") + doc.mentions("strength") if _figure_value(m) and
            _figure_value(m) >= 1000]
    out = []
    for m in rng.sample(figs, min(3, len(figs))):
        digits = [i for i, ch in enumerate(m["text"]) if ch.isdigit()]
        cut = rng.choice(digits[1:-1] or digits)
        new = m["text"][:cut] + rng.choice(["|:.7||", "|:|", "¦.|"]) + m["text"][cut:]
        text, span = edit(doc.text, m["start"], m["end"], new)
        out.append(Plant("corrupt_text", doc.name, text, [span], f"{m['text']} -> {new}"))
    return out


def plant_cross_source(doc: Doc, others: list[Doc], rng: random.Random) -> list[Plant]:
    """A figure both documents of one operation give (one English, one Chinese: same value and
    type), changed in this one."""
    out = []
    mine = {(_figure_value(m), m["type"]): m for m in doc.mentions("casualty") + doc.mentions("strength")
            if _figure_value(m) and _figure_value(m) >= 100}
    for other in others:
        if other.group == doc.group:
            continue
        theirs = {(_figure_value(m), m["type"]) for m in other.mentions("casualty") + other.mentions("strength")}
        shared = [k for k in mine if k in theirs]
        if len(shared) < 2:        # one figure in common is chance; two say it is one operation
            continue
        for key in shared:
            m = mine[key]
            bumped = _bump(m["text"], rng)
            if bumped is None:
                continue
            text, span = edit(doc.text, m["start"], m["end"], bumped[0])
            out.append(Plant("cross_source_conflict", doc.name, text, [span],
                             f"{m['text']} -> {bumped[0]} (also in {other.name})", partner=other.name))
    return out


def make_plants(docs: list[Doc], seed: int, per_kind: int) -> list[Plant]:
    rng = random.Random(seed)
    out = []
    for doc in docs:
        found = (plant_conversions(doc, rng) + plant_dates(doc, rng) + plant_names(doc, rng)
                 + plant_commanders(doc, rng) + plant_arithmetic(doc, rng) + plant_corrupt(doc, rng)
                 + plant_cross_source(doc, [d for d in docs if d is not doc], rng))
        by_kind: dict[str, list[Plant]] = {}
        for p in found:
            by_kind.setdefault(p.kind, []).append(p)
        for kind in KINDS:
            ps = by_kind.get(kind, [])
            out.extend(rng.sample(ps, min(per_kind, len(ps))))
    for i, p in enumerate(out):
        stem = p.doc.rsplit(".", 1)[0]
        p.name = f"{stem}__plant{i:03d}.txt"
    return out


# --------------------------------------------------------------------------------------- running

def load_docs(texts: Path, gold: Path) -> list[Doc]:
    docs = []
    for g in sorted(gold.glob("*.json")):
        if g.stem.endswith("_planted"):
            continue
        t = texts / f"{g.stem}.txt"
        if not t.exists():
            continue
        with open(t, encoding="utf-8", newline="") as fh:
            text = fh.read()
        gd = json.loads(g.read_text("utf-8"))
        docs.append(Doc(t.name, text, gd.get("lang", "en"), gd))
    return docs


class Runner:
    """Documents through the batch API, each processed once."""

    def __init__(self):
        self.cache: dict[tuple[str, str], object] = {}

    def record(self, name: str, text: str, lang: str):
        key = (name, text)
        if key not in self.cache:
            from pipeline import batch

            self.cache[key] = batch.process_text(name, text, lang)
        return self.cache[key]

    def flags(self, docs: list[tuple[str, str, str]]) -> list:
        from pipeline import batch

        recs = [self.record(*d) for d in docs]
        _, corpus = batch.reconcile_and_check(recs)
        return [f for r in recs for f in r.flags] + corpus


def _gold_spans(doc: Doc) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for f in doc.gold.get("flags", []):
        out.setdefault(f["kind"], []).extend(tuple(s) for s in f["spans"])
    return out


def evaluate(docs: list[Doc], plants: list[Plant], runner: Runner | None = None) -> dict:
    runner = runner or Runner()
    by_name = {d.name: d for d in docs}
    stats = {k: {"plants": 0, "found": 0, "new": 0, "on_plant": 0, "false_orig": 0} for k in KINDS}
    # untouched originals, one batch
    for f in runner.flags([(d.name, d.text, d.lang) for d in docs]):
        spans = {e.doc: _gold_spans(by_name[e.doc]).get(f.kind, []) for e in f.evidence if e.doc in by_name}
        if not any(e.start < b and a < e.end for e in f.evidence for a, b in spans.get(e.doc, [])):
            stats.setdefault(f.kind, {"plants": 0, "found": 0, "new": 0, "on_plant": 0, "false_orig": 0})
            stats[f.kind]["false_orig"] += 1
    details = []
    for p in plants:
        orig = by_name[p.doc]
        base = [(p.name, orig.text, orig.lang)]       # the same name: flag ids name the document
        run = [(p.name, p.text, orig.lang)]
        if p.partner:
            partner = by_name[p.partner]
            base.append((partner.name, partner.text, partner.lang))
            run.append(base[-1])
        base_ids = {f.id for f in runner.flags(base)}
        flags = runner.flags(run)
        found = any(p.hit(f) for f in flags)
        s = stats[p.kind]
        s["plants"] += 1
        s["found"] += found
        for f in flags:
            if f.id in base_ids:
                continue
            stats.setdefault(f.kind, {"plants": 0, "found": 0, "new": 0, "on_plant": 0, "false_orig": 0})
            stats[f.kind]["new"] += 1
            stats[f.kind]["on_plant"] += p.hit(f)
        details.append({"kind": p.kind, "doc": p.doc, "note": p.note, "found": found})
    n = len(docs)
    table = {}
    for k, s in stats.items():
        table[k] = {"plants": s["plants"], "recall": s["found"] / s["plants"] if s["plants"] else None,
                    "precision": s["on_plant"] / s["new"] if s["new"] else None,
                    "false_per_doc": s["false_orig"] / n if n else 0.0}
    return {"documents": n, "plants": len(plants), "kinds": table, "details": details}


def format_table(res: dict) -> str:
    def pct(x):
        return "–" if x is None else f"{x:.2f}"

    lines = ["| kind | plants | recall | precision | false flags / original doc |", "|---|---|---|---|---|"]
    for k, r in res["kinds"].items():
        lines.append(f"| {k} | {r['plants']} | {pct(r['recall'])} | {pct(r['precision'])} | {r['false_per_doc']:.2f} |")
    lines.append(f"\n{res['plants']} plants on {res['documents']} documents.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=Path, default=DEV / "texts")
    ap.add_argument("--gold", type=Path, default=DEV / "gold")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-kind", type=int, default=3, help="plants per kind and document, at most")
    ap.add_argument("--json", type=Path, help="write the results here too")
    ap.add_argument("--misses", action="store_true", help="list the plants not found")
    a = ap.parse_args(argv)
    docs = load_docs(a.texts, a.gold)
    if not docs:
        print(f"no texts with gold in {a.texts} / {a.gold}", file=sys.stderr)
        return 2
    plants = make_plants(docs, a.seed, a.per_kind)
    res = evaluate(docs, plants)
    print(format_table(res))
    if a.misses:
        for d in res["details"]:
            if not d["found"]:
                print(f"  missed {d['kind']}: {d['doc']}: {d['note']}")
    if a.json:
        a.json.write_text(json.dumps(res, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
