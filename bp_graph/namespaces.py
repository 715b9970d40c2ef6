"""The only place where bp-graph spells IRIs: the base, the ontology namespace and the prefixes.

IRIs are plain strings here; the rdflib ``Namespace`` objects (``BP``, ``ORG``, ...) are made on
first use, so that running a named query on the embedded store never imports rdflib.

>>> from bp_graph.namespaces import BP
>>> BP.Meeting
rdflib.term.URIRef('https://w3id.org/bp-graph/ontology#Meeting')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rdflib import Namespace

BASE: Final = "https://w3id.org/bp-graph/"
"""Default base of every instance IRI (slash IRIs)."""

ONTOLOGY_IRI: Final = BASE + "ontology"
ONTOLOGY_NS: Final = ONTOLOGY_IRI + "#"
"""The ontology namespace (a hash namespace)."""

GRAPH_NS: Final = BASE + "graph/"
"""Named graphs: one per packaged file (``graph/meetings/2019-10-09-skopje``) plus ``graph/inferred``."""
INFERRED_GRAPH: Final = GRAPH_NS + "inferred"

_VOCABULARIES: Final[dict[str, str]] = {
    "BP": ONTOLOGY_NS,
    "GRAPH": GRAPH_NS,
    "ORG": "http://www.w3.org/ns/org#",
    "PROV": "http://www.w3.org/ns/prov#",
    "SCHEMA": "https://schema.org/",
    "OA": "http://www.w3.org/ns/oa#",
    "FOAF": "http://xmlns.com/foaf/0.1/",
    "VOID": "http://rdfs.org/ns/void#",
    "DCAT": "http://www.w3.org/ns/dcat#",
    "SH": "http://www.w3.org/ns/shacl#",
    "EU_COUNTRY": "http://publications.europa.eu/resource/authority/country/",
    "GEONAMES": "https://sws.geonames.org/",
}

if TYPE_CHECKING:
    BP: Namespace
    GRAPH: Namespace
    ORG: Namespace
    PROV: Namespace
    SCHEMA: Namespace
    OA: Namespace
    FOAF: Namespace
    VOID: Namespace
    DCAT: Namespace
    SH: Namespace
    EU_COUNTRY: Namespace
    GEONAMES: Namespace


def __getattr__(name: str) -> Namespace:
    try:
        iri = _VOCABULARIES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    from rdflib import Namespace

    namespace = Namespace(iri)
    globals()[name] = namespace
    return namespace


PREFIXES: Final[dict[str, str]] = {
    "bp": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": _VOCABULARIES["ORG"],
    "prov": _VOCABULARIES["PROV"],
    "schema": _VOCABULARIES["SCHEMA"],
    "foaf": _VOCABULARIES["FOAF"],
    "oa": _VOCABULARIES["OA"],
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": _VOCABULARIES["SH"],
    "state": BASE + "state/",
    "orgn": BASE + "organisation/",
    "mtg": BASE + "meeting/",
}
"""The prefixes output is written with (``bp:Meeting``, ``state:TUR``)."""

DATA_PREFIXES: Final[dict[str, str]] = {
    name: BASE + path for name, path in (
        ("src", "source/"), ("city", "city/"), ("body", "body/"), ("dlg", "dialogue/"), ("doc", "document/"),
        ("prj", "project/"), ("ins", "instrument/"), ("person", "person/"), ("role", "role/"),
        ("dk", "decision-kind/"), ("ik", "intervention-kind/"), ("nk", "name-kind/"),
        ("ck", "characteristic-kind/"), ("wgk", "working-group-kind/"), ("goal", "goal/"),
        ("gs", "goal-scheme/"), ("part", "participation/"), ("mem", "membership/"), ("iv", "intervention/"),
        ("out", "outcome/"), ("name", "name/"), ("fig", "figure/"), ("host", "hosting/"), ("phase", "phase/"),
        ("focus", "focus/"), ("fmt", "meeting-format/"), ("chr", "characteristic/"), ("cmp", "component/"))}
"""The other prefixes the data's files declare (``data/CURATION.md``'s block: ``goal:``, ``part:``)."""

KNOWN_PREFIXES: Final[dict[str, str]] = {**PREFIXES, **DATA_PREFIXES}
"""Prefixes input may use undeclared: IRI parameters (``goal:istanbul-commitments-2019-1``) and
ad-hoc SPARQL (``SELECT * { ?p bp:meeting mtg:2019-10-09-skopje }``)."""


def longest_first(prefixes: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (prefix, namespace) pairs of ``prefixes``, longest namespace first: the order in which to
    try them, so that a namespace inside another (``state/`` inside the base) wins.

    >>> longest_first({"base": "https://w3id.org/bp-graph/", "state": "https://w3id.org/bp-graph/state/"})[0][0]
    'state'
    """
    return sorted(prefixes.items(), key=lambda pair: -len(pair[1]))


def compact_iri(iri: str, ordered: Iterable[tuple[str, str]]) -> str | None:
    """``prefix:local`` for the first (prefix, namespace) of ``ordered`` (see :func:`longest_first`)
    that ``iri`` starts with, leaving a non-empty local part that is not a path; None if none does.

    >>> compact_iri("https://w3id.org/bp-graph/ontology#Meeting", longest_first(PREFIXES))
    'bp:Meeting'
    """
    for prefix, namespace in ordered:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local and not local.startswith("//"):
                return f"{prefix}:{local}"
    return None


def short_iri(iri: str, base: str = BASE) -> str:
    """``iri`` as the command line takes it back: a vocabulary term as a prefixed name, a resource
    of the graph as a path under ``base``, anything else whole.

    >>> short_iri("https://w3id.org/bp-graph/ontology#State"), short_iri("https://w3id.org/bp-graph/state/TUR")
    ('bp:State', 'state/TUR')
    """
    return compact_iri(iri, _VOCABULARY_ORDER) or iri.removeprefix(base)


# the vocabularies' namespaces only: the graph's own folders (state/, meeting/) print as paths
_VOCABULARY_ORDER: Final = longest_first({prefix: iri for prefix, iri in PREFIXES.items()
                                          if not (iri.startswith(BASE) and iri.endswith("/"))})
