"""A small run shared by the review tests: two English documents whose flags cover one document
(conversion, arithmetic), two documents side by side (cross_source_conflict) and a paragraph
holding script payloads next to a flagged date (date_out_of_range)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

A = ("On 5 March 1943 the 2nd Tank Army advanced 455 miles (700 km) towards Kharkov.\n\n"
     "The 65th Army (\U0002000b\U0001F600 astral characters before the evidence: offsets are code points) "
     "had 80,000 men on 1 March. By 20 March the 65th Army had lost 95,000 men. "
     "The 2nd Tank Army lost 300 tanks.\n")
PAYLOAD_SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
B = ("Operation Star (2 February/3 March 1943).\n\n"
     f"The 2nd Tank Army lost 128 tanks on 3 March. On 6 March the {PAYLOAD_SCRIPT} front halted "
     f"{PAYLOAD_IMG} at the river.\n")


def write_inputs(src: Path) -> Path:
    src.mkdir(parents=True, exist_ok=True)
    (src / "a.txt").write_text(A, encoding="utf-8")
    (src / "b.txt").write_text(B, encoding="utf-8")
    return src


@pytest.fixture(scope="session")
def template_run(tmp_path_factory):
    from pipeline import batch

    base = tmp_path_factory.mktemp("review-run")
    src = write_inputs(base / "in")
    out = base / "out"
    batch.run([str(src)], out)
    return src, out


@pytest.fixture
def run_out(template_run, tmp_path):
    """A fresh copy of the shared run's output directory (its documents point at the shared inputs)."""
    src, out = template_run
    dst = tmp_path / "out"
    shutil.copytree(out, dst)
    return dst


@pytest.fixture(scope="session")
def texts():
    """The run's inputs and payloads (conftest helpers are not importable under importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(A=A, B=B, PAYLOAD_SCRIPT=PAYLOAD_SCRIPT, PAYLOAD_IMG=PAYLOAD_IMG, write_inputs=write_inputs)


def read_flags(out: Path) -> list[dict]:
    return json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]


@pytest.fixture(scope="session")
def flags_of():
    """flags_of(out) -> the flags of flags.json; flags_of(out, kind) -> the first flag of that kind."""
    def get(out: Path, kind: str | None = None):
        fs = read_flags(out)
        return fs if kind is None else next(f for f in fs if f["kind"] == kind)
    return get
