"""Seeded synthetic data in the bp-graph ontology, shaped like the curated data, for benchmarks.

``generate(triples, seed)`` writes Turtle, one file per dialogue (as the curated data comes in
several files, which the loader reads side by side), that follows the patterns of ``data/CURATION.md``: one
source document per meeting report, segments with a locator and a verbatim quote, and every fact
node derived from a segment. Meetings of every kind come in *cycles* (a phase of a dialogue,
opened by a ministerial conference that adopts a declaration whose priority goals form a SKOS
goal scheme); each meeting has its sessions and break-out groups, about thirty n-ary
participations, statements, outcomes under the goals, chair memberships, a name form and stated
counts. Each cycle adds projects (budget, funders, partners, a component), chairs with periods,
a phase, a thematic focus and stated figures.

States, cities, organisations and the Budapest Process itself are the real IRIs of
``data/reference/*.ttl``, which must be loaded alongside; everything the generator invents has
``synthetic`` in its IRI so that it never collides with curated data. The output is plain Turtle
written from templates (no RDF library), byte-identical for the same seed, and conforms to
``ontology/shapes.ttl`` when validated together with the ontology and the reference files.

``submission(seed)`` is one new meeting report of about 200 triples in the same style, pointing
only at IRIs of the real graph, for timing ``bp_graph.validate``.

Usage: ``python bench/generate.py --triples 100000 --seed 1 --out /tmp/synthetic-100k``
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bp_graph.namespaces import BASE
from bp_graph.namespaces import PREFIXES as NAMESPACES

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
REFERENCE_FILES = ("states.ttl", "places.ttl", "agents.ttl")
"""The reference files the synthetic data points into. Not works.ttl: no synthetic node names its
documents or projects, and its instrument only conforms with the curated provenance in data/."""
CYCLE_MEETINGS = 12
"""Meetings per cycle: small enough that 10k triples already hold two dialogues."""
DIALOGUES = 5
"""The Budapest Process plus four synthetic dialogues, taking turns cycle by cycle."""
FIRST_DAY = dt.date(2024, 1, 8)
"""Synthetic meetings start after the curated ones, so no two share a start date."""

_VOCABULARIES = ("bp", "rdfs", "xsd", "skos", "org", "prov", "schema", "foaf", "oa", "dcterms")
_OWN = {"state": "state/", "city": "city/", "orgn": "organisation/", "body": "body/", "dlg": "dialogue/",
        "role": "role/", "dk": "decision-kind/", "ik": "intervention-kind/", "nk": "name-kind/",
        "ck": "characteristic-kind/", "wgk": "working-group-kind/", "doc": "document/", "goal": "goal/"}
"""The generator's prefixes for the project's IRIs, by folder under BASE."""
PREFIXES = "".join([*(f"@prefix {p}: <{NAMESPACES[p]}> .\n" for p in _VOCABULARIES),
                    *(f"@prefix {p}: <{BASE}{folder}> .\n" for p, folder in _OWN.items()), "\n"])

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
TOPICS = (
    "return and reintegration", "labour migration", "smuggling of migrants", "trafficking in persons",
    "international protection", "integration of migrants", "integrated border management", "legal pathways",
    "migration and development", "diaspora engagement", "visa facilitation", "readmission",
    "document security", "migrant resource centres", "skills partnerships", "migration data",
    "unaccompanied minors", "remittances", "reception capacities", "awareness raising",
)
ACTIONS = (
    "To organise a thematic meeting on", "To hold an expert workshop on", "To prepare a baseline study on",
    "To set up a regional network on", "To develop a training module on", "To share good practices on",
    "To launch a pilot project on", "To organise a study visit on",
)
REGIONS = ("Silk Routes Region", "Black Sea Region", "South East European Region", "Central Asia Region",
           "Eastern Partnership Region")
FIRST_NAMES = ("Ana", "Bekzod", "Carmen", "Dmitri", "Elif", "Farid", "Greta", "Hamid", "Irina", "Jonas",
               "Kamila", "Lars", "Mariam", "Nikola", "Olga", "Pavel", "Rustam", "Sofia", "Tomas", "Zarina")
LAST_NAMES = ("Aliyev", "Berg", "Costa", "Demir", "Eriksen", "Farhadi", "Georgiev", "Horvath", "Ivanova",
              "Jovanovic", "Karimov", "Lindqvist", "Markovic", "Novak", "Orlova", "Petrov", "Rahimi",
              "Szabo", "Tanaka", "Usmanov")
POSTS = ("Deputy Minister of Interior", "State Secretary", "Director General for Migration",
         "Head of the Migration Department")

# Meetings of a cycle, in order. The first opens the cycle and adopts its declaration.
CYCLE_KINDS = ("MinisterialConference", "SeniorOfficialsMeeting", "WorkingGroupMeeting", "JointMeeting",
               "WorkingGroupMeeting", "ReferenceGroupMeeting", "ConsultationMeeting", "WorkingGroupMeeting",
               "Conference", "Training", "WorkingGroupMeeting", "SeniorOfficialsMeeting")
KIND_NAMES = {
    "MinisterialConference": "Ministerial Conference", "SeniorOfficialsMeeting": "Senior Officials Meeting",
    "WorkingGroupMeeting": "Working Group Meeting", "JointMeeting": "Joint Meeting of the Working Groups",
    "ReferenceGroupMeeting": "Reference Group Meeting", "ConsultationMeeting": "Consultation Meeting",
    "Conference": "Conference", "Training": "Training",
}


# ---------------------------------------------------------------------------------------------
# Turtle text
# ---------------------------------------------------------------------------------------------

def iri(path: str) -> str:
    """A project IRI written in full (prefixed names cannot hold the ``/`` of ``meeting/x/y``)."""
    return f"<{BASE}{path}>"


def text(value: str, lang: str | None = "en") -> str:
    """A string literal, English by default."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: object, datatype: str) -> str:
    """A literal of an XSD datatype, e.g. ``typed("2024", "gYear")``."""
    return f'"{value}"^^xsd:{datatype}'


def day(value: dt.date) -> str:
    return typed(value.isoformat(), "date")


def slug(value: str) -> str:
    """Lower-case ASCII slug, as the curated IRIs use."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def spoken(start: dt.date, end: dt.date) -> str:
    """A date range as reports print it: "9-10 October 2019"."""
    days = f"{start.day}-{end.day}" if end != start else f"{start.day}"
    return f"{days} {MONTHS[start.month - 1]} {start.year}"


Objects = str | Sequence[str]
"""One object, or several written as a Turtle object list."""


class Turtle:
    """Turtle statements in order, one document per *part*, with the number of triples they hold.

    Counting while writing is what lets the generator stop at a target size without parsing.
    Statements go to the current ``part``; a grown history is kept as one file per dialogue, as
    the curated data is kept in several files, and the loader loads files side by side.
    """

    def __init__(self, part: str = "synthetic") -> None:
        self.parts: dict[str, list[str]] = {}
        self.part = part
        self.triples = 0

    def node(self, subject: str, pairs: Sequence[tuple[str, Objects]], nested: int = 0) -> None:
        """One subject with its predicate-object pairs (an object list for several objects);
        ``nested`` counts the triples inside ``[ ]`` objects."""
        body = " ;\n    ".join(f"{p} {o if isinstance(o, str) else ', '.join(o)}" for p, o in pairs)
        self.parts.setdefault(self.part, []).append(f"{subject} {body} .\n\n")
        self.triples += sum(1 if isinstance(o, str) else len(o) for _, o in pairs) + nested

    def comment(self, line: str) -> None:
        self.parts.setdefault(self.part, []).append(f"# ---------------------------------------------------------------- {line}\n\n")

    def files(self) -> dict[str, str]:
        """Each part as a Turtle document, by file name."""
        return {f"{part}.ttl": PREFIXES + "".join(chunks) for part, chunks in self.parts.items()}

    def turtle(self) -> str:
        """The whole output as one Turtle document."""
        return PREFIXES + "".join(chunk for chunks in self.parts.values() for chunk in chunks)


class Source:
    """A synthetic source document and its segments (``{source}/{locator-slug}``, ``-2`` when reused)."""

    def __init__(self, out: Turtle, path: str) -> None:
        self.out = out
        self.path = path
        self.ref = iri(path)
        self.used: dict[str, int] = {}

    def describe(self, label: str, kind: str, reports: str | None = None) -> None:
        pairs = [("a", "bp:SourceDocument"), ("rdfs:label", text(f"Synthetic {kind}: {label}")),
                 ("dcterms:title", text(label)), ("bp:documentKind", text(kind, None)),
                 ("bp:fileName", text(f"synthetic/{self.path.rsplit('/', 1)[-1]}.txt", None))]
        if reports:
            pairs.append(("bp:reports", reports))
        self.out.node(self.ref, pairs)

    def quote(self, locator: str, exact: str) -> str:
        """Write a segment holding ``exact`` at ``locator``; return its IRI for prov:wasDerivedFrom."""
        key = slug(locator)
        count = self.used.get(key, 0) + 1
        self.used[key] = count
        segment = iri(f"{self.path}/{key}" + (f"-{count}" if count > 1 else ""))
        self.out.node(segment, [
            ("a", "bp:Segment"), ("oa:hasSource", self.ref), ("bp:locator", text(locator, None)),
            ("oa:hasSelector", f"[ a oa:TextQuoteSelector ; oa:exact {text(exact, None)} ]")], nested=2)
        return segment


def derived(*segments: str) -> tuple[str, Objects]:
    return ("prov:wasDerivedFrom", segments)


# ---------------------------------------------------------------------------------------------
# Reference data: the real states, cities and organisations
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Agent:
    """A state or organisation of the reference data: its prefixed IRI and the name a list gives."""

    ref: str
    name: str
    code: str = ""
    variant: str | None = None


@dataclass(frozen=True)
class City:
    ref: str
    name: str
    country: str


@dataclass(frozen=True)
class Reference:
    states: tuple[Agent, ...]
    cities: tuple[City, ...]
    organisations: tuple[Agent, ...]

    def state(self, code: str) -> Agent:
        return next(s for s in self.states if s.code == code)


def reference_paths() -> list[Path]:
    """The files to load (or validate) alongside generated data."""
    return [REFERENCE_DIR / name for name in REFERENCE_FILES]


@functools.cache
def reference() -> Reference:
    """States (not dissolved), cities and international organisations of ``data/reference``, in IRI order."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in reference_paths():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    prologue = "".join(f"PREFIX {p}: <{NAMESPACES[p]}> " for p in ("bp", "rdfs", "skos"))

    def rows(select: str, where: str) -> list[list[str | None]]:
        """Each solution of ``SELECT select WHERE { where } ORDER BY ?iri`` as values (None when unbound)."""
        solutions = store.query(f"{prologue} SELECT {select} WHERE {{ {where} }} ORDER BY ?iri")
        return [[None if term is None else term.value for term in solution]  # type: ignore[union-attr]
                for solution in solutions]  # type: ignore[union-attr]

    def local(iri: str | None) -> str:
        return str(iri).rsplit("/", 1)[-1]

    states = [Agent(f"state:{local(iri)}", label or local(iri), local(iri), alt) for iri, label, alt in rows(
        "?iri ?label ?alt", """?iri a bp:State . FILTER NOT EXISTS { ?iri bp:dissolved ?date }
           OPTIONAL { ?iri rdfs:label ?label FILTER(LANG(?label) = "en") }
           OPTIONAL { ?iri skos:altLabel ?alt FILTER(LANG(?alt) = "en") }""")]
    codes = {s.code for s in states}
    cities = [City(f"city:{local(iri)}", str(label), local(country)) for iri, label, country in rows(
        "?iri ?label ?country", """?iri a bp:City ; rdfs:label ?label ; bp:country ?country FILTER(LANG(?label) = "en")""")
        if local(country) in codes]
    organisations = [Agent(f"orgn:{local(iri)}", str(label)) for iri, label in rows(
        "?iri ?label", """VALUES ?kind { bp:EUInstitution bp:InternationalOrganisation } ?iri a ?kind ; rdfs:label ?label
           FILTER(LANG(?label) = "en")""")]
    return Reference(tuple(states), tuple(cities), tuple(organisations))


# ---------------------------------------------------------------------------------------------
# The world a meeting points at: dialogue, bodies, goals, projects
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dialogue:
    ref: str
    name: str
    senior_officials: str
    reference_group: str
    working_groups: tuple[tuple[str, str], ...]  # (IRI, region)


@dataclass
class Context:
    """What one meeting report can name: its dialogue, bodies, goals, project and chair."""

    dialogue: Dialogue
    goals: list[tuple[str, str]]  # (IRI, topic)
    declaration: str
    chair: Agent
    project: str | None = None
    organisations: Sequence[Agent] = ()


@dataclass(frozen=True)
class Profile:
    """How big a meeting report is."""

    states: tuple[int, int] = (22, 27)
    organisations: tuple[int, int] = (4, 6)
    groups: int = 3
    outcomes_per_group: int = 2
    interventions: bool = True
    closing_outcomes: bool = True


@dataclass(frozen=True)
class Plan:
    """A meeting before it is written: its IRI slug, kind, dates and city."""

    slug: str
    kind: str
    start: dt.date
    end: dt.date
    city: City
    ordinal: int | None = None

    @property
    def ref(self) -> str:
        return iri(f"meeting/{self.slug}")

    @property
    def title(self) -> str:
        """How labels of the meeting's nodes name it: "the Training in Vienna, 4 March 2025"."""
        return f"the {KIND_NAMES[self.kind]} in {self.city.name}, {spoken(self.start, self.start)}"


@dataclass
class World:
    """Entities shared between meetings, created the first time a meeting needs them."""

    rng: random.Random
    out: Turtle
    ref: Reference
    dialogues: dict[int, Dialogue] = field(default_factory=dict)
    ministries: dict[str, str] = field(default_factory=dict)
    officials: dict[str, tuple[str, str]] = field(default_factory=dict)  # state code -> (person IRI, name)
    hosted: set[tuple[str, str]] = field(default_factory=set)
    organisations: list[Agent] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Meeting reports
# ---------------------------------------------------------------------------------------------

def write_meeting(world: World, ctx: Context, plan: Plan, profile: Profile, *, previous: str | None = None) -> None:
    """One meeting report: the source, the meeting, its parts, participations, statements, outcomes."""
    rng, out = world.rng, world.out
    host = world.ref.state(plan.city.country)
    label = f"{KIND_NAMES[plan.kind]} of the {ctx.dialogue.name}, {plan.city.name}, {spoken(plan.start, plan.end)}"
    out.comment(f"{label} (synthetic)")
    source = Source(out, f"source/{plan.slug}")
    source.describe(label, "meeting summary", plan.ref)
    states = _participants(rng, world.ref.states, host, profile.states)
    organisations = rng.sample(list(ctx.organisations), rng.randint(*profile.organisations))
    listed = _list_names(rng, states)
    heading = source.quote("heading", f"{ctx.dialogue.name}, {KIND_NAMES[plan.kind]}, {plan.city.name}, "
                                      f"{spoken(plan.start, plan.end)} - Summary")
    participants = len(states) * 3 + len(organisations) * 2  # delegations of two or three people
    count_quote = source.quote("para 1", f"The meeting brought together {participants} participants from "
                                         f"{len(states)} countries")
    states_quote = source.quote("para 1", ", ".join(listed.values()))
    orgs_quote = source.quote("para 1", ", ".join(o.name for o in organisations))
    parts = _write_parts(world, ctx, plan, source, states, profile.groups)
    _write_meeting_node(world, ctx, plan, label, host, [p[0] for p in parts], previous,
                        (participants, len(states)), (heading, count_quote))
    for agent in states:
        _participation(out, plan, agent, listed[agent.code], states_quote)
    for agent in organisations:
        _participation(out, plan, agent, agent.name, orgs_quote)
    _name_form(out, plan, source, states, listed)
    if profile.interventions:
        _interventions(world, ctx, plan, source, host, organisations)
    _outcomes(world, ctx, plan, source, parts, states, profile)
    _chair(out, ctx, plan, source)


def _participants(rng: random.Random, states: Sequence[Agent], host: Agent, size: tuple[int, int]) -> list[Agent]:
    """The host and a sample of other states, in list order (alphabetical, as reports list them)."""
    others = [s for s in states if s != host]
    chosen = rng.sample(others, rng.randint(*size) - 1) + [host]
    return sorted(chosen, key=lambda s: s.name)


def _list_names(rng: random.Random, states: Sequence[Agent]) -> dict[str, str]:
    """The name each state is listed under: its label, and for one state a longer variant form."""
    names = {s.code: s.name for s in states}
    variants = [s for s in states if s.variant]
    if variants:
        chosen = rng.choice(variants)
        names[chosen.code] = chosen.variant or chosen.name
    return names


def _write_meeting_node(world: World, ctx: Context, plan: Plan, label: str, host: Agent, parts: list[str],
                        previous: str | None, counts: tuple[int, int], segments: tuple[str, ...]) -> None:
    pairs: list[tuple[str, Objects]] = [("a", f"bp:{plan.kind}"), ("rdfs:label", text(label)),
                                        ("schema:name", text(f"{KIND_NAMES[plan.kind]} of the {ctx.dialogue.name}")),
                                        ("bp:dialogue", ctx.dialogue.ref)]
    bodies = _bodies_of(ctx.dialogue, plan)
    if bodies:
        pairs.append(("bp:meetingOf", bodies))
    pairs += [("schema:startDate", day(plan.start)), ("schema:endDate", day(plan.end)),
              ("schema:location", plan.city.ref), ("bp:statedParticipantCount", str(counts[0])),
              ("bp:statedCountryCount", str(counts[1]))]
    if plan.ordinal:
        pairs.append(("bp:ordinal", str(plan.ordinal)))
    if host.code in world.ministries:
        pairs.append(("bp:hostedBy", world.ministries[host.code]))
    if plan.kind == "ConsultationMeeting":
        pairs.append(("bp:rules", text("Chatham House Rule", None)))
    pairs += [("bp:discussed", ctx.declaration),
              ("bp:addressesGoal", [g for g, _ in ctx.goals[:3]]),
              ("schema:subEvent", parts), derived(*segments)]
    world.out.node(plan.ref, pairs)
    if previous:  # written here, once the next meeting is known to exist
        world.out.node(previous, [("bp:nextMeeting", plan.ref)])


def _bodies_of(dialogue: Dialogue, plan: Plan) -> list[str]:
    if plan.kind == "SeniorOfficialsMeeting":
        return [dialogue.senior_officials]
    if plan.kind == "ReferenceGroupMeeting":
        return [dialogue.reference_group]
    if plan.kind == "JointMeeting":
        return [wg for wg, _ in dialogue.working_groups]
    if plan.kind in ("WorkingGroupMeeting", "Training"):
        return [dialogue.working_groups[plan.start.toordinal() % len(dialogue.working_groups)][0]]
    return []


def _write_parts(world: World, ctx: Context, plan: Plan, source: Source, states: Sequence[Agent],
                 groups: int) -> list[tuple[str, str | None, str]]:
    """A plenary session and break-out groups by goal (and one by region); returns (IRI, goal, topic)."""
    rng, out = world.rng, world.out
    plenary = iri(f"meeting/{plan.slug}/plenary")
    divided = f"{groups} break-out group{'s' * (groups != 1)}"
    quote = source.quote("para 4", f"The participants were divided into {divided} and then reconvened in a "
                                   "plenary session where moderators summarised the discussions")
    out.node(plenary, [("a", "bp:Session"), ("rdfs:label", text(f"Plenary session of {plan.title}")),
                       ("bp:meeting", plan.ref), ("schema:startDate", day(plan.end)),
                       ("bp:purpose", text("moderators summarised the discussions and recommendations")),
                       derived(quote)])
    parts: list[tuple[str, str | None, str]] = [(plenary, None, "plenary")]
    for number, (goal, topic) in enumerate(rng.sample(ctx.goals, min(groups, len(ctx.goals))), start=1):
        moderator = rng.choice(states)
        part = iri(f"meeting/{plan.slug}/breakout-{number}")
        quote = source.quote(f"para {4 + number}", f"Break-out group on {topic} moderated by {moderator.name}")
        out.node(part, [("a", "bp:BreakoutGroup"), ("rdfs:label", text(f"Break-out group on {topic} ({plan.title})")),
                        ("bp:meeting", plan.ref), ("bp:addressesGoal", goal), ("bp:topic", text(topic)),
                        ("bp:moderatedBy", moderator.ref), ("schema:startDate", day(plan.start)),
                        derived(quote)])
        parts.append((part, goal, topic))
    if groups > 1:
        region = ctx.dialogue.working_groups[0][1]
        part = iri(f"meeting/{plan.slug}/breakout-region")
        quote = source.quote(f"para {5 + groups}", f"Break-out group on the {region}")
        out.node(part, [("a", "bp:BreakoutGroup"), ("rdfs:label", text(f"Break-out group on the {region} ({plan.title})")),
                        ("bp:meeting", plan.ref), ("bp:region", text(region)), derived(quote)])
        parts.append((part, None, region))
    return parts


def _participation(out: Turtle, plan: Plan, agent: Agent, listed: str, segment: str) -> None:
    local = agent.code or agent.ref.split(":", 1)[1]
    out.node(iri(f"participation/{plan.slug}/{local}"), [
        ("a", "bp:Participation"), ("rdfs:label", text(f"{agent.name} at {plan.title}")),
        ("bp:participant", agent.ref), ("bp:meeting", plan.ref), ("bp:nameAsListed", text(listed)),
        derived(segment)])


def _name_form(out: Turtle, plan: Plan, source: Source, states: Sequence[Agent], listed: dict[str, str]) -> None:
    """A bp:Name for the state listed under a form other than its label."""
    for state in states:
        if listed[state.code] != state.name:
            quote = source.quote("para 1", listed[state.code])
            out.node(iri(f"name/{plan.slug}/{state.code}-{slug(listed[state.code])}"), [
                ("a", "bp:Name"), ("rdfs:label", text(f"{listed[state.code]} (name form, {plan.title})")),
                ("bp:nameOf", state.ref), ("schema:name", text(listed[state.code], None)),
                ("bp:nameKind", "nk:variant"), ("bp:attestedOn", day(plan.start)), derived(quote)])


def _official(world: World, plan: Plan, host: Agent, segment: str) -> tuple[str, str]:
    """The host state's official who opens meetings there: a person and a post, written once."""
    if host.code not in world.officials:
        rng = world.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        person = iri(f"person/synthetic-{slug(name)}-{host.code.lower()}")
        post = rng.choice(POSTS)
        world.out.node(person, [("a", "foaf:Person"), ("rdfs:label", text(name)), ("foaf:name", text(name, None)),
                                derived(segment)])
        world.out.node(iri(f"membership/synthetic-{slug(name)}-{host.code.lower()}"), [
            ("a", "bp:Membership"), ("rdfs:label", text(f"{name}, {post} ({host.name})")),
            ("org:member", person), ("org:organization", world.ministries.get(host.code, host.ref)),
            ("org:role", "role:staff"), ("bp:postTitle", text(post, None)), ("bp:actingFor", host.ref),
            ("bp:attestedOn", day(plan.start)), derived(segment)])
        world.officials[host.code] = (person, f"{post} {name}")
    return world.officials[host.code]


def _interventions(world: World, ctx: Context, plan: Plan, source: Source, host: Agent,
                   organisations: Sequence[Agent]) -> None:
    out = world.out
    opening_text = f"The meeting was officially opened by the host, {host.name}, who welcomed all participants"
    quote = source.quote("para 2", opening_text)
    person, title = _official(world, plan, host, quote)
    out.node(iri(f"intervention/{plan.slug}/opening"), [
        ("a", "bp:Statement"), ("rdfs:label", text(f"Opening by {title}")), ("bp:meeting", plan.ref),
        ("bp:speaker", person), ("bp:actingFor", host.ref), ("bp:interventionKind", "ik:opening"),
        ("schema:text", text(opening_text)), derived(quote)])
    if ctx.project and organisations:
        presenter = organisations[0]
        said = f"{presenter.name} presented the results of the project to the participants"
        quote = source.quote("para 3", said)
        out.node(iri(f"intervention/{plan.slug}/presentation"), [
            ("a", "bp:Presentation"), ("rdfs:label", text(f"Presentation by {presenter.name}")),
            ("bp:meeting", plan.ref), ("bp:speaker", presenter.ref), ("bp:interventionKind", "ik:presentation"),
            ("bp:about", ctx.project), ("schema:text", text(said)), derived(quote)])
    said = f"{ctx.chair.name} as Chair of the dialogue thanked the host and closed the meeting"
    quote = source.quote("para 20", said)
    out.node(iri(f"intervention/{plan.slug}/closing"), [
        ("a", "bp:Statement"), ("rdfs:label", text(f"Closing remarks by {ctx.chair.name} as Chair")),
        ("bp:meeting", plan.ref), ("bp:speaker", ctx.chair.ref), ("bp:inRole", "role:chair"),
        ("bp:about", ctx.dialogue.ref), ("bp:interventionKind", "ik:closing"), ("schema:text", text(said)),
        derived(quote)])


# Outcome classes brought forward in break-out groups, in turn.
GROUP_OUTCOMES = ("Suggestion", "Recommendation", "ActionPoint")


def _outcomes(world: World, ctx: Context, plan: Plan, source: Source, parts: list[tuple[str, str | None, str]],
              states: Sequence[Agent], profile: Profile) -> None:
    """Outcomes per break-out group under its goal, then an offer, a commitment, a conclusion, a decision."""
    rng, out = world.rng, world.out
    for number, (part, goal, topic) in enumerate(parts[1:], start=1):
        for letter in "abcdefgh"[:profile.outcomes_per_group]:
            kind = GROUP_OUTCOMES[(number + ord(letter)) % len(GROUP_OUTCOMES)]
            said = f"{rng.choice(ACTIONS)} {topic}"
            notation = f"{4 + number}.{letter}"
            quote = source.quote(f"para {notation}", said)
            pairs: list[tuple[str, Objects]] = [
                ("a", f"bp:{kind}"), ("rdfs:label", text(f"{kind} {notation}: {said[3:]}")),
                ("bp:meeting", plan.ref), ("bp:inGroup", part)]
            if goal:
                pairs.append(("bp:addressesGoal", goal))
            pairs += [("skos:notation", text(notation, None)), ("schema:text", text(said)), derived(quote)]
            out.node(iri(f"outcome/{plan.slug}/{slug(notation)}"), pairs)
    if profile.closing_outcomes:
        _closing_outcomes(world, ctx, plan, source, states)


def _closing_outcomes(world: World, ctx: Context, plan: Plan, source: Source, states: Sequence[Agent]) -> None:
    rng, out = world.rng, world.out
    offering, committing = rng.sample(list(states), 2)
    target = plan.start.year + 1
    said = f"{offering.name} offered to host a thematic meeting in {target}"
    quote = source.quote("para 15", said)
    out.node(iri(f"outcome/{plan.slug}/offer-{offering.code.lower()}"), [
        ("a", "bp:OfferToHost"), ("rdfs:label", text(f"{offering.name}'s offer to host a meeting in {target}")),
        ("bp:meeting", plan.ref), ("bp:proposedBy", offering.ref), ("bp:concernsAgent", offering.ref),
        ("bp:targetDate", typed(target, "gYear")), ("schema:text", text(said)), derived(quote)])
    said = f"{committing.name} would continue supporting the dialogue"
    quote = source.quote("para 16", said)
    out.node(iri(f"outcome/{plan.slug}/commitment-{committing.code.lower()}"), [
        ("a", "bp:Commitment"), ("rdfs:label", text(f"{committing.name} will continue supporting the dialogue")),
        ("bp:meeting", plan.ref), ("bp:proposedBy", committing.ref), ("bp:about", ctx.dialogue.ref),
        ("schema:text", text(said)), derived(quote)])
    said = "The participants concluded that regional cooperation should be strengthened"
    quote = source.quote("para 17", said)
    out.node(iri(f"outcome/{plan.slug}/conclusion"), [
        ("a", "bp:Conclusion"), ("rdfs:label", text(f"Conclusion of {plan.title}")), ("bp:meeting", plan.ref),
        ("bp:theme", text(rng.choice(TOPICS))), ("schema:text", text(said)), derived(quote)])
    adopting = plan.kind == "MinisterialConference"
    said = ("The Ministers adopted the declaration" if adopting
            else "The participants endorsed the implementation of the declaration")
    quote = source.quote("para 18", said)
    out.node(iri(f"outcome/{plan.slug}/decision"), [
        ("a", "bp:Decision"), ("rdfs:label", text(f"Decision of {plan.title} on the declaration")),
        ("bp:meeting", plan.ref), ("bp:decisionKind", "dk:adopted" if adopting else "dk:endorsed"),
        ("bp:decidedBy", ctx.chair.ref), ("bp:about", ctx.declaration), ("schema:text", text(said)),
        derived(quote)])
    if plan.kind == "SeniorOfficialsMeeting" and plan.ordinal and plan.ordinal % 2 == 0:
        # One meeting a cycle is announced, not yet held, as Antalya 2016 announces a consultation.
        said = f"a consultation meeting among the participating countries will take place in {target}"
        quote = source.quote("para 19", said)
        # named by its own (planned) year, as meeting/2017-istanbul-consultation: the cycle's slug less its date
        out.node(iri(f"meeting/{target}-{plan.slug[len(plan.start.isoformat()) + 1:]}-planned-consultation"), [
            ("a", "bp:ConsultationMeeting"),
            ("rdfs:label", text(f"Consultation meeting of the {ctx.dialogue.name}, {target} (planned at {plan.title})")),
            ("bp:dialogue", ctx.dialogue.ref), ("schema:startDate", typed(target, "gYear")),
            ("schema:eventStatus", "schema:EventScheduled"), ("bp:topic", text("the implementation of the declaration")),
            derived(quote)])


def _chair(out: Turtle, ctx: Context, plan: Plan, source: Source) -> None:
    """The chair of the dialogue as the report shows it on the day (bp:attestedOn, no period)."""
    quote = source.quote("para 2", f"{ctx.chair.name} as Chair of the dialogue")
    out.node(iri(f"membership/{plan.slug}-{ctx.chair.code.lower()}-chair"), [
        ("a", "bp:Membership"), ("rdfs:label", text(f"{ctx.chair.name} as Chair of the {ctx.dialogue.name} ({plan.title})")),
        ("org:member", ctx.chair.ref), ("org:organization", ctx.dialogue.ref), ("org:role", "role:chair"),
        ("bp:attestedOn", day(plan.start)), derived(quote)])


# ---------------------------------------------------------------------------------------------
# Cycles: dialogues, declarations and goals, chairs, projects
# ---------------------------------------------------------------------------------------------

BUDAPEST_PROCESS = Dialogue(
    "dlg:budapest-process", "Budapest Process", "body:senior-officials", "body:reference-group",
    (("body:silk-routes-working-group", "Silk Routes Region"), ("body:black-sea-working-group", "Black Sea Region"),
     ("body:south-east-europe-working-group", "South East European Region")))
"""The real dialogue and its bodies, as data/reference/agents.ttl identifies them."""


def _dialogue_name(index: int) -> tuple[str, str]:
    """IRI and name of dialogue ``index``: 0 is the Budapest Process, the others are synthetic."""
    if index == 0:
        return BUDAPEST_PROCESS.ref, BUDAPEST_PROCESS.name
    return iri(f"dialogue/synthetic-{index}-process"), f"Synthetic Process {index}"


def _dialogue(world: World, index: int, source: Source) -> Dialogue:
    """The dialogue of a cycle; described (bodies, format, strength) by the first cycle that needs it."""
    if index in world.dialogues:
        return world.dialogues[index]
    out = world.out
    ref, name = _dialogue_name(index)
    if index == 0:
        dialogue = BUDAPEST_PROCESS
    else:
        quote = source.quote("introduction", f"The {name} is a consultative forum on migration")
        out.node(ref, [("a", "bp:Dialogue"), ("rdfs:label", text(name)), ("bp:acronym", text(f"SP{index}", None)),
                       derived(quote)])
        dialogue = Dialogue(ref, name, *_bodies(world, index, source, ref, name))
    quote = source.quote("functioning", "Senior Officials Meetings are held every year")
    out.node(iri(f"meeting-format/synthetic-{index}-senior-officials"), [
        ("a", "bp:MeetingFormat"), ("rdfs:label", text(f"Senior Officials Meetings of the {name}")),
        ("bp:dialogue", ref), ("bp:meetingKind", "bp:SeniorOfficialsMeeting"), ("bp:frequency", text("Every year")),
        ("bp:level", text("Senior official level")), derived(quote)])
    quote = source.quote("strengths", "Its informal and flexible character is its main strength")
    out.node(iri(f"characteristic/synthetic-{index}-informality"), [
        ("a", "bp:Characteristic"), ("rdfs:label", text(f"Informality of the {name}")), ("bp:about", ref),
        ("bp:characteristicKind", "ck:strength"), ("schema:text", text("Its informal and flexible character")),
        derived(quote)])
    world.dialogues[index] = dialogue
    return dialogue


def _bodies(world: World, index: int, source: Source, ref: str,
            name: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A synthetic dialogue's senior officials group, reference group and three regional working groups."""
    out = world.out
    bodies = []
    for kind, title in (("SeniorOfficialsGroup", "Group of Senior Officials"), ("ReferenceGroup", "Reference Group")):
        body = iri(f"body/synthetic-{index}-{slug(title)}")
        quote = source.quote("structure", f"the {title} of the {name}")
        out.node(body, [("a", f"bp:{kind}"), ("rdfs:label", text(f"{title} of the {name}")),
                        ("org:subOrganizationOf", ref), derived(quote)])
        bodies.append(body)
    working_groups = []
    for region in world.rng.sample(REGIONS, 3):
        wg = iri(f"body/synthetic-{index}-{slug(region)}-working-group")
        quote = source.quote("structure", f"the Working Group on the {region}")
        out.node(wg, [("a", "bp:WorkingGroup"), ("rdfs:label", text(f"Working Group on the {region} ({name})")),
                      ("bp:workingGroupKind", "wgk:regional"), ("org:subOrganizationOf", ref), derived(quote)])
        working_groups.append((wg, region))
    return bodies[0], bodies[1], tuple(working_groups)


def _synthetic_organisation(world: World, number: int, source: Source) -> Agent:
    name = f"Regional Migration Centre {number}"
    ref = f"orgn:synthetic-regional-migration-centre-{number}"
    quote = source.quote("partners", f"the {name} (RMC{number})")
    world.out.node(ref, [("a", "bp:InternationalOrganisation"), ("rdfs:label", text(name)),
                         ("bp:acronym", text(f"RMC{number}", None)), derived(quote)])
    return Agent(ref, f"{name} (RMC{number})")


def _ministry(world: World, state: Agent, source: Source) -> None:
    """A government body of a host state, named once by the history of the cycle it first hosts in."""
    if state.code in world.ministries:
        return
    ref = f"orgn:synthetic-{state.code.lower()}-ministry-of-interior"
    quote = source.quote("hosts", f"the Ministry of Interior of {state.name}")
    world.out.node(ref, [("a", "bp:GovernmentBody"), ("rdfs:label", text(f"Ministry of Interior of {state.name} (synthetic)")),
                         ("org:subOrganizationOf", state.ref), derived(quote)])
    world.ministries[state.code] = ref


def write_cycle(world: World, number: int, plans: Sequence[Plan]) -> Context:
    """The history of one cycle (a phase of a dialogue): its source, goals, chairs, projects, figures."""
    out, rng = world.out, world.rng
    conference = plans[0]
    start_year, end_year = conference.start.year, plans[-1].end.year
    out.comment(f"cycle {number} (synthetic)")
    source = Source(out, f"source/synthetic-history-{number}")
    source.describe(f"Review of cycle {number} of the {_dialogue_name(number % DIALOGUES)[1]}", "anniversary booklet")
    dialogue = _dialogue(world, number % DIALOGUES, source)
    world.organisations.append(_synthetic_organisation(world, number, source))
    for plan in plans:
        _ministry(world, world.ref.state(plan.city.country), source)
    chair = world.ref.state(conference.city.country)  # the host of the opening conference chairs the cycle
    co_chair, thematic = rng.sample([s for s in world.ref.states if s != chair], 2)
    declaration, goals = _declaration(world, number, dialogue, conference, source)
    organisations = list(world.ref.organisations) + world.organisations[-3:]
    for role, holder in (("chair", chair), ("co-chair", co_chair), ("thematic-chair", thematic)):
        quote = source.quote("chairs", f"{holder.name} held the {role.replace('-', ' ')} from {start_year} to {end_year}")
        out.node(iri(f"membership/synthetic-{number}-{role}-{holder.code.lower()}"), [
            ("a", "bp:Membership"), ("rdfs:label", text(f"{holder.name} as {role} of the {dialogue.name} (cycle {number})")),
            ("org:member", holder.ref), ("org:organization", dialogue.ref), ("org:role", f"role:{role}"),
            ("schema:validFrom", typed(start_year, "gYear")), ("schema:validUntil", typed(end_year, "gYear")),
            derived(quote)])
    for wg, region in dialogue.working_groups:
        holder = rng.choice(world.ref.states)
        quote = source.quote("chairs", f"{holder.name} chaired the Working Group on the {region}")
        out.node(iri(f"membership/synthetic-{number}-{holder.code.lower()}-chair-{slug(region)}"), [
            ("a", "bp:Membership"), ("rdfs:label", text(f"{holder.name} as Chair of the Working Group on the {region}")),
            ("org:member", holder.ref), ("org:organization", wg), ("org:role", "role:chair"),
            ("bp:attestedOn", day(conference.start)), derived(quote)])
    projects = [_project(world, number, k, dialogue, goals, organisations, source, conference.start) for k in (1, 2)]
    _cycle_facts(world, number, dialogue, conference, source, (start_year, end_year), goals)
    return Context(dialogue, goals, declaration, chair, projects[0], organisations)


def _declaration(world: World, number: int, dialogue: Dialogue, conference: Plan,
                 source: Source) -> tuple[str, list[tuple[str, str]]]:
    """The declaration the cycle's conference adopts and its six priority goals as a SKOS scheme."""
    out = world.out
    declaration = iri(f"document/synthetic-declaration-{number}")
    scheme = iri(f"goal-scheme/synthetic-{number}")
    title = f"Declaration of {conference.city.name} ({conference.start.year})"
    quote = source.quote("declaration", f"the {title} was adopted by the Ministers")
    out.node(declaration, [("a", "bp:Declaration"), ("rdfs:label", text(f"{title}, {dialogue.name}")),
                           ("bp:dialogue", dialogue.ref), ("bp:adoptedAt", conference.ref),
                           ("schema:startDate", day(conference.start)), derived(quote)])
    topics = world.rng.sample(TOPICS, 6)
    goals = [(iri(f"goal/synthetic-{number}-{i}"), topic) for i, topic in enumerate(topics, start=1)]
    quote = source.quote("declaration", f"The {title} sets out six priority goals")
    out.node(scheme, [("a", "bp:GoalScheme"), ("rdfs:label", text(f"Priority goals of the {title}")),
                      ("skos:prefLabel", text(f"Priority goals of the {title}")), ("bp:schemeOf", declaration),
                      ("bp:listedIn", source.ref), ("skos:hasTopConcept", [g for g, _ in goals]),
                      derived(quote)])
    for i, (goal, topic) in enumerate(goals, start=1):
        name = f"Strengthen cooperation on {topic}"
        quote = source.quote(f"priority goal {i}", name)
        out.node(goal, [("a", "bp:PriorityGoal"), ("rdfs:label", text(name)), ("skos:prefLabel", text(name)),
                        ("skos:inScheme", scheme), ("skos:topConceptOf", scheme), ("skos:notation", text(str(i), None)),
                        derived(quote)])
    return declaration, goals


def _project(world: World, number: int, k: int, dialogue: Dialogue, goals: Sequence[tuple[str, str]],
             organisations: Sequence[Agent], source: Source, start: dt.date) -> str:
    """A project with a budget, a component, funders (one the lead partner), partner countries and results."""
    out, rng = world.out, world.rng
    topic = goals[k][1]
    project = iri(f"project/synthetic-{number}-{k}")
    name = f"Improving {topic} in the {dialogue.working_groups[0][1]} (synthetic {number}.{k})"
    amount = rng.randrange(200, 15000) * 1000
    printed = f"{amount:,} EUR".replace(",", ".")
    period = f"{start.month:02d}.{start.year} - {start.month:02d}.{start.year + 3}"  # as the booklet prints periods
    quote = source.quote(f"project {k}", f"{name}: {period}, {printed}")
    component = iri(f"component/synthetic-{number}-{k}-facility")
    out.node(project, [
        ("a", "bp:Project"), ("rdfs:label", text(name)), ("bp:shortName", text(f"SP {number}.{k}")),
        ("bp:dialogue", dialogue.ref), ("schema:startDate", typed(f"{start.year}-{start.month:02d}", "gYearMonth")),
        ("schema:endDate", typed(f"{start.year + 3}-{start.month:02d}", "gYearMonth")),
        ("bp:budget", (f'[ a schema:MonetaryAmount ; schema:value {typed(amount, "decimal")} ; '
                       f'schema:currency "EUR" ; bp:asStated {text(printed, None)} ]')),
        ("bp:purpose", text(f"to improve cooperation on {topic}")), ("bp:addressesGoal", goals[k][0]),
        ("bp:component", component), derived(quote)], nested=4)
    out.node(component, [("a", "bp:ProjectComponent"), ("rdfs:label", text(f"Facility of {name}")),
                         ("bp:componentOf", project), ("bp:purpose", text("Grants for short-term actions")),
                         derived(quote)])
    funders = rng.sample(world.ref.states, 3)
    partners = rng.sample([s for s in world.ref.states if s not in funders], 2)
    roles = [(f, "funder") for f in funders] + [(funders[0], "lead-partner")]
    roles += [(p, "partner-country") for p in partners]
    roles.append((rng.choice(organisations), "implementing-organisation"))
    quote = source.quote(f"project {k}", "Funded by " + ", ".join(f.name for f in funders)
                         + " in partnership with " + " and ".join(p.name for p in partners))
    for agent, role in roles:
        local = agent.code.lower() or slug(agent.ref.split(":", 1)[1])
        out.node(iri(f"membership/synthetic-{number}-{k}-{role}-{local}"), [
            ("a", "bp:Membership"), ("rdfs:label", text(f"{agent.name} as {role} of {name}")),
            ("org:member", agent.ref), ("org:organization", project), ("org:role", f"role:{role}"), derived(quote)])
    trained = rng.randrange(50, 2000)
    quote = source.quote(f"project {k}", f"{trained} officials trained")
    out.node(iri(f"figure/synthetic-{number}-{k}-trained"), [
        ("a", "bp:StatedFigure"), ("rdfs:label", text(f"{trained} officials trained by {name}")),
        ("bp:about", project), ("bp:measure", text("officials trained")), ("schema:value", str(trained)),
        ("bp:asStated", text(str(trained), None)), derived(quote)])
    return project


def _cycle_facts(world: World, number: int, dialogue: Dialogue, conference: Plan, source: Source,
                 years: tuple[int, int], goals: Sequence[tuple[str, str]]) -> None:
    """The phase, its thematic focus, a stated figure and the first hosting by the conference's state."""
    out = world.out
    quote = source.quote("phases", f"Cycle {number} opened with the conference in {conference.city.name}")
    out.node(iri(f"phase/synthetic-{number}"), [
        ("a", "bp:Phase"), ("rdfs:label", text(f"Cycle {number} of the {dialogue.name}")),
        ("skos:notation", text(str(number), None)), ("bp:dialogue", dialogue.ref), ("bp:topic", text(goals[0][1])),
        ("schema:startDate", typed(years[0], "gYear")), ("schema:endDate", typed(years[1], "gYear")), derived(quote)])
    quote = source.quote("phases", f"The focus of the dialogue was {goals[1][1]}")
    out.node(iri(f"focus/synthetic-{number}"), [
        ("a", "bp:ThematicFocus"), ("rdfs:label", text(f"Focus of cycle {number}: {goals[1][1]}")),
        ("bp:dialogue", dialogue.ref), ("bp:topic", text(goals[1][1])),
        ("schema:startDate", typed(years[0], "gYear")), ("schema:endDate", typed(years[1], "gYear")), derived(quote)])
    states = 40 + number % 20
    quote = source.quote("figures", f"{states}+ participating states")
    out.node(iri(f"figure/synthetic-{number}-participating-states"), [
        ("a", "bp:StatedFigure"), ("rdfs:label", text(f"{states}+ participating states")),
        ("bp:about", dialogue.ref), ("bp:measure", text("participating states")), ("schema:value", str(states)),
        ("bp:qualifier", text("at least", None)), ("bp:asStated", text(f"{states}+", None)), derived(quote)])
    host = world.ref.state(conference.city.country)
    if (dialogue.ref, host.code) not in world.hosted:
        world.hosted.add((dialogue.ref, host.code))
        quote = source.quote("hosts", f"{host.name} hosted a meeting of the dialogue for the first time")
        out.node(iri(f"hosting/synthetic-{number}-{host.code.lower()}"), [
            ("a", "bp:Hosting"), ("rdfs:label", text(f"{host.name} hosted the {dialogue.name} for the first time")),
            ("bp:host", host.ref), ("bp:dialogue", dialogue.ref), ("bp:date", typed(conference.start.year, "gYear")),
            derived(quote)])


# ---------------------------------------------------------------------------------------------
# The whole graph and the submission
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Synthetic:
    """Generated Turtle by file name (one file per dialogue), its triple count and its number of meetings."""

    files: dict[str, str]
    triples: int
    meetings: int

    @property
    def turtle(self) -> str:
        """All files as one Turtle document (each file repeats the same prefixes)."""
        return "".join(self.files.values())


def _plans(rng: random.Random, cities: Sequence[City], first: int, start: dt.date,
           ordinals: dict[int, int], dialogue: int) -> tuple[list[Plan], dt.date]:
    """The meetings of one cycle: kinds in CYCLE_KINDS order, dates strictly increasing."""
    plans = []
    for offset, kind in enumerate(CYCLE_KINDS):
        start += dt.timedelta(days=rng.randint(2, 6))
        end = start if kind == "Training" else start + dt.timedelta(days=1)
        city = rng.choice(cities)
        ordinal = None
        if kind == "SeniorOfficialsMeeting":  # "24th Meeting of the Senior Officials" style numbering
            ordinals[dialogue] = ordinal = ordinals.get(dialogue, 0) + 1
        slug_ = f"{start.isoformat()}-{city.ref.split(':')[1]}-synthetic-{first + offset}"
        plans.append(Plan(slug_, kind, start, end, city, ordinal))
        start = end
    return plans, start


def synthesise(triples: int, seed: int = 1) -> Synthetic:
    """About ``triples`` triples of synthetic data (whole meetings, so within about 250 of the target)."""
    rng = random.Random(seed)
    out = Turtle()
    world = World(rng, out, reference())
    cursor, ordinals = FIRST_DAY, dict[int, int]()
    meetings = 0
    previous: str | None = None
    cycle = 0
    while True:
        plans, cursor = _plans(rng, world.ref.cities, cycle * CYCLE_MEETINGS, cursor, ordinals, cycle % DIALOGUES)
        out.part = slug(_dialogue_name(cycle % DIALOGUES)[1])
        ctx = write_cycle(world, cycle, plans)
        for plan in plans:
            before = out.triples
            write_meeting(world, ctx, plan, Profile(), previous=previous)
            previous = plan.ref
            meetings += 1
            # Stop when one more meeting of this size would overshoot more than stopping undershoots.
            if out.triples + (out.triples - before) / 2 >= triples:
                return Synthetic(out.files(), out.triples, meetings)
        cycle += 1


def generate(triples: int, seed: int = 1) -> dict[str, str]:
    """Turtle of about ``triples`` triples by file name; the same seed gives the same bytes."""
    return synthesise(triples, seed).files


def write(files: dict[str, str], folder: Path) -> list[Path]:
    """``files`` written into ``folder`` (created if missing); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in files]
    for path, text in zip(paths, files.values()):
        path.write_text(text, encoding="utf-8")
    return paths


def submission(seed: int = 1) -> str:
    """A new meeting report of about 200 triples that conforms when validated against the real graph.

    It names only IRIs of the curated graph (the Budapest Process, its working groups, the
    priority goals of the Istanbul Commitments, reference states, cities and organisations) and
    its own new nodes, and starts on a day no curated meeting starts on.
    """
    rng = random.Random(seed)
    out = Turtle()
    world = World(rng, out, reference())
    goals = [(f"goal:istanbul-commitments-2019-{i}", topic) for i, topic in enumerate(
        ("irregular migration", "legal migration and mobility", "integration of migrants",
         "migration and development", "trafficking in persons", "international protection"), start=1)]
    start = FIRST_DAY + dt.timedelta(days=rng.randrange(3650))
    city = rng.choice(world.ref.cities)
    plan = Plan(f"{start.isoformat()}-{city.ref.split(':')[1]}-synthetic-submission-{seed}", "WorkingGroupMeeting",
                start, start + dt.timedelta(days=1), city)
    ctx = Context(BUDAPEST_PROCESS, goals, "doc:implementation-plan", world.ref.state("TUR"),
                  organisations=world.ref.organisations)
    write_meeting(world, ctx, plan, Profile(states=(12, 12), organisations=(3, 3), groups=1,
                                            interventions=False, closing_outcomes=False))
    return out.turtle()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="target number of triples (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path,
                        help="output folder, one Turtle file per dialogue (default: all as one document on standard output)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = synthesise(args.triples, args.seed)
    report = (f"{data.triples} triples ({data.meetings} meetings) for seed {args.seed} "
              f"in {time.perf_counter() - started:.2f} s")
    if args.out:
        written = write(data.files, args.out)
        print(f"{report}: {', '.join(p.name for p in written)} in {args.out}")
    else:
        sys.stdout.write(data.turtle)
        print(report, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
