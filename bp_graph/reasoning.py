"""OWL RL reasoning: a fast rule engine on Oxigraph for the queries, owlrl as the reference.

owlrl needs seconds on ten thousand triples and about a minute on a hundred thousand, so the
graph's closure comes from :func:`rule_closure` (the OWL RL rules the ontology's axioms trigger,
as SPARQL updates run by Oxigraph), computed once per content hash and kept as N-Triples in the
user cache directory, with each resource's direct types (:func:`direct_types`) and its names
without accents for search (:func:`search_labels`). A test checks that it entails what owlrl
entails on the real graph.
Reasoning never mutates its input.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from .cache import cache_dir, fingerprint, write_atomically
from .namespaces import BASE, INFERRED_GRAPH, ONTOLOGY_NS, PREFIXES

if TYPE_CHECKING:
    import pyoxigraph


def owl_rl_closure(graph: object) -> object:
    """The triples OWL RL entails from ``graph`` that it does not state; ``graph`` is not changed.

    >>> import rdflib
    >>> g = rdflib.Graph().parse(data='''@prefix : <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   :A rdfs:subClassOf :B . :x a :A .''', format="turtle")
    >>> (rdflib.URIRef("http://e/x"), rdflib.RDF.type, rdflib.URIRef("http://e/B")) in owl_rl_closure(g)
    True
    >>> len(g)
    2
    """
    import rdflib
    from owlrl import DeductiveClosure, OWLRL_Semantics

    work = rdflib.Graph()
    for triple in graph:  # type: ignore[attr-defined]
        work.add(triple)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    inferred = rdflib.Graph()
    for s, p, o in work:
        # owlrl's bookkeeping: literal subjects and x owl:sameAs x carry no information.
        if isinstance(s, rdflib.Literal) or (p == rdflib.OWL.sameAs and s == o):
            continue
        if (s, p, o) not in graph:  # type: ignore[operator]
            inferred.add((s, p, o))
    return inferred


def closure_fingerprint(files: list[Path]) -> str:
    """A hash of ``files`` and of the rules' code: a cached closure is reused only if both match.

    >>> closure_fingerprint([]) != fingerprint([])
    True
    """
    return fingerprint([*files, Path(__file__), _search_query_file()], "rules")


def cached_closure(files: list[Path]) -> Path:
    """The N-Triples file of the OWL RL entailments of ``files`` the queries rely on, of the
    resources' direct types (:func:`direct_types`) and of their names without accents
    (:func:`search_labels`).

    Computed once per content hash by :func:`rule_closure` on an in-memory Oxigraph store. The
    file holds the triples whose terms are IRIs and literals: blank node labels do not carry
    across parses, and every engine loads this file beside its own parse of the same Turtle.
    """
    target = cache_dir() / f"closure-{closure_fingerprint(files)}.nt"
    if target.is_file():
        return target
    import pyoxigraph as ox

    store = ox.Store()
    for index, path in enumerate(files):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE,
                        to_graph=ox.NamedNode(f"urn:bp-graph:file:{index}"))
    inferred = ox.NamedNode(INFERRED_GRAPH)
    rule_closure(store, inferred)
    direct_types(store, inferred)
    search_labels(store, inferred)
    triples = (q.triple for q in store.quads_for_pattern(None, None, None, inferred)
               if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode))
    return write_atomically(target, lambda path: ox.serialize(triples, str(path), ox.RdfFormat.N_TRIPLES))


def rule_closure(store: pyoxigraph.Store, inferred: pyoxigraph.NamedNode) -> int:
    """Materialise into graph ``inferred`` what OWL RL entails from the named graphs of ``store``
    with the axioms the ontology uses; return the number of triples inferred.

    The rules are those of the OWL 2 RL profile that these axioms trigger: class and property
    hierarchies and equivalences (cax-sco, cax-eqc, prp-spo1, prp-eqp, scm-sco, scm-spo),
    domains and ranges (prp-dom, prp-rng), inverse, symmetric and transitive properties
    (prp-inv, prp-symp, prp-trp), property chains (prp-spo2) and the schema rules that widen
    domains and ranges (scm-dom1/2, scm-rng1/2). The schema is read from the
    store and closed in Python; each instance rule is one SPARQL update run by Oxigraph until
    nothing new appears. Equality (owl:sameAs) and consistency rules are left to
    :func:`owl_rl_closure`: the project forbids owl:sameAs and checks consistency in its tests.

    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.load(input='''@prefix : <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   :A rdfs:subClassOf :B . :x a :A .''', format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e/g"))
    >>> inferred = ox.NamedNode("http://e/inferred")
    >>> rule_closure(store, inferred)  # x a B, x a owl:Thing, A and B subclasses of owl:Thing
    4
    >>> sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode("http://e/x"), None, None, inferred))
    ['http://e/B', 'http://www.w3.org/2002/07/owl#Thing']
    """
    schema = _Schema.read(store)
    into = f"GRAPH {inferred}"
    property_rules = [
        f"INSERT {{ {into} {{ ?s ?q ?o }} }} WHERE {{ VALUES (?p ?q) {{ {_pairs(schema.super_properties)} }} "
        "GRAPH ?g { ?s ?p ?o } }" if schema.super_properties else "",
        f"INSERT {{ {into} {{ ?o ?q ?s }} }} WHERE {{ VALUES (?p ?q) {{ {_pairs(schema.inverses)} }} "
        "GRAPH ?g { ?s ?p ?o } FILTER(!isLiteral(?o)) }" if schema.inverses else "",
        *(f"INSERT {{ {into} {{ ?v0 <{p}> ?v{len(chain)} }} }} WHERE {{ "
          + " ".join(f"GRAPH ?g{i} {{ ?v{i} <{step}> ?v{i + 1} }}" for i, step in enumerate(chain)) + " }"
          for p, chain in schema.chains),
        *(f"INSERT {{ {into} {{ ?x <{p}> ?z }} }} WHERE {{ GRAPH ?g1 {{ ?x <{p}> ?y }} GRAPH ?g2 {{ ?y <{p}> ?z }} }}"
          for p in schema.transitive),
    ]
    before = -1
    while (count := _count(store, inferred)) != before:
        before = count
        for rule in filter(None, property_rules):
            store.update(rule)
    typed = (
        [(p, c) for p, d in schema.domains for c in schema.with_superclasses(d)],
        [(p, c) for p, r in schema.ranges for c in schema.with_superclasses(r)],
    )
    if typed[0]:
        store.update(f"INSERT {{ {into} {{ ?s a ?c }} }} WHERE {{ VALUES (?p ?c) {{ {_pairs(typed[0])} }} "
                     "GRAPH ?g { ?s ?p ?o } }")
    if typed[1]:
        store.update(f"INSERT {{ {into} {{ ?o a ?c }} }} WHERE {{ VALUES (?p ?c) {{ {_pairs(typed[1])} }} "
                     "GRAPH ?g { ?s ?p ?o } FILTER(!isLiteral(?o)) }")
    if schema.super_classes:
        store.update(f"INSERT {{ {into} {{ ?s a ?d }} }} WHERE {{ VALUES (?c ?d) {{ {_pairs(schema.super_classes)} }} "
                     "GRAPH ?g { ?s a ?c } }")
    axioms = [f"<{c}> <{_RDFS}subClassOf> <{d}> ." for c, d in schema.super_classes]
    axioms += [f"<{p}> <{_RDFS}subPropertyOf> <{q}> ." for p, q in schema.super_properties]
    # scm-dom1/2 and scm-rng1/2: sub-properties inherit, and super-classes widen, domains and ranges.
    for relation, pairs in (("domain", schema.domains), ("range", schema.ranges)):
        axioms += [f"<{sub}> <{_RDFS}{relation}> <{c}> ." for p, d in pairs for c in schema.with_superclasses(d)
                   for sub in [p] + [a for a, b in schema.super_properties if b == p]]
    if axioms:
        store.update(f"INSERT DATA {{ {into} {{ {' '.join(axioms)} }} }}")
    # What the files state is not an entailment: keep the inferred graph to what is new.
    store.update(f"DELETE {{ {into} {{ ?s ?p ?o }} }} WHERE {{ {into} {{ ?s ?p ?o }} "
                 f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {inferred}) }}")
    return _count(store, inferred)


def direct_types(store: pyoxigraph.Store, into: pyoxigraph.NamedNode) -> int:
    """Write ``x bp:directType C`` into graph ``into`` for each most specific class C of each
    resource x of ``store`` (all graphs, the closure included); return how many were written.

    A class of x is direct when no other class of x is strictly narrower (a subclass that is not
    also a superclass, as equivalent classes are). This is not an entailment (a new type can make
    a class indirect): it is the reasoner's answer to "what is x", as OWL API's direct types and
    RDF4J's ``sesame:directType``. Queries read it instead of comparing every pair of classes of
    every resource (search on the real graph: 0.5 ms of its 1 ms).

    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.load(input='''@prefix : <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   :A rdfs:subClassOf :B . :x a :A , :B , :C .''', format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e/g"))
    >>> direct_types(store, ox.NamedNode("http://e/inferred"))
    2
    >>> sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode("http://e/x"), ox.NamedNode(DIRECT_TYPE), None))
    ['http://e/A', 'http://e/C']
    """
    import pyoxigraph as ox

    broader: dict[str, set[str]] = {}
    for narrow, broad in _Schema.read(store).super_classes:
        broader.setdefault(narrow, set()).add(broad)
    types: dict[ox.NamedNode | ox.BlankNode, set[str]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(f"{_RDF}type"), None, None):
        if type(quad.object) is ox.NamedNode and type(quad.subject) is not ox.Triple:
            types.setdefault(quad.subject, set()).add(quad.object.value)
    # Resources share few sets of classes (74 at a million triples): each set is decided once.
    direct: dict[frozenset[str], list[ox.NamedNode]] = {}
    predicate = ox.NamedNode(DIRECT_TYPE)
    written = []
    for resource, classes in types.items():
        key = frozenset(classes)
        if key not in direct:
            direct[key] = [ox.NamedNode(c) for c in sorted(key) if not any(
                c in broader.get(other, ()) and other not in broader.get(c, ()) for other in key)]
        written += [ox.Quad(resource, predicate, cls, into) for cls in direct[key]]
    store.extend(written)
    return len(written)


def search_labels(store: pyoxigraph.Store, into: pyoxigraph.NamedNode) -> int:
    """Write ``x skos:hiddenLabel F`` into graph ``into`` for each name of x that the catalogue's
    ``search`` reads (its text-index group) and that has accents, F being the name without them
    (``Türkiye``: ``Turkiye``, in the name's language), unless x has that name already; return how
    many were written.

    SPARQL has no function that drops accents, and every engine reads the closure: so ``turkiye``
    finds Türkiye on each, as the site's search box does. A hidden label is SKOS's label for
    "free text search", not for display.

    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.load(input='''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...   <http://e/x> rdfs:label "Türkiye"@en . <http://e/y> rdfs:label "Péter" ; skos:altLabel "Peter" .''',
    ...   format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e/g"))
    >>> search_labels(store, ox.NamedNode("http://e/inferred"))
    1
    >>> [str(q.object) for q in store.quads_for_pattern(None, ox.NamedNode(SEARCH_LABEL), None)]
    ['"Turkiye"@en']
    """
    import pyoxigraph as ox

    from .textindex import IndexedQuery, without_accents

    # the file's text, not the catalogue's parse: that checks the header and the parameters' scopes
    # with rdflib's parser, which doubled the real graph's cold closure (0.18 s to 0.42 s)
    marked = IndexedQuery.split(_search_query_file().read_text(encoding="utf-8"))
    assert marked is not None, "the search query marks the names it reads"
    names: dict[ox.NamedNode | ox.BlankNode, set[str]] = {}
    written: list[ox.Quad] = []
    pairs = [(row[0], row[1]) for row in store.query(marked.pairs_query(), use_default_graph_as_union=True)  # type: ignore[union-attr]
             if isinstance(row[1], ox.Literal) and isinstance(row[0], (ox.NamedNode, ox.BlankNode))]
    for resource, name in pairs:
        names.setdefault(resource, set()).add(name.value)
    predicate = ox.NamedNode(SEARCH_LABEL)
    for resource, name in pairs:
        plain = without_accents(name.value)
        if plain not in names[resource]:
            names[resource].add(plain)
            written.append(ox.Quad(resource, predicate, ox.Literal(plain, language=name.language), into))
    store.extend(written)
    return len(written)


def _search_query_file() -> Path:
    from .resources import resource_dir

    return resource_dir("queries") / "search.rq"


DIRECT_TYPE: Final = ONTOLOGY_NS + "directType"
SEARCH_LABEL: Final = PREFIXES["skos"] + "hiddenLabel"
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]
_TYPED_AXIOMS = {f"{_OWL}SymmetricProperty": "SymmetricProperty", f"{_OWL}TransitiveProperty": "TransitiveProperty",
                 f"{_OWL}Class": "Class", f"{_RDFS}Class": "Class"}


class _Schema:
    """The axioms the rules use, with class and property hierarchies transitively closed."""

    def __init__(self, rows: dict[str, list[tuple[str, str]]], lists: dict[str, tuple[str, str]]) -> None:
        # scm-cls: every class is a subclass of owl:Thing (so owl:Thing is never the most specific type).
        classes = {c for c, _ in rows["Class"]} | {c for pair in rows["subClassOf"] for c in pair}
        self.super_classes = _transitive(rows["subClassOf"] + rows["equivalentClass"]
                                         + [(b, a) for a, b in rows["equivalentClass"]]
                                         + [(c, f"{_OWL}Thing") for c in sorted(classes) if c != f"{_OWL}Thing"])
        self.super_properties = _transitive(rows["subPropertyOf"] + rows["equivalentProperty"]
                                            + [(b, a) for a, b in rows["equivalentProperty"]])
        inverse = rows["inverseOf"] + [(b, a) for a, b in rows["inverseOf"]]
        self.inverses = sorted(set(inverse + [(p, p) for p, _ in rows["SymmetricProperty"]]))
        self.transitive = sorted(p for p, _ in rows["TransitiveProperty"])
        self.domains = rows["domain"]
        self.ranges = rows["range"]
        self.chains: list[tuple[str, list[str]]] = []
        for prop, head in rows["propertyChainAxiom"]:
            steps, node = [], head
            while node in lists:
                first, node = lists[node]
                steps.append(first)
            self.chains.append((prop, steps))

    def with_superclasses(self, cls: str) -> list[str]:
        return [cls] + [d for c, d in self.super_classes if c == cls]

    @classmethod
    def read(cls, store: pyoxigraph.Store) -> _Schema:
        import pyoxigraph as ox

        predicates = {f"{_RDFS}{name}": name for name in ("subClassOf", "subPropertyOf", "domain", "range")}
        predicates |= {f"{_OWL}{name}": name for name in ("equivalentClass", "equivalentProperty", "inverseOf",
                                                          "propertyChainAxiom")}
        rows: dict[str, list[tuple[str, str]]] = {name: [] for name in predicates.values()}
        rows |= {"SymmetricProperty": [], "TransitiveProperty": [], "Class": []}
        # Only the rdf:type rows that declare an axiom: a graph holds many more types of its resources.
        query = ("SELECT DISTINCT ?s ?p ?o WHERE { { GRAPH ?g { ?s ?p ?o } VALUES ?p { "
                 + " ".join(f"<{p}>" for p in [*predicates, f"{_RDF}first", f"{_RDF}rest"]) + " } } UNION { "
                 + f"GRAPH ?g {{ ?s ?p ?o }} VALUES (?p ?o) {{ {_pairs((f'{_RDF}type', o) for o in _TYPED_AXIOMS)} }} }} }}")
        firsts: dict[str, str] = {}
        rests: dict[str, str] = {}
        for solution in store.query(query):  # type: ignore[union-attr]
            if isinstance(solution["o"], ox.Literal):
                continue
            subject, predicate, obj = _key(solution["s"]), solution["p"].value, _key(solution["o"])
            if predicate in predicates:
                rows[predicates[predicate]].append((subject, obj))
            elif predicate == f"{_RDF}type" and obj in _TYPED_AXIOMS:
                rows[_TYPED_AXIOMS[obj]].append((subject, obj))
            elif predicate == f"{_RDF}first":
                firsts[subject] = obj
            elif predicate == f"{_RDF}rest":
                rests[subject] = obj
        lists = {node: (first, rests.get(node, f"{_RDF}nil")) for node, first in firsts.items()}
        for name in ("subClassOf", "subPropertyOf", "domain", "range", "equivalentClass", "equivalentProperty",
                     "inverseOf"):
            rows[name] = [(a, b) for a, b in rows[name] if not a.startswith("_:") and not b.startswith("_:")]
        rows["Class"] = [(c, t) for c, t in rows["Class"] if not c.startswith("_:")]
        return cls(rows, lists)


def _key(term: object) -> str:
    import pyoxigraph as ox

    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value  # type: ignore[attr-defined]


def _pairs(pairs: Iterable[tuple[str, str]]) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in pairs)


def _transitive(edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The non-reflexive transitive closure of ``edges``, sorted."""
    direct: dict[str, set[str]] = {}
    for a, b in edges:
        direct.setdefault(a, set()).add(b)
    closed: set[tuple[str, str]] = set()
    for start in direct:
        seen, todo = set(), list(direct[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(direct.get(node, ()))
        closed |= {(start, node) for node in seen if node != start}
    return sorted(closed)


def _count(store: pyoxigraph.Store, graph: pyoxigraph.NamedNode) -> int:
    solutions = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    return int(next(iter(solutions))["n"].value)  # type: ignore[arg-type]
