"""End to end: `muster run` on seeds/, scored against the gold with the project's scorer."""
import importlib.util
from pathlib import Path

import pytest

from pipeline import batch

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"

# Strict F1 per type on the English seed (issue 2 asks >= 0.95 everywhere).
EN_THRESHOLDS = {"date": 0.95, "formation": 0.95, "person": 0.95, "casualty": 0.95,
                 "strength": 0.95, "measurement": 0.95}
# Strict F1 per type on the Chinese seed (issue 3 asks >= 0.90 everywhere).
ZH_THRESHOLDS = {"date": 0.90, "formation": 0.90, "person": 0.90, "casualty": 0.90,
                 "strength": 0.90, "measurement": 0.90}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    if not (SHARED / "score.py").exists():
        pytest.skip("../shared/eval/score.py is not beside this checkout")
    spec = importlib.util.spec_from_file_location("muster_score", SHARED / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out = tmp_path_factory.mktemp("seeds-out")
    summary = batch.run([str(ROOT / "seeds")], out)
    return score, score.score(SHARED / "gold", out), summary


@pytest.mark.parametrize("group, kind, threshold",
                         [("en", k, t) for k, t in sorted(EN_THRESHOLDS.items())]
                         + [("zh", k, t) for k, t in sorted(ZH_THRESHOLDS.items())])
def test_seed_strict_f1(scored, group, kind, threshold):
    score, res, _ = scored
    st = res["stats"][f"{group}:{kind}"]
    _, _, f1 = score.prf(st.get("strict_tp", 0), st["sys"], st["gold"])
    assert f1 >= threshold, f"{group} {kind}: strict F1 {f1:.2f} < {threshold}"


def test_english_seed_every_gold_flag_found(scored):
    _, res, _ = scored
    missed = [e for e in res["errors"] if e.startswith("000_") and "missed flag" in e]
    assert not missed, missed


def test_chinese_seed_is_read_without_errors(scored):
    _, _, summary = scored
    assert summary.errors == []





def test_chinese_seed_corrupt_spans_mostly_flagged(scored):
    import json

    _, res, _ = scored
    gold = json.loads((SHARED / "gold" / "004_489cbdeef62f3eb8.json").read_text(encoding="utf-8"))
    total = sum(1 for f in gold["flags"] if f["kind"] == "corrupt_text")
    missed = [e for e in res["errors"] if e.startswith("004_") and "missed flag corrupt_text" in e]
    assert (total - len(missed)) / total >= 0.90


def test_cross_document_links_and_no_wrong_merges(scored):
    _, res, _ = scored
    person_ok, person_total = res["links"]["person"]
    formation_ok, formation_total = res["links"]["formation"]
    assert person_ok == person_total and formation_ok == formation_total
    assert res["links"]["merged_entities"] == 0
