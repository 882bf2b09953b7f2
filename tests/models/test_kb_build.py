"""The knowledge base JSON is generated from the tables in models/kb/src (models/kb/build.py),
and the jieba user dictionary from the knowledge base (models/jieba/build_userdict.py):
regenerating either must give the committed files byte for byte."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "models" / "kb"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod          # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def kb_build():
    return _module(KB / "build.py", "kb_build")


def test_build_regenerates_the_committed_json(kb_build, tmp_path):
    assert kb_build.main(["--out", str(tmp_path)]) == 0
    for name in ("people", "formations", "places"):
        built = (tmp_path / f"{name}.json").read_text(encoding="utf-8")
        committed = (KB / f"{name}.json").read_text(encoding="utf-8")
        assert built == committed, f"models/kb/{name}.json is stale or hand-edited: run models/kb/build.py"


def test_check_mode(kb_build, tmp_path):
    assert kb_build.main(["--check"]) == 0
    assert kb_build.main(["--out", str(tmp_path)]) == 0
    (tmp_path / "places.json").write_text("{}\n", encoding="utf-8")
    assert kb_build.main(["--check", "--out", str(tmp_path)]) == 1


def test_export_round_trip(kb_build, tmp_path):
    """Tables written from the JSON are the committed tables (nothing is lost either way)."""
    kb_build.export(KB, tmp_path)
    for name in ("people", "commands", "formations", "places"):
        assert (tmp_path / f"{name}.tsv").read_text(encoding="utf-8") == \
            (KB / "src" / f"{name}.tsv").read_text(encoding="utf-8"), name


def test_cells(kb_build, tmp_path):
    src = tmp_path / "src"
    kb_build.export(KB, src)
    people = (src / "people.tsv").read_text(encoding="utf-8").split("\n")
    cells = people[1].split("\t")
    cells[8] = " Iosif Stalin |  Josef Stalin"          # spaces around '|' are ignored
    people[1] = "\t".join(cells)
    people.insert(2, "# a comment line")
    (src / "people.tsv").write_text("\n".join(people), encoding="utf-8")
    built = json.loads(kb_build.build(src)["people"])["people"]
    assert built[0]["variants"] == ["Iosif Stalin", "Josef Stalin"]
    assert "name_order" not in built[0] and "zh_courtesy_hans" not in built[0]
    assert list(built[0])[-1] == "commands"


@pytest.mark.parametrize("table, row, col, value, message", [
    ("formations.tsv", 1, 5, "true", "guards must be 'yes'"),
    ("formations.tsv", 1, 3, "two", "not a whole number"),
    ("people.tsv", 1, 1, "", "name is empty"),
    ("commands.tsv", 1, 0, "nobody_at_all", "unknown person"),
])
def test_bad_cells_are_reported(kb_build, tmp_path, table, row, col, value, message):
    kb_build.export(KB, tmp_path)
    lines = (tmp_path / table).read_text(encoding="utf-8").split("\n")
    cells = lines[row].split("\t")
    cells[col] = value
    lines[row] = "\t".join(cells)
    (tmp_path / table).write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        kb_build.build(tmp_path)


def test_values_with_separators_cannot_be_written(kb_build, tmp_path):
    with pytest.raises(ValueError, match="holds a tab"):
        kb_build.write_table(tmp_path / "x.tsv", kb_build.PLACES,
                             [{"id": "a", "name": "A", "kind": "city", "variants": ["x|y"],
                               "original": None, "zh_hans": ["甲"], "zh_hant": ["甲"]}])


def test_userdict_regenerates_the_committed_file():
    mod = _module(ROOT / "models" / "jieba" / "build_userdict.py", "build_userdict")
    assert mod.build() == (ROOT / "models" / "jieba" / "userdict.txt").read_text(encoding="utf-8"), \
        "models/jieba/userdict.txt is stale: run models/jieba/build_userdict.py"
