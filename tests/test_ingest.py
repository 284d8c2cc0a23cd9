"""Ingest: the seed folder with its manifest, every supported format, and every kind of bad input."""
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from shared_paths import SEEDS

from warledger.errors import IngestError
from warledger.ingest import Skipped, content_hash, parse_published, read_sources
from warledger.ingest.decode import decode_bytes
from warledger.models import Document

HERE = Path(__file__).resolve().parent
GOOD = HERE / "cases" / "ingest" / "good"
BAD = HERE / "cases" / "ingest" / "bad"


def split(items):
    docs = [x for x in items if isinstance(x, Document)]
    skipped = [x for x in items if isinstance(x, Skipped)]
    assert len(docs) + len(skipped) == len(items)
    return docs, skipped


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS} (the shared folder beside the repo)")
    return list(read_sources(SEEDS))


@pytest.fixture(scope="module")
def good():
    docs, skipped = split(list(read_sources(GOOD)))
    return {d.doc_id: d for d in docs}, skipped


def test_seed_folder_gives_five_documents_with_manifest_metadata(seeds):
    docs, skipped = split(seeds)
    assert skipped == []  # README.md and manifest.jsonl are not documents, and not errors either
    assert [d.doc_id for d in docs] == ["000_d3cd856a60491968", "001_6731bb37b37029d6",
                                       "002_a59417acd8045365", "003_f29a8041dc07d8d1", "004_5d385f9b28c48f61"]
    by_id = {d.doc_id: d for d in docs}
    trend = by_id["001_6731bb37b37029d6"]
    assert trend.outlet == "Trend"
    assert trend.published == dt.date(2020, 10, 17)
    assert by_id["002_a59417acd8045365"].published == dt.date(2020, 10, 4)
    assert by_id["000_d3cd856a60491968"].outlet is None
    for doc in docs:
        raw = (SEEDS / f"{doc.doc_id}.txt").read_text(encoding="utf-8")
        assert doc.raw_text == doc.text == raw
        assert doc.language == "en"
        assert Path(doc.source_path) == SEEDS / f"{doc.doc_id}.txt"
        folded = " ".join(raw.split()).encode("utf-8")
        assert doc.content_hash == hashlib.sha256(folded).hexdigest()


def test_ingest_is_deterministic(seeds):
    again = list(read_sources([str(SEEDS)]))
    assert [(d.doc_id, d.content_hash) for d in again] == [(d.doc_id, d.content_hash) for d in seeds]


def test_html_page_gives_main_text_title_and_date(good):
    docs, _ = good
    page = docs["article"]
    assert page.title == "Shelling damages water station in Exampleton"
    assert page.published == dt.date(2023, 5, 4)  # from the page's meta tag (htmldate)
    assert page.outlet == "Example Wire" and page.url == "https://example.org/world/exampleton-water"
    assert "Two workers were wounded and about 12,000 residents" in page.text
    assert "called on both sides to keep civilian infrastructure out of the fighting." in page.text
    assert "All rights reserved" not in page.text and "<p>" not in page.text
    # paragraphs apart by one blank line, the section heading a paragraph of its own
    assert "\n\nAccusations\n\nThe defence ministry" in page.text
    assert "\n\n\n" not in page.text


def test_plain_text_metadata_and_written_dates(good):
    docs, _ = good
    notes = docs["notes"]
    assert (notes.outlet, notes.published, notes.language) == ("Example Daily", dt.date(2023, 5, 5), "en")
    assert notes.title is None
    assert docs["latin1"].published == dt.date(2023, 5, 6)  # a datetime string gives its date


def test_cp1252_text_is_decoded(good):
    docs, _ = good
    assert docs["latin1"].text.startswith("Le village de Noël a été bombardé à l'aube")


def test_jsonl_rows(good):
    docs, skipped = good
    wire = docs["wire-7"]
    assert wire.title == "Fire exchanged at Checkpoint 4" and wire.outlet == "Example Wire"
    assert wire.published == dt.date(2023, 5, 8)
    assert wire.text.startswith("Border guards reported an exchange of fire")
    ferry = docs["rows-2"]  # an html row, no id: <file stem>-<line number>
    assert ferry.title == "Ferry service halted"
    assert ferry.published == dt.date(2023, 5, 9)  # an e-mail style date
    assert "a mine was found near the pier" in ferry.text
    assert docs["rows-7"].language == "en"
    reasons = [s.reason for s in skipped if s.source.endswith("rows.jsonl")]
    assert reasons[0].startswith("rows.jsonl line 3: malformed JSON")
    assert reasons[1] == "rows.jsonl line 4: no 'text' or 'html' with content"
    assert reasons[2] == "rows.jsonl line 6: not a JSON object"
    assert len(reasons) == 3


def test_csv_rows(good):
    docs, skipped = good
    bridge = docs["csv-1"]
    assert bridge.title == "Bridge reopened" and bridge.published == dt.date(2023, 5, 17)
    assert bridge.text == ("The bridge over the river reopened to traffic on Sunday, the roads agency "
                           "said.\n\nRepairs took three weeks.")
    assert docs["rows-3"].published == dt.date(2023, 5, 19)
    assert [s.reason for s in skipped if s.source.endswith("rows.csv")] == [
        "rows.csv row 2: no 'text' or 'html' with content"]


def test_folder_passes_over_unknown_and_hidden_files(good):
    docs, skipped = good
    assert set(docs) == {"article", "notes", "latin1", "wire-7", "rows-2", "rows-7", "csv-1", "rows-3"}
    assert not any(s.source.endswith(("README.md", ".hidden.txt", "manifest.jsonl")) for s in skipped)


EXPECTED_BAD = {
    "blank.txt": "blank.txt: no text (only white space)",
    "empty.txt": "empty.txt: empty file",
    "garbage.txt": "garbage.txt: undecodable",
    "image.txt": "image.txt: binary file, not text",
    "no_text.html": "no_text.html: no article text found in the HTML",
    "no_text_column.csv": "no_text_column.csv: CSV has no 'text' or 'html' column",
}


def test_every_bad_file_is_skipped_with_a_reason_naming_it():
    docs, skipped = split(list(read_sources(BAD)))
    assert docs == []
    by_file = {Path(s.source).name: s.reason for s in skipped if not s.source.endswith("manifest.jsonl")}
    assert set(by_file) == set(EXPECTED_BAD)  # scan.pdf: an unknown suffix inside a folder is passed over
    for name, start in EXPECTED_BAD.items():
        assert by_file[name].startswith(start), by_file[name]
        assert "\n" not in by_file[name]


def test_bad_manifest_lines_are_reported_once():
    _, skipped = split(list(read_sources([BAD, BAD / "empty.txt"])))
    reasons = [s.reason for s in skipped if s.source.endswith("manifest.jsonl")]
    assert len(reasons) == 2
    assert "manifest.jsonl line 2: malformed JSON" in reasons[0]
    assert "manifest.jsonl line 3: needs an object with a 'file' name" in reasons[1]


def test_explicit_unknown_suffix_missing_path_url_and_manifest():
    missing = HERE / "cases" / "ingest" / "no-such-file.txt"
    items = list(read_sources([BAD / "scan.pdf", missing, "https://example.org/a", GOOD / "manifest.jsonl"]))
    docs, skipped = split(items)
    assert docs == []
    skipped = [s for s in skipped if "manifest.jsonl line" not in s.reason]  # bad/ has a broken manifest
    assert len(skipped) == 4
    assert skipped[0].reason.startswith("scan.pdf: unknown file type '.pdf'")
    assert skipped[1].reason == f"{missing}: no such file or folder"
    assert "URLs are not fetched" in skipped[2].reason
    assert "a manifest" in skipped[3].reason


def test_file_over_max_bytes_is_skipped():
    items = list(read_sources(GOOD / "notes.txt", max_bytes=100))
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert items[0].reason.startswith("notes.txt: 246 bytes, over the limit of 100")


def test_identical_texts_share_a_hash(tmp_path):
    (tmp_path / "a.txt").write_text("Three people were wounded in the attack.\n\nThe mayor said so.\n")
    (tmp_path / "b.txt").write_text("Three  people were wounded in the attack.\r\nThe mayor said so.")
    (tmp_path / "c.txt").write_text("Four people were wounded in the attack.\n\nThe mayor said so.\n")
    a, b, c = read_sources(tmp_path)
    assert a.content_hash == b.content_hash != c.content_hash
    assert a.content_hash == content_hash(a.text)


def test_utf16_and_bom_texts(tmp_path):
    (tmp_path / "wide.txt").write_bytes("Town shelled overnight, officials said.".encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfTown shelled overnight, officials said.")
    wide, bom = sorted(read_sources(tmp_path), key=lambda d: d.doc_id, reverse=True)
    assert wide.text == bom.text == "Town shelled overnight, officials said."


def test_manifest_applies_to_explicitly_named_file():
    (doc,) = read_sources(GOOD / "notes.txt")
    assert doc.outlet == "Example Daily"


@pytest.mark.parametrize("value, expected", [
    ("2020-10-17", dt.date(2020, 10, 17)),
    ("2020-10-17T23:59:00+04:00", dt.date(2020, 10, 17)),
    ("2020-10-17 08:00", dt.date(2020, 10, 17)),
    ("17/10/2020", dt.date(2020, 10, 17)),
    ("10/17/2020", dt.date(2020, 10, 17)),
    ("2020/10/17", dt.date(2020, 10, 17)),
    ("17.10.2020", dt.date(2020, 10, 17)),
    ("Sat, 17 Oct 2020 10:00:00 GMT", dt.date(2020, 10, 17)),
    ("17 October 2020", dt.date(2020, 10, 17)),
    ("October 17, 2020", dt.date(2020, 10, 17)),
    ("17 октября 2020", dt.date(2020, 10, 17)),
    ("17 Ekim 2020", dt.date(2020, 10, 17)),
    (dt.datetime(2020, 10, 17, 5, 0), dt.date(2020, 10, 17)),
    ("", None),
    ("not a date", None),
    ("2020-13-45", None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


# Short illustrative sentences in the code pages news sites used before UTF-8.
ENCODED = [
    ("Le village de Noël a été bombardé à l'aube, selon les autorités régionales.", "cp1252"),
    ("Die Stadt wurde über Nacht beschossen, teilten die Behörden mit.", "cp1252"),
    ("Обстрел села продолжался всю ночь, сообщили местные власти.", "cp1251"),
    ("Обстрел села продолжался всю ночь, сообщили местные власти.", "koi8_r"),
    ("Köy gece boyunca bombalandı, yetkililer iki evin yıkıldığını söyledi.", "cp1254"),
    ("Miasto zostało ostrzelane w nocy, poinformowały władze.", "cp1250"),
    ("Η πόλη βομβαρδίστηκε τη νύχτα, ανακοίνωσαν οι αρχές.", "cp1253"),
    ("قصفت القوات المدينة ليلا وقالت السلطات إن منزلين دمرا.", "cp1256"),
    ("町は夜通し砲撃されたと当局が発表した。", "shift_jis"),
]


@pytest.mark.parametrize("text, encoding", ENCODED)
def test_legacy_code_pages_are_guessed(text, encoding):
    assert decode_bytes(text.encode(encoding), "x.txt") == text


def test_declared_html_charset_is_used(tmp_path):
    body = "Обстрел села продолжался всю ночь, сообщили местные власти. Два дома разрушены."
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            f"<title>Обстрел</title></head><body><article><p>{body}</p><p>{body}</p></article></body></html>")
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    (doc,) = read_sources(tmp_path / "ru.html")
    assert doc.text.startswith(body) and doc.title == "Обстрел"


def test_random_high_bytes_are_undecodable():
    with pytest.raises(IngestError, match="x.txt: undecodable"):
        decode_bytes(bytes(range(128, 256)) * 3, "x.txt")


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    (tmp_path / "saved.txt").write_text("<!DOCTYPE html><html><head><title>Depot hit</title></head><body><article>"
                                        "<p>A fuel depot outside the city was hit by a drone on Sunday night, "
                                        "the fire service said. Nobody was hurt.</p></article></body></html>")
    (doc,) = read_sources(tmp_path / "saved.txt")
    assert doc.title == "Depot hit" and "<p>" not in doc.text and "fuel depot" in doc.text


def test_csv_column_names_ignore_case_and_spaces(tmp_path):
    (tmp_path / "export.csv").write_text('ID, Title ,Text\nx1,Depot hit,"A depot was hit on Sunday."\n')
    (doc,) = read_sources(tmp_path / "export.csv")
    assert (doc.doc_id, doc.title, doc.text) == ("x1", "Depot hit", "A depot was hit on Sunday.")
