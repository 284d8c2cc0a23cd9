"""The command line: thin calls into the library (every command has a function a notebook can call)."""
from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from warledger.cli_options import ConflictPackOption, DbOption, EngineOption, JsonOption, RayAddressOption
from warledger.conflicts import use_packs
from warledger.errors import WarledgerError

app = typer.Typer(help="warledger: turn raw conflict reporting into a sourced ledger of events.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
out = Console()


def _fail(exc: Exception) -> None:
    console.print(Text("error: ", style="red") + Text(str(exc)))
    raise typer.Exit(1)


@app.command()
def run(paths: list[Path] = typer.Argument(..., help="Files or folders (recursive) of articles: .txt, .html, "
                                                     ".jsonl, .csv, feeds; a folder may hold manifest.jsonl."),
        db: Path = DbOption,
        conflict_pack: list[Path] = ConflictPackOption,
        no_fuse: bool = typer.Option(False, "--no-fuse", help="Stop after extraction (fuse later with `run`)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or summary table."),
        log_file: Path = typer.Option(None, "--log", help="Write the full log (tracebacks of failed inputs "
                                                          "included) to this file."),
        engine: str = EngineOption, ray_address: str = RayAddressOption) -> None:
    """Ingest, clean, extract, resolve, store and fuse; prints a summary table."""
    from warledger.pipeline import run as run_pipeline
    from warledger.settings import load_settings
    log_to(log_file)
    try:
        use_packs(conflict_pack)
        summary = run_pipeline([str(p) for p in paths], db=db, settings=load_settings(), progress=not quiet,
                               fuse_events=not no_fuse, engine=engine, ray_address=ray_address)
    except WarledgerError as exc:
        _fail(exc)
    if not quiet:
        print_summary(summary)
    if not summary.ok:
        console.print("[red]nothing could be processed[/red]: check the paths and the skipped inputs above.")
        raise typer.Exit(1)


_LOG_HANDLERS: list[logging.Handler] = []


def log_to(log_file: Path | None) -> None:
    """Tracebacks go to the log file (when given), never to the console, which shows one line per problem."""
    logging.basicConfig(level=logging.ERROR)
    for handler in logging.getLogger().handlers:  # the console: one-line problems are in the summary
        handler.setLevel(logging.CRITICAL)
    root = logging.getLogger("warledger")
    while _LOG_HANDLERS:  # a second command in the same process (tests, notebooks) logs to its own file
        handler = _LOG_HANDLERS.pop()
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.NOTSET)
    if log_file is not None:
        handler = logging.FileHandler(log_file, encoding="utf-8", errors="backslashreplace")
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        _LOG_HANDLERS.append(handler)


def print_summary(summary) -> None:
    """The run's figures and every skipped or failed input. Data is shown as text, never as Rich markup."""
    table = Table(title=Text(f"warledger run → {summary.db}"), show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents read", str(summary.documents_read))
    table.add_row("documents stored (new)", str(summary.documents_stored))
    table.add_row("identical texts not stored again", str(summary.duplicates))
    table.add_row("documents extracted", str(summary.documents_extracted))
    table.add_row("documents failed", str(len(summary.failed)))
    for kind in ("event", "tally", "statement"):
        table.add_row(f"reports: {kind}", str(summary.reports_by_kind.get(kind, 0)))
    table.add_row("events (fused)", str(summary.events))
    table.add_row("tally series", str(summary.tally_series))
    table.add_row("copy groups", str(summary.copy_groups))
    table.add_row("skipped inputs", str(len(summary.skipped)))
    for name, count in summary.store_counts.items():
        table.add_row(f"in store: {name}", str(count))
    out.print(table)
    _print_lines(f"skipped inputs ({len(summary.skipped)})",
                 [f"{s.source} [{s.stage}]: {s.reason}" for s in summary.skipped])
    _print_lines(f"documents cut to fit the limits ({len(summary.warnings)})",
                 [f"{w.source}: {w.reason}" for w in summary.warnings])
    _print_lines(f"failed documents ({len(summary.failed)}); `warledger run` tries them again",
                 [f"{f.doc_id} ({f.source}) [{f.stage}]: {f.error}" for f in summary.failed])
    if summary.fuse_error:
        out.print(Text(f"fusion failed, the events of the last fusion are kept: {summary.fuse_error}",
                       style="red"))


MAX_LINES_SHOWN = 200


def _print_lines(title: str, lines: list[str]) -> None:
    """A heading and one unwrapped line per problem (easy to read and to grep); data never as markup."""
    if not lines:
        return
    out.print(Text(title, style="bold"))
    for line in lines[:MAX_LINES_SHOWN]:
        out.print(Text("  " + line), soft_wrap=True)
    if len(lines) > MAX_LINES_SHOWN:
        out.print(Text(f"  ... and {len(lines) - MAX_LINES_SHOWN} more (all of them: `warledger info`, and the "
                       "store's skipped_inputs table)"))


@app.command("eval")
def evaluate(gold: Path = typer.Option(..., "--gold", help="Folder of gold YAML files."),
             pred: Path = typer.Option(None, "--pred", help="JSONL of reports to score (default: the store's)."),
             db: Path = DbOption, as_json: bool = JsonOption,
             show_misses: bool = typer.Option(False, "--show-misses", help="List missed gold reports and extras."),
             by_field: str = typer.Option(None, "--by-field", metavar="FIELD",
                                          help="Print gold against predicted for one field (e.g. location).")
             ) -> None:
    """Score reports against gold YAML exactly as shared/bin/score-reports does."""
    from warledger import evaluate as ev
    if not gold.is_dir():
        _fail(WarledgerError(f"{gold}: no such folder of gold YAML files"))
    if pred is not None:
        if not pred.exists():
            _fail(WarledgerError(f"{pred}: no such file; export one with `warledger export --what reports`"))
        result = ev.score_files(gold, pred)
    else:
        if not db.exists():
            _fail(WarledgerError(f"{db}: no store here; run `warledger run PATH --db {db}` first"))
        from warledger.store import Store
        with Store(db, read_only=True) as store:
            result = ev.score_reports(gold, [r.contract() for r in store.reports()])
    if by_field and by_field not in ev.FIELDS:
        _fail(WarledgerError(f"--by-field {by_field}: unknown field; one of {', '.join(ev.FIELDS)}"))
    if as_json:
        data = {k: v for k, v in result.items()
                if k in ("kinds", "fields", "core_f1", "core_field_accuracy", "fusion_bcubed")}
        data["precision_by_confidence"] = ev.precision_by_confidence(result)
        out.print_json(json.dumps(data))
    else:
        print(ev.format_table(result, show_misses=show_misses))
        print(ev.confidence_line(result))
        if by_field:
            print(f"{by_field}: gold against predicted")
            print("\n".join(ev.field_lines(result, by_field)))


@app.command()
def demo(db: Path = typer.Option(None, "--db", help="Store to create (default: a fresh file in a temp folder)."),
         report: Path = typer.Option(None, "--report", help="Where to write the static HTML report."),
         serve: bool = typer.Option(False, "--serve", help="Start the dashboard on the demo store afterwards."),
         port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port for --serve.")) -> None:
    """Run the whole pipeline on the bundled illustrative articles and show what it found."""
    from warledger.demo import events_table, run_demo
    folder = Path(tempfile.mkdtemp(prefix="warledger-demo-"))
    db = db or folder / "demo.duckdb"
    report = report or folder / "report.html"
    try:
        result = run_demo(db, report)
    except WarledgerError as exc:
        _fail(exc)
    print_summary(result.summary)
    out.print(events_table(result.events, result.copy_of))
    out.print(f"store: {db}")
    if result.report_path:
        out.print(f"report: {result.report_path}")
    if serve:
        from warledger.serve import serve_store
        serve_store(db, host="127.0.0.1", port=port)


@app.command()
def info(db: Path = DbOption, as_json: bool = JsonOption) -> None:
    """What the store holds: counts, schema version, skipped inputs, failed documents."""
    import duckdb

    from warledger.store import Store, damaged
    if not db.exists():
        _fail(WarledgerError(f"{db}: no store here; run `warledger run PATH --db {db}` first"))
    try:
        with Store(db, read_only=True) as store:
            failed = store.failed()
            data = {"db": str(db), "schema_version": store.schema_version(), **store.counts(),
                    "skipped_inputs": store.con.execute("SELECT count(*) FROM skipped_inputs").fetchone()[0],
                    "failed_documents": len(failed)}
    except WarledgerError as exc:
        _fail(exc)
    except duckdb.Error as exc:  # a damaged file that opened but cannot be read
        _fail(damaged(str(db), exc, "read"))
    if as_json:
        out.print_json(json.dumps({**data, "failed": failed}))
        return
    table = Table(title=Text(str(db)))
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in data.items():
        table.add_row(key, Text(str(value)))
    out.print(table)
    _print_lines(f"failed documents ({len(failed)}); `warledger run` tries them again",
                 [f"{f['doc_id']} ({f['source_path']}) [{f['stage']}]: {f['error']}" for f in failed])


def _register_plugins() -> None:
    """Commands that live beside their library code (serve/report, export/import/watch)."""
    from warledger import cli_interop, cli_serve
    from warledger.cli_conflicts import conflicts_app
    cli_serve.register(app)
    cli_interop.register(app)
    app.add_typer(conflicts_app, name="conflicts")


_register_plugins()

