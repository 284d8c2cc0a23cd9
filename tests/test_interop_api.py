"""The Python API, `warledger.api.open(db)`, on a store holding the ledger we wrote (cases/interop/ledger)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from warledger import api
from warledger.errors import StoreError
from warledger.export import import_jsonl
from warledger.models import Event, Report
from warledger.store import Store

LEDGER = Path(__file__).resolve().parent / "cases" / "interop" / "ledger"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ledger.duckdb"
    with Store(path) as store:
        import_jsonl(store, *sorted(LEDGER.glob("*.jsonl")))
    return path


def test_open_gives_lists_of_models(db):
    with api.open(db) as ledger:
        events, reports = ledger.events(), ledger.reports()
        assert all(isinstance(e, Event) for e in events) and all(isinstance(r, Report) for r in reports)
        assert [e.event_id for e in events] == ["e_unlocated_drone", "e_appeal_un_20201012",
                                                "e_tartar_20201012"]
        assert len(reports) == 4 and len(ledger.reports("doc_tartar_az")) == 2
        assert [e.event_id for e in ledger.events(contested=True)] == ["e_tartar_20201012"]
        assert [e.event_id for e in ledger.events(kind="event", since="2020-10-12")] == ["e_tartar_20201012"]
        assert ledger.events(until=dt.date(2020, 10, 11))[0].event_id == "e_unlocated_drone"
        assert ledger.event("e_tartar_20201012").killed.high == 3
        assert ledger.tallies()[0].points[0].killed == 43
        assert "documents=3" in repr(ledger)


def test_frames_have_typed_columns(db):
    with api.open(db) as ledger:
        events = ledger.events_frame()
        reports = ledger.reports_frame()
        documents = ledger.documents_frame()
    assert len(events) == 3 and len(reports) == 4 and len(documents) == 3
    assert str(events["killed_best"].dtype) == "Int64" and str(events["lat"].dtype) == "float64"
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    tartar = events.set_index("event_id").loc["e_tartar_20201012"]
    assert (tartar["killed_low"], tartar["killed_high"], bool(tartar["contested"])) == (2, 3, True)
    denied = reports[reports["stance"] == "denied"]
    assert list(denied["claimant"]) == ["Ministry of Defense of Armenia"]
    assert pd.isna(denied["killed"].iloc[0])


def test_polars_frames_when_polars_is_installed(db):
    pl = pytest.importorskip("polars", reason="polars is an optional extra (warledger[frames])")
    with api.open(db) as ledger:
        frame = ledger.events_frame("polars")
    assert frame.height == 3 and frame.schema["killed_best"] == pl.Int64


def test_open_refuses_a_missing_store_and_a_wrong_engine(tmp_path, db):
    with pytest.raises(StoreError, match="no store at"):
        api.open(tmp_path / "missing.duckdb")
    with api.open(db) as ledger, pytest.raises(ValueError, match="engine must be one of pandas, polars"):
        ledger.frame("events", engine="spark")


def test_the_api_exports_like_the_cli(db, tmp_path):
    with api.open(db) as ledger:
        assert ledger.export("acled-csv", tmp_path / "acled.csv") == 2
    assert pd.read_csv(tmp_path / "acled.csv")["fatalities"].tolist() == [0, 2]
