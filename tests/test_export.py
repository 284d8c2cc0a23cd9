"""Exports of a store holding a small ledger we wrote (tests/cases/interop/ledger): ACLED and UCDP CSV,
GeoJSON, Parquet and JSONL, the JSONL round trip, and the `export`/`import` commands."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from warledger.cli_interop import register
from warledger.errors import ExportError, IngestError
from warledger.export import (
    ACLED_COLUMNS,
    ACLED_DTYPES,
    FORMATS,
    UCDP_COLUMNS,
    export,
    export_acled_csv,
    export_geojson,
    export_parquet,
    export_reports_jsonl,
    export_ucdp_csv,
    import_jsonl,
)
from warledger.export.acled import inter_code, interaction_code
from warledger.export.jsonl import document_status
from warledger.models import Actor
from warledger.store import Store

LEDGER = Path(__file__).resolve().parent / "cases" / "interop" / "ledger"
TARTAR = "e_tartar_20201012"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "ledger.duckdb") as opened:
        import_jsonl(opened, *sorted(LEDGER.glob("*.jsonl")))
        yield opened


def _cli():
    app = typer.Typer()
    register(app)
    return app


def test_acled_csv_loads_in_pandas_with_acled_columns_and_dtypes(store):
    out = io.StringIO()
    assert export_acled_csv(store, out, timestamp=1_700_000_000) == 2  # the statement is not an ACLED event
    frame = pd.read_csv(io.StringIO(out.getvalue()), parse_dates=["event_date"], keep_default_na=False,
                        na_values={"latitude": [""], "longitude": [""]})
    assert list(frame.columns) == ACLED_COLUMNS
    for column, dtype in ACLED_DTYPES.items():
        assert str(frame[column].dtype) == dtype, column
    assert str(frame["event_date"].dtype).startswith("datetime64")
    row = frame.set_index("event_id_cnty").loc["AZE" + TARTAR]
    assert row["event_date"].date().isoformat() == "2020-10-12"
    assert (row["year"], row["time_precision"], row["geo_precision"]) == (2020, 1, 1)
    assert row["disorder_type"] == "Political violence"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (1, 7, 17)
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["country"], row["region"]) == (31, "Azerbaijan", "Caucasus and Central Asia")
    assert row["fatalities"] == 2  # claims of 2 and about 3: ACLED codes the lowest
    assert row["source"] == "Example Azeri Wire; Example World News"
    assert row["source_scale"] == "National-International"
    assert "Ministry of Defense of Armenia (AM) denied it" in row["notes"]
    assert "about 3 killed" in row["notes"] and "2 killed, at least 5 wounded" in row["notes"]
    assert row["timestamp"] == 1_700_000_000
    unlocated = frame.set_index("event_id_cnty").loc["XXXe_unlocated_drone"]
    assert unlocated["fatalities"] == 0 and unlocated["iso"] == 0 and pd.isna(unlocated["latitude"])
    assert unlocated["disorder_type"] == "Strategic developments" and unlocated["time_precision"] == 2
    assert unlocated["tags"] == "alleged_ceasefire_violation"


@pytest.mark.parametrize(("name", "side", "code"), [
    ("Civilians", "AZ", 7), ("Protesters", "XX", 6), ("Rioters", None, 5),
    ("Military Forces of Azerbaijan", "AZ", 1), ("Military Forces of Turkey", "TR", 1),
    ("Rapid Support Forces", "XX", 2), ("Artsakh Defense Army", "NK", 2),
    ("Syrian mercenaries", "XX", 3), ("UN peacekeepers", "UN", 8), ("Unknown gunmen", None, 0),
])
def test_acled_inter_codes_follow_the_rules_file(name, side, code):
    assert inter_code(Actor(name=name, side=side)) == code


def test_acled_interaction_puts_the_lower_code_first():
    assert interaction_code(7, 1) == 17
    assert interaction_code(1, 2) == 12
    assert interaction_code(2, 0) == 20


def test_ucdp_csv_has_best_low_high_and_precisions(store):
    out = io.StringIO()
    assert export_ucdp_csv(store, out) == 1  # only the violent event; UCDP has no strategic developments
    frame = pd.read_csv(io.StringIO(out.getvalue()))
    assert list(frame.columns) == UCDP_COLUMNS
    row = frame.iloc[0]
    assert row["id"] == TARTAR
    assert (row["best"], row["low"], row["high"]) == (2, 2, 3)
    assert (row["type_of_violence"], row["where_prec"], row["date_prec"]) == (3, 1, 1)
    assert row["deaths_civilians"] == 2 and pd.isna(row["deaths_unknown"])
    assert row["geom_wkt"] == "POINT (46.93242 40.34179)"
    assert row["event_clarity"] == 2  # the sources disagree
    assert row["date_start"] == row["date_end"] == "2020-10-12"


def test_geojson_has_located_events_as_points(store):
    out = io.StringIO()
    assert export_geojson(store, out) == 1
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [46.93242, 40.34179]}
    props = feature["properties"]
    assert (props["event_id"], props["date"], props["place"]) == (TARTAR, "2020-10-12", "Tartar")
    figures = (props["killed_best"], props["killed_low"], props["killed_high"], props["contested"])
    assert figures == (2, 2, 3, True)
    assert [c["stance"] for c in props["claims_list"]] == ["asserted", "denied", "asserted"]


def test_parquet_folder_has_three_typed_tables(store, tmp_path):
    counts = export_parquet(store, tmp_path / "pq")
    assert counts == {"reports": 4, "events": 3, "documents": 3}
    events = pd.read_parquet(tmp_path / "pq" / "events.parquet")
    reports = pd.read_parquet(tmp_path / "pq" / "reports.parquet")
    documents = pd.read_parquet(tmp_path / "pq" / "documents.parquet")
    assert str(events["lat"].dtype) == "float64" and str(events["claims"].dtype) == "int64"
    tartar = events.set_index("event_id").loc[TARTAR]
    assert (tartar["killed_low"], tartar["outlets"]) == (2, "Example Azeri Wire; Example World News")
    by_id = {r.report_id: r for r in store.reports()}
    for _, row in reports.iterrows():
        assert json.loads(row["json"]) == by_id[row["report_id"]].contract()
    assert set(documents["doc_id"]) == {"doc_tartar_az", "doc_tartar_intl", "doc_ru"}


def test_parquet_of_an_empty_store_keeps_its_columns(tmp_path):
    with Store(tmp_path / "empty.duckdb") as empty:
        export(empty, "parquet", tmp_path / "events.parquet", what="events")
    frame = pd.read_parquet(tmp_path / "events.parquet")
    assert len(frame) == 0 and "killed_best" in frame.columns


def test_reports_jsonl_lines_are_the_contract(store):
    out = io.StringIO()
    assert export_reports_jsonl(store, out) == 4
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [r.contract() for r in store.reports()]
    assert all(line["event_id"] for line in lines)


def test_jsonl_round_trip_gives_the_same_store(store, tmp_path):
    files = []
    for what in ("documents", "reports", "events", "tallies", "copy_groups"):
        files.append(tmp_path / f"{what}.jsonl")
        export(store, "jsonl", files[-1], what=what)
    with Store(tmp_path / "copy.duckdb") as copy:
        import_jsonl(copy, *reversed(files))  # the order of the files does not matter
        assert copy.counts() == store.counts()
        assert copy.documents() == store.documents()
        assert document_status(copy) == document_status(store)
        assert copy.reports() == store.reports()
        assert copy.events() == store.events()
        assert copy.tally_series() == store.tally_series()


def test_reimporting_the_same_export_changes_nothing(store, tmp_path):
    export(store, "jsonl", tmp_path / "reports.jsonl", what="reports")
    before = store.reports()
    import_jsonl(store, tmp_path / "reports.jsonl")
    assert store.reports() == before and store.counts()["reports"] == 4


def test_import_names_the_file_and_line_of_a_bad_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"report_id": "r1", "claimant": {"name": "x"}, "doc_id": "d", "kind": "event"}\n{oops\n')
    with Store(tmp_path / "s.duckdb") as target, pytest.raises(IngestError, match=r"bad\.jsonl, line 2"):
        import_jsonl(target, bad)


def test_export_refuses_a_format_that_cannot_hold_what_is_asked(store):
    with pytest.raises(ExportError, match="acled-csv holds events, not reports"):
        export(store, "acled-csv", None, what="reports")
    with pytest.raises(ExportError, match="Parquet is binary"):
        export(store, "parquet")
    with pytest.raises(ExportError, match="unknown export format"):
        export(store, "xlsx")
    assert set(FORMATS) == {"jsonl", "acled-csv", "ucdp-csv", "csv", "geojson", "parquet"}


def test_cli_export_and_import_round_trip(store, tmp_path):
    db = Path(store.path)
    store.close()
    runner = CliRunner()
    for what in ("documents", "reports", "events", "tallies"):
        result = runner.invoke(_cli(), ["export", "--what", what, "--format", "jsonl",
                                        "-o", str(tmp_path / f"{what}.jsonl"), "--db", str(db)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(_cli(), ["export", "--format", "acled-csv", "--db", str(db)])
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == ",".join(ACLED_COLUMNS)
    copy = tmp_path / "copy.duckdb"
    result = runner.invoke(_cli(), ["import", *(str(tmp_path / f"{w}.jsonl") for w in
                                               ("documents", "reports", "events", "tallies")),
                                    "--db", str(copy), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["reports"] == 4
    with Store(db, read_only=True) as original, Store(copy, read_only=True) as imported:
        assert imported.reports() == original.reports() and imported.events() == original.events()
    result = runner.invoke(_cli(), ["export", "--format", "geojson", "--what", "reports", "--db", str(db)])
    assert result.exit_code == 1 and "geojson holds events, not reports" in result.output


def test_acled_source_names_the_site_when_the_outlet_is_unknown():
    from warledger.export.acled import acled_rows
    from warledger.models import Event, Source
    event = Event(event_id="e1", event_type="Battles", sub_event_type="Armed clash",
                  sources=[Source(doc_id="d1", url="https://news.example.org/a/1"),
                           Source(doc_id="d2", outlet="Example Wire"),
                           Source(doc_id="d3", url="https://news.example.org/a/2")])
    (row,) = acled_rows([event], timestamp=0)
    assert row["source"] == "news.example.org; Example Wire"
