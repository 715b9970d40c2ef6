"""Every SHACL node shape has a fixture it accepts and a fixture it rejects, with the exact results.

A shape that never fires, or fires on the wrong node or path, looks like a passing shape, so
each node shape of ``ontology/shapes.ttl`` (found by parsing the file when the tests are
collected: a shape added without fixtures fails here) gets ``tests/fixtures/shapes/<Name>/``:

* ``accept.ttl`` gives no result at all (not even a Warning);
* ``reject.ttl`` gives exactly the results in ``reject.expected.json``: each one's focus node,
  result path, severity, source shape and constraint component; and at least one of them comes
  from the shape itself or from one of its property shapes.

Fixtures are validated as a submission is, by :func:`bp_graph.validate` (the ontology, the
packaged reference data the fixture points to, no inference), so they test the shapes as users
meet them. Helper shapes reached only through ``sh:node`` are rejected through the shape that
uses them. In the expected files a focus is an IRI, ``{"literal": lexical form}``, or
``{"blank_node": {"subject": ..., "predicate": ...}}`` (the blank node that is the predicate's
value on the subject); a source shape is an IRI, or ``{"propertyOf": node shape, "path": ...}``
for a blank property shape.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import rdflib

from bp_graph import validate
from bp_graph.resources import shapes_file
from bp_graph.validation import Finding, ValidationReport

# The library's own parsed shapes graph: the blank-node ids in Finding.shape are its ids.
from bp_graph.validation import _shapes as library_shapes

from .conftest import ROOT

SHAPES_FILE = shapes_file()  # the file validation reads (packaged with the library)
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
BPS = "https://w3id.org/bp-graph/shapes#"

Key = tuple[str, str | None, str, str, str, str]
"""(focus, path, severity, source shape, constraint component, message), each a plain string."""


SHAPES_GRAPH = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
# The shapes generated from the ontology's domains and ranges (tools/generate_reference.py) share
# the fixtures in tests/fixtures/shapes/generated/.
ONTOLOGY = rdflib.URIRef("https://w3id.org/bp-graph/ontology")
GENERATED = sorted(str(s) for s in SHAPES_GRAPH.subjects(rdflib.RDFS.isDefinedBy, ONTOLOGY))
SHAPES = sorted(str(s) for s in SHAPES_GRAPH.subjects(rdflib.RDF.type, SH.NodeShape)
                if isinstance(s, rdflib.URIRef) and str(s) not in GENERATED)
NAMES = [shape.rsplit("#", 1)[-1] for shape in SHAPES]


def focus_text(focus: Any) -> str:
    """An expected focus (IRI, literal or blank node) as a string."""
    if isinstance(focus, str):
        return focus
    if "literal" in focus:
        return f'"{focus["literal"]}"'
    of = focus["blank_node"]
    return f"[{of['predicate']} of {of['subject']}]"


def shape_text(shape: Any) -> str:
    """An expected source shape (IRI or property shape of a node shape) as a string."""
    return shape if isinstance(shape, str) else f"{shape['propertyOf']} sh:property [{shape['path']}]"


def expected_keys(path: Path, shape: str) -> Counter[Key]:
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert expected["shape"] == shape, f"{path} is about {expected['shape']}"
    return Counter((focus_text(r["focus"]), r["path"], r["severity"], shape_text(r["sourceShape"]), r["component"],
                    r["message"])
                   for r in expected["results"])


def finding_key(finding: Finding, report: ValidationReport) -> Key:
    """A finding in the form of :func:`expected_keys`, blank nodes named by what leads to them."""
    assert report.graph is not None
    if finding.focus.startswith("_:"):
        assert finding.focus_of is not None, f"a blank focus node nothing in the fixture points to: {finding}"
        focus = focus_text({"blank_node": {"subject": finding.focus_of[0], "predicate": finding.focus_of[1]}})
    elif (rdflib.URIRef(finding.focus), None, None) in report.graph:
        focus = finding.focus
    else:  # a literal value (targetObjectsOf, or a value checked through sh:node)
        assert any(isinstance(o, rdflib.Literal) and str(o) == finding.focus for o in report.graph.objects()), finding
        focus = focus_text({"literal": finding.focus})
    assert finding.shape is not None and finding.component is not None, finding
    if finding.shape.startswith("_:"):
        shapes = library_shapes()
        node = rdflib.BNode(finding.shape[2:])
        (parent,) = shapes.subjects(SH.property, node)
        source = shape_text({"propertyOf": str(parent), "path": str(shapes.value(node, SH.path))})
    else:
        source = finding.shape
    return (focus, finding.path, finding.severity, source, finding.component, finding.message)


def owned_by(shape: str) -> set[str]:
    """The source shapes that count as ``shape``'s own: itself and its property shapes."""
    own = {shape}
    for prop in SHAPES_GRAPH.objects(rdflib.URIRef(shape), SH.property):
        if isinstance(prop, rdflib.URIRef):
            own.add(str(prop))
        else:
            own.add(shape_text({"propertyOf": shape, "path": str(SHAPES_GRAPH.value(prop, SH.path))}))
    return own


def test_the_shapes_file_declares_node_shapes_and_every_fixture_folder_names_one() -> None:
    assert len(SHAPES) >= 30 and all(shape.startswith(BPS) for shape in SHAPES)
    folders = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "generated")
    assert set(folders) <= set(NAMES), f"fixtures for shapes that no longer exist: {set(folders) - set(NAMES)}"


def test_every_class_of_the_ontology_needs_an_english_label() -> None:
    # CURATION.md rule 4: every node has exactly one English rdfs:label; the shape of each class,
    # or of a class above it, says so with bps:EnglishLabel.
    from bp_graph.resources import ontology_files

    ontology = rdflib.Graph()
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    owl_class, bp = rdflib.URIRef("http://www.w3.org/2002/07/owl#Class"), "https://w3id.org/bp-graph/ontology#"
    labelled = {c for shape in SHAPES_GRAPH.subjects(SH.property, rdflib.URIRef(BPS + "EnglishLabel"))
                for c in SHAPES_GRAPH.objects(shape, SH.targetClass)}
    exempt = {bp + "Agent": "abstract: each kind of agent has its shape", bp + "Segment": "a passage: its quote",
              bp + "RoleScheme": "a SKOS concept scheme: skos:prefLabel"}
    classes = {c for c in ontology.subjects(rdflib.RDF.type, owl_class) if str(c).startswith(bp)}
    unlabelled = sorted(str(c) for c in classes
                        if not set(ontology.transitive_objects(c, rdflib.RDFS.subClassOf)) & labelled)
    assert len(classes) > 30 and unlabelled == sorted(exempt)


@pytest.mark.parametrize("shape", SHAPES, ids=NAMES)
def test_shape_has_its_fixtures(shape: str) -> None:
    folder = FIXTURES / shape.rsplit("#", 1)[-1]
    for name in ("accept.ttl", "reject.ttl", "reject.expected.json"):
        assert (folder / name).is_file(), f"{folder.relative_to(ROOT)}/{name} is missing: each shape needs both"


@pytest.mark.parametrize("shape", SHAPES, ids=NAMES)
def test_accept_fixture_gives_no_result(shape: str) -> None:
    report = validate(FIXTURES / shape.rsplit("#", 1)[-1] / "accept.ttl", strict=True)
    assert report.errors == (), report.text()
    assert report.findings == (), report.text()


# A shape may have further rejects (reject-<what>.ttl), one per constraint worth its own case.
REJECTS = [(shape, path) for shape in SHAPES
           for path in sorted((FIXTURES / shape.rsplit("#", 1)[-1]).glob("reject*.ttl"))]


@pytest.mark.parametrize(("shape", "fixture"), REJECTS, ids=[f"{s.rsplit('#', 1)[-1]}/{p.stem}" for s, p in REJECTS])
def test_reject_fixture_gives_exactly_its_expected_results(shape: str, fixture: Path) -> None:
    report = validate(fixture)
    assert report.errors == (), report.text()
    got = Counter(finding_key(f, report) for f in report.findings)
    expected = expected_keys(fixture.with_suffix(".expected.json"), shape)
    assert got == expected, report.text()
    assert {key[3] for key in got} & owned_by(shape), f"no result comes from {shape} or its property shapes"


def test_generated_domain_and_range_shapes_accept_and_reject_their_fixtures() -> None:
    """The generated shapes as one: the accept fixture gives nothing; the reject fixture gives exactly
    its expected results, all from generated shapes (a domain, a class range, a datatype range), and
    none where a class shape already reports the same value (bp:host's literal, from HostingShape)."""
    assert len(GENERATED) > 50
    folder = FIXTURES / "generated"
    accepted = validate(folder / "accept.ttl", strict=True)
    assert accepted.errors == () and accepted.findings == (), accepted.text()
    report = validate(folder / "reject.ttl")
    assert report.errors == (), report.text()
    got = Counter(finding_key(f, report) for f in report.findings)
    assert got == expected_keys(folder / "reject.expected.json", str(ONTOLOGY)), report.text()
    sources = {key[3] for key in got}
    assert {source.split(" sh:property")[0] for source in sources} <= set(GENERATED) | {BPS + "HostingShape"}
    assert {key[4].rsplit("#", 1)[1] for key in got} >= {"ClassConstraintComponent", "DatatypeConstraintComponent"}
