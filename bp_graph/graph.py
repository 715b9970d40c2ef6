"""The knowledge graph: packaged (or given) files in a store, queried by name on one engine."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import Catalogue, NamedQuery, load_catalogue, load_named_query
from .engines import DEFAULT_TIMEOUT, Answer, Engine, EngineName, RdflibEngine, RemoteEngine, push_graphs
from .errors import BPGraphError, EndpointError
from .namespaces import BASE, INFERRED_GRAPH, KNOWN_PREFIXES, ONTOLOGY_NS, PREFIXES
from .reasoning import cached_closure
from .results import QueryResult, Term
from .safety import checked_query
from .store import Source, build_dataset, data_dir_sources, oxigraph_engine, packaged_sources, sources_for

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = PREFIXES["owl"]
_IS_A = f"ASK WHERE {{ ?resource a/<{_RDFS}subClassOf>* ?class }}"
_MEMBERS = f"SELECT DISTINCT ?x WHERE {{ ?x a/<{_RDFS}subClassOf>* ?class }}"
# its classes less those a subclass among them implies (with the closure, a state is an org:Organization too)
_MOST_SPECIFIC_CLASSES = (f"SELECT DISTINCT ?class WHERE {{ ?resource a ?class FILTER NOT EXISTS {{ "
                          f"?resource a ?sub . ?sub <{_RDFS}subClassOf>+ ?class FILTER(!sameTerm(?sub, ?class)) }} }}")

if TYPE_CHECKING:
    import rdflib

    from .validation import Suggestion


class KnowledgeGraph:
    """The Budapest Process graph on one engine, with the catalogue of named queries.

    >>> kg = KnowledgeGraph.open()
    >>> rows = kg.query("states").as_dicts()
    >>> any(r["iso3"] == "TUR" for r in rows)
    True
    """

    def __init__(self, engine: Engine, *, sources: list[Source], reasoning: bool,
                 catalogue: Catalogue | None = None, base: str = BASE) -> None:
        self.engine = engine
        self.sources = sources
        self.reasoning = reasoning
        self.base = base
        self._catalogue = catalogue
        self._read: dict[str, NamedQuery] = {}  # queries read one file at a time, read once

    @classmethod
    def open(cls, *, engine: EngineName = "oxigraph", reasoning: bool = True,
             files: Sequence[str | os.PathLike[str]] | None = None,
             data_dir: str | os.PathLike[str] | None = None, endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT, persistent: bool = True,
             in_memory: bool | None = None, catalogue: Catalogue | None = None) -> KnowledgeGraph:
        """Load the packaged graph (or the ontology plus ``files``, or plus every ``.ttl`` file
        under ``data_dir``, a checkout's ``data/`` with its accepted submissions) on an engine.

        ``engine`` is ``"oxigraph"`` (default, a store cached on disk when ``persistent``, and held
        in memory when ``in_memory``, by default when the graph is small: see
        :func:`bp_graph.store.build_oxigraph`), ``"rdflib"`` or ``"remote"`` (then ``endpoint`` is
        the SPARQL query URL). With ``reasoning`` (default) queries see the OWL RL closure,
        computed once per content hash.
        """
        if engine not in ("oxigraph", "rdflib", "remote"):
            raise BPGraphError(f"unknown engine {engine!r}: use oxigraph, rdflib or remote")
        if files and data_dir is not None:
            raise BPGraphError("give files or a data folder, not both")
        sources = sources_for(files) if files else data_dir_sources(data_dir) if data_dir is not None \
            else packaged_sources()
        chosen: Engine
        if engine == "remote" or endpoint:
            if not endpoint:
                raise EndpointError("the remote engine needs an endpoint URL")
            _check_http(endpoint)
            chosen = RemoteEngine(endpoint, timeout=timeout)
        elif engine == "rdflib":
            chosen = RdflibEngine(build_dataset(sources, reasoning=reasoning))
        else:
            chosen = oxigraph_engine(sources, reasoning=reasoning, persistent=persistent, in_memory=in_memory)
        return cls(chosen, sources=sources, reasoning=reasoning, catalogue=catalogue)

    @property
    def catalogue(self) -> Catalogue:
        """The named queries (loaded on first use)."""
        if self._catalogue is None:
            self._catalogue = load_catalogue()
        return self._catalogue

    def query(self, name: str, /, **params: object) -> Answer:
        """Run the named query ``name`` with keyword parameters (validated, bound as RDF terms).

        >>> kg = KnowledgeGraph.open()
        >>> kg.query("meeting-states", meeting="meeting/2016-12-15-antalya").variables
        ('state', 'label')
        """
        named = self._named_query(name)
        return self.engine.run(named.text, named.bind(params, base=self.base))

    def unknown_resources(self, name: str, /, **params: object) -> dict[str, tuple[Suggestion, ...]]:
        """The IRI parameters of named query ``name`` that no triple of the graph names, each with
        the resources it may have meant (best first): why a query answers nothing.

        >>> kg = KnowledgeGraph.open()
        >>> kg.unknown_resources("meeting-states", meeting="meeting/2019-10-09-skopj")["meeting"][0].iri
        'https://w3id.org/bp-graph/meeting/2019-10-09-skopje'
        >>> [s.iri for s in kg.unknown_resources("state-meetings", state="MKD")["state"]]  # the example's folder
        ['https://w3id.org/bp-graph/state/MKD']
        >>> kg.unknown_resources("state-names", state="eeas")["state"][0].iri  # "the state or organisation"
        'https://w3id.org/bp-graph/organisation/eeas'
        >>> kg.unknown_resources("meetings", kind="MinisterialConference")["kind"][0].iri  # a class: the ontology's
        'https://w3id.org/bp-graph/ontology#MinisterialConference'
        """
        from .catalogue import expand_iri
        from .validation import Suggestion, _candidates, suggest

        named = self._named_query(name)
        bound = named.bind(params, base=self.base)  # the parameters' own errors first
        # param -> (the IRI meant when a path with no folder is in its example's folder: MKD for a
        # state is state/MKD, exactly; else the given IRI, compared with the resources near it)
        missing: dict[str, tuple[str | None, str]] = {}
        for p in named.params:
            term = bound.get(p.var) if p.type == "iri" else None
            if term is None or self._holds(term):
                continue
            local = term.value.removeprefix(self.base)
            folder = expand_iri(p.example or "", base=self.base).removeprefix(self.base).rpartition("/")[0]
            within = term.value.startswith(self.base) and "/" not in local and folder
            missing[p.name] = (f"{self.base}{folder}/{local}" if within else None, term.value)
        if not missing:
            return {}
        # a path with no folder is compared with every resource
        near = [self.base if in_folder else iri for in_folder, iri in missing.values()]
        candidates = _candidates(self, None, None, unknown=near)
        found: dict[str, tuple[Suggestion, ...]] = {}
        declared = {p.name: p for p in named.params}
        for param, (in_folder, iri) in missing.items():
            p = declared[param]
            if in_folder and self._holds(Term("uri", in_folder)):  # labelled ones are among the candidates
                found[param] = (Suggestion(in_folder, candidates.get(in_folder, (None,))[0]),)
                continue
            pool = candidates
            if expand_iri(p.example or "", base=self.base).startswith(ONTOLOGY_NS):  # it names a class: bp:...
                pool = self._ontology_classes()
                iri = ONTOLOGY_NS + re.split(r"[/#:]", iri)[-1]
                if iri in pool:
                    found[param] = (Suggestion(iri, pool[iri][0]),)
                    continue
            elif p.classes:  # only resources of the kind it expects (a meeting, not an outcome)
                members = {str(row["x"]) for c in p.classes
                           for row in self._answer(_MEMBERS, {"class": Term("uri", c)}).as_dicts()}
                pool = {c: v for c, v in candidates.items() if c in members}
            found[param] = tuple(s for s in suggest(iri, pool) if self._holds(Term("uri", s.iri)))
        return found

    def _ontology_classes(self) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        """The ontology's classes with their labels, as :func:`~bp_graph.validation.suggest` takes them."""
        rows = self._answer(f"SELECT ?c (SAMPLE(?l) AS ?label) WHERE {{ ?c a <{_OWL}Class> OPTIONAL {{ ?c "
                            f"<{_RDFS}label> ?l }} FILTER(STRSTARTS(STR(?c), \"{ONTOLOGY_NS}\")) }} GROUP BY ?c", {})
        return {str(row["c"]): (str(row["label"]) if row["label"] else None,
                                (str(row["label"]),) if row["label"] else ()) for row in rows.as_dicts()}

    def mismatched_resources(self, name: str, /, **params: object) -> dict[str, tuple[str, ...]]:
        """The IRI parameters of named query ``name`` given a resource of another kind than the
        parameter's ``class`` (a state for a meeting), each with the resource's most specific
        classes: another reason a query answers nothing. A resource with no class is not listed
        (:meth:`unknown_resources` lists those that name nothing).

        >>> kg = KnowledgeGraph.open()
        >>> kg.mismatched_resources("meeting-states", meeting="state/MKD")
        {'meeting': ('https://w3id.org/bp-graph/ontology#State',)}
        >>> kg.mismatched_resources("meeting-states", meeting="meeting/2019-10-09-skopje")
        {}
        """
        named = self._named_query(name)
        bound = named.bind(params, base=self.base)
        found: dict[str, tuple[str, ...]] = {}
        for p in named.params:
            term = bound.get(p.var)
            if term is None or not p.classes:
                continue
            # a path through rdfs:subClassOf, not the closure's types: the graph may be open without it
            if any(self._answer(_IS_A, {"resource": term, "class": Term("uri", c)}).boolean for c in p.classes):
                continue
            kinds = self._answer(_MOST_SPECIFIC_CLASSES, {"resource": term})
            if kinds.rows:
                found[p.name] = tuple(sorted(str(row["class"]) for row in kinds.as_dicts()))
        return found

    def empty_answer_notes(self, name: str, /, **params: object) -> list[str]:
        """Why named query ``name`` may answer nothing with ``params``, in words: an IRI parameter
        that names nothing in the graph (with what it may have meant) or a resource of another kind
        than the parameter expects. The command line prints them on stderr, the REST API in a header.

        >>> KnowledgeGraph.open().empty_answer_notes("meeting-states", meeting="state/MKD")
        ['meeting=state/MKD is a bp:State, not a bp:Meeting']
        """
        from .namespaces import short_iri  # as a parameter is written: a path, or a prefixed name

        named = self._named_query(name)
        notes = []
        for param, suggestions in self.unknown_resources(name, **params).items():
            meant = " or ".join(short_iri(s.iri, self.base) + (f" ({s.label})" if s.label else "") for s in suggestions)
            notes.append(f"{param}={params[param]} names nothing in the graph" + (f"; did you mean {meant}?" if meant else ""))
        expected = {p.name: p.expects for p in named.params}
        for param, classes in self.mismatched_resources(name, **params).items():
            notes.append(f"{param}={params[param]} is a {' and a '.join(short_iri(c, self.base) for c in classes)}, not {expected[param]}")
        return notes

    def answer_notes(self, name: str, params: Mapping[str, object], *, empty: bool) -> list[str]:
        """What a reader of named query ``name``'s answer (with ``params``) should know: that the
        query needs the OWL RL closure this graph was opened without, and, for an ``empty`` answer,
        why it may be empty (:meth:`empty_answer_notes`). The command line prints them on stderr,
        the REST API in its ``BP-Graph-Notes`` header.

        >>> KnowledgeGraph.open(reasoning=False).answer_notes("coverage", {}, empty=False)
        ['coverage needs the OWL RL closure: without it some of its columns are empty or zero (open the graph with reasoning)']
        """
        notes = []
        if not self.reasoning and self._named_query(name).needs_reasoning:
            notes.append(f"{name} needs the OWL RL closure: without it some of its columns are empty or zero "
                         "(open the graph with reasoning)")
        return notes + (self.empty_answer_notes(name, **params) if empty else [])

    def _answer(self, text: str, bindings: Mapping[str, Term]) -> QueryResult:
        answer = self.engine.run(text, bindings)
        assert isinstance(answer, QueryResult)
        return answer

    def _holds(self, resource: Term) -> bool:
        return bool(self._answer("ASK WHERE { { ?resource ?p ?o } UNION { ?s ?p ?resource } }",
                                 {"resource": resource}).boolean)

    def _named_query(self, name: str) -> NamedQuery:
        # Without a loaded catalogue a query is read from its own file (a cold command line runs
        # one), once per graph: reading and hashing it again cost about 0.1 ms a call.
        if self._catalogue is not None:
            return self._catalogue[name]
        if name not in self._read:
            self._read[name] = load_named_query(name)
        return self._read[name]

    def sparql(self, text: str, *, trusted: bool = False) -> Answer:
        """Run ad-hoc SPARQL. Untrusted text (the default) must be a read-only query without
        SERVICE, FROM or LOAD. The project's prefixes (:data:`~bp_graph.namespaces.KNOWN_PREFIXES`:
        ``bp:``, ``skos:``, ``state:``, ``mtg:``, ``goal:`` ...) need no declaration, and relative
        IRIs are the graph's (``<state/TUR>``, as tables print them); the text's own declarations win.

        >>> KnowledgeGraph.open().sparql("ASK { state:TUR a bp:State . <meeting/2019-10-09-skopje> a bp:Meeting }").boolean
        True
        """
        return self.engine.run(text if trusted else checked_query(text), prefixes=KNOWN_PREFIXES, base=self.base)

    def dataset(self) -> rdflib.Dataset:
        """The asserted graph (plus the closure when reasoning) as an rdflib Dataset."""
        if isinstance(self.engine, RdflibEngine):
            return self.engine.dataset
        return build_dataset(self.sources, reasoning=self.reasoning)

    def info(self) -> dict[str, object]:
        """Triple counts per named graph, distinct triples in all, and instance counts per class.

        >>> info = KnowledgeGraph.open().info()
        >>> info["triples"] > 1000, info["triples"] <= sum(info["graphs"].values())
        (True, True)
        """
        graphs = self.engine.run(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        # a triple two files state (or the closure repeats) is one triple: as VoID and the site count
        distinct = self.engine.run(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        classes = self.engine.run(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } "
            f"FILTER(?g != <{INFERRED_GRAPH}>) FILTER(STRSTARTS(STR(?class), '{BASE}')) }} "
            "GROUP BY ?class ORDER BY DESC(?n) ?class")
        assert isinstance(graphs, QueryResult) and isinstance(classes, QueryResult) and isinstance(distinct, QueryResult)
        # as_dicts types its values object; COUNT's is an int (or its text, from an endpoint that mistypes it)
        per_graph = {str(r["g"]): int(str(r["n"])) for r in graphs.as_dicts()}
        per_class = {str(r["class"]): int(str(r["n"])) for r in classes.as_dicts()}
        return {"engine": self.engine.name, "reasoning": self.reasoning,
                "triples": int(str(distinct.as_dicts()[0]["n"])), "graphs": per_graph, "classes": per_class}

    def push_to(self, store_endpoint: str, *, default_graph: bool = False,
                timeout: float = DEFAULT_TIMEOUT) -> int:
        """Send every named graph (and the closure) to a Graph Store Protocol endpoint; return bytes sent."""
        _check_http(store_endpoint)
        graphs: dict[str, bytes] = {}
        for source in self.sources:
            graphs[source.graph] = _ntriples(source.path)
        if self.reasoning:
            graphs[INFERRED_GRAPH] = cached_closure([s.path for s in self.sources]).read_bytes()
        return push_graphs(store_endpoint, graphs, default_graph=default_graph, timeout=timeout)


def _ntriples(path: Path) -> bytes:
    import pyoxigraph

    quads = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=BASE)
    return pyoxigraph.serialize((q.triple for q in quads), format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def _check_http(url: str) -> None:
    if not url.lower().startswith(("http://", "https://")):
        raise EndpointError(f"{url!r} is not an http(s) URL")


def open_graph(**options: object) -> KnowledgeGraph:
    """Shortcut for :meth:`KnowledgeGraph.open`.

    >>> open_graph(reasoning=False).reasoning
    False
    """
    return KnowledgeGraph.open(**options)  # type: ignore[arg-type]

