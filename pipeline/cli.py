"""The `muster` command line: thin typer commands over library functions."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from pipeline import __version__, ingest

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  help="Extract, reconcile and check facts in English and Chinese military-history texts.")
err = Console(stderr=True)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
LANGS = ("en", "zh", "zh-Hant", "zh-Hans")


class _RateColumn(ProgressColumn):
    """Documents per second over the run so far."""

    def render(self, task) -> Text:
        elapsed = task.elapsed or 0.0
        if not task.completed or elapsed <= 0:
            return Text("-- docs/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:.1f} docs/s", style="progress.data.speed")


@app.command()
def run(
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help="Files, directories (searched recursively for .txt/.md/.html/.htm) or globs. Default: seeds/")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("output"),
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this many bytes.")] =
        ingest.DEFAULT_MAX_BYTES,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes (0: one per core).")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Process every document again, changed or not.")] = False,
    executor: Annotated[str, typer.Option(help="local (worker processes on this machine) or dask.")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Process documents and write documents/, entities.json and flags.json to OUT.

    Documents already in OUT with the same bytes, pipeline version and model data are not
    processed again (--force does); a batch that was stopped resumes when run again."""
    from pipeline import batch, executors, store

    if executor not in ("local", "dask"):
        err.print(f"[red]error:[/] unknown executor {executor!r}: use local or dask")
        raise typer.Exit(EXIT_USAGE)
    if executor == "dask" and not scheduler:
        err.print("[red]error:[/] --executor dask needs --scheduler ADDRESS (the address of a running "
                  "Dask scheduler, e.g. tcp://127.0.0.1:8786)")
        raise typer.Exit(EXIT_USAGE)
    try:
        paths = ingest.expand_inputs(inputs or ["seeds"])
    except FileNotFoundError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    if not paths:
        err.print("[red]error:[/] no input files found")
        raise typer.Exit(EXIT_USAGE)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as e:
        err.print(f"[red]error:[/] cannot write to the output directory {out}: {e.strerror}")
        raise typer.Exit(EXIT_USAGE) from None

    # auto_refresh off: no refresh thread while worker processes are forked; the bar is redrawn
    # as each document completes.
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        _RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        TextColumn("{task.fields[current]}"),
                        console=err, disable=quiet or len(paths) < 2, transient=True, auto_refresh=False)
    try:
        with progress:
            task = progress.add_task("documents", total=len(paths), current="")
            progress.refresh()
            summary = batch.run(
                [], out, max_bytes=max_bytes, paths=paths, jobs=jobs, force=force, executor=executor,
                scheduler=scheduler,
                on_document=lambda p, rec: progress.update(task, advance=1, current=p.name, refresh=True))
    except store.StoreBusy as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    except executors.ExecutorError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    except (sqlite3.Error, OSError) as e:
        err.print(f"[red]error:[/] cannot write the results to {out}: {e}")
        raise typer.Exit(EXIT_USAGE) from None
    if not quiet:
        _print_summary(summary)
    else:           # what went wrong with the run itself is said even when quiet
        _print_problems(summary, errors=False)
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors or summary.failed else EXIT_OK)


def _print_summary(summary) -> None:
    table = Table(title=f"muster run → {summary.out_dir}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(summary.documents))
    table.add_row("  processed", str(summary.processed))
    table.add_row("  unchanged, skipped", str(summary.skipped))
    for kind in ("date", "formation", "person", "casualty", "strength", "measurement"):
        table.add_row(f"  {kind} mentions", str(summary.mentions.get(kind, 0)))
    table.add_row("corpus documents", str(summary.corpus))
    table.add_row("entities", str(summary.entities))
    for kind, n in sorted(summary.flags.items()):
        table.add_row(f"  flags: {kind}", str(n))
    table.add_row("errors", str(len(summary.errors)))
    if summary.seconds > 0 and summary.processed:
        table.add_row("seconds", f"{summary.seconds:.1f}")
        table.add_row("documents/s (processed)", f"{summary.processed / summary.seconds:.2f}")
    err.print(table)
    _print_problems(summary)


def _print_problems(summary, *, errors: bool = True) -> None:
    from rich.markup import escape

    for name, message in summary.errors if errors else ():
        err.print(f"[red]error[/] {escape(name)}: {escape(message)}")
    for message in summary.failed:
        err.print(f"[red]error[/] {escape(message)}")
    for message in summary.warnings:
        err.print(f"[yellow]warning[/] {escape(message)}")


@app.command()
def extract(
    lang: Annotated[Optional[str], typer.Option(help="Language of lines without one (en, zh, zh-Hant, zh-Hans).")] = None,
) -> None:
    """JSON lines {"id", "text", "lang"?} on stdin -> {"id", "mentions"} per line on stdout."""
    from pipeline.lang.detect import detect
    from pipeline.nlp import extractor

    status = EXIT_OK
    if lang is not None and lang not in LANGS:
        err.print(f"[red]error:[/] unknown --lang {lang!r}: use one of {', '.join(LANGS)}")
        raise typer.Exit(EXIT_USAGE)
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        out = {"id": None, "mentions": []}
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise TypeError("a line must be a JSON object")
            out["id"] = item.get("id")            # kept on every answer, error or not
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
            code = item.get("lang")
            if code is not None and (not isinstance(code, str) or code not in LANGS):
                raise ValueError(f"lang must be one of {', '.join(LANGS)} (or absent), not {code!r}")
        except (ValueError, KeyError, TypeError) as e:
            what = f"missing field {e}" if isinstance(e, KeyError) else str(e)
            print(json.dumps(out | {"line": lineno, "error": f"bad input line: {what}"}, ensure_ascii=False),
                  flush=True)
            status = EXIT_SOME_FAILED
            continue
        try:
            code = code or lang
            if not code:
                code = detect(text).lang if text.strip() else "en"
            if code == "zh":
                code = "zh-Hant"
            if code != "und":
                _, mentions = extractor(code).extract(text)
                out["mentions"] = [m.model_dump(mode="json", exclude_none=True,
                                                exclude={"rule", "entity", "recovered"}) |
                                   _required(m) for m in mentions]
            else:
                out["error"] = "unsupported language: neither English nor Chinese"
                status = EXIT_SOME_FAILED
        except Exception as e:  # noqa: BLE001 - one bad line must not stop the stream
            out["error"] = f"internal error while extracting: {type(e).__name__}: {e}"
            status = EXIT_SOME_FAILED
        print(json.dumps(out, ensure_ascii=False), flush=True)
    raise typer.Exit(status)


def _required(m) -> dict:
    """Contract fields stay present even when null (low/high of open ranges, side, ...)."""
    keep = {"date": ("value",), "formation": ("echelon", "number", "branch", "side"),
            "person": ("name", "rank"), "casualty": ("low", "high", "approx", "category", "side"),
            "strength": ("low", "high", "approx", "what"), "measurement": ("low", "high", "unit", "km_low", "km_high")}
    return {k: getattr(m, k) for k in keep.get(m.type, ())}


@app.command()
def schema(
    out: Annotated[Optional[Path], typer.Option(help="Write one <name>.schema.json per output file here.")] = None,
) -> None:
    """The JSON Schema of every output file, generated from the pydantic records."""
    from pipeline.records import OUTPUT_MODELS

    schemas = {name: model.model_json_schema() for name, model in OUTPUT_MODELS.items()}
    if out is None:
        print(json.dumps(schemas, ensure_ascii=False, indent=1))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, s in schemas.items():
        stem = Path(name).name.replace("<name>", "document").removesuffix(".json")
        (out / f"{stem}.schema.json").write_text(json.dumps(s, ensure_ascii=False, indent=1), encoding="utf-8")
    err.print(f"wrote {len(schemas)} schemas to {out}")


@app.command()
def version() -> None:
    """Print muster's version."""
    print(__version__)


from pipeline.review.commands import register as _register_review  # noqa: E402

_register_review(app)


def main() -> None:
    app()  # click already exits with 2 on usage errors
