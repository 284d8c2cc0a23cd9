"""`warledger demo`: the whole pipeline on bundled illustrative articles (written by us, invented events)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table

from warledger.models import Event
from warledger.pipeline import RunSummary, run
from warledger.store import Store

ARTICLES = Path(__file__).with_name("articles")


@dataclass
class DemoResult:
    summary: RunSummary
    events: list[Event]
    report_path: Path | None
    copy_of: dict[str, str] = field(default_factory=dict)  # doc_id -> its copy group, for documents in one


def _figures(best: int | None, low: int | None, high: int | None) -> str:
    """"40", "40 (40–45)", or a dash when no figure is known."""
    if best is None:
        return "–"
    return str(best) if low in (None, best) and high in (None, best) else f"{best} ({low}–{high})"


def distinct_claims(event: Event, copy_of: dict[str, str]) -> int:
    """The event's claims with copies of one text counted once (one per claimant, stance and text)."""
    return len({(c.claimant.name, c.stance, copy_of.get(c.doc_id, c.doc_id)) for c in event.claims})


def events_table(events: list[Event], copy_of: dict[str, str] | None = None) -> Table:
    """The demo's table of events: fits 80 columns (long names wrap), a dash for what is unknown."""
    table = Table(title="events found in the illustrative articles", expand=False, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("what", overflow="fold")
    table.add_column("place")
    table.add_column("killed", justify="right")
    table.add_column("claims", justify="right")
    table.add_column("sources", justify="right")
    table.add_column("disputed")
    for e in events:
        table.add_row(str(e.date) if e.date else "–", e.sub_event_type or e.event_type or "–",
                      e.location.name if e.location else (e.location_text or "–"),
                      _figures(e.killed.best, e.killed.low, e.killed.high), str(distinct_claims(e, copy_of or {})),
                      str(e.independent_sources), "yes" if e.contradictions else "")
    return table


def run_demo(db: str | Path, report_path: str | Path | None = None, progress: bool = True) -> DemoResult:
    """Run the pipeline on the illustrative articles into `db`; write the static report when asked."""
    summary = run([ARTICLES], db=db, progress=progress)
    with Store(db, read_only=True) as store:
        events = store.events()
        copy_of = {d: g.group_id for g in store.copy_groups() for d in g.doc_ids}
    written = None
    if report_path is not None:
        from warledger.serve.report import write_report
        written = write_report(db, report_path)
    return DemoResult(summary=summary, events=events, report_path=Path(written) if written else None,
                      copy_of=copy_of)
