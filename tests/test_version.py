"""The pipeline version comes from the code: editing any module gives another version."""
import shutil

import pipeline
from pipeline import PIPELINE_VERSION, code_fingerprint


def test_the_version_names_the_package_version_and_the_code():
    assert PIPELINE_VERSION == f"{pipeline.__version__}+{code_fingerprint()}"


def test_any_code_change_changes_the_fingerprint(tmp_path):
    copy = tmp_path / "pipeline"
    shutil.copytree(pipeline.__path__[0], copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(copy)
    assert before == code_fingerprint()
    rule = copy / "extract" / "dates.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    assert code_fingerprint(copy) != before
    (copy / "extract" / "new_component.py").write_text("X = 1\n", encoding="utf-8")
    assert len({before, code_fingerprint(copy)}) == 2
