"""Filling the places, sides and canonical names of a document's reports."""
from __future__ import annotations

import logging
import re

from warledger.models import Actor, Document, Report
from warledger.resolve.places import PlaceContext
from warledger.resolve.resolver import Resolver
from warledger.resolve.text import fold, load_yaml

log = logging.getLogger(__name__)

# Report kinds that happen somewhere: when their text names no place, location_rules.yaml says what stands in.
LOCATED_KINDS = {"event", "tally"}
_RULES = load_yaml("location_rules.yaml") or {}


def resolve_reports(reports: list[Report], doc: Document, resolver: Resolver) -> list[Report]:
    """Resolved copies of `reports`: location from location_text (kept) in the document's context, else the
    region or country the document is about, never a wrong city; actor sides and canonical names where
    missing (the mention kept); claimant canonical name, side and kind (the mention kept). Kind, types,
    figures and evidence are not touched."""
    ctx = resolver.context(" ".join(filter(None, [doc.title, doc.text])))
    fallback = resolver.containing_region(ctx)
    out = []
    for report in reports:
        try:
            out.append(_resolve_one(report, doc, resolver, ctx, fallback))
        except Exception:  # one bad report must not lose the document's others
            log.exception("resolving report %s of %s failed; kept unresolved", report.report_id, doc.doc_id)
            out.append(report)
    return out


def _resolve_one(report: Report, doc: Document, resolver: Resolver, ctx: PlaceContext, fallback) -> Report:
    update: dict = {}
    if report.location is not None and not report.location_text and report.location.precision in ("region", "country"):
        # the extractor's stand-in for "no place named": a rule that knows better replaces it
        specific = _unnamed_place(report, resolver, strong_only=True) if report.kind in LOCATED_KINDS else None
        if specific is not None:
            update["location"] = specific
    elif report.location is None:
        place = resolver.place(report.location_text, ctx) if report.location_text else None
        if place is None and not report.location_text and report.kind in LOCATED_KINDS:
            place = _unnamed_place(report, resolver)
        if place is None and (report.location_text or report.kind in LOCATED_KINDS):
            place = fallback
        if place is not None:
            update["location"] = place
    evidence_text = " ".join(e.text for e in report.evidence) or None
    for field in ("actor1", "actor2"):
        actor: Actor | None = getattr(report, field)
        if actor is not None:
            update[field] = _resolve_actor(actor, resolver, evidence_text, ctx)
    update["claimant"] = _resolve_claimant(report, doc, resolver, ctx)
    return report.model_copy(update=update)


def _unnamed_place(report: Report, resolver: Resolver, strong_only: bool = False):
    """Where a report that names no place happened, by the rules of location_rules.yaml (None: no rule fits).
    `strong_only`: only the rules sure enough to replace a region the extractor already put there."""
    victims = report.actor2
    if _RULES.get("civilian_victims_territory") and victims and fold(victims.name) == "civilians" and victims.side:
        place = resolver.territory_of(victims.side)
        current = report.location
        if strong_only and place is not None and current is not None and current.precision == "region" \
                and current.country and current.country == place.country:
            return None   # the war's region lies in the victims' territory and is finer
        if place is not None:
            return place
    if report.sub_event_type in set(_RULES.get("capital_sub_event_types") or []) and report.actor1:
        return resolver.capital_of(report.actor1.side)
    if strong_only:
        return None
    if report.sub_event_type in set(_RULES.get("own_territory_sub_event_types") or []) and report.actor1:
        return resolver.territory_of(report.actor1.side)
    return None


def _resolve_actor(actor: Actor, resolver: Resolver, evidence_text: str | None, ctx: PlaceContext) -> Actor:
    """Fill a missing side, and a canonical name where the name is only the text's words; keep the mention."""
    mention = actor.mention if actor.mention is not None else actor.name
    found = resolver.actor(mention or actor.name, evidence_text, ctx)
    if found is None:
        return actor.model_copy(update={"mention": mention})
    name = found.name if (not actor.name or actor.name == mention) else actor.name
    return Actor(name=name, side=actor.side or found.side, mention=mention)


def _resolve_claimant(report: Report, doc: Document, resolver: Resolver, ctx: PlaceContext):
    claimant = report.claimant
    mention = claimant.mention or claimant.name
    if claimant.kind == "outlet" or (doc.outlet and mention and mention.strip() == doc.outlet):
        if mention and doc.outlet and doc.outlet.startswith(mention.strip()) and "(" in doc.outlet:
            # the site itself, credited with its country ("The Nation (Thailand)"): the credit decides
            found = resolver.outlet(doc.outlet, ctx) or resolver.claimant(None, doc.outlet, ctx)
            return found.model_copy(update={"mention": mention})
        found = resolver.outlet(mention, ctx) or resolver.outlet(doc.outlet, ctx)
        if found is None:
            found = resolver.claimant(None, mention or doc.outlet, ctx)
        return found.model_copy(update={"mention": mention})
    found = resolver.claimant(mention, doc.outlet, ctx)
    if found.name.startswith("Government of") and _BARE_MINISTRY.search(fold(mention or "")):
        # "the Bolivian ministry": the ministry of that side the text last named in full
        start = report.evidence[0].start if report.evidence else len(doc.text)
        named = _antecedent_ministry(doc.text[:start], found.side, resolver)
        if named is not None:
            found = named
    if found.kind == "military" and found.side in (None, "XX") and _BARE_FORCES.fullmatch(fold(mention or "")):
        # "a military source", "according to the Air Force": the forces whose country the text named last,
        # up to the end of this report's sentence ("Ukrainian air defense downed 114, according to the Air Force")
        end = report.evidence[0].end if report.evidence else len(doc.text)
        side = _antecedent_forces(doc.text[:end], resolver, ctx)
        if side is not None:
            found = found.model_copy(update={"side": side,
                                             "name": f"Military Forces of {resolver.actors.side_name(side)}"})
    if found.kind == "other" and claimant.kind != "other":
        found = found.model_copy(update={"kind": claimant.kind})
    if claimant.side and claimant.side != "XX" and found.side in (None, "XX"):
        found = found.model_copy(update={"side": claimant.side})
    return found.model_copy(update={"mention": mention})


_BARE_MINISTRY = re.compile(r"\bministry\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


_BARE_FORCES = re.compile(r"(?:the |a |an )?(?:senior |top )?(?:military|army|air force|armed forces|"
                          r"defen[cs]e forces)(?: (?:source|sources|official|officials|spokesman|spokesperson|"
                          r"statement))?")
_NAMED_FORCES = re.compile(r"\b([A-Z][\w-]+(?:'s)?)\s+(?:military|army|air force|armed forces|air defen[cs]es?|"
                           r"defen[cs]e forces|troops|forces)\b")


_RULERS = re.compile(r"\bthe (?:junta|regime|government forces|government troops)\b", re.IGNORECASE)


def _antecedent_forces(text: str, resolver: Resolver, ctx: PlaceContext) -> str | None:
    """The state whose forces `text` names last with their country ("the Israeli military", "Ukraine's
    air force"), or None."""
    named = [(m.start(), m.group(1).removesuffix("'s")) for m in _NAMED_FORCES.finditer(text)]
    # the war's own words for a state's rulers ("the junta", "the regime"), as its conflict pack lists them
    named += [(m.start(), m.group(0)) for m in _RULERS.finditer(text)]
    for _, words in sorted(named, reverse=True):
        actor = resolver.actor(words, None, ctx) if words.lower().startswith("the ") else None
        side = actor.side if actor is not None else resolver.side_of(words, ctx)
        if side and side != "XX" and side in resolver.index.countries:
            return side
    return None


def _antecedent_ministry(text: str, side: str | None, resolver: Resolver):
    """The last ministry of `side` named in full in `text` ("The Ministry of Defense in Bolivia"), or None."""
    last = None
    for sentence in _SENTENCE_END.split(text):
        if "inistry" not in sentence:
            continue
        found = resolver.claimant(sentence)
        if found.name.startswith("Ministry") and found.side == side:
            last = found
    return last
