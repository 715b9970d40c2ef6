"""``bp-graph serve`` over real HTTP on 127.0.0.1: 303 content negotiation, the SPARQL 1.1 endpoint
(every catalogue query through SPARQLWrapper), the REST API and its OpenAPI description, and the
refusal or stopping of SERVICE, updates and slow queries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from bp_graph import KnowledgeGraph, QueryResult
from bp_graph.engines import with_values
from bp_graph.publishing import iri_path
from bp_graph.results import Term

from .calls import CATALOGUE, call_id, example_calls, rows
from .conftest import free_port, run_cli, stop_process
from .sitetools import Published, published

TIMEOUT = 2.0
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }")

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return published(tmp_path_factory)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def server(site: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``bp-graph serve`` in its own process on 127.0.0.1, stopped by its PID."""
    log = tmp_path_factory.mktemp("serve") / "stderr.txt"
    port = free_port()
    with open(log, "wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "bp_graph.cli", "serve", "--host", "127.0.0.1", "--port",
                                    str(port), "--site", str(site.out), "--timeout", str(TIMEOUT), "--workers", "2",
                                    "--quiet"], stdout=subprocess.DEVNULL, stderr=err, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while "serving on" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"bp-graph serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield Server(url, process, log)
    finally:
        stop_process(process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, *, accept: str | None = None, data: bytes | None = None, content_type: str | None = None,
          method: str | None = None, follow: bool = False) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type)) if v}
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def rows_of_json(doc: dict) -> list[tuple]:
    variables = doc["head"]["vars"]
    found = [tuple(Term.from_json(b[v]) if v in b else None for v in variables) for b in doc["results"]["bindings"]]
    return rows(QueryResult(variables, found))


# ----------------------------------------------------------------------------- content negotiation
@pytest.mark.parametrize("accept, ext", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"), ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "rdf"), ("*/*", "html"), (None, "html")])
def test_resource_iris_answer_303_to_the_document_the_client_accepts(server: Server, site: Published,
                                                                      accept: str | None, ext: str) -> None:
    media = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json",
             "nt": "application/n-triples", "rdf": "application/rdf+xml"}
    for iri in _sample_resources(site):
        path = iri_path(iri)
        status, headers, _ = fetch(f"{server.url}/{path}", accept=accept)
        assert status == 303, (iri, accept)
        assert headers["Location"] == f"/{path}.{ext}" and "Accept" in headers["Vary"]
        status, headers, body = fetch(f"{server.url}{headers['Location']}")
        assert status == 200 and headers["Content-Type"].startswith(media[ext])
        if ext != "html":
            graph = rdflib.Graph().parse(data=body, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt",
                                                            "rdf": "xml"}[ext])
            assert (rdflib.URIRef(iri), None, None) in graph or (None, None, rdflib.URIRef(iri)) in graph


def _sample_resources(site: Published) -> list[str]:
    kinds = {}
    for iri in site.site.resources():
        kinds.setdefault(site.site.paths[iri].split("/")[0], iri)
    return sorted(kinds.values())[:12]


def test_format_parameter_overrides_accept_and_unknown_types_are_not_acceptable(server: Server, site: Published) -> None:
    path = iri_path(_sample_resources(site)[0])
    for fmt, ext in (("ttl", "ttl"), ("turtle", "ttl"), ("jsonld", "jsonld"), ("nt", "nt"), ("rdf", "rdf"),
                     ("html", "html")):
        status, headers, _ = fetch(f"{server.url}/{path}?format={fmt}", accept="text/html")
        assert (status, headers["Location"]) == (303, f"/{path}.{ext}")
    assert fetch(f"{server.url}/{path}?format=pdf")[0] == 400
    assert fetch(f"{server.url}/{path}", accept="image/png")[0] == 406
    status, headers, _ = fetch(f"{server.url}/ontology", accept="text/turtle")
    assert (status, headers["Location"]) == (303, "/ontology.ttl")


def test_site_files_index_void_and_errors(server: Server) -> None:
    status, headers, body = fetch(f"{server.url}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"BP_SEARCH_INDEX" in body
    status, headers, body = fetch(f"{server.url}/.well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body, format="turtle")) > 10
    status, headers, _ = fetch(f"{server.url}/figures/timeline.svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    status, headers, body = fetch(f"{server.url}/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert fetch(f"{server.url}/no/such/thing")[0] == 404
    for sneaky in ("/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd", "/.bp-graph-site", "/state/..%2f..%2fpyproject.toml"):
        assert fetch(server.url + sneaky)[0] == 404, sneaky
    assert fetch(f"{server.url}/index.html", data=b"x")[0] == 405


# ----------------------------------------------------------------------------- SPARQL endpoint
@pytest.mark.parametrize("name, params", example_calls(), ids=call_id)
def test_every_catalogue_query_through_sparql_with_sparqlwrapper(server: Server, graph: KnowledgeGraph,
                                                                 name: str, params: dict[str, str]) -> None:
    query = CATALOGUE[name]
    text = with_values(query.text, query.bind(params))
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setTimeout(30)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    expected = graph.query(name, **params)
    assert isinstance(expected, QueryResult)
    assert rows_of_json(answer) == rows(expected)  # type: ignore[arg-type]


def test_result_formats_by_accept_and_by_post(server: Server, graph: KnowledgeGraph) -> None:
    text = "SELECT ?state ?label WHERE { ?state a <https://w3id.org/bp-graph/ontology#State> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?state ?label"
    expected = graph.sparql(text)
    assert isinstance(expected, QueryResult) and expected.rows
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(text)
    client.setReturnFormat(XML)
    xml = client.query()
    assert xml.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert len(xml.convert().getElementsByTagName("result")) == len(expected.rows)
    for fmt, media in ((CSV, "text/csv"), (TSV, "text/tab-separated-values")):
        client.setReturnFormat(fmt)
        result = client.query()
        assert result.response.headers["Content-Type"].startswith(media)
        assert len(result.convert().decode().strip().splitlines()) == len(expected.rows) + 1
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    assert rows_of_json(client.queryAndConvert()) == rows(expected)  # type: ignore[arg-type]
    status, headers, body = fetch(f"{server.url}/sparql", data=text.encode(), content_type="application/sparql-query",
                                  accept="application/sparql-results+json")
    assert status == 200 and rows_of_json(json.loads(body)) == rows(expected)
    status, _, body = fetch(f"{server.url}/sparql?query={urllib.parse.quote('ASK { ?s ?p ?o }')}",
                            accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_the_endpoint_knows_the_project_prefixes(server: Server, graph: KnowledgeGraph) -> None:
    text = "SELECT ?state ?label WHERE { ?state a bp:State ; rdfs:label ?label ; bp:iso3 ?code . <state/TUR> a ?c } ORDER BY ?state ?label"
    expected = graph.sparql(text)
    assert isinstance(expected, QueryResult) and expected.rows
    status, _, body = fetch(f"{server.url}/sparql?query={urllib.parse.quote(text)}", accept="application/sparql-results+json")
    assert status == 200 and rows_of_json(json.loads(body)) == rows(expected)
    status, _, body = fetch(f"{server.url}/sparql?query={urllib.parse.quote('ASK { ?s foo:p ?o }')}")
    assert status == 400 and "unknown prefix 'foo:'" in body.decode()


def test_construct_and_describe_as_every_rdf_format(server: Server) -> None:
    text = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { ?s a "
            "<https://w3id.org/bp-graph/ontology#State> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    sizes = set()
    for fmt in (TURTLE, JSONLD, RDFXML, N3):
        client = SPARQLWrapper(f"{server.url}/sparql")
        client.setQuery(text)
        client.setReturnFormat(fmt)
        graph = client.queryAndConvert()
        if not isinstance(graph, rdflib.Graph):
            graph = rdflib.Graph().parse(data=graph, format="turtle" if fmt in (TURTLE, N3) else "json-ld")
        sizes.add(len(graph))
    assert len(sizes) == 1 and sizes.pop() > 0
    status, headers, body = fetch(f"{server.url}/sparql?query={urllib.parse.quote(text)}", accept="application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    status, headers, body = fetch(f"{server.url}/sparql?format=ttl&query="
                                  + urllib.parse.quote("DESCRIBE <https://w3id.org/bp-graph/state/TUR>"))
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body, format="turtle")) > 3


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "DROP ALL",
    "SELECT * WHERE { ?s ?p }",
])
def test_service_from_load_updates_and_bad_queries_are_refused(server: Server, text: str) -> None:
    status, _, body = fetch(f"{server.url}/sparql?query={urllib.parse.quote(text)}")
    assert status == 400, body
    assert body.decode().startswith(("query refused", "query syntax error"))


def test_updates_are_refused_however_they_are_sent(server: Server, graph: KnowledgeGraph) -> None:
    update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setMethod("POST")
    client.setQuery(update)  # SPARQLWrapper sends an update as the 'update' form field
    with pytest.raises((urllib.error.HTTPError, SPARQLWrapperException)):
        client.query()
    assert fetch(f"{server.url}/sparql", data=update.encode(), content_type="application/sparql-update")[0] == 403
    assert fetch(f"{server.url}/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                 content_type="application/x-www-form-urlencoded")[0] == 403
    assert fetch(f"{server.url}/sparql?default-graph-uri=http://127.0.0.1:9/x&query=ASK%7B%7D")[0] == 400
    status, _, body = fetch(f"{server.url}/sparql?query={urllib.parse.quote('ASK { <http://e/a> <http://e/b> <http://e/c> }')}",
                            accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is False


def test_a_slow_query_is_stopped_with_a_clear_error_and_others_still_run(server: Server) -> None:
    fast = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/bp-graph/ontology#State> }")
    results: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        results["slow"] = fetch(f"{server.url}/sparql?query={urllib.parse.quote(SLOW)}")
        results["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    status, _, _ = fetch(f"{server.url}/sparql?query={fast}")  # the other worker answers meanwhile
    assert status == 200
    thread.join(60)
    status, headers, body = results["slow"]  # type: ignore[misc]
    assert status == 503 and b"time limit" in body, body
    assert TIMEOUT <= results["seconds"] < TIMEOUT + 10  # type: ignore[operator]
    deadline = time.monotonic() + 30
    while True:  # the stopped worker is replaced
        status, _, _ = fetch(f"{server.url}/sparql?query={fast}")
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 200
    assert "Traceback" not in server.log.read_text(errors="replace")


def test_sparql_endpoint_describes_itself(server: Server) -> None:
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        status, headers, body = fetch(f"{server.url}/sparql", accept=accept)
        assert status == 200 and headers["Content-Type"].startswith(accept) and headers["Vary"] == "Accept"
        described = rdflib.Graph().parse(data=body, format=fmt)
        assert (None, rdflib.RDF.type, sd.Service) in described and (None, sd.endpoint, None) in described
    status, headers, body = fetch(f"{server.url}/sparql", accept="text/html")
    assert status == 200 and b"<form" in body and headers["Vary"] == "Accept"
    status, headers, body = fetch(f"{server.url}/sparql", accept="image/png")
    assert status == 406 and b"text/turtle" in body


@pytest.mark.parametrize("query, accept", [
    ('SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }', "application/sparql-results+xml"),
    ('SELECT ?x WHERE { BIND("a\\uFFFEb" AS ?x) }', "application/sparql-results+xml"),  # a noncharacter
    ("CONSTRUCT { ?s <http://example.org/1> ?o } WHERE { ?s a ?o } LIMIT 1", "application/rdf+xml"),
])
def test_answers_xml_cannot_hold_are_refused_not_sent_malformed(server: Server, query: str, accept: str) -> None:
    """Oxigraph writes a control character, or a predicate with no XML name, into XML as is: the
    client got a document no XML parser reads. The same answer as JSON or Turtle is fine."""
    url = f"{server.url}/sparql?query={urllib.parse.quote(query)}"
    status, headers, body = fetch(url, accept=accept)
    assert status == 406 and b"not be well-formed XML" in body and b"Turtle" in body
    assert fetch(url, accept="application/sparql-results+json, text/turtle")[0] == 200


@pytest.mark.parametrize("how, expected, message", [
    ({"url": "?query=ASK%7B%7D&query=ASK%7BFILTER(false)%7D"}, 400, "2 query parameters"),
    ({"data": b"", "content_type": "application/x-www-form-urlencoded"}, 400, "no query"),
    ({"data": b"ASK {}", "content_type": "application/sparql-query", "url": "?query=ASK%7B%7D"}, 400, "send it once"),
    ({"data": b"query=ASK%7B%7D", "content_type": "application/x-www-form-urlencoded", "url": "?query=ASK%7B%7D"},
     400, "send it once"),
    ({"url": "?query=ASK%7B%7D&format=pdf"}, 400, "unknown format 'pdf'"),
    # deeper nesting killed the query worker (Oxigraph's parser overflows its stack): a 500 each time
    ({"data": b"ASK " + b"{" * 3000 + b"}" * 3000, "content_type": "application/sparql-query"}, 400,
     "nested 3000 levels deep"),
    ({"method": "PUT", "data": b"ASK {}", "content_type": "application/sparql-query"}, 405, "Allow: GET, HEAD, POST"),
])
def test_sparql_protocol_violations_are_refused(server: Server, how: dict, expected: int, message: str) -> None:
    """One query per request (the SPARQL 1.1 Protocol), in the URL or in the body, not both."""
    status, headers, body = fetch(f"{server.url}/sparql{how.pop('url', '')}", **how)
    assert status == expected and message in body.decode(), body
    if status == 405:
        assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_request_bodies_need_a_true_content_length(server: Server) -> None:
    import http.client

    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    for headers, body, expected in (({"Transfer-Encoding": "chunked"}, b"6\r\nASK {}\r\n0\r\n\r\n", 411),
                                    ({"Content-Length": "abc"}, b"ASK {}", 400),
                                    ({"Content-Length": str(1 << 21)}, b"ASK {}", 413)):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.putrequest("POST", "/sparql", skip_accept_encoding=True)
        for key, value in {"Content-Type": "application/sparql-query", **headers}.items():
            connection.putheader(key, value)
        connection.endheaders(body)
        response = connection.getresponse()
        assert response.status == expected and response.getheader("Connection") == "close", response.read()
        connection.close()


def test_head_answers_the_headers_of_get(server: Server) -> None:
    for path in ("/sparql?query=ASK%7B%7D", "/api/meetings?limit=2", "/index.html", "/sparql"):
        _, get_headers, body = fetch(server.url + path)
        status, headers, nothing = fetch(server.url + path, method="HEAD")
        assert status == 200 and nothing == b"" and int(headers["Content-Length"]) == len(body) > 0, path
        assert headers["Content-Type"] == get_headers["Content-Type"]


def test_methods_are_answered_with_what_each_path_allows(server: Server) -> None:
    for path, allowed in (("/state/TUR", "GET, HEAD, OPTIONS"), ("/api/meetings", "GET, HEAD, OPTIONS"),
                          ("/sparql", "GET, HEAD, POST, OPTIONS")):
        status, headers, _ = fetch(server.url + path, method="OPTIONS")
        assert status == 204 and headers["Allow"] == allowed, path
    for method, path in (("POST", "/api/meetings"), ("DELETE", "/state/TUR"), ("PUT", "/index.html"),
                         ("PATCH", "/api/")):
        status, headers, body = fetch(server.url + path, method=method, data=b"x")
        assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS", (method, path, body)


def test_hostile_paths_are_not_found(server: Server) -> None:
    """A name longer than the file system allows, or with a NUL byte, is no file: 404, not 500."""
    for path in ("/state/" + "a" * 300, "/state/TUR%00", "/" + "b" * 255 + ".html", "/state/TUR%00.ttl"):
        assert fetch(server.url + path)[0] == 404, path


def test_application_wildcard_gets_rdf_not_the_page(server: Server) -> None:
    status, headers, _ = fetch(f"{server.url}/state/TUR", accept="application/*")
    assert (status, headers["Location"]) == (303, "/state/TUR.jsonld")
    status, headers, _ = fetch(f"{server.url}/state/TUR", accept="application/xhtml+xml")
    assert (status, headers["Location"]) == (303, "/state/TUR.html")


def test_a_site_under_a_prefix_redirects_its_bare_root_and_describes_its_api_there(site: Published) -> None:
    from bp_graph.server import SiteApp

    app = SiteApp(site.out, workers=None, prefix="/bp-graph/")
    response = app.handle("GET", "/bp-graph", "lang=en", {})
    assert (response.status, response.headers["Location"]) == (308, "/bp-graph/?lang=en")
    document = json.loads(app.handle("GET", "/bp-graph/api/openapi.json", "", {}).body)
    assert document["servers"] == [{"url": "/bp-graph"}] and "/api/meetings" in document["paths"]
    assert app.handle("GET", "/api/openapi.json", "", {}).status == 404


# ----------------------------------------------------------------------------- REST API
@pytest.mark.parametrize("name, params", example_calls(), ids=call_id)
def test_every_catalogue_query_through_the_api(server: Server, graph: KnowledgeGraph, name: str,
                                               params: dict[str, str]) -> None:
    status, headers, body = fetch(f"{server.url}/api/{name}?{urllib.parse.urlencode(params)}")
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    expected = graph.query(name, **params)
    assert isinstance(expected, QueryResult)
    assert rows_of_json(json.loads(body)) == rows(expected)
    status, headers, body = fetch(f"{server.url}/api/{name}?{urllib.parse.urlencode({**params, 'format': 'csv'})}")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines, expected_lines = body.decode().split("\r\n"), expected.serialize("csv").split("\r\n")
    assert lines[0] == expected_lines[0] and sorted(lines) == sorted(expected_lines)  # ties may come in any order
    status, headers, body = fetch(f"{server.url}/api/{name}?{urllib.parse.urlencode(params)}",
                                  accept="application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    assert _read_results(body, "xml") == _read_results(expected.serialize("json").encode(), "json")  # rdflib's readers


def _read_results(body: bytes, fmt: str) -> list[tuple[str, ...]]:
    import io

    from rdflib.query import Result

    answer = Result.parse(io.BytesIO(body), format=fmt)
    return sorted(tuple(row[v].n3() if row.get(v) is not None else "" for v in answer.vars or []) for row in answer.bindings)


@pytest.mark.parametrize("name, params", example_calls(), ids=call_id)
def test_api_pages_are_slices_of_the_whole_answer_in_its_order(server: Server, name: str,
                                                                 params: dict[str, str]) -> None:
    status, headers, body = fetch(f"{server.url}/api/{name}?{urllib.parse.urlencode(params)}")
    assert status == 200, body
    whole = json.loads(body)["results"]["bindings"]
    assert headers["X-Total-Count"] == str(len(whole)) and "Link" not in headers
    # Two workers answer the pages: the order must be the query's, not one process's.
    for offset, limit in ((1, 3), (0, 1), (len(whole), 5), (len(whole) + 7, 2)):
        page = urllib.parse.urlencode({**params, "limit": limit, "offset": offset})
        status, headers, body = fetch(f"{server.url}/api/{name}?{page}")
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"] == whole[offset:offset + limit]
        assert headers["X-Total-Count"] == str(len(whole))


def test_api_link_headers_walk_every_page_once(server: Server) -> None:
    status, _, body = fetch(f"{server.url}/api/meetings?format=csv")
    whole = body.decode().split("\r\n")
    assert status == 200 and len(whole) > 20
    url, seen, pages = f"{server.url}/api/meetings?format=csv&limit=7", [], []
    while url:
        status, headers, body = fetch(url)
        assert status == 200 and headers["Content-Type"].startswith("text/csv"), body
        lines = body.decode().split("\r\n")
        assert lines[0] == whole[0]  # every page has the header row
        seen += [line for line in lines[1:] if line]
        links = dict(reversed(part.split("; ")) for part in headers.get("Link", "").split(", ") if part)
        if pages:
            assert links['rel="prev"'] == f"</api/meetings?format=csv&limit=7&offset={pages[-1]}>"
        else:
            assert 'rel="prev"' not in links
        pages.append(int(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("offset", ["0"])[0]))
        url = server.url + links['rel="next"'][1:-1] if 'rel="next"' in links else ""
    assert seen == [line for line in whole[1:] if line]
    assert pages == list(range(0, len(seen), 7))


def test_a_server_without_reasoning_notes_the_queries_that_need_the_closure(graph: KnowledgeGraph) -> None:
    from bp_graph.server import _answer_named

    unreasoned = KnowledgeGraph.open(reasoning=False)
    request = {"name": "coverage", "params": {}, "accept": "application/sparql-results+json", "format": None}
    (note,) = _answer_named(unreasoned, request).notes
    assert note == unreasoned.answer_notes("coverage", {}, empty=False)[0] and "OWL RL closure" in note
    assert _answer_named(graph, request).notes == () and _answer_named(unreasoned, {**request, "name": "states"}).notes == ()


def test_api_says_why_an_answer_is_empty_as_the_command_line_does(server: Server, graph: KnowledgeGraph) -> None:
    for params in ({"meeting": "meeting/2019-istanbul", "other": "meeting/2022-05-19-ohrid"},
                   {"meeting": "state/MKD", "other": "meeting/2022-05-19-ohrid"}):
        status, headers, body = fetch(f"{server.url}/api/common-states?{urllib.parse.urlencode(params)}",
                                      accept="application/sparql-results+json")
        expected = graph.empty_answer_notes("common-states", **params)
        assert status == 200 and headers["X-Total-Count"] == "0" and expected
        assert json.loads(headers["BP-Graph-Notes"]) == expected
        assert expected[0] in run_cli("query", "common-states", *(a for k, v in params.items() for a in ("-p", f"{k}={v}"))).stderr
    status, headers, _ = fetch(f"{server.url}/api/common-states?meeting=meeting/2019-12-04-istanbul&other=meeting/2022-05-19-ohrid")
    assert status == 200 and headers["X-Total-Count"] != "0" and "BP-Graph-Notes" not in headers


def test_api_page_past_the_end_links_back_to_the_last_rows(server: Server) -> None:
    status, headers, body = fetch(f"{server.url}/api/states?limit=7&offset=100000")
    total = int(headers["X-Total-Count"])
    assert status == 200 and json.loads(body)["results"]["bindings"] == [] and total > 7
    assert headers["Link"] == f'</api/states?limit=7&offset={total - 7}>; rel="prev"'
    # a page in a browser on another origin may read the page headers
    assert {"X-Total-Count", "Link", "BP-Graph-Notes"} <= {h.strip() for h in headers["Access-Control-Expose-Headers"].split(",")}


@pytest.mark.parametrize("query, message", [
    ("limit=0", "limit must be a whole number of at least 1"), ("limit=-3", "limit must be"),
    ("limit=ten", "limit must be"), ("offset=1e3", "offset must be"), ("limit=1234567890", "at most 9 digits"),
    ("limit=%D9%A3", "limit must be"), ("limit=2&limit=3", "'limit' given 2 times"),
])
def test_api_bad_pages_are_json_errors(server: Server, query: str, message: str) -> None:
    status, headers, body = fetch(f"{server.url}/api/states?{query}")
    assert status == 400 and headers["Content-Type"] == "application/json"
    assert message in json.loads(body)["error"]


def test_api_errors_are_json(server: Server) -> None:
    status, headers, body = fetch(f"{server.url}/api/meeting-states")
    assert status == 400 and headers["Content-Type"] == "application/json" and "meeting" in json.loads(body)["error"]
    status, _, body = fetch(f"{server.url}/api/meeting-states?meeting=" + urllib.parse.quote("<x> } UNION {"))
    assert status == 400 and json.loads(body)["status"] == 400
    status, _, body = fetch(f"{server.url}/api/meeting-states?meting=meeting/x")
    assert status == 400 and "did you mean 'meeting'" in json.loads(body)["error"]
    status, _, body = fetch(f"{server.url}/api/stats")
    assert status == 404 and "states" in json.loads(body)["error"]
    status, _, body = fetch(f"{server.url}/api/")
    assert status == 200 and {q["name"] for q in json.loads(body)["queries"]} == set(CATALOGUE)
    status, _, body = fetch(f"{server.url}/api/meetings?format=turtle")  # a SELECT's rows are no graph
    assert status == 400 and "use json, xml, csv or tsv" in json.loads(body)["error"]


def test_openapi_describes_every_catalogue_query(server: Server) -> None:
    from openapi_spec_validator import validate

    status, headers, body = fetch(f"{server.url}/api/openapi.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    document = json.loads(body)
    validate(document)
    for name in CATALOGUE:
        operation = document["paths"][f"/api/{name}"]["get"]
        declared = {p["name"] for p in operation["parameters"] if "name" in p}
        assert declared == {p.name for p in CATALOGUE[name].params}
        required = {p["name"] for p in operation["parameters"] if p.get("required")}
        assert required == {p.name for p in CATALOGUE[name].params if p.required}
    assert "/sparql" in document["paths"]


# ----------------------------------------------------------------------------- dispatching to workers
def test_a_free_worker_goes_to_the_thread_that_waited_longest() -> None:
    """A thread that has just been answered and asks again (a keep-alive client) queues behind the
    threads already waiting; with a plain queue it would take the worker back at once."""
    from bp_graph.server import QueryWorkers, _Worker

    pool = QueryWorkers([], size=1)
    token = _Worker(process=None, conn=None)  # the dispatcher never looks inside a worker
    pool._release(token)
    assert pool._acquire(1.0) is token
    order: list[str] = []

    def client(name: str) -> None:
        worker = pool._acquire(10.0)
        order.append(name if worker is token else f"{name} got {worker!r}")
        if worker is not None:
            pool._release(worker)

    waiting = []
    for name in ("second", "third"):
        waiting.append(threading.Thread(target=client, args=(name,)))
        waiting[-1].start()
        deadline = time.monotonic() + 10
        while len(pool._waiting) < len(waiting) and time.monotonic() < deadline:
            time.sleep(0.001)
    pool._release(token)
    client("first again")
    for thread in waiting:
        thread.join(10)
    assert order == ["second", "third", "first again"]


def test_closing_the_pool_answers_the_requests_waiting_for_a_worker() -> None:
    from bp_graph.server import QueryWorkers

    pool = QueryWorkers([], size=1, timeout=30)  # no worker: every request waits
    replies: list[tuple[int, bytes, float]] = []

    def request() -> None:
        started = time.monotonic()
        reply = pool.run({"op": "sparql", "query": "ASK {}"})
        replies.append((reply.status, reply.body, time.monotonic() - started))

    thread = threading.Thread(target=request)
    thread.start()
    deadline = time.monotonic() + 10
    while not pool._waiting and time.monotonic() < deadline:
        time.sleep(0.001)
    pool.close()
    thread.join(10)
    [(status, body, waited)] = replies
    assert status == 503 and b"stopped" in body and waited < 10


def test_a_thread_that_waits_in_vain_leaves_no_turn_behind() -> None:
    from bp_graph.server import QueryWorkers, _Worker

    pool = QueryWorkers([], size=1)
    assert pool._acquire(0.05) is None and not pool._waiting
    token = _Worker(process=None, conn=None)
    pool._release(token)
    assert pool._idle == [token] and pool._acquire(0.05) is token


def test_the_next_pages_of_a_query_are_slices_of_one_run(graph: KnowledgeGraph) -> None:
    """A worker keeps the whole answer of a paged query: paging through it runs the query once."""
    from cachetools import LRUCache

    from bp_graph.server import _answer_named

    runs: list[str] = []

    class CountingEngine:  # the graph's own engine, counting what it is asked to run
        name = graph.engine.name

        def run(self, text: str, bindings: object = None) -> object:
            runs.append(text)
            return graph.engine.run(text, bindings)  # type: ignore[arg-type]

    counted = KnowledgeGraph(CountingEngine(), sources=graph.sources, reasoning=graph.reasoning,  # type: ignore[arg-type]
                             catalogue=graph.catalogue)
    whole = graph.query("meetings").rows
    paged: LRUCache = LRUCache(10_000, getsizeof=lambda answer: len(answer) + 1)
    request = {"op": "named", "name": "meetings", "params": {}, "accept": None, "format": "csv"}
    pages = [_answer_named(counted, {**request, "offset": offset, "limit": 2}, paged)
             for offset in range(0, len(whole), 2)]
    assert len(runs) == 1 and {reply.rows for reply in pages} == {len(whole)}
    assert [line for reply in pages for line in reply.body.decode().split("\r\n")[1:] if line] == \
        graph.query("meetings").serialize("csv").split("\r\n")[1:-1]
    # other parameters are another answer; an unpaged request keeps nothing (the server's cache has it)
    _answer_named(counted, {**request, "name": "meeting-states",
                            "params": {"meeting": "meeting/2016-12-15-antalya"}, "limit": 1}, paged)
    _answer_named(counted, {**request, "name": "states"}, paged)
    _answer_named(counted, {**request, "name": "states", "limit": 1}, paged)
    assert len(runs) == 4 and len(paged) == 3
    # an answer larger than the whole memo is answered, not kept
    small: LRUCache = LRUCache(len(whole) - 1, getsizeof=lambda answer: len(answer) + 1)
    assert _answer_named(counted, {**request, "limit": 1}, small).status == 200 and len(small) == 0


# ----------------------------------------------------------------------------- answer cache, no pages
def test_answers_are_cached_and_a_server_without_pages_serves_queries_only(graph: KnowledgeGraph) -> None:
    from bp_graph.server import QueryWorkers, SiteApp

    workers = QueryWorkers(graph.sources, reasoning=graph.reasoning, size=1, timeout=30)
    workers.start()
    app = SiteApp(None, workers=workers)
    try:
        assert app.handle("GET", "/", "", {}).status == 404  # no site published
        first = app.handle("GET", "/api/states", "", {})
        asked = app.handle("GET", "/sparql", "query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), {})
        assert first.status == 200 and asked.status == 200
        served = workers._all.copy()
        assert sum(w.served for w in served) == 2
    finally:
        workers.close()
    # With the workers gone, what was asked before is still answered, byte for byte; nothing else is.
    again = app.handle("GET", "/api/states", "", {})
    assert (again.status, again.body) == (200, first.body)
    assert app.handle("GET", "/sparql", "query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), {}).body == asked.body
    assert app.handle("GET", "/api/organisations", "", {}).status == 503


def test_without_an_answer_cache_every_request_runs_its_query(graph: KnowledgeGraph) -> None:
    from bp_graph.server import QueryWorkers, SiteApp

    workers = QueryWorkers(graph.sources, reasoning=graph.reasoning, size=1, timeout=30)
    workers.start()
    app = SiteApp(None, workers=workers, answer_cache=0)
    try:
        answers = [app.handle("GET", "/api/states", "", {}) for _ in range(3)]
        assert [a.status for a in answers] == [200] * 3 and len({a.body for a in answers}) == 1
        assert sum(w.served for w in workers._all.copy()) == 3
    finally:
        workers.close()
    assert app.handle("GET", "/api/states", "", {}).status == 503  # nothing was kept


def test_untrusted_queries_are_checked_safely_from_many_threads_at_once() -> None:
    # The server checks /sparql texts in its request threads; rdflib's parser is one shared object.
    from concurrent.futures import ThreadPoolExecutor

    from bp_graph.safety import checked_query

    texts = [CATALOGUE[name].text for name in CATALOGUE] * 4
    with ThreadPoolExecutor(max_workers=16) as pool:
        checked = list(pool.map(checked_query, texts))
    assert checked == texts


def test_serve_stops_its_query_workers_on_sigterm() -> None:
    import psutil

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bp_graph.cli", "serve", "--host", "127.0.0.1", "--port",
                                str(port), "--no-pages", "--workers", "2", "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "serving on" in line:
                break
        workers = psutil.Process(process.pid).children(recursive=True)
        assert len(workers) >= 2
        process.terminate()  # SIGTERM, as a service manager stops it
        assert process.wait(timeout=30) == 0
        gone, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == []
    finally:
        stop_process(process)


def test_sigterm_while_serve_starts_leaves_no_query_worker_behind() -> None:
    import psutil

    process = subprocess.Popen([sys.executable, "-m", "bp_graph.cli", "serve", "--host", "127.0.0.1", "--port",
                                str(free_port()), "--no-pages", "--workers", "2", "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        server = psutil.Process(process.pid)

        def query_workers() -> list[psutil.Process]:  # not multiprocessing's resource tracker
            found = []
            for child in server.children(recursive=True):
                try:
                    if "spawn_main" in " ".join(child.cmdline()):
                        found.append(child)
                except psutil.Error:
                    pass
            return found

        deadline = time.monotonic() + 60
        while not (workers := query_workers()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert workers, "serve started no query worker within 60 s"
        process.terminate()  # the first worker exists; the server has not announced itself yet
        _, errors = process.communicate(timeout=30)
        assert process.returncode != -15, "SIGTERM killed serve before it could stop its workers"
        assert "serving on" not in errors
        gone, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == []
    finally:
        stop_process(process)


def test_a_port_that_cannot_be_bound_is_a_clear_error_and_stops_the_workers() -> None:
    """The socket server closed itself before its app was set: an AttributeError hid the reason."""
    import multiprocessing
    import socket

    from bp_graph import BPGraphError
    from bp_graph.server import make_server

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BPGraphError, match=f"cannot listen on 127.0.0.1:{port}: Address already in use"):
            make_server(pages=False, port=port, workers=1)
        assert multiprocessing.active_children() == []
        done = subprocess.run([sys.executable, "-m", "bp_graph.cli", "serve", "--no-pages", "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == f"bp-graph: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
