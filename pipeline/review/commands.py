"""The `muster review` command: the review page, or decisions from the terminal."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
STATUSES = ("open", "accepted", "dismissed", "stale")


def register(app) -> None:
    """Add the review command to the typer app."""

    @app.command()
    def review(
        out: Annotated[Path, typer.Option("--out", "-o", help="Output directory of a run.")] = Path("output"),
        list_: Annotated[bool, typer.Option("--list", help="List the flags with their review status.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="With --list: JSON instead of a table.")] = False,
        accept: Annotated[Optional[str], typer.Option(
            "--accept", metavar="ID", help="Accept a flag (a real inconsistency). An unambiguous id prefix will do.")] = None,
        dismiss: Annotated[Optional[str], typer.Option(
            "--dismiss", metavar="ID", help="Dismiss a flag (not an inconsistency).")] = None,
        reopen: Annotated[Optional[str], typer.Option(
            "--reopen", metavar="ID", help="Make a decided flag open again.")] = None,
        note: Annotated[Optional[str], typer.Option(
            "--note", metavar="TEXT", help="A note with --accept/--dismiss/--reopen, or alone with --id.")] = None,
        flag_id: Annotated[Optional[str], typer.Option("--id", metavar="ID", help="The flag a lone --note is for.")] = None,
        reviewer: Annotated[Optional[str], typer.Option(help="Reviewer name (default: the OS user).")] = None,
        status: Annotated[Optional[str], typer.Option(help="With --list: only open/accepted/dismissed/stale.")] = None,
        kind: Annotated[Optional[str], typer.Option(help="With --list: only this flag kind.")] = None,
        host: Annotated[str, typer.Option(help="Address to serve the review page on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8765,
        allow_remote: Annotated[bool, typer.Option(
            "--allow-remote", help="Allow a --host that is not a loopback address (with a login).")] = False,
        secret: Annotated[Optional[str], typer.Option(
            "--secret", envvar="MUSTER_REVIEW_SECRET", show_envvar=True,
            help="With --allow-remote: the secret reviewers log in with (default: one made and printed at start).")] = None,
        allowed_host: Annotated[Optional[list[str]], typer.Option(
            "--allowed-host", metavar="NAME",
            help="With --allow-remote: another Host name the page may be reached by (repeatable).")] = None,
    ) -> None:
        """Review flags: a local web page (default), or --list / --accept / --dismiss in the terminal.

        Decisions go to OUT/muster.sqlite at once and to OUT/reviews.json; they survive re-runs.
        Page keys: j/k move, a accept, d dismiss, n note, u reopen.
        """
        err = Console(stderr=True)
        actions = [(n, v) for n, v in (("accepted", accept), ("dismissed", dismiss), ("reopened", reopen)) if v is not None]
        if note is not None and not actions and flag_id:
            actions = [("note", flag_id)]
        if len(actions) > 1 or (actions and list_):
            err.print("[red]error:[/] give one of --list, --accept, --dismiss, --reopen")
            raise typer.Exit(EXIT_USAGE)
        if note is not None and not actions:
            err.print("[red]error:[/] --note goes with --accept, --dismiss, --reopen, or --id")
            raise typer.Exit(EXIT_USAGE)
        if not out.is_dir():
            err.print(f"[red]error:[/] no output directory {out} (run `muster run ... --out {out}` first)")
            raise typer.Exit(EXIT_USAGE)
        if not has_run(out):
            err.print(f"[red]error:[/] {out} holds no run of muster (no flags.json, no documents/): nothing to review "
                      f"(run `muster run ... --out {out}` first, or give --out the run's directory)")
            raise typer.Exit(EXIT_USAGE)
        if status is not None and status not in STATUSES:
            err.print(f"[red]error:[/] unknown --status {status!r}: use one of {', '.join(STATUSES)}")
            raise typer.Exit(EXIT_USAGE)
        if kind is not None:
            kinds = known_kinds(out)
            if kind not in kinds:
                err.print(f"[red]error:[/] unknown --kind {kind!r}: use one of {', '.join(kinds)}")
                raise typer.Exit(EXIT_USAGE)
        if actions:
            _decide(out, actions[0][0], actions[0][1], note, reviewer, err)
            return
        if list_ or as_json:
            _list(out, as_json, status, kind, err)
            return
        if (secret or allowed_host) and not allow_remote:
            err.print("[red]error:[/] --secret and --allowed-host go with --allow-remote")
            raise typer.Exit(EXIT_USAGE)
        _serve(out, host, port, reviewer, allow_remote, err, secret=secret, allowed_hosts=allowed_host or [])


    @app.command("export")
    def export_cmd(
        out: Annotated[Path, typer.Option("--out", "-o", help="Output directory of a run.")] = Path("output"),
        fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | labelstudio | doccano | webanno")] = "jsonl",
        to: Annotated[Optional[Path], typer.Option("--to", help="Folder to write to (default: OUT/export).")] = None,
    ) -> None:
        """Export a run: tables (jsonl, csv: mentions, entities, flags with decisions, relations), or
        pre-annotations for Label Studio and doccano, or W3C Web Annotations (JSON-LD) of the mentions."""
        from pipeline.review.export import FORMATS, export

        err = Console(stderr=True)
        if fmt == "parquet":
            err.print("[red]error:[/] parquet needs pyarrow, which is not installed with muster; use --format csv or jsonl")
            raise typer.Exit(EXIT_USAGE)
        if fmt not in FORMATS:
            err.print(f"[red]error:[/] unknown --format {fmt!r}: use one of {', '.join(FORMATS)}")
            raise typer.Exit(EXIT_USAGE)
        if not out.is_dir() or not has_run(out):
            err.print(f"[red]error:[/] {out} holds no run of muster (run `muster run ... --out {out}` first)")
            raise typer.Exit(EXIT_USAGE)
        try:
            written, problems = export(out, fmt, to)
        except OSError as e:
            err.print(f"[red]error:[/] cannot write the export: {e}")
            raise typer.Exit(EXIT_USAGE) from None
        for p in problems:
            err.print(f"[yellow]note:[/] {p}")
        for p in written:
            print(p)


def has_run(out: Path) -> bool:
    """An output directory a run has written to (flags.json or documents/)."""
    return (out / "flags.json").is_file() or (out / "documents").is_dir()


def known_kinds(out: Path) -> list[str]:
    """The contract's flag kinds and any other kind this run's flags.json has."""
    from pipeline.review.render import KIND_LABELS

    kinds = list(KIND_LABELS)
    try:
        data = json.loads((out / "flags.json").read_text(encoding="utf-8"))
        kinds += sorted({f.get("kind") for f in data.get("flags") or [] if isinstance(f, dict)} - set(kinds) - {None})
    except (OSError, ValueError, AttributeError):
        pass
    return kinds


def _decide(out: Path, decision: str, ident: str, note: str | None, reviewer: str | None, err: Console) -> None:
    import sqlite3

    from pipeline.review.corpus import Corpus
    from pipeline.review.store import ExportFailed, ReviewError, ReviewStore

    corpus = Corpus(out)
    for p in corpus.problems:
        err.print(f"[yellow]note:[/] {_plain(p)}")
    found = corpus.find(ident.strip()) if ident.strip() else []
    if not found:
        err.print(f"[red]error:[/] no flag {ident!r} in {out / 'flags.json'} (see `muster review --list`)")
        raise typer.Exit(EXIT_USAGE)
    if len(found) > 1:
        err.print(f"[red]error:[/] {ident!r} matches {len(found)} flags: " + ", ".join(i.id for i in found[:8]))
        raise typer.Exit(EXIT_USAGE)
    item = found[0]
    # a flag gone from the latest run (listed as stale) is decided on what it was when last decided
    flag = corpus.flag(item.id) or {"id": item.id, "kind": item.kind, "severity": item.severity,
                                    "message": item.message, "evidence": item.evidence}
    shown = {"accepted": "accepted", "dismissed": "dismissed", "reopened": "reopened", "note": "noted"}[decision]
    try:
        with ReviewStore(out) as store:
            d = store.record(flag, decision, note=note, reviewer=reviewer)
    except ReviewError as e:
        err.print(f"[red]error:[/] {_plain(str(e))}")
        raise typer.Exit(EXIT_USAGE) from None
    except ExportFailed as e:
        print(f"{item.id} {shown} by {e.decision.reviewer}" + (f": {e.decision.note}" if e.decision.note else ""))
        err.print(f"[yellow]warning:[/] {_plain(str(e))}")
        raise typer.Exit(EXIT_FAILED) from None
    except (sqlite3.Error, OSError) as e:
        err.print(f"[red]error:[/] the decision was NOT saved: {_plain(str(e))} ({out / 'muster.sqlite'})")
        raise typer.Exit(EXIT_FAILED) from None
    print(f"{item.id} {shown} by {d.reviewer}" + (f": {d.note}" if d.note else "")
          + ("" if item.present else " (this flag is not in the latest run; the decision is kept for the record)"))


def _list(out: Path, as_json: bool, status: str | None, kind: str | None, err: Console) -> None:
    from pipeline.review.corpus import Corpus
    from pipeline.review.render import kind_label

    corpus = Corpus(out)
    items = [i for i in corpus.items() if (not status or i.status == status) and (not kind or i.kind == kind)]
    if as_json:
        print(json.dumps({"out": str(out), "counts": corpus.counts(), "problems": corpus.problems,
                          "flags": [i.to_json() for i in items]}, ensure_ascii=False, indent=1))
        return
    for p in corpus.problems:
        err.print(f"[yellow]note:[/] {p}")
    table = Table(title=f"flags in {out}", show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("kind")
    table.add_column("message and evidence", overflow="fold", ratio=1)
    for i in items:
        ev = "; ".join(f"{e.get('doc')}: '{str(e.get('text')).replace(chr(10), ' ')}'" for e in i.evidence[:4])
        note = f"\n[italic]note: {_plain(i.review.note)}[/]" if i.review and i.review.note else ""
        stale = f"\n[magenta]{_plain(i.stale_reason)}[/]" if i.stale_reason else ""
        table.add_row(i.id, i.status, f"{kind_label(i.kind)}\n[dim]{i.severity}[/]",
                      f"{_plain(i.message)}\n[dim]{_plain(ev)}[/]{note}{stale}")
    Console().print(table)
    counts = corpus.counts()
    print(", ".join(f"{n} {s}" for s, n in counts.items()))


def _plain(s: str | None) -> str:
    from rich.markup import escape

    return escape(s or "")


def _serve(out: Path, host: str, port: int, reviewer: str | None, allow_remote: bool, err: Console, *,
           secret: str | None = None, allowed_hosts: list[str] | None = None) -> None:
    from pipeline.review.server import RemoteBindRefused, make_server

    if secret is not None and len(secret.strip()) < 12:
        err.print("[red]error:[/] --secret must have at least 12 characters")
        raise typer.Exit(EXIT_USAGE)
    try:
        server, app, url = make_server(out, host=host, port=port, reviewer=reviewer, allow_remote=allow_remote,
                                       secret=secret.strip() if secret else None, allowed_hosts=allowed_hosts)
    except RemoteBindRefused as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as e:
        err.print(f"[red]error:[/] cannot serve on {host}:{port}: {e.strerror or e} (try --port 0 for a free port)")
        raise typer.Exit(EXIT_USAGE) from None
    n = len(app.corpus().items())
    if allow_remote:
        names = ", ".join(sorted(app.allowed_hosts))
        err.print("[yellow bold]warning:[/] remote access is on. Anyone who can reach this address and knows the "
                  "secret can read the documents and change decisions, and the traffic is plain HTTP (use it on "
                  f"a trusted network, or behind a TLS proxy). Host names accepted: {names} "
                  "(add one with --allowed-host).")
        if app.secret_generated:
            err.print(f"Log-in secret (give it to the reviewers): [bold]{app.secret}[/]")
        else:
            err.print("Log-in secret: the one given with --secret / MUSTER_REVIEW_SECRET")
    err.print(f"Reviewing {n} flags of {out} at [bold]{url}[/]; decisions are recorded under each browser's "
              f"reviewer name (suggested: {app.reviewer}) (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
