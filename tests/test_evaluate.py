"""The evaluator gives the same figures and lines as shared/bin/score-reports on the same input."""
import datetime as dt
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from shared_paths import GOLD, SHARED

from warledger import evaluate
from warledger.evaluate import format_table, load_gold, score_files, score_reports
from warledger.models import SUB_EVENT_TYPES, Claimant, Evidence, Place, Report

SCRIPT = SHARED / "bin" / "score-reports"


@pytest.fixture(scope="module")
def gold():
    if not SCRIPT.is_file() or not GOLD.is_dir():
        pytest.skip(f"score-reports or the seed gold not found under {SHARED} "
                    "(the shared folder beside the repo)")
    return load_gold(GOLD)


def as_prediction(doc_id: str, g: dict) -> dict:
    """A predicted report (contract shape) that says what gold report `g` says."""
    p = {key: value for key, value in g.items() if key not in ("quote", "event_key")}
    p["doc_id"] = doc_id
    if g.get("sub_event_type"):
        p["event_type"] = SUB_EVENT_TYPES[g["sub_event_type"]]
    for key in ("date", "date_start"):
        if isinstance(p.get(key), dt.date):
            p[key] = p[key].isoformat()
    p["evidence"] = [{"start": 0, "end": len(g["quote"]), "text": g["quote"]}] if g.get("quote") else []
    p["event_id"] = g.get("event_key")
    return p


def perturbed_predictions(gold: dict) -> list[dict]:
    """Gold turned into predictions, with some reports dropped, fields changed and extras added."""
    preds = []
    for doc_id, reports in gold.items():
        for i, g in enumerate(reports):
            if i % 5 == 4:
                continue  # dropped: a miss
            p = as_prediction(doc_id, g)
            if i % 3 == 1 and p.get("killed") is not None:
                p["killed"] += 1
            if i % 4 == 2:
                p["claimant"] = {**p["claimant"], "side": "XX", "kind": "other"}
            if i % 6 == 3:
                p["evidence"] = []  # must match on place and date alone, or be missed
                p["date"] = "2020-01-01"
            if i % 7 == 5 and p.get("event_id"):
                p["event_id"] = "merged-event"  # wrong fusion: lowers b-cubed precision
            if i % 8 == 6:
                p["doc_id"] = doc_id + ".txt"  # a file name works as doc_id
            preds.append(p)
        preds.append({"doc_id": doc_id, "kind": "event", "sub_event_type": "Armed clash",
                      "event_type": "Battles", "date": "2020-10-01", "location": {"name": "Nowhere"},
                      "claimant": {"side": "XX"},
                      "evidence": [{"start": 0, "end": 9, "text": "Invented."}], "event_id": "x-" + doc_id})
        preds.append({"doc_id": doc_id, "kind": "statement", "statement_type": "meet", "stance": "asserted",
                      "claimant": {"side": "UN"}, "date": "2020-10-02", "evidence": []})
    preds.append({"doc_id": "999_not_in_gold", "kind": "event", "sub_event_type": "Grenade"})
    return preds


def run_script(pred_file: Path, *flags: str) -> str:
    command = [sys.executable, str(SCRIPT), "--gold", str(GOLD), "--pred", str(pred_file), *flags]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def pred_file(gold, tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "pred.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in perturbed_predictions(gold)))
    return path


def test_same_figures_as_the_script(gold, pred_file):
    expected = json.loads(run_script(pred_file, "--json"))
    result = score_files(GOLD, pred_file)
    assert json.loads(json.dumps(result)) == expected
    # not trivially perfect: every kind of error shows
    assert 0 < expected["core_f1"] < 1
    assert expected["fields"]["claimant"]["accuracy"] < 1 and expected["fields"]["killed"]["accuracy"] < 1
    assert expected["fusion_bcubed"]["precision"] < 1
    assert set(expected["kinds"]) == {"event", "tally", "statement"}
    assert expected["kinds"]["statement"]["fp"] > 0 and expected["kinds"]["event"]["fn"] > 0
    assert result.misses and result.extras


def test_same_table_as_the_script(gold, pred_file):
    result = score_files(GOLD, pred_file)
    assert format_table(result) + "\n" == run_script(pred_file)
    assert format_table(result, show_misses=True) + "\n" == run_script(pred_file, "--show-misses")


def test_score_reports_takes_dicts_and_report_models(gold, pred_file):
    dicts = [json.loads(line) for line in pred_file.read_text().splitlines()]
    assert score_reports(GOLD, dicts) == score_files(GOLD, pred_file)
    g = gold["000_d3cd856a60491968"][0]
    model = Report(doc_id="000_d3cd856a60491968", kind=g["kind"], sub_event_type=g.get("sub_event_type"),
                   event_type=SUB_EVENT_TYPES.get(g.get("sub_event_type")), date=g.get("date"),
                   location=Place(**g["location"]) if g.get("location") else None,
                   claimant=Claimant(**g["claimant"]), stance=g.get("stance", "asserted"),
                   evidence=[Evidence(start=0, end=len(g["quote"]), text=g["quote"])])
    result = score_reports(GOLD, [model])
    assert result["kinds"][g["kind"]]["tp"] == 1
    assert result["kinds"][g["kind"]]["precision"] == 1.0


def test_perfect_predictions_score_one(gold):
    preds = [as_prediction(doc_id, g) for doc_id, reports in gold.items() for g in reports]
    result = score_reports(GOLD, preds)
    assert result["core_f1"] == 1.0 and result["core_field_accuracy"] == 1.0
    assert all(m["f1"] == 1.0 for m in result["kinds"].values())
    assert result.misses == [] and result.extras == []


def test_port_has_the_scripts_fields_and_event_types():
    if not SCRIPT.is_file():
        pytest.skip(f"score-reports not found at {SCRIPT}")
    loader = importlib.machinery.SourceFileLoader("score_reports_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader("score_reports_script", loader)
    script = importlib.util.module_from_spec(spec)
    loader.exec_module(script)
    assert list(evaluate.FIELDS) == list(script.FIELDS)
    assert SUB_EVENT_TYPES == script.SUB_TO_TYPE
