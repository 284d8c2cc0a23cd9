"""Options shared by several commands, declared once (as datasette/sqlite-utils do)."""
from pathlib import Path

import typer

DbOption = typer.Option(Path("warledger.duckdb"), "--db", help="DuckDB store file (created when missing).",
                        envvar="WARLEDGER_DB")
JsonOption = typer.Option(False, "--json", help="Print the result as one JSON object.")
OutputOption = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output.")
EngineOption = typer.Option(None, "--engine", help="Where reading, cleaning, parsing, extraction and resolution "
                            "run: local (this machine's processes) or ray (Ray Data; needs the ray extra).",
                            envvar="WARLEDGER_ENGINE")
RayAddressOption = typer.Option(None, "--ray-address", help="With --engine ray: the Ray cluster to join "
                                "(auto, ray://head:10001); without it Ray starts on this machine.",
                                envvar="WARLEDGER_RAY_ADDRESS")
ConflictPackOption = typer.Option(None, "--conflict-pack", metavar="FILE",
                                  help="A conflict pack (YAML) to add to the built-in ones; repeatable. A pack "
                                       "named like a built-in one replaces it. Also $WARLEDGER_CONFLICT_PACKS.")
