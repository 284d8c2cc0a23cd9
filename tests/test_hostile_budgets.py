"""Budgets: every document handed to spaCy fits the limits, only white space is inserted, and the work on
worst cases grows linearly (checked against a case eight times smaller, with a wide margin: a quadratic
path would be 64 times slower, a linear one 8 times)."""
from __future__ import annotations

import random
import time

import pytest

from warledger.clean.budget import Limits, break_runs, fit_document, sentence_count
from warledger.errors import IngestError
from warledger.extract.dates import find_dates
from warledger.extract.numbers import _value
from warledger.ingest.html import check_html_budget
from warledger.ingest.records import json_lines, parse_published, printable_name
from warledger.models import Document
from warledger.settings import load_settings

LIMITS = Limits(max_document_chars=2_000, max_parts=5, max_sentences=40, max_line_chars=500, max_token_chars=50)


def _hostile_texts(rng: random.Random):
    yield "!?." * 3000
    yield " ".join(["word"] * 5000)
    yield "He died. " * 2000
    yield ("Two people were killed in Kharkiv on Monday. " * 30 + "\n\n") * 20
    yield "".join(rng.choice("ab .\n!") for _ in range(20_000))
    yield "9" * 6000 + " people were killed."


def test_every_part_fits_the_limits_and_only_white_space_is_inserted():
    for text in _hostile_texts(random.Random(3)):
        fitted = fit_document(Document(doc_id="d", text=text), LIMITS)
        parts = fitted.parts
        assert len(parts) <= LIMITS.max_parts
        for part in parts:
            assert len(part.text) <= LIMITS.max_document_chars
            assert all(len(line) <= LIMITS.max_line_chars for line in part.text.split("\n"))
            assert all(len(run) <= LIMITS.max_token_chars for run in part.text.split())
            assert sentence_count(part.text) <= LIMITS.max_sentences + 1
        kept = "".join("".join(p.text.split()) for p in parts)
        assert "".join(text.split()).startswith(kept)       # nothing rewritten, nothing reordered
        if len(parts) < LIMITS.max_parts:
            assert kept == "".join(text.split())            # nothing lost unless parts were dropped
        assert [p.doc_id for p in parts][:2] == ["d", "d-part2"][:len(parts)]
        assert fitted.warnings or len(text) <= LIMITS.max_document_chars


def _best_of_three(work, *args) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def _tokenize_fitted(text: str) -> None:
    from warledger.extract import load_nlp
    nlp = load_nlp()
    for part in fit_document(Document(doc_id="d", text=text)).parts:
        nlp.tokenizer(part.text)


@pytest.mark.parametrize("make", [
    lambda n: "!?.,;" * (n // 5),                      # a punctuation run without a space (was quadratic)
    lambda n: "&" * n,                                 # what an entity flood leaves
    lambda n: "drone killed town " * (n // 18),        # one long line
], ids=["punctuation run", "entity flood", "long line"])
def test_fitting_and_tokenizing_grow_linearly(make):
    _tokenize_fitted(make(1_000))  # warm up
    small = _best_of_three(_tokenize_fitted, make(50_000))
    large = _best_of_three(_tokenize_fitted, make(400_000))
    assert large < 8 * small * 3, f"8x the input took {large / small:.1f}x the time"


def test_html_budget_is_one_linear_pass_and_refuses_floods_and_depth():
    def nested(depth: int) -> str:
        return "<div>" * depth + "<p>x</p>" + "</div>" * depth

    check_html_budget(nested(300), "ok.html")
    with pytest.raises(IngestError, match="max_html_depth"):
        check_html_budget(nested(401), "deep.html")
    with pytest.raises(IngestError, match="max_html_entities"):
        check_html_budget("&amp;" * 100_001, "flood.html")
    page = lambda n: "<p>a</p><span>b</span>" * n  # noqa: E731
    check_html_budget(page(10), "warm.html")
    small = _best_of_three(check_html_budget, page(5_000), "s.html")
    large = _best_of_three(check_html_budget, page(40_000), "l.html")
    assert large < 8 * small * 3


def test_absurd_numbers_are_not_figures_and_impossible_dates_are_not_dates():
    assert _value("2147483648") is None and _value("9" * 5000) is None and _value("10000000") == 10_000_000
    assert _value("12") == 12
    for value in ("0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "31/12/9999"):
        assert parse_published(value) is None, value
    assert parse_published("2023-05-01").year == 2023
    import datetime as dt
    assert find_dates("on Monday two died", dt.date(9999, 12, 31)) == []
    assert find_dates("on Monday two died", dt.date(1, 1, 1)) == []
    assert find_dates("on Monday two died", dt.date(2023, 5, 3))[0].date == dt.date(2023, 5, 1)


def test_a_bad_jsonl_line_costs_that_line_only():
    text = "\n".join(['{"text": "a"}', "[" * 10_000 + "]" * 10_000, '{"text": "\\ud800 b"}',
                      '{"n": ' + "9" * 5000 + "}", '{"text": "c"}'])
    rows = list(json_lines(text, "f.jsonl"))
    assert [r[2] for r in rows if r[3] is None] == [{"text": "a"}, {"text": "\ud800 b"}, {"text": "c"}]
    assert [r[0] for r in rows if r[3]] == [2, 4] and "nested too deep" in rows[1][3]


def test_file_names_that_are_not_utf8_are_escaped():
    import os
    assert printable_name(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert printable_name("plain.txt") == "plain.txt"
    assert printable_name("\ud800x") == "\\ud800x"


@pytest.mark.parametrize("variable, value", [("WARLEDGER_BATCH_SIZE", "0"), ("WARLEDGER_WORKERS", "-1"),
                                             ("WARLEDGER_MAX_DOCUMENT_CHARS", "5000000"),
                                             ("WARLEDGER_FUSE_WINDOW_DAYS", "-3")])
def test_settings_out_of_range_are_refused_with_the_variable_named(monkeypatch, variable, value):
    from warledger.errors import WarledgerError
    monkeypatch.setenv(variable, value)
    with pytest.raises(WarledgerError, match=variable):
        load_settings()


def test_break_runs_counts_what_it_broke():
    text, runs = break_runs("ok " + "x" * 120 + " fine " + "y" * 51, 50)
    assert runs == 2 and max(len(w) for w in text.split()) == 50
