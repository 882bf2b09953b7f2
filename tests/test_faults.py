"""Faults: any bytes never crash a batch; a killed batch resumes losing and duplicating nothing;
an output directory that cannot be written is a clear usage error."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import batch, db

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus as bench_corpus  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

nasty_text = st.one_of(
    st.text(max_size=3000),                                                         # any Unicode
    st.text(alphabet=st.sampled_from("The 5th Army lost 1,200 men 40 km 第65集團軍 \x00\n"), max_size=3000),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=40), st.integers(1, 5000)),   # huge lines
    st.builds(lambda s: "\x00".join(s), st.lists(st.text(max_size=50), max_size=40)),          # NULs
)
contents = st.one_of(st.binary(max_size=4000), nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                     nasty_text.map(lambda t: t.encode("utf-16", "surrogatepass")))


@FUZZ
@given(data=contents, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_bytes_give_a_record_never_an_exception(tmp_path, data, suffix):
    p = tmp_path / f"fuzz{suffix}"
    p.write_bytes(data)
    rec, text = batch.process_document(p)
    assert rec.doc.status in ("ok", "error")
    if rec.doc.status == "error":
        assert rec.doc.error
    else:
        body = text if text is not None else p.read_bytes().decode(rec.doc.encoding or "utf-8")
        for m in rec.mentions:
            assert 0 <= m.start < m.end <= rec.doc.chars
            assert body[m.start:m.end] == m.text or rec.doc.encoding not in ("utf-8", None)


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(contents, min_size=1, max_size=4))
def test_fuzzed_batches_finish_with_a_record_per_file(tmp_path_factory, files):
    src = tmp_path_factory.mktemp("fuzz-in")
    out = tmp_path_factory.mktemp("fuzz-out")
    names = []
    for i, data in enumerate(files):
        name = f"f{i}{'.html' if i % 3 == 2 else '.txt'}"
        (src / name).write_bytes(data)
        names.append(name)
    summary = batch.run([str(src)], out)
    assert summary.documents == len(files)
    for name in names:
        doc = json.loads((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))["doc"]
        assert doc["status"] == "ok" or doc["error"]
    assert json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"] is not None


# --- SIGKILL and resume -----------------------------------------------------------------------

def _snapshot(out: Path) -> dict[str, bytes]:
    files = [*(out / "documents").glob("*.json"), out / "entities.json", out / "flags.json"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def _committed(out: Path) -> int:
    try:
        conn = db.connect(out, readonly=True)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _live_processes_mentioning(marker: str) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if marker in (d / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(d.name))
            except OSError:
                continue
    return pids


def _reference_run(tmp_path_factory, label: str, n: int, seed: int):
    """A generated corpus of n documents and a run over it: (inputs, output files, output dir)."""
    src = tmp_path_factory.mktemp(f"{label}-in")
    bench_corpus.generate(n, src, seed=seed)
    reference = tmp_path_factory.mktemp(f"{label}-ref")
    batch.run([str(src)], reference)
    return src, _snapshot(reference), reference


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory):
    return _reference_run(tmp_path_factory, "kill", 14, 3)[:2]


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_mid_batch_then_rerun_loses_and_duplicates_nothing(kill_corpus, tmp_path, jobs):
    src, expected = kill_corpus
    out = tmp_path / f"out-jobs{jobs}"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "-q", "--jobs", str(jobs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _committed(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be killed: " + proc.stderr.read().decode()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    done_before = _committed(out)
    assert 3 <= done_before < 14
    if jobs > 1:        # workers die with the batch (they would hold its lock)
        deadline = time.monotonic() + 10
        while _live_processes_mentioning(str(out)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _live_processes_mentioning(str(out))
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert _snapshot(out) == expected                 # nothing lost, nothing duplicated, same bytes
    assert not [p for p in (out / "documents").iterdir() if p.name.startswith(".")]    # no temp files
    conn = db.connect(out, readonly=True)
    runs = conn.execute("SELECT status, processed, skipped FROM runs ORDER BY id").fetchall()
    assert [r[0] for r in runs] == ["interrupted", "done"]
    assert runs[1][1] + runs[1][2] == 14 and runs[1][2] >= done_before
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 14
    dup = conn.execute("SELECT count(*) FROM (SELECT doc, start, \"end\", type, count(*) c FROM mentions "
                       "GROUP BY doc, start, \"end\", type HAVING c > 1)").fetchone()[0]
    assert dup == 0
    conn.close()


# --- an output directory that cannot be written ------------------------------------------------

def _without_file_capabilities():
    """In the child: root normally writes through any permission bits; drop the capabilities
    that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from the bounding set."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):
        if libc.prctl(24, cap, 0, 0, 0) != 0:       # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_read_only_output_directory_is_a_clear_usage_error(tmp_path):
    (tmp_path / "in.txt").write_text("On 5 March 1943 the 3rd Tank Army advanced 40 km.\n", encoding="utf-8")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        for out in (ro, ro / "new-subdir"):
            try:
                res = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "in.txt"),
                                      "--out", str(out)], capture_output=True, text=True,
                                     preexec_fn=_without_file_capabilities, timeout=120)
            except subprocess.SubprocessError as e:
                pytest.skip(f"cannot drop root's file capabilities here: {e}")
            assert res.returncode == 2, (res.stdout, res.stderr)
            assert "cannot write to the output directory" in res.stderr
            assert "Traceback" not in res.stderr
    finally:
        ro.chmod(0o755)


# --- odd names, odd files, odd encodings ------------------------------------------------------------

cp1252_text = st.text(alphabet=st.sampled_from(list("The 5th Army lost 1,200 men 40 km café – “naïve” ’\n")),
                      min_size=1, max_size=2000)
encoded = st.one_of(cp1252_text.map(lambda t: t.encode("cp1252")),
                    cp1252_text.map(lambda t: t.encode("latin-1", "replace")),
                    nasty_text.map(lambda t: t.encode("utf-16-le", "surrogatepass")),
                    nasty_text.map(lambda t: t.encode("utf-16-be", "surrogatepass")))
file_names = st.binary(min_size=1, max_size=40).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_").lstrip(b".") or b"x").map(
    lambda b: os.fsdecode(b[:200] + b".txt"))


@FUZZ
@given(data=encoded)
def test_single_byte_and_bomless_utf16_inputs_give_a_record(tmp_path, data):
    p = tmp_path / "enc.txt"
    p.write_bytes(data)
    rec, _ = batch.process_document(p)
    assert rec.doc.status in ("ok", "error") and (rec.doc.status == "ok" or rec.doc.error)
    if rec.doc.status == "ok":
        text = data.decode(rec.doc.encoding)
        assert text.encode(rec.doc.encoding) == data                  # the guess round-trips
        for m in rec.mentions:
            assert text[m.start:m.end] == m.text


@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(file_names, min_size=1, max_size=4, unique=True), files=st.lists(contents, min_size=4, max_size=4),
       fifo=st.booleans())
def test_batches_with_any_file_names_and_fifos_finish(tmp_path_factory, names, files, fifo):
    from pipeline import ingest

    src = tmp_path_factory.mktemp("names-in")
    out = tmp_path_factory.mktemp("names-out")
    for name, data in zip(names, files):
        (src / name).write_bytes(data)
    if fifo:
        os.mkfifo(src / "pipe.txt")
    summary = batch.run([str(src)], out)
    assert summary.documents == len(names) + fifo
    for name in names + (["pipe.txt"] if fifo else []):
        doc = json.loads((out / "documents" / f"{ingest.safe_name(name)}.json").read_text(encoding="utf-8"))["doc"]
        assert doc["status"] == "ok" or doc["error"]
        assert doc["name"] == ingest.safe_name(name)


# --- damaged stores and outputs ------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    return _reference_run(tmp_path_factory, "damage", 4, 5)


@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(1, 255)), max_size=20),
       target=st.sampled_from(["store", "document", "flags.json", "entities.json"]))
def test_damaged_stores_and_outputs_are_repaired(small_run, tmp_path_factory, cut, flips, target):
    import shutil

    src, expected, ref = small_run
    out = tmp_path_factory.mktemp("damaged")
    shutil.rmtree(out)
    shutil.copytree(ref, out)
    victim = {"store": out / "muster.sqlite", "flags.json": out / "flags.json",
              "entities.json": out / "entities.json"}.get(target) or sorted((out / "documents").glob("*.json"))[0]
    if target == "store":
        for suffix in ("-wal", "-shm"):
            Path(f"{victim}{suffix}").unlink(missing_ok=True)
    data = bytearray(victim.read_bytes())
    data = data[:int(len(data) * cut)] if cut < 0.98 else data
    for pos, x in flips:
        if data:
            data[int(pos * (len(data) - 1))] ^= x
    victim.write_bytes(bytes(data))
    summary = batch.run([str(src)], out)
    assert not summary.errors
    assert _snapshot(out) == expected                  # every output as it was
    conn = db.connect(out, readonly=True)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    conn.close()
