"""The `conflicts` commands: list, show and check conflict packs (thin calls into `warledger.conflicts`)."""
from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from rich.console import Console
from rich.table import Table

from warledger.cli_options import JsonOption
from warledger.conflicts import PackError, active_registry
from warledger.conflicts.check import check_pack

conflicts_app = typer.Typer(help="Conflict packs: the wars warledger knows (one YAML file each).",
                            no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True)


def _registry():
    try:
        return active_registry()
    except PackError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


@conflicts_app.command("list")
def list_command(as_json: bool = JsonOption) -> None:
    """The packs in force and where each came from (built-in, or a user file)."""
    registry = _registry()
    rows = [{"name": p.pack.name, "start": str(p.pack.start), "parties": [x.side for x in p.pack.parties],
             "actors": sum(len(x.actors) for x in p.pack.parties), "places": len(p.pack.places),
             "source": p.source, "path": str(p.path)} for p in registry.packs]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = Table(title="conflict packs")
    for col in ("name", "start", "parties", "actors", "places", "source", "path"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["start"], " ".join(r["parties"]), str(r["actors"]), str(r["places"]),
                      r["source"], r["path"])
    out.print(table)


@conflicts_app.command("show")
def show_command(name: str = typer.Argument(..., help="A pack's name or file stem (see `warledger conflicts list`)."),
                 as_json: bool = JsonOption) -> None:
    """One pack as the registry read it (defaults filled in)."""
    loaded = _registry().get(name)
    if loaded is None:
        err.print(f"[red]error:[/red] no conflict pack named {name!r}; `warledger conflicts list` shows them")
        raise typer.Exit(1)
    data = loaded.pack.model_dump(mode="json", exclude_defaults=True)
    if as_json:
        out.print_json(json.dumps(data))
        return
    out.print(f"# {loaded.source}: {loaded.path}")
    out.print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), markup=False, highlight=False)


@conflicts_app.command("check")
def check_command(file: Path = typer.Argument(..., help="The pack file to check."),
                  on: Path = typer.Option(None, "--on", help="A folder (or file) of articles: report which of the "
                                                            "pack's aliases, places and keywords they name."),
                  as_json: bool = JsonOption) -> None:
    """Validate a pack (errors name the key and the problem) and, with --on, see what it matches."""
    result = check_pack(file, on=on)
    if as_json:
        out.print_json(json.dumps({"ok": result.ok, "problems": result.problems, "warnings": result.warnings,
                                   "documents": result.documents, "about": result.about,
                                   "matches": [m.__dict__ for m in result.matches],
                                   "unmatched": result.unmatched, "skipped": result.skipped}))
        raise typer.Exit(0 if result.ok else 1)
    for problem in result.problems:
        err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
    if not result.ok:
        err.print("fix the keys named above (README, \"Adding a war\", lists what each key takes)")
        raise typer.Exit(1)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    out.print(f"{file}: valid pack {result.pack.name!r}")
    if on is None:
        return
    out.print(f"{result.documents} document(s) read, {result.about} about this war by its keywords")
    table = Table(title=f"what {file.name} matched in {on}")
    for col in ("kind", "name", "alias", "documents", "mentions"):
        table.add_column(col)
    for m in result.matches:
        table.add_row(m.kind, m.name, m.alias, str(m.documents), str(m.mentions))
    out.print(table)
    if result.unmatched:
        out.print("never named: " + ", ".join(result.unmatched), highlight=False, soft_wrap=True)
    for skipped in result.skipped:
        err.print(f"skipped {skipped}", highlight=False)
