"""The fast rule closure entails what owlrl entails on the real graph, where the queries look.

The catalogue runs on :func:`bp_graph.reasoning.rule_closure` (OWL RL rules as SPARQL updates on
Oxigraph); owlrl is the reference implementation of OWL 2 RL. They may differ only in owlrl's
axiomatic bookkeeping (owl:Thing, owl:Nothing, reflexive axioms, built-in annotation properties).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from bp_graph import KnowledgeGraph, owl_rl_closure
from bp_graph.engines import OxigraphEngine
from bp_graph.namespaces import BASE, INFERRED_GRAPH
from bp_graph.reasoning import DIRECT_TYPE, cached_closure, direct_types, rule_closure, search_labels
from bp_graph.store import build_oxigraph, packaged_sources

from .calls import example_calls

AXIOMATIC = {OWL.Thing, OWL.Nothing, RDFS.Datatype, RDFS.Resource, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def owlrl_closure() -> set[tuple]:
    graph = rdflib.Graph()
    for source in packaged_sources():
        graph.parse(source.path, format="turtle", publicID=BASE)
    # Blank nodes are left out of the closure file on both sides (labels do not carry across parses).
    return {t for t in owl_rl_closure(graph) if not any(isinstance(x, rdflib.BNode) for x in t)}


@pytest.fixture(scope="module")
def rules_closure() -> set[tuple]:
    # Run the rules now (not the cached file, which a change to the rules would not replace in a
    # warm cache) and keep what the closure file keeps: triples without blank nodes.
    store = build_oxigraph(packaged_sources(), reasoning=False, persistent=False)
    inferred = ox.NamedNode(INFERRED_GRAPH)
    rule_closure(store, inferred)
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, inferred)]
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return {t for t in rdflib.Graph().parse(data=nt.decode(), format="nt")
            if not any(isinstance(x, rdflib.BNode) for x in t)}


def test_rules_infer_nothing_owlrl_does_not(owlrl_closure: set, rules_closure: set) -> None:
    assert sorted(rules_closure - owlrl_closure) == []


def test_rules_infer_everything_owlrl_does_but_axiomatic_bookkeeping(owlrl_closure: set, rules_closure: set) -> None:
    missing = [(s, p, o) for s, p, o in owlrl_closure - rules_closure
               if s != o and s not in AXIOMATIC and o not in AXIOMATIC]
    assert sorted(missing) == []
    instance_level = {t for t in owlrl_closure if str(t[0]).startswith(BASE) and "/ontology" not in str(t[0])}
    assert len(instance_level) > 1000  # types, inverses and chains over the whole graph
    assert instance_level <= rules_closure


@pytest.fixture(scope="module")
def owlrl_store(owlrl_closure: set) -> ox.Store:
    """The asserted graph, owlrl's closure, and the direct types and search labels computed from it."""
    store = build_oxigraph(packaged_sources(), reasoning=False, persistent=False)
    nt = rdflib.Graph()
    for triple in owlrl_closure:
        nt.add(triple)
    store.load(input=nt.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(INFERRED_GRAPH))
    assert direct_types(store, ox.NamedNode(INFERRED_GRAPH)) > 1000
    assert search_labels(store, ox.NamedNode(INFERRED_GRAPH)) > 10
    return store


def test_direct_types_equal_those_of_owlrls_closure(owlrl_store: ox.Store) -> None:
    def direct(triples: object) -> set[tuple[str, str]]:
        # The graph's own resources and terms: owlrl also types built-in terms (rdfs:comment an
        # owl:AnnotationProperty, xsd:string an rdfs:Datatype), its axiomatic bookkeeping.
        return {(t.subject.value, t.object.value) for t in triples  # type: ignore[attr-defined]
                if t.predicate.value == DIRECT_TYPE and t.subject.value.startswith(BASE)}

    ours = direct(ox.parse(path=str(cached_closure([s.path for s in packaged_sources()])),
                           format=ox.RdfFormat.N_TRIPLES))
    assert ours == direct(owlrl_store.quads_for_pattern(None, ox.NamedNode(DIRECT_TYPE), None))
    state = BASE + "state/TUR"
    assert {c for s, c in ours if s == state} == {BASE + "ontology#State"}  # not org:Organization, owl:Thing


def test_direct_types_are_the_classes_with_no_strictly_narrower_class_in_sparql(graph) -> None:
    # The definition as a query over the closure, independent of direct_types' Python: the one
    # search used before bp:directType (same answers for every word of every label).
    defined = graph.sparql(f"""
        SELECT DISTINCT ?x ?class WHERE {{
          ?x a ?class . FILTER(isIRI(?x) && isIRI(?class) && STRSTARTS(STR(?x), "{BASE}"))
          FILTER NOT EXISTS {{ ?x a ?narrower . ?narrower <{RDFS.subClassOf}> ?class .
                               FILTER(?narrower != ?class)
                               FILTER NOT EXISTS {{ ?class <{RDFS.subClassOf}> ?narrower }} }}
        }}""").rows
    written = graph.sparql(f"""
        SELECT DISTINCT ?x ?class WHERE {{ ?x <{DIRECT_TYPE}> ?class FILTER(STRSTARTS(STR(?x), "{BASE}")) }}""").rows
    assert len(defined) > 1500  # every resource of the graph and every term of the ontology
    assert set(written) == set(defined) and len(written) == len(defined)


def test_direct_types_keep_equivalent_classes_and_drop_broader_ones() -> None:
    store = ox.Store()
    store.load(input="""
        @prefix : <http://e/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        :A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :P owl:equivalentClass :Q . :Q rdfs:subClassOf :C .
        :x a :A , :B , :C . :y a :P , :Q , :C . :z a :C .
    """, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e/g"))
    inferred = ox.NamedNode("http://e/inferred")
    assert direct_types(store, inferred) == 4
    got = {(q.subject.value[9:], q.object.value[9:]) for q in store.quads_for_pattern(None, None, None, inferred)}
    assert got == {("x", "A"), ("y", "P"), ("y", "Q"), ("z", "C")}


def test_every_catalogue_query_answers_the_same_on_both_closures(owlrl_store: ox.Store, graph) -> None:
    reference = KnowledgeGraph(OxigraphEngine(owlrl_store), sources=packaged_sources(), reasoning=True)
    compared = 0
    for name, params in example_calls():
        expected = reference.query(name, **params)
        assert graph.query(name, **params).serialize("json") == expected.serialize("json"), name
        compared += bool(expected.rows)
    assert compared >= 15  # most queries return rows, so the comparison says something
    for text in ("turkiye", "peter boross"):  # by the names without accents, written on both
        expected = reference.query("search", text=text)
        assert expected.rows and graph.query("search", text=text).serialize("json") == expected.serialize("json")


def test_rule_closure_handles_chains_inverses_symmetry_and_transitivity() -> None:
    store = ox.Store()
    store.load(input="""
        @prefix : <http://e/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        :uncle owl:propertyChainAxiom ( :parent :brother ) ; rdfs:domain :Niece .
        :parent owl:inverseOf :child . :knows a owl:SymmetricProperty . :ancestor a owl:TransitiveProperty .
        :Niece rdfs:subClassOf :Person . :Person owl:equivalentClass :Human .
        :ann :parent :bob . :bob :brother :carl . :ann :knows :dan .
        :a1 :ancestor :a2 . :a2 :ancestor :a3 . :a3 :ancestor :a4 .
    """, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e/g"))
    inferred = ox.NamedNode("http://e/inferred")
    rule_closure(store, inferred)
    got = {(q.subject.value.removeprefix("http://e/"), q.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
            q.object.value.removeprefix("http://e/")) for q in store.quads_for_pattern(None, None, None, inferred)}
    thing = "http://www.w3.org/2002/07/owl#Thing"
    assert got == {
        ("ann", "uncle", "carl"), ("bob", "child", "ann"), ("dan", "knows", "ann"),  # chain, inverse, symmetry
        ("a1", "ancestor", "a3"), ("a1", "ancestor", "a4"), ("a2", "ancestor", "a4"),  # transitivity
        ("ann", "type", "Niece"), ("ann", "type", "Person"), ("ann", "type", "Human"), ("ann", "type", thing),
        # the schema: equivalence both ways, subclass closure, every class under owl:Thing, widened domains
        ("Person", "subClassOf", "Human"), ("Human", "subClassOf", "Person"), ("Niece", "subClassOf", "Human"),
        ("Person", "subClassOf", thing), ("Human", "subClassOf", thing), ("Niece", "subClassOf", thing),
        ("uncle", "domain", "Person"), ("uncle", "domain", "Human"), ("uncle", "domain", thing),
    }  # and nothing else: no type for bob (the domain of uncle applies to ann only), no reflexive axioms
