"""`muster review` in the terminal, and the review server's guards: the session token on every
POST, loopback-only binding unless --allow-remote, loopback Host headers, escaped text."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review.server import RemoteBindRefused, check_bind, is_loopback, make_server

runner = CliRunner()


# -- terminal ------------------------------------------------------------------------------

def test_list_accept_dismiss_from_the_terminal(run_out, flags_of):
    conv, arith = flags_of(run_out, "conversion_mismatch"), flags_of(run_out, "arithmetic_mismatch")
    r = runner.invoke(app, ["review", "--out", str(run_out), "--accept", conv["id"][:6], "--note", "732 km",
                            "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    assert f"{conv['id']} accepted by ana: 732 km" in r.output
    r = runner.invoke(app, ["review", "--out", str(run_out), "--dismiss", arith["id"]])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["review", "--out", str(run_out), "--list", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    by_id = {f["id"]: f for f in data["flags"]}
    assert by_id[conv["id"]]["status"] == "accepted" and by_id[conv["id"]]["note"] == "732 km"
    assert by_id[conv["id"]]["reviewer"] == "ana"
    assert by_id[arith["id"]]["status"] == "dismissed"
    assert data["counts"]["accepted"] == 1 and data["counts"]["dismissed"] == 1
    r = runner.invoke(app, ["review", "--out", str(run_out), "--list", "--status", "accepted"])
    assert r.exit_code == 0 and conv["id"] in r.output and arith["id"] not in r.output


def test_terminal_usage_errors_exit_2(run_out, tmp_path, monkeypatch):
    from pipeline.review.server import ReviewServer

    def never(self, *a, **k):
        raise AssertionError("the server must not start")

    monkeypatch.setattr(ReviewServer, "serve_forever", never)
    assert runner.invoke(app, ["review", "--out", str(run_out), "--accept", "nosuchflag"]).exit_code == 2
    assert runner.invoke(app, ["review", "--out", str(run_out), "--accept", ""]).exit_code == 2
    assert runner.invoke(app, ["review", "--out", str(tmp_path / "missing"), "--list"]).exit_code == 2
    assert runner.invoke(app, ["review", "--out", str(run_out), "--accept", "a", "--dismiss", "b"]).exit_code == 2
    r = runner.invoke(app, ["review", "--out", str(run_out), "--host", "0.0.0.0", "--port", "0"])
    assert r.exit_code == 2 and "--allow-remote" in r.output


# -- binding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_are_allowed(host):
    check_bind(host, allow_remote=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.168.1.20", "10.0.0.1"])
def test_non_loopback_bind_is_refused_unless_asked(host, run_out):
    assert not is_loopback(host)
    with pytest.raises(RemoteBindRefused):
        check_bind(host, allow_remote=False)
    with pytest.raises(RemoteBindRefused):
        make_server(run_out, host=host, port=0)       # refused before anything is bound
    check_bind(host, allow_remote=True)


# -- the server --------------------------------------------------------------------------------

@pytest.fixture
def served(run_out):
    server, review_app, url = make_server(run_out, port=0, reviewer="tess")
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield run_out, review_app, url
    server.shutdown()
    server.server_close()


def post(url, body, headers=None):
    data = json.dumps(body).encode()
    req = urllib.request.Request(url + "api/decision", data=data, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_post_needs_the_session_token(served, flags_of):
    out, review_app, url = served
    fid = flags_of(out, "conversion_mismatch")["id"]
    body = {"flag_id": fid, "decision": "accepted"}
    assert post(url, body)[0] == 403
    assert post(url, body, {"X-Muster-Token": "guess"})[0] == 403
    assert not (out / "reviews.json").exists()
    status, text = post(url, body, {"X-Muster-Token": review_app.token})
    assert status == 200, text
    res = json.loads(text)
    assert res["status"] == "accepted" and res["decision"]["reviewer"] == "tess"
    assert json.loads((out / "reviews.json").read_text())["decisions"][0]["flag_id"] == fid
    assert post(url, {"flag_id": "nope", "decision": "accepted"}, {"X-Muster-Token": review_app.token})[0] == 400


def test_page_embeds_the_token_under_a_strict_policy(served):
    out, review_app, url = served
    with urllib.request.urlopen(url, timeout=10) as r:
        html = r.read().decode()
        csp = r.headers["Content-Security-Policy"]
    assert f'content="{review_app.token}"' in html
    assert "script-src 'nonce-" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp


def test_foreign_host_header_is_refused(served):
    out, review_app, url = served
    req = urllib.request.Request(url, headers={"Host": "attacker.example:80"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 403


def test_document_text_is_escaped_in_every_fragment(served, flags_of, texts):
    out, review_app, url = served
    fid = flags_of(out, "date_out_of_range")["id"]
    with urllib.request.urlopen(url + "flag/" + fid, timeout=10) as r:
        html = r.read().decode()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert texts.PAYLOAD_SCRIPT not in html and "<img" not in html
    with urllib.request.urlopen(url + f"context?flag={fid}&doc=b.txt&para=0", timeout=10) as r:
        assert "Operation Star" in r.read().decode()
