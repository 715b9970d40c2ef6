"""Validating submissions: the fixtures give exactly their expected findings, every input format
is read, parse errors are precise, the reports are standard, the packaged data has no Violation,
and hostile inputs end in a clear error within seconds without any network access."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

from bp_graph import (
    Limits,
    ParseError,
    ResourceNotFound,
    SubmissionError,
    parse_submission,
    validate,
    validate_data,
)
from bp_graph.validation import NEW_NODES_ONLY_SHAPE, InputFormat, ValidationReport, sniff_format, suggest

from .conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF_TYPE = str(rdflib.RDF.type)
BASE = "https://w3id.org/bp-graph/"
DHAKA = FIXTURES / "valid" / "2023-11-07-dhaka.ttl"


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def finding_key(item: dict) -> tuple:
    """(focus, path, severity), a blank focus node named by the subject and predicate that lead to it."""
    focus = item["focus"]
    if focus is None or focus.startswith("_:"):
        of = item["focus_of"]
        focus = f"[{of['predicate']} of {of['subject']}]"
    return (focus, item["path"], item["severity"])


# ---------------------------------------------------------------------------------------- fixtures

def test_there_are_fixtures_and_each_invalid_one_has_its_expected_report() -> None:
    assert VALID and len(INVALID) >= 10
    for path in INVALID:
        assert path.with_suffix(".expected.json").is_file(), f"{path.name} lacks its .expected.json"
    for expected in (FIXTURES / "invalid").glob("*.expected.json"):
        assert expected.with_name(expected.name.replace(".expected.json", ".ttl")).is_file(), expected.name


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_conforms_even_strictly(path: Path) -> None:
    report = validate(path, strict=True)
    assert report.errors == ()
    assert report.findings == (), report.text()
    assert report.conforms and report.exit_code == 0


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_yields_exactly_its_expected_findings(path: Path) -> None:
    expected = expected_of(path)
    report = validate(path)
    assert report.errors == (), report.text()
    got = [finding_key(f.as_dict()) for f in report.findings]
    assert Counter(got) == Counter(finding_key(item) for item in expected["findings"]), report.text()
    assert report.conforms is expected["conforms"]
    for item in expected["findings"]:  # the offending value and the first suggestion, where the file names them
        matches = [f for f in report.findings if finding_key(f.as_dict()) == finding_key(item)]
        if "value" in item:
            assert any(f.value is not None and f.value.value == item["value"] for f in matches), item
        if "did_you_mean" in item:
            assert any(f.suggestions and f.suggestions[0].iri == item["did_you_mean"] for f in matches), item
    # every finding names the shape and the message it comes from, and where (a blank node: its holder's place)
    assert all(f.message and f.shape and f.component for f in report.findings)
    assert [f.focus for f in report.findings if not (f.source and f.line)] == []


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_as_json_ld_yields_the_same_findings_each_at_its_node_object(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    prefixes = dict(re.findall(r"@prefix (\w*): +<([^>]*)>", text))
    jsonld = tmp_path / f"{path.stem}.jsonld"  # compact IRIs where a prefix fits, "/bp-graph/..." where none does
    jsonld.write_text(rdflib.Graph().parse(path, format="turtle").serialize(
        format="json-ld", context=prefixes, base=BASE, indent=1), encoding="utf-8")
    report = validate(jsonld)
    assert Counter(finding_key(f.as_dict()) for f in report.findings) == \
        Counter(finding_key(item) for item in expected_of(path)["findings"]), report.text()
    lines = jsonld.read_text(encoding="utf-8").splitlines()
    for finding in (f for f in report.findings if not f.focus.startswith("_:")):
        written = {finding.focus, finding.focus.removeprefix("https://w3id.org")} | {
            f"{prefix}:{finding.focus[len(iri):]}" for prefix, iri in prefixes.items() if finding.focus.startswith(iri)}
        assert finding.source and finding.source.endswith(jsonld.name) and finding.line, finding
        line = lines[finding.line - 1]
        assert '"@id"' in line and any(f'"{form}"' in line for form in written), (finding, line)
        assert not lines[finding.line].strip().startswith("}"), (finding, line)  # the node, not a reference to it


@pytest.mark.parametrize("base", [None, "https://w3id.org/bp-graph/participation/"])
def test_a_finding_about_a_relative_iri_has_the_line_of_its_subject(base: str | None, tmp_path: Path) -> None:
    text = (FIXTURES / "invalid" / "unknown-state.ttl").read_text(encoding="utf-8")
    relative = (f"@base <{base}> .\n" + text.replace("<" + base, "<") if base
                else text.replace("<https://w3id.org/bp-graph/", "<"))  # resolved against bp-graph's base
    path = tmp_path / "relative.ttl"
    path.write_text(relative, encoding="utf-8")
    (finding,) = validate(path).findings
    line = relative.splitlines()[finding.line - 1]
    assert finding.focus == BASE + "participation/2023-06-13-varna/BGR" and line.startswith("<") and " a bp:Participation" in line


@pytest.mark.parametrize("fmt,extension,how", [
    ("turtle", ".ttl", "state:TUR without quotes"), ("json-ld", ".jsonld", '{"@id": "state:TUR"}'),
    ("xml", ".rdf", f'rdf:resource="{BASE}state/TUR"'), ("nt", ".nt", f"<{BASE}state/TUR>")])
def test_a_string_where_a_reference_belongs_is_told_how_to_write_the_reference(
        fmt: str, extension: str, how: str, tmp_path: Path) -> None:
    text = (FIXTURES / "invalid" / "unknown-state.ttl").read_text(encoding="utf-8")
    for value, note in (('"state:TUR"', f"'state:TUR' is a string, not a reference: write {how}"), ('"Turkey"', None)):
        submitted = text.replace("bp:participant state:TRK", f"bp:participant {value}")
        graph = rdflib.Graph().parse(data=submitted, format="turtle")
        path = tmp_path / f"submission{extension}"
        path.write_text(submitted if fmt == "turtle" else graph.serialize(
            format=fmt, context=dict(re.findall(r"@prefix (\w*): +<([^>]*)>", text))), encoding="utf-8")
        (finding,) = validate(path).findings
        assert finding.value and finding.value.value == value.strip('"') and finding.path == BASE + "ontology#participant"
        assert finding.message.endswith(f"({note})") if note else "not a reference" not in finding.message, finding.message


def test_a_constraint_without_a_message_of_its_own_is_worded_plainly(tmp_path: Path) -> None:
    text = DHAKA.read_text(encoding="utf-8")
    path = tmp_path / "negative.ttl"
    path.write_text(text.replace("bp:statedParticipantCount 41 ;", "bp:statedParticipantCount -3 ;"), encoding="utf-8")
    report = validate(path)
    (finding,) = report.findings
    assert finding.message == "The value of bp:statedParticipantCount is at least 0."  # pyshacl: Value is not >= Literal("0", ...)
    assert '  Violation bp:statedParticipantCount  "-3"^^xsd:integer' in report.text()


def test_an_ill_typed_literal_is_a_finding_in_every_report_format_never_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "date.ttl"
    path.write_text(DHAKA.read_text(encoding="utf-8").replace('"2023-11-07"^^xsd:date', '"07.11.2023"^^xsd:date', 1),
                    encoding="utf-8")
    for fmt in ("text", "turtle", "json"):
        result = run_cli("validate", str(path), "--format", fmt)
        assert result.returncode == 1 and result.stderr == "" and "07.11.2023" in result.stdout, (fmt, result.stderr)


@pytest.mark.parametrize("fmt,extension,how", [
    ("turtle", ".ttl", '"2023-11-07"^^xsd:date'), ("json-ld", ".jsonld", '{"@value": "2023-11-07", "@type": "xsd:date"}'),
    ("xml", ".rdf", 'rdf:datatype="http://www.w3.org/2001/XMLSchema#date" on the property element'),
    ("nt", ".nt", '"2023-11-07"^^<http://www.w3.org/2001/XMLSchema#date>')])
def test_a_plain_string_where_a_date_belongs_is_told_how_to_type_it(fmt: str, extension: str, how: str,
                                                                   tmp_path: Path) -> None:
    text = DHAKA.read_text(encoding="utf-8")
    for written, note in (('"2023-11-07"', f"a plain string, not an xsd:date: write {how}"),
                          ('"07.11.2023"', "a plain string: write an xsd:date as YYYY-MM-DD, e.g. ")):
        submitted = text.replace('schema:startDate "2023-11-07"^^xsd:date', f"schema:startDate {written}", 1)
        path = tmp_path / f"submission{extension}"
        path.write_text(submitted if fmt == "turtle" else rdflib.Graph().parse(data=submitted, format="turtle").serialize(
            format=fmt, context=dict(re.findall(r"@prefix (\w*): +<([^>]*)>", text))), encoding="utf-8")
        (finding,) = validate(path).findings
        assert finding.value and finding.value.value == written.strip('"') and f"({note}" in finding.message, finding.message


@pytest.mark.parametrize("line,old,new,path,meant", [
    (79, "schema:endDate", "schema:enddate", "https://schema.org/enddate", "https://schema.org/endDate"),
    (32, "dcterms:title", "dcterms:tilte", "http://purl.org/dc/terms/tilte", "http://purl.org/dc/terms/title"),
    (30, "a bp:SourceDocument ;", "a bp:SourceDocument, schema:Reprot ;", RDF_TYPE, "https://schema.org/Report"),
    (89, "rdfs:label", "rdfs:lable", "http://www.w3.org/2000/01/rdf-schema#lable", "http://www.w3.org/2000/01/rdf-schema#label"),
    (86, "prov:wasDerivedFrom", "prov:wasDerviedFrom", "http://www.w3.org/ns/prov#wasDerviedFrom",
     "http://www.w3.org/ns/prov#wasDerivedFrom"),
])
def test_a_misspelt_term_of_a_known_vocabulary_is_refused_with_the_term_it_meant(
        line: int, old: str, new: str, path: str, meant: str, tmp_path: Path) -> None:
    lines = DHAKA.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    submission = tmp_path / "typo.ttl"
    submission.write_text("".join(lines), encoding="utf-8")
    report = validate(submission)
    (typo,) = [f for f in report.findings if f.path == path and f.suggestions]
    assert typo.severity == "Violation" and typo.suggestions[0].iri == meant and "is not a term of" in typo.message
    assert "schema statement" not in report.text()  # rdfs:lable is a typo, not a statement about classes


def test_a_term_a_closed_vocabulary_does_not_have_is_refused_and_one_it_has_is_not(tmp_path: Path) -> None:
    text = DHAKA.read_text(encoding="utf-8").replace("@prefix dcterms:", "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix dcterms:", 1)
    for extra, refused in (("foaf:nonsenseProperty", True), ("dcterms:description", False)):
        path = tmp_path / "extra.ttl"
        path.write_text(text.replace('    bp:fileName "wg2-dhaka-2023-summary.txt" ;',
                                     f'    bp:fileName "wg2-dhaka-2023-summary.txt" ; {extra} "x"@en ;', 1), encoding="utf-8")
        report = validate(path)
        assert (not report.conforms) is refused, report.text()


def test_what_follows_from_a_misspelt_class_points_to_it(tmp_path: Path) -> None:
    path = tmp_path / "class.ttl"
    path.write_text(DHAKA.read_text(encoding="utf-8").replace("mtg:2023-11-07-dhaka a bp:WorkingGroupMeeting",
                                                             "mtg:2023-11-07-dhaka a bp:WorkinGroupMeeting"), encoding="utf-8")
    findings = validate(path).findings
    meeting = BASE + "meeting/2023-11-07-dhaka"
    (typo,) = [f for f in findings if f.focus == meeting and f.path == RDF_TYPE]
    assert typo.suggestions[0].iri == BASE + "ontology#WorkingGroupMeeting"
    following = [f for f in findings if f.value and f.value.value == meeting]  # "points to a bp:Meeting"
    assert len(following) > 3 and all(f.message.endswith(
        "(mtg:2023-11-07-dhaka is typed bp:WorkinGroupMeeting, which the ontology does not know: mend that first)")
        for f in following)


def test_one_report_sent_twice_is_read_once_and_a_node_described_in_two_files_is_named(tmp_path: Path) -> None:
    copy = tmp_path / "copy.ttl"
    copy.write_bytes(DHAKA.read_bytes())
    twice = validate([DHAKA, copy])
    assert twice.conforms and twice.findings == () and "copy.ttl is the same as" in " ".join(twice.notes)
    jsonld = tmp_path / "again.jsonld"  # the same report in another format: its quote selectors are other nodes
    jsonld.write_text(rdflib.Graph().parse(DHAKA).serialize(format="json-ld"), encoding="utf-8")
    both = validate([DHAKA, jsonld])
    assert not both.conforms
    doubled = [note for note in both.notes if "oa:hasSelector is written with a blank node in" in note]
    assert doubled and all("again.jsonld" in note and "describe it in one file" in note for note in doubled)


def test_a_name_where_a_reference_belongs_is_told_the_resource_of_that_name(tmp_path: Path) -> None:
    text = (FIXTURES / "invalid" / "unknown-state.ttl").read_text(encoding="utf-8")
    for written, meant in (('"Armenia"', "state:ARM"), ('"czech republic"', "state:CZE"), ('"Nowhere"', None)):
        path = tmp_path / "name.ttl"
        path.write_text(text.replace("bp:participant state:TRK", f"bp:participant {written}"), encoding="utf-8")
        (finding,) = validate(path).findings
        hint = f"({written.strip(chr(34))!r} is a string, not a reference: write {meant}, the resource of that name)"
        assert finding.message.endswith(hint) if meant else "not a reference" not in finding.message, finding.message


def test_warnings_fail_only_with_strict() -> None:
    path = FIXTURES / "invalid" / "duplicate-meeting.ttl"
    assert validate(path).exit_code == 0
    strict = validate(path, strict=True)
    assert strict.exit_code == 1 and not strict.conforms
    assert [f.severity for f in strict.findings] == ["Warning"]
    assert "2022-05-19-ohrid" in strict.findings[0].message


def test_unknown_state_gets_did_you_mean_turkiye() -> None:
    report = validate(FIXTURES / "invalid" / "unknown-state.ttl")
    (finding,) = report.findings
    assert finding.suggestions[0].iri == BASE + "state/TUR"
    assert finding.suggestions[0].label == "Türkiye"
    assert "Did you mean state:TUR (\"Türkiye\")" in report.text()


def test_suggestions_compare_iris_labels_and_codes() -> None:
    candidates = {BASE + "state/TUR": ("Türkiye", ("Türkiye", "TUR", "TR")),
                  BASE + "state/TKM": ("Turkmenistan", ("Turkmenistan", "TKM", "TM")),
                  BASE + "state/MKD": ("North Macedonia", ("North Macedonia", "MKD", "MK")),
                  BASE + "meeting/2019-10-09-skopje": ("Skopje 2019", ("Skopje 2019",))}
    assert suggest(BASE + "state/TRK", candidates)[0].iri == BASE + "state/TUR"
    assert suggest(BASE + "state/MK", candidates)[0].iri == BASE + "state/MKD"
    assert suggest(BASE + "meeting/2019-10-09-skopie", candidates)[0].iri == BASE + "meeting/2019-10-09-skopje"
    assert suggest(BASE + "states/TUR", candidates)[0].iri == BASE + "state/TUR"  # a wrong kind still finds it
    assert suggest(BASE + "2019-10-09-skopje", candidates)[0].iri == BASE + "meeting/2019-10-09-skopje"  # no kind
    assert suggest(BASE + "state/XQZ", candidates) == ()


def test_a_valid_iso_state_missing_from_the_reference_data_is_described_from_iso_3166() -> None:
    report = validate(DHAKA)
    assert report.conforms
    states = {line.split()[0] for line in report.notes if "states.ttl" in line}
    assert "state/BGD" in states or "state/BGD" not in (ROOT / "data" / "reference" / "states.ttl").read_text()


def test_citing_a_segment_already_in_the_graph_conforms(graph) -> None:
    # The segment's quote hangs off a blank node selector: the graph's description of the segment
    # must keep the link to it (it was lost between two answers, and the citation was a Violation).
    segments = graph.sparql("SELECT ?s WHERE { ?s a <https://w3id.org/bp-graph/ontology#Segment> ; "
                            "<http://www.w3.org/ns/oa#hasSource> <https://w3id.org/bp-graph/source/skopje-2019> } "
                            "ORDER BY ?s LIMIT 3").rows
    assert len(segments) == 3
    for (segment,) in segments:
        report = validate(f"""
            @prefix bp: <https://w3id.org/bp-graph/ontology#> .
            <https://w3id.org/bp-graph/participation/test-citation> a bp:Participation ;
                <http://www.w3.org/2000/01/rdf-schema#label> "Türkiye at the Skopje joint meeting 2019"@en ;
                bp:participant <https://w3id.org/bp-graph/state/TUR> ;
                bp:meeting <https://w3id.org/bp-graph/meeting/2019-10-09-skopje> ;
                <http://www.w3.org/ns/prov#wasDerivedFrom> <{segment.value}> .""".encode())
        assert report.conforms, report.text()


def test_a_statement_about_every_project_and_document_of_the_graph_passes_the_shapes(graph) -> None:
    # A project or document must be derived from a segment; for one the graph already holds, the
    # graph's provenance counts, quote selectors and source documents included (they were two hops
    # away from what the neighbourhood fetched: each such statement was a Violation).
    rows = graph.sparql("SELECT DISTINCT ?x WHERE { VALUES ?kind { <https://w3id.org/bp-graph/ontology#Project> "
                        "<https://w3id.org/bp-graph/ontology#Document> } ?x a ?kind } ORDER BY ?x").rows
    assert len(rows) >= 20
    statements = "".join(f'<{x.value}> <https://w3id.org/bp-graph/ontology#purpose> "tested"@en .\n' for (x,) in rows)
    report = validate(statements.encode())
    assert report.triples == len(rows)
    shapes = [f for f in report.findings if f.severity == "Violation" and f.shape != NEW_NODES_ONLY_SHAPE]
    assert shapes == [], report.text()  # a source's own slip stays a Warning
    # and each is a fact added to a node the data describes, which submit refuses
    changed = {f.focus for f in report.findings if f.shape == NEW_NODES_ONLY_SHAPE and f.path == f"{BASE}ontology#purpose"}
    assert changed == {x.value for (x,) in rows}


@pytest.mark.parametrize("written, why", [
    ('"2023-11-31"^^xsd:date', "'2023-11-31' is not an xsd:date: November 2023 has 30 days"),
    ('"08.11.2023"^^xsd:date', "'08.11.2023' is not an xsd:date: write it YYYY-MM-DD"),
    ('"2023-11-08"^^xsd:dateTime', "'2023-11-08' is not an xsd:dateTime: write it YYYY-MM-DDThh:mm:ss"),
])
def test_a_malformed_date_is_one_finding_that_says_what_is_wrong_with_it(written: str, why: str) -> None:
    """The finding said only 'is one xsd:date, ...', a dateTime came back as rdflib rewrote it
    ("2023-11-08T00:00:00"), and 08.11.2023 was also 'before the start date'."""
    text = DHAKA.read_text(encoding="utf-8")
    assert 'schema:endDate "2023-11-08"^^xsd:date' in text
    report = validate([("report.ttl", text.replace('schema:endDate "2023-11-08"^^xsd:date',
                                                   f"schema:endDate {written}").encode())])
    (finding,) = report.findings
    assert finding.path == "https://schema.org/endDate" and why in finding.message
    assert finding.value is not None and finding.value.value == written.split('"')[1]


def test_validation_says_what_submit_refuses_a_fact_added_to_a_node_the_data_describes() -> None:
    """validate said 'conforms' to a comment on state/TUR; submit refused it."""
    from bp_graph.resources import resource_dir

    report = validate(b'<https://w3id.org/bp-graph/state/TUR> <http://www.w3.org/2000/01/rdf-schema#comment> "c"@en .')
    (finding,) = report.findings
    assert (finding.focus, finding.shape, report.exit_code) == (BASE + "state/TUR", NEW_NODES_ONLY_SHAPE, 1)
    assert 'adds rdfs:comment "c"@en to it' in finding.message
    again = validate(b'<https://w3id.org/bp-graph/state/TUR> a <https://w3id.org/bp-graph/ontology#State> .')
    assert [(f.shape, "describes it again" in f.message) for f in again.findings] == [(NEW_NODES_ONLY_SHAPE, True)]
    # where the data holds it, and to leave the copy out
    states = resource_dir("data") / "reference" / "states.ttl"
    line = next(n for n, text in enumerate(states.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("state:TUR "))
    assert f"states.ttl:{line})" in again.findings[0].message and "leave its description out" in again.findings[0].message
    own = resource_dir("data") / "sources.ttl"  # a curator checking a file of the data: it describes its own nodes
    checked = validate(own)
    assert checked.triples > 10 and not [f for f in checked.findings if f.shape == NEW_NODES_ONLY_SHAPE]
    sent = validate([("sources.ttl", own.read_bytes())])  # the same content sent as a submission: refused
    assert sent.exit_code == 1 and {f.shape for f in sent.findings} == {NEW_NODES_ONLY_SHAPE}


_REPORT = """@prefix bp: <https://w3id.org/bp-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix mtg: <https://w3id.org/bp-graph/meeting/> .
@prefix state: <https://w3id.org/bp-graph/state/> .
<https://w3id.org/bp-graph/source/partner-report-2024> a bp:SourceDocument ;
    rdfs:label "A partner report"@en ; bp:fileName "partner-report-2024.txt" .
<https://w3id.org/bp-graph/source/partner-report-2024/para-1> a bp:Segment ;
    oa:hasSource <https://w3id.org/bp-graph/source/partner-report-2024> ; bp:locator "para 1" ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Working Group 2 met in Vienna in March 2024." ] .
mtg:2024-03-12-vienna rdfs:label "WG meeting Vienna"@en ; schema:startDate "2024-03-12"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/bp-graph/source/partner-report-2024/para-1> ;
"""


@pytest.mark.parametrize(("meeting", "expected"), [
    # a Warning on the node does not hide the domain Violation (both are node-level results)
    ('a bp:WorkingGroupMeeting ; bp:dialogue <https://w3id.org/bp-graph/dialogue/budapest-process> ; '
     'bp:statedActionCount 12 ; bp:statedCountryCount 5 .\n<https://w3id.org/bp-graph/participation/x-tur> '
     'a bp:Participation ; bp:participant state:TUR ; bp:meeting mtg:2024-03-12-vienna ; '
     'prov:wasDerivedFrom <https://w3id.org/bp-graph/source/partner-report-2024/para-1> .',
     [("Violation", None, "Only a bp:Document (or a node of a subclass) has bp:statedActionCount."),
      ("Warning", None, "The source gives 5 countries but lists 1 states.")]),
    # a misspelt class leaves out the domains it breaks, not the ranges
    ('a bp:WorkingGroupMeting ; bp:dialogue state:TUR ; bp:ordinal "24" .',
     [("Violation", "rdf:type", None), ("Violation", "bp:dialogue", "bp:dialogue points to a bp:Dialogue (a node typed "
                                        "bp:Dialogue or a subclass)."),
      ("Violation", "bp:ordinal", "bp:ordinal is an xsd:integer literal. (a plain string, not an xsd:integer: "
                                        'write "24"^^xsd:integer)')]),
    # a node without its type: one result naming the properties, not one per property
    ('bp:hostedBy state:TUR ; bp:openedBy state:TUR ; bp:rules "Chatham House Rule" .',
     [("Violation", None, "Only a bp:Meeting (or a node of a subclass) has bp:hostedBy, bp:openedBy or bp:rules.")]),
    # a value that a meeting shape's unworded constraints reject reads the generated message, once
    ('a bp:WorkingGroupMeeting ; bp:dialogue <https://w3id.org/bp-graph/dialogue/budapest-process> ; bp:ordinal "24" .',
     [("Violation", "bp:ordinal", "bp:ordinal is an xsd:integer literal. (a plain string, not an xsd:integer: "
                                        'write "24"^^xsd:integer)')]),
])
def test_domain_and_range_results_are_folded_into_the_others(meeting: str, expected: list) -> None:
    report = validate((_REPORT + "    " + meeting + "\n").encode())
    rdf, bp = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", BASE + "ontology#"
    got = sorted(((f.severity, f.path and f.path.replace(rdf, "rdf:").replace(bp, "bp:"),
                  None if f.path and f.path.startswith(rdf) else f.message)
                  for f in report.findings if f.focus == BASE + "meeting/2024-03-12-vienna"), key=str)
    assert got == sorted(expected, key=str), report.text()


def test_an_accepted_meeting_file_validates_again() -> None:
    # Its segments' quote selectors come twice (the file's and the store's, as different blank
    # nodes): the store's are not fetched for a segment the submission describes itself.
    report = validate(ROOT / "data" / "meetings" / "2019-10-09-skopje.ttl")
    assert report.conforms and report.counts["Violation"] == 0, report.text()[:2000]


def test_a_submission_cannot_add_ontology_terms() -> None:
    report = validate(b"@prefix bp: <https://w3id.org/bp-graph/ontology#> .\n"
                      b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\nbp:Meetings a owl:Class .\n")
    term, schema = report.findings
    assert term.key() == (BASE + "ontology#Meetings", None, "Violation")
    assert term.suggestions[0].iri == BASE + "ontology#Meeting"
    assert schema.key() == (BASE + "ontology#Meetings", RDF_TYPE, "Violation") and "schema statement" in schema.message


# ---------------------------------------------------------------------------------------- formats

def _dhaka_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(DHAKA, format="turtle")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own TriG and N-Quads serialisers
@pytest.mark.parametrize("fmt,extension", [("json-ld", ".jsonld"), ("xml", ".rdf"), ("nt", ".nt"),
                                           ("nquads", ".nq"), ("trig", ".trig"), ("turtle", ".ttl")])
def test_every_input_format_is_read_by_extension_and_by_content(tmp_path: Path, fmt: str, extension: str) -> None:
    graph = _dhaka_graph()
    if fmt in ("nquads", "trig"):
        dataset = rdflib.Dataset()
        named = dataset.graph(rdflib.URIRef(BASE + "graph/submission"))
        for triple in graph:
            named.add(triple)
        data = dataset.serialize(format=fmt, encoding="utf-8")
    else:
        data = graph.serialize(format=fmt, encoding="utf-8")
    path = tmp_path / f"submission{extension}"
    path.write_bytes(data)
    by_name = validate(path)
    assert by_name.conforms, by_name.text()
    assert by_name.triples == len(graph)
    assert sniff_format(data) == fmt or (fmt, sniff_format(data)) in {("trig", "turtle"), ("nt", "turtle")}
    by_content = validate(("upload", data))  # no extension: the content decides
    assert by_content.conforms and by_content.triples == len(graph), by_content.text()
    if fmt in ("nquads", "trig"):
        assert any("named graphs" in note for note in by_name.notes)


def test_several_files_are_one_submission() -> None:
    graph = _dhaka_graph()
    meeting = rdflib.URIRef(BASE + "meeting/2023-11-07-dhaka")
    first, second = rdflib.Graph(), rdflib.Graph()
    for s, p, o in graph:
        (first if s == meeting else second).add((s, p, o))
    report = validate([("meeting.ttl", first.serialize(format="turtle", encoding="utf-8")),
                       ("rest.jsonld", second.serialize(format="json-ld", encoding="utf-8"))])
    assert report.conforms, report.text()
    assert report.sources == ("meeting.ttl", "rest.jsonld")


def test_a_str_is_a_path_and_bytes_are_content(tmp_path: Path) -> None:
    report = validate(str(DHAKA))
    assert report.conforms
    # bytes are never taken for a path or URL: this is (bad) content, not the file it names
    report = validate(str(DHAKA).encode())
    assert report.exit_code == 2 and report.errors[0].kind == "syntax"


# ---------------------------------------------------------------------------------------- parse errors

def test_parse_errors_of_several_files_are_all_reported_with_line_column_text_and_hint(tmp_path: Path) -> None:
    bad_ttl = tmp_path / "bad.ttl"
    bad_ttl.write_text("@prefix bp: <https://w3id.org/bp-graph/ontology#> .\n"
                       "mtg:2023-x a bp:Meeting .\n", encoding="utf-8")
    bad_json = tmp_path / "bad.jsonld"
    bad_json.write_text('{\n  "@id": "https://w3id.org/bp-graph/x",\n  "http://e/p": [1, 2,]\n}\n', encoding="utf-8")
    bad_xml = tmp_path / "bad.rdf"
    bad_xml.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                       '  <rdf:Description rdf:about="https://w3id.org/bp-graph/x">\n</rdf:RDF>\n', encoding="utf-8")
    bad_nt = tmp_path / "bad.nt"
    bad_nt.write_text('<https://w3id.org/bp-graph/a> <http://e/p> "ok" .\n'
                      '<https://w3id.org/bp-graph/a> <http://e/p> "unterminated .\n', encoding="utf-8")
    report = validate([bad_ttl, bad_json, bad_xml, bad_nt, tmp_path / "missing.ttl"])
    assert report.exit_code == 2 and not report.conforms and report.findings == ()
    errors = {Path(e.source).name: e for e in report.errors}
    assert set(errors) == {"bad.ttl", "bad.jsonld", "bad.rdf", "bad.nt", "missing.ttl"}
    ttl = errors["bad.ttl"]
    assert (ttl.kind, ttl.line, ttl.column) == ("syntax", 2, 1)
    assert ttl.text == "mtg:2023-x a bp:Meeting ." and "mtg" in ttl.message
    assert ttl.hint == 'add "@prefix mtg: <https://w3id.org/bp-graph/meeting/> ." at the top of the file'
    assert (errors["bad.jsonld"].line, errors["bad.jsonld"].column) == (3, 23)  # the "]" after "2,"
    assert errors["bad.jsonld"].hint and "trailing comma" in errors["bad.jsonld"].hint
    assert errors["bad.rdf"].line == 3 and "mismatched tag" in errors["bad.rdf"].message
    assert errors["bad.nt"].line == 2 and errors["bad.nt"].text.endswith('"unterminated .')
    assert errors["missing.ttl"].kind == "io"
    text = report.text()
    assert "bad.ttl:2:1:" in text and "    2 | mtg:2023-x a bp:Meeting ." in text and "hint:" in text
    assert isinstance(ttl.exception(), ParseError) and ttl.exception().line == 2


@pytest.mark.parametrize("name, content, input_format, place, hint", [
    # the sniffer took the IRI with a space for an XML tag: "looks like RDF/XML" misled
    ("space.nt", '<https://w3id.org/bp-graph/a b> <http://e/p> "x" .\n', None, (1, 29), "percent-encode"),
    # a line without its dot is no N-Triples, so the sniffer's fallback said Turtle; Oxigraph said line 2
    ("nodot.nt", '<https://w3id.org/bp-graph/a> <http://e/p> "x"\n', None, (1, 47), "ends with ' .'"),
    # Turtle may start with [ (JSON's sniffer took it for JSON-LD), and read as Turtle N-Triples is no other format
    ("list.ttl", '[] <http://www.w3.org/2000/01/rdf-schema#comment> "x"@en ;; <http://e/p> .\n', None, (1, 74),
     "a statement is subject, predicate, object"),
    ("nodot.ttl", '<http://e/a> <http://e/p> "x"\n', None, (1, 30), "ends with ' .'"),
    ("turtle.txt", '@prefix e: <http://e/> .\ne:a e:p "x" .\n', "json-ld", (1, 1),
     "starts with '{' or '['; its content looks like Turtle: give it the .ttl extension"),
    # the extension says Turtle too: the format chosen is the mistake, not the name
    ("turtle.ttl", '@prefix e: <http://e/> .\ne:a e:p "x" .\n', "json-ld", (1, 1),
     "starts with '{' or '['; its content and its .ttl extension say Turtle: leave the input format out"),
])
def test_parse_error_hints_name_another_format_only_when_the_content_shows_it(
        tmp_path: Path, name: str, content: str, input_format: InputFormat | None, place: tuple[int, int],
        hint: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (error,) = validate(path, format=input_format).errors
    assert (error.line, error.column) == place and error.hint and hint in error.hint
    assert "looks like" not in error.hint or input_format


def test_a_mismatched_extension_is_hinted(tmp_path: Path) -> None:
    path = tmp_path / "report.ttl"
    path.write_text('{"@id": "https://w3id.org/bp-graph/x", "http://e/p": "y"}', encoding="utf-8")
    (error,) = validate(path).errors
    assert error.hint and "looks like JSON-LD" in error.hint and ".jsonld" in error.hint


def test_terms_no_store_accepts_are_parse_errors_with_their_place_in_json_ld_and_rdf_xml_too(tmp_path: Path) -> None:
    """rdflib's JSON-LD and RDF/XML parsers keep IRIs with braces or spaces (Turtle's does not, nor
    does the store an accepted submission goes into); its JSON-LD parser drops a value with a
    malformed language tag without a word, its RDF/XML parser refuses it without saying where."""
    iri_label = '"http://www.w3.org/2000/01/rdf-schema#label"'
    (tmp_path / "braces.jsonld").write_text(
        f'{{\n  "@id": "http://example.org/{{x}}",\n  {iri_label}: {{"@value": "x", "@language": "en"}}\n}}\n',
        encoding="utf-8")
    (tmp_path / "tag.jsonld").write_text(
        f'{{"@id": "{BASE}meeting/x",\n {iri_label}: {{"@value": "x", "@language": "en_GB"}}}}\n', encoding="utf-8")
    for name, about, tag in [("space.rdf", "meeting/a b", "en"), ("tag.rdf", "meeting/x", "en GB")]:
        (tmp_path / name).write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
                                     '         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
                                     f'  <rdf:Description rdf:about="{about}">\n'
                                     f'    <rdfs:label xml:lang="{tag}">x</rdfs:label>\n  </rdf:Description>\n</rdf:RDF>\n',
                                     encoding="utf-8")
    # @reverse with a literal: rdflib makes a triple with a literal subject (a TypeError traceback once)
    (tmp_path / "reverse.jsonld").write_text(f'{{"@id": "{BASE}meeting/x", "@reverse": {{{iri_label}: "lit"}}}}\n',
                                             encoding="utf-8")
    report = validate(sorted(tmp_path.iterdir()))
    assert report.exit_code == 2 and report.findings == ()
    errors = {Path(e.source).name: (e.kind, e.line, e.column, e.message, e.hint) for e in report.errors}
    kind, line, column, message, hint = errors["braces.jsonld"]
    assert (kind, line, column) == ("syntax", 2, 11) and "<http://example.org/{x}>" in message and "'{'" in message
    kind, line, column, message, hint = errors["space.rdf"]
    assert (line, column) == (3, 31) and f"<{BASE}meeting/a b>" in message and "percent-encode" in hint
    kind, line, column, message, hint = errors["tag.jsonld"]
    assert (line, column) == (2, 77) and "'en_GB'" in message and "fr-BE" in hint  # the tag's opening quote
    kind, line, column, message, hint = errors["tag.rdf"]
    assert (line, column) == (4, 26) and "'en GB'" in message and "fr-BE" in hint
    kind, line, column, message, hint = errors["reverse.jsonld"]
    assert kind == "syntax" and '"lit" is not a valid RDF term: a subject must be an IRI' in message


def test_a_key_given_twice_in_one_json_object_is_refused_where_it_comes_again(tmp_path: Path) -> None:
    # JSON keeps the last value silently: "para 1" would be lost. The same key in two objects is fine.
    path = tmp_path / "twice.jsonld"
    path.write_text('[{"@id": "https://w3id.org/bp-graph/source/x/para-1", "http://www.w3.org/2000/01/rdf-schema#label": '
                    '"a",\n  "https://w3id.org/bp-graph/ontology#locator": "para 1", "tag": {"a": 1},\n'
                    '  "https://w3id.org/bp-graph/ontology#locator": "para 2"},\n'
                    ' {"@id": "https://w3id.org/bp-graph/source/x/para-2", "http://www.w3.org/2000/01/rdf-schema#label": "b"}]\n',
                    encoding="utf-8")
    (error,) = validate(path).errors
    assert (error.kind, error.line, error.column) == ("syntax", 3, 3) and "comes twice in one object" in error.message
    assert error.hint and "a list of its values" in error.hint


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_json_ld_container_maps_and_json_literals_are_read_whole(tmp_path: Path) -> None:
    """Their keys are data (languages, indexes, JSON), not properties: nothing refuses them."""
    path = tmp_path / "maps.jsonld"
    path.write_text(json.dumps({
        "@context": {"label": {"@id": "http://www.w3.org/2000/01/rdf-schema#label", "@container": "@language"},
                     "data": {"@id": "http://www.w3.org/2000/01/rdf-schema#comment", "@type": "@json"}},
        "@id": f"{BASE}meeting/x", "label": {"en": "x", "fr": "y"}, "data": {"key": 1, "_:b": 2}}), encoding="utf-8")
    report = validate(path)
    assert report.errors == () and report.triples == len(rdflib.Graph().parse(path, format="json-ld")) == 3


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
@pytest.mark.parametrize("extra, message, where", [
    (',\n "lable": "x"', "JSON-LD drops the key 'lable' and its values: no @context defines it", (3, 2)),
    (',\n "@tpye": "x"', "JSON-LD drops the key '@tpye' and its values: it is an @-word that is no keyword", (3, 2)),
    (',\n "skip": "x"', "JSON-LD drops the key 'skip' and its values", (3, 2)),  # its use, not its definition
    (',\n "_:b0": "x"', "the blank node _:b0 is used as a property", (3, 2)),
    (',\n "http://www.w3.org/2000/01/rdf-schema#comment": {"@value": "x", "@id": "y"}',
     "invalid JSON-LD (invalid value object)", None),
])
def test_json_ld_keys_that_expansion_drops_are_parse_errors_with_their_place(
        tmp_path: Path, extra: str, message: str, where: tuple[int, int] | None) -> None:
    """JSON-LD drops a key that no context defines (a typo), an @-word that is no keyword, a term
    mapped to null and a blank-node property, values and all: the submission would lose them silently."""
    path = tmp_path / "dropped.jsonld"
    path.write_text('{"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label", "skip": null},\n'
                    f' "@id": "{BASE}meeting/x", "label": "x"{extra}}}\n', encoding="utf-8")
    report = validate(path)
    assert report.exit_code == 2 and len(report.errors) == 1
    error = report.errors[0]
    assert error.kind == "syntax" and message in error.message and error.hint
    assert (None if error.line is None else (error.line, error.column)) == where


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_an_at_word_is_named_before_a_term_that_may_be_null_only_elsewhere(tmp_path: Path) -> None:
    """PyLD says neither which key it dropped: an @-word is dropped wherever it stands, a term
    mapped to null only where that context is in scope (here a nested context maps it again)."""
    path = tmp_path / "scoped.jsonld"
    path.write_text('{"@context": {"skip": null, "a": "http://e/a"}, "@id": "https://w3id.org/bp-graph/meeting/x",\n'
                    ' "a": {"@context": {"skip": "http://e/s"}, "@id": "https://w3id.org/bp-graph/meeting/y", '
                    '"skip": 1},\n "@foo": 2}\n', encoding="utf-8")
    (error,) = validate(path).errors
    assert "drops the key '@foo'" in error.message and (error.line, error.column) == (3, 2)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_a_dropped_key_is_located_at_its_use_not_at_its_definition_in_a_scoped_context(tmp_path: Path) -> None:
    """The error pointed at line 1, where a property's own context defines 'lable', not at the top
    level where it is used and undefined."""
    path = tmp_path / "scoped-definition.jsonld"
    path.write_text('{"@context": {"a": {"@id": "http://e/a", "@context": {"lable": "http://e/l"}}},\n'
                    f' "@id": "{BASE}meeting/x",\n "lable": "x"}}\n', encoding="utf-8")
    (error,) = validate(path).errors
    assert "drops the key 'lable'" in error.message and (error.line, error.column) == (3, 2)


@pytest.mark.parametrize("name, content, message, where", [
    ("direction.ttl", 'VERSION "1.2"\n<https://w3id.org/bp-graph/meeting/x> '
     '<http://www.w3.org/2000/01/rdf-schema#comment> "\u062a\u0642\u0631\u064a\u0631"@ar--rtl .\n',
     "base directions (@ar--rtl)", (2, 93)),
    ("direction.jsonld", '{"@id": "https://w3id.org/bp-graph/meeting/x",\n "http://www.w3.org/2000/01/rdf-schema#label": '
     '{"@value": "x", "@language": "ar", "@direction": "rtl"}}\n', "@direction 'rtl'", (2, 83)),
    ("triple-term.ttl", 'VERSION "1.2"\n<https://w3id.org/bp-graph/a> <http://e/p> '
     '<<( <http://e/s> <http://e/p> <http://e/o> )>> .\n', "triple terms", (2, 44)),
])
def test_rdf_1_2_terms_the_data_cannot_keep_are_refused_with_their_place(
        tmp_path: Path, name: str, content: str, message: str, where: tuple[int, int]) -> None:
    """rdflib keeps no base direction: '@ar--rtl' was accepted and written as '@ar'."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (error,) = validate(path).errors
    assert error.kind == "unsafe" and message in error.message and (error.line, error.column) == where


@pytest.mark.parametrize("name, content, message, where", [
    ("bogus.rdf", b'<?xml version="1.0" encoding="bogus"?>\n<r/>\n', 'says encoding="bogus"', ":1:31:"),
    # read as Latin-1 by the parsers, UTF-8 "\xc3\xbc" was accepted as "\xc3\xbc" (two characters)
    ("latin1.rdf", '<?xml version="1.0" encoding="ISO-8859-1"?>\n<rdf:RDF '
     'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
     '<rdf:Description rdf:about="meeting/x"><rdfs:label xml:lang="en">T\u00fcrkiye</rdfs:label>'
     '</rdf:Description></rdf:RDF>\n'.encode(), 'says encoding="ISO-8859-1"', ":1:31:"),
    # accepted, it made the published RDF/XML, HTML and the server's XML results ill-formed
    ("control.ttl", b'<https://w3id.org/bp-graph/source/x> <http://www.w3.org/2000/01/rdf-schema#label> '
     b'"a \\u0001 b"@en .\n', "U+0001 is a character XML cannot carry", ":1:86:"),
    # the message held the lone surrogate, and printing it crashed the command line
    ("surrogate.jsonld", b'{"@id": "https://w3id.org/bp-graph/meeting/x",\n'
     b' "http://www.w3.org/2000/01/rdf-schema#label": "K1 \\ud800 x"}\n', "\\ud800 is half of a UTF-16", ":2:52:"),
])
def test_text_that_is_not_what_it_says_is_a_parse_error_on_the_command_line(
        tmp_path: Path, name: str, content: bytes, message: str, where: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    done = run_cli("validate", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{path}{where} " in done.stdout and message in done.stdout, done.stdout


def test_parse_submission_raises_the_library_errors() -> None:
    with pytest.raises(ParseError) as info:
        parse_submission(("x.ttl", b"<https://w3id.org/bp-graph/a> <http://e/p> .\n"))
    assert info.value.source == "x.ttl" and info.value.line == 1
    with pytest.raises(ParseError, match="empty"):
        parse_submission(("x.ttl", b""))
    with pytest.raises(SubmissionError, match="owl:imports"):
        parse_submission(("x.ttl", b"<https://w3id.org/bp-graph/a> <http://www.w3.org/2002/07/owl#imports> <http://e/> ."))


# ---------------------------------------------------------------------------------------- reports

def test_text_report_groups_findings_by_focus_node_with_message_path_and_value() -> None:
    report = validate(FIXTURES / "invalid" / "unknown-property.ttl")
    text = report.text()
    lines = text.splitlines()
    assert lines[0].endswith("s)") and "DOES NOT CONFORM: 2 Violations" in lines[0]
    heads = [ln for ln in lines if ln.startswith("<https://w3id.org/bp-graph/participation/")]
    assert len(heads) == 1 and "unknown-property.ttl:" in heads[0]  # one group, with the line of the node
    assert "  Violation bp:partcipant  state:BGR" in text
    assert "Did you mean bp:participant" in text
    assert "A participation names exactly one participant" in text


def test_turtle_report_is_the_standard_shacl_report() -> None:
    report = validate(FIXTURES / "invalid" / "empty-quote.ttl")
    graph = rdflib.Graph().parse(data=report.turtle(), format="turtle")
    (node,) = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(node, SH.result))
    assert len(results) == len(report.findings) == 3
    for result in results:
        assert (result, rdflib.RDF.type, SH.ValidationResult) in graph
        assert graph.value(result, SH.resultSeverity) == SH.Violation
        for prop in (SH.focusNode, SH.resultMessage, SH.sourceShape, SH.sourceConstraintComponent, SH.resultPath):
            assert graph.value(result, prop) is not None, prop
    ok = rdflib.Graph().parse(data=validate(DHAKA).turtle(), format="turtle")
    assert ok.value(next(ok.subjects(rdflib.RDF.type, SH.ValidationReport)), SH.conforms) == rdflib.Literal(True)


def test_json_report_for_programs() -> None:
    doc = json.loads(validate(FIXTURES / "invalid" / "unknown-state.ttl").json())
    assert doc["conforms"] is False and doc["exit_code"] == 1 and doc["counts"]["Violation"] == 1
    (finding,) = doc["findings"]
    assert finding["value"] == {"type": "uri", "value": BASE + "state/TRK"}
    assert finding["suggestions"][0] == {"iri": BASE + "state/TUR", "label": "Türkiye"}
    assert finding["line"] and finding["source"].endswith("unknown-state.ttl")


def test_inference_options_run() -> None:
    for inference in ("rdfs", "owlrl"):
        report = validate(FIXTURES / "invalid" / "missing-date.ttl", inference=inference)  # type: ignore[arg-type]
        assert report.inference == inference
        assert (BASE + "meeting/2023-06-13-varna", "https://schema.org/startDate", "Violation") in \
            [f.key() for f in report.findings]


def test_a_valid_submission_conforms_under_owl_rl_inference() -> None:
    # The closure makes bp:Meeting a subclass of itself: a shape counting a meeting's kinds among
    # the subclasses of bp:Meeting must not count bp:Meeting (it found every meeting two kinds).
    report = validate(DHAKA, inference="owlrl")
    assert report.conforms, report.text()


# ---------------------------------------------------------------------------------------- command line

def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    ok = run_cli("validate", str(DHAKA))
    assert ok.returncode == 0 and "conforms" in ok.stdout, ok.stderr
    bad = run_cli("validate", str(FIXTURES / "invalid" / "unknown-state.ttl"), "--format", "json")
    assert bad.returncode == 1 and json.loads(bad.stdout)["counts"]["Violation"] == 1
    warn = FIXTURES / "invalid" / "stated-count-mismatch.ttl"
    assert run_cli("validate", str(warn)).returncode == 0
    assert run_cli("validate", str(warn), "--strict").returncode == 1
    shacl = run_cli("validate", str(warn), "--strict", "--format", "turtle")
    assert "sh:ValidationReport" in shacl.stdout and "sh:Warning" in shacl.stdout
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    broken = run_cli("validate", str(empty), str(tmp_path / "missing.ttl"))
    assert broken.returncode == 2 and "empty.ttl" in broken.stdout and "missing.ttl" in broken.stdout
    assert "Traceback" not in broken.stdout + broken.stderr
    piped = run_cli("validate", "-", "--input-format", "turtle", input=DHAKA.read_text(encoding="utf-8"))
    assert piped.returncode == 0, piped.stdout + piped.stderr
    assert run_cli("validate").returncode == 2  # usage error: no FILES


# ---------------------------------------------------------------------------------------- the whole data

def test_a_data_folder_that_is_missing_or_empty_is_an_error_not_a_conforming_graph(tmp_path: Path) -> None:
    with pytest.raises(ResourceNotFound, match="no such data folder"):
        validate_data(data_dir=tmp_path / "missing")
    done = run_cli("validate", "--all-data", "--data-dir", str(tmp_path))
    assert done.returncode == 2 and done.stderr == f"bp-graph: error: {tmp_path}: no .ttl file in this data folder\n"


def test_the_whole_packaged_data_has_no_violation() -> None:
    report = validate_data()
    assert report.errors == (), report.text()
    violations = [f for f in report.findings if f.severity == "Violation"]
    assert violations == [], report.text()


# ---------------------------------------------------------------------------------------- hostile inputs

class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (none may arrive)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        time.sleep(0.3)  # let a late connection arrive before counting
        server.close()
        assert server.connections == 0, "a submission made bp-graph open a network connection"


@pytest.fixture()
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) any Python-level outgoing connection during the test."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access during validation")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def nested(depth: int, open_: str, close: str, inner: str) -> str:
    return open_ * depth + inner + close * depth


def hostile_inputs(url: str) -> dict[str, tuple[str, bytes, set[str]]]:
    """name -> (file name, content, acceptable error kinds)."""
    ttl = "@prefix ex: <http://example.org/> .\n"
    big = "x" * 60_000
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
              + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                        for i in range(1, 10))
              + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
              '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>\n')
    return {
        "remote-context": ("a.jsonld", json.dumps({"@context": f"{url}/context.jsonld", "@id": "http://example.org/a",
                                                  "name": "x"}).encode(), {"unsafe"}),
        "remote-context-in-list": ("a.jsonld", json.dumps({"@context": [{"ex": "http://example.org/"}, f"{url}/c"],
                                                          "@id": "ex:a", "ex:p": "x"}).encode(), {"unsafe"}),
        "scoped-remote-context": ("a.jsonld", json.dumps({"@context": {"p": {"@id": "http://example.org/p",
                                                                            "@context": f"{url}/scoped"}},
                                                         "@id": "http://example.org/a", "p": {"q": 1}}).encode(), {"unsafe"}),
        "context-import": ("a.jsonld", json.dumps({"@context": {"@version": 1.1, "@import": f"{url}/import"},
                                                  "@id": "http://example.org/a"}).encode(), {"unsafe"}),
        "file-context": ("a.jsonld", json.dumps({"@context": "file:///etc/passwd", "@id": "http://example.org/a"}).encode(),
                         {"unsafe"}),
        "xxe-external": ("a.rdf", (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "{url}/xxe">]>\n'
                                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                                   'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
                                   '<ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>').encode(), {"unsafe"}),
        "xxe-parameter-entity": ("a.rdf", (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/dtd"> %p;]>\n'
                                           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>').encode(),
                                 {"unsafe"}),
        "billion-laughs": ("a.rdf", laughs.encode(), {"unsafe"}),
        "billion-laughs-sniffed": ("upload", laughs.encode(), {"unsafe"}),
        "owl-imports": ("a.ttl", (ttl + f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                                  f"  <http://www.w3.org/2002/07/owl#imports> <{url}/ontology.ttl> .\n").encode(), {"unsafe"}),
        "shapes-in-submission": ("a.ttl", (ttl + "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                                           "ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
                                           f'"SELECT $this WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}" ] .\n').encode(),
                                 {"unsafe"}),
        "oversized-literal-turtle": ("a.ttl", (ttl + f'ex:a ex:p "{big}" .\n').encode(), {"limit"}),
        "oversized-long-literal-turtle": ("a.ttl", (ttl + f'ex:a ex:p """{big}\n{big}""" .\n').encode(), {"limit"}),
        "oversized-literal-jsonld": ("a.jsonld", json.dumps({"@id": "http://example.org/a",
                                                            "http://example.org/p": big}).encode(), {"limit"}),
        "oversized-literal-xml": ("a.rdf", ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                                            'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
                                            f"<ex:p>{big}</ex:p></rdf:Description></rdf:RDF>").encode(), {"limit"}),
        "nested-blank-nodes": ("a.ttl", (ttl + "ex:a ex:p " + nested(100_000, "[ ex:p ", " ]", "ex:b") + " .\n").encode(),
                               {"limit"}),
        "nested-lists": ("a.ttl", (ttl + "ex:a ex:p " + nested(100_000, "( ", " )", "ex:b") + " .\n").encode(), {"limit"}),
        "nested-jsonld": ("a.jsonld", ('{"@id": "http://example.org/a", "http://example.org/p": '
                                       + nested(100_000, '{"http://example.org/p": ', "}", '"x"') + "}").encode(),
                          {"limit"}),
        "nested-xml": ("a.rdf", ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                                 'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
                                 + nested(100_000, '<ex:p rdf:parseType="Resource">', "</ex:p>", "")
                                 + "</rdf:Description></rdf:RDF>").encode(), {"limit"}),
        "long-line-ntriples": ("a.nt", ("".join(f'<http://example.org/a{i}> <http://example.org/p> "x" . '
                                                for i in range(40_000)) + "\n").encode(), {"limit"}),
        "binary": ("a.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64, {"syntax"}),
        "not-utf8": ("a.ttl", (ttl + "ex:a ex:p \"").encode() + b"\xff\xfe\xfa" + b'" .\n', {"syntax"}),
        "utf16": ("a.ttl", (ttl + 'ex:a ex:p "x" .\n').encode("utf-16"), {"syntax"}),
        "empty": ("a.ttl", b"", {"syntax"}),
        "whitespace-only": ("a.ttl", b" \n\t\n", {"syntax"}),
        "no-triples": ("a.ttl", (ttl + "# only a comment\n").encode(), {"syntax"}),
        "too-many-bytes": ("a.ttl", (ttl + "# " + "y" * 5_000_001 + "\n").encode(), {"limit"}),
    }


HOSTILE = list(hostile_inputs("http://127.0.0.1:1"))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_ends_in_a_clear_error_within_seconds_without_network(
        name: str, listener: Listener, no_sockets: list[object], tmp_path: Path) -> None:
    file_name, data, kinds = hostile_inputs(listener.url)[name]
    started = time.perf_counter()
    if file_name == "upload":
        report = validate(("upload", data))
    else:
        path = tmp_path / file_name
        path.write_bytes(data)
        report = validate(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{name} took {elapsed:.1f} s"
    assert report.exit_code == 2 and report.findings == ()
    (error,) = report.errors
    assert error.kind in kinds, str(error)
    assert error.message and len(error.message) < 400
    assert "Traceback" not in report.text()
    assert no_sockets == []


def test_too_many_triples_is_refused_while_parsing(listener: Listener) -> None:
    ttl = "@prefix ex: <http://example.org/> .\n" + "".join(f"ex:a ex:p ex:o{i} .\n" for i in range(200))
    jsonld = json.dumps([{"@id": f"http://example.org/a{i}", "http://example.org/p": "x"} for i in range(200)])
    for name, data in (("a.ttl", ttl.encode()), ("a.jsonld", jsonld.encode())):
        report = validate((name, data), limits=Limits(max_triples=100))
        (error,) = report.errors
        assert error.kind == "limit" and "more than 100 triples" in error.message


def test_a_device_is_not_read(listener: Listener) -> None:
    started = time.perf_counter()
    report = validate("/dev/zero")
    assert time.perf_counter() - started < 2
    assert report.errors[0].kind == "io" and "not a regular file" in report.errors[0].message


def test_hostile_input_on_the_command_line_exits_2(listener: Listener, tmp_path: Path) -> None:
    file_name, data, _ = hostile_inputs(listener.url)["remote-context"]
    path = tmp_path / file_name
    path.write_bytes(data)
    done = run_cli("validate", str(path), "--format", "json")
    assert done.returncode == 2
    doc = json.loads(done.stdout)
    assert doc["errors"][0]["kind"] == "unsafe" and "remote JSON-LD context" in doc["errors"][0]["message"]


def test_empty_report_object_is_well_formed() -> None:
    report = ValidationReport(sources=("x",))
    assert report.conforms and json.loads(report.json())["findings"] == []
