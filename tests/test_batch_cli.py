"""`muster run` options for batches: --jobs, --force, --executor/--scheduler, and their errors."""
from typer.testing import CliRunner

from pipeline import store
from pipeline.cli import app

runner = CliRunner()
TEXT = "On 5 March 1943 the 3rd Tank Army advanced 40 km (25 miles) towards Kharkov.\n"


def test_run_twice_skips_unchanged_documents_and_force_reprocesses(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    first = runner.invoke(app, ["run", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out", str(out)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["run", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out", str(out)])
    assert second.exit_code == 0
    assert "unchanged, skipped" in second.output and "│     2 │" in second.output.split("skipped")[1][:20]
    forced = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(out), "--force", "--jobs", "2"])
    assert forced.exit_code == 0, forced.output


def test_dask_needs_a_scheduler_and_unknown_executors_are_usage_errors(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--executor", "dask"])
    assert res.exit_code == 2 and "--scheduler" in res.output
    res = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--executor", "ray"])
    assert res.exit_code == 2 and "unknown executor" in res.output
    res = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--jobs", "-1"])
    assert res.exit_code == 2


def test_a_second_batch_on_the_same_output_directory_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    with store.Store.open(out):                  # a batch is running there
        res = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(out)])
    assert res.exit_code == 2 and "another muster batch" in res.output
