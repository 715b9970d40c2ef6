"""Publishing the graph as linked data: a static site that works from any web server and from ``file://``.

``publish(OUT)`` writes, for every resource ``{base}{path}`` of the graph, ``OUT/{path}.html`` (a
page for people, with the resource's JSON-LD embedded) and beside it ``.ttl``, ``.jsonld``, ``.nt``
and ``.rdf``; ontology terms (hash IRIs ``{base}ontology#Term``) are documented in
``OUT/ontology.html#Term`` and on ``OUT/ontology/Term.html``. It also writes full dumps (the asserted
triples and the OWL RL closure apart, gzipped where large), a VoID and DCAT description
(``void.ttl`` and ``.well-known/void``), two pictures, browse pages, a client-side search index and
the redirect rules for w3id.org and for Apache.

What a resource's RDF documents hold (its *description*): every asserted triple with the resource
as subject, the triples of the blank nodes it reaches (its concise bounded description), and every
asserted triple whose subject is an IRI and whose object is the resource (the links to it). An
ontology term's description is taken from the ontology graphs only; the ontology document
(``{base}ontology``) is the whole of ``ontology/bp.ttl``.

The library never prints: long work reports through an optional ``progress(stage, done, total)``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Union
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib import Namespace

from . import __version__
from .errors import PublishError
from .namespaces import (BASE, BP, DCAT, FOAF, GRAPH, INFERRED_GRAPH, KNOWN_PREFIXES, OA, ONTOLOGY_IRI, PREFIXES, SCHEMA, VOID,
                         compact_iri, longest_first)
from .cache import cache_dir, current_umask, fingerprint
from .reasoning import cached_closure
from .resources import shapes_file

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

Node = Union[ox.NamedNode, ox.BlankNode]
Obj = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Triple3 = tuple[Node, ox.NamedNode, Obj]
Progress = Callable[[str, int, int], None]

SITE_MARKER = ".bp-graph-site"
"""The file that marks a folder as a site bp-graph wrote (and may therefore replace)."""
DEFAULT_SITE_URL = "https://bp-graph.example.org/"
"""Where the site is hosted unless told: an example.org host until the project has one (``--site-url``)."""
GZIP_THRESHOLD = 1 << 20
"""Dumps larger than this many bytes are written gzipped."""
NOT_PAGES = frozenset({"ontology", "shapes", "graph"})
"""First path segments under the base that are not instance pages (the ontology, shapes, named graphs)."""
RESERVED = frozenset({"index", "browse", "dumps", "assets", "figures", "void", "sparql", "api", ".well-known",
                      "sitemap", "robots"})
"""First path segments the site itself uses; a resource there would collide with the site's files."""
SITEMAP_LIMIT = 50_000
"""URLs a sitemap file may list (sitemaps.org); a bigger site gets an index of several."""

RDF, RDFS, OWL, XSD, SKOS, DCTERMS = (Namespace(PREFIXES[p]) for p in ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms"))
# Vocabularies the dataset description needs that namespaces.py does not name.
SD = "http://www.w3.org/ns/sparql-service-description#"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
SPARQL_QUERY_LANGUAGE = "https://www.w3.org/TR/sparql11-query/"

DATASET_DESCRIPTION = ("The states, organisations, meetings, declarations, goals, outcomes, projects and people of "
                       "the Budapest Process migration dialogue since 1991, each fact with its source document, "
                       "locator and a verbatim quote; published with its OWL ontology and the OWL RL closure.")
"""What the dataset is, in one sentence (index page, VoID and DCAT)."""
LABEL_PROPERTIES = (str(RDFS.label), str(SKOS.prefLabel), str(FOAF.name), str(SCHEMA.name), str(DCTERMS.title))


@dataclass(frozen=True, slots=True)
class DocFormat:
    """An RDF serialisation the site writes beside each page.

    >>> RDF_FORMATS["ttl"].media_type
    'text/turtle'
    """

    ext: str
    media_type: str
    name: str


RDF_FORMATS: dict[str, DocFormat] = {
    "ttl": DocFormat("ttl", "text/turtle", "Turtle"),
    "jsonld": DocFormat("jsonld", "application/ld+json", "JSON-LD"),
    "nt": DocFormat("nt", "application/n-triples", "N-Triples"),
    "rdf": DocFormat("rdf", "application/rdf+xml", "RDF/XML"),
}
"""The RDF documents beside every page, by file extension."""

_OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdf": ox.RdfFormat.RDF_XML,
               "nq": ox.RdfFormat.N_QUADS}


def iri_path(iri: str, *, base: str = BASE) -> str | None:
    """The site path of an instance IRI (``{base}{path}`` -> ``{path}``, each segment percent-encoded
    where needed), or None when the IRI is not a page of its own (outside the base, the ontology,
    the shapes, named graphs, hash or query IRIs, empty or dot segments).

    >>> iri_path("https://w3id.org/bp-graph/meeting/2019-10-09-skopje/breakout-goal-1")
    'meeting/2019-10-09-skopje/breakout-goal-1'
    >>> iri_path("https://w3id.org/bp-graph/ontology#Meeting"), iri_path("https://example.org/x")
    (None, None)
    >>> iri_path("https://w3id.org/bp-graph/person/josé")
    'person/jos%C3%A9'
    """
    if not iri.startswith(base):
        return None
    rest = iri[len(base):]
    if not rest or "#" in rest or "?" in rest:
        return None
    segments = rest.split("/")
    if any(s in ("", ".", "..") for s in segments) or segments[0] in NOT_PAGES:
        return None
    encoded = []
    for segment in segments:
        safe = quote(segment, safe="-._~")
        if len(safe.encode()) > 200:  # keep file names (plus ".jsonld") within 255 bytes
            safe = safe[:180] + "-" + hashlib.sha1(segment.encode()).hexdigest()[:12]
        encoded.append(safe)
    return "/".join(encoded)


def relative_href(from_page: str, target: str) -> str:
    """A link from the page at site path ``from_page`` to the site file ``target`` (which may carry
    a ``#fragment``), relative so that the site works from ``file://`` and under any prefix.

    >>> relative_href("state/TUR", "meeting/2019-10-09-skopje.html")
    '../meeting/2019-10-09-skopje.html'
    >>> relative_href("index", "ontology.html#Meeting")
    'ontology.html#Meeting'
    >>> relative_href("person/a", "person/jos%C3%A9.html")
    '../person/jos%25C3%25A9.html'
    """
    path, hash_, fragment = target.partition("#")
    href = "../" * from_page.count("/") + quote(path, safe="/-._~")
    return href + (hash_ + quote(fragment, safe="-._~") if hash_ else "")


def _key(term: Obj) -> str:
    return str(term)


def _index(triples: Iterable[Triple3]) -> tuple[dict[Obj, list[tuple[ox.NamedNode, Obj]]],
                                                 dict[Obj, list[tuple[Node, ox.NamedNode]]]]:
    out: dict[Obj, list[tuple[ox.NamedNode, Obj]]] = {}
    inc: dict[Obj, list[tuple[Node, ox.NamedNode]]] = {}
    for s, p, o in triples:
        out.setdefault(s, []).append((p, o))
        inc.setdefault(o, []).append((s, p))
    return out, inc


def _parse(path: Path, fmt: ox.RdfFormat, base: str, prefix: str, counter: list[int],
           names: dict[str, ox.BlankNode], declared: dict[str, list[str]] | None = None) -> list[Triple3]:
    """Triples of a file, blank nodes relabelled in reading order (so that output is reproducible);
    the namespaces of the file's prefixes are added to ``declared``."""

    def fix(term: ox.BlankNode) -> ox.BlankNode:
        found = names.get(term.value)
        if found is None:
            counter[0] += 1
            found = names[term.value] = ox.BlankNode(f"{prefix}{counter[0]}")
        return found

    triples: list[Triple3] = []
    try:
        quads = ox.parse(path=str(path), format=fmt, base_iri=base)
        for quad in quads:
            s, p, o = quad.subject, quad.predicate, quad.object
            if isinstance(s, ox.BlankNode):
                s = fix(s)
            if isinstance(o, ox.BlankNode):
                o = fix(o)
            triples.append((s, p, o))
    except SyntaxError as exc:
        raise PublishError(f"{path}: {exc}") from None
    if declared is not None:
        for name, namespace in quads.prefixes.items():
            if namespace not in declared.setdefault(name, []):
                declared[name].append(namespace)
    return triples


class SiteData:
    """The graph as the site sees it: the asserted triples per named graph, the OWL RL closure, and
    indexes, labels, types and site paths computed from them.

    >>> site = SiteData.load()
    >>> site.page_of("https://w3id.org/bp-graph/state/TUR"), site.label("https://w3id.org/bp-graph/state/TUR")
    ('state/TUR', 'Türkiye')
    """

    def __init__(self, graphs: dict[str, list[Triple3]], inferred: list[Triple3], *, base: str = BASE,
                 declared: Mapping[str, Sequence[str]] | None = None) -> None:
        """``declared``: the namespaces the source files give each prefix, by which the curators'
        notes name resources (mtg:2019-10-09-skopje); see :meth:`resolve_curie`."""
        self.base = base
        self.graphs = graphs
        self.declared = {name: tuple(spaces) for name, spaces in (declared or {}).items()}
        self.asserted: list[Triple3] = list(dict.fromkeys(t for triples in graphs.values() for t in triples))
        asserted = set(self.asserted)
        self.inferred: list[Triple3] = [t for t in dict.fromkeys(inferred) if t not in asserted]
        self.out, self.inc = _index(self.asserted)
        self.ontology_graph = str(GRAPH["ontology/bp"])
        ontology = dict.fromkeys(t for g, triples in graphs.items() if g.startswith(str(GRAPH["ontology/"]))
                                 for t in triples)
        self.onto_out, self.onto_inc = _index(ontology)
        self.inf_out, _ = _index(self.inferred)
        self.ontology_iri = ONTOLOGY_IRI if base == BASE else base + "ontology"
        self.namespace = self.ontology_iri + "#"
        rdf_type = ox.NamedNode(str(RDF.type))
        self.asserted_types: dict[str, list[str]] = {}
        self.types: dict[str, set[str]] = {}
        for s, p, o in [*self.asserted, *self.inferred]:
            if p == rdf_type and isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode):
                self.types.setdefault(s.value, set()).add(o.value)
        for s, p, o in self.asserted:
            if p == rdf_type and isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode):
                self.asserted_types.setdefault(s.value, []).append(o.value)
        self.superclasses: dict[str, set[str]] = {}
        sub = ox.NamedNode(str(RDFS.subClassOf))
        for s, p, o in [*self.asserted, *self.inferred]:
            if p == sub and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and s != o:
                self.superclasses.setdefault(s.value, set()).add(o.value)
        self.paths: dict[str, str] = {}
        seen: dict[str, str] = {}
        for term in [*self.out, *self.inc]:
            if isinstance(term, ox.NamedNode) and term.value not in self.paths:
                path = iri_path(term.value, base=base)
                if path is None:
                    continue
                if path.split("/", 1)[0] in RESERVED:
                    raise PublishError(f"resource {term.value} would overwrite the site's own "
                                       f"'{path.split('/', 1)[0]}' files; give it another IRI")
                if path in seen:
                    raise PublishError(f"resources {seen[path]} and {term.value} map to one site path {path!r}")
                seen[path] = term.value
                self.paths[term.value] = path
        self.terms: dict[str, str] = {}
        for term in self.onto_out:
            if isinstance(term, ox.NamedNode) and term.value.startswith(self.namespace):
                local = term.value[len(self.namespace):]
                if local:
                    self.terms[term.value] = "ontology/" + quote(local, safe="-._~")
        self.prefixes = self._prefixes()
        self._ordered_prefixes = longest_first(self.prefixes)
        self.labels = self._labels()

    @classmethod
    def load(cls, graph: KnowledgeGraph | None = None, *, reasoning: bool = True) -> SiteData:
        """Read the graph's source files (the packaged graph by default) and their OWL RL closure.

        >>> len(SiteData.load(reasoning=False).inferred)
        0
        """
        from .store import packaged_sources

        sources = graph.sources if graph is not None else packaged_sources()
        base = graph.base if graph is not None else BASE
        counter = [0]
        graphs: dict[str, list[Triple3]] = {}
        declared: dict[str, list[str]] = {}
        for number, source in enumerate(sources):
            graphs.setdefault(source.graph, []).extend(
                _parse(source.path, ox.RdfFormat.TURTLE, base, f"g{number}b", counter, {}, declared))
        inferred: list[Triple3] = []
        if reasoning:
            inferred = _parse(cached_closure([s.path for s in sources]), ox.RdfFormat.N_TRIPLES, base, "i", [0], {})
        return cls(graphs, inferred, base=base, declared=declared)

    def _prefixes(self) -> dict[str, str]:
        prefixes = dict(KNOWN_PREFIXES)  # the data's own (CURATION.md: src:, part:) before path-named ones
        prefixes.update({"dcat": str(DCAT), "void": str(VOID), "sd": SD, "bps": self.base + "shapes#"})
        taken = set(prefixes.values())
        for path in sorted(self.paths.values()):
            segment = path.split("/", 1)[0]
            namespace = self.base + segment + "/"
            if "/" in path and segment not in prefixes and namespace not in taken and segment[:1].isalpha():
                prefixes[segment] = namespace
                taken.add(namespace)
        return prefixes

    def _labels(self) -> dict[str, str]:
        rank = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
        best: dict[str, tuple[int, int, str]] = {}
        for s, p, o in self.asserted:
            if isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal) and p.value in rank:
                score = (rank[p.value], 0 if o.language == "en" else 1 if not o.language else 2, o.value)
                if s.value not in best or score < best[s.value]:
                    best[s.value] = score
        labels = {iri: score[2].strip() for iri, score in best.items()}
        has_source, locator = ox.NamedNode(str(OA.hasSource)), ox.NamedNode(str(BP.locator))
        for subject, arcs in self.out.items():
            if isinstance(subject, ox.NamedNode) and subject.value not in labels:
                source = next((o for p, o in arcs if p == has_source and isinstance(o, ox.NamedNode)), None)
                where = next((o for p, o in arcs if p == locator and isinstance(o, ox.Literal)), None)
                if source is not None and where is not None:
                    labels[subject.value] = f"{labels.get(source.value, self.short(source.value))}, {where.value}"
        return labels

    def short(self, iri: str) -> str:
        """A compact name for an IRI: a path under the base, a prefixed name, or the IRI.

        >>> SiteData.load(reasoning=False).short("https://schema.org/Event")
        'schema:Event'
        """
        if iri.startswith(self.namespace):
            return "bp:" + iri[len(self.namespace):]
        if iri.startswith(self.base) and iri_path(iri, base=self.base):
            return iri[len(self.base):]
        return compact_iri(iri, self._ordered_prefixes) or iri

    def label(self, iri: str) -> str:
        """The human label of an IRI (its English ``rdfs:label`` first), else its compact name.

        >>> SiteData.load(reasoning=False).label("https://w3id.org/bp-graph/ontology#Meeting")
        'Meeting'
        """
        return self.labels.get(iri) or self.short(iri)

    def resolve_curie(self, prefix: str, local: str) -> str | None:
        """The resource with a page that ``prefix:local`` names, by the prefixes of the source files
        (one prefix may stand for a namespace in each file, e.g. sg: for each document's segments)
        and the site's own; None if none, or more than one, has a page.

        >>> SiteData.load(reasoning=False).resolve_curie("mtg", "2019-10-09-skopje")
        'https://w3id.org/bp-graph/meeting/2019-10-09-skopje'
        """
        spaces = (*self.declared.get(prefix, ()), *((self.prefixes[prefix],) if prefix in self.prefixes else ()))
        found = {space + local for space in spaces if self.page_of(space + local) is not None}
        return found.pop() if len(found) == 1 else None

    def page_of(self, iri: str) -> str | None:
        """The site path (without extension) of the page documenting ``iri``, if the site has one.

        >>> SiteData.load(reasoning=False).page_of("https://w3id.org/bp-graph/ontology#State")
        'ontology/State'
        """
        if iri in self.paths:
            return self.paths[iri]
        if iri in self.terms:
            return self.terms[iri]
        if iri == self.ontology_iri:
            return "ontology"
        return None

    def resources(self) -> list[str]:
        """Every instance IRI that gets a page, in site-path order.

        >>> "https://w3id.org/bp-graph/state/MKD" in SiteData.load(reasoning=False).resources()
        True
        """
        return sorted(self.paths, key=lambda iri: self.paths[iri])

    def is_a(self, iri: str, cls: str) -> bool:
        """Whether ``iri`` is an instance of ``cls``, asserted or inferred.

        >>> SiteData.load().is_a("https://w3id.org/bp-graph/state/TUR", "https://w3id.org/bp-graph/ontology#Agent")
        True
        """
        return cls in self.types.get(iri, ())

    def most_specific_types(self, iri: str) -> list[str]:
        """The asserted classes of ``iri`` that no other of its asserted classes specialises.

        >>> SiteData.load().most_specific_types("https://w3id.org/bp-graph/organisation/eeas")
        ['https://w3id.org/bp-graph/ontology#EUInstitution']
        """
        asserted = list(dict.fromkeys(self.asserted_types.get(iri, [])))
        return [c for c in asserted if not any(c in self.superclasses.get(d, ()) for d in asserted if d != c)]

    def describe(self, iri: str) -> list[Triple3]:
        """The triples of a resource's RDF documents (see the module docstring), in a stable order.

        >>> triples = SiteData.load().describe("https://w3id.org/bp-graph/state/TUR")
        >>> all(s.value == "https://w3id.org/bp-graph/state/TUR" or o.value == "https://w3id.org/bp-graph/state/TUR"
        ...     for s, p, o in triples)
        True
        """
        if iri == self.ontology_iri:
            return list(dict.fromkeys(self.graphs.get(self.ontology_graph, [])))
        out, inc = (self.onto_out, self.onto_inc) if iri in self.terms else (self.out, self.inc)
        node = ox.NamedNode(iri)
        found: dict[Triple3, None] = {}
        stack: list[Obj] = [node]
        seen: set[Obj] = {node}
        while stack:
            subject = stack.pop()
            for p, o in sorted(out.get(subject, []), key=lambda po: (po[0].value, _key(po[1]))):
                found[(subject, p, o)] = None  # type: ignore[index]
                if isinstance(o, ox.BlankNode) and o not in seen:
                    seen.add(o)
                    stack.append(o)
        for s, p in sorted(inc.get(node, []), key=lambda sp: (_key(sp[0]), sp[1].value)):
            if isinstance(s, ox.NamedNode):
                found[(s, p, node)] = None
        return list(found)

    def used_prefixes(self, triples: Iterable[Triple3]) -> dict[str, str]:
        """The prefixes whose namespace some IRI of ``triples`` starts with.

        >>> site = SiteData.load(reasoning=False)
        >>> {"bp", "rdfs", "state"} <= set(site.used_prefixes(site.describe("https://w3id.org/bp-graph/state/TUR")))
        True
        """
        used: dict[str, str] = {}
        for triple in triples:
            for term in triple:
                values = [term.value] if isinstance(term, ox.NamedNode) else (
                    [term.datatype.value] if isinstance(term, ox.Literal) else [])
                for value in values:
                    for name, namespace in self._ordered_prefixes:
                        if value.startswith(namespace):
                            used[name] = namespace
                            break
        return dict(sorted(used.items()))


def _to_ox(triples: Iterable[Triple3]) -> list[ox.Triple]:
    return [ox.Triple(s, p, o) for s, p, o in triples]


def _compact(iri: str, ordered: Sequence[tuple[str, str]]) -> str:
    return compact_iri(iri, ordered) or iri


def _list_at(node: dict[str, object], key: str) -> list[object]:
    values = node.setdefault(key, [])
    assert isinstance(values, list)  # only "@id" holds a string, and no property compacts to "@id"
    return values


def jsonld_document(triples: Sequence[Triple3], prefixes: dict[str, str], *, first: str | None = None) -> dict[str, object]:
    """Triples as compacted JSON-LD: an ``@context`` of the prefixes and one node per subject in ``@graph``.

    Literal values keep their lexical form (``@value`` strings with ``@type``), so that the document
    reads back to exactly the same triples.

    >>> t = [(ox.NamedNode("https://w3id.org/bp-graph/state/TUR"), ox.NamedNode(str(RDFS.label)), ox.Literal("Türkiye", language="en"))]
    >>> jsonld_document(t, {"rdfs": str(RDFS), "state": "https://w3id.org/bp-graph/state/"})["@graph"]
    [{'@id': 'state:TUR', 'rdfs:label': [{'@value': 'Türkiye', '@language': 'en'}]}]
    """
    ordered = longest_first(prefixes)
    rdf_type = str(RDF.type)
    nodes: dict[str, dict[str, object]] = {}
    for s, p, o in triples:
        sid = s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"
        node = nodes.setdefault(sid, {"@id": _compact(sid, ordered) if isinstance(s, ox.NamedNode) else sid})
        if p.value == rdf_type and isinstance(o, ox.NamedNode):
            _list_at(node, "@type").append(_compact(o.value, ordered))
            continue
        if isinstance(o, ox.NamedNode):
            value: dict[str, str] = {"@id": _compact(o.value, ordered)}
        elif isinstance(o, ox.BlankNode):
            value = {"@id": f"_:{o.value}"}
        elif o.language:
            value = {"@value": o.value, "@language": o.language}
        elif o.datatype.value == str(XSD.string):
            value = {"@value": o.value}
        else:
            value = {"@value": o.value, "@type": _compact(o.datatype.value, ordered)}
        key = p.value if p.value == rdf_type else _compact(p.value, ordered)
        _list_at(node, key).append(value)
    graph = sorted(nodes.values(), key=lambda n: (n["@id"] != _compact(first, ordered) if first else False,
                                                   str(n["@id"]).startswith("_:"), str(n["@id"])))
    return {"@context": dict(sorted(prefixes.items())), "@graph": graph}


def serialize_triples(triples: Sequence[Triple3], ext: str, *, prefixes: dict[str, str] | None = None,
                      first: str | None = None) -> bytes:
    """``triples`` as Turtle (``ttl``), JSON-LD (``jsonld``), N-Triples (``nt``) or RDF/XML (``rdf``).

    >>> t = [(ox.NamedNode("http://e/x"), ox.NamedNode(str(RDFS.label)), ox.Literal("x"))]
    >>> serialize_triples(t, "nt")
    b'<http://e/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\\n'
    """
    if ext == "jsonld":
        return (json.dumps(jsonld_document(triples, prefixes or {}, first=first), ensure_ascii=False, indent=1)
                + "\n").encode()
    if ext not in _OX_FORMATS:
        raise PublishError(f"unknown RDF format {ext!r}")
    try:
        data = ox.serialize(_to_ox(triples), format=_OX_FORMATS[ext],
                            prefixes=prefixes if ext in ("ttl", "rdf") else None)
    except (ValueError, SyntaxError) as exc:
        raise PublishError(f"cannot write {RDF_FORMATS[ext].name}: {exc}") from None
    return data or b""


@dataclass(frozen=True)
class Dump:
    """One dump file: what it holds (``asserted``, ``inferred`` or ``all`` with named graphs), its format and size.

    >>> Dump("dumps/asserted.nt.gz", "asserted", "application/n-triples", "N-Triples", 10, 99, True).file_name
    'asserted.nt.gz'
    """

    path: str
    subset: str
    media_type: str
    format_name: str
    triples: int
    size: int
    gzipped: bool

    @property
    def file_name(self) -> str:
        """The file's name without its folder."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish` wrote.

    >>> PublishReport(Path("site"), 3, 12, 100, 40, 2, 1.5).pages
    3
    """

    out: Path
    pages: int
    rdf_files: int
    asserted_triples: int
    inferred_triples: int
    dumps: int
    seconds: float
    files: int = 0
    resources: int = 0
    terms: int = 0


@dataclass
class _Writer:
    root: Path
    files: list[str] = field(default_factory=list)

    def write(self, relative: str, data: bytes | str) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode() if isinstance(data, str) else data)
        self.files.append(relative)


def _write_dumps(writer: _Writer, site: SiteData, threshold: int) -> list[Dump]:
    dumps: list[Dump] = []
    everything = [(site.asserted, "asserted"), (site.inferred, "inferred")]
    for triples, subset in everything:
        for ext in ("ttl", "nt", "jsonld", "rdf"):
            data = serialize_triples(triples, ext, prefixes=site.used_prefixes(triples))
            dumps.append(_dump(writer, f"dumps/{subset}.{ext}", data, subset, RDF_FORMATS[ext], len(triples), threshold))
    quads = [ox.Quad(s, p, o, ox.NamedNode(g)) for g, triples in site.graphs.items() for s, p, o in dict.fromkeys(triples)]
    quads += [ox.Quad(s, p, o, ox.NamedNode(INFERRED_GRAPH)) for s, p, o in site.inferred]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    dumps.append(_dump(writer, "dumps/all-graphs.nq", data, "all",
                       DocFormat("nq", "application/n-quads", "N-Quads (named graphs)"), len(quads), threshold))
    return dumps


def _dump(writer: _Writer, path: str, data: bytes, subset: str, fmt: DocFormat, count: int, threshold: int) -> Dump:
    if len(data) > threshold:
        data = gzip.compress(data, compresslevel=9, mtime=0)
        path += ".gz"
    writer.write(path, data)
    return Dump(path, subset, fmt.media_type, fmt.name, count, len(data), path.endswith(".gz"))


def dataset_description(site: SiteData, dumps: Sequence[Dump], *, endpoint: str, title: str,
                        example_resources: Sequence[str] = ()) -> list[Triple3]:
    """The VoID and DCAT description of the dataset: counts, dumps, endpoint, licence and sources.

    The dataset ``{base}void#dataset`` is the asserted triples plus their OWL RL closure; its
    subsets ``#asserted`` and ``#inferred`` have their own counts and dumps, and the asserted one
    its class and property partitions.

    >>> site = SiteData.load()
    >>> triples = dataset_description(site, [], endpoint="https://w3id.org/bp-graph/sparql", title="t")
    >>> any(p.value == str(VOID.triples) for s, p, o in triples)
    True
    """
    doc = site.base + "void"
    n = ox.NamedNode
    dataset, asserted, inferred = n(doc + "#dataset"), n(doc + "#asserted"), n(doc + "#inferred")
    service = n(doc + "#sparql-service")
    triples: list[Triple3] = []

    def add(s: Node, p: object, o: Obj | str | int) -> None:
        if isinstance(o, bool):
            raise TypeError(o)
        if isinstance(o, int):
            o = ox.Literal(str(o), datatype=n(str(XSD.integer)))
        elif isinstance(o, str):
            o = ox.Literal(o, language="en")
        triples.append((s, p if isinstance(p, ox.NamedNode) else n(str(p)), o))

    def typed(value: str, datatype: object) -> ox.Literal:
        return ox.Literal(value, datatype=n(str(datatype)))

    header = site.onto_out.get(n(site.ontology_iri), [])
    licences = [o for p, o in header if p.value == str(DCTERMS.license)]
    creators = [o for p, o in header if p.value == str(DCTERMS.creator)]
    union = len(set(site.asserted) | set(site.inferred))
    add(dataset, RDF.type, n(str(VOID.Dataset)))
    add(dataset, RDF.type, n(str(DCAT.Dataset)))
    add(dataset, DCTERMS.title, title)
    add(dataset, DCTERMS.description, DATASET_DESCRIPTION)
    for licence in licences:
        add(dataset, DCTERMS.license, licence)
    for creator in creators:
        add(dataset, DCTERMS.creator, creator)
    add(dataset, n(str(DCAT) + "version"), typed(__version__, XSD.string))
    add(dataset, OWL.versionInfo, typed(__version__, XSD.string))
    add(dataset, DCAT.landingPage, n(site.base))
    add(dataset, FOAF.homepage, n(site.base))
    add(dataset, VOID.uriSpace, typed(site.base, XSD.string))
    add(dataset, VOID.sparqlEndpoint, n(endpoint))
    add(dataset, VOID.triples, union)
    add(dataset, VOID.subset, asserted)
    add(dataset, VOID.subset, inferred)
    add(dataset, DCTERMS.conformsTo, n(site.ontology_iri))
    for keyword in ("migration", "Budapest Process", "linked data", "migration dialogue"):
        add(dataset, DCAT.keyword, keyword)
    for source in sorted(iri for iri, types in site.asserted_types.items() if str(BP.SourceDocument) in types):
        add(dataset, DCTERMS.source, n(source))
    for example in example_resources:
        add(dataset, VOID.exampleResource, n(example))
    vocabularies = sorted({p.value.rsplit("#", 1)[0] + "#" if "#" in p.value else p.value.rsplit("/", 1)[0] + "/"
                           for _, p, _ in site.asserted})
    for vocabulary in vocabularies:
        add(dataset, VOID.vocabulary, n(vocabulary))
    add(dataset, VOID.rootResource, n(site.ontology_iri))
    add(dataset, DCAT.theme, n(site.ontology_iri))

    rdf_type = str(RDF.type)
    for subset, subset_triples, title_text in ((asserted, site.asserted, "Asserted triples"),
                                               (inferred, site.inferred, "Inferred triples (OWL RL closure)")):
        add(subset, RDF.type, n(str(VOID.Dataset)))
        add(subset, DCTERMS.title, title_text)
        add(subset, VOID.triples, len(subset_triples))
        add(subset, VOID.sparqlEndpoint, n(endpoint))
    stats = site.asserted
    subjects = {s for s, _, _ in stats}
    add(asserted, VOID.distinctSubjects, len(subjects))
    add(asserted, VOID.distinctObjects, len({o for _, _, o in stats}))
    add(asserted, VOID.properties, len({p for _, p, _ in stats}))
    classes: dict[str, set[Node]] = {}
    for s, p, o in stats:
        if p.value == rdf_type and isinstance(o, ox.NamedNode):
            classes.setdefault(o.value, set()).add(s)
    add(asserted, VOID.classes, len(classes))
    add(asserted, VOID.entities, len({s for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(site.base)}))
    for cls, members in sorted(classes.items()):
        partition = n(doc + "#class-" + hashlib.sha1(cls.encode()).hexdigest()[:12])
        add(asserted, VOID.classPartition, partition)
        add(partition, VOID["class"], n(cls))
        add(partition, VOID.entities, len(members))
    properties: dict[str, int] = {}
    for _, p, _ in stats:
        properties[p.value] = properties.get(p.value, 0) + 1
    for prop, count in sorted(properties.items()):
        partition = n(doc + "#property-" + hashlib.sha1(prop.encode()).hexdigest()[:12])
        add(asserted, VOID.propertyPartition, partition)
        add(partition, VOID.property, n(prop))
        add(partition, VOID.triples, count)

    for dump in dumps:
        url = n(site.base + dump.path)
        node = n(doc + "#dump-" + dump.file_name.replace(".", "-"))
        subset = {"asserted": asserted, "inferred": inferred}.get(dump.subset, dataset)
        add(subset, VOID.dataDump, url)
        add(dataset, DCAT.distribution, node)
        add(node, RDF.type, n(str(DCAT.Distribution)))
        add(node, DCTERMS.title, f"{dump.subset.capitalize()} triples as {dump.format_name}"
            + (" (gzipped)" if dump.gzipped else ""))
        add(node, DCAT.downloadURL, url)
        add(node, DCAT.accessURL, url)
        add(node, DCAT.mediaType, n(IANA_MEDIA_TYPES + dump.media_type))
        if dump.gzipped:
            add(node, DCAT.compressFormat, n(IANA_MEDIA_TYPES + "application/gzip"))
        add(node, DCAT.byteSize, typed(str(dump.size), XSD.nonNegativeInteger))
        for licence in licences:
            add(node, DCTERMS.license, licence)
    add(service, RDF.type, n(str(DCAT.DataService)))
    add(service, RDF.type, n(SD + "Service"))
    add(service, DCTERMS.title, "SPARQL 1.1 endpoint (read-only, with a time limit)")
    add(service, DCAT.endpointURL, n(endpoint))
    add(service, DCAT.servesDataset, dataset)
    add(service, DCTERMS.conformsTo, n(SPARQL_PROTOCOL))
    add(service, n(SD + "endpoint"), n(endpoint))
    add(service, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query"))
    # DCAT: a dataset reaches a service through a distribution (dcat:accessService's domain)
    access = n(doc + "#sparql-distribution")
    add(dataset, DCAT.distribution, access)
    add(access, RDF.type, n(str(DCAT.Distribution)))
    add(access, DCTERMS.title, "The graph through its SPARQL endpoint")
    add(access, DCAT.accessURL, n(endpoint))
    add(access, DCAT.accessService, service)
    for licence in licences:
        add(access, DCTERMS.license, licence)
    return list(dict.fromkeys(triples))


NEGOTIATED = (("ttl", "text/turtle"), ("jsonld", "application/ld\\+json"), ("nt", "application/n-triples"),
              ("rdf", "application/rdf\\+xml"))
"""The RDF documents an ``Accept`` header can pick on Apache, with the pattern that picks each."""


def _negotiation_rules(target: str, *, exists: list[str]) -> list[str]:
    """mod_rewrite rules sending ``^(.+)$`` to ``{target}$1.{ext}`` (303) by ``?format=``, then by
    ``Accept``, then to the HTML page; ``exists`` are conditions every rule also needs. Each
    negotiated answer says ``Vary: Accept`` (mod_headers, from the NEGOTIATED variable the rule sets).
    mod_rewrite cannot weigh q-values: a header that names an RDF type gets it unless it starts with
    HTML, which is what browsers send (``bp-graph serve`` weighs them)."""
    lines = []
    for ext in ("ttl", "jsonld", "nt", "rdf", "html"):
        lines += [f"# ?format={ext}", f"RewriteCond %{{QUERY_STRING}} (^|&)format={ext}(&|$)", *exists,
                  rf"RewriteRule ^(.+)$ {target}$1.{ext}? [R=303,L]"]
    lines.append("")
    for ext, fmt in NEGOTIATED:
        lines += [f"# Accept: {fmt.replace(chr(92), '')} (when it is not asking for HTML first)",
                  "RewriteCond %{HTTP_ACCEPT} !^\\s*(text/html|application/xhtml\\+xml)",
                  f"RewriteCond %{{HTTP_ACCEPT}} {fmt}", *exists,
                  rf"RewriteRule ^(.+)$ {target}$1.{ext} [R=303,L,E=NEGOTIATED:1]"]
    return [*lines, "", "# Everything else (browsers): the HTML page.", *exists,
            rf"RewriteRule ^(.+)$ {target}$1.html [R=303,L,E=NEGOTIATED:1]",
            "Header always merge Vary Accept env=NEGOTIATED", ""]


def w3id_htaccess(site_url: str, *, base: str = BASE) -> str:
    """Apache rules for the w3id.org repository: every IRI under the base is redirected (303) to the
    published site, to the RDF document the ``Accept`` header (or ``?format=``) asks for, or to the
    HTML page; the SPARQL endpoint and the API are redirected with 307 so that POST survives.

    >>> print(w3id_htaccess("https://bp-graph.example.org/").splitlines()[0])
    # w3id.org/bp-graph -> https://bp-graph.example.org/ (generated by bp-graph publish)
    """
    site = site_url.rstrip("/") + "/"
    prefix = base.split("://", 1)[-1].rstrip("/")
    return "\n".join([
        f"# {prefix} -> {site} (generated by bp-graph publish)",
        "# Instance IRIs are slash IRIs: {base}{path} is redirected (303 See Other) to the document",
        "# {site}{path}.{html|ttl|jsonld|nt|rdf}; the ontology is a hash namespace ({base}ontology#Term).",
        "Options +FollowSymLinks", "RewriteEngine on", "",
        "# Services: keep the method and the body (307).",
        f"RewriteRule ^(sparql|api(/.*)?)$ {site}$1 [R=307,QSA,L]",
        "", "# Files that exist as they are on the site (dumps, pictures, metadata).",
        rf"RewriteRule ^((dumps|figures|assets|browse)/.*|.*\.(html|ttl|jsonld|nt|rdf|nq|gz|svg|css|js|json|xml|txt))$ {site}$1 [R=303,L]",
        f"RewriteRule ^$ {site}index.html [R=303,L]", "",
        *_negotiation_rules(site, exists=[])])


def site_htaccess(site_url: str = "https://bp-graph.example.org/") -> str:
    """Apache rules for the folder the site is published into, served at ``site_url``: media types,
    303 content negotiation on extension-less paths and ``.well-known/void`` as Turtle.

    >>> print(site_htaccess("https://example.org/bp-graph").split("RewriteBase ")[1].splitlines()[0])
    /bp-graph/
    """
    folder = "/" + urlsplit(site_url).path.strip("/")
    return "\n".join([
        "# Apache configuration for a bp-graph site (generated by bp-graph publish).",
        "AddType text/turtle .ttl", "AddType application/ld+json .jsonld", "AddType application/n-triples .nt",
        "AddType application/rdf+xml .rdf", "AddType application/n-quads .nq", "AddType image/svg+xml .svg",
        "AddType text/html .html", "AddType text/css .css", "AddType text/javascript .js",
        "AddType application/json .json", "AddType application/xml .xml",
        "AddDefaultCharset utf-8", "<Files \"void\">", "  ForceType text/turtle", "</Files>",
        "Header set Access-Control-Allow-Origin \"*\"", "Options -MultiViews", "RewriteEngine on",
        f"# The URL path of this folder (from --site-url): redirects go to {folder.rstrip('/')}/{{path}}.{{ext}}",
        f"RewriteBase {folder.rstrip('/')}/", "",
        *_negotiation_rules("", exists=["RewriteCond %{REQUEST_FILENAME}.html -f"])])


def _sitemaps(site_url: str, pages: Iterable[str], *, limit: int = SITEMAP_LIMIT) -> dict[str, str]:
    """The sitemap files listing the HTML ``pages`` (paths in the site) as URLs under ``site_url``:
    ``sitemap.xml`` alone, or, past ``limit`` pages, an index of ``sitemap-1.xml``, ``sitemap-2.xml``...

    >>> sorted(_sitemaps("https://example.org/kg", ["index.html", "meeting/a.html", "state/TUR.html"], limit=2))
    ['sitemap-1.xml', 'sitemap-2.xml', 'sitemap.xml']
    """
    from xml.sax.saxutils import escape

    site = site_url.rstrip("/") + "/"
    urls = sorted(site if page == "index.html" else site + quote(page) for page in pages)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def listing(tag: str, item: str, locations: Iterable[str]) -> str:
        entries = "".join(f"  <{item}><loc>{escape(url)}</loc></{item}>\n" for url in locations)
        return f"{head}<{tag} {namespace}>\n{entries}</{tag}>\n"

    if len(urls) <= limit:
        return {"sitemap.xml": listing("urlset", "url", urls)}
    parts = {f"sitemap-{n + 1}.xml": listing("urlset", "url", urls[start:start + limit])
             for n, start in enumerate(range(0, len(urls), limit))}
    return {**parts, "sitemap.xml": listing("sitemapindex", "sitemap", (site + name for name in parts))}


def _check_target(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise PublishError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / SITE_MARKER).is_file():
            raise PublishError(f"{out} is not empty and holds no bp-graph site; choose a new or empty folder")


def _replace_dir(built: Path, out: Path) -> None:
    _check_target(out)
    if out.exists():
        trash = out.with_name(f".{out.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(out, trash)
        os.replace(built, out)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(built, out)


def site_fingerprint(graph: KnowledgeGraph | None = None) -> str:
    """A hash of the graph's files and of the code and templates that write the site (to cache a site).

    >>> len(site_fingerprint())
    16
    """
    from .store import packaged_sources

    package = Path(__file__).resolve().parent
    code = sorted([*package.glob("*.py"), *(package / "templates").glob("*")])
    sources = graph.sources if graph is not None else packaged_sources()
    return fingerprint([*(s.path for s in sources), shapes_file(), *code], "site")


def cached_site(graph: KnowledgeGraph | None = None, *, progress: Progress | None = None, **options: object) -> Path:
    """The site of the graph in the cache directory, published once per content (see :func:`site_fingerprint`).

    >>> from bp_graph import KnowledgeGraph
    >>> from bp_graph.resources import resource_dir
    >>> site = cached_site(KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"]))
    >>> (site / "index.html").is_file() and site == cached_site(KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"]))
    True
    """
    target = cache_dir() / f"site-{site_fingerprint(graph)}"
    if not (target / SITE_MARKER).is_file():
        publish(target, graph=graph, progress=progress, **options)  # type: ignore[arg-type]
    return target


def _check_url(what: str, url: str) -> None:
    """Refuse anything but an absolute http(s) IRI: the URLs go into RDF, HTML and Apache's rules,
    where a space or a line break would end a directive and start another."""
    from urllib.parse import urlsplit

    try:
        ox.NamedNode(url)
    except ValueError as exc:
        raise PublishError(f"{what} {url!r} is not a valid IRI: {exc}") from None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise PublishError(f"{what} {url!r} is not an http(s) URL (like https://bp-graph.example.org/)")
    if parts.query or parts.fragment or "@" in parts.netloc or "$" in url:
        # Apache's rules append paths to it, and read $1 in it as a back-reference
        raise PublishError(f"{what} {url!r} has a query, a fragment, user info or a '$'; give the plain URL")


def publish(out: str | Path, *, graph: KnowledgeGraph | None = None, site_url: str = DEFAULT_SITE_URL,
            endpoint: str | None = None, title: str = "The Budapest Process knowledge graph",
            gzip_threshold: int = GZIP_THRESHOLD, progress: Progress | None = None) -> PublishReport:
    """Write the static linked-data site of ``graph`` (default: the packaged graph) into ``out``.

    The site is built in a temporary folder beside ``out`` and then moved into place, so that a
    failure never leaves half a site; an existing ``out`` is replaced only if it is empty or a
    site bp-graph wrote. ``site_url`` is where the site is hosted (for the w3id.org redirect rules);
    ``endpoint`` the public SPARQL endpoint (default ``{base}sparql``).

    >>> import tempfile, pathlib
    >>> from bp_graph import KnowledgeGraph
    >>> from bp_graph.resources import resource_dir
    >>> small = KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"])
    >>> report = publish(pathlib.Path(tempfile.mkdtemp()) / "site", graph=small)
    >>> (report.out / "index.html").is_file() and report.pages > 10
    True
    """
    from .catalogue import load_catalogue
    from .graph import KnowledgeGraph
    from .pages import SiteRenderer
    from .pictures import (
        attendance_matrix,
        attendance_svg,
        describe_matrix,
        describe_timeline,
        timeline_meetings,
        timeline_svg,
    )

    started = time.monotonic()
    _check_url("the site URL", site_url)
    if endpoint is not None:
        _check_url("the endpoint", endpoint)
    report_progress = progress or (lambda stage, done, total: None)
    kg = graph or KnowledgeGraph.open()
    out = Path(out).resolve()
    _check_target(out)
    try:  # the folder beside the target must be writable: the site is built there, then moved in place
        out.parent.mkdir(parents=True, exist_ok=True)
        built = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
        # mkdtemp makes the folder private (0700): a web server running as another user could
        # not read the site. It gets the mode of the folder it replaces, else the umask's.
        built.chmod(stat.S_IMODE(out.stat().st_mode) if out.is_dir() else 0o777 & ~current_umask())
    except OSError as exc:
        blocker = next((p for p in [out.parent, *out.parent.parents] if p.exists()), out.parent)
        reason = f"{blocker} is a file" if blocker.is_file() else (exc.strerror or str(exc))
        raise PublishError(f"cannot create {out}: {reason}") from None
    report_progress("reading the graph", 0, 1)
    try:
        site = SiteData.load(kg, reasoning=True)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    report_progress("reading the graph", 1, 1)
    endpoint = endpoint or site.base + "sparql"
    try:
        writer = _Writer(built)
        writer.write(SITE_MARKER, f"bp-graph {__version__}\n")
        renderer = SiteRenderer(site, title=title, endpoint=endpoint, catalogue=load_catalogue())

        report_progress("pictures", 0, 2)
        city = ox.NamedNode(str(SCHEMA.location))

        def place_of(meeting: str) -> str | None:
            places = [o for p, o in site.out.get(ox.NamedNode(meeting), []) if p == city and isinstance(o, ox.NamedNode)]
            return site.label(places[0].value) if places else None

        meetings = timeline_meetings(kg, place_of=place_of)
        writer.write("figures/timeline.svg", timeline_svg(meetings))
        report_progress("pictures", 1, 2)
        matrix = attendance_matrix(kg, meetings=meetings, label_of=site.label)
        writer.write("figures/attendance.svg", attendance_svg(matrix))
        report_progress("pictures", 2, 2)

        resources = site.resources()
        terms = sorted(site.terms)
        documents = [*resources, *terms, site.ontology_iri]
        rdf_files = 0
        for number, iri in enumerate(documents):
            path = site.page_of(iri)
            assert path is not None
            triples = site.describe(iri)
            prefixes = site.used_prefixes(triples)
            jsonld = serialize_triples(triples, "jsonld", prefixes=prefixes, first=iri)
            for ext in ("ttl", "nt", "rdf"):
                writer.write(f"{path}.{ext}", serialize_triples(triples, ext, prefixes=prefixes))
            writer.write(f"{path}.jsonld", jsonld)
            rdf_files += 4
            if iri == site.ontology_iri:
                html = renderer.ontology_page(jsonld.decode())
            elif iri in site.terms:
                html = renderer.term_page(iri, jsonld.decode())
            else:
                html = renderer.resource_page(iri, jsonld.decode())
            writer.write(f"{path}.html", html)
            if number % 50 == 0 or number == len(documents) - 1:
                report_progress("pages", number + 1, len(documents))

        # The other IRIs the graph names: each named graph, and the ontology's version IRI (that
        # version's documents, a copy of the ontology's).
        named = {g: t for g, t in {**site.graphs, INFERRED_GRAPH: site.inferred}.items() if g.startswith(site.base)}
        for graph_iri, triples in named.items():
            path = graph_iri[len(site.base):]
            prefixes = site.used_prefixes(triples)
            for ext in ("ttl", "nt", "rdf", "jsonld"):
                writer.write(f"{path}.{ext}", serialize_triples(triples, ext, prefixes=prefixes))
            writer.write(f"{path}.html", renderer.graph_page(graph_iri, len(triples)))
            rdf_files += 4
        version_iri = next((o.value for p, o in site.onto_out.get(ox.NamedNode(site.ontology_iri), [])
                            if p.value == str(OWL.versionIRI) and o.value.startswith(site.base)), None)
        if version_iri is not None:
            here, ontology_path = version_iri[len(site.base):], site.page_of(site.ontology_iri)
            for ext in ("ttl", "nt", "rdf", "jsonld"):
                writer.write(f"{here}.{ext}", (built / f"{ontology_path}.{ext}").read_bytes())
            writer.write(f"{here}.html", renderer.ontology_page(
                (built / f"{ontology_path}.jsonld").read_text(encoding="utf-8"), here=here))
            rdf_files += 4

        report_progress("dumps", 0, 1)
        dumps = _write_dumps(writer, site, gzip_threshold)
        rdf_files += len(dumps)
        report_progress("dumps", 1, 1)

        examples = [next((iri for iri in resources if site.paths[iri].startswith(kind + "/")), "")
                    for kind in ("meeting", "state", "organisation", "document")]
        description = dataset_description(site, dumps, endpoint=endpoint, title=title,
                                          example_resources=[e for e in examples if e])
        prefixes = site.used_prefixes(description)
        turtle = serialize_triples(description, "ttl", prefixes=prefixes)
        for ext in ("ttl", "nt", "rdf"):
            writer.write(f"void.{ext}", turtle if ext == "ttl" else serialize_triples(description, ext, prefixes=prefixes))
        writer.write("void.jsonld", jsonld_void := serialize_triples(description, "jsonld", prefixes=prefixes,
                                                                       first=site.base + "void#dataset"))
        writer.write(".well-known/void", turtle)
        rdf_files += 5
        shapes = shapes_file().read_bytes()
        writer.write("shapes.ttl", shapes)
        rdf_files += 1

        report_progress("index and browse pages", 0, 1)
        kinds = renderer.kinds(resources)
        for kind, members in kinds.items():
            writer.write(f"browse/{kind}.html", renderer.browse_page(kind, members))
        counts = {"asserted": len(site.asserted), "inferred": len(site.inferred), "resources": len(resources),
                  "terms": len(terms)}
        writer.write("void.html", renderer.dataset_page(description, dumps, counts, jsonld_void.decode()))
        search = renderer.search_index(resources, terms)
        writer.write("assets/search-index.json", json.dumps(search, ensure_ascii=False, separators=(",", ":")))
        writer.write("assets/search-index.js", "window.BP_SEARCH_INDEX = "
                     + json.dumps(search, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/") + ";\n")
        writer.write("assets/style.css", renderer.stylesheet())
        writer.write("index.html", renderer.index_page(
            kinds=kinds, dumps=dumps, counts=counts,
            figures=[("figures/timeline.svg", describe_timeline(meetings), "Timeline of the meetings"),
                     ("figures/attendance.svg", describe_matrix(matrix), "Which states were listed at which meeting")]))
        writer.write("w3id.htaccess", w3id_htaccess(site_url, base=site.base))
        writer.write(".htaccess", site_htaccess(site_url))
        html_files = [f for f in writer.files if f.endswith(".html")]
        for name, text in _sitemaps(site_url, html_files).items():
            writer.write(name, text)
        writer.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n")
        report_progress("index and browse pages", 1, 1)
        pages = len(html_files)
        _replace_dir(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return PublishReport(out=out, pages=pages, rdf_files=rdf_files, asserted_triples=len(site.asserted),
                         inferred_triples=len(site.inferred), dumps=len(dumps),
                         seconds=round(time.monotonic() - started, 2), files=len(writer.files),
                         resources=len(resources), terms=len(terms))
