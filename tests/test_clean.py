"""Cleaning: furniture out of the seed texts, captions and headline kept once, words never rewritten."""
import re

import pytest
import yaml
from shared_paths import GOLD, SEEDS

from warledger.clean import DEFAULT_RULES, clean_document, clean_text, clean_with_removed, load_rules
from warledger.errors import CleanError
from warledger.models import Document

SEED_IDS = ["000_d3cd856a60491968", "001_6731bb37b37029d6", "002_a59417acd8045365", "003_f29a8041dc07d8d1",
            "004_5d385f9b28c48f61"]


def seed(doc_id: str) -> str:
    path = SEEDS / f"{doc_id}.txt"
    if not path.is_file():
        pytest.skip(f"seed corpus not found at {SEEDS} (the shared folder beside the repo)")
    return path.read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_seed_000_loses_breadcrumb_and_footer_keeps_captions_and_one_headline():
    raw = seed(SEED_IDS[0])
    cleaned = clean_text(raw)
    parts = paragraphs(cleaned)
    assert "Home / news" not in cleaned and "Source link" not in cleaned and "Leave a Reply" not in cleaned
    assert parts[0].startswith("Karabakh battles … Armenian drone shot down")  # the breadcrumb's headline
    assert cleaned.count("Ankara accuses Yerevan of committing war crimes.") == 1
    assert "war crimes" in parts and "Gentile concern" in parts  # section captions are text
    assert parts[-1].endswith("We strongly condemn any attack or targeting of areas where civilians live.”")


def test_seed_001_loses_facebook_footer():
    cleaned = clean_text(seed(SEED_IDS[1]))
    assert "Facebook" not in cleaned and "xəbərlər" not in cleaned
    headline = ("Those who ordered to hit Azerbaijani civilians with ballistic missiles gonna pay for it, "
                "Turkish Defense Minister says")
    assert paragraphs(cleaned)[0] == headline
    assert cleaned.endswith("from Nagorno Karabakh and the surrounding districts.")


def test_seed_002_loses_blog_furniture_and_repeated_headline():
    result = clean_with_removed(seed(SEED_IDS[2]))
    parts = paragraphs(result.text)
    for furniture in ("Pages", "READ MORE", "Post a Comment", "0 Comments"):
        assert furniture not in parts
    assert result.text.count("Azerbaijan's president calls the international community his forces") == 1
    assert parts[0] == "Azerbaijan's president calls the international community his forces"
    # the link to another article after READ MORE goes with it
    assert "invades its second largest city" not in result.text
    assert result.removed[:2] == ("Pages", "READ MORE")
    assert result.text.endswith('Armenia has said it is "ready to engage" with the mediators.')


def test_seed_003_keeps_captions():
    parts = paragraphs(clean_text(seed(SEED_IDS[3])))
    assert parts[0].startswith("On the resumption of the efforts to calm down")
    assert parts[1].startswith("Azerbaijan announced its acceptance")
    assert {"Field developments", "Armenian novel",
            "One of the tanks captured by the Azerbaijani army from Armenia (Al-Jazeera)"} <= set(parts)
    assert parts[-1].startswith("Yerevan announced that 710 Armenian soldiers")


def test_seed_004_caption_on_its_own_line_becomes_its_own_paragraph():
    parts = paragraphs(clean_text(seed(SEED_IDS[4])))
    assert "Turkish position" in parts and "Settlement efforts" in parts
    assert any(p.startswith("On the Turkish side, Turkish President") for p in parts)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_cleaning_never_rewrites_words(doc_id):
    raw = seed(doc_id)
    cleaned = clean_text(raw)
    folded_raw = re.sub(r"[ \t]+", " ", raw)
    for line in cleaned.split("\n"):
        if line:
            assert line in folded_raw, line
            assert line == line.strip()
    assert "\n\n\n" not in cleaned and cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned  # cleaning twice changes nothing


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_gold_quote_survives_cleaning(doc_id):
    gold_file = GOLD / f"{doc_id}.yaml"
    if not gold_file.is_file():
        pytest.skip(f"gold file not found at {gold_file}")
    cleaned = " ".join(clean_text(seed(doc_id)).split())
    for report in yaml.safe_load(gold_file.read_text())["reports"]:
        assert " ".join(report["quote"].split()) in cleaned, report["quote"]


FOOTERS = [
    "Follow us on Twitter",
    "Follow us on Facebook and Instagram.",
    "Все новости в Telegram",
    "Подписывайтесь на наш канал в Telegram",
    "تابعونا على تويتر",
    "تابعونا على فيسبوك",
    "Suivez-nous sur Facebook",
    "Bütün xəbərlər Facebook səhifəmizdə",
    "Share this:",
    "Facebook Twitter WhatsApp Telegram",
    "12 Comments",
    "© 2023 Example News. All rights reserved.",
    "Читайте также:",
    "Leave a Reply Cancel reply",
]


def test_multilingual_furniture_is_removed_and_sentences_about_social_media_are_kept():
    body = ["The minister wrote on Twitter that two drones were shot down near the border on Monday.",
            "Officials said on Telegram that shelling continued overnight.",
            "Reactions"]
    text = "\n\n".join([body[0], *FOOTERS, body[1], body[2]])
    result = clean_with_removed(text)
    assert paragraphs(result.text) == body
    assert list(result.removed) == FOOTERS


TEXT_LINES = [
    "Send to Kyiv",
    "Copyright infringement claims rose.",
    "Home guard units were deployed to the village.",
    "Main / secondary roads were closed after the strike.",
    "News of the strike spread quickly.",
    "Share prices fell in Baku on Monday.",
    "Related to this, the ministry said 3 comments by the envoy were misquoted.",
    "He posted on Facebook that the village had been retaken.",
    "Sources",
    "Comments by the spokesman",
]


def test_text_that_looks_a_little_like_furniture_stays():
    text = "\n\n".join(TEXT_LINES)
    result = clean_with_removed(text)
    assert result.removed == ()
    assert paragraphs(result.text) == TEXT_LINES


def test_breadcrumb_without_headline_is_removed_whole():
    text = "Home » World » Europe\n\nTown shelled\n\nThe town was shelled overnight, officials said."
    assert clean_text(text) == "Town shelled\n\nThe town was shelled overnight, officials said."


def test_headline_matching_title_is_kept_once():
    doc = Document(doc_id="t1", text="", title="Town shelled overnight | Example News",
                   raw_text="Town shelled overnight\n\nTown shelled overnight\n\n"
                            "Three people were wounded, officials said.")
    cleaned = clean_document(doc)
    assert cleaned.text == "Town shelled overnight\n\nThree people were wounded, officials said."
    assert cleaned.raw_text == doc.raw_text and cleaned.title == doc.title
    assert clean_document(cleaned).text == cleaned.text  # cleans from raw_text: safe to run twice


def test_white_space_folded_and_wrapped_lines_kept_together():
    text = "  Caption line  \nThe strike hit a\tschool   and\n two houses.\n\n\n\nSecond   paragraph.  "
    assert clean_text(text) == "Caption line\n\nThe strike hit a school and\ntwo houses.\n\nSecond paragraph."


def test_document_of_only_furniture_raises_clean_error_naming_it():
    doc = Document(doc_id="only-furniture", text="", raw_text="Share this\n\nLeave a Reply\n\n0 Comments",
                   source_path="/data/x.txt")
    with pytest.raises(CleanError, match="only-furniture.*x.txt"):
        clean_document(doc)


def test_rules_are_data_a_custom_file_extends_them(tmp_path):
    rules_file = tmp_path / "furniture.yaml"
    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    data["exact"].append("Listen to this article")
    rules_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    text = "Listen to this article\n\nThe bridge was hit twice on Monday."
    assert clean_text(text) == text
    assert clean_text(text, rules=load_rules(rules_file)) == "The bridge was hit twice on Monday."


def test_broken_rules_file_gives_clean_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("regexes: ['(unclosed']\n")
    with pytest.raises(CleanError, match="bad.yaml"):
        load_rules(bad)
