"""From text plus metadata to a `Document`: ids, content hash, publication date."""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
import re
import os
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel

from warledger.errors import IngestError
from warledger.models import Document
from warledger.plausible import plausible_date

log = logging.getLogger(__name__)

# Metadata a manifest line or a JSONL/CSV row may give a document.
META_KEYS = ("url", "outlet", "published", "title", "language")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")
# Languages a written publication date may be in (dateparser tries them all otherwise: slow).
_DATE_LANGUAGES = ["en", "fr", "de", "es", "pt", "it", "ru", "uk", "tr", "az", "ar", "fa", "hy", "ka"]
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[./](\d{1,2})[./](\d{1,4})\s*$")


def normalised_text(text: str) -> str:
    """The text reduced for comparison: Unicode NFC, white space folded, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """sha256 of the normalised text: equal texts give equal hashes whatever their white space."""
    return hashlib.sha256(normalised_text(utf8_safe(text)).encode("utf-8")).hexdigest()


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates (from JSON escapes such as "\\ud800") replaced by U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def printable_name(name: str | os.PathLike) -> str:
    """A file name as text: its bytes decoded as UTF-8 with surrogateescape, the bytes that are not UTF-8
    then written as escapes (b"caf\\xe9.txt" gives "caf\\xe9.txt"), so it can be stored and shown."""
    text = os.fspath(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that no byte gave: escape it as it is
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")


def parse_published(value: object) -> dt.date | None:
    """A publication date from an ISO string, a datetime string, an e-mail style date or a written date.

    Returns None (and logs why) for anything that is not a date; a datetime gives its date.
    """
    if value is None or value == "":
        return None
    try:
        found = _parse_date(value)
    except (ValueError, OverflowError, TypeError, RecursionError) as exc:
        log.warning("published %r is not a date (%s); left empty", str(value)[:80], exc)
        return None
    if found is not None and plausible_date(found) is None:
        log.warning("published %s is outside the years 1900-2100; left empty", found)
        return None
    return found


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()[:200]
    match = _ISO_DATE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            log.warning("published %r is not a valid date", text)
            return None
    match = _NUMERIC_DATE.match(text)
    if match:
        return _numeric_date(*match.groups())
    try:  # "Sat, 17 Oct 2020 10:00:00 GMT" (RSS, e-mail)
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    return _written_date(text)


def _numeric_date(first: str, second: str, third: str) -> dt.date | None:
    # 2020/10/17 is year first; 17/10/2020 and 17.10.2020 are day first (the order used outside the US).
    year, month, day = (first, second, third) if len(first) == 4 else (third, second, first)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        try:  # 10/17/2020: month first, the only order left that fits
            return dt.date(int(year), int(day), int(month))
        except ValueError:
            log.warning("published %s/%s/%s is not a valid date", first, second, third)
            return None


def _written_date(text: str) -> dt.date | None:
    if not _YEAR.search(text):  # a full date names its year; dateparser takes seconds to say no to words
        log.warning("published %r is not a date (no year); left empty", text)
        return None
    import dateparser  # slow import: only when a date is written out ("17 October 2020")

    parsed = dateparser.parse(text, languages=_DATE_LANGUAGES, settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False,
                                              "PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        log.warning("published %r is not a date; left empty", text)
        return None
    return parsed.date()


def make_document(doc_id: str, text: str, meta: Mapping[str, object], source_path: Path | str) -> Document:
    """A Document whose `raw_text` and `text` are `text` as read, with metadata from `meta`."""
    def meta_str(key: str) -> str | None:
        value = meta.get(key)
        return utf8_safe(str(value).strip())[:2_000] or None if value is not None else None

    text = utf8_safe(text)
    return Document(doc_id=printable_name(str(doc_id)), text=text, raw_text=text, content_hash=content_hash(text),
                    url=meta_str("url"), outlet=meta_str("outlet"),
                    published=parse_published(meta.get("published")),
                    title=meta_str("title"), language=meta_str("language"),
                    source_path=printable_name(source_path))


def pick_meta(row: Mapping[str, object]) -> dict[str, object]:
    """The metadata keys of a row or manifest line that carry a value."""
    return {key: row[key] for key in META_KEYS if row.get(key) not in (None, "")}


class Skipped(BaseModel):
    """An input that gave no document, and why (the reason names the file, and the line for a row)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.reason}"


def json_lines(text: str, label: str, unit: str = "line",
               max_rows: int | None = None) -> Iterator[tuple[int, str, object, str | None]]:
    """Each non-blank line of JSON-lines text as (number, where, value, problem): `where` names the file and
    line for messages; `problem` says why a line is not JSON (its value is then None). A bad line costs
    that line only; lines after `max_rows` rows give one problem and are not read."""
    from warledger.clean.budget import DEFAULT_LIMITS
    max_rows = max_rows or DEFAULT_LIMITS.max_rows
    rows = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{label} {unit} {number}"
        rows += 1
        if rows > max_rows:
            yield number, where, None, (f"{label}: {unit}s from {unit} {number} on not read: over the limit of "
                                        f"{max_rows:,} rows per file (max_rows)")
            return
        try:
            yield number, where, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield number, where, None, f"{where}: malformed JSON ({exc.msg}, column {exc.colno})"
        except RecursionError:
            yield number, where, None, f"{where}: JSON nested too deep to read"
        except ValueError as exc:  # e.g. a number of over 4,300 digits
            yield number, where, None, f"{where}: unreadable JSON ({' '.join(str(exc).split())[:120]})"


def guarded(make: Callable[[], Document | Skipped], source: str | os.PathLike,
            where: str) -> Document | Skipped:
    """A document from one row or entry; whatever goes wrong costs that row only (a Skipped naming it; the
    traceback goes to the debug log)."""
    try:
        return make()
    except IngestError as exc:
        return Skipped(source=printable_name(source), reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - a reader bug on one row must not lose the rest of the file
        log.debug("%s failed", where, exc_info=True)
        return Skipped(source=printable_name(source),
                       reason=f"{where}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}")

