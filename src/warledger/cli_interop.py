"""The `export`, `import` and `watch` commands: thin calls into `warledger.export` and `warledger.watch`."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import typer

from warledger.cli_options import (
    ClaimantOption,
    ContestedOption,
    DateFromOption,
    DateToOption,
    DbOption,
    EventTypeOption,
    JsonOption,
    OutputOption,
    PlaceOption,
    SearchOption,
    SideOption,
    SubEventTypeOption,
)
from warledger.errors import WarledgerError


def _fail(exc: Exception) -> typer.Exit:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    return typer.Exit(1)


def export_command(
        what: str | None = typer.Option(None, "--what",
                                        help="reports, events or documents (JSONL also: tallies, "
                                             "copy_groups). "
                                             "Default: reports for JSONL, events for CSV and GeoJSON, "
                                             "all three tables for Parquet."),
        fmt: str = typer.Option("jsonl", "--format", "-f",
                                help="jsonl, acled-csv, ucdp-csv, csv (flat event rows), geojson or parquet."),
        output: Path | None = OutputOption,
        db: Path = DbOption,
        date_from: str | None = DateFromOption, date_to: str | None = DateToOption,
        event_type: list[str] | None = EventTypeOption, sub_event_type: list[str] | None = SubEventTypeOption,
        side: list[str] | None = SideOption, place: list[str] | None = PlaceOption,
        claimant: list[str] | None = ClaimantOption, q: str | None = SearchOption,
        contested: bool = ContestedOption) -> None:
    """Export the store: JSONL (re-importable), ACLED or UCDP CSV, event CSV, GeoJSON, or Parquet (a folder
    with -o). The filter options keep the events the dashboard shows for the same filters."""
    import duckdb

    from warledger.export import export
    from warledger.serve.filters import EventFilters
    from warledger.store import Store, damaged

    if not db.exists():
        raise _fail(FileNotFoundError(f"no store at {db} (give --db)"))
    try:
        filters = EventFilters(date_from=date_from, date_to=date_to, event_type=event_type or [],
                               sub_event_type=sub_event_type or [], side=side or [], place=place or [],
                               claimant=claimant or [], q=q, contested=contested)
        with Store(db, read_only=True) as store:
            written = export(store, fmt, output, what, filters=filters)
    except WarledgerError as exc:
        raise _fail(exc) from exc
    except duckdb.Error as exc:  # a damaged file that opened but cannot be read
        raise _fail(damaged(str(db), exc, "read")) from exc
    if output is not None:
        typer.echo(f"{output}: {written if isinstance(written, int) else json.dumps(written)}", err=True)


FilesArgument = typer.Argument(..., help="JSONL exports: reports, events, documents, tallies, copy groups "
                                         "(told apart by their fields).")
InputsArgument = typer.Argument(..., help="Folders, files or feed URLs to watch.")


def import_command(files: list[Path] = FilesArgument,
                   db: Path = DbOption, as_json: bool = JsonOption) -> None:
    """Load JSONL exports into the store (an exported store re-imports to the same content)."""
    import duckdb

    from warledger.export import import_jsonl
    from warledger.store import Store, store_failure

    try:
        with Store(db) as store:
            counts = import_jsonl(store, *files)
    except WarledgerError as exc:
        raise _fail(exc) from exc
    except duckdb.Error as exc:
        raise _fail(store_failure(str(db), exc)) from exc
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        typer.echo(", ".join(f"{n} {k}" for k, n in counts.items() if n) or "nothing imported")


def watch_command(inputs: list[str] = InputsArgument,
                  db: Path = DbOption,
                  interval: float = typer.Option(60.0, "--interval", help="Seconds between passes."),
                  fetch: bool = typer.Option(False, "--fetch",
                                             help="Allow network access: feed URLs, linked pages."),
                  once: bool = typer.Option(False, "--once", help="One pass, then exit.")) -> None:
    """Process new files and feed entries as they arrive; safe to stop (Ctrl+C) and restart at any time."""
    from warledger.watch import watch

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    def report(done) -> None:
        if done.error:
            typer.secho(f"pass {done.number}: {done.error}", fg=typer.colors.RED, err=True)
        elif done.new_inputs:
            summary = done.summary
            typer.echo(f"pass {done.number}: {len(done.new_inputs)} new input(s): {summary.documents_stored} "
                       f"stored, {summary.documents_extracted} extracted, {len(summary.skipped)} skipped, "
                       f"{len(summary.failed)} failed", err=True)
            for failure in summary.failed:
                typer.echo(f"  failed {failure.doc_id} ({failure.source}) while {failure.stage}: "
                           f"{failure.error}", err=True)

    typer.echo(f"watching {', '.join(inputs)} every {interval:g} s into {db} (Ctrl+C stops)", err=True)
    try:
        ticks = watch(inputs, db=db, interval=interval, fetch=fetch, stop_after=1 if once else None,
                      on_tick=report)
    except WarledgerError as exc:
        raise _fail(exc) from exc
    if once and ticks and ticks[-1].failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `export`, `import` and `watch` to the main Typer app."""
    app.command("export")(export_command)
    app.command("import")(import_command)
    app.command("watch")(watch_command)
