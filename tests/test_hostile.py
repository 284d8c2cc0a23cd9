"""Hostile input never costs a run: over 2,000 generated hostile inputs (tests/hostile_inputs.py) go through
`warledger run`; the run is not aborted, every input gives a document or a skip line with a reason, and
nothing absurd is stored."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile_inputs import generate
from typer.testing import CliRunner

from warledger.cli import app
from warledger.ingest.records import printable_name
from warledger.plausible import FIRST_YEAR, LAST_YEAR, MAX_FIGURE
from warledger.store import Store

# Limits small enough that small generated files are "huge" for them (see README "Bad input").
ENV = {"WARLEDGER_MAX_DOCUMENT_CHARS": "2000", "WARLEDGER_MAX_FILE_BYTES": "60000", "WARLEDGER_WORKERS": "1"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "in"
    made = generate(root)
    db, log = base / "h.duckdb", base / "run.log"
    result = CliRunner().invoke(app, ["run", str(root), "--db", str(db), "--log", str(log), "-q"], env=ENV)
    yield made, root, db, log, result
    for folder in (root / "unreadable" / "locked-folder",):   # let pytest clean up
        folder.chmod(0o755)


def test_over_two_thousand_hostile_inputs_and_the_run_is_not_aborted(hostile):
    made, _root, db, log, result = hostile
    assert sum(made.values()) >= 2_000 and len(made) == 14
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Traceback" not in result.output
    with Store(db, read_only=True) as store:
        counts = store.counts()
    assert counts["documents"] > 300 and counts["events"] > 0


def _inputs(root: Path) -> list[str]:
    """Every file, link and locked folder under `root`, as the store names it."""
    out = []
    for here, dirs, files in os.walk(os.fsencode(root)):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            if name != b"manifest.jsonl":
                out.append(printable_name(os.fsdecode(os.path.join(here, name))))
        for name in dirs:  # a folder that cannot be listed (root lists every folder)
            if not os.access(os.path.join(here, name), os.R_OK | os.X_OK):
                out.append(printable_name(os.fsdecode(os.path.join(here, name))))
    return out


def test_every_input_gives_a_document_or_a_skip_line_with_a_reason(hostile):
    _made, root, db, _log, _result = hostile
    with Store(db, read_only=True) as store:
        sources = {r[0] for r in store.con.execute("SELECT DISTINCT source_path FROM documents").fetchall()}
        skips = store.con.execute("SELECT source, reason, stage FROM skipped_inputs").fetchall()
    assert all(reason and reason.strip() and stage for _s, reason, stage in skips)
    skipped = {source for source, _r, _s in skips}
    silent = [path for path in _inputs(root) if path not in sources and path not in skipped
              and not any(path.startswith(s + "/") for s in skipped)]
    assert silent == []


def test_nothing_absurd_or_outside_the_tree_is_stored(hostile):
    _made, _root, db, _log, _result = hostile
    with Store(db, read_only=True) as store:
        reports = store.reports()
        documents = store.documents()
    figures = [f for r in reports for f in (r.killed, r.wounded) if f is not None]
    assert figures and max(figures) <= MAX_FIGURE and min(figures) >= 0
    dates = [d for r in reports for d in (r.date, r.date_start) if d is not None]
    dates += [d.published for d in documents if d.published]
    assert dates and all(FIRST_YEAR <= d.year <= LAST_YEAR for d in dates)
    assert not any("root:x:0:0" in d.text or "secret outside the tree" in d.text for d in documents)
    assert all(len(d.text) <= 2_000 for d in documents)  # the test's max_document_chars


def test_same_names_in_other_folders_are_other_documents_and_ids_are_stable(hostile, tmp_path):
    _made, root, db, _log, _result = hostile
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT doc_id, source_path FROM documents WHERE source_path LIKE "
                                 "'%/index.html' ORDER BY source_path").fetchall()
        odd = store.con.execute("SELECT doc_id, source_path FROM documents WHERE source_path LIKE "
                                "'%odd-names%' ORDER BY doc_id").fetchall()
    assert len(rows) == 3 and len({doc_id for doc_id, _ in rows}) == 3
    assert rows[0][0] == "index" and all(doc_id.startswith("index-") for doc_id, _ in rows[1:])
    assert any("caf\\xe9" in source for _id, source in odd)   # bytes that are not UTF-8, escaped
    again = CliRunner().invoke(app, ["run", str(root / "odd-names"), "--db", str(db), "-q"], env=ENV)
    assert again.exit_code == 0, again.output
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT doc_id, source_path FROM documents WHERE source_path LIKE "
                                 "'%odd-names%' ORDER BY doc_id").fetchall() == odd


def test_markup_in_names_and_reasons_is_printed_as_text(tmp_path):
    folder = tmp_path / "in" / "markup["
    folder.mkdir(parents=True)
    (folder / "bold].txt").write_text("Two people were killed in Odesa on Monday, officials said. "
                                      "[bold]Not markup[/bold] {{7*7}}", encoding="utf-8")
    (folder / "red].txt").write_text("", encoding="utf-8")           # a skip whose input names "[/red]"
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--db", str(tmp_path / "m.duckdb")], env=ENV)
    assert result.exit_code == 0, result.output
    assert "markup[/red].txt" in result.output and "red].txt: empty file" in result.output
