#!/usr/bin/env python3
"""Build the knowledge base JSON (models/kb/*.json) from its source tables (models/kb/src/*.tsv).

    .venv/bin/python models/kb/build.py              # rewrite people/formations/places.json
    .venv/bin/python models/kb/build.py --check      # exit 1 if a JSON file is stale
    .venv/bin/python models/kb/build.py --out DIR    # write the JSON files into DIR instead
    .venv/bin/python models/kb/build.py --export DIR # write tables from the current JSON into DIR

The tables are the source of truth; the JSON files are generated and never edited by hand
(README.md, "Source tables").  Each table is UTF-8, tab-separated, one header row naming the
columns, one row per entry, in the order the entries appear in the JSON.  Blank lines and
lines starting with '#' are skipped.  Cells:

* list columns hold several values separated by '|' (spaces around '|' are ignored);
  an empty cell is the empty list;
* optional text and number columns: an empty cell is null;
* `guards`: `yes` or empty.

No value may contain a tab, a line break or (in a list column) '|'.  `commands.tsv` holds one
row per command (person id, formation id, from, to), in each person's order.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
SEP = "|"


@dataclass(frozen=True)
class Col:
    """One table column: `key` is the JSON key (`names.en` for a nested one), `kind` one of
    text (required), opt (text or null), list, int (number or null), flag (bool)."""
    key: str
    kind: str = "text"
    omit_default: bool = False   # left out of the JSON entry when empty / default

    @property
    def header(self) -> str:
        return self.key.replace(".", "_") if self.key.startswith("names.") else self.key


PEOPLE = (Col("id"), Col("name"), Col("given"), Col("surname"), Col("patronymic", "opt"), Col("side"),
          Col("original", "opt"), Col("name_order", "opt", omit_default=True), Col("variants", "list"),
          Col("given_variants", "list"), Col("zh_hans", "list"), Col("zh_hant", "list"),
          Col("zh_full_hans", "list"), Col("zh_full_hant", "list"),
          Col("zh_courtesy_hans", "list", omit_default=True), Col("zh_courtesy_hant", "list", omit_default=True),
          Col("ranks", "list"))
COMMANDS = (Col("person"), Col("formation"), Col("from", "opt"), Col("to", "opt"))
FORMATIONS = (Col("id"), Col("side"), Col("echelon"), Col("number", "int"), Col("branch", "opt"),
              Col("guards", "flag"), Col("name", "opt"), Col("names.en", "list"), Col("names.de", "list"),
              Col("names.ru", "list"), Col("names.zh_hans", "list"), Col("names.zh_hant", "list"))
PLACES = (Col("id"), Col("name"), Col("kind"), Col("variants", "list"), Col("original", "opt"),
          Col("zh_hans", "list"), Col("zh_hant", "list"))

TABLES = {"people": PEOPLE, "commands": COMMANDS, "formations": FORMATIONS, "places": PLACES}
OUTPUTS = ("people", "formations", "places")


# ----------------------------------------------------------------------------- cells

def _parse(col: Col, cell: str, where: str):
    cell = cell.strip()
    if col.kind == "list":
        return [v.strip() for v in cell.split(SEP)] if cell else []
    if col.kind == "flag":
        if cell not in ("", "yes"):
            raise ValueError(f"{where}: {col.header} must be 'yes' or empty, not {cell!r}")
        return cell == "yes"
    if col.kind == "int":
        if not cell:
            return None
        try:
            return int(cell)
        except ValueError:
            raise ValueError(f"{where}: {col.header} {cell!r} is not a whole number") from None
    if col.kind == "opt":
        return cell or None
    if not cell:
        raise ValueError(f"{where}: {col.header} is empty")
    return cell


def _format(col: Col, value, where: str) -> str:
    values = value if col.kind == "list" else [value]
    for v in values:
        if isinstance(v, str) and ("\t" in v or "\n" in v or "\r" in v or (col.kind == "list" and SEP in v)):
            raise ValueError(f"{where}: {col.header} value {v!r} holds a tab, line break or '{SEP}'")
    if col.kind == "list":
        return SEP.join(values)
    if col.kind == "flag":
        return "yes" if value else ""
    return "" if value is None else str(value)


def _default(col: Col):
    return [] if col.kind == "list" else False if col.kind == "flag" else None


def _get(entry: dict, key: str):
    for part in key.split("."):
        entry = entry.get(part) if isinstance(entry, dict) else None
    return entry


def _put(entry: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        entry = entry.setdefault(part, {})
    entry[last] = value


# ----------------------------------------------------------------------------- tables

def read_table(path: Path, cols: tuple[Col, ...]) -> list[dict]:
    """The rows of a table as JSON entries (keys in column order, optional keys left out)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].rstrip("\r").split("\t")
    want = [c.header for c in cols]
    if header != want:
        raise ValueError(f"{path.name}: header {header} is not {want}")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{path.name}:{n}"
        if len(cells) > len(cols):
            raise ValueError(f"{where}: {len(cells)} cells, the header has {len(cols)}")
        cells += [""] * (len(cols) - len(cells))
        entry: dict = {}
        for col, cell in zip(cols, cells):
            value = _parse(col, cell, where)
            if col.omit_default and value == _default(col):
                continue
            _put(entry, col.key, value)
        rows.append(entry)
    return rows


def write_table(path: Path, cols: tuple[Col, ...], entries: list[dict]) -> None:
    out = ["\t".join(c.header for c in cols)]
    for i, e in enumerate(entries):
        where = f"{path.name} row {i + 2} ({e.get('id', '')})"
        cells = []
        for c in cols:
            value = _get(e, c.key)
            cells.append(_format(c, _default(c) if value is None else value, where))
        out.append("\t".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _dump(key: str, entries: list[dict]) -> str:
    return json.dumps({"version": "1", key: entries}, ensure_ascii=False, indent=2) + "\n"


def build(src: Path = SRC) -> dict[str, str]:
    """{'people': text of people.json, 'formations': ..., 'places': ...} built from the tables."""
    people = read_table(src / "people.tsv", PEOPLE)
    by_id = {p["id"]: p for p in people}
    for p in people:
        p["commands"] = []
    for n, c in enumerate(read_table(src / "commands.tsv", COMMANDS), start=2):
        person = by_id.get(c.pop("person"))
        if person is None:
            raise ValueError(f"commands.tsv:{n}: unknown person id")
        person["commands"].append(c)
    return {"people": _dump("people", people),
            "formations": _dump("formations", read_table(src / "formations.tsv", FORMATIONS)),
            "places": _dump("places", read_table(src / "places.tsv", PLACES))}


def export(kb_dir: Path, out: Path) -> None:
    """Write the four tables from the JSON files in `kb_dir` (the migration, and its round trip)."""
    out.mkdir(parents=True, exist_ok=True)
    data = {k: json.loads((kb_dir / f"{k}.json").read_text(encoding="utf-8"))[k] for k in OUTPUTS}
    write_table(out / "people.tsv", PEOPLE, data["people"])
    write_table(out / "commands.tsv", COMMANDS,
                [{"person": p["id"], **c} for p in data["people"] for c in p["commands"]])
    write_table(out / "formations.tsv", FORMATIONS, data["formations"])
    write_table(out / "places.tsv", PLACES, data["places"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a JSON file differs from the tables")
    ap.add_argument("--out", type=Path, default=HERE, help="where to write the JSON files (default: models/kb)")
    ap.add_argument("--src", type=Path, default=SRC, help="the tables (default: models/kb/src)")
    ap.add_argument("--export", type=Path, metavar="DIR", help="write tables from the JSON files into DIR")
    args = ap.parse_args(argv)
    if args.export:
        export(HERE, args.export)
        return 0
    texts = build(args.src)
    if args.check:
        stale = [k for k, t in texts.items()
                 if not (args.out / f"{k}.json").exists()
                 or (args.out / f"{k}.json").read_text(encoding="utf-8") != t]
        for k in stale:
            print(f"models/kb/{k}.json is stale: run models/kb/build.py", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for k, t in texts.items():
        (args.out / f"{k}.json").write_text(t, encoding="utf-8")
    counts = {k: len(json.loads(t)[k]) for k, t in texts.items()}
    print("wrote " + ", ".join(f"{k}.json ({n})" for k, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
