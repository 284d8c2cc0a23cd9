"""The document's frame: whose voice its own sentences are, and its date when no manifest gives one."""
from __future__ import annotations

import datetime as dt

from warledger.extract.dates import infer_published
from warledger.extract.outlets import document_voice


def test_a_reposted_agency_is_the_voice_when_the_text_names_it():
    assert document_voice("MENAFN (reposting Ukrinform)", "Ukrinform reports that ...").name == "Ukrinform"
    assert document_voice("Newser (summarizing AP)", "the AP reported").name == "Associated Press"
    # not named in the text: the site's own voice
    assert document_voice("Mint (unattributed copy of Reuters)", "A strike hit the school.").name == "Mint"


def test_citing_and_rewrites_keep_the_sites_voice_and_credits_keep_a_home_country():
    assert document_voice("Shafaq News (citing WAFA)", "WAFA reported ...").name == "Shafaq News"
    assert document_voice("Daily Wrap (rewrite of Echo of the Caucasus / NewsGeorgia)",
                          "as reported by the NewsGeorgia portal").name == "Daily Wrap"
    turkey = document_voice("A News (Turkey)", "The groups seized the town.")
    assert (turkey.name, turkey.country) == ("A News", "Turkey")
    times = document_voice("allAfrica (The New Times, Rwanda)", "The New Times got first sight of the fighters")
    assert (times.name, times.country) == ("The New Times", "Rwanda")
    assert document_voice(None, "text") is None


def test_a_numeric_date_line_is_read_only_when_it_is_unambiguous():
    assert infer_published("Protests\nSaturday, 10/01/2022\nThe chief was shot.") == dt.date(2022, 10, 1)
    assert infer_published("Home 2024.05.30 News") == dt.date(2024, 5, 30)
    assert infer_published("Posted 13/04/2022") == dt.date(2022, 4, 13)
    assert infer_published("Posted 03/04/2022") is None   # day or month first? nothing settles it
    assert infer_published("Posted 0001.01.01") is None


def test_a_place_no_gazetteer_knows_is_kept_by_name_and_stops_nothing(tmp_path):
    """Statements and acts at a village no gazetteer knows (the crash of issue 10: `place.precision` on None)."""
    from warledger.pipeline import run
    from warledger.store import Store

    (tmp_path / "a.txt").write_text(
        "Rebels shelled the village of Qarvandazh on Monday, the governor said.\n\n"
        "The governor condemned the shelling of the village of Qarvandazh and called for calm in Qarvandazh.\n",
        encoding="utf-8")
    summary = run([tmp_path / "a.txt"], db=tmp_path / "s.duckdb")
    assert summary.documents_extracted == 1 and not getattr(summary, "failed", None)
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        reports = store.reports()
    events = [r for r in reports if r.kind == "event"]
    assert events and events[0].location is not None and events[0].location.name == "Qarvandazh"
    assert events[0].location.geonameid is None and events[0].location.lat is None
    assert any(r.kind == "statement" for r in reports)
