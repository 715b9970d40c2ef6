"""Accepting submissions into data/: a new file named after the content, written atomically;
refusals (non-conforming, existing facts, duplicates, unsafe input) and crashes leave data/
byte for byte unchanged. Every test works on a copy of data/."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from bp_graph import (
    KnowledgeGraph,
    ParseError,
    ResourceNotFound,
    SubmissionConflict,
    SubmissionError,
    SubmissionRejected,
    submit,
    validate,
)
from bp_graph import submission as submission_module
from bp_graph.submission import HEADER_MARK, default_data_dir

from .conftest import ROOT, run_cli
from .test_validation import FIXTURES, Listener, hostile_inputs

DHAKA = FIXTURES / "valid" / "2023-11-07-dhaka.ttl"
BASE = "https://w3id.org/bp-graph/"
SOURCE_ONLY = b"""@prefix bp: <https://w3id.org/bp-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/bp-graph/source/partner-report-2023> a bp:SourceDocument ;
    rdfs:label "A partner's report on the 2023 Working Group meetings"@en ;
    bp:fileName "partner-report-2023.txt" .
"""


def tree_digest(root: Path) -> str:
    """A hash of every path (files and folders) and every file's bytes under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes() + b"\0")
        else:
            digest.update(b"<dir>\0")
    return digest.hexdigest()


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "checkout" / "data"
    shutil.copytree(default_data_dir(), copy)
    return copy


def test_a_conforming_meeting_becomes_a_new_meeting_file(data_copy: Path) -> None:
    before = files_of(data_copy)
    target = submit(DHAKA, data_dir=data_copy)
    assert target == data_copy / "meetings" / "2023-11-07-dhaka.ttl"
    assert files_of(data_copy) - before == {"meetings/2023-11-07-dhaka.ttl"} and before <= files_of(data_copy)
    written = target.read_bytes()
    digest = hashlib.sha256(DHAKA.read_bytes()).hexdigest()
    assert written.startswith(f"{HEADER_MARK}{digest} ".encode())
    assert written.endswith(DHAKA.read_bytes())  # the partner's Turtle as sent, comments included
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    # the written file reads back (as data/ is read: without a base IRI) into the validated triples
    assert isomorphic(rdflib.Graph().parse(target, format="turtle"),
                                     rdflib.Graph().parse(DHAKA, format="turtle"))
    graph = KnowledgeGraph.open(reasoning=False, files=sorted(data_copy.rglob("*.ttl")))
    assert graph.sparql(f"ASK {{ <{BASE}meeting/2023-11-07-dhaka> a ?kind }}").boolean
    assert not (data_copy.parent / ".data.bp-graph-staging").exists()  # the staging folder is removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_same_submission_twice_is_refused_and_changes_nothing(data_copy: Path) -> None:
    submit(DHAKA, data_dir=data_copy)
    before = tree_digest(data_copy)
    with pytest.raises(SubmissionConflict, match="accepted before as meetings/2023-11-07-dhaka.ttl"):
        submit(DHAKA, data_dir=data_copy)
    assert tree_digest(data_copy) == before


def test_existing_facts_are_never_overwritten(data_copy: Path, tmp_path: Path) -> None:
    submit(DHAKA, data_dir=data_copy)
    before = tree_digest(data_copy)
    again = tmp_path / "again.ttl"  # the same meeting with different bytes (not a byte-identical duplicate)
    again.write_bytes(DHAKA.read_bytes() + b"\n# sent again\n")
    with pytest.raises(SubmissionConflict, match="already describes"):
        submit(again, data_dir=data_copy)
    # a conforming statement about a node of the packaged data is refused as well
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://w3id.org/bp-graph/dialogue/budapest-process> '
                     '<https://w3id.org/bp-graph/ontology#acronym> "BP" .\n', encoding="utf-8")
    checked = validate(extra, data_dir=data_copy)  # validation says so first
    assert not checked.conforms and [f.focus for f in checked.findings] == [f"{BASE}dialogue/budapest-process"]
    with pytest.raises(SubmissionConflict, match="dialogue/budapest-process"):
        submit(extra, data_dir=data_copy)
    assert tree_digest(data_copy) == before


def test_an_existing_file_is_never_replaced(data_copy: Path) -> None:
    (data_copy / "meetings" / "2023-11-07-dhaka.ttl").write_text("# a curator's draft\n", encoding="utf-8")
    before = tree_digest(data_copy)
    with pytest.raises(SubmissionConflict, match="exists"):
        submit(DHAKA, data_dir=data_copy)
    assert tree_digest(data_copy) == before


def test_a_non_conforming_submission_is_rejected_with_its_report(data_copy: Path) -> None:
    before = tree_digest(data_copy)
    with pytest.raises(SubmissionRejected) as info:
        submit(FIXTURES / "invalid" / "unknown-state.ttl", data_dir=data_copy)
    assert info.value.exit_code == 1 and "nothing was written" in str(info.value)
    assert info.value.report.counts["Violation"] == 1  # type: ignore[attr-defined]
    with pytest.raises(SubmissionRejected):  # a Warning is refused with strict
        submit(FIXTURES / "invalid" / "stated-count-mismatch.ttl", data_dir=data_copy, strict=True)
    assert tree_digest(data_copy) == before


@pytest.mark.parametrize("content, check", [
    (b"<https://w3id.org/bp-graph/state/XXY> <http://www.w3.org/2002/07/owl#sameAs> "
     b"<https://w3id.org/bp-graph/state/TUR> .", "no-owl-sameas"),
    (b"[] <http://www.w3.org/2002/07/owl#sameAs> <https://w3id.org/bp-graph/state/TUR> .", "no-owl-sameas"),
    (b"@base <file:///etc/> .\n<passwd> <http://www.w3.org/2000/01/rdf-schema#label> \"x\"@en .",
     "no-relative-or-file-iris"),
    (b'<https://w3id.org/bp-graph/source/x> <http://www.w3.org/2000/01/rdf-schema#label> "a"@en, "b"@en .',
     "one-english-label"),
])
def test_what_the_quality_checks_refuse_is_never_accepted(data_copy: Path, tmp_path: Path, content: bytes,
                                                          check: str) -> None:
    """The build's quality checks that hold for data on its own hold for a submission too, and for
    the whole data folder it would join."""
    from bp_graph import validate_data

    before = tree_digest(data_copy)
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(content)
    with pytest.raises(SubmissionRejected) as info:
        submit(bad, data_dir=data_copy)
    report = info.value.report  # type: ignore[attr-defined]
    assert f"check:{check}" in {f.component for f in report.findings}, report.findings
    assert tree_digest(data_copy) == before
    written_by_hand = tmp_path / "by-hand"
    written_by_hand.mkdir()
    (written_by_hand / "bad.ttl").write_bytes(content)
    assert f"check:{check}" in {f.component for f in validate_data(data_dir=written_by_hand).findings}


@pytest.mark.parametrize("content", [
    # with reasoning every state would have become a foaf:Person (217 Violations in the data after)
    b"<http://www.w3.org/ns/org#FormalOrganization> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
    b"<http://xmlns.com/foaf/0.1/Person> .",
    b'<http://example.org/thing> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .',
    # the same harm through a project IRI: schema statements are the ontology's alone
    b"<https://w3id.org/bp-graph/source/x> <http://www.w3.org/2002/07/owl#equivalentClass> "
    b"<http://www.w3.org/ns/org#FormalOrganization> ; <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
    b"<http://xmlns.com/foaf/0.1/Person> .",
])
def test_statements_only_the_ontology_may_make_are_never_accepted(data_copy: Path, tmp_path: Path,
                                                                 content: bytes) -> None:
    from bp_graph import validate_data
    from bp_graph.validation import DATA_ONLY_COMPONENT

    before = tree_digest(data_copy)
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(content)
    with pytest.raises(SubmissionRejected) as info:
        submit(bad, data_dir=data_copy)
    findings = info.value.report.findings  # type: ignore[attr-defined]
    assert {f.component for f in findings} == {DATA_ONLY_COMPONENT}
    assert {f.focus for f in findings} == {content[1:content.index(b">")].decode()}
    assert tree_digest(data_copy) == before
    written_by_hand = tmp_path / "by-hand"
    written_by_hand.mkdir()
    (written_by_hand / "bad.ttl").write_bytes(content)
    assert DATA_ONLY_COMPONENT in {f.component for f in validate_data(data_dir=written_by_hand).findings}


@pytest.mark.parametrize("content, orphans", [
    (b'[] <http://www.w3.org/2000/01/rdf-schema#comment> "x"@en .', 1),
    # a cycle: each is pointed to, by the other (one finding for the cycle)
    (b'_:a <http://www.w3.org/2000/01/rdf-schema#seeAlso> _:b . _:b <http://www.w3.org/2000/01/rdf-schema#seeAlso> _:a .',
     1),
    (b'[] <http://www.w3.org/2000/01/rdf-schema#comment> "x"@en . '
     b'_:a <http://www.w3.org/2000/01/rdf-schema#seeAlso> _:b . _:b <http://www.w3.org/2000/01/rdf-schema#seeAlso> _:a .',
     2),
])
def test_blank_nodes_no_resource_points_to_are_never_accepted(data_copy: Path, tmp_path: Path, content: bytes,
                                                              orphans: int) -> None:
    """They describe nothing in the graph, and a second submission of them (the same triples in
    other bytes) could not be told from the first: it was accepted again, the facts twice."""
    from bp_graph.validation import DATA_ONLY_COMPONENT

    before = tree_digest(data_copy)
    bad = tmp_path / "orphan.ttl"
    bad.write_bytes(content)
    with pytest.raises(SubmissionRejected) as info:
        submit(bad, data_dir=data_copy)
    found = [f for f in info.value.report.findings if f.component == DATA_ONLY_COMPONENT]  # type: ignore[attr-defined]
    assert len(found) == orphans and all(f.focus.startswith("_:") and "no resource points to the blank node with "
                                         "rdfs:" in f.message for f in found)
    assert tree_digest(data_copy) == before


def test_anything_else_goes_to_submissions_under_its_hash(data_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.ttl"
    path.write_bytes(SOURCE_ONLY)
    target = submit(path, data_dir=data_copy)
    assert target.parent == data_copy / "submissions"
    assert target.stem == hashlib.sha256(SOURCE_ONLY).hexdigest()[:16]


def test_json_ld_is_written_as_turtle_that_reads_back_the_same(data_copy: Path, tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(DHAKA, format="turtle")
    path = tmp_path / "dhaka.jsonld"
    path.write_bytes(graph.serialize(format="json-ld", encoding="utf-8"))
    target = submit(path, data_dir=data_copy)
    assert target.name == "2023-11-07-dhaka.ttl"
    assert isomorphic(rdflib.Graph().parse(target, format="turtle"), graph)


def test_a_report_in_several_files_is_one_submission_as_validate_reads_it(data_copy: Path, tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(DHAKA, format="turtle")
    sources, rest = rdflib.Graph(), rdflib.Graph()
    for triple in graph:  # the report and its quotes (blank selectors) in one file, the meeting and the rest in another
        (sources if isinstance(triple[0], rdflib.BNode) or str(triple[0]).startswith(BASE + "source/") else rest).add(triple)
    first, second = tmp_path / "sources.ttl", tmp_path / "meeting.jsonld"
    first.write_bytes(sources.serialize(format="turtle", encoding="utf-8"))
    second.write_bytes(rest.serialize(format="json-ld", encoding="utf-8"))
    assert validate([first, second]).conforms and not validate(first).conforms  # neither stands alone
    result = run_cli("submit", str(first), str(second), "--data-dir", str(data_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    target = data_copy / "meetings" / "2023-11-07-dhaka.ttl"
    assert result.stdout.strip().endswith(str(target)) and isomorphic(rdflib.Graph().parse(target, format="turtle"), graph)
    assert "(sources.ttl, meeting.jsonld, accepted " in target.read_text(encoding="utf-8").splitlines()[0]
    before = tree_digest(data_copy)
    with pytest.raises(SubmissionConflict, match="accepted before as meetings/2023-11-07-dhaka.ttl"):
        submit([second, first], data_dir=data_copy)  # in any order
    assert tree_digest(data_copy) == before


def test_relative_iris_are_written_absolute(data_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_bytes(SOURCE_ONLY.replace(b"<https://w3id.org/bp-graph/source/partner-report-2023>",
                                         b"<source/partner-report-2023>"))
    target = submit(path, data_dir=data_copy)
    text = target.read_text(encoding="utf-8")
    assert "<source/partner-report-2023>" not in text
    assert (rdflib.URIRef(BASE + "source/partner-report-2023"), None, None) in rdflib.Graph().parse(target)


def test_unreadable_and_hostile_submissions_write_nothing(data_copy: Path, tmp_path: Path) -> None:
    listener = Listener()
    try:
        before = tree_digest(data_copy)
        for name in ("remote-context", "xxe-external", "billion-laughs", "owl-imports", "nested-blank-nodes",
                     "oversized-literal-turtle", "binary", "empty"):
            file_name, data, _ = hostile_inputs(listener.url)[name]
            path = tmp_path / f"{name}-{file_name}"
            path.write_bytes(data)
            with pytest.raises((ParseError, SubmissionError)):
                submit(path, data_dir=data_copy)
        with pytest.raises(ResourceNotFound):
            submit(tmp_path / "missing.ttl", data_dir=data_copy)
        assert tree_digest(data_copy) == before
    finally:
        listener.close()
    assert listener.connections == 0


def test_installed_package_data_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resources = tmp_path / "site-packages" / "bp_graph" / "_resources"
    shutil.copytree(default_data_dir(), resources / "data")
    monkeypatch.setattr(submission_module, "_installed_resources", lambda: resources)
    with pytest.raises(SubmissionError, match="installed bp-graph package"):
        submit(DHAKA, data_dir=resources / "data")


@pytest.mark.parametrize("point", ["after-validate", "mid-write", "before-rename"])
def test_a_kill_in_the_middle_leaves_data_unchanged(data_copy: Path, point: str) -> None:
    before = tree_digest(data_copy)
    done = run_cli("submit", str(DHAKA), "--data-dir", str(data_copy), env={"BP_GRAPH_TEST_CRASH_AT": point})
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    assert tree_digest(data_copy) == before
    # the next submission cleans up after the killed one and succeeds
    done = run_cli("submit", str(DHAKA), "--data-dir", str(data_copy))
    assert done.returncode == 0, done.stdout + done.stderr
    assert files_of(data_copy) == files_of(default_data_dir()) | {"meetings/2023-11-07-dhaka.ttl"}
    assert not list(data_copy.parent.glob(".data.bp-graph-staging/*"))


def test_concurrent_submissions_of_one_meeting_accept_exactly_one(data_copy: Path) -> None:
    command = [sys.executable, "-m", "bp_graph.cli", "submit", str(DHAKA), "--data-dir", str(data_copy), "--quiet"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    codes = sorted(p.wait(timeout=120) for p in processes)
    outputs = [p.communicate() for p in processes]
    assert codes == [0, 1], outputs
    assert files_of(data_copy) - files_of(default_data_dir()) == {"meetings/2023-11-07-dhaka.ttl"}


def test_submit_on_the_command_line(data_copy: Path) -> None:
    refused = run_cli("submit", str(FIXTURES / "invalid" / "missing-date.ttl"), "--data-dir", str(data_copy))
    assert refused.returncode == 1
    assert "schema:startDate" in refused.stdout and "nothing was written" in refused.stderr
    accepted = run_cli("submit", str(DHAKA), "--data-dir", str(data_copy))
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.strip().endswith("meetings/2023-11-07-dhaka.ttl")
    # the folder's graph, accepted meeting included, is what the other commands read with --data-dir
    listed = run_cli("query", "meetings", "--data-dir", str(data_copy), "--format", "csv", "--no-reasoning")
    assert listed.returncode == 0 and "/meeting/2023-11-07-dhaka," in listed.stdout
    states = run_cli("query", "meeting-states", "-p", "meeting=meeting/2023-11-07-dhaka", "--format", "csv",
                     "--no-reasoning", env={"BP_GRAPH_DATA_DIR": str(data_copy)})
    assert "/state/BGD," in states.stdout and states.stderr == ""
    assert "2023-11-07-dhaka" not in run_cli("query", "meetings", "--format", "csv", "--no-reasoning").stdout
    again = run_cli("submit", str(DHAKA), "--data-dir", str(data_copy))
    assert again.returncode == 1 and "accepted before" in again.stderr
    unreadable = run_cli("submit", str(data_copy / "nothing.ttl"), "--data-dir", str(data_copy))
    assert unreadable.returncode == 2 and "no such file" in unreadable.stdout
    # the report says what and where, the error line once that nothing was written (not the message again)
    assert unreadable.stderr == f"bp-graph: error: {data_copy / 'nothing.ttl'}: could not be read; nothing was written\n"
    broken = data_copy.parent / "broken.ttl"
    broken.write_text("<https://w3id.org/bp-graph/a> <http://e/p> .\n", encoding="utf-8")
    invalid = run_cli("submit", str(broken), "--data-dir", str(data_copy))
    assert invalid.returncode == 2 and f"{broken}:1:" in invalid.stdout
    assert invalid.stderr == f"bp-graph: error: {broken}: was refused (see above); nothing was written\n"
    for done in (refused, accepted, again, unreadable):
        assert "Traceback" not in done.stdout + done.stderr
    assert json.loads(run_cli("validate", str(DHAKA), "--format", "json").stdout)["conforms"] is True


def test_help_has_examples() -> None:
    for command in ("validate", "submit"):
        done = run_cli(command, "--help")
        assert done.returncode == 0 and "Examples:" in done.stdout, command


def test_the_checkout_data_is_the_default_target() -> None:
    assert default_data_dir() == ROOT / "data"
