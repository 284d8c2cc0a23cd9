"""Run short texts we wrote through the whole pipeline: each text's reports, by its key."""
from __future__ import annotations

import json
from pathlib import Path

from warledger.pipeline import run
from warledger.store import Store


def reports_by_text(folder: Path, texts: dict[str, str], published: str = "2024-03-12") -> dict[str, list]:
    rows = [{"id": key, "text": text, "published": published, "outlet": "Illustrative Wire"}
            for key, text in texts.items()]
    (folder / "texts.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    run([folder / "texts.jsonl"], db=folder / "s.duckdb")
    with Store(folder / "s.duckdb", read_only=True) as store:
        found = store.reports()
    return {key: [r for r in found if r.doc_id.endswith(key)] for key in texts}
