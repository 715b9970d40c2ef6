"""The ontology and shapes: they parse, the shapes are valid SHACL, the closure is consistent,
every quality check passes, and the generated artefacts are up to date."""

from __future__ import annotations

import subprocess
import sys

import pyshacl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from bp_graph import owl_rl_closure
from bp_graph.quality import check_files, run_checks
from bp_graph.resources import data_files, ontology_files, shapes_file

from .conftest import ROOT

BP = rdflib.Namespace("https://w3id.org/bp-graph/ontology#")


def load(*paths) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def test_ontology_and_shapes_parse_and_have_a_header() -> None:
    onto = load(*ontology_files())
    header = rdflib.URIRef("https://w3id.org/bp-graph/ontology")
    for prop in (OWL.versionIRI, OWL.versionInfo, rdflib.DCTERMS.license, rdflib.DCTERMS.creator,
                 rdflib.URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"),
                 rdflib.URIRef("http://purl.org/vocab/vann/preferredNamespaceUri")):
        assert onto.value(header, prop) is not None, f"ontology header lacks {prop}"
    assert len(load(shapes_file())) > 100


def test_shapes_are_valid_shacl() -> None:
    # meta_shacl validates the shapes graph against the SHACL-for-SHACL shapes first.
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=load(shapes_file()), meta_shacl=True)
    assert conforms, text


def test_every_class_the_data_uses_has_a_shape() -> None:
    onto, shapes = load(*ontology_files()), load(shapes_file())
    data = load(*data_files())
    targeted = set(shapes.objects(None, rdflib.SH.targetClass))
    used = {c for c in data.objects(None, RDF.type) if str(c).startswith(str(BP))}

    def covered(cls: rdflib.URIRef) -> bool:
        return any(sup in targeted for sup in onto.transitive_objects(cls, RDFS.subClassOf))

    assert sorted(c for c in used if not covered(c)) == []


@pytest.fixture(scope="module")
def closure() -> rdflib.Graph:
    graph = load(*ontology_files(), *data_files())
    inferred = owl_rl_closure(graph)
    assert len(inferred) > 0
    return graph + inferred


def test_closure_has_no_unsatisfiable_individual(closure: rdflib.Graph) -> None:
    assert sorted(closure.subjects(RDF.type, OWL.Nothing)) == []


def test_closure_violates_no_disjointness(closure: rdflib.Graph) -> None:
    pairs = set(closure.subject_objects(OWL.disjointWith))
    for group in closure.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(rdflib.collection.Collection(closure, closure.value(group, OWL.members)))
        pairs |= {(a, b) for a in members for b in members if a != b}
    clashes = [(x, a, b) for a, b in pairs for x in closure.subjects(RDF.type, a) if (x, RDF.type, b) in closure]
    assert clashes == []


def test_owl_rl_closure_does_not_mutate_its_input() -> None:
    graph = load(*ontology_files())
    before = len(graph)
    owl_rl_closure(graph)
    assert len(graph) == before


@pytest.fixture(scope="module")
def check_results() -> dict:
    return {r.name: r for r in run_checks()}


@pytest.mark.parametrize("check", [p.stem for p in check_files()])
def test_quality_check_returns_no_rows(check: str, check_results: dict) -> None:
    result = check_results[check]
    assert result.result.as_dicts() == [], result.summary


def test_quality_check_fails_on_a_bad_file(tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix owl: <http://www.w3.org/2002/07/owl#> .\n'
                   '<relative/thing> owl:sameAs <https://w3id.org/bp-graph/state/TUR> .\n')
    failed = {r.name for r in run_checks([*ontology_files(), bad]) if not r.passed}
    assert {"no-owl-sameas", "no-relative-or-file-iris"} <= failed


def test_generated_reference_data_and_shapes_are_up_to_date() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "generate_reference.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
