"""Dates as news writes them, resolved against the publication date.

"on Saturday" is the last Saturday on or before publication; "yesterday" the day before; "late on Friday
evening" that Friday (overnight events keep the date given); "October 10th", "the 10th of this month",
"last September 27" the nearest such day not after publication; "in the early days of October" a day with
precision `week`. When a document has no publication date, `infer_published` reads one from the text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from warledger.plausible import plausible_date

MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
          "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
          "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"

_COUNT = r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}"
COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10}
UNIT_DAYS = {"day": (1, "day"), "week": (7, "week"), "month": (30, "month")}

PATTERNS: list[tuple[str, str]] = [
    ("month_of_which", _MONTH + _YEAR + r",?\s+in\s+the\s+(?P<part>early|first|last)\s+days\s+of\s+which\b"),
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ("month_day", r"\b(?P<last>last\s+)?" + _MONTH + r"\s+" + _DAY + r"\b" + _YEAR),
    ("day_month", r"\b(?P<last>last\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b" + _YEAR),
    ("day_of_this_month", r"\bthe\s+" + _DAY + r"(?:\s+and\s+(?:the\s+)?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"
                          r"\s+of\s+(?:this|the\s+current)\s+month\b"),
    ("part_of_month", r"\b(?P<part>early|earl(?:y|ier)\s+days\s+of|first\s+days\s+of|beginning\s+of|start\s+of|"
                      r"mid|middle\s+of|late|end\s+of|last\s+days\s+of)[\s-]+" + _MONTH + _YEAR),
    ("in_month", r"\bin\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b(?!\s+\d)"),
    ("next_weekday", r"\bnext\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ("last_weekday", r"\blast\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    # "yesterday (Friday)", wire copy's way: the weekday named is the day, whatever day the copy is dated
    ("named_weekday", r"\b(?:yesterday|today)\s*\(\s*(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|"
                      r"sunday)\s*\)"),
    ("yesterday", r"\btoday\s*\(\s*yesterday\s*\)"),   # "Today (yesterday), 14 were killed": the copy's today
    ("weekday", r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ("yesterday", r"\b(?:yesterday|the\s+day\s+before|the\s+previous\s+day|the\s+prior\s+day)\b"),
    ("today", r"\b(?:today|this\s+morning|this\s+afternoon|this\s+evening|tonight|earlier\s+today|"
              r"last\s+night|overnight)\b"),
    ("weekend", r"\b(?:this|the)\s+weekend\b"),
    ("last_week", r"\blast\s+week\b"),
    ("last_month", r"\blast\s+month\b"),
    # "two days ago", "a week earlier", "the attack comes a week after a bomb blast ...": that many days
    # before publication ("after" only in the news formula "comes/came N after", which dates what follows)
    ("span_before", r"\b(?:(?:comes?|came|coming)\s+(?:just\s+|only\s+|nearly\s+|almost\s+|barely\s+)?"
                    r"(?P<n1>" + _COUNT + r")\s+(?P<u1>day|week|month)s?\s+after|"
                    r"(?P<n2>" + _COUNT + r")\s+(?P<u2>day|week|month)s?\s+(?:ago|earlier))\b"),
]
_COMPILED = [(name, re.compile(p, re.IGNORECASE)) for name, p in PATTERNS]


@dataclass
class DateMention:
    start: int        # character offsets in the text searched
    end: int
    date: dt.date
    precision: str    # day | week | month
    kind: str
    text: str


def _nearest_past(month: int, day: int, ref: dt.date, year: int | None = None) -> dt.date | None:
    try:
        if year:
            return dt.date(year, month, day)
        candidate = dt.date(ref.year, month, day)
        if candidate > ref + dt.timedelta(days=1):
            candidate = dt.date(ref.year - 1, month, day)
        return candidate
    except ValueError:
        return None


def _weekday_on_or_before(ref: dt.date, weekday: int, strictly: bool = False) -> dt.date:
    delta = (ref.weekday() - weekday) % 7
    if strictly and delta == 0:
        delta = 7
    return ref - dt.timedelta(days=delta)


_ANY_DATE = re.compile(r"\d|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"|monday|tuesday|"
                       r"wednesday|thursday|friday|saturday|sunday|yesterday|today|morning|afternoon|evening|"
                       r"tonight|night|overnight|weekend|weeks?|days|months?|day before|day ago|day earlier|"
                       r"day after|previous day|prior day)\b", re.IGNORECASE)


def find_dates(text: str, ref: dt.date | None) -> list[DateMention]:
    """Date mentions in `text`, resolved against `ref` (publication date); unresolvable ones left out."""
    ref = plausible_date(ref)  # 0001-01-01 or 9999-12-31 is no reference: no date resolves against it
    if not _ANY_DATE.search(text):
        return []   # most sentences name no date: one quick look instead of every pattern
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            for resolved in _resolve(kind, m, ref):
                if plausible_date(resolved[0]) is None:
                    continue
                found.append(DateMention(m.start(), m.end(), resolved[0], resolved[1], kind, m.group(0)))
            if found and found[-1].start == m.start():
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, m: re.Match, ref: dt.date | None) -> list[tuple[dt.date, str]]:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        try:
            return [(dt.date(int(g["year"]), int(g["m"]), int(g["d"])), "day")]
        except ValueError:
            return []
    if ref is None and not year:
        return []
    if kind in ("month_day", "day_month"):
        month = MONTHS[g["month"].lower()]
        day = int(g["day"])
        date = _nearest_past(month, day, ref, year) if ref or year else None
        return [(date, "day")] if date else []
    if kind == "day_of_this_month":
        out = []
        for key in ("day", "day2"):
            if g.get(key):
                try:
                    out.append((dt.date(ref.year, ref.month, int(g[key])), "day"))
                except ValueError:
                    pass
        return out
    if kind == "month_of_which":
        month = MONTHS[g["month"].lower()]
        day = 25 if g["part"].lower() == "last" else 4
        date = _nearest_past(month, day, ref, year) if (ref or year) else None
        return [(date, "week")] if date else []
    if kind == "part_of_month":
        month = MONTHS[g["month"].lower()]
        part = g["part"].lower()
        day = 4 if part.startswith(("early", "earl", "first", "beginning", "start")) else (
            15 if part.startswith("mid") else 25)
        date = _nearest_past(month, day, ref, year) if (ref or year) else None
        return [(date, "week")] if date else []
    if kind == "in_month":
        month = MONTHS[g["month"].lower()]
        if g["month"].lower() in ("may", "march") and not year:
            return []  # too often a verb
        date = _nearest_past(month, 15, ref, year) if (ref or year) else None
        return [(date, "month")] if date else []
    wd = WEEKDAYS.get((g.get("wd") or "").lower())
    if kind == "next_weekday":
        return [(ref + dt.timedelta(days=((wd - ref.weekday()) % 7) or 7), "day")]
    if kind == "last_weekday":
        return [(_weekday_on_or_before(ref, wd, strictly=True), "day")]
    if kind in ("weekday", "named_weekday"):
        return [(_weekday_on_or_before(ref, wd), "day")]
    if kind == "yesterday":
        return [(ref - dt.timedelta(days=1), "day")]
    if kind == "today":
        return [(ref, "day")]
    if kind == "weekend":
        return [(_weekday_on_or_before(ref, 6), "week")]
    if kind == "last_week":
        return [(ref - dt.timedelta(days=7), "week")]
    if kind == "last_month":   # known to the month: its first day (the contract's way of writing it)
        first = ref.replace(day=1) - dt.timedelta(days=1)
        return [(first.replace(day=1), "month")]
    if kind == "span_before":
        word, unit = (g["n1"], g["u1"]) if g.get("n1") else (g["n2"], g["u2"])
        count = int(word) if word.isdigit() else COUNT_WORDS[word.lower()]
        days, precision = UNIT_DAYS[unit.lower()]
        if count * days > 400:
            return []
        return [(ref - dt.timedelta(days=count * days), "day" if days == 1 and count <= 3 else precision)]
    return []


def infer_published(text: str) -> dt.date | None:
    """A publication date read from the text: the latest fully written date (with its year), or None.

    Weekday words alone cannot fix a date; a date without a year is placed in the year of the latest
    full date the text gives.
    """
    full = [d.date for d in find_dates(text, None) if d.kind in ("iso", "month_day", "day_month")]
    if not full:
        return numeric_date_line(text)
    latest = max(full)
    partial = [d.date for d in find_dates(text, latest) if d.kind in ("month_day", "day_month")]
    return max([latest, *partial])


_NUMERIC_YMD = re.compile(r"\b(?P<y>(?:19|20)\d\d)[./](?P<m>\d\d)[./](?P<d>\d\d)\b")
_NUMERIC_DMY = re.compile(r"(?:\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
                          r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>(?:19|20)\d\d)\b", re.I)


def numeric_date_line(text: str, window: int = 2000) -> dt.date | None:
    """A page's numeric date near the top: "2024.05.30", or "Saturday, 10/01/2022" where the weekday tells
    day from month; an order no part or weekday settles ("03/04/2022" alone) gives no date."""
    head = text[:window]
    m = _NUMERIC_YMD.search(head)
    if m:
        return plausible_date(_safe_date(int(m["y"]), int(m["m"]), int(m["d"])))
    for m in _NUMERIC_DMY.finditer(head):
        y, a, b = int(m["y"]), int(m["a"]), int(m["b"])
        options = {d for d in (_safe_date(y, b, a), _safe_date(y, a, b)) if d is not None}
        if m["wd"]:
            options = {d for d in options if d.weekday() == WEEKDAYS[m["wd"].lower()]}
        if len(options) == 1:
            return plausible_date(options.pop())
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
