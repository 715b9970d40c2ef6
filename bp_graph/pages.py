"""The HTML pages of the published site, rendered with the Jinja2 templates in ``bp_graph/templates``.

Pages are for people first: human labels instead of IRIs, properties grouped (names, time and
place, description, relations) and ordered, the links *to* a resource as tables where they matter
(the participants of a meeting, the meetings a state attended, who held which role when, the name
forms the sources use), every source quote with its document and locator, and the inferred facts
apart. Every label comes from the data and is escaped (Jinja2 autoescaping); links are relative so
that the site works from ``file://``. :class:`SiteRenderer` turns a :class:`~bp_graph.publishing.SiteData`
into page text; :mod:`bp_graph.publishing` decides what is written where.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from markupsafe import Markup

from . import __version__
from .namespaces import BP, FOAF, GRAPH_NS, INFERRED_GRAPH, OA, ORG, PROV, SCHEMA, SH, VOID
from .publishing import DCTERMS, OWL, RDF, RDF_FORMATS, RDFS, SKOS, XSD, Dump, Obj, SiteData, Triple3, relative_href
from .resources import shapes_file
from .reasoning import SEARCH_LABEL
from .textindex import without_accents

if TYPE_CHECKING:
    import jinja2

    from .catalogue import Catalogue

TEMPLATES = Path(__file__).resolve().parent / "templates"

KIND_TITLES: dict[str, str] = {
    "meeting": "Meetings", "state": "States", "organisation": "Organisations", "body": "Bodies of the dialogue",
    "dialogue": "Dialogues", "person": "People", "document": "Documents", "goal": "Goals, commitments and actions",
    "goal-scheme": "Goal schemes", "project": "Projects", "instrument": "Instruments", "outcome": "Outcomes",
    "intervention": "Statements and presentations", "participation": "Participations", "membership": "Roles and memberships",
    "name": "Name forms", "source": "Sources and quoted segments", "city": "Cities", "role": "Roles",
    "figure": "Stated figures", "hosting": "Hostings", "phase": "Phases", "focus": "Thematic focuses",
    "meeting-format": "Meeting formats", "characteristic": "Characteristics", "component": "Project components",
}
"""Headings of the browse pages, by the first segment of the resources' paths (others are derived)."""
KIND_ORDER = ("meeting", "state", "organisation", "body", "dialogue", "person", "document", "goal", "project",
              "outcome", "intervention", "city", "source")

NAME_PROPS = [RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, BP.shortName, BP.acronym, FOAF.name,
              SCHEMA.name, DCTERMS.title, BP.iso3, BP.iso2, SKOS.notation, BP.ordinal, BP.nameAsListed]
TIME_PROPS = [SCHEMA.startDate, SCHEMA.endDate, SCHEMA.validFrom, SCHEMA.validUntil, BP.attestedOn, BP.date,
              BP.targetDate, DCTERMS.issued, DCTERMS.created, BP.dissolved, SCHEMA.location, BP.country,
              SCHEMA.eventAttendanceMode]
TEXT_PROPS = [RDFS.comment, SKOS.definition, DCTERMS.description, SCHEMA.text, BP.topic, BP.theme, BP.region,
              BP.purpose, BP.level, BP.frequency, SKOS.scopeNote, SKOS.editorialNote]
RELATION_PROPS = [BP.participant, BP.meeting, BP.inGroup, ORG.member, ORG.organization, ORG.role, BP.postTitle,
                  BP.speaker, BP.actingFor, BP.inRole, BP.proposedBy, BP.decidedBy, BP.decisionKind, BP.concernsAgent,
                  BP.about, BP.addressesGoal, BP.dialogue, BP.meetingOf, BP.hostedBy, BP.openedBy, BP.moderatedBy,
                  SCHEMA.subEvent, BP.nameOf, BP.nameKind, ORG.subOrganizationOf, SKOS.inScheme, BP.schemeOf]
SKIPPED = {str(RDF.type), str(PROV.wasDerivedFrom)}
LONG_TEXT = {str(p) for p in TEXT_PROPS}
NOTE_PROPS = {str(p) for p in (RDFS.comment, SKOS.definition, SKOS.scopeNote, SKOS.editorialNote)}
"""The curators' and the ontology's own text, whose prefixed names and <IRIs> link to their pages."""
_REFERENCE = re.compile(r"<(?P<iri>https?://[^<>\s\"]+)>"
                        r"|(?<![\w/#:.<@-])(?P<prefix>[A-Za-z][\w-]*):(?P<local>[A-Za-z0-9](?:[\w./-]*\w)?)")
CHARACTERISTICS = {str(OWL.FunctionalProperty): "functional", str(OWL.InverseFunctionalProperty): "inverse functional",
                   str(OWL.TransitiveProperty): "transitive", str(OWL.SymmetricProperty): "symmetric",
                   str(OWL.AsymmetricProperty): "asymmetric", str(OWL.ReflexiveProperty): "reflexive",
                   str(OWL.IrreflexiveProperty): "irreflexive"}
TERM_KINDS = ((str(OWL.Class), "Class"), (str(RDFS.Class), "Class"), (str(OWL.ObjectProperty), "Object property"),
              (str(OWL.DatatypeProperty), "Datatype property"), (str(OWL.AnnotationProperty), "Annotation property"),
              (str(RDF.Property), "Property"))


@dataclass
class Value:
    """One value on a page: a link, a literal (with language and datatype note) or a nested blank node.

    >>> Value("Türkiye", href="../state/TUR.html").text
    'Türkiye'
    """

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    note: str | None = None
    long: bool = False
    external: bool = False
    nested: list[Row] | None = None
    parts: list[Value] | None = None
    """A text with links in it: its runs of text and its links, in order."""


@dataclass
class Row:
    """A property (label and link to its documentation) with its values.

    >>> Row(Value("start date"), [Value("2019-10-09")]).values[0].text
    '2019-10-09'
    """

    prop: Value
    values: list[Value]


@dataclass
class Group:
    """A titled group of property rows on a resource page.

    >>> Group("Names and codes", "names", []).title
    'Names and codes'
    """

    title: str
    id: str
    rows: list[Row]


@dataclass
class Table:
    """A table of links to the resource (participants, meetings attended, roles held, ...).

    >>> Table("Participants", "participants", ["Participant"], [[Value("Türkiye")]]).size
    1
    """

    title: str
    id: str
    columns: list[str]
    rows: list[list[Value | None]]
    note: str = ""

    @property
    def size(self) -> int:
        """The number of rows."""
        return len(self.rows)


@dataclass
class Quote:
    """A source of a resource: the document, the locator, the verbatim quote and the segment's page.

    >>> Quote(Value("Skopje 2019"), "para 1", "88 participants", Value("segment")).locator
    'para 1'
    """

    document: Value
    locator: str
    quote: str
    segment: Value


@dataclass
class InverseGroup:
    """Resources linking to this one through one property.

    >>> InverseGroup("participant of", [Value("x")]).count
    1
    """

    title: str
    items: list[Value]

    @property
    def count(self) -> int:
        """The number of linking resources."""
        return len(self.items)


@dataclass
class ShapeDoc:
    """A SHACL shape that applies to a term, in words.

    >>> ShapeDoc("bps:StateShape", "State", ["bp:iso3: exactly 1"]).constraints
    ['bp:iso3: exactly 1']
    """

    name: str
    target: str
    constraints: list[str]
    messages: list[str] = field(default_factory=list)


@dataclass
class TermDoc:
    """The documentation of one ontology term.

    >>> TermDoc("Meeting", "Meeting", "https://w3id.org/bp-graph/ontology#Meeting", "Class", "").anchor
    'Meeting'
    """

    anchor: str
    label: str
    iri: str
    kind: str
    definition: str
    facts: list[Row] = field(default_factory=list)
    shapes: list[ShapeDoc] = field(default_factory=list)
    page: str = ""
    instances: list[Value] = field(default_factory=list)
    instance_count: int = 0


@dataclass
class TreeNode:
    """A class in the class hierarchy with its subclasses.

    >>> TreeNode(Value("Meeting")).children
    []
    """

    value: Value
    children: list[TreeNode] = field(default_factory=list)


def reading_order(locator: str) -> str:
    """A sort key that puts locators in reading order: each number padded to twelve digits, as the
    ``provenance`` query pads them.

    >>> sorted(["para 11", "para 2", "heading", "para 2.a"], key=reading_order)
    ['heading', 'para 2', 'para 2.a', 'para 11']
    """
    return re.sub(r"[0-9]+", lambda number: number.group().zfill(12), locator)


def humanize(label: str) -> str:
    """A property label for people: camelCase split, the rest unchanged.

    >>> humanize("startDate"), humanize("ISO 3166-1 alpha-3 code")
    ('start date', 'ISO 3166-1 alpha-3 code')
    """
    if " " in label or not re.search(r"[a-z][A-Z]", label):
        return label
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label).lower()


def fold(text: str) -> str:
    """Text folded for search: lower case without diacritics (the same folding the page script uses).

    >>> fold("Türkiye")
    'turkiye'
    """
    return without_accents(text).lower()


def kind_title(kind: str) -> str:
    """The heading for resources whose path starts with ``kind``.

    >>> kind_title("state"), kind_title("decision-kind")
    ('States', 'Decision kind')
    """
    return KIND_TITLES.get(kind) or kind.replace("-", " ").capitalize()


def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of the packaged templates (autoescaping on, undefined names are errors).

    >>> template_environment().get_template("base.html").name
    'base.html'
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def _script_json(text: str) -> Markup:
    """JSON text made safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped as JSON escapes."""
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").strip())


class SiteRenderer:
    """Renders the pages of a site from its :class:`~bp_graph.publishing.SiteData`.

    >>> from bp_graph.publishing import SiteData
    >>> html = SiteRenderer(SiteData.load()).resource_page("https://w3id.org/bp-graph/state/TUR", "{}")
    >>> "<h1>Türkiye</h1>" in html
    True
    """

    def __init__(self, site: SiteData, *, title: str = "The Budapest Process knowledge graph",
                 endpoint: str | None = None, catalogue: Catalogue | None = None) -> None:
        self.site = site
        self.title = title
        self.endpoint = endpoint or site.base + "sparql"
        self.catalogue = catalogue
        self.env = template_environment()
        self._shapes: tuple[dict, dict] | None = None
        self.inverse_of: dict[str, str] = {}
        inverse = ox.NamedNode(str(OWL.inverseOf))
        for s, p, o in site.asserted:
            if p == inverse and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                self.inverse_of.setdefault(s.value, o.value)
                self.inverse_of.setdefault(o.value, s.value)

    # ------------------------------------------------------------------ values
    def objects(self, subject: str | Obj, prop: object, *, ontology: bool = False) -> list[Obj]:
        """The asserted objects of ``subject`` through ``prop``, in a stable order.

        >>> from bp_graph.publishing import SiteData
        >>> [o.value for o in SiteRenderer(SiteData.load()).objects("https://w3id.org/bp-graph/state/TUR", BP.iso3)]
        ['TUR']
        """
        node = ox.NamedNode(subject) if isinstance(subject, str) else subject
        index = self.site.onto_out if ontology else self.site.out
        return sorted((o for p, o in index.get(node, []) if p.value == str(prop)), key=str)

    def one(self, subject: str | Obj, prop: object) -> Obj | None:
        """The first asserted object of ``subject`` through ``prop``, or None.

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).one("https://w3id.org/bp-graph/state/TUR", BP.iso2).value
        'TR'
        """
        found = self.objects(subject, prop)
        return found[0] if found else None

    def link(self, here: str, iri: str) -> Value:
        """A link from page ``here`` to ``iri``: its page on the site, else the IRI itself.

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).link("state/TUR", "https://w3id.org/bp-graph/state/MKD").href
        '../state/MKD.html'
        """
        page = self.site.page_of(iri)
        text = self.site.label(iri)
        if page is not None:
            return Value(text, href=relative_href(here, page + ".html"), iri=iri)
        if iri.startswith(("http://", "https://")):
            return Value(text, href=iri, iri=iri, external=not iri.startswith(self.site.base))
        return Value(text, iri=iri)

    def linked_text(self, here: str, text: str) -> list[Value] | None:
        """``text`` as runs of text and links, on page ``here``: a prefixed name as the source files
        write it (mtg:2019-10-09-skopje) or an <IRI> links to the page of the resource it names.
        None when nothing in it does.

        >>> from bp_graph.publishing import SiteData
        >>> parts = SiteRenderer(SiteData.load()).linked_text("meeting/x", "see mtg:2019-10-09-skopje.")
        >>> [(p.text, p.href) for p in parts]
        [('see ', None), ('mtg:2019-10-09-skopje', '../meeting/2019-10-09-skopje.html'), ('.', None)]
        """
        parts: list[Value] = []
        done = 0
        for found in _REFERENCE.finditer(text):
            iri = found.group("iri") or self.site.resolve_curie(found.group("prefix"), found.group("local"))
            page = self.site.page_of(iri) if iri else None
            if iri is None or page is None:
                continue
            parts += [Value(text[done:found.start()]), Value(found.group(), href=relative_href(here, page + ".html"), iri=iri)]
            done = found.end()
        return [*parts, Value(text[done:])] if parts else None

    def literal(self, term: ox.Literal, *, prop: str = "") -> Value:
        """A literal for display: the text, its language, and a note naming a non-string datatype.

        >>> SiteRenderer.__new__(SiteRenderer).literal(ox.Literal("2019", datatype=ox.NamedNode(str(XSD.gYear)))).note
        'year'
        """
        datatype = term.datatype.value
        notes = {str(XSD.gYear): "year", str(XSD.gYearMonth): "month", str(XSD.date): "date",
                 str(XSD.string): None, str(RDF.langString): None}
        plain = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.boolean), str(XSD.positiveInteger),
                 str(XSD.nonNegativeInteger)}
        note = notes[datatype] if datatype in notes else None if datatype in plain else datatype.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        lang = term.language or None
        return Value(term.value, lang=lang, note=note if not lang else (lang if lang != "en" else None),
                     long=prop in LONG_TEXT or len(term.value) > 140)

    def value(self, here: str, term: object, *, prop: str = "", depth: int = 0) -> Value:
        """Any object on page ``here``: a link, a literal, or a blank node shown with its own properties.

        >>> SiteRenderer.__new__(SiteRenderer).value("x", ox.Literal("a")).text
        'a'
        """
        if isinstance(term, ox.Literal):
            shown = self.literal(term, prop=prop)
            return replace(shown, parts=self.linked_text(here, term.value)) if prop in NOTE_PROPS else shown
        if isinstance(term, ox.NamedNode):
            return self.link(here, term.value)
        assert isinstance(term, ox.BlankNode)
        if depth > 4:
            return Value("…")
        rows = self.rows(here, term, depth=depth + 1, skip=set())
        return Value("", nested=rows)

    def prop_value(self, here: str, iri: str) -> Value:
        """A property's label for people, linked to its documentation.

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).prop_value("x", "https://schema.org/startDate").text
        'start date'
        """
        value = self.link(here, iri)
        local = re.split(r"[#/:]", self.site.short(iri))[-1]
        value.text = humanize(self.site.labels.get(iri) or local)
        value.external = False
        return value

    def rows(self, here: str, node: ox.NamedNode | ox.BlankNode, *, depth: int = 0, skip: set[str]) -> list[Row]:
        """All property rows of ``node`` (properties in ``skip`` left out), ``rdf:type`` first, then by name.

        >>> from bp_graph.publishing import SiteData
        >>> rows = SiteRenderer(SiteData.load()).rows("x", ox.NamedNode("https://w3id.org/bp-graph/state/TUR"), skip=set())
        >>> rows[0].prop.text, any(r.prop.text == "ISO 3166-1 alpha-3 code" for r in rows)
        ('type', True)
        """
        by_prop: dict[str, list] = {}
        for p, o in self.site.out.get(node, []):
            if p.value not in skip:
                by_prop.setdefault(p.value, []).append(o)
        rows = []
        for prop in sorted(by_prop, key=lambda p: (p != str(RDF.type), humanize(self.site.label(p)).lower())):
            values = [self.value(here, o, prop=prop, depth=depth) for o in by_prop[prop]]
            rows.append(Row(self.prop_value(here, prop), sorted(values, key=lambda v: (v.text.lower(), v.iri or ""))))
        return rows

    def kind_of(self, iri: str) -> str:
        """The label of the most specific asserted class of ``iri`` (several joined by ' and ').

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).kind_of("https://w3id.org/bp-graph/state/TUR")
        'State'
        """
        types = self.site.most_specific_types(iri)
        return " and ".join(sorted(self.site.label(t) for t in types)) or "Resource"

    # ------------------------------------------------------------------ resource pages
    def groups(self, here: str, iri: str) -> list[Group]:
        """The resource's own properties in groups: names, time and place, description, relations, other.

        >>> from bp_graph.publishing import SiteData
        >>> [g.title for g in SiteRenderer(SiteData.load()).groups("state/TUR", "https://w3id.org/bp-graph/state/TUR")][:1]
        ['Names and codes']
        """
        node = ox.NamedNode(iri)
        by_prop: dict[str, list] = {}
        for p, o in self.site.out.get(node, []):
            if p.value not in SKIPPED:
                by_prop.setdefault(p.value, []).append(o)
        placed: set[str] = set()
        groups: list[Group] = []

        def make(props: Sequence[str]) -> list[Row]:
            rows = []
            for prop in props:
                if prop in by_prop and prop not in placed:
                    placed.add(prop)
                    values = [self.value(here, o, prop=prop) for o in by_prop[prop]]
                    values.sort(key=lambda v: (v.text.lower(), v.iri or ""))
                    rows.append(Row(self.prop_value(here, prop), values))
            return rows

        for title, anchor, props in (("Names and codes", "names", NAME_PROPS), ("When and where", "time", TIME_PROPS),
                                     ("Description", "description", TEXT_PROPS)):
            rows = make([str(p) for p in props])
            if rows:
                groups.append(Group(title, anchor, rows))
        label = lambda p: humanize(self.site.label(p)).lower()  # noqa: E731
        rest = sorted((p for p in by_prop if p not in placed), key=label)
        relations = [str(p) for p in RELATION_PROPS] + [p for p in rest if any(
            not isinstance(o, ox.Literal) for o in by_prop[p])]
        rows = make(relations)
        if rows:
            groups.append(Group("Relations", "relations", rows))
        rows = make(rest)
        if rows:
            groups.append(Group("Other details", "details", rows))
        return groups

    def sources(self, here: str, iri: str) -> list[Quote]:
        """The source segments of a resource: document, locator and verbatim quote.

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).sources("x", "https://w3id.org/bp-graph/nowhere")
        []
        """
        quotes = []
        for segment in self.objects(iri, PROV.wasDerivedFrom):
            document = self.one(segment, OA.hasSource)
            locator = self.one(segment, BP.locator)
            selector = self.one(segment, OA.hasSelector)
            exact = self.one(selector, OA.exact) if isinstance(selector, (ox.NamedNode, ox.BlankNode)) else None
            quotes.append(Quote(
                self.value(here, document) if document is not None else Value("(no source document)"),
                locator.value if isinstance(locator, ox.Literal) else "",
                exact.value if isinstance(exact, ox.Literal) else "",
                Value("quote record", href=self.link(here, segment.value).href, iri=segment.value)
                if isinstance(segment, ox.NamedNode) else Value("")))
        return sorted(quotes, key=lambda q: (q.document.text, reading_order(q.locator), q.quote))

    def _dated(self, node: object, *props: object) -> Value | None:
        for prop in props:
            found = self.one(node, prop) if isinstance(node, (ox.NamedNode, ox.BlankNode)) else None
            if isinstance(found, ox.Literal):
                return self.literal(found)
        return None

    def tables(self, here: str, iri: str) -> tuple[list[Table], set[tuple[str, str]]]:
        """The tables of links to a resource, and the (subject, property) links they show.

        >>> from bp_graph.publishing import SiteData
        >>> tables, used = SiteRenderer(SiteData.load()).tables("x", "https://w3id.org/bp-graph/nowhere")
        >>> tables, used
        ([], set())
        """
        site, node = self.site, ox.NamedNode(iri)
        incoming: dict[str, list[ox.NamedNode]] = {}
        for s, p in site.inc.get(node, []):
            if isinstance(s, ox.NamedNode):
                incoming.setdefault(p.value, []).append(s)
        used: set[tuple[str, str]] = set()
        tables: list[Table] = []
        link = lambda term: self.value(here, term) if term is not None else None  # noqa: E731

        def take(prop: object, cls: object | None = None) -> list[ox.NamedNode]:
            found = [s for s in incoming.get(str(prop), []) if cls is None or site.is_a(s.value, str(cls))]
            used.update((s.value, str(prop)) for s in found)
            return sorted(set(found), key=lambda s: s.value)

        participations = take(BP.meeting, BP.Participation)
        if participations:
            ranked = []  # (kind order, label, row): sorted, then the rows alone
            for p in participations:
                who = self.one(p, BP.participant)
                who_iri = who.value if isinstance(who, ox.NamedNode) else ""
                order = 0 if site.is_a(who_iri, str(BP.State)) else 2 if site.is_a(who_iri, str(FOAF.Person)) else 1
                ranked.append((order, site.label(who_iri).lower(), [link(who), Value(self.kind_of(who_iri)),
                                                                      link(self.one(p, BP.nameAsListed)), link(p)]))
            ranked.sort(key=lambda r: (r[0], r[1]))
            states = sum(1 for r in ranked if r[0] == 0)
            tables.append(Table("Participants", "participants", ["Participant", "Kind", "Listed as", "Record"],
                                [r[2] for r in ranked], f"{len(ranked)} participants listed in the sources, "
                                f"{states} of them states."))
        attended = take(BP.participant, BP.Participation)
        if attended:
            rows = []
            for p in attended:
                meeting = self.one(p, BP.meeting)
                start = self._dated(meeting, SCHEMA.startDate)
                rows.append([start, link(meeting), link(self.one(p, BP.nameAsListed)), link(p)])
            rows.sort(key=lambda r: (r[0].text if r[0] else "", r[1].text if r[1] else ""))
            tables.append(Table("Meetings attended", "meetings-attended", ["Date", "Meeting", "Listed as", "Record"],
                                rows, f"Listed as a participant of {len(rows)} meetings."))
        parts = take(BP.meeting, BP.MeetingPart)
        if parts:
            rows = [[Value(self.kind_of(p.value)), link(p), link(self.one(p, BP.topic) or self.one(p, BP.region)),
                     link(self.one(p, BP.moderatedBy))] for p in parts]
            tables.append(Table("Sessions and break-out groups", "parts", ["Kind", "Part", "Topic", "Moderated by"], rows))
        outcomes = take(BP.meeting, BP.Outcome)
        if outcomes:
            rows = [[link(self.one(o, SKOS.notation)), Value(self.kind_of(o.value)), link(o),
                     link(self.one(o, BP.inGroup))] for o in outcomes]
            rows.sort(key=lambda r: (r[3].text if r[3] else "", r[0].text if r[0] else "", r[2].text if r[2] else ""))
            tables.append(Table("Outcomes", "outcomes", ["No.", "Kind", "Outcome", "Brought forward in"], rows))
        interventions = take(BP.meeting, BP.Intervention)
        if interventions:
            rows = [[Value(self.kind_of(i.value)), link(self.one(i, BP.speaker)), link(i)] for i in interventions]
            rows.sort(key=lambda r: (r[1].text if r[1] else "", r[2].text if r[2] else ""))
            tables.append(Table("Statements and presentations", "interventions", ["Kind", "Speaker", "What"], rows))
        for prop, title, anchor, other, other_title in (
                (ORG.member, "Roles held", "roles-held", ORG.organization, "In"),
                (ORG.organization, "Roles and who held them", "role-holders", ORG.member, "Held by")):
            memberships = take(prop)
            if memberships:
                rows = []
                for m in memberships:
                    role = link(self.one(m, ORG.role))
                    post = self.one(m, BP.postTitle)
                    if post is not None and role is not None:
                        role.text = f"{role.text} ({post.value})"
                    start = self._dated(m, SCHEMA.validFrom, BP.attestedOn)
                    end = self._dated(m, SCHEMA.validUntil, BP.attestedOn)
                    rows.append([start, end, role or link(post), link(self.one(m, other)), link(m)])
                rows.sort(key=lambda r: (r[0].text if r[0] else "~", r[2].text if r[2] else "", r[3].text if r[3] else ""))
                tables.append(Table(title, anchor, ["From", "Until", "Role", other_title, "Record"], rows,
                                    "From and until are the period the source gives, or the date it shows the role "
                                    "as current."))
        names = take(BP.nameOf)
        if names:
            rows = []
            for n in names:
                documents = [self.one(seg, OA.hasSource) for seg in self.objects(n, PROV.wasDerivedFrom)]
                rows.append([link(self.one(n, SCHEMA.name)), link(self.one(n, BP.nameKind)),
                             self._dated(n, SCHEMA.validFrom, BP.attestedOn), self._dated(n, SCHEMA.validUntil),
                             link(documents[0]) if documents and documents[0] is not None else None, link(n)])
            rows.sort(key=lambda r: (r[2].text if r[2] else "", r[0].text if r[0] else ""))
            tables.append(Table("Names used in the sources", "names-used",
                                ["Name", "Kind", "From or attested", "Until", "Source", "Record"], rows))
        return tables, used

    def inverse(self, here: str, iri: str, used: set[tuple[str, str]]) -> list[InverseGroup]:
        """Other links to a resource, grouped by property (the inverse's label where one is declared).

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).inverse("x", "https://w3id.org/bp-graph/nowhere", set())
        []
        """
        by_prop: dict[str, set[str]] = {}
        for s, p in self.site.inc.get(ox.NamedNode(iri), []):
            if isinstance(s, ox.NamedNode) and (s.value, p.value) not in used and s.value != iri:
                by_prop.setdefault(p.value, set()).add(s.value)
        groups = []
        for prop, subjects in by_prop.items():
            if prop in self.inverse_of:
                title = humanize(self.site.label(self.inverse_of[prop]))
            elif prop == str(RDF.type):
                title = "instances"
            else:
                title = f"linked here as “{humanize(self.site.labels.get(prop) or re.split(r'[#/:]', self.site.short(prop))[-1])}”"
            items = []
            for subject in subjects:
                value = self.link(here, subject)
                value.note = self.kind_of(subject)
                items.append(value)
            items.sort(key=lambda v: (v.text.lower(), v.iri or ""))
            groups.append(InverseGroup(title, items))
        return sorted(groups, key=lambda g: g.title.lower())

    def inferred(self, here: str, iri: str) -> list[Row]:
        """The facts OWL RL infers about a resource (its closure, minus ``owl:Thing`` and the
        names without accents that are there for search only).

        >>> from bp_graph.publishing import SiteData
        >>> rows = SiteRenderer(SiteData.load()).inferred("x", "https://w3id.org/bp-graph/state/TUR")
        >>> any(v.iri == str(BP.Agent) for r in rows for v in r.values)
        True
        """
        by_prop: dict[str, list] = {}
        for p, o in self.site.inf_out.get(ox.NamedNode(iri), []):
            if not (p.value == str(RDF.type) and o.value == str(OWL.Thing)) and p.value != SEARCH_LABEL \
                    and not isinstance(o, ox.BlankNode):
                by_prop.setdefault(p.value, []).append(o)
        return [Row(self.prop_value(here, prop), sorted((self.value(here, o, prop=prop) for o in values),
                                                        key=lambda v: v.text.lower()))
                for prop, values in sorted(by_prop.items(), key=lambda kv: humanize(self.site.label(kv[0])))]

    def _base_context(self, here: str, title: str, jsonld: str | None, *, alternates: bool = True) -> dict[str, object]:
        name = here.rsplit("/", 1)[-1]
        return {"title": title, "site_title": self.title, "root": "../" * here.count("/"),
                "jsonld": _script_json(jsonld) if jsonld else None, "version": __version__,
                "alternates": [{"href": relative_href(here, f"{here}.{f.ext}"), "media_type": f.media_type,
                                "name": f.name, "file": f"{name}.{f.ext}"} for f in RDF_FORMATS.values()]
                if alternates else []}

    def resource_page(self, iri: str, jsonld: str) -> str:
        """The HTML page of an instance resource (``jsonld`` is its JSON-LD description, embedded).

        >>> from bp_graph.publishing import SiteData
        >>> "Also as" in SiteRenderer(SiteData.load()).resource_page("https://w3id.org/bp-graph/state/MKD", "{}")
        True
        """
        site = self.site
        here = site.paths[iri]
        kind = here.split("/", 1)[0]
        tables, used = self.tables(here, iri)
        context = self._base_context(here, site.label(iri), jsonld)
        context.update({
            "iri": iri, "label": site.label(iri),
            "types": [self.link(here, t) for t in site.most_specific_types(iri)],
            "kind_title": kind_title(kind), "kind_href": relative_href(here, f"browse/{kind}.html"),
            "groups": self.groups(here, iri), "tables": tables, "sources": self.sources(here, iri),
            "inverse": self.inverse(here, iri, used), "inferred": self.inferred(here, iri),
        })
        return self.env.get_template("resource.html").render(context)

    # ------------------------------------------------------------------ ontology
    def _shape_index(self) -> tuple[dict, dict]:
        if self._shapes is None:
            triples = [(q.subject, q.predicate, q.object)
                       for q in ox.parse(path=str(shapes_file()), format=ox.RdfFormat.TURTLE, base_iri=self.site.base)]
            out: dict = {}
            inc: dict = {}
            for s, p, o in triples:
                out.setdefault(s, []).append((p, o))
                inc.setdefault(o, []).append((s, p))
            self._shapes = (out, inc)
        return self._shapes

    def _shape_objects(self, node: object, prop: object) -> list:
        out, _ = self._shape_index()
        return sorted((o for p, o in out.get(node, []) if p.value == str(prop)), key=str)

    def _rdf_list(self, node: object, out: dict) -> list:
        items = []
        seen = set()
        while isinstance(node, (ox.BlankNode, ox.NamedNode)) and node.value != str(RDF.nil) and node not in seen:
            seen.add(node)
            arcs = out.get(node, [])
            items += [o for p, o in arcs if p.value == str(RDF.first)]
            node = next((o for p, o in arcs if p.value == str(RDF.rest)), None)
        return items

    def _path_text(self, path: object) -> str:
        out, _ = self._shape_index()
        if isinstance(path, ox.NamedNode):
            return self.site.short(path.value)
        inverse = self._shape_objects(path, SH.inversePath)
        if inverse:
            return f"^{self._path_text(inverse[0])}"
        items = self._rdf_list(path, out)
        if items:
            return "/".join(self._path_text(i) for i in items)
        return "(a complex path)"

    def constraint_text(self, shape: object) -> str:
        """A property shape (or node shape) in words: path, cardinality, value type, and the rest.

        >>> from bp_graph.publishing import SiteData
        >>> r = SiteRenderer(SiteData.load())
        >>> r.constraint_text(ox.NamedNode("https://w3id.org/bp-graph/shapes#EnglishLabel"))
        'rdfs:label: exactly 1; datatype rdf:langString; language en'
        """
        out, _ = self._shape_index()
        get = lambda prop: self._shape_objects(shape, prop)  # noqa: E731
        short = self.site.short
        parts = []
        lows, highs = get(SH.minCount), get(SH.maxCount)
        low = int(lows[0].value) if lows else 0
        high = int(highs[0].value) if highs else None
        if low and high == low:
            parts.append(f"exactly {low}")
        elif low and high is not None:
            parts.append(f"{low} to {high}")
        elif low:
            parts.append(f"at least {low}")
        elif high is not None:
            parts.append(f"at most {high}")
        for prop, words in ((SH.datatype, "datatype"), (SH["class"], "instance of"), (SH.node, "conforms to"),
                            (SH.nodeKind, "node kind")):
            for o in get(prop):
                parts.append(f"{words} {short(o.value) if isinstance(o, ox.NamedNode) else 'a nested shape'}")
        for prop, words in ((SH.pattern, "matches"), (SH.minInclusive, "at least"), (SH.maxInclusive, "at most"),
                            (SH.minLength, "length at least"), (SH.maxLength, "length at most"),
                            (SH.hasValue, "has value")):
            for o in get(prop):
                parts.append(f"{words} {short(o.value) if isinstance(o, ox.NamedNode) else o.value}")
        for prop, words in ((SH["in"], "one of"), (SH.languageIn, "language")):
            for o in get(prop):
                parts.append(f"{words} " + ", ".join(short(i.value) if isinstance(i, ox.NamedNode) else i.value
                                                     for i in self._rdf_list(o, out)))
        for o in get(SH["or"]):
            options = [self.constraint_text(i) for i in self._rdf_list(o, out)]
            parts.append("either " + " or ".join(options))
        for o in get(SH.severity):
            if o.value != str(SH.Violation):
                parts.append(f"severity {short(o.value).removeprefix('sh:')}")
        text = "; ".join(parts)
        paths = get(SH.path)
        return f"{self._path_text(paths[0])}: {text}" if paths else text

    def shapes_for(self, term: str) -> list[ShapeDoc]:
        """The SHACL shapes that apply to a class (node shapes targeting it) or a property (property shapes on it).

        >>> from bp_graph.publishing import SiteData
        >>> "bps:StateShape" in [s.name for s in SiteRenderer(SiteData.load()).shapes_for(str(BP.State))]
        True
        """
        out, inc = self._shape_index()
        node = ox.NamedNode(term)
        short = lambda n: self.site.short(n.value) if isinstance(n, ox.NamedNode) else "a shape"  # noqa: E731
        docs = []
        for shape, p in sorted(inc.get(node, []), key=lambda sp: str(sp[0])):
            if p.value == str(SH.targetClass):
                constraints = [self.constraint_text(ps) for ps in self._shape_objects(shape, SH.property)]
                own = self.constraint_text(shape)
                messages = [m.value for m in self._shape_objects(shape, SH.message)]
                for sparql in self._shape_objects(shape, SH.sparql):
                    messages += [f"SPARQL check: {m.value}" for m in self._shape_objects(sparql, SH.message)]
                docs.append(ShapeDoc(short(shape), self.site.label(term), ([own] if own else []) + sorted(constraints),
                                     messages))
            elif p.value == str(SH.path):
                owners = [s for s, q in inc.get(shape, []) if q.value == str(SH.property)]
                targets = sorted({self.site.label(t.value) for o in owners for t in self._shape_objects(o, SH.targetClass)})
                messages = [m.value for m in self._shape_objects(shape, SH.message)]
                names = ", ".join(sorted(short(o) for o in owners)) or short(shape)
                docs.append(ShapeDoc(names, ", ".join(targets) or "nodes it is used on", [self.constraint_text(shape)],
                                     messages))
        return docs

    def term_doc(self, here: str, iri: str) -> TermDoc:
        """The documentation of one ontology term: definition, hierarchy, domain, range, characteristics, shapes.

        >>> from bp_graph.publishing import SiteData
        >>> doc = SiteRenderer(SiteData.load()).term_doc("ontology", str(BP.participant))
        >>> doc.kind, [r.prop.text for r in doc.facts][:2]
        ('Object property', ['domain', 'range'])
        """
        site = self.site
        node = ox.NamedNode(iri)
        types = {o.value for p, o in site.onto_out.get(node, []) if p.value == str(RDF.type)}
        kind = next((name for t, name in TERM_KINDS if t in types), "Term")
        definitions = [o.value for p in (RDFS.comment, SKOS.definition) for o in self.objects(node, p, ontology=True)]
        facts: list[Row] = []
        incoming = [(s, p) for s, p in site.onto_inc.get(node, []) if isinstance(s, ox.NamedNode)]

        def fact(title: str, terms: Sequence[object]) -> None:
            values = []
            for term in terms:
                if isinstance(term, ox.NamedNode):
                    values.append(self.link(here, term.value))
                elif isinstance(term, ox.BlankNode):
                    values.append(Value("(an anonymous class expression)"))
            if values:
                facts.append(Row(Value(title), sorted(values, key=lambda v: v.text.lower())))

        def members_of_disjoint_lists() -> list[object]:
            found = []
            for s, p in site.onto_inc.get(node, []):
                if p.value == str(RDF.first):
                    head = s
                    while True:
                        before = [x for x, q in site.onto_inc.get(head, []) if q.value == str(RDF.rest)]
                        if not before:
                            break
                        head = before[0]
                    owners = [x for x, q in site.onto_inc.get(head, []) if q.value == str(OWL.members)]
                    if owners:
                        found += [m for m in self._rdf_list(head, site.onto_out) if m != node]
            return found

        if kind == "Class":
            fact("subclass of", self.objects(node, RDFS.subClassOf, ontology=True))
            fact("subclasses", [s for s, p in incoming if p.value == str(RDFS.subClassOf)])
            fact("equivalent to", self.objects(node, OWL.equivalentClass, ontology=True))
            fact("disjoint with", [*self.objects(node, OWL.disjointWith, ontology=True),
                                   *[s for s, p in incoming if p.value == str(OWL.disjointWith)],
                                   *members_of_disjoint_lists()])
            fact("domain of", [s for s, p in incoming if p.value == str(RDFS.domain)])
            fact("range of", [s for s, p in incoming if p.value == str(RDFS.range)])
        else:
            fact("domain", self.objects(node, RDFS.domain, ontology=True))
            fact("range", self.objects(node, RDFS.range, ontology=True))
            fact("subproperty of", self.objects(node, RDFS.subPropertyOf, ontology=True))
            fact("subproperties", [s for s, p in incoming if p.value == str(RDFS.subPropertyOf)])
            inverse = self.inverse_of.get(iri)
            fact("inverse of", [ox.NamedNode(inverse)] if inverse else [])
            characteristics = sorted(CHARACTERISTICS[t] for t in types if t in CHARACTERISTICS)
            if characteristics:
                facts.append(Row(Value("characteristics"), [Value(c) for c in characteristics]))
            for chain in self.objects(node, OWL.propertyChainAxiom, ontology=True):
                steps = self._rdf_list(chain, site.onto_out)
                facts.append(Row(Value("property chain"), [Value(" then ".join(site.short(s.value) for s in steps))]))
        anchor = iri[len(site.namespace):]
        instances = sorted(s for s, types_ in site.asserted_types.items() if iri in types_)
        usage = sum(1 for _, p, _ in site.asserted if p.value == iri) if kind != "Class" else 0
        if kind != "Class":
            facts.append(Row(Value("used in"), [Value(f"{usage} asserted triples")]))
        return TermDoc(anchor, site.label(iri), iri, kind, " ".join(definitions), facts, self.shapes_for(iri),
                       relative_href(here, site.terms[iri] + ".html"),
                       [self.link(here, i) for i in instances[:50]], len(instances))

    def class_tree(self, here: str) -> list[TreeNode]:
        """The hierarchy of the ontology's classes (roots: classes with no superclass in the ontology).

        >>> from bp_graph.publishing import SiteData
        >>> any(n.value.text == "Meeting" for n in SiteRenderer(SiteData.load()).class_tree("ontology"))
        True
        """
        site = self.site
        classes = [t for t in site.terms if self.term_kind(t) == "Class"]
        parents = {c: [o.value for o in self.objects(c, RDFS.subClassOf, ontology=True)
                       if isinstance(o, ox.NamedNode) and o.value in site.terms] for c in classes}

        def build(cls: str, trail: tuple[str, ...]) -> TreeNode:
            children = sorted((c for c in classes if cls in parents[c] and c not in trail), key=site.label)
            return TreeNode(self.link(here, cls), [build(c, trail + (c,)) for c in children])

        return [build(c, (c,)) for c in sorted(classes, key=site.label) if not parents[c]]

    def term_kind(self, iri: str) -> str:
        """'Class', 'Object property', 'Datatype property', 'Annotation property' or 'Term'.

        >>> from bp_graph.publishing import SiteData
        >>> SiteRenderer(SiteData.load()).term_kind(str(BP.iso3))
        'Datatype property'
        """
        types = {o.value for p, o in self.site.onto_out.get(ox.NamedNode(iri), []) if p.value == str(RDF.type)}
        return next((name for t, name in TERM_KINDS if t in types), "Term")

    def ontology_page(self, jsonld: str, *, here: str = "ontology") -> str:
        """The ontology's documentation page (``ontology.html``, or ``here``: the page of its version
        IRI): header, class tree, every term.

        >>> from bp_graph.publishing import SiteData
        >>> 'id="Meeting"' in SiteRenderer(SiteData.load()).ontology_page("{}")
        True
        """
        site = self.site
        header = ox.NamedNode(site.ontology_iri)
        meta = [row for row in self.rows(here, header, skip={str(RDF.type)})]
        docs = [self.term_doc(here, t) for t in sorted(site.terms, key=lambda t: site.label(t).lower())]
        sections = [(title, [d for d in docs if d.kind == title]) for title in
                    ("Class", "Object property", "Datatype property", "Annotation property", "Term")]
        context = self._base_context(here, site.label(site.ontology_iri), jsonld)
        context.update({"iri": site.ontology_iri, "meta": meta, "hierarchy": self.class_tree(here),
                        "sections": [(f"{t}{'es' if t == 'Class' else 's'}", d) for t, d in sections if d],
                        "namespace": site.namespace, "shapes_href": relative_href(here, "shapes.ttl")})
        return self.env.get_template("ontology.html").render(context)

    def term_page(self, iri: str, jsonld: str) -> str:
        """The page of one ontology term (``ontology/Term.html``).

        >>> from bp_graph.publishing import SiteData
        >>> "bps:StateShape" in SiteRenderer(SiteData.load()).term_page(str(BP.State), "{}")
        True
        """
        here = self.site.terms[iri]
        doc = self.term_doc(here, iri)
        context = self._base_context(here, f"{doc.label} ({doc.kind.lower()})", jsonld)
        context.update({"doc": doc, "ontology_href": relative_href(here, f"ontology.html#{doc.anchor}"),
                        "browse_href": None})
        return self.env.get_template("term.html").render(context)

    def graph_page(self, iri: str, count: int) -> str:
        """The page of one named graph (``graph/....html``): what it holds and how many triples.

        >>> from bp_graph.publishing import SiteData
        >>> "source/skopje-2019" in SiteRenderer(SiteData.load()).graph_page(
        ...     "https://w3id.org/bp-graph/graph/inferred", 10)
        False
        """
        here = iri[len(self.site.base):]
        name = iri[len(GRAPH_NS):]
        file = None if iri == INFERRED_GRAPH else (f"{name}.ttl" if name.startswith("ontology/") else f"data/{name}.ttl")
        context = self._base_context(here, f"Named graph {name}", None)
        context.update({"iri": iri, "file": file, "count": count})
        return self.env.get_template("graph.html").render(context)

    # ------------------------------------------------------------------ index, browse, dataset
    def kinds(self, resources: Sequence[str]) -> dict[str, list[str]]:
        """Resources grouped by the first segment of their path, the important kinds first.

        >>> from bp_graph.publishing import SiteData
        >>> site = SiteData.load()
        >>> "state" in SiteRenderer(site).kinds(site.resources())
        True
        """
        groups: dict[str, list[str]] = {}
        for iri in resources:
            groups.setdefault(self.site.paths[iri].split("/", 1)[0], []).append(iri)
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        return dict(sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kind_title(kv[0]))))

    def browse_page(self, kind: str, members: Sequence[str]) -> str:
        """A page listing every resource of one kind, with its type and date, oldest first where dated.

        >>> from bp_graph.publishing import SiteData
        >>> site = SiteData.load()
        >>> "Türkiye" in SiteRenderer(site).browse_page("state", SiteRenderer(site).kinds(site.resources())["state"])
        True
        """
        here = f"browse/{kind}"
        rows: list[tuple[Value | None, Value, Value]] = []  # a tuple: only the date may be missing
        for iri in members:
            node = ox.NamedNode(iri)
            date = self._dated(node, SCHEMA.startDate, BP.date, SCHEMA.validFrom, BP.attestedOn, DCTERMS.issued)
            rows.append((date, self.link(here, iri), Value(self.kind_of(iri))))
        dated = any(r[0] is not None for r in rows)
        rows.sort(key=lambda r: ((r[0].text if r[0] else "~") if dated else "", r[1].text.lower(), r[1].iri or ""))
        table = Table(kind_title(kind), kind, ["Date", "Name", "Kind"] if dated else ["Name", "Kind"],
                      [list(r if dated else r[1:]) for r in rows])
        context = self._base_context(here, kind_title(kind), None, alternates=False)
        context.update({"listing": table})
        return self.env.get_template("browse.html").render(context)

    def search_index(self, resources: Sequence[str], terms: Sequence[str]) -> list[dict[str, object]]:
        """The entries of the client-side search: label, kind, link, other names, folded text, priority.

        >>> from bp_graph.publishing import SiteData
        >>> site = SiteData.load()
        >>> entry = next(e for e in SiteRenderer(site).search_index(site.resources(), []) if e["u"] == "state/TUR.html")
        >>> entry["l"], "turkiye" in entry["f"]
        ('Türkiye', True)
        """
        site = self.site
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        alt_props = {str(p) for p in (SKOS.altLabel, SKOS.prefLabel, BP.acronym, BP.shortName, BP.iso3, BP.iso2,
                                      FOAF.name, RDFS.label)}
        entries = []
        for iri in [*resources, *terms]:
            node = ox.NamedNode(iri)
            names = {o.value for p, o in site.out.get(node, []) if p.value in alt_props and isinstance(o, ox.Literal)}
            for s, p in site.inc.get(node, []):
                if p.value == str(BP.nameOf):
                    names |= {o.value for o in self.objects(s, SCHEMA.name)}
                elif p.value == str(BP.participant):
                    names |= {o.value for o in self.objects(s, BP.nameAsListed)}
            label = site.label(iri)
            names.discard(label)
            page = site.page_of(iri)
            kind = page.split("/", 1)[0] if page else ""
            entries.append({"l": label, "k": self.kind_of(iri) if iri not in site.terms else self.term_kind(iri),
                            "u": relative_href("index", f"{page}.html"), "a": sorted(names),
                            "f": fold(label), "g": fold(" | ".join(sorted(names))),
                            "p": order.get(kind, len(order) + (1 if iri in site.terms else 0))})
        return entries

    def index_page(self, *, kinds: dict[str, list[str]], dumps: Sequence[Dump], counts: dict[str, int],
                   figures: Sequence[tuple[str, str, str]]) -> str:
        """The home page: what the graph is, its pictures, search, browse links, downloads and services.

        >>> from bp_graph.publishing import SiteData
        >>> html = SiteRenderer(SiteData.load()).index_page(kinds={}, dumps=[], counts={}, figures=[])
        >>> 'id="search"' in html
        True
        """
        here = "index"
        queries = []
        if self.catalogue is not None:
            for name in self.catalogue:
                query = self.catalogue[name]
                params = "&".join(f"{p.name}={p.example or '…'}" for p in query.params if p.required)
                queries.append({"name": name, "summary": query.summary, "example": f"api/{name}" + (f"?{params}" if params else "")})
        from .publishing import DATASET_DESCRIPTION

        description = DATASET_DESCRIPTION
        context = self._base_context(here, self.title, None, alternates=False)
        context.update({
            "kinds": [{"title": kind_title(k), "href": f"browse/{k}.html", "count": len(v)} for k, v in kinds.items()],
            "dumps": [{"href": d.path, "name": d.file_name, "subset": d.subset, "format": d.format_name,
                       "size": _size(d.size), "triples": d.triples} for d in dumps],
            "counts": counts, "figures": [{"src": s, "alt": a, "caption": c} for s, a, c in figures],
            "queries": queries, "endpoint": self.endpoint, "description": description,
        })
        return self.env.get_template("index.html").render(context)

    def dataset_page(self, description: Sequence[Triple3], dumps: Sequence[Dump], counts: dict[str, int],
                     jsonld: str) -> str:
        """The page of the dataset description (``void.html``): VoID counts, partitions, dumps, licence, sources.

        >>> from bp_graph.publishing import SiteData
        >>> "void" in SiteRenderer(SiteData.load()).dataset_page([], [], {}, "{}").lower()
        True
        """
        here = "void"
        out: dict = {}
        for s, p, o in description:
            out.setdefault(s, []).append((p, o))
        dataset = ox.NamedNode(self.site.base + "void#dataset")

        def get(node: object, prop: object) -> list:
            return [o for p, o in out.get(node, []) if p.value == str(prop)]

        def number(node: object, prop: object) -> str:
            found = get(node, prop)
            return found[0].value if found else ""

        asserted = ox.NamedNode(self.site.base + "void#asserted")
        inferred = ox.NamedNode(self.site.base + "void#inferred")
        stats = [(label, number(node, prop)) for label, node, prop in (
            ("Triples (asserted and inferred)", dataset, VOID.triples), ("Asserted triples", asserted, VOID.triples),
            ("Inferred triples", inferred, VOID.triples), ("Entities (IRIs under the base)", asserted, VOID.entities),
            ("Distinct subjects", asserted, VOID.distinctSubjects), ("Distinct objects", asserted, VOID.distinctObjects),
            ("Classes used", asserted, VOID.classes), ("Properties used", asserted, VOID.properties))]
        classes = sorted(((self.link(here, get(c, VOID["class"])[0].value), number(c, VOID.entities))
                          for c in get(asserted, VOID.classPartition)), key=lambda r: (-int(r[1] or 0), r[0].text))
        properties = sorted(((self.prop_value(here, get(c, VOID.property)[0].value), number(c, VOID.triples))
                             for c in get(asserted, VOID.propertyPartition)), key=lambda r: (-int(r[1] or 0), r[0].text))
        context = self._base_context(here, "About the dataset", jsonld)
        context.update({
            "stats": stats, "classes": classes, "properties": properties,
            "licences": [self.value(here, o) for o in get(dataset, DCTERMS.license)],
            "sources": sorted((self.value(here, o) for o in get(dataset, DCTERMS.source)), key=lambda v: v.text),
            "endpoint": self.endpoint, "version": __version__,
            "dumps": [{"href": d.path, "name": d.file_name, "subset": d.subset, "format": d.format_name,
                       "size": _size(d.size), "triples": d.triples} for d in dumps],
        })
        return self.env.get_template("void.html").render(context)

    def stylesheet(self) -> str:
        """The site's stylesheet (no external fonts).

        >>> "font-family" in SiteRenderer.__new__(SiteRenderer).stylesheet()
        True
        """
        return (TEMPLATES / "style.css").read_text(encoding="utf-8")


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)
