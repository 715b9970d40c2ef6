"""The only place where bp-graph spells IRIs: the base, the ontology namespace and the prefixes."""

from __future__ import annotations

from typing import Final

from rdflib import Namespace, URIRef

BASE: Final = "https://w3id.org/bp-graph/"
"""Default base of every instance IRI (slash IRIs)."""

ONTOLOGY_IRI: Final = URIRef(BASE + "ontology")
BP: Final = Namespace(BASE + "ontology#")
"""The ontology namespace (a hash namespace)."""

GRAPH: Final = Namespace(BASE + "graph/")
"""Named graphs: one per packaged file (``graph/meetings/2019-10-09-skopje``) plus ``graph/inferred``."""
INFERRED_GRAPH: Final = GRAPH["inferred"]

ORG: Final = Namespace("http://www.w3.org/ns/org#")
PROV: Final = Namespace("http://www.w3.org/ns/prov#")
SCHEMA: Final = Namespace("https://schema.org/")
OA: Final = Namespace("http://www.w3.org/ns/oa#")
FOAF: Final = Namespace("http://xmlns.com/foaf/0.1/")
VOID: Final = Namespace("http://rdfs.org/ns/void#")
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
SH: Final = Namespace("http://www.w3.org/ns/shacl#")
EU_COUNTRY: Final = Namespace("http://publications.europa.eu/resource/authority/country/")
GEONAMES: Final = Namespace("https://sws.geonames.org/")

PREFIXES: Final[dict[str, str]] = {
    "bp": str(BP),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "oa": str(OA),
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": str(SH),
    "state": BASE + "state/",
    "orgn": BASE + "organisation/",
    "mtg": BASE + "meeting/",
}
"""Prefixes known to the command line and to IRI parameters (``state:TUR``, ``bp:Meeting``)."""
