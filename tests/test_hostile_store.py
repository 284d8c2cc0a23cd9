"""Hostile stores, imports, exports and options: one clear sentence naming the file and what to do, never a
traceback; a failed export leaves the old file; `import` names each bad line; options out of range refused."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from warledger.cli import app
from warledger.errors import ExportError, IngestError, StoreError
from warledger.export import export, import_jsonl
from warledger.pipeline import run
from warledger.store import Store

GOOD = ("Ministry of Defence officials said on Monday that two drones were shot down near the city of Kharkiv "
        "in Ukraine.\n\nThe text is illustrative, written for this test.")


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    base = tmp_path_factory.mktemp("small")
    (base / "in").mkdir()
    (base / "in" / "one.txt").write_text(GOOD, encoding="utf-8")
    db = base / "s.duckdb"
    run([base / "in"], db=db)
    return db


def _invoke(*args, env=None):
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


@pytest.mark.parametrize("command", ["info", "run"])
def test_a_truncated_store_gets_one_sentence_naming_it(small_store, tmp_path, command):
    damaged = tmp_path / "cut.duckdb"
    data = small_store.read_bytes()
    damaged.write_bytes(data[: len(data) // 3])
    args = ["info", "--db", damaged] if command == "info" else ["run", tmp_path, "--db", damaged, "-q"]
    result = _invoke(*args)
    assert result.exit_code == 1
    assert str(damaged) in result.output and "Traceback" not in result.output
    assert "Restore it from a backup" in result.output or "not a warledger store" in result.output


def test_a_duckdb_file_of_another_program_is_named_and_left_alone(tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE sales (id INTEGER)")
    for args in (["info", "--db", other], ["run", tmp_path, "--db", other, "-q"]):
        result = _invoke(*args)
        assert result.exit_code == 1 and "not a warledger store" in result.output, result.output
    with duckdb.connect(str(other), read_only=True) as con:   # no warledger table was added to it
        assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()] == ["sales"]


def test_a_store_held_by_another_writer_says_so(small_store):
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(small_store)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match="another program holds it"):
            Store(small_store)
    finally:
        holder.kill()
        holder.wait()


def test_a_failed_export_leaves_the_old_file_as_it_was(small_store, tmp_path):
    target = tmp_path / "events.parquet"
    target.write_bytes(b"the previous export")
    with Store(small_store, read_only=True) as store:
        with pytest.raises(ExportError):
            export(store, "parquet", target, what="no-such-table")
        store.con.close()   # the store goes away in the middle of the export
        with pytest.raises(Exception):
            export(store, "jsonl", target, what="reports")
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["events.parquet"]   # no partial file left


def test_an_export_that_succeeds_replaces_the_file(small_store, tmp_path):
    target = tmp_path / "reports.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with Store(small_store, read_only=True) as store:
        written = export(store, "jsonl", target, what="reports")
    lines = target.read_text(encoding="utf-8").splitlines()
    assert written == len(lines) > 0 and all(json.loads(line)["report_id"] for line in lines)


def _exported(small_store, tmp_path):
    paths = {}
    with Store(small_store, read_only=True) as store:
        for what in ("documents", "reports"):
            paths[what] = tmp_path / f"{what}.jsonl"
            export(store, "jsonl", paths[what], what=what)
    return paths


def test_import_refuses_reports_of_missing_documents_and_bad_offsets_by_line(small_store, tmp_path):
    paths = _exported(small_store, tmp_path)
    first = json.loads(paths["reports"].read_text(encoding="utf-8").splitlines()[0])
    reports = [json.loads(json.dumps(first)) for _ in range(2)]
    reports[1]["report_id"] += "-2"
    reports[0]["doc_id"] = "no-such-document"
    reports[1]["evidence"][0]["start"] = -5
    bad = tmp_path / "bad-reports.jsonl"
    bad.write_text("\n".join(json.dumps(r) for r in reports) + "\n", encoding="utf-8")
    with Store(tmp_path / "target.duckdb") as target:
        with pytest.raises(IngestError) as caught:
            import_jsonl(target, paths["documents"], bad)
        assert target.counts()["documents"] == 0   # nothing imported
    message = str(caught.value)
    assert "bad-reports.jsonl, line 1" in message and "no-such-document" in message
    assert "bad-reports.jsonl, line 2" in message and "offsets -5" in message


def test_import_names_lines_that_are_not_utf8_or_do_not_fit_the_model(small_store, tmp_path):
    paths = _exported(small_store, tmp_path)
    lines = paths["reports"].read_bytes().splitlines()
    broken = json.loads(lines[0])
    broken["confidence"] = "very"
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\n".join([lines[0], b'{"report_id": "x", "claimant": {}, "doc_id": "\xff\xfe"}',
                                json.dumps(broken).encode()]) + b"\n")
    result = _invoke("import", paths["documents"], bad, "--db", tmp_path / "t.duckdb")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad.jsonl, line 2: not UTF-8" in result.output
    assert "bad.jsonl, line 3: Report confidence" in result.output


@pytest.mark.parametrize("args, expected", [
    (["watch", ".", "--interval", "-1", "--once"], "--interval -1"),
    (["serve", "--port", "70000"], "65535"),
    (["demo", "--port", "0"], "--port"),
])
def test_options_out_of_range_are_refused_with_a_clear_message(tmp_path, args, expected):
    result = _invoke(*args, "--db", tmp_path / "x.duckdb") if args[0] != "demo" else _invoke(*args)
    assert result.exit_code != 0
    output = " ".join(result.output.replace("│", " ").split())   # Click's boxed message, unwrapped
    assert expected in output and "Traceback" not in output


def test_a_setting_out_of_range_stops_run_with_the_variable_named(tmp_path):
    (tmp_path / "one.txt").write_text(GOOD, encoding="utf-8")
    result = _invoke("run", tmp_path / "one.txt", "--db", tmp_path / "s.duckdb", "-q",
                     env={"WARLEDGER_BATCH_SIZE": "0"})
    assert result.exit_code == 1 and "WARLEDGER_BATCH_SIZE" in result.output and "Traceback" not in result.output


def test_watch_once_exits_nonzero_when_a_pass_fails(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")    # nothing at all can be processed
    os.utime(folder / "empty.txt", (0, 0))                     # settled: written long ago
    result = _invoke("watch", folder, "--once", "--interval", "0", "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1, result.output
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    os.utime(folder / "good.txt", (0, 0))                      # settled: written long ago
    ok = _invoke("watch", folder, "--once", "--interval", "0", "--db", tmp_path / "w.duckdb")
    assert ok.exit_code == 0, ok.output
