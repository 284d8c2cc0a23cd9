"""Options shared by several commands, declared once (as datasette/sqlite-utils do)."""
from pathlib import Path

import typer

DbOption = typer.Option(Path("warledger.duckdb"), "--db", help="DuckDB store file (created when missing).",
                        envvar="WARLEDGER_DB")
JsonOption = typer.Option(False, "--json", help="Print the result as one JSON object.")
OutputOption = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output.")
