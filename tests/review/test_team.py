"""Team review through the server's API: versions (a decision made on an older state is refused,
with who decided what), no rows for decisions that change nothing, undo, bulk decisions, the
reviewer of each request, session recovery after a restart, and remote access behind a login."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.review.server import ReviewServer, make_server
from pipeline.review.store import ReviewStore


@pytest.fixture
def served(run_out):
    started = []

    def start(**kw):
        server, review_app, url = make_server(run_out, port=0, reviewer="tess", **kw)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return review_app, url

    yield run_out, start
    for s in started:
        s.shutdown()
        s.server_close()


def call(url, path, body=None, headers=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path.lstrip("/"), data=data, method=method or ("POST" if data else "GET"),
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if "json" in r.headers.get("Content-Type", "") else text)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text


def test_second_reviewer_on_an_old_state_is_refused_and_told_who(served, flags_of):
    out, start = served
    review_app, url = start()
    tok = {"X-Muster-Token": review_app.token}
    fid = flags_of(out, "conversion_mismatch")["id"]
    base = call(url, "/api/state")[1]["flags"][fid]["version"]
    assert base == ""
    st, res = call(url, "/api/decision", {"flag_id": fid, "decision": "accepted", "reviewer": "ana", "base": base}, tok)
    assert st == 200 and res["flags"][fid]["status"] == "accepted" and res["decision"]["reviewer"] == "ana"
    st, res = call(url, "/api/decision", {"flag_id": fid, "decision": "dismissed", "reviewer": "ben", "base": base}, tok)
    assert st == 409 and res["error"] == "conflict"
    assert "ana accepted this flag" in res["message"] and res["flag"]["status"] == "accepted"
    with ReviewStore(out) as store:
        rows = store.decisions(fid)
    assert [(d.decision, d.reviewer, d.base_uid) for d in rows] == [("accepted", "ana", "")]
    # deciding on the state now is fine, and records what it was made on
    new_base = res["flag"]["version"]
    st, res = call(url, "/api/decision", {"flag_id": fid, "decision": "dismissed", "reviewer": "ben",
                                          "base": new_base}, tok)
    assert st == 200
    with ReviewStore(out) as store:
        assert [(d.reviewer, d.base_uid) for d in store.decisions(fid)] == [("ana", ""), ("ben", new_base)]


def test_decisions_that_change_nothing_write_no_row(served, flags_of):
    out, start = served
    review_app, url = start()
    tok = {"X-Muster-Token": review_app.token}
    fid = flags_of(out, "arithmetic_mismatch")["id"]
    st, res = call(url, "/api/decision", {"flag_id": fid, "decision": "reopened"}, tok)
    assert st == 200 and res["unchanged"] is True
    call(url, "/api/decision", {"flag_id": fid, "decision": "accepted"}, tok)
    st, res = call(url, "/api/decision", {"flag_id": fid, "decision": "accepted"}, tok)
    assert st == 200 and res["unchanged"] is True
    with ReviewStore(out) as store:
        assert [d.decision for d in store.decisions(fid)] == ["accepted"]
        assert store.decisions(fid)[0].reviewer == "tess"          # no reviewer sent: the server's


def test_undo_and_bulk_with_one_undo(served, flags_of):
    out, start = served
    review_app, url = start()
    tok = {"X-Muster-Token": review_app.token}
    fids = [f["id"] for f in flags_of(out)]
    st, res = call(url, "/api/decision", {"flag_id": fids[0], "decision": "dismissed", "reviewer": "ana"}, tok)
    uid = res["decision"]["uid"]
    st, res = call(url, "/api/undo", {"uid": uid, "reviewer": "ana"}, tok)
    assert st == 200 and res["flags"][fids[0]]["status"] == "open"
    assert call(url, "/api/undo", {"uid": uid}, tok)[0] == 409            # undone already: the state moved on
    state = call(url, "/api/state")[1]["flags"]
    wanted = [{"id": f, "base": state[f]["version"]} for f in fids]
    st, res = call(url, "/api/bulk", {"decision": "accepted", "flags": wanted, "reviewer": "ben"}, tok)
    assert st == 200 and res["changed"] == len(fids) and res["progress"] == {"decided": len(fids), "total": len(fids)}
    st, res = call(url, "/api/undo", {"batch": res["batch"], "reviewer": "ben"}, tok)
    assert st == 200 and res["undone"] == len(fids)
    assert {f["status"] for f in call(url, "/api/state")[1]["flags"].values()} == {"open"}
    # a bulk decision on an old state is refused whole
    st, res = call(url, "/api/bulk", {"decision": "dismissed", "flags": wanted}, tok)
    assert st == 409
    with ReviewStore(out) as store:
        rows = store.decisions()
    assert not [d for d in rows if d.decision == "dismissed" and d.batch]
    bulk_rows = [d for d in rows if d.batch and not d.undoes]
    assert len(bulk_rows) == len(fids) and len({d.batch for d in bulk_rows}) == 1
    assert exported_fields(out) >= {"base_uid", "batch", "undoes"}


def exported_fields(out):
    return set(json.loads((out / "reviews.json").read_text(encoding="utf-8"))["decisions"][0])


def test_a_wrong_token_says_session_and_a_new_one_is_fetched(served, flags_of):
    out, start = served
    review_app, url = start()
    fid = flags_of(out, "conversion_mismatch")["id"]
    st, res = call(url, "/api/decision", {"flag_id": fid, "decision": "accepted"}, {"X-Muster-Token": "old"})
    assert st == 403 and res["error"] == "session" and "reload" in res["message"]
    st, res = call(url, "/api/session")
    assert st == 200 and res["token"] == review_app.token


# -- remote access ---------------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def raw(url, path, *, data=None, headers=None):
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url + path.lstrip("/"), data=data, headers=headers or {},
                                 method="POST" if data is not None else "GET")
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def test_remote_access_needs_a_login_and_a_known_host(served):
    out, start = served
    review_app, url = start(allow_remote=True, secret="correct horse battery", allowed_hosts=["review.lan"])
    st, h, _ = raw(url, "/")
    assert st == 303 and h["Location"] == "/login"
    assert raw(url, "/api/state")[0] == 401
    st, h, body = raw(url, "/login")
    assert st == 200 and 'name="secret"' in body and "form-action 'self'" in h["Content-Security-Policy"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert raw(url, "/login", data=b"secret=wrong", headers=form)[0] == 403
    st, h, _ = raw(url, "/login", data=b"secret=correct+horse+battery", headers=form)
    assert st == 303
    cookie = h["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    jar = {"Cookie": cookie.split(";")[0]}
    assert raw(url, "/", headers=jar)[0] == 200
    assert raw(url, "/", headers={**jar, "Host": "review.lan:8765"})[0] == 200
    assert raw(url, "/", headers={**jar, "Host": "attacker.example"})[0] == 403       # the Host check stays
    assert raw(url, "/", headers={"Cookie": "muster_review=guess"})[0] == 303


def test_allow_remote_prints_a_warning_and_the_secret(run_out, monkeypatch):
    def stop(self, *a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(ReviewServer, "serve_forever", stop)
    r = CliRunner().invoke(cli_app, ["review", "--out", str(run_out), "--port", "0", "--allow-remote"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "warning:" in said and "Log-in secret" in said
    r = CliRunner().invoke(cli_app, ["review", "--out", str(run_out), "--port", "0", "--secret", "short1"])
    assert r.exit_code == 2 and "--allow-remote" in r.output
