"""Bad input never loses stored work: skips are named, the rest goes on, exit status tells when nothing ran."""
from __future__ import annotations

from typer.testing import CliRunner

from warledger.cli import app
from warledger.pipeline import run
from warledger.store import Store

GOOD = ("Ministry of Defence officials said on Monday that two drones were shot down near the city of Kharkiv "
        "in Ukraine.\n\nThe text is illustrative, written for this test.")


def test_bad_files_are_skipped_by_name_and_good_ones_processed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.jsonl").write_text('{"text": "unclosed\n', encoding="utf-8")
    db = tmp_path / "s.duckdb"
    summary = run([folder, tmp_path / "missing.txt"], db=db)
    reasons = " ".join(s.reason for s in summary.skipped)
    for name in ("empty.txt", "junk.txt", "broken.jsonl", "missing.txt"):
        assert name in reasons
    assert summary.documents_stored == 1 and summary.ok
    with Store(db, read_only=True) as store:
        reports = store.reports()
        assert store.con.execute("SELECT count(*) FROM skipped_inputs").fetchone()[0] >= 4
    assert any(r.sub_event_type == "Disrupted weapons use" for r in reports)
    # a later run with only bad input keeps what was stored
    later = run([folder / "empty.txt"], db=db)
    assert later.store_counts["documents"] == 1 and later.store_counts["reports"] == len(reports)


def test_exit_status_is_nonzero_only_when_nothing_could_be_processed(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["run", str(tmp_path / "nothing-here"), "--db", str(tmp_path / "a.duckdb"), "-q"])
    assert bad.exit_code == 1
    (tmp_path / "one.txt").write_text(GOOD, encoding="utf-8")
    ok = runner.invoke(app, ["run", str(tmp_path / "one.txt"), str(tmp_path / "nothing-here"),
                             "--db", str(tmp_path / "b.duckdb")])
    assert ok.exit_code == 0, ok.output
    assert "no such file or folder" in ok.output   # the skip and its reason are in the summary


def test_a_store_that_cannot_be_opened_is_a_clear_error(tmp_path):
    (tmp_path / "not-a-db.duckdb").write_text("this is not a database", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--db", str(tmp_path / "not-a-db.duckdb"), "-q"])
    assert result.exit_code == 1
    assert "cannot open the store" in result.output
