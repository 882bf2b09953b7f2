"""bench/plant.py: plants are deterministic, real edits, and scored against the flags they bring."""
from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("plant", ROOT / "bench" / "plant.py")
plant = importlib.util.module_from_spec(spec)
sys.modules["plant"] = plant        # dataclasses look their module up
spec.loader.exec_module(plant)

TEXT = ("= Battle of Orsha =\n\nInfobox\n- Date: 3 March – 20 April 1943\n"
        "- Casualties1: 1,200 killed, 3,400 wounded, 4,600 in total\n\n"
        "The Battle of Orsha was fought east of the town by the 5th Army under Ivan Petrov over a front "
        "of about 80 km. Ivan Petrov took the station on 12 April 1943, and the front was quiet again.")


def _m(typ: str, span: str, nth: int = 0, **fields) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(span, start + 1)
    return {"type": typ, "start": start, "end": start + len(span), "text": span, **fields}


GOLD = {"doc": "orsha.txt", "lang": "en", "flags": [], "mentions": [
    _m("date", "3 March – 20 April 1943", value="1943-03-03/1943-04-20"),
    _m("date", "12 April 1943", value="1943-04-12"),
    _m("casualty", "1,200 killed", low=1200, high=1200, category="killed"),
    _m("casualty", "3,400 wounded", low=3400, high=3400, category="wounded"),
    _m("casualty", "4,600", low=4600, high=4600, category="total"),
    _m("person", "Ivan Petrov", name="Ivan Petrov"),
    _m("person", "Ivan Petrov", 1, name="Ivan Petrov"),
    _m("measurement", "about 80 km", low=80, high=80, unit="km", km_low=80, km_high=80),
]}


@pytest.fixture()
def doc():
    return plant.Doc("orsha.txt", TEXT, "en", GOLD)


def test_plant_every_kind_the_text_allows_is_planted_as_a_real_edit(doc):
    plants = plant.make_plants([doc], seed=3, per_kind=5)
    kinds = {p.kind for p in plants}
    assert {"conversion_mismatch", "unit_mislabel", "date_out_of_range", "name_variant",
            "arithmetic_mismatch", "corrupt_text"} <= kinds
    for p in plants:
        assert p.text != TEXT
        assert all(0 <= a < b <= len(p.text) for a, b in p.spans)


def test_plant_is_deterministic_for_a_seed(doc):
    a = [(p.kind, p.text) for p in plant.make_plants([doc], seed=7, per_kind=3)]
    b = [(p.kind, p.text) for p in plant.make_plants([doc], seed=7, per_kind=3)]
    assert a == b


def test_plant_arithmetic_changes_one_part_so_the_total_no_longer_holds(doc):
    p = plant.plant_arithmetic(doc, random.Random(0))[0]
    assert "4,600 in total" in p.text and ("1,200 killed" not in p.text or "3,400 wounded" not in p.text)


def test_plant_date_moves_a_dated_event_after_the_stated_end(doc):
    p = plant.plant_dates(doc, random.Random(0))[0]
    a, b = p.spans[0]
    assert p.text[a:b].endswith("1943") and "April 1943" not in p.text[a:b].replace("20 April", "")


def test_plant_a_misspelling_differs_from_the_name_and_keeps_its_length_roughly():
    rng = random.Random(5)
    for _ in range(20):
        w = plant._misspell("Rokossovsky", rng)
        assert w and w != "Rokossovsky" and abs(len(w) - 11) <= 1


def test_plant_scores_a_found_conversion_plant(doc):
    plants = [p for p in plant.make_plants([doc], seed=1, per_kind=5) if p.kind == "conversion_mismatch"][:1]
    res = plant.evaluate([doc], plants)
    assert res["kinds"]["conversion_mismatch"]["recall"] == 1.0
    assert res["kinds"]["conversion_mismatch"]["false_per_doc"] == 0.0
    assert "| conversion_mismatch | 1 | 1.00 |" in plant.format_table(res)
