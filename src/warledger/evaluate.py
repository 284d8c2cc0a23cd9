"""Score extracted reports against gold YAML files (the contract in shared/spec/reports.md).

A faithful port of `shared/bin/score-reports`: the same matching and the same figures, as functions.
A predicted report matches a gold report of the same document when kind and stance agree and either one of
its evidence texts contains the gold quote, or its place and date (within one day) agree. Matching is
one-to-one, best field agreement first. Fields a gold report leaves out are not scored.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from warledger.models import SUB_EVENT_TYPES, Report

# The fields the script averages into "core field accuracy".
CORE_FIELDS = ["sub_event_type", "location", "date", "actor1", "killed", "wounded", "materiel", "claimant"]


class ScoreResult(dict):
    """The script's `result` dict (kinds, fields, core_f1, core_field_accuracy, fusion_bcubed), so that
    `json.dumps(result)` prints what `score-reports --json` prints; `misses` and `extras` list the gold
    reports not found and the predictions left over, as (doc_id, report) pairs."""

    def __init__(self, result: Mapping, misses: list[tuple[str, dict]], extras: list[tuple[str, dict]],
                 pairs: list[tuple[str, dict, dict]] | None = None):
        super().__init__(result)
        self.misses = misses
        self.extras = extras
        self.pairs = pairs or []  # (doc_id, gold, predicted) for every match


def norm(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = text.replace("\u2019", "'").lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def as_date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _side(obj: object) -> str | None:
    return (obj or {}).get("side") if isinstance(obj, dict) else None


def place_matches(gold: dict, pred: dict) -> bool:
    g, p = gold.get("location"), pred.get("location")
    if not g:
        return True
    if not p:
        return False
    if g.get("geonameid") and p.get("geonameid"):
        return int(g["geonameid"]) == int(p["geonameid"])
    return norm(g.get("name")) == norm(p.get("name"))


def date_matches(gold: dict, pred: dict) -> bool:
    """Within a day; a gold date known to the week, within 3 days; to the month, the same month."""
    g, p = as_date(gold.get("date")), as_date(pred.get("date"))
    if g is None:
        return True
    if p is None:
        return False
    precision = gold.get("date_precision")
    if precision == "month":
        return (g.year, g.month) == (p.year, p.month)
    return abs((g - p).days) <= (3 if precision == "week" else 1)


def evidence_matches(gold: dict, pred: dict) -> bool:
    quote = norm(gold.get("quote"))
    if not quote:
        return False
    return any(quote in norm(e.get("text")) for e in pred.get("evidence") or [])


def _materiel_key(items: Iterable[dict] | None) -> list:
    # the script's order; an item without a count sorts after counted ones (None and int do not compare)
    return sorted(((m.get("type"), m.get("outcome"), m.get("count")) for m in items or []),
                  key=lambda t: (str(t[0]), str(t[1]), t[2] is None, t[2] if isinstance(t[2], int) else 0))


def _actor2_matches(g: dict, p: dict) -> bool:
    # Civilians as the target must be named as civilians, not only given the right side.
    return _side(g.get("actor2")) == _side(p.get("actor2")) and (
        norm((g.get("actor2") or {}).get("name")) != "civilians"
        or norm((p.get("actor2") or {}).get("name")) == "civilians")


FIELDS = {
    "sub_event_type": lambda g, p: g.get("sub_event_type") == p.get("sub_event_type"),
    "event_type": lambda g, p: SUB_EVENT_TYPES.get(g.get("sub_event_type")) == p.get("event_type"),
    "statement_type": lambda g, p: g.get("statement_type") == p.get("statement_type"),
    "date": date_matches,
    "date_start": lambda g, p: as_date(g.get("date_start")) == as_date(p.get("date_start")),
    "location": place_matches,
    "actor1": lambda g, p: _side(g.get("actor1")) == _side(p.get("actor1")),
    "actor2": _actor2_matches,
    "killed": lambda g, p: g.get("killed") == p.get("killed"),
    "wounded": lambda g, p: g.get("wounded") == p.get("wounded"),
    "killed_qualifier": lambda g, p: g.get("killed_qualifier") == p.get("killed_qualifier"),
    "wounded_qualifier": lambda g, p: g.get("wounded_qualifier") == p.get("wounded_qualifier"),
    "materiel": lambda g, p: _materiel_key(g.get("materiel")) == _materiel_key(p.get("materiel")),
    "claimant": lambda g, p: _side(g.get("claimant")) == _side(p.get("claimant")),
    "claimant_kind": lambda g, p: ((g.get("claimant") or {}).get("kind")
                                   == (p.get("claimant") or {}).get("kind")),
    "evidence": evidence_matches,
}


def gold_has(g: dict, field: str) -> bool:
    if field == "event_type":
        return "sub_event_type" in g
    if field == "claimant_kind":
        return "kind" in (g.get("claimant") or {})
    if field == "evidence":
        return "quote" in g
    return field in g


def is_candidate(g: dict, p: dict) -> bool:
    """Whether prediction `p` may be matched to gold report `g` at all."""
    if g.get("kind") != p.get("kind"):
        return False
    if g.get("stance", "asserted") != (p.get("stance") or "asserted"):
        return False
    if evidence_matches(g, p):
        return True
    if g["kind"] == "statement":
        return (g.get("statement_type") == p.get("statement_type")
                and _side(g.get("claimant")) == _side(p.get("claimant")) and date_matches(g, p))
    return place_matches(g, p) and date_matches(g, p)


def agreement(g: dict, p: dict) -> int:
    """How many of the gold report's fields the prediction gets right (ranks the candidate pairs)."""
    return sum(1 for f, ok in FIELDS.items() if gold_has(g, f) and ok(g, p))


def load_gold(folder: str | os.PathLike) -> dict[str, list[dict]]:
    """Gold reports by doc_id from the `*.yaml` files of `folder`."""
    gold = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        gold[str(data["doc_id"])] = data.get("reports") or []
    return gold


def group_reports(reports: Iterable[dict | Report]) -> dict[str, list[dict]]:
    """Predicted reports (contract dicts or Report models) by doc_id, a file name's extension dropped."""
    pred: dict[str, list[dict]] = defaultdict(list)
    for report in reports:
        r = report.contract() if isinstance(report, Report) else report
        pred[Path(str(r.get("doc_id"))).stem].append(r)
    return pred


def load_pred(path: str | os.PathLike) -> dict[str, list[dict]]:
    """Predicted reports by doc_id from a JSONL file (one report a line)."""
    with open(path) as handle:
        return group_reports(json.loads(line) for line in handle if line.strip())


def bcubed(pairs: list[tuple[dict, dict]]) -> tuple[float | None, float | None]:
    """B-cubed precision and recall of predicted event_id clusters against gold event_key clusters."""
    items = [(g.get("event_key"), p.get("event_id")) for g, p in pairs
             if g.get("event_key") and p.get("event_id")]
    if not items:
        return None, None
    prec = rec = 0.0
    for gk, pk in items:
        same_p = [x for x in items if x[1] == pk]
        same_g = [x for x in items if x[0] == gk]
        prec += sum(1 for x in same_p if x[0] == gk) / len(same_p)
        rec += sum(1 for x in same_g if x[1] == pk) / len(same_g)
    return prec / len(items), rec / len(items)


def score(gold: Mapping[str, list[dict]], pred: Mapping[str, list[dict]]) -> ScoreResult:
    """Precision, recall and F1 by kind, accuracy by field, fusion B-cubed; as `score-reports` computes them.

    Predictions for documents that have no gold file are not counted (as in the script).
    """
    counts = defaultdict(lambda: [0, 0, 0])  # kind -> tp, fp, fn
    fields = defaultdict(lambda: [0, 0])  # field -> right, scored
    pairs, misses, extras = [], [], []
    for doc_id in sorted(set(gold) | set(pred)):
        golds = gold.get(doc_id, [])
        preds = pred.get(doc_id, []) if doc_id in gold else []
        options = sorted(((agreement(g, p), gi, pi) for gi, g in enumerate(golds)
                          for pi, p in enumerate(preds) if is_candidate(g, p)), reverse=True)
        used_g, used_p = set(), set()
        for _, gi, pi in options:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = golds[gi], preds[pi]
            pairs.append((doc_id, g, p))
            counts[g["kind"]][0] += 1
            for f, ok in FIELDS.items():
                if gold_has(g, f):
                    fields[f][1] += 1
                    fields[f][0] += bool(ok(g, p))
        for gi, g in enumerate(golds):
            if gi not in used_g:
                counts[g["kind"]][2] += 1
                misses.append((doc_id, g))
        for pi, p in enumerate(preds):
            if pi not in used_p:
                counts[p.get("kind", "?")][1] += 1
                extras.append((doc_id, p))
    return ScoreResult(_summarise(counts, fields, [(g, p) for _, g, p in pairs]), misses, extras, pairs)


def _f1(prec: float, rec: float) -> float:
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def _summarise(counts: Mapping[str, list[int]], fields: Mapping[str, list[int]], pairs: list) -> dict:
    result: dict = {"kinds": {}, "fields": {}}
    for kind, (tp, fp, fn) in sorted(counts.items()):
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        result["kinds"][kind] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(prec, 3),
                                 "recall": round(rec, 3), "f1": round(_f1(prec, rec), 3)}
    core = [counts[k] for k in ("event", "tally") if k in counts]
    tp, fp, fn = (sum(c[i] for c in core) for i in range(3))
    prec, rec = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
    result["core_f1"] = round(_f1(prec, rec), 3)
    for f, (right, n) in sorted(fields.items()):
        result["fields"][f] = {"accuracy": round(right / n, 3), "scored": n}
    accs = [result["fields"][f]["accuracy"] for f in CORE_FIELDS if f in result["fields"]]
    result["core_field_accuracy"] = round(sum(accs) / len(accs), 3) if accs else 0.0
    bp, br = bcubed(pairs)
    result["fusion_bcubed"] = None if bp is None else {
        "precision": round(bp, 3), "recall": round(br, 3), "f1": round(_f1(bp, br), 3)}
    return result


def score_reports(gold_dir: str | os.PathLike, reports: Iterable[dict | Report]) -> ScoreResult:
    """Score predicted reports (contract dicts or Report models) against the gold files in `gold_dir`."""
    return score(load_gold(gold_dir), group_reports(reports))


def score_files(gold_dir: str | os.PathLike, pred_path: str | os.PathLike) -> ScoreResult:
    """Score a JSONL file of predicted reports against the gold files in `gold_dir`."""
    return score(load_gold(gold_dir), load_pred(pred_path))


# Confidence bands for `precision_by_confidence`: (label, lowest confidence in the band).
CONFIDENCE_BANDS = [(">= 0.8", 0.8), ("0.5-0.8", 0.5), ("< 0.5", float("-inf"))]


def precision_by_confidence(result: ScoreResult) -> list[dict]:
    """Precision of the scored predictions in each confidence band: matched ones count as right, the extras
    as wrong (predictions for documents without gold are not scored, as in `score`)."""
    bands = {label: [0, 0] for label, _ in CONFIDENCE_BANDS}
    scored = [(p, True) for _, _, p in result.pairs] + [(p, False) for _, p in result.extras]
    for p, right in scored:
        conf = float(p.get("confidence") or 0.0)
        label = next(lbl for lbl, low in CONFIDENCE_BANDS if conf >= low)
        bands[label][0] += right
        bands[label][1] += 1
    return [{"band": label, "reports": n, "right": r, "precision": round(r / n, 3) if n else None}
            for label, (r, n) in bands.items()]


def _field_value(report: dict, field: str) -> object:
    if field == "event_type":
        return report.get("event_type") or SUB_EVENT_TYPES.get(report.get("sub_event_type"))
    if field == "claimant_kind":
        return (report.get("claimant") or {}).get("kind")
    if field == "evidence":
        return report.get("quote") or " / ".join((e.get("text") or "")[:80] for e in report.get("evidence") or [])
    value = report.get(field)
    if field == "location" and isinstance(value, dict):
        return f"{value.get('name')} ({value.get('geonameid')})"
    if isinstance(value, dict) and "side" in value:
        return f"{value.get('name')} [{value.get('side')}]"
    return value


def confidence_line(result: ScoreResult) -> str:
    """One line: precision in each confidence band (printed after the script's table, which has no such line)."""
    bands = "; ".join(f"{b['band']}: {b['precision'] if b['precision'] is not None else '-'} of {b['reports']}"
                      for b in precision_by_confidence(result))
    return f"precision by confidence: {bands}"


def field_lines(result: ScoreResult, field: str) -> list[str]:
    """Gold against predicted for one field, over every matched pair whose gold scores it; wrong ones first."""
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}; one of: {', '.join(FIELDS)}")
    rows = []
    for doc_id, g, p in result.pairs:
        if gold_has(g, field):
            ok = FIELDS[field](g, p)
            rows.append((ok, f"{'ok ' if ok else 'BAD'} {doc_id}: gold {_field_value(g, field)!s} | "
                             f"predicted {_field_value(p, field)!s} | {(g.get('quote') or '')[:70]}"))
    return [line for _, line in sorted(rows, key=lambda r: r[0])]


def format_table(result: ScoreResult | Mapping, show_misses: bool = False) -> str:
    """The lines `score-reports` prints (without --json), joined by newlines."""
    lines = []
    for kind, m in result["kinds"].items():
        lines.append(f"{kind:10s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
                     f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    for f, m in result["fields"].items():
        lines.append(f"  {f:18s} {m['accuracy']:.3f}  of {m['scored']}")
    lines.append(f"fusion b-cubed: {result['fusion_bcubed']}")
    if show_misses:
        for doc_id, g in getattr(result, "misses", []):
            what = g.get("sub_event_type") or g.get("statement_type")
            lines.append(f"MISS  {doc_id}: {g.get('kind')} {what} "
                         f"{(g.get('location') or {}).get('name')} {g.get('date')} | {g.get('quote')}")
        for doc_id, p in getattr(result, "extras", []):
            ev = " / ".join((e.get("text") or "")[:80] for e in p.get("evidence") or [])
            what = p.get("sub_event_type") or p.get("statement_type")
            lines.append(f"EXTRA {doc_id}: {p.get('kind')} {what} "
                         f"{(p.get('location') or {}).get('name')} {p.get('date')} | {ev}")
    lines.append(f"core F1 (events and tallies) {result['core_f1']:.3f}; "
                 f"core field accuracy {result['core_field_accuracy']:.3f}")
    return "\n".join(lines)
