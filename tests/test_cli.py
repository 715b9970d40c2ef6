"""The command line as a user runs it: formats, errors, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import click
import pytest
import rdflib

from bp_graph import KnowledgeGraph
from bp_graph.reasoning import cached_closure

from .conftest import free_port, run_cli


def test_query_json_is_the_w3c_results_format() -> None:
    done = run_cli("query", "meetings", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["head"]["vars"] == ["meeting", "label", "kind", "start", "end", "city", "country"]
    assert doc["results"]["bindings"], "no meetings"
    for binding in doc["results"]["bindings"]:
        assert binding["meeting"]["type"] == "uri"
        for cell in binding.values():
            assert set(cell) <= {"type", "value", "datatype", "xml:lang"} and cell["type"] in ("uri", "literal", "bnode")


def test_query_csv_and_tsv() -> None:
    done = run_cli("query", "states", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["state", "label", "iso3"] and len(rows) > 1
    tsv = run_cli("query", "states", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?state\t?label\t?iso3"
    assert tsv[1].startswith("<https://w3id.org/bp-graph/state/")


def test_query_with_parameters_and_the_rdflib_engine() -> None:
    oxigraph = run_cli("query", "meeting-states", "-p", "meeting=meeting/2016-12-15-antalya", "--format", "csv")
    rdflib_run = run_cli("query", "meeting-states", "-p", "meeting=meeting/2016-12-15-antalya", "--format", "csv",
                         "--engine", "rdflib")
    assert oxigraph.returncode == rdflib_run.returncode == 0
    assert oxigraph.stdout == rdflib_run.stdout


@pytest.mark.parametrize("param, note", [
    ("meeting=meeting/2019-10-09-skopj", "did you mean meeting/2019-10-09-skopje (Joint Meeting of the three"),
    ("meeting=2019-10-09-skopje", "did you mean meeting/2019-10-09-skopje"),  # the folder left out
])
def test_an_empty_answer_says_which_parameter_names_nothing_in_the_graph(param: str, note: str) -> None:
    """A misspelt resource gave 0 rows and nothing else: a typo looked like a fact."""
    done = run_cli("query", "meeting-states", "-p", param, "--format", "csv")
    assert done.returncode == 0 and done.stdout.splitlines() == ["state,label"]
    assert done.stderr.startswith(f"note: {param} names nothing in the graph") and note in done.stderr
    found = run_cli("query", "meeting-states", "-p", "meeting=meeting/2019-10-09-skopje", "--format", "csv")
    assert found.returncode == 0 and len(found.stdout.splitlines()) > 1 and found.stderr == ""


def test_results_as_sparql_xml_read_back_as_the_json_answer() -> None:
    """--format xml was refused for SELECT ("for CONSTRUCT/DESCRIBE"), though /sparql served it."""
    import xml.etree.ElementTree as ET

    from bp_graph import QueryResult, Term

    args = ("query", "meeting-states", "-p", "meeting=meeting/2016-12-15-antalya", "--format")
    as_xml, as_json = run_cli(*args, "xml"), run_cli(*args, "json")
    assert as_xml.returncode == 0 and as_json.returncode == 0
    space = "{http://www.w3.org/2005/sparql-results#}"
    rows = [{b.get("name"): b[0].text for b in r} for r in ET.fromstring(as_xml.stdout.encode()).iter(space + "result")]
    expected = [{k: v["value"] for k, v in b.items()} for b in json.loads(as_json.stdout)["results"]["bindings"]]
    assert rows == expected and len(rows) > 10
    with pytest.raises(ValueError, match="XML cannot carry"):
        QueryResult(["x"], [(Term("literal", "bell \x07"),)]).serialize("xml")
    from rdflib.query import Result

    crlf = QueryResult(["x"], [(Term("literal", "a\r\nb"),)]).serialize("xml")
    (value,) = Result.parse(io.BytesIO(crlf.encode()), format="xml").bindings[0].values()
    assert str(value) == "a\r\nb"  # a bare CR is read as LF


def test_an_iri_in_a_column_of_text_is_not_wrapped() -> None:
    from bp_graph import QueryResult, Term

    iri = "https://w3id.org/bp-graph/outcome/1996-oslo/1993-recommendations-largely-implemented"
    table = QueryResult(["o"], [(Term("uri", iri),), (Term("literal", "word " * 30),)])._table(40)
    assert "\noutcome/1996-oslo/1993-recommendations-largely-implemented\n" in table


def test_the_data_folder_variable_does_not_stop_a_query_on_an_endpoint(loaded_server: str) -> None:
    done = run_cli("query", "states", "--endpoint", f"{loaded_server}/query", "--format", "csv",
                   env={"BP_GRAPH_DATA_DIR": "/no/such/folder"})
    assert done.returncode == 0 and "/state/TUR," in done.stdout


def test_the_table_cuts_nothing_identifiers_stay_whole_and_long_text_wraps() -> None:
    """Every column was cut at 60 characters: IRIs could not be copied, quotes lost their ends."""
    csv_rows = list(csv.reader(io.StringIO(run_cli("query", "meetings", "--format", "csv").stdout)))[1:]
    longest = max((row[0].removeprefix("https://w3id.org/bp-graph/") for row in csv_rows), key=len)
    assert len(longest) > 60
    table = run_cli("query", "meetings", env={"COLUMNS": "80"}).stdout
    assert "…" not in table and f"\n{longest} " in table
    quotes = run_cli("query", "provenance", "-p", "resource=meeting/2019-10-09-skopje", "--format", "csv").stdout
    longest_quote = max((row[2] for row in csv.reader(io.StringIO(quotes))), key=len)
    wrapped = run_cli("query", "provenance", "-p", "resource=meeting/2019-10-09-skopje", env={"COLUMNS": "80"}).stdout
    assert max(map(len, wrapped.splitlines())) <= 80 and longest_quote.split()[-1] in wrapped
    column = wrapped.splitlines()[0].index("quote")  # the quote column's lines, read down, give the quote whole
    assert " ".join(longest_quote.split()) in " ".join(line[column:].strip() for line in wrapped.splitlines())


def test_an_empty_answer_says_which_parameter_names_a_resource_of_another_kind() -> None:
    done = run_cli("query", "common-states", "-p", "meeting=state/MKD", "-p", "other=meeting/2019-12-04-istanbul")
    assert done.returncode == 0 and "(0 rows)" in done.stdout
    assert done.stderr == "note: meeting=state/MKD is a bp:State, not a bp:Meeting\n"


@pytest.mark.parametrize("args, code, message", [
    (["query", "meeting-state"], 2, "did you mean 'meeting-states'"),
    (["query", "meeting-states"], 2, "needs parameter 'meeting'"),
    (["query", "meeting-states", "-p", "meeting=<http://a> } ; DROP ALL ; {"], 2, "not an IRI"),
    (["query", "states", "-p", "colour=red"], 2, "has no parameter 'colour'"),
    (["query", "meetings", "-p", "year=last"], 2, "not an integer"),
    (["query", "states", "-p", "noequals"], 2, "KEY=VALUE"),
    (["query", "meeting-states", "-p", "meeting=meeting/2019-10-09-skopje", "-p", "meeting=meeting/x"], 2,
     "'meeting' given twice"),
    (["query", "state-meetings", "-p", "state=http://e.org/a%zz"], 2, "parameter 'state': not a valid IRI"),
    (["query", "states", "--endpoint", "file:///etc/passwd"], 3, "not an http(s) URL"),
])
def test_errors_are_one_line_and_an_exit_code(args: list[str], code: int, message: str) -> None:
    done = run_cli(*args)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_unreachable_endpoint_is_a_clear_error() -> None:
    done = run_cli("query", "states", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--timeout", "5")
    assert done.returncode == 3
    assert "cannot reach" in done.stderr and "Traceback" not in done.stderr


def test_failing_endpoint_is_a_clear_error(oxigraph_server: str) -> None:
    done = run_cli("query", "states", "--endpoint", f"{oxigraph_server}/no-such-service")
    assert done.returncode == 3
    assert "answered with an error" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    # the two URLs of one server, swapped: each error says which URL the command needs
    store = run_cli("query", "states", "--endpoint", f"{oxigraph_server}/store")
    assert store.returncode == 3 and "is it the SPARQL query URL? (Oxigraph: http://host:port/query" in store.stderr
    query = run_cli("load-endpoint", f"{oxigraph_server}/query")
    assert query.returncode == 3 and "is it the Graph Store Protocol URL? (Oxigraph: http://host:port/store" in query.stderr


def test_sparql_from_standard_input_and_its_guard() -> None:
    done = run_cli("sparql", "-", "--format", "csv",
                   input="SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/bp-graph/ontology#State> }")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.splitlines()[1]) > 0
    refused = run_cli("sparql", "-", input="SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert refused.returncode == 2 and "SERVICE is not allowed" in refused.stderr


def test_queries_info_and_completion() -> None:
    listing = run_cli("queries", "--json")
    assert {q["name"] for q in json.loads(listing.stdout)} >= {"states", "meetings", "search"}
    chosen = json.loads(run_cli("queries", "chairs", "--json").stdout)
    assert [q["name"] for q in chosen] == ["chairs"] and "start and end" in chosen[0]["description"]
    shown = run_cli("queries", "meeting-states").stdout
    assert "e.g. bp-graph query meeting-states -p meeting=meeting/2019-10-09-skopje" in shown
    info = json.loads(run_cli("info", "--json").stdout)
    # distinct triples, as VoID counts them: a triple two graphs state counts once
    union, sources = rdflib.Graph(), KnowledgeGraph.open().sources
    for source in sources:
        union.parse(source.path, format="turtle")
    union.parse(cached_closure([s.path for s in sources]), format="nt")
    assert info["triples"] == len(union) < sum(info["graphs"].values())
    assert "_BP_GRAPH_COMPLETE" in run_cli("completion", "bash").stdout


def test_help_has_examples_on_every_command() -> None:
    from bp_graph.cli import cli

    assert isinstance(cli, click.Group) and len(cli.commands) >= 11
    for command in cli.commands:
        done = run_cli(command, "--help")
        assert done.returncode == 0 and "Examples:" in done.stdout, command


def test_sparql_help_lists_the_prefixes_it_declares() -> None:
    from bp_graph.cli import sparql_command
    from bp_graph.namespaces import KNOWN_PREFIXES

    listed = re.findall(r"prefixes \(([^)]*)\)|data's \(([^)]*)\)", " ".join((sparql_command.help or "").split()))
    names = [name for groups in listed for group in groups if group for name in group.split(", ")]
    assert len(listed) == 2 and sorted(names) == sorted(f"{name}:" for name in KNOWN_PREFIXES)


def test_the_shell_completes_a_query_s_parameters_and_their_examples() -> None:
    def complete(*words: str) -> list[str]:
        done = run_cli(env={"COMP_WORDS": " ".join(["bp-graph", *words]), "COMP_CWORD": str(len(words)),
                            "_BP_GRAPH_COMPLETE": "bash_complete"})
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("query", "common-states", "-p", "") == ["meeting=", "other="]
    assert complete("query", "common-states", "-p", "meeting=x", "-p", "o") == ["other="]
    assert complete("query", "meeting-states", "-p", "meeting=") == ["meeting=meeting/2019-10-09-skopje"]
    assert complete("query", "meet") == ["meeting-figures", "meeting-interventions", "meeting-organisations",
                                         "meeting-outcomes", "meeting-states", "meetings"]


def test_pictures_from_the_command_line_are_the_site_s_pictures(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from bp_graph.pictures import attendance_matrix, attendance_svg, timeline_meetings, timeline_svg

    kg = KnowledgeGraph.open()
    written = run_cli("picture", "timeline", "-o", str(tmp_path / "timeline.svg"))
    assert written.returncode == 0 and written.stdout == ""
    assert (tmp_path / "timeline.svg").read_text(encoding="utf-8") == timeline_svg(timeline_meetings(kg))
    shown = run_cli("picture", "attendance")
    assert shown.stdout == attendance_svg(attendance_matrix(kg))
    assert ET.fromstring(shown.stdout.encode()).tag == "{http://www.w3.org/2000/svg}svg"
    refused = run_cli("picture", "timeline", "-o", str(tmp_path / "no-such-folder" / "t.svg"))
    assert refused.returncode == 2 and "cannot write the picture" in refused.stderr


def test_sparql_files_that_cannot_be_run_are_named_in_the_error(tmp_path: Path) -> None:
    cases = {"latin1.rq": (b'SELECT * WHERE { ?s ?p "caf\xe9" }', "not UTF-8 text (byte 28)"),
             "syntax.rq": (b"SELECT * WHERE {\n ?s ?p\n OPTIONAL x\n}\n", "error at 3:"),
             "long.rq": (b"#" * 300_000, "query longer than 100000 characters"),
             "service.rq": (b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is not allowed"),
             # Oxigraph's parser overflows its stack (the process dies) from about 2,500 levels
             "nested.rq": (b"SELECT * WHERE " + b"{" * 3000 + b"?s ?p ?o" + b"}" * 3000, "nested 3000 levels deep")}
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        done = run_cli("sparql", str(tmp_path / name))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith(f"bp-graph: error: {tmp_path / name}: ") and message in done.stderr, done.stderr
    (tmp_path / "bom.rq").write_bytes(b"\xef\xbb\xbfASK { }\n")  # as Windows editors save UTF-8
    done = run_cli("sparql", str(tmp_path / "bom.rq"))
    assert done.returncode == 0 and done.stdout == "yes\n", done.stderr
    # an endless input is cut at the limit, not read into memory
    done = run_cli("sparql", "/dev/zero", timeout=60)
    assert done.returncode == 2 and "/dev/zero: query longer than" in done.stderr


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_answer_a_format_cannot_write_is_an_error_not_a_traceback(engine: str) -> None:
    done = run_cli("sparql", "-", "--engine", engine, "--format", "xml",
                   input='CONSTRUCT { <http://example.org/s> <http://example.org/> "x" } WHERE {}')
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("bp-graph: error: the answer cannot be written as xml: ") and "turtle" in done.stderr
    done = run_cli("sparql", "-", "--engine", engine, "--format", "turtle",
                   input='CONSTRUCT { <http://example.org/s> <http://example.org/> "x" } WHERE {}')
    assert done.returncode == 0 and '<http://example.org/s> <http://example.org/> "x"' in done.stdout


def _ask_nonsense_endpoint(body: bytes, content_type: str, *args: str, input: str | None = None):
    """Run the command line against a real HTTP server on 127.0.0.1 that answers ``body`` to every query."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Nonsense(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Nonsense)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        return run_cli(*args, "--endpoint", f"http://127.0.0.1:{server.server_address[1]}/sparql", input=input)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("body", [b'{"results": {"bindings": [{"x": {"type": "weird"}}]}, "head": {"vars": ["x"]}}',
                                  b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri"}}]}}',
                                  b'{"head": {}}', b"[1, 2]", b"<html>not results</html>",
                                  b'{"head": {}, "boolean": "yes"}'])  # was printed as "yes"
def test_an_endpoint_that_answers_nonsense_is_a_clear_error(body: bytes) -> None:
    done = _ask_nonsense_endpoint(body, "application/sparql-results+json", "query", "states")
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
    assert "did not answer with SPARQL results JSON" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_an_endpoint_that_answers_iris_no_store_accepts_is_a_clear_error() -> None:
    """rdflib's N-Triples parser took <http://x/{>; writing the answer then ended in a traceback."""
    done = _ask_nonsense_endpoint(b"<http://example.org/s> <http://example.org/p> <http://x/{> .\n",
                                  "application/n-triples", "sparql", "-", "--format", "turtle",
                                  input="CONSTRUCT WHERE { ?s ?p ?o }")
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
    assert "did not answer with N-Triples" in done.stderr and "'{'" in done.stderr


@pytest.mark.parametrize("args", [["serve", "--timeout", "nan"], ["serve", "--timeout", "-1"],
                                  ["query", "states", "--timeout", "0"], ["sparql", "-", "--timeout", "inf"]])
def test_time_limits_are_positive_numbers_of_seconds(args: list[str]) -> None:
    done = run_cli(*args, input="ASK {}")
    assert done.returncode == 2 and "is not a time limit" in done.stderr and "Traceback" not in done.stderr


def test_a_turtle_report_of_an_unreadable_file_says_why_on_stderr(tmp_path: Path) -> None:
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "https://w3id.org/bp-graph/city/x"}')
    done = run_cli("validate", str(remote), "--format", "turtle")
    assert done.returncode == 2 and "sh:conforms false" in done.stdout
    assert f"{remote}:1:" in done.stderr and "remote JSON-LD context" in done.stderr and "hint:" in done.stderr


def test_publishing_where_no_folder_can_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file.txt").write_text("x")
    done = run_cli("publish", str(tmp_path / "a-file.txt" / "site"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"cannot create {tmp_path / 'a-file.txt' / 'site'}: {tmp_path / 'a-file.txt'} is a file" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file.txt"]
