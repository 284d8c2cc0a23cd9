"""What the people a document quotes are: the title it gives them the first time ("Belgorod regional
governor Vyacheslav Gladkov", "Kyrylo Budanov, head of military intelligence") tells a claimant's kind and
side, so later "Gladkov said" is an official of Russia. Finding only: `_to_report` applies it."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from warledger.extract.findings import Knowledge, first_side


@dataclass(frozen=True)
class Role:
    kind: str            # official | military | international | other (the contract's claimant kinds)
    side: str | None     # the side the title names ("Ukraine's", "Azerbaijani"), if any
    title: str           # the words the kind was read from


def person_roles(doc: Doc, knowledge: Knowledge, titles: dict[str, list[str]], window: int = 8) -> dict[str, Role]:
    """Each person named in `doc` (full name and surname, lower-cased) -> the role its first titled mention
    gives; people the text gives no title are left out."""
    order = ["international", "military", "official", "other"]
    words = {kind: {w.lower() for w in titles.get(kind, [])} for kind in order}
    roles: dict[str, Role] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or len(ent.text) > 60:
            continue
        keys = {ent.text.lower(), ent[-1].text.lower()}
        if keys <= roles.keys():
            continue
        sent = ent.sent
        before = doc[max(sent.start, ent.start - window):ent.start]
        after = doc[ent.end:min(sent.end, ent.end + window)] if ent.end < sent.end and doc[ent.end].text == "," \
            else doc[ent.end:ent.end]
        near = [t for t in list(before) + list(after) if t.ent_type_ != "PERSON"]
        # "director-general", "Secretary General", "attorney general": no general of an army
        low = {t.lower_ for t in near if not (t.lower_ == "general" and t.i > 0 and (
            doc[t.i - 1].text == "-" or doc[t.i - 1].lower_ in NOT_MILITARY_GENERAL))}
        kind = next((k for k in order if low & words[k]), None)
        if kind is None:
            continue
        side, _ = first_side([t for t in near if t.is_title or t.ent_type_ in ("NORP", "GPE", "ORG")], knowledge)
        if side is None:   # "the director-general of the North Darfur State Health Ministry": the state's country
            side = _country_of_place([t for t in [*before, *_apposition(doc, ent, sent)] if t.is_title], knowledge,
                                     doc)
        role = Role(kind, side, " ".join(t.text for t in near))
        for key in keys:
            roles.setdefault(key, role)
    return roles


NOT_MILITARY_GENERAL = {"director", "secretary", "attorney", "surgeon", "consul", "inspector", "procurator",
                        "prosecutor", "auditor", "solicitor", "postmaster", "governor"}


def _apposition(doc: Doc, ent, sent, longest: int = 16) -> list:
    """The words of ", the director-general of the North Darfur State Health Ministry," after a name."""
    if ent.end >= sent.end or doc[ent.end].text != ",":
        return []
    out = []
    for tok in doc[ent.end + 1:min(sent.end, ent.end + 1 + longest)]:
        if tok.text == ",":
            break
        out.append(tok)
    return out


def _country_of_place(titled: list, knowledge: Knowledge, doc: Doc) -> str | None:
    """The country of a town, district or province named in a title, when the document is about that
    country ("First Undersecretary of Hodeidah Governorate", "Quetta Division Commissioner")."""
    context = knowledge.context(doc.text)
    named = getattr(context, "countries", None) or {}
    for tok in titled:
        place = knowledge.place(tok.text, context) if len(tok.text) > 3 else None
        if place is not None and place.country and place.precision != "country" and place.country in named:
            return place.country
    return None
