"""The `serve` and `report` commands: thin calls into `warledger.serve` (the main CLI calls `register`)."""
from __future__ import annotations

from pathlib import Path

import typer

from warledger.cli_options import DbOption, OutputOption
from warledger.errors import WarledgerError

TilesOption = typer.Option(None, "--tiles", envvar="WARLEDGER_TILES",
                           help="Map tile URL template for users online, e.g. "
                                "https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: offline outlines only).")
TilesAttributionOption = typer.Option(None, "--tiles-attribution",
                                      help="Attribution text the tile provider requires.")


def _fail(exc: Exception) -> typer.Exit:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    return typer.Exit(1)


def serve_command(db: Path = DbOption,
                  host: str = typer.Option("127.0.0.1", "--host",
                                           help="Address to bind (loopback by default; the dashboard has no login)."),
                  port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
                  tiles: str | None = TilesOption, tiles_attribution: str | None = TilesAttributionOption) -> None:
    """Serve the dashboard and its read-only JSON API (OpenAPI at /openapi.json, docs at /api/docs)."""
    from warledger.serve.app import create_app, is_loopback, run_app

    try:
        app = create_app(db, tile_url=tiles, tile_attribution=tiles_attribution)
    except (WarledgerError, ValueError) as exc:
        raise _fail(exc) from exc
    if not is_loopback(host):
        typer.secho(f"warning: serving on {host}: other machines can reach the dashboard (it has no login).",
                    fg=typer.colors.YELLOW, err=True)
    typer.echo(f"warledger dashboard on http://{host}:{port}/  (store {db}; Ctrl+C stops)")
    run_app(app, host, port)


def report_command(db: Path = DbOption, output: Path | None = OutputOption,
                   tiles: str | None = TilesOption, tiles_attribution: str | None = TilesAttributionOption,
                   max_events: int | None = typer.Option(None, "--max-events",
                                                         help="Keep only the newest N events.")) -> None:
    """Write the static HTML report: one file with map, timeline, table and events that opens offline."""
    from warledger.serve import write_report

    try:
        path = write_report(db, output or Path("report.html"), tile_url=tiles, tile_attribution=tiles_attribution,
                            max_events=max_events)
    except (WarledgerError, ValueError) as exc:
        raise _fail(exc) from exc
    typer.echo(str(path.resolve()))


def register(app: typer.Typer) -> None:
    """Add `serve` and `report` to the main Typer app."""
    app.command("serve")(serve_command)
    app.command("report")(report_command)
