"""The muster command: run, extract, schema, and their exit codes."""
import json
import subprocess
import sys

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_cli_run_writes_contract_files_and_exit_code(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("By late March 1943 the 2nd Tank Army had lost 128 tanks.\n", encoding="utf-8")
    (src / "b.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 1, result.output        # one document failed
    doc = json.loads((out / "documents" / "a.txt.json").read_text(encoding="utf-8"))
    assert doc["doc"]["status"] == "ok" and doc["doc"]["lang"] == "en"
    assert {"date", "formation", "casualty"} <= {m["type"] for m in doc["mentions"]}
    assert json.loads((out / "documents" / "b.txt.json").read_text())["doc"]["status"] == "error"
    assert "flags" in json.loads((out / "flags.json").read_text())
    assert "entities" in json.loads((out / "entities.json").read_text())
    assert "errors" in result.output


def test_cli_run_usage_errors_exit_2(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "missing-*.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["run", "--no-such-option"])
    assert result.exit_code == 2


def test_cli_extract_reads_and_writes_json_lines():
    lines = [
        {"id": 1, "text": "The 65th Army advanced 30 km on 6 March 1943.", "lang": "en"},
        {"id": "x", "text": "Between 18 and 25 miles."},
        "not json",
    ]
    stdin = "\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines) + "\n"
    result = runner.invoke(app, ["extract"], input=stdin)
    out = [json.loads(l) for l in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "x", None]
    first = {m["type"]: m for m in out[0]["mentions"]}
    assert first["date"]["value"] == "1943-03-06"
    assert first["measurement"]["low"] == 30 and first["measurement"]["unit"] == "km"
    assert first["formation"]["number"] == 65
    text = lines[0]["text"]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in out[0]["mentions"])
    assert out[1]["mentions"][0]["low"] == 18 and out[1]["mentions"][0]["high"] == 25
    assert "error" in out[2]
    assert result.exit_code == 1


def test_cli_schema_covers_every_output_file(tmp_path):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    assert set(schemas) == {"documents/<name>.json", "entities.json", "flags.json"}
    doc_schema = json.dumps(schemas["documents/<name>.json"])
    for kind in ("DateMention", "FormationMention", "PersonMention", "CasualtyMention",
                 "StrengthMention", "MeasurementMention"):
        assert kind in doc_schema
    result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert (tmp_path / "flags.schema.json").exists()


def test_python_dash_m_pipeline_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "pipeline", "version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip()
