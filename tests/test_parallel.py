"""Parallel and distributed batches give the same files as a batch in one process."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import batch, executors

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus as bench_corpus  # noqa: E402


def _snapshot(out: Path) -> dict[str, bytes]:
    files = [*(out / "documents").glob("*.json"), *(out / "texts").glob("*"), out / "entities.json",
             out / "flags.json"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The seeds, six generated documents in both languages, an HTML page and a bad file."""
    src = tmp_path_factory.mktemp("parallel-in")
    for p in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(p, src / p.name)
    bench_corpus.generate(6, src / "gen", seed=7)
    (src / "page.html").write_text("<p>On 5 March 1943 the <b>3rd Tank Army</b> advanced 40 km.</p>",
                                   encoding="utf-8")
    (src / "bad.txt").write_bytes(bytes(range(256)) * 20)
    return src


@pytest.fixture(scope="module")
def serial(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial-out")
    summary = batch.run([str(inputs)], out)
    return out, summary


def test_two_workers_write_the_same_files_as_one_process(inputs, serial, tmp_path):
    out = tmp_path / "out"
    seen = []
    summary = batch.run([str(inputs)], out, jobs=2, on_document=lambda p, rec: seen.append(p.name))
    assert summary.processed == serial[1].processed == 10
    assert sorted(seen) == sorted(p.name for p in inputs.rglob("*") if p.is_file())
    assert _snapshot(out) == _snapshot(serial[0])
    assert summary.errors == serial[1].errors and len(summary.errors) == 1


def _crash_on_marked(task):
    """A worker function that dies (like a segfault or the OOM killer) on one document."""
    if "crash" in Path(task.path).name:
        os._exit(3)
    rec = batch.error_record(Path(task.path), "not processed: test stand-in")
    return {"record": rec.model_dump(), "text": None, "seconds": 0.0}


def test_a_dying_worker_costs_only_its_document():
    tasks = [executors.Task(f"/nowhere/doc{i}.txt") for i in range(6)]
    tasks.insert(3, executors.Task("/nowhere/crash.txt"))
    exe = executors.ProcessExecutor(2, preload=(), fn=_crash_on_marked)
    results = {t.path: res for t, res in exe.map(tasks)}
    assert set(results) == {t.path for t in tasks}                       # each task once, none lost
    crash = results["/nowhere/crash.txt"]["record"]
    assert "worker process died" in crash.doc.error
    for path, res in results.items():
        if path != "/nowhere/crash.txt":
            assert res["record"]["doc"]["error"] == "not processed: test stand-in"


def _fresh_process_run(inputs: Path, out: Path) -> Path:
    """The local executor in a new process, as `muster run` runs it.  (Dask workers are new
    processes too; the pytest process is not a fair reference: test modules import check modules
    in their own order, and the order checks register in is the order of a document's flags.)"""
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "-q"],
                   check=False, timeout=300)
    return out


def _dask_cluster():
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is not installed (pip install 'muster[dask]')")
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address=None, silence_logs=40)


@pytest.fixture(scope="module")
def dask_scheduler():
    cluster = _dask_cluster()
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_dask_executor_writes_byte_identical_files(inputs, dask_scheduler, tmp_path):
    local = _fresh_process_run(inputs, tmp_path / "local")
    out = tmp_path / "out"
    summary = batch.run([str(inputs)], out, executor="dask", scheduler=dask_scheduler)
    assert summary.processed == 10
    assert _snapshot(out) == _snapshot(local)
    again = batch.run([str(inputs)], out, executor="dask", scheduler=dask_scheduler)   # nothing to send
    assert again.skipped == 10 and again.processed == 0


def test_dask_seeds_match_the_local_executor(dask_scheduler, tmp_path):
    local = _fresh_process_run(ROOT / "seeds", tmp_path / "local")
    dist = tmp_path / "dask"
    batch.run([str(ROOT / "seeds")], dist, executor="dask", scheduler=dask_scheduler)
    assert _snapshot(dist) == _snapshot(local)


def test_dask_without_a_reachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with pytest.raises(executors.ExecutorError, match="cannot connect to the Dask scheduler"):
        executors.DaskExecutor("tcp://127.0.0.1:9", timeout=2)
