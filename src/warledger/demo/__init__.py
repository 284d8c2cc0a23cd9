"""`warledger demo`: the whole pipeline on bundled illustrative articles (written by us, invented events)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warledger.models import Event
from warledger.pipeline import RunSummary, run
from warledger.store import Store

ARTICLES = Path(__file__).with_name("articles")


@dataclass
class DemoResult:
    summary: RunSummary
    events: list[Event]
    report_path: Path | None


def run_demo(db: str | Path, report_path: str | Path | None = None, progress: bool = True) -> DemoResult:
    """Run the pipeline on the illustrative articles into `db`; write the static report when asked."""
    summary = run([ARTICLES], db=db, progress=progress)
    with Store(db, read_only=True) as store:
        events = store.events()
    written = None
    if report_path is not None:
        from warledger.serve.report import write_report
        written = write_report(db, report_path)
    return DemoResult(summary=summary, events=events, report_path=Path(written) if written else None)
