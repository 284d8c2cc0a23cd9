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

# The event filters, named as the dashboard's query parameters (`warledger.serve.filters`); the repeatable
# ones take several values (any may match), as the page's URL does with a repeated name.
DateFromOption = typer.Option(None, "--date-from", help="Events on or after this date (YYYY-MM-DD).")
DateToOption = typer.Option(None, "--date-to", help="Events on or before this date (YYYY-MM-DD).")
EventTypeOption = typer.Option(None, "--event-type", help="ACLED event type, e.g. Battles (repeatable).")
SubEventTypeOption = typer.Option(None, "--sub-event-type", help="ACLED sub-event type (repeatable).")
SideOption = typer.Option(None, "--side", help="A side of either actor, e.g. AZ (repeatable).")
PlaceOption = typer.Option(None, "--place", help="Part of the place name (repeatable).")
ClaimantOption = typer.Option(None, "--claimant", help="Part of a claimant's name (repeatable).")
SearchOption = typer.Option(None, "--q", "--search", help="Words that must all occur in the event's text.")
ContestedOption = typer.Option(False, "--contested", help="Only events whose sources disagree.")

ConflictPackOption = typer.Option(None, "--conflict-pack", metavar="FILE",
                                  help="A conflict pack (YAML) to add to the built-in ones; repeatable. A pack "
                                       "named like a built-in one replaces it. Also $WARLEDGER_CONFLICT_PACKS.")
