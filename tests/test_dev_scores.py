"""End to end: `muster run` on the development corpus (real pages nobody tuned on), scored.

The corpus lies beside the checkout (`../shared/eval/dev`); originals and planted copies run
as two batches, as its `run.sh` does.  Thresholds are the strict F1 reached so far, per
language and type: raise them as the scores rise, never lower them to pass.
"""
import importlib.util
import shutil
from pathlib import Path

import pytest

from pipeline import batch

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEV = EVAL / "dev"

THRESHOLDS = {
    "en": {"date": 0.97, "measurement": 0.95, "formation": 0.97, "person": 0.97, "casualty": 0.97,
           "strength": 0.97},
    "zh": {"date": 0.97, "measurement": 0.95, "formation": 0.88, "person": 0.91, "casualty": 0.97,
           "strength": 0.97},
}


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    if not (DEV / "gold").is_dir() or not (EVAL / "score.py").exists():
        pytest.skip("the development corpus is not beside this checkout")
    spec = importlib.util.spec_from_file_location("muster_score", EVAL / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    work = tmp_path_factory.mktemp("dev")
    (work / "in").mkdir()
    (work / "gold").mkdir()
    for g in sorted((DEV / "gold").glob("*.json")):
        if g.stem.endswith("_planted"):
            continue
        shutil.copy(g, work / "gold")
        shutil.copy(DEV / "texts" / f"{g.stem}.txt", work / "in")
    batch.run([str(work / "in")], work / "out")
    return score, score.score(work / "gold", work / "out")


@pytest.mark.parametrize("group, kind, threshold",
                         [(g, k, t) for g, table in sorted(THRESHOLDS.items()) for k, t in sorted(table.items())])
def test_development_corpus_strict_f1(originals, group, kind, threshold):
    score, res = originals
    st = res["stats"][f"{group}:{kind}"]
    _, _, f1 = score.prf(st.get("strict_tp", 0), st["sys"], st["gold"])
    assert f1 >= threshold, f"{group} {kind}: strict F1 {f1:.2f} < {threshold}"
