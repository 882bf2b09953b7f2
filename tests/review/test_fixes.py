"""Things that were broken: usage errors of `muster review`, id prefixes in any case, stale flags
decided by id, the store's file mode, a folder with no run, report wording and the language of texts."""
from __future__ import annotations

import json
import os
import stat

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review.render import mention_title
from pipeline.review.report import write_report
from pipeline.review.store import ReviewStore
from pipeline.review.words import date_words, formation_words

runner = CliRunner()


def review(out, *args):
    return runner.invoke(app, ["review", "--out", str(out), *args])


def test_unknown_status_or_kind_exits_2_with_the_valid_ones(run_out):
    r = review(run_out, "--list", "--status", "bogus")
    assert r.exit_code == 2 and "open, accepted, dismissed, stale" in " ".join(r.output.split())
    r = review(run_out, "--list", "--kind", "nope")
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "conversion_mismatch" in said and "cross_source_conflict" in said
    assert review(run_out, "--list", "--kind", "conversion_mismatch").exit_code == 0


def test_upper_case_id_prefix_is_taken(run_out, flags_of):
    fid = flags_of(run_out, "conversion_mismatch")["id"]
    r = review(run_out, "--accept", fid[:6].upper(), "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert f"{fid} accepted by ana" in r.output


def test_a_stale_flag_listed_can_be_decided_by_id(run_out):
    gone = {"id": "0badf1a90000aaaa", "kind": "name_variant", "severity": "warning", "message": "A / B",
            "evidence": [{"doc": "a.txt", "start": 0, "end": 2, "text": "On"}]}
    with ReviewStore(run_out) as store:
        store.record(gone, "accepted", reviewer="ana")
    listed = json.loads(review(run_out, "--list", "--json", "--status", "stale").output)
    assert [f["id"] for f in listed["flags"]] == [gone["id"]]
    r = review(run_out, "--dismiss", "0BADF1A9", "--note", "checked again", "--reviewer", "ben")
    assert r.exit_code == 0, r.output
    assert "not in the latest run" in " ".join(r.output.split())
    with ReviewStore(run_out) as store:
        hist = store.decisions(gone["id"])
    assert [(d.decision, d.reviewer) for d in hist] == [("accepted", "ana"), ("dismissed", "ben")]
    assert hist[-1].evidence == gone["evidence"]


def test_the_store_is_readable_by_its_owner_only(run_out, template_run, tmp_path):
    from pipeline import batch
    from pipeline.db import db_path

    src, _ = template_run
    out = tmp_path / "fresh"
    batch.run([str(src)], out)
    assert stat.S_IMODE(os.stat(db_path(out)).st_mode) == 0o600
    # an older, world-readable store is narrowed when it is opened
    os.chmod(db_path(run_out), 0o644)
    ReviewStore(run_out).close()
    assert stat.S_IMODE(os.stat(db_path(run_out)).st_mode) == 0o600


def test_a_folder_with_no_run_is_refused_and_left_alone(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    for args in (["--list"], ["--accept", "abc"], ["--port", "0"]):
        r = review(empty, *args)
        assert r.exit_code == 2, (args, r.output)
        assert "no run" in " ".join(r.output.split())
    assert list(empty.iterdir()) == []


def test_codes_in_words():
    assert formation_words({"side": "SU", "echelon": "group", "branch": "cavalry_infantry"}) == \
        "Soviet cavalry-infantry group"
    assert formation_words({"side": None, "echelon": "army", "number": 5}) == "5th Army (side unknown)"
    assert formation_words({"side": "SU", "echelon": "army", "number": 2, "branch": "tank"}) == "Soviet 2nd Tank Army"
    assert formation_words({"side": "SU", "echelon": "corps", "number": 1, "branch": "cavalry", "guards": True}) == \
        "Soviet 1st Guards Cavalry Corps"
    assert formation_words({"side": "DE", "echelon": "army_group", "name": "Mitte"}) == "German Army Group Mitte"
    assert date_words("XXXX-03-L") == "late March, year unknown"
    assert date_words("1943-02-25/1943-03-26") == "25 February 1943 – 26 March 1943"
    assert date_words("1943-03") == "March 1943" and date_words("195X") == "the 1950s"
    assert mention_title({"type": "date", "value": "XXXX-03-M"}) == "date: mid March, year unknown"


def test_report_says_when_its_statuses_are_from_and_uses_words(run_out, flags_of):
    with ReviewStore(run_out) as store:
        store.record(flags_of(run_out, "conversion_mismatch"), "accepted")
    html = write_report(run_out).read_text(encoding="utf-8")
    assert "Review statuses as of " in html and "latest decision included" in html
    titles = __import__("re").findall(r'title="([^"]*)"', html)
    assert any(t == "formation: Soviet 2nd Tank Army" for t in titles), titles
    assert not [t for t in titles if "XXXX" in t or t.startswith("formation: SU ") or "_" in t]
    assert "stated period 2 February 1943 – 3 March 1943" in html
    assert '<div class="doctext-wrap" lang="en">' in html
    assert "default-src 'none'" in html and "<script" not in html.replace("&lt;script", "")
