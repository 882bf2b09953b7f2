"""`muster review`'s local web server (standard library `http.server`, no framework).

Security:
- binds 127.0.0.1 by default and refuses any address that is not loopback unless
  `allow_remote=True` (`--allow-remote`): the page shows the documents and changes decisions;
- every state-changing request (POST) must carry the per-session token, generated at start
  (`secrets.token_urlsafe`) and embedded in the page; without it: 403;
- requests whose Host header is not a loopback name are refused (DNS rebinding), unless remote
  access was allowed;
- pages carry a Content-Security-Policy that runs only this session's nonce-tagged script and
  style; all document text is escaped on the server.

Requests are served one at a time (a lock): one reviewer, small pages, and the SQLite store
sees one writer.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.review import page as pages
from pipeline.review.corpus import Corpus
from pipeline.review.store import ExportFailed, ReviewError, ReviewStore, default_reviewer

MAX_BODY = 64 * 1024
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
    """The state of one review session: output directory, token, reviewer."""

    def __init__(self, out_dir: Path, *, reviewer: str | None = None, allow_remote: bool = False):
        self.out_dir = Path(out_dir)
        self.token = secrets.token_urlsafe(32)
        self.reviewer = (reviewer or "").strip() or default_reviewer()
        self.allow_remote = allow_remote
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

    def decide(self, payload: dict) -> dict:
        flag_id = payload.get("flag_id")
        decision = payload.get("decision")
        note = payload.get("note")
        if not isinstance(flag_id, str) or not isinstance(decision, str) or \
                (note is not None and not isinstance(note, str)):
            raise ReviewError("a decision needs flag_id and decision (strings) and an optional note")
        corpus = self.corpus()
        flag = corpus.flag(flag_id)
        if flag is None:
            raise ReviewError(f"no flag {flag_id} in the latest run")
        if decision == "note" and not (note or "").strip():
            raise ReviewError("an empty note")
        warning = None
        with ReviewStore(self.out_dir, reconcile=False) as store:
            try:
                d = store.record(flag, decision, note=note, reviewer=self.reviewer)
            except ExportFailed as e:        # saved; only the export lags
                d, warning = e.decision, str(e)
        corpus = self.corpus()
        item = corpus.item(flag_id)
        out = {"ok": True, "status": item.status if item else "open", "counts": corpus.counts(),
               "decision": d.to_json()}
        if warning:
            out["warning"] = warning
        return out


def make_handler(app: ReviewApp):
    class Handler(BaseHTTPRequestHandler):
        server_version = "muster-review"
        sys_version = ""

        def log_message(self, fmt, *args):   # quiet: the terminal shows only the URL
            pass

        # ---------------------------------------------------------------- helpers
        def _send(self, status: int, body: str | bytes, ctype: str = "text/html; charset=utf-8",
                  nonce: str | None = None, headers: dict | None = None) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            src = f"'nonce-{nonce}'" if nonce else "'none'"
            self.send_header("Content-Security-Policy",
                             f"default-src 'none'; script-src {src}; style-src {src}; connect-src 'self'; "
                             "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _text(self, status: int, message: str) -> None:
            self._send(status, message, "text/plain; charset=utf-8")

        def _host_ok(self) -> bool:
            if app.allow_remote:
                return True
            host = self.headers.get("Host", "")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
            if name.lower() in LOOPBACK_NAMES:
                return True
            try:   # a literal address only: a name that resolves to 127.0.0.1 may be DNS rebinding
                return ipaddress.ip_address(name.strip("[]")).is_loopback
            except ValueError:
                return False

        # ---------------------------------------------------------------- GET
        def do_GET(self):
            if not self._host_ok():
                return self._text(HTTPStatus.FORBIDDEN, "forbidden host")
            url = urlsplit(self.path)
            path = url.path
            q = parse_qs(url.query)
            try:
                with app.lock:
                    if path in ("/", "/index.html"):
                        nonce = secrets.token_urlsafe(16)
                        html = pages.page(app.corpus(), token=app.token, nonce=nonce, reviewer=app.reviewer)
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
                        body = json.dumps({"flags": [i.to_json() for i in corpus.items()],
                                           "counts": corpus.counts()}, ensure_ascii=False)
                        return self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
                    if path == "/favicon.ico":
                        return self._send(HTTPStatus.NO_CONTENT, b"")
            except Exception as e:  # noqa: BLE001 - a broken output file must not kill the server
                return self._text(HTTPStatus.INTERNAL_SERVER_ERROR, f"error: {type(e).__name__}: {e}")
            return self._text(HTTPStatus.NOT_FOUND, "not found")

        do_HEAD = do_GET

        # ---------------------------------------------------------------- POST
        def do_POST(self):
            if not self._host_ok():
                return self._text(HTTPStatus.FORBIDDEN, "forbidden host")
            sent = self.headers.get("X-Muster-Token", "")
            if not sent or not hmac.compare_digest(sent.encode(), app.token.encode()):
                return self._text(HTTPStatus.FORBIDDEN, "missing or wrong session token")
            if urlsplit(self.path).path != "/api/decision":
                return self._text(HTTPStatus.NOT_FOUND, "not found")
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self._text(HTTPStatus.BAD_REQUEST, "bad Content-Length")
            if length <= 0 or length > MAX_BODY:
                return self._text(HTTPStatus.BAD_REQUEST, "a JSON body of at most 64 KiB is expected")
            if "application/json" not in self.headers.get("Content-Type", ""):
                return self._text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
            try:
                payload = json.loads(self.rfile.read(length).decode("utf-8"))
                if not isinstance(payload, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError) as e:
                return self._text(HTTPStatus.BAD_REQUEST, f"bad JSON: {e}")
            try:
                with app.lock:
                    result = app.decide(payload)
            except ReviewError as e:
                return self._text(HTTPStatus.BAD_REQUEST, str(e))
            except Exception as e:  # noqa: BLE001 - say what failed; the decision was not recorded
                return self._text(HTTPStatus.INTERNAL_SERVER_ERROR, f"not saved: {type(e).__name__}: {e}")
            return self._send(HTTPStatus.OK, json.dumps(result, ensure_ascii=False), "application/json; charset=utf-8")

    return Handler


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(out_dir: Path, *, host: str = "127.0.0.1", port: int = 8765, reviewer: str | None = None,
                allow_remote: bool = False) -> tuple[ReviewServer, ReviewApp, str]:
    """A bound (not yet serving) server; raises RemoteBindRefused before binding a non-loopback host."""
    check_bind(host, allow_remote)
    app = ReviewApp(out_dir, reviewer=reviewer, allow_remote=allow_remote)
    server_cls = ReviewServer
    if ":" in host.strip("[]"):
        class V6(ReviewServer):
            address_family = socket.AF_INET6
        server_cls = V6
    server = server_cls((host.strip("[]"), port), make_handler(app))
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    return server, app, f"http://{shown}:{bound_port}/"
