"""The command line: every command has help and is documented in the README; the demo runs end to end."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from warledger.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_the_expected_commands_exist():
    assert {"run", "eval", "demo", "info", "export", "import", "watch", "serve", "report"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_documented(name):
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip()) > 40
    assert f"warledger {name}" in README, f"`warledger {name}` is not documented in README.md"


def test_demo_runs_on_the_bundled_illustrative_articles(tmp_path):
    db, report = tmp_path / "demo.duckdb", tmp_path / "report.html"
    result = CliRunner().invoke(app, ["demo", "--db", str(db), "--report", str(report)])
    assert result.exit_code == 0, result.output
    from warledger.store import Store
    with Store(db, read_only=True) as store:
        events = store.events()
        reports = store.reports()
        groups = store.copy_groups()
    odesa = [e for e in events if e.location and e.location.name == "Odesa" and e.killed.best]
    assert odesa, "the Odesa strike of the illustrative articles is found"
    assert any(r.stance == "denied" for r in reports)
    assert any(r.kind == "tally" for r in reports)
    assert any(r.sub_event_type == "Disrupted weapons use" for r in reports)
    assert groups and len(groups[0].doc_ids) == 2, "the syndicated copy is detected"
    assert report.exists() and report.stat().st_size > 1000
    assert str(report) in result.output.replace("\n", "")


def test_info_and_eval_explain_a_missing_store(tmp_path):
    runner = CliRunner()
    missing = tmp_path / "none.duckdb"
    info = runner.invoke(app, ["info", "--db", str(missing)])
    assert info.exit_code == 1 and "warledger run" in info.output
    gold = tmp_path / "gold"
    gold.mkdir()
    ev = runner.invoke(app, ["eval", "--gold", str(gold), "--db", str(missing)])
    assert ev.exit_code == 1 and "warledger run" in ev.output


def test_demo_table_fits_80_columns_with_dashes_for_unknown_figures(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "demo.duckdb"), "--report",
                                      str(tmp_path / "r.html")], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    table = result.output[result.output.index("events found in the illustrative articles"):]
    assert "None" not in table
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "Mykolaiv" in table and "–" in table   # the shoot-down near Mykolaiv has no figure of killed
