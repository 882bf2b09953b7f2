"""`muster review`'s local web server (standard library `http.server`, no framework).

Security:
- binds 127.0.0.1 by default and refuses any address that is not loopback unless
  `allow_remote=True` (`--allow-remote`): the page shows the documents and changes decisions;
- every state-changing request (POST) must carry the per-session token, generated at start
  (`secrets.token_urlsafe`) and embedded in the page; without it: 403 (JSON `{"error": "session"}`:
  a tab opened before a restart fetches the new token from `/api/session` and retries);
- requests whose Host header is not a loopback name are refused (DNS rebinding); with remote
  access, only the names the server was started for (`served_names`, `--allowed-host`);
- remote access (`--allow-remote`) always needs a login: a secret (given, or made at start and
  printed), a login form, then an HttpOnly, SameSite=Strict session cookie on every request;
- pages carry a Content-Security-Policy that runs only this session's nonce-tagged script and
  style; all document text is escaped on the server.

Requests are served one at a time (a lock), and the store checks each decision's version (the
flag's latest decision it was made on) in the same transaction as its INSERT: two reviewers
deciding one flag cannot overwrite each other; the second is told who decided what.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import socket
import threading
import time
import uuid
from http.cookies import CookieError, SimpleCookie
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.review import page as pages
from pipeline.review.corpus import Corpus
from pipeline.review.page import progress
from pipeline.review.store import STATUS_DECISIONS, Conflict, ExportFailed, ReviewError, ReviewStore, default_reviewer

MAX_BODY = 1024 * 1024                 # a bulk decision lists its flags
COOKIE = "muster_review"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]", "ip6-localhost"}


class RemoteBindRefused(Exception):
    """A non-loopback address was asked for without --allow-remote."""


def is_loopback(host: str) -> bool:
    """True when every address `host` resolves to is a loopback address."""
    h = host.strip().strip("[]")
    if not h:
        return False                       # "" means every interface
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(h, None)
    except socket.gaierror:
        return False
    addrs = {info[4][0] for info in infos}
    return bool(addrs) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addrs)


def check_bind(host: str, allow_remote: bool) -> None:
    if not allow_remote and not is_loopback(host):
        raise RemoteBindRefused(
            f"refusing to serve on {host!r}: it is not a loopback address, and the review page shows the "
            f"documents and changes decisions. Use --allow-remote to serve on it anyway.")


class ReviewApp:
    """The state of one review session: output directory, token, default reviewer, remote login."""

    def __init__(self, out_dir: Path, *, reviewer: str | None = None, allow_remote: bool = False,
                 secret: str | None = None, allowed_hosts: set[str] | None = None):
        self.out_dir = Path(out_dir)
        self.token = secrets.token_urlsafe(32)
        self.reviewer = clean_reviewer(reviewer) or default_reviewer()
        self.allow_remote = allow_remote
        # remote access always needs a login: the secret given, or one made now (printed at start)
        self.secret = (secret or secrets.token_urlsafe(18)) if allow_remote else None
        self.secret_generated = allow_remote and not secret
        self.allowed_hosts = {h.lower() for h in (allowed_hosts or set())} | LOOPBACK_NAMES
        self.sessions: set[str] = set()
        self.poll_ms = 3000                 # how often the page asks for other reviewers' decisions
        self.lock = threading.Lock()
        self._corpus: Corpus | None = None
        self._signature = None
        # open once at start: creates the table and reconciles store and export
        ReviewStore(self.out_dir).close()

    def _sig(self):
        parts = []
        for p in (self.out_dir / "flags.json", self.out_dir / "entities.json", self.out_dir / "documents"):
            try:
                st = p.stat()
                parts.append((st.st_mtime_ns, st.st_size))
            except OSError:
                parts.append(None)
        return tuple(parts)

    def corpus(self) -> Corpus:
        """The run's outputs (re-read when they change, e.g. after a re-run) with fresh reviews."""
        sig = self._sig()
        if self._corpus is None or sig != self._signature:
            self._corpus = Corpus(self.out_dir, with_reviews=False)
            self._signature = sig
        c = self._corpus
        from pipeline.review.store import load_reviews
        c.reviews, problems = load_reviews(self.out_dir)
        c.problems = [p for p in c.problems if "review store" not in p] + problems
        c._items = None
        return c

    # ---------------------------------------------------------------- login (remote only)
    def login(self, sent: str) -> str | None:
        """A new session id for the right secret, else None."""
        if self.secret is None or not hmac.compare_digest(sent.encode(), self.secret.encode()):
            return None
        sid = secrets.token_urlsafe(32)
        self.sessions.add(sid)
        return sid

    def logged_in(self, cookie_header: str | None) -> bool:
        if self.secret is None:
            return True
        jar = SimpleCookie()
        try:
            jar.load(cookie_header or "")
        except CookieError:
            return False
        sid = jar.get(COOKIE)
        return bool(sid) and any(hmac.compare_digest(sid.value.encode(), s.encode()) for s in self.sessions)

    # ---------------------------------------------------------------- state
    def state(self) -> dict:
        """What the page polls: each flag's status and version (its latest decision's uid)."""
        corpus = self.corpus()
        flags = {}
        for i in corpus.items():
            r = i.review
            last = r.last if r and r.history else None
            flags[i.id] = {"status": i.status, "version": last.uid if last else "",
                           "by": last.reviewer if last else None, "decision": last.decision if last else None,
                           "at": last.created_at if last else None, "note": bool(r and r.note),
                           "present": i.present}
        return {"run": "|".join(map(str, self._signature)), "counts": corpus.counts(),
                "progress": progress(corpus), "flags": flags}

    def _reviewer(self, payload: dict) -> str:
        r = payload.get("reviewer")
        if r is not None and not isinstance(r, str):
            raise ReviewError("reviewer must be a string")
        return clean_reviewer(r) or self.reviewer

    @staticmethod
    def _base(payload: dict) -> str | None:
        base = payload.get("base")
        if base is not None and not isinstance(base, str):
            raise ReviewError("base must be the version (a string) the decision was made on")
        return base

    def _result(self, flag_ids: list[str], **extra) -> dict:
        corpus = self.corpus()
        st = self.state()
        return {"ok": True, "counts": corpus.counts(), "progress": st["progress"],
                "flags": {f: st["flags"].get(f) for f in flag_ids}, **extra}

    def decide(self, payload: dict) -> dict:
        flag_id = payload.get("flag_id")
        decision = payload.get("decision")
        note = payload.get("note")
        if not isinstance(flag_id, str) or not isinstance(decision, str) or \
                (note is not None and not isinstance(note, str)):
            raise ReviewError("a decision needs flag_id and decision (strings) and an optional note")
        reviewer, base = self._reviewer(payload), self._base(payload)
        corpus = self.corpus()
        flag = corpus.flag(flag_id)
        if flag is None:
            raise ReviewError(f"no flag {flag_id} in the latest run")
        if decision == "note" and not (note or "").strip():
            raise ReviewError("an empty note")
        item = corpus.item(flag_id)
        now_status = item.status if item else "open"
        with ReviewStore(self.out_dir, reconcile=False) as store:
            if decision in STATUS_DECISIONS and not (note or "").strip() and \
                    now_status == ("open" if decision == "reopened" else decision):
                # nothing would change (a second `a`, `u` on an undecided flag): no row
                last = store.latest(flag_id)
                return self._result([flag_id], status=now_status, unchanged=True,
                                    message=f"already {now_status}" + (f" ({last.reviewer})" if last else ""))
            warning = None
            try:
                d = store.record(flag, decision, note=note, reviewer=reviewer, base=base)
            except ExportFailed as e:        # saved; only the export lags
                d, warning = e.decision, str(e)
        item = self.corpus().item(flag_id)
        extra = {"warning": warning} if warning else {}
        return self._result([flag_id], status=item.status if item else "open", decision=d.to_json(), **extra)

    def bulk(self, payload: dict) -> dict:
        """One decision for many flags ({"decision", "flags": [{"id", "base"}]}), all or none, one batch id."""
        decision, wanted = payload.get("decision"), payload.get("flags")
        if decision not in ("accepted", "dismissed") or not isinstance(wanted, list) or not wanted:
            raise ReviewError("a bulk decision is accepted or dismissed for a non-empty list of flags")
        reviewer = self._reviewer(payload)
        corpus = self.corpus()
        batch = uuid.uuid4().hex
        with ReviewStore(self.out_dir, reconcile=False) as store:
            todo = []
            for w in wanted:
                fid = w.get("id") if isinstance(w, dict) else None
                flag = corpus.flag(fid) if isinstance(fid, str) else None
                if flag is None:
                    raise ReviewError(f"no flag {fid} in the latest run")
                item = corpus.item(fid)
                if item and item.status == decision:
                    continue
                todo.append(store.make(flag, decision, reviewer=reviewer, base=self._base(w), batch=batch))
            if todo:
                store.record_many(todo)
        return self._result([d.flag_id for d in todo], batch=batch if todo else None, changed=len(todo),
                            unchanged=len(wanted) - len(todo))

    def undo(self, payload: dict) -> dict:
        """Take back one decision ({"uid"}) or one bulk action ({"batch"}): each flag gets the status it
        had before, as a new decision (the table is append-only). Refused if anyone decided since."""
        uid, batch = payload.get("uid"), payload.get("batch")
        if not isinstance(uid, str) and not isinstance(batch, str):
            raise ReviewError("undo needs the uid of a decision or a batch id")
        reviewer = self._reviewer(payload)
        with ReviewStore(self.out_dir, reconcile=False) as store:
            every = store.decisions()
            undone = [d for d in every if (d.uid == uid if isinstance(uid, str) else d.batch == batch)]
            if not undone:
                raise ReviewError("nothing to undo: no such decision")
            if any(d.decision not in STATUS_DECISIONS for d in undone):
                raise ReviewError("a note cannot be undone; write another one")
            new_batch = uuid.uuid4().hex if len(undone) > 1 else None
            todo = []
            for d in undone:
                before = [e for e in every if e.flag_id == d.flag_id and e.decision in STATUS_DECISIONS
                          and (e.created_at, e.seq or 0) < (d.created_at, d.seq or 0)]
                back = before[-1].decision if before else "reopened"
                flag = {"id": d.flag_id, "kind": d.kind, "message": d.message, "evidence": d.evidence,
                        "severity": d.severity}
                todo.append(store.make(flag, back, reviewer=reviewer, base=d.uid, batch=new_batch, undoes=d.uid))
            store.record_many(todo)
        return self._result([d.flag_id for d in todo], undone=len(todo))


def clean_reviewer(name: str | None) -> str:
    """A reviewer name as recorded: printable, one line, at most 60 characters."""
    name = "".join(ch for ch in (name or "") if ch.isprintable())
    return " ".join(name.split())[:60]


def make_handler(app: ReviewApp):
    class Handler(BaseHTTPRequestHandler):
        server_version = "muster-review"
        sys_version = ""

        def log_message(self, fmt, *args):   # quiet: the terminal shows only the URL
            pass

        # ---------------------------------------------------------------- helpers
        def _send(self, status: int, body: str | bytes, ctype: str = "text/html; charset=utf-8",
                  nonce: str | None = None, headers: dict | None = None, form: bool = False) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            src = f"'nonce-{nonce}'" if nonce else "'none'"
            action = "'self'" if form else "'none'"           # only the login form posts a form
            self.send_header("Content-Security-Policy",
                             f"default-src 'none'; script-src {src}; style-src {src}; connect-src 'self'; "
                             f"img-src 'self' data:; base-uri 'none'; form-action {action}; frame-ancestors 'none'")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _text(self, status: int, message: str) -> None:
            self._send(status, message, "text/plain; charset=utf-8")

        def _json(self, status: int, data: dict) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False), "application/json; charset=utf-8")

        def _host_ok(self) -> bool:
            host = self.headers.get("Host", "")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
            name = name.lower()
            if name in app.allowed_hosts or name.strip("[]") in app.allowed_hosts:
                return True
            if app.allow_remote:
                return False      # remote: only the names the server was started for
            try:   # a literal address only: a name that resolves to 127.0.0.1 may be DNS rebinding
                return ipaddress.ip_address(name.strip("[]")).is_loopback
            except ValueError:
                return False

        def _guard(self) -> bool:
            """Host check, then (remote access) the login cookie. False: an answer was sent."""
            if not self._host_ok():
                self._text(HTTPStatus.FORBIDDEN, "forbidden host")
                return False
            path = urlsplit(self.path).path
            if path == "/login" or app.logged_in(self.headers.get("Cookie")):
                return True
            if self.command in ("GET", "HEAD") and path in ("/", "/index.html"):
                self._send(HTTPStatus.SEE_OTHER, b"", headers={"Location": "/login"})
            else:
                self._json(HTTPStatus.UNAUTHORIZED, {"error": "login", "message": "log in again: reload the page"})
            return False

        def _login_page(self, status: int = HTTPStatus.OK, problem: str = "") -> None:
            nonce = secrets.token_urlsafe(16)
            self._send(status, pages.login_page(nonce=nonce, problem=problem), nonce=nonce, form=True)

        # ---------------------------------------------------------------- GET
        def do_GET(self):
            if not self._guard():
                return
            url = urlsplit(self.path)
            path = url.path
            q = parse_qs(url.query)
            if path == "/login":
                return self._login_page() if app.secret else self._send(HTTPStatus.SEE_OTHER, b"",
                                                                         headers={"Location": "/"})
            try:
                with app.lock:
                    if path in ("/", "/index.html"):
                        nonce = secrets.token_urlsafe(16)
                        html = pages.page(app.corpus(), token=app.token, nonce=nonce, reviewer=app.reviewer,
                                          poll_ms=app.poll_ms)
                        return self._send(HTTPStatus.OK, html, nonce=nonce)
                    if path.startswith("/flag/"):
                        corpus = app.corpus()
                        item = corpus.item(unquote(path[len("/flag/"):]))
                        if item is None:
                            return self._text(HTTPStatus.NOT_FOUND, "no such flag")
                        return self._send(HTTPStatus.OK, pages.detail(corpus, item))
                    if path == "/context":
                        corpus = app.corpus()
                        item = corpus.item((q.get("flag") or [""])[0])
                        doc = (q.get("doc") or [""])[0]
                        try:
                            para = int((q.get("para") or [""])[0])
                        except ValueError:
                            return self._text(HTTPStatus.BAD_REQUEST, "para must be a number")
                        if item is None:
                            return self._text(HTTPStatus.NOT_FOUND, "no such flag")
                        html = pages.paragraph_html(corpus, doc, item.evidence, para)
                        if html is None:
                            return self._send(HTTPStatus.NO_CONTENT, b"")
                        last = para >= len(corpus.source(doc).paragraphs) - 1
                        return self._send(HTTPStatus.OK, html, headers={"X-Last-Paragraph": "1" if last else "0"})
                    if path == "/api/flags":
                        corpus = app.corpus()
                        return self._json(HTTPStatus.OK, {"flags": [i.to_json() for i in corpus.items()],
                                                          "counts": corpus.counts()})
                    if path == "/api/state":
                        return self._json(HTTPStatus.OK, app.state())
                    if path == "/api/session":
                        # a tab opened before a restart gets this server's token (same origin only:
                        # the Host check and the browser's same-origin policy keep it from other sites)
                        return self._json(HTTPStatus.OK, {"token": app.token, "reviewer": app.reviewer})
                    if path == "/favicon.ico":
                        return self._send(HTTPStatus.NO_CONTENT, b"")
            except Exception as e:  # noqa: BLE001 - a broken output file must not kill the server
                return self._text(HTTPStatus.INTERNAL_SERVER_ERROR, f"error: {type(e).__name__}: {e}")
            return self._text(HTTPStatus.NOT_FOUND, "not found")

        do_HEAD = do_GET

        # ---------------------------------------------------------------- POST
        def _body(self, max_len: int = MAX_BODY) -> bytes | None:
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                self._text(HTTPStatus.BAD_REQUEST, "bad Content-Length")
                return None
            if length <= 0 or length > max_len:
                self._text(HTTPStatus.BAD_REQUEST, f"a body of at most {max_len // 1024} KiB is expected")
                return None
            return self.rfile.read(length)

        def _login(self):
            if app.secret is None:
                return self._send(HTTPStatus.SEE_OTHER, b"", headers={"Location": "/"})
            body = self._body(4096)
            if body is None:
                return
            sent = (parse_qs(body.decode("utf-8", "replace")).get("secret") or [""])[0].strip()
            sid = app.login(sent)
            if sid is None:
                time.sleep(1.0)          # slows guessing; the secret has 144 bits anyway
                return self._login_page(HTTPStatus.FORBIDDEN, "That is not the secret this server printed.")
            cookie = f"{COOKIE}={sid}; HttpOnly; SameSite=Strict; Path=/"
            self._send(HTTPStatus.SEE_OTHER, b"", headers={"Location": "/", "Set-Cookie": cookie})

        def do_POST(self):
            if not self._guard():
                return
            path = urlsplit(self.path).path
            if path == "/login":
                return self._login()
            sent = self.headers.get("X-Muster-Token", "")
            if not sent or not hmac.compare_digest(sent.encode(), app.token.encode()):
                # e.g. a tab opened before the server restarted: it fetches /api/session and retries
                return self._json(HTTPStatus.FORBIDDEN, {
                    "error": "session", "message": "missing or wrong session token: the review server was "
                    "restarted since this page was loaded; reload the page"})
            actions = {"/api/decision": app.decide, "/api/bulk": app.bulk, "/api/undo": app.undo}
            if path not in actions:
                return self._text(HTTPStatus.NOT_FOUND, "not found")
            if "application/json" not in self.headers.get("Content-Type", ""):
                return self._text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
            body = self._body()
            if body is None:
                return
            try:
                payload = json.loads(body.decode("utf-8"))
                if not isinstance(payload, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError) as e:
                return self._text(HTTPStatus.BAD_REQUEST, f"bad JSON: {e}")
            try:
                with app.lock:
                    result = actions[path](payload)
            except Conflict as e:
                cur = e.current.to_json() if e.current else None
                with app.lock:
                    st = app.state()
                return self._json(HTTPStatus.CONFLICT, {
                    "error": "conflict", "flag_id": e.flag_id, "message": f"Not saved: {e}", "current": cur,
                    "flag": st["flags"].get(e.flag_id), "counts": st["counts"], "progress": st["progress"]})
            except ReviewError as e:
                return self._text(HTTPStatus.BAD_REQUEST, str(e))
            except Exception as e:  # noqa: BLE001 - say what failed; the decision was not recorded
                return self._text(HTTPStatus.INTERNAL_SERVER_ERROR, f"not saved: {type(e).__name__}: {e}")
            return self._json(HTTPStatus.OK, result)

    return Handler


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(out_dir: Path, *, host: str = "127.0.0.1", port: int = 8765, reviewer: str | None = None,
                allow_remote: bool = False, secret: str | None = None,
                allowed_hosts: list[str] | None = None) -> tuple[ReviewServer, ReviewApp, str]:
    """A bound (not yet serving) server; raises RemoteBindRefused before binding a non-loopback host.

    With allow_remote, every request needs a login (the secret, given or made here: app.secret)
    and the Host header must name this server: `host`, this machine's names, or `allowed_hosts`."""
    check_bind(host, allow_remote)
    names = set(allowed_hosts or [])
    if allow_remote:
        names |= served_names(host)
    app = ReviewApp(out_dir, reviewer=reviewer, allow_remote=allow_remote, secret=secret, allowed_hosts=names)
    server_cls = ReviewServer
    if ":" in host.strip("[]"):
        class V6(ReviewServer):
            address_family = socket.AF_INET6
        server_cls = V6
    server = server_cls((host.strip("[]"), port), make_handler(app))
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    return server, app, f"http://{shown}:{bound_port}/"


def served_names(host: str) -> set[str]:
    """The Host names a remote reviewer may use: the address served on (unless it is a wildcard)
    and this machine's name, fully qualified name and their addresses."""
    names = set()
    h = host.strip().strip("[]")
    if h and h not in ("0.0.0.0", "::"):
        names.add(h.lower())
    for n in {socket.gethostname(), socket.getfqdn()}:
        if not n:
            continue
        names.add(n.lower())
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(n, None)}
        except socket.gaierror:
            pass
    return names
