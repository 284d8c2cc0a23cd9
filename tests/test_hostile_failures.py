"""No document can stop a run: a document that fails is stored and marked failed, the others are extracted,
`info` and the summary show why, and the next run tries it again.

The failure is real: spaCy refuses a text longer than its `max_length` (error E088). warledger's budgets keep
every document under spaCy's default limit, so the test lowers the limit on the loaded model for the time of
one run; the document over it fails inside spaCy, in the middle of a batch, in one process and in two.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from warledger.cli import app
from warledger.extract import load_nlp
from warledger.pipeline import run
from warledger.settings import Settings
from warledger.store import Store

SENTENCE = ("Ministry of Defence officials said on Monday that {n} drones were shot down near the city of Kharkiv "
            "in Ukraine. ")


def _articles(folder, count: int, long_index: int, long_chars: int):
    folder.mkdir()
    for i in range(count):
        text = SENTENCE.format(n=i + 2) + "The text is illustrative, written for this test."
        if i == long_index:
            text = (SENTENCE.format(n=i + 2) * (long_chars // len(SENTENCE) + 1)).strip()
        (folder / f"article-{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_spacy_limit():
    nlp = load_nlp()
    before = nlp.max_length
    nlp.max_length = 3_000
    yield nlp.max_length
    nlp.max_length = before


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_that_fails_is_marked_failed_and_the_others_go_on(tmp_path, small_spacy_limit, workers):
    folder = _articles(tmp_path / "in", count=9, long_index=4, long_chars=4_000)
    db = tmp_path / "s.duckdb"
    # batches of 2: nine documents go through spaCy in `workers` processes, the bad one mid-stream
    settings = Settings(batch_size=2, workers=workers, cache_dir=Settings().cache_dir)
    summary = run([folder], db=db, settings=settings)
    assert summary.documents_stored == 9 and summary.ok
    assert [f.doc_id for f in summary.failed] == ["article-04"]
    failure = summary.failed[0]
    assert failure.stage == "parsing" and failure.error.startswith("ValueError:") and "E088" in failure.error
    assert summary.documents_extracted == 8
    with Store(db, read_only=True) as store:
        assert {r.doc_id for r in store.reports()} == {f"article-{i:02d}" for i in range(9) if i != 4}
        assert [f["doc_id"] for f in store.failed()] == ["article-04"]


def test_failed_documents_are_shown_by_info_and_retried_by_the_next_run(tmp_path, small_spacy_limit):
    folder = _articles(tmp_path / "in", count=3, long_index=1, long_chars=4_000)
    db = tmp_path / "s.duckdb"
    first = run([folder], db=db)
    assert [f.doc_id for f in first.failed] == ["article-01"]
    shown = CliRunner().invoke(app, ["info", "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    info = json.loads(shown.output)
    assert info["failed_documents"] == 1 and info["failed"][0]["stage"] == "parsing"
    assert "E088" in info["failed"][0]["error"]
    # watch does not try a failed document again on every pass; a plain run does
    assert run([folder], db=db, retry_failed=False).documents_extracted == 0
    load_nlp().max_length = 1_000_000
    again = run([folder], db=db)
    assert again.documents_extracted == 1 and not again.failed
    with Store(db, read_only=True) as store:
        assert store.failed() == [] and any(r.doc_id == "article-01" for r in store.reports())


def test_the_summary_lists_the_failed_document_and_the_run_exits_zero(tmp_path, small_spacy_limit):
    folder = _articles(tmp_path / "in", count=2, long_index=0, long_chars=4_000)
    result = CliRunner().invoke(app, ["run", str(folder), "--db", str(tmp_path / "s.duckdb"),
                                      "--log", str(tmp_path / "run.log")])
    assert result.exit_code == 0, result.output
    assert "failed documents (1)" in result.output and "article-00" in result.output
    assert "Traceback" not in result.output
    assert "Traceback" in (tmp_path / "run.log").read_text(encoding="utf-8")  # the traceback is in the log
