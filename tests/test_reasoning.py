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
from bp_graph.reasoning import rule_closure
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


def test_every_catalogue_query_answers_the_same_on_both_closures(owlrl_closure: set, graph) -> None:
    store = build_oxigraph(packaged_sources(), reasoning=False, persistent=False)
    nt = rdflib.Graph()
    for triple in owlrl_closure:
        nt.add(triple)
    store.load(input=nt.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(INFERRED_GRAPH))
    reference = KnowledgeGraph(OxigraphEngine(store), sources=packaged_sources(), reasoning=True)
    compared = 0
    for name, params in example_calls():
        expected = reference.query(name, **params)
        assert graph.query(name, **params).serialize("json") == expected.serialize("json"), name
        compared += bool(expected.rows)
    assert compared >= 15  # most queries return rows, so the comparison says something


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
