"""The Ray engine on a local Ray (two CPUs): the local engine's report ids, skips and failures; a worker killed
mid-batch costs nothing; Parquet datasets of documents are a source."""
from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
from shared_paths import SEEDS, SHARED, need_seeds
from typer.testing import CliRunner

from warledger.cli import app
from warledger.extract import load_nlp
from warledger.pipeline import run
from warledger.settings import Settings
from warledger.store import Store

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _ids(db):
    with Store(db, read_only=True) as store:
        reports = store.reports()
        return sorted(r.report_id for r in reports), sorted(e.event_id for e in store.events())


@pytest.fixture(scope="module")
def dev_local(tmp_path_factory):
    need_seeds()
    if not DEV.is_dir():
        pytest.skip(f"{DEV} not found")
    db = tmp_path_factory.mktemp("local") / "dev.duckdb"
    summary = run([DEV], db=db, settings=Settings(workers=2))
    return summary, _ids(db)


def test_run_engine_ray_on_dev_gives_the_local_report_ids(local_ray, dev_local, tmp_path):
    db = tmp_path / "dev-ray.duckdb"
    result = CliRunner().invoke(app, ["run", str(DEV), "--db", str(db), "--engine", "ray", "--quiet"])
    assert result.exit_code == 0, result.output
    reports, events = _ids(db)
    assert len(reports) > 100
    assert (reports, events) == dev_local[1]
    assert not list(tmp_path.glob("*.ray-reports*")), "the Parquet dataset is removed once loaded"


def _kill_one_worker_mid_batch(killed: list, stop: threading.Event) -> None:
    """SIGKILL the first ExtractWorker actor seen running a batch (its process title says `submit`)."""
    while not stop.is_set() and not killed:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    title = fh.read().decode(errors="replace")
            except OSError:
                continue
            if "ExtractWorker" in title and "submit" in title:
                time.sleep(0.5)   # well inside the batch
                os.kill(int(pid), signal.SIGKILL)
                killed.append(int(pid))
                return
        time.sleep(0.1)


def test_a_worker_killed_mid_batch_is_retried_and_nothing_is_lost_or_doubled(local_ray, dev_local, tmp_path):
    db = tmp_path / "killed.duckdb"
    killed: list[int] = []
    stop = threading.Event()
    killer = threading.Thread(target=_kill_one_worker_mid_batch, args=(killed, stop), daemon=True)
    killer.start()
    try:
        summary = run([DEV], db=db, settings=Settings(workers=2, engine="ray"))
    finally:
        stop.set()
        killer.join(5)
    assert killed, "no worker was seen running a batch"
    assert summary.documents_extracted == dev_local[0].documents_extracted and not summary.failed
    assert _ids(db) == dev_local[1]
    with Store(db, read_only=True) as store:
        ids = [r.report_id for r in store.reports()]
    assert len(ids) == len(set(ids))


@pytest.fixture
def small_spacy_limit():
    nlp = load_nlp()
    before = nlp.max_length
    nlp.max_length = 3_000
    yield
    nlp.max_length = before


def _bad_inputs(folder):
    folder.mkdir()
    sentence = "Officials said on Monday that {n} drones were shot down near the city of Kharkiv in Ukraine. "
    for i in range(5):
        (folder / f"article-{i}.txt").write_text(sentence.format(n=i + 2) + "Written for this test.", "utf-8")
    (folder / "toolong.txt").write_text((sentence.format(n=9) * 40).strip(), "utf-8")   # over spaCy's limit
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.xyz").write_text("an unknown kind of file", "utf-8")
    rows = [json.dumps({"id": "row-1", "text": sentence.format(n=3)}), "{not json", json.dumps({"id": "row-3"})]
    (folder / "feed.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
    return folder


def _outcome(summary):
    return (sorted((s.source, s.reason, s.stage) for s in summary.skipped),
            sorted((f.doc_id, f.source, f.stage, f.error) for f in summary.failed),
            summary.documents_read, summary.documents_stored, summary.documents_extracted)


def test_bad_input_gets_the_same_skips_and_failures_as_on_the_local_engine(local_ray, tmp_path,
                                                                             small_spacy_limit):
    folder = _bad_inputs(tmp_path / "in")
    local = run([folder], db=tmp_path / "local.duckdb", settings=Settings(batch_size=2))
    on_ray = run([folder], db=tmp_path / "ray.duckdb", settings=Settings(batch_size=2, engine="ray"))
    assert [f.doc_id for f in local.failed] == ["toolong"]
    assert local.skipped
    assert _outcome(on_ray) == _outcome(local)
    assert _ids(tmp_path / "ray.duckdb") == _ids(tmp_path / "local.duckdb")


def test_bad_input_cleaned_on_ray_tasks_and_reports_through_parquet_give_the_same_outcome(
        local_ray, tmp_path, small_spacy_limit, monkeypatch):
    """The paths a small local run does not take: cleaning on Ray tasks (inputs past DRIVER_CLEAN_MAX) and
    the reports written as a Parquet dataset at `ray_output`, then loaded."""
    from warledger.engines import raydata

    folder = _bad_inputs(tmp_path / "in")
    local = run([folder], db=tmp_path / "local.duckdb", settings=Settings(batch_size=2))
    monkeypatch.setattr(raydata, "DRIVER_CLEAN_MAX", 0)
    out = tmp_path / "reports-out"
    on_ray = run([folder], db=tmp_path / "ray.duckdb",
                 settings=Settings(batch_size=2, engine="ray", ray_output=str(out)))
    assert _outcome(on_ray) == _outcome(local)
    assert _ids(tmp_path / "ray.duckdb") == _ids(tmp_path / "local.duckdb")
    assert list(out.glob("run-*/*.parquet")), "the dataset is kept where ray_output says"


def test_a_parquet_dataset_of_documents_is_a_source(local_ray, tmp_path):
    need_seeds()
    import pyarrow as pa
    import pyarrow.parquet as pq

    manifest = {json.loads(line)["file"]: json.loads(line)
                for line in (SEEDS / "manifest.jsonl").read_text("utf-8").splitlines() if line.strip()}
    rows = [{"doc_id": p.stem, "text": p.read_text("utf-8"), "outlet": manifest.get(p.name, {}).get("outlet"),
             "published": manifest.get(p.name, {}).get("published"), "url": manifest.get(p.name, {}).get("url")}
            for p in sorted(SEEDS.glob("*.txt"))]
    rows.append({"doc_id": "blank", "text": "  ", "outlet": None, "published": None, "url": None})
    dataset = tmp_path / "documents"
    dataset.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), dataset / "part-0.parquet")
    summary = run([dataset], db=tmp_path / "parquet.duckdb", settings=Settings(engine="ray"))
    assert summary.documents_stored == len(rows) - 1
    assert [s.reason for s in summary.skipped] == [f"{dataset}: row blank: no text"]
    local = run([SEEDS], db=tmp_path / "seeds.duckdb")
    assert local.documents_stored == summary.documents_stored
    assert _ids(tmp_path / "parquet.duckdb")[0] == _ids(tmp_path / "seeds.duckdb")[0]


def test_an_unknown_engine_is_refused_with_the_choices(tmp_path):
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--db", str(tmp_path / "s.duckdb"),
                                      "--engine", "spark"])
    assert result.exit_code != 0
    assert "local, ray" in result.output
