"""JSONL export and import: one object per line, and back into a store to the same content.

Report lines are exactly `Report.contract()` (the contract in spec/reports.md, with `event_id`); event,
tally-series and copy-group lines are the models as JSON; document lines are `Document` plus the two
bookkeeping fields `extracted_version` and `skipped_reason`, so a re-imported store resumes the same way.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from warledger.errors import ExportError, IngestError
from warledger.models import CopyGroup, Document, Event, Report, TallySeries
from warledger.store import Store

log = logging.getLogger(__name__)

# The extractor version given to imported documents whose export did not carry one.
IMPORTED_VERSION = "imported"
JSONL_WHATS = ("reports", "events", "documents", "tallies", "copy_groups")


def document_status(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """doc_id -> (extracted_version, skipped_reason): store bookkeeping that the Document model leaves out."""
    rows = store.con.execute("SELECT doc_id, extracted_version, skipped_reason FROM documents").fetchall()
    return {doc_id: (version, reason) for doc_id, version, reason in rows}


def iter_lines(store: Store, what: str) -> Iterator[dict]:
    """The JSON objects of one export: `what` is reports, events, documents, tallies or copy_groups."""
    if what == "reports":
        yield from (r.contract() for r in store.reports())
    elif what == "events":
        yield from (e.model_dump(mode="json") for e in store.events())
    elif what == "tallies":
        yield from (t.model_dump(mode="json") for t in store.tally_series())
    elif what == "copy_groups":
        yield from (g.model_dump(mode="json") for g in store.copy_groups())
    elif what == "documents":
        status = document_status(store)
        for doc in store.documents():
            version, reason = status.get(doc.doc_id, (None, None))
            yield {**doc.model_dump(mode="json"), "extracted_version": version, "skipped_reason": reason}
    else:
        raise ExportError(f"cannot export {what!r} as JSONL: choose one of {', '.join(JSONL_WHATS)}.")



def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count


def export_jsonl(store: Store, out: IO[str], what: str = "reports") -> int:
    """Write one JSON object per line to the open text stream `out`; returns the number of lines."""
    return write_jsonl(iter_lines(store, what), out)


def export_reports_jsonl(store: Store, out: IO[str]) -> int:
    return export_jsonl(store, out, "reports")


def export_events_jsonl(store: Store, out: IO[str]) -> int:
    return export_jsonl(store, out, "events")


def export_documents_jsonl(store: Store, out: IO[str]) -> int:
    return export_jsonl(store, out, "documents")


# -- import -----------------------------------------------------------------------------------------
def line_kind(obj: dict) -> str:
    """What one exported line is, told by its keys."""
    if "report_id" in obj and "claimant" in obj:
        return "reports"
    if "event_id" in obj and "claims" in obj:
        return "events"
    if "series_id" in obj:
        return "tallies"
    if "group_id" in obj and "doc_ids" in obj:
        return "copy_groups"
    if "doc_id" in obj and "text" in obj:
        return "documents"
    raise ValueError(f"not a warledger export line (keys: {', '.join(sorted(obj)[:8])})")


MAX_PROBLEMS_SHOWN = 10


def read_export(paths: Iterable[str | Path]) -> dict[str, list[dict]]:
    """Read JSONL exports (any kinds, any order) into lists by kind; IngestError naming the file and line of
    each bad line (not UTF-8, not JSON, not an export line)."""
    found, problems = _read_lines(paths)
    _refuse(problems)
    return {kind: [obj for _where, obj in rows] for kind, rows in found.items()}


def _read_lines(paths: Iterable[str | Path]) -> tuple[dict[str, list[tuple[str, dict]]], list[str]]:
    found: dict[str, list[tuple[str, dict]]] = {k: [] for k in JSONL_WHATS}
    problems: list[str] = []
    for path in map(Path, paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(f"cannot read {path}: {exc.strerror or exc}") from exc
        for number, raw in enumerate(data.splitlines(), 1):
            where = f"{path}, line {number}"
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
                found[line_kind(obj)].append((where, obj))
            except UnicodeDecodeError as exc:
                problems.append(f"{where}: not UTF-8 (byte {exc.start + 1})")
            except (json.JSONDecodeError, ValueError, AttributeError, TypeError, RecursionError) as exc:
                problems.append(f"{where}: {_one_line(exc)}")
    return found, problems


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _refuse(problems: list[str]) -> None:
    """Nothing is imported from files with bad lines: IngestError listing them by file and line."""
    if not problems:
        return
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    more = f"; and {len(problems) - MAX_PROBLEMS_SHOWN} more" if len(problems) > MAX_PROBLEMS_SHOWN else ""
    raise IngestError(f"{len(problems)} bad line(s), nothing imported: {shown}{more}")


def _validated(rows: list[tuple[str, dict]], model, problems: list[str], drop: tuple[str, ...] = ()) -> list:
    out = []
    for where, obj in rows:
        try:
            out.append((where, model.model_validate({k: v for k, v in obj.items() if k not in drop}), obj))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(map(str, first["loc"])) or "line"
            problems.append(f"{where}: {model.__name__} {field}: {first['msg']}"
                            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""))
    return out


def _check_references(reports: list, texts: dict[str, str], problems: list[str]) -> None:
    """Each report's document exists (imported or stored) and its evidence offsets quote that document."""
    for where, report, _obj in reports:
        text = texts.get(report.doc_id)
        if text is None:
            problems.append(f"{where}: report {report.report_id} names document {report.doc_id!r}, which is "
                            "neither in the import nor in the store")
            continue
        for ev in report.evidence:
            if not 0 <= ev.start <= ev.end <= len(text):
                problems.append(f"{where}: report {report.report_id} evidence offsets {ev.start}-{ev.end} "
                                f"are outside its document ({len(text)} characters)")
            elif text[ev.start:ev.end] != ev.text:
                problems.append(f"{where}: report {report.report_id} evidence at {ev.start}-{ev.end} does not "
                                "quote its document")


def import_jsonl(store: Store, *paths: str | Path) -> dict[str, int]:
    """Load JSONL exports back into `store`; returns how many objects of each kind were loaded.

    Documents go in first, then each document's reports (replacing the ones it had), then the fusion
    results: events, tally series and copy groups given replace the store's, kinds not given are kept.
    Importing the exports of a store into an empty store gives the same content. Every line is checked
    first (JSON, the model, a report's document and evidence offsets); when any is bad, nothing is
    imported and the IngestError names each bad line.
    """
    found, problems = _read_lines(paths)
    bookkeeping = ("extracted_version", "skipped_reason")
    doc_rows = _validated(found["documents"], Document, problems, drop=bookkeeping)
    report_rows = _validated(found["reports"], Report, problems)
    events = [m for _w, m, _o in _validated(found["events"], Event, problems)]
    tallies = [m for _w, m, _o in _validated(found["tallies"], TallySeries, problems)]
    groups = [m for _w, m, _o in _validated(found["copy_groups"], CopyGroup, problems)]
    texts = {doc.doc_id: doc.text for _w, doc, _o in doc_rows}
    wanted = {r.doc_id for _w, r, _o in report_rows} - set(texts)
    texts.update({d.doc_id: d.text for d in store.documents(sorted(wanted))})
    _check_references(report_rows, texts, problems)
    _refuse(problems)
    docs = [(doc, obj.get("extracted_version"), obj.get("skipped_reason")) for _w, doc, obj in doc_rows]
    reports = [r for _w, r, _o in report_rows]

    versions: dict[str, str] = {}
    for doc, version, reason in docs:
        if not store.put_document(doc, keep_id=True):
            log.info("%s: same text already stored, keeping the stored document", doc.doc_id)
        if reason:
            store.mark_skipped(doc.doc_id, reason)
        if version:
            versions[doc.doc_id] = version
    stored_versions = {d: v for d, (v, _) in document_status(store).items() if v}

    by_doc: dict[str, list[Report]] = {}
    for report in reports:
        by_doc.setdefault(report.doc_id, []).append(report)
    for doc_id, doc_reports in by_doc.items():
        version = versions.get(doc_id) or stored_versions.get(doc_id) or IMPORTED_VERSION
        store.replace_reports(doc_id, doc_reports, version)

    if events or tallies or groups:
        events = events or store.events()
        assignments = {r.report_id: r.event_id for r in store.reports() if r.event_id}
        for event in events:
            assignments.update({rid: event.event_id for rid in event.report_ids})
        store.replace_fusion(events, assignments, tallies or store.tally_series(),
                             groups or store.copy_groups())
    return {"documents": len(docs), "reports": len(reports), "events": len(events),
            "tallies": len(tallies), "copy_groups": len(groups)}
