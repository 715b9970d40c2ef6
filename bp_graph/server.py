"""``bp-graph serve``: the published site with content negotiation, a read-only SPARQL 1.1 endpoint
and the named queries as a small REST API.

Why the standard library's ``ThreadingHTTPServer`` and not an ASGI stack: the server only serves
files, redirects and hands queries to worker processes, so a thread per request is enough; it adds
no dependency; and the part that needs care (stopping a query) cannot be done by any Python web
framework anyway, because neither rdflib nor Oxigraph can cancel a query in-process. Each query
therefore runs in one of a few long-lived worker processes (``spawn``ed, each with the Oxigraph
store opened read-only); a worker that outlives the time limit is killed and replaced, and the
client gets a 503 that says so. The store is read-only while the server runs, so successful answers
are kept in a bounded LRU cache (by query, parameters and negotiated format; ``--answer-cache``
sets its size, 0 turns it off): a repeated query costs a dictionary lookup, not a round trip to a
worker. Untrusted query text is checked by its tokens (:func:`bp_graph.safety.checked_query`), in
microseconds, before a worker runs it. For a public deployment put it behind a reverse proxy (TLS,
limits).

Routes (under an optional path prefix):

- ``/{path}`` of a resource: 303 See Other to ``/{path}.html``, ``.ttl``, ``.jsonld``, ``.nt`` or
  ``.rdf`` by the ``Accept`` header, or by ``?format=``; the documents themselves are static files.
- ``/sparql``: SPARQL 1.1 Protocol, GET (``?query=``) and POST (form or ``application/sparql-query``);
  results as SPARQL JSON, XML, CSV or TSV, graphs as Turtle, N-Triples, JSON-LD or RDF/XML.
  Updates, ``SERVICE``, ``FROM``/``FROM NAMED``, ``LOAD`` and dataset parameters are refused.
- ``/api/{name}?param=...``: a catalogue query; ``/api/`` lists them, ``/api/openapi.json`` describes them.
  ``limit`` and ``offset`` return a page of the rows in the query's order, with ``X-Total-Count`` and
  a ``Link`` header (``rel="next"``, ``rel="prev"``); ``format`` picks JSON, CSV or TSV. A worker
  keeps the whole answers of paged queries (up to :data:`PAGED_ROWS_KEPT` rows), so that the next
  pages are slices of it, not new runs.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import collections
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cachetools import LRUCache

from . import __version__
from .catalogue import RESERVED_PARAMETERS
from .errors import BPGraphError, QueryParameterError, UnknownQuery, UnsafeQueryError
from .publishing import RDF_FORMATS, SD, iri_path

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .graph import KnowledgeGraph
    from .publishing import Progress
    from .results import QueryResult, ResultFormat
    from .store import Source

log = logging.getLogger("bp_graph.server")

DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 10.0
MAX_BODY = 1 << 20
ANSWER_CACHE_BYTES = 64 << 20

PAGE_TYPES = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
              "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml",
              "nq": "application/n-quads", "svg": "image/svg+xml", "css": "text/css; charset=utf-8",
              "js": "text/javascript; charset=utf-8", "json": "application/json", "gz": "application/gzip",
              "txt": "text/plain; charset=utf-8", "xml": "application/xml", "htaccess": "text/plain; charset=utf-8"}
"""Media types of the site's files, by extension."""

DOCUMENT_OFFERS = [("text/html", "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
                   ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"), ("application/xhtml+xml", "html"),
                   ("application/x-turtle", "ttl"), ("application/json", "jsonld"), ("text/plain", "nt")]
"""What a resource IRI can be negotiated to (HTML first: it is what ``*/*`` gets; ``application/*``
gets JSON-LD, not the page as XHTML)."""

SOLUTION_OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                   "text/tab-separated-values", "application/json", "application/xml", "text/xml"]
GRAPH_OFFERS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                "application/x-turtle", "text/plain", "application/json"]
FORMAT_NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
                "ttl": "ttl", "turtle": "ttl", "n3": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                "jsonld": "jsonld", "json-ld": "jsonld", "rdf": "rdf", "rdfxml": "rdf", "rdf+xml": "rdf",
                "html": "html"}
"""``?format=`` values and the format they ask for."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their quality, best first (stable for ties).

    >>> parse_accept("text/html;q=0.9, text/turtle, */*;q=0.1")
    [('text/turtle', 1.0), ('text/html', 0.9), ('*/*', 0.1)]
    """
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((position, media.lower(), quality))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(media, quality) for _, media, quality in ranges]


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (the first offer if there is no header),
    or None if it accepts none of them.

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", ["text/html", "text/turtle"])
    'text/html'
    >>> negotiate("application/rdf+xml;q=0.5, text/turtle", ["text/html", "text/turtle", "application/rdf+xml"])
    'text/turtle'
    >>> negotiate("image/png", ["text/html"]) is None
    True
    """
    if not header or not header.strip():
        return offers[0] if offers else None
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        kind = offer.split("/")[0]
        quality, specificity = None, -1
        for media, q in ranges:
            score = 2 if media == offer else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
            if score > specificity:
                quality, specificity = q, score
        if quality is None or quality <= 0:
            continue
        key = (quality, specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


# ---------------------------------------------------------------------------------- worker processes
class Reply(NamedTuple):
    """A query worker's answer: HTTP status, content type, body and, for a named SELECT query, how
    many rows its whole answer has (a page holds fewer).

    >>> Reply(503, "text/plain; charset=utf-8", b"busy").rows is None
    True
    """

    status: int
    media: str
    body: bytes
    rows: int | None = None
    busy: bool = False
    """Every worker was busy: the client may retry in a moment (``Retry-After``)."""
    notes: tuple[str, ...] = ()
    """What the answer's reader should know (:meth:`~bp_graph.KnowledgeGraph.answer_notes`)."""


def _ok(media: str, body: bytes, rows: int | None = None) -> Reply:
    """A 200 reply; text media types say their charset."""
    return Reply(200, media + ("; charset=utf-8" if media.startswith("text/") else ""), body, rows)


def _answer_sparql(store: Any, request: Mapping[str, Any]) -> Reply:
    import pyoxigraph as ox

    from .namespaces import BASE, KNOWN_PREFIXES

    try:
        # the project's prefixes and base need no declaration, as on the command line
        answer = store.query(request["query"], use_default_graph_as_union=True, prefixes=KNOWN_PREFIXES,
                             base_iri=BASE)
    except SyntaxError as exc:
        from .engines import syntax_message

        return Reply(400, "text/plain; charset=utf-8",
                     f"query syntax error: {syntax_message(request['query'], str(exc))}\n".encode())
    wanted = FORMAT_NAMES.get((request.get("format") or "").lower())
    accept = request.get("accept")
    if isinstance(answer, (ox.QuerySolutions, ox.QueryBoolean)):
        by_name = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                   "csv": "text/csv", "tsv": "text/tab-separated-values"}
        media = by_name.get(wanted or "") or negotiate(accept, SOLUTION_OFFERS) or SOLUTION_OFFERS[0]
        formats = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML,
                   "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
        return _ok_as_xml(media, answer.serialize(format=formats[media]) or b"")
    by_name = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdf": "application/rdf+xml", "xml": "application/rdf+xml", "json": "application/ld+json"}
    media = by_name.get(wanted or "") or negotiate(accept, GRAPH_OFFERS) or GRAPH_OFFERS[0]
    rdf_formats = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                   "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                   "application/ld+json": ox.RdfFormat.JSON_LD, "application/json": ox.RdfFormat.JSON_LD,
                   "application/rdf+xml": ox.RdfFormat.RDF_XML}
    return _ok_as_xml(media, answer.serialize(format=rdf_formats[media]) or b"")


_NOT_XML_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
"""The control characters XML 1.0 cannot carry, as UTF-8 bytes (U+FFFE and U+FFFF are three bytes each)."""


def _ok_as_xml(media: str, body: bytes) -> Reply:
    """A 200 reply, or a 406 when ``body`` should be XML and is not well-formed: Oxigraph writes what
    XML cannot hold (a control character, a predicate such as <http://x/1> with no XML name) as is."""
    if "xml" not in media:
        return _ok(media, body)
    from xml.parsers import expat

    why = None
    if media != "application/rdf+xml":
        # SPARQL XML results escape markup and name only variables: characters are all that can fail.
        # Deleting the bytes XML cannot carry is the cheap test (6.6 MB: 20 ms; a parse 44, a regex 99).
        if len(body.translate(None, _NOT_XML_BYTES)) != len(body) or b"\xef\xbf\xbe" in body or b"\xef\xbf\xbf" in body:
            why = "a control character or a noncharacter XML cannot carry"
    else:
        try:
            expat.ParserCreate(namespace_separator=" ").Parse(body, True)  # names read as RDF/XML readers do
        except expat.ExpatError as exc:
            why = expat.ErrorString(exc.code)
    if why is None:
        return _ok(media, body)
    return Reply(406, "text/plain; charset=utf-8", f"this answer cannot be written as {media} (it would not be "
                 f"well-formed XML: {why}); ask for JSON, CSV, Turtle or N-Triples\n".encode())


PAGED_ROWS_KEPT = 200_000
"""How many rows of whole answers a worker keeps for the next pages of the same query."""


def _answer_named(kg: KnowledgeGraph, request: Mapping[str, Any],
                  paged: LRUCache[str, QueryResult] | None = None) -> Reply:
    """The reply to a named query; a paged request's whole answer is kept in ``paged`` (by query and
    parameters), so that the next pages are slices of it, not new runs of the query."""
    from .results import GraphResult, QueryResult

    offset, limit = request.get("offset", 0), request.get("limit")
    key = json.dumps([request["name"], request["params"]], sort_keys=True)
    answer: QueryResult | GraphResult | None = paged.get(key) if paged is not None else None
    if answer is None:
        try:
            answer = kg.query(request["name"], **request["params"])
        except BPGraphError as exc:
            return Reply(400, "application/json", json.dumps({"error": str(exc), "status": 400}).encode())
        if (paged is not None and (offset or limit is not None) and isinstance(answer, QueryResult)
                and len(answer) < paged.maxsize):  # a larger one would not fit: cachetools refuses it
            paged[key] = answer
    if isinstance(answer, GraphResult):
        if offset or limit is not None:
            return Reply(400, "application/json", json.dumps(
                {"error": f"limit and offset page the rows of a SELECT answer; {request['name']} answers a graph",
                 "status": 400}).encode())
        return Reply(200, "text/turtle; charset=utf-8", answer.serialize("turtle").encode())
    total = None if answer.boolean is not None else len(answer)  # an ASK answer has no rows to count
    if offset or limit is not None:
        answer = QueryResult(answer.variables, answer.rows[offset:None if limit is None else offset + limit],
                             boolean=answer.boolean)
    wanted = FORMAT_NAMES.get((request.get("format") or "").lower())
    by_name = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
               "tsv": "text/tab-separated-values"}
    offers = ["application/sparql-results+json", "application/json", "application/sparql-results+xml", "text/csv",
              "text/tab-separated-values"]
    media = by_name.get(wanted or "") or negotiate(request.get("accept"), offers) or offers[0]
    formats: dict[str, ResultFormat] = {"application/sparql-results+xml": "xml", "text/csv": "csv",
                                        "text/tab-separated-values": "tsv"}
    try:
        body = answer.serialize(formats.get(media, "json")).encode()
    except ValueError as exc:  # a value XML cannot carry
        return Reply(406, "text/plain; charset=utf-8", f"{exc}\n".encode())
    notes: tuple[str, ...] = ()
    try:
        notes = tuple(kg.answer_notes(request["name"], request["params"], empty=not total and not answer.boolean))
    except BPGraphError:  # a side note: the answer stands without it
        pass
    return _ok(media, body, total)._replace(notes=notes)


def _worker_main(conn: Any, sources: list[Source], reasoning: bool) -> None:  # pragma: no cover (child process)
    from .graph import KnowledgeGraph
    from .store import oxigraph_engine

    try:
        engine = oxigraph_engine(sources, reasoning=reasoning)
        kg = KnowledgeGraph(engine, sources=sources, reasoning=reasoning)
        # Text indexes now, within the start-up wait: a first search must not meet the query time limit.
        engine.prepare(query.text for query in kg.catalogue.values())
    except Exception as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", ""))
    paged: LRUCache[str, QueryResult] = LRUCache(PAGED_ROWS_KEPT, getsizeof=lambda answer: len(answer) + 1)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if request.get("op") == "named":
                reply = _answer_named(kg, request, paged)
            else:
                reply = _answer_sparql(engine.store, request)
        except Exception as exc:  # anything the engine raises becomes a 500 with its message
            reply = Reply(500, "text/plain; charset=utf-8", f"the query failed: {type(exc).__name__}: {exc}\n".encode())
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


@dataclass(eq=False)
class _Turn:
    """A thread waiting for a query worker, and the worker handed to it."""

    handed: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    served: int = 0


class QueryWorkers:
    """Worker processes that run queries with a time limit: a query still running after ``timeout``
    seconds is stopped by killing its worker, which is then replaced.

    >>> QueryWorkers([], reasoning=False, size=2, timeout=1.5).timeout
    1.5
    """

    def __init__(self, sources: list[Source], *, reasoning: bool = True, size: int = 2,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.sources = sources
        self.reasoning = reasoning
        self.size = max(1, size)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._waiting: collections.deque[_Turn] = collections.deque()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.stopped = 0

    def start(self, *, wait: float = 120.0) -> None:
        """Start the workers and wait until each has opened the store."""
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            self._await_ready(worker, wait)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.sources, self.reasoning),
                                        name="bp-graph-query-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _await_ready(self, worker: _Worker, wait: float) -> None:
        if not worker.conn.poll(wait):
            self._kill(worker)
            raise BPGraphError(f"a query worker did not start within {wait:.0f} s")
        status, detail = worker.conn.recv()
        if status != "ready":
            self._kill(worker)
            raise BPGraphError(f"a query worker could not open the store: {detail}")
        self._release(worker)

    def _acquire(self, timeout: float) -> _Worker | None:
        """An idle worker, or the first to come free within ``timeout`` seconds, first come first
        served: with a plain queue a thread that has just been answered takes the next free worker
        ahead of those already waiting, and their wait (the tail latency) grows without bound."""
        with self._lock:
            if self._idle and not self._waiting:
                return self._idle.pop()
            turn = _Turn()
            self._waiting.append(turn)
        if turn.handed.wait(timeout):
            return turn.worker  # None when the pool was closed meanwhile
        with self._lock:
            if turn.worker is None:
                self._waiting.remove(turn)
        return turn.worker  # a worker handed over just as the wait ran out is still used

    def _release(self, worker: _Worker) -> None:
        """Hand ``worker`` to the thread that has waited longest, or keep it idle."""
        with self._lock:
            if not self._waiting:
                self._idle.append(worker)
                return
            turn = self._waiting.popleft()
            turn.worker = worker
        turn.handed.set()

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        try:
            worker.conn.close()
        except OSError:
            pass
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        if self._closed:
            return

        def respawn() -> None:
            try:
                self._await_ready(self._spawn(), 120.0)
            except BPGraphError as exc:
                log.error("%s", exc)

        threading.Thread(target=respawn, name="bp-graph-respawn", daemon=True).start()

    def run(self, request: Mapping[str, Any]) -> Reply:
        """Send ``request`` to the first free worker (waiting at most the time limit for one) and
        return its :class:`Reply`; a query still running after the time limit is stopped (503).
        The wait and the run are timed apart: a request that waited long still gets the whole
        limit, so that the 503 can say that the query ran longer than the limit.

        >>> reply = QueryWorkers([], size=1, timeout=0.01).run({"op": "sparql", "query": "ASK {}"})
        >>> reply.status, reply.busy
        (503, True)
        """
        worker = None if self._closed else self._acquire(self.timeout)
        if worker is None:
            if self._closed:
                return Reply(503, "text/plain; charset=utf-8", b"the query workers are stopped\n")
            return Reply(503, "text/plain; charset=utf-8",
                         f"all {self.size} query workers are busy; try again in a moment\n".encode(), busy=True)
        try:
            worker.conn.send(dict(request))
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                worker.served += 1
                self._release(worker)
                return reply
        except (EOFError, OSError) as exc:
            self._replace(worker)
            return Reply(500, "text/plain; charset=utf-8", f"the query worker failed ({exc}); try again\n".encode())
        self.stopped += 1
        self._replace(worker)
        return Reply(503, "text/plain; charset=utf-8", (
            f"query stopped: it ran longer than this endpoint's time limit of {self.timeout:g} s. "
            "Narrow it down (LIMIT, more specific patterns) and try again.\n").encode())

    def close(self) -> None:
        """Stop every worker; requests still waiting for one are answered at once."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            waiting = list(self._waiting)
            self._waiting.clear()
        for turn in waiting:
            turn.handed.set()  # with no worker: "the query workers are stopped"
        for worker in workers:
            self._kill(worker)


# ---------------------------------------------------------------------------------- OpenAPI
def openapi_document(catalogue: Catalogue, *, title: str = "bp-graph named queries", prefix: str = "/"
                     ) -> dict[str, Any]:
    """An OpenAPI 3.1 description of ``/api/{name}`` for every catalogue query, and of ``/sparql``,
    on a server that serves them under the path ``prefix``.

    >>> from bp_graph import load_catalogue
    >>> doc = openapi_document(load_catalogue())
    >>> doc["openapi"], "/api/meeting-states" in doc["paths"]
    ('3.1.0', True)
    """
    schemas = {"iri": {"type": "string", "format": "iri-reference"}, "string": {"type": "string", "maxLength": 1000},
               "integer": {"type": "integer"}, "date": {"type": "string", "format": "date"},
               "boolean": {"type": "boolean"}}
    results = {"application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
               "application/sparql-results+xml": {"schema": {"type": "string"}},
               "text/csv": {"schema": {"type": "string"}}, "text/tab-separated-values": {"schema": {"type": "string"}}}
    page_headers = {
        "X-Total-Count": {"description": "How many rows the whole answer has", "schema": {"type": "integer"}},
        "Link": {"description": 'With limit: the next and previous pages (RFC 8288, rel="next", rel="prev")',
                 "schema": {"type": "string"}},
        "BP-Graph-Notes": {"description": "Notes on the answer, a JSON array of strings: with an empty answer, why "
                                          "it may be empty (an IRI parameter that names nothing, with what it may "
                                          "have meant); from a server without reasoning, that the query needs the "
                                          "OWL RL closure",
                           "schema": {"type": "string"}}}
    error = {"description": "A bad parameter or an unknown query",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    paths: dict[str, Any] = {}
    for name in catalogue:
        query = catalogue[name]
        parameters = []
        for p in query.params:
            kind = f" ({p.expects})" if p.classes else ""
            parameter: dict[str, Any] = {"name": p.name, "in": "query", "required": p.required,
                                         "description": (p.description or p.type) + kind, "schema": schemas[p.type]}
            if p.example is not None:
                parameter["example"] = p.example
            parameters.append(parameter)
        parameters += [{"$ref": f"#/components/parameters/{p}"} for p in RESERVED_PARAMETERS]
        operation_id = "".join(part.capitalize() if i else part for i, part in enumerate(name.split("-")))
        paths[f"/api/{name}"] = {"get": {
            "operationId": operation_id, "summary": query.summary,
            "description": query.description or query.summary, "tags": list(query.tags) or ["queries"],
            "parameters": parameters,
            "responses": {"200": {"description": "The query's answer (a page of it with limit or offset)",
                                  "content": results, "headers": page_headers}, "400": error,
                          "503": {"description": "The query ran longer than the time limit"}}}}
    paths["/sparql"] = {
        "get": {"operationId": "sparqlQuery", "summary": "SPARQL 1.1 query (read-only)", "tags": ["sparql"],
                "parameters": [{"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                                "description": "The query; without it, the HTML form or the service description"}],
                "responses": {"200": {"description": "Results or a graph"}, "400": {"description": "Bad or refused query"},
                              "503": {"description": "Stopped after the time limit"}}},
        "post": {"operationId": "sparqlQueryPost", "summary": "SPARQL 1.1 query by POST (read-only)", "tags": ["sparql"],
                 "requestBody": {"required": True, "content": {
                     "application/sparql-query": {"schema": {"type": "string"}},
                     "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"],
                                                                      "properties": {"query": {"type": "string"}}}}}},
                 "responses": {"200": {"description": "Results or a graph"}, "400": {"description": "Bad or refused query"},
                               "503": {"description": "Stopped after the time limit"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": __version__,
                 "description": "The named queries of the Budapest Process knowledge graph as a REST API. "
                                "IRI parameters may be full IRIs, prefixed names (state:TUR) or paths "
                                "(state/TUR); an IRI of a scheme other than http(s), urn, mailto and the "
                                "like goes in angle brackets (<foo:bar>).",
                 "license": {"name": "Apache-2.0 (code); CC-BY-4.0 (data)", "identifier": "Apache-2.0"}},
        "servers": [{"url": prefix.rstrip("/") or "/"}],
        "paths": paths,
        "components": {
            "parameters": {"format": {"name": "format", "in": "query", "required": False,
                                      "description": "Result format instead of the Accept header",
                                      "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]}},
                           "limit": {"name": "limit", "in": "query", "required": False,
                                     "description": "At most this many rows (a page), in the query's order",
                                     "schema": {"type": "integer", "minimum": 1, "maximum": 999999999}},
                           "offset": {"name": "offset", "in": "query", "required": False,
                                      "description": "Skip this many rows first (default 0)",
                                      "schema": {"type": "integer", "minimum": 0, "maximum": 999999999,
                                                 "default": 0}}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "status"],
                          "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
                "SparqlResults": {"type": "object", "description": "SPARQL 1.1 Query Results JSON",
                                  "properties": {"head": {"type": "object"}, "results": {"type": "object"},
                                                 "boolean": {"type": "boolean"}}}}},
    }


# ---------------------------------------------------------------------------------- the application
@dataclass
class Response:
    """An HTTP response: status, headers and body.

    >>> Response(404, {"Content-Type": "text/plain"}, b"no").status
    404
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _text(status: int, message: str) -> Response:
    return Response(status, {"Content-Type": "text/plain; charset=utf-8"}, (message.rstrip() + "\n").encode())


def _retry(reply: Reply) -> dict[str, str]:
    """``Retry-After`` for a request refused because every worker was busy."""
    return {"Retry-After": "1"} if reply.busy else {}


def _json(status: int, document: object) -> Response:
    return Response(status, {"Content-Type": "application/json"},
                    (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode())


class SiteApp:
    """Answers requests for a published site: files, 303 content negotiation, ``/sparql`` and ``/api``.

    >>> from bp_graph import KnowledgeGraph
    >>> from bp_graph.publishing import cached_site
    >>> from bp_graph.resources import resource_dir
    >>> app = SiteApp(cached_site(KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"])), workers=None)
    >>> r = app.handle("GET", "/source/skopje-2019", "", {"Accept": "text/turtle"})
    >>> r.status, r.headers["Location"]
    (303, '/source/skopje-2019.ttl')
    """

    def __init__(self, site: Path | None, *, workers: QueryWorkers | None, catalogue: Catalogue | None = None,
                 prefix: str = "/", base: str | None = None, answer_cache: int = ANSWER_CACHE_BYTES) -> None:
        """``answer_cache`` is how many bytes of successful answers are kept (0 keeps none)."""
        from .catalogue import load_catalogue
        from .namespaces import BASE

        self.site = Path(site).resolve() if site is not None else None
        self.workers = workers
        self.catalogue = catalogue or load_catalogue()
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        self.base = base or BASE
        self._openapi: bytes | None = None
        self._answers: LRUCache[str, Reply] | None = LRUCache(
            answer_cache, getsizeof=lambda reply: len(reply.body) + 200) if answer_cache > 0 else None
        self._answers_lock = threading.Lock()

    def _answer(self, request: dict[str, Any], prepare: Callable[[], dict[str, Any]] | None = None
                ) -> Reply:
        """A worker's answer to ``request`` (as ``prepare`` rewrites it), or the cached answer to the same request."""
        assert self.workers is not None
        if self._answers is None:
            return self.workers.run(prepare() if prepare else request)
        key = json.dumps(request, sort_keys=True)
        with self._answers_lock:
            cached = self._answers.get(key)
        if cached is not None:
            return cached
        reply = self.workers.run(prepare() if prepare else request)
        if reply.status == 200 and len(reply.body) <= self._answers.maxsize // 16:
            with self._answers_lock:
                self._answers[key] = reply
        return reply

    # -- helpers
    def _file(self, relative: str) -> Path | None:
        if self.site is None:
            return None
        parts = [p for p in relative.split("/") if p]
        if any(p in (".", "..") or (p.startswith(".") and p != ".well-known") for p in parts):
            return None
        if relative.endswith("/") and parts:
            return None
        target = self.site.joinpath(*parts) if parts else self.site / "index.html"
        try:  # a name too long for the file system or with a NUL byte is not a file here either
            resolved = target.resolve()
            found = resolved.is_relative_to(self.site) and resolved.is_file()
        except (OSError, ValueError):
            return None
        return resolved if found else None

    def _serve_file(self, path: Path) -> Response:
        name = path.name
        ext = "void" if path.parent.name == ".well-known" and name == "void" else name.rsplit(".", 1)[-1]
        media = "text/turtle; charset=utf-8" if ext == "void" else PAGE_TYPES.get(ext, "application/octet-stream")
        if name == "w3id.htaccess":
            media = PAGE_TYPES["htaccess"]
        return Response(200, {"Content-Type": media, "Cache-Control": "public, max-age=300"}, path.read_bytes())

    def _page_path(self, relative: str) -> str | None:
        """The site path (without extension) whose page documents ``relative``, if any."""
        candidates = [relative, iri_path(self.base + relative, base=self.base)]
        for candidate in candidates:
            if candidate and self._file(candidate + ".html") is not None:
                return candidate
        return None

    # -- entry point
    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes = b"") -> Response:
        """Answer one request (``path`` still percent-encoded, ``query`` the raw query string). HEAD is
        answered as GET (the HTTP layer sends the headers only); other methods than a path allows get
        405 with ``Allow``.

        >>> from bp_graph import KnowledgeGraph
        >>> from bp_graph.publishing import cached_site
        >>> from bp_graph.resources import resource_dir
        >>> site = cached_site(KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"]))
        >>> SiteApp(site, workers=None).handle("GET", "/no/such/thing", "", {}).status
        404
        """
        accept = headers.get("Accept") or headers.get("accept") or ""
        if path + "/" == self.prefix:  # the site's root without its slash: its relative links need the slash
            location = self.prefix + (f"?{query}" if query else "")
            return Response(308, {"Location": location, "Content-Type": "text/plain; charset=utf-8"},
                            f"See {location}\n".encode())
        if not path.startswith(self.prefix):
            return _text(404, f"not found: this server serves {self.prefix}")
        relative = urllib.parse.unquote(path[len(self.prefix):])
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        if relative == "sparql":
            return self.sparql(method, params, headers, body)
        if method not in ("GET", "HEAD"):
            return self._not_allowed(path)
        if relative in ("api", "api/"):
            return _json(200, {"queries": [{"name": n, "summary": self.catalogue[n].summary,
                                            "url": f"{self.prefix}api/{n}",
                                            "params": [p.name for p in self.catalogue[n].params]}
                                           for n in self.catalogue],
                               "openapi": f"{self.prefix}api/openapi.json"})
        if relative == "api/openapi.json":
            if self._openapi is None:
                self._openapi = (json.dumps(openapi_document(self.catalogue, prefix=self.prefix), indent=1)
                                 + "\n").encode()
            return Response(200, {"Content-Type": "application/json"}, self._openapi)
        if relative.startswith("api/"):
            return self.api(relative[4:], params, accept)
        found = self._file(relative)
        if found is not None:
            return self._serve_file(found)
        page = self._page_path(relative.rstrip("/")) if relative else None
        if page is None:
            return self._not_found(relative)
        asked = (params.get("format") or [""])[-1].lower()
        if asked:
            ext = FORMAT_NAMES.get(asked)
            if ext not in ("html", *RDF_FORMATS):
                return _text(400, f"unknown format {asked!r}; use html, ttl, jsonld, nt or rdf")
        else:
            media = negotiate(accept, [media for media, _ in DOCUMENT_OFFERS])
            if media is None:
                return Response(406, {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"},
                                ("not acceptable; this resource is available as text/html, text/turtle, "
                                 "application/ld+json, application/n-triples and application/rdf+xml\n").encode())
            ext = dict(DOCUMENT_OFFERS)[media]
        location = self.prefix + urllib.parse.quote(f"{page}.{ext}", safe="/-._~")
        return Response(303, {"Location": location, "Vary": "Accept", "Content-Type": "text/plain; charset=utf-8"},
                        f"See {location}\n".encode())

    def allowed(self, path: str) -> str:
        """The methods ``path`` answers (an ``Allow`` header).

        >>> SiteApp(None, workers=None).allowed("/sparql")
        'GET, HEAD, POST, OPTIONS'
        """
        return "GET, HEAD, POST, OPTIONS" if path == self.prefix + "sparql" else "GET, HEAD, OPTIONS"

    def _not_allowed(self, path: str) -> Response:
        allowed = self.allowed(path)
        return Response(405, {"Allow": allowed, "Content-Type": "text/plain; charset=utf-8"},
                        f"{path}: method not allowed (Allow: {allowed})\n".encode())

    def _not_found(self, relative: str) -> Response:
        from .pages import template_environment

        page = template_environment().get_template("notfound.html").render(
            title="Not found", site_title="The Budapest Process knowledge graph", root=self.prefix, jsonld=None,
            alternates=[], version=__version__)
        return Response(404, {"Content-Type": PAGE_TYPES["html"]}, page.encode())

    # -- SPARQL
    def sparql(self, method: str, params: Mapping[str, list[str]], headers: Mapping[str, str], body: bytes) -> Response:
        """The SPARQL 1.1 Protocol endpoint (read-only; refused operations answer 400 or 403). Without a
        query, GET answers the HTML form or the service description, by the ``Accept`` header."""
        from .safety import checked_query

        accept = headers.get("Accept") or headers.get("accept") or ""
        content_type = (headers.get("Content-Type") or headers.get("content-type") or "").split(";")[0].strip().lower()
        if method == "POST":
            if content_type == "application/sparql-update":
                return _text(403, "this endpoint is read-only: updates are not allowed")
            if content_type == "application/sparql-query":
                sent = {"query": [body.decode("utf-8", "replace")]}
            elif content_type in ("application/x-www-form-urlencoded", ""):
                sent = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            else:
                return _text(415, f"unsupported content type {content_type!r}; send application/sparql-query "
                                  "or an application/x-www-form-urlencoded form")
            if "query" in params and "query" in sent:
                return _text(400, "a query both in the URL and in the body: send it once")
            params = {**params, **sent}
        elif method not in ("GET", "HEAD"):
            return self._not_allowed(self.prefix + "sparql")
        if "update" in params:
            return _text(403, "this endpoint is read-only: updates are not allowed")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return _text(400, "default-graph-uri and named-graph-uri are not supported: queries run on this graph only "
                              "(its default graph is the union of all its graphs)")
        queries = params.get("query") or []
        if len(queries) > 1:
            return _text(400, f"{len(queries)} query parameters: the SPARQL protocol takes exactly one")
        text = queries[0] if queries else ""
        format_ = (params.get("format") or params.get("output") or [""])[-1]
        # SPARQLWrapper and others send media types as the format: the Accept header they send too decides
        if format_ and "/" not in format_ and FORMAT_NAMES.get(format_.lower()) in (None, "html"):
            return _text(400, f"unknown format {format_!r}; use json, xml, csv or tsv for results, "
                              "ttl, nt, jsonld or rdf for graphs")
        if not text.strip():
            if method == "POST":
                return _text(400, "no query: POST the query as application/sparql-query or as the form field 'query'")
            return self._describe_service(accept)
        if self.workers is None:
            return _text(503, "this server runs no query workers")
        request = {"op": "sparql", "query": text, "accept": accept, "format": format_}
        try:
            reply = self._answer(request, lambda: {**request, "query": checked_query(text)})
        except UnsafeQueryError as exc:  # a syntax error is the worker's to report (400, "query syntax error")
            return _text(400, f"query refused: {exc}")
        return Response(reply.status, {"Content-Type": reply.media, "Vary": "Accept", **_retry(reply)}, reply.body)

    def _describe_service(self, accept: str) -> Response:
        """``/sparql`` without a query: the HTML form for browsers, else the SPARQL service description."""
        import pyoxigraph as ox

        offers = {"text/html": None, "text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
                  "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML}
        media = negotiate(accept, list(offers))
        if media is None:
            return Response(406, {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"},
                            f"not acceptable; the service is described as {', '.join(offers)}\n".encode())
        chosen = offers[media]
        if chosen is None:
            return Response(200, {"Content-Type": PAGE_TYPES["html"], "Vary": "Accept"}, self._form_page())
        endpoint = self.base + "sparql"
        turtle = (f"@prefix sd: <{SD}> .\n"
                  f"<{endpoint}> a sd:Service ;\n"
                  f"    sd:endpoint <{endpoint}> ;\n"
                  "    sd:supportedLanguage sd:SPARQL11Query ;\n"
                  "    sd:feature sd:UnionDefaultGraph ;\n"
                  "    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,"
                  " <http://www.w3.org/ns/formats/SPARQL_Results_XML>, <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,"
                  " <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, <http://www.w3.org/ns/formats/Turtle>,"
                  " <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>,"
                  " <http://www.w3.org/ns/formats/RDF_XML> .\n").encode()
        body = turtle if chosen == ox.RdfFormat.TURTLE else \
            ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE), format=chosen) or b""
        return Response(200, {"Content-Type": media + ("; charset=utf-8" if media.startswith("text/") else ""),
                              "Vary": "Accept"}, body)

    def _form_page(self) -> bytes:
        from .pages import template_environment

        limit = self.workers.timeout if self.workers else 0
        return template_environment().get_template("sparql.html").render(
            title="SPARQL endpoint", site_title="The Budapest Process knowledge graph", root="", jsonld=None,
            alternates=[], version=__version__, timeout=f"{limit:g}",
            example="PREFIX bp: <https://w3id.org/bp-graph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                    "SELECT ?meeting ?label WHERE {\n  ?meeting a bp:Meeting ; rdfs:label ?label .\n} LIMIT 20").encode()

    # -- named queries
    def api(self, name: str, params: Mapping[str, list[str]], accept: str) -> Response:
        """``/api/{name}``: run a catalogue query; bad names and parameters answer 404 or 400 with JSON."""
        try:
            query = self.catalogue[name]
        except UnknownQuery as exc:
            return _json(404, {"error": str(exc), "status": 404})
        values: dict[str, str] = {}
        for key, items in params.items():
            if len(items) != 1 and key != "format":
                return _json(400, {"error": f"parameter {key!r} given {len(items)} times", "status": 400})
            if key not in RESERVED_PARAMETERS:
                values[key] = items[0]
        try:
            query.bind(values, base=self.base)
            offset, limit = _page(params)
        except QueryParameterError as exc:
            return _json(400, {"error": str(exc), "status": 400})
        if self.workers is None:
            return _json(503, {"error": "this server runs no query workers", "status": 503})
        format_ = (params.get("format") or [""])[-1]
        if format_ and FORMAT_NAMES.get(format_.lower()) not in ("json", "xml", "csv", "tsv"):
            return _json(400, {"error": f"unknown format {format_!r}; use json, xml, csv or tsv", "status": 400})
        request: dict[str, Any] = {"op": "named", "name": name, "params": values, "accept": accept, "format": format_}
        if offset or limit is not None:
            request |= {"offset": offset, "limit": limit}
        reply = self._answer(request)
        if reply.status == 503:
            refused = _json(503, {"error": reply.body.decode("utf-8", "replace").strip(), "status": 503})
            refused.headers |= _retry(reply)
            return refused
        headers = {"Content-Type": reply.media, "Vary": "Accept"}
        if reply.notes:  # a JSON array of strings: a header carries ASCII only
            headers["BP-Graph-Notes"] = json.dumps(list(reply.notes))
        if reply.rows is not None:
            headers["X-Total-Count"] = str(reply.rows)
            if limit is not None:
                headers |= self._page_links(name, params, offset, limit, reply.rows)
        return Response(reply.status, headers, reply.body)

    def _page_links(self, name: str, params: Mapping[str, list[str]], offset: int, limit: int,
                    total: int) -> dict[str, str]:
        """An RFC 8288 ``Link`` header to the next and previous pages of ``limit`` rows, if any."""
        kept = [(k, v) for k, items in params.items() if k not in ("limit", "offset") for v in items]
        pages = {"next": offset + limit if offset + limit < total else None,
                 "prev": max(0, min(offset, total) - limit) if offset > 0 else None}  # from past the end: the last rows
        links = [f'<{self.prefix}api/{urllib.parse.quote(name)}?'
                 f'{urllib.parse.urlencode([*kept, ("limit", limit), ("offset", start)])}>; rel="{rel}"'
                 for rel, start in pages.items() if start is not None]
        return {"Link": ", ".join(links)} if links else {}


def _page(params: Mapping[str, list[str]]) -> tuple[int, int | None]:
    """The ``offset`` (default 0) and ``limit`` (default: every row) of an ``/api`` request.

    >>> _page({"limit": ["20"], "offset": ["40"]})
    (40, 20)
    """
    found: dict[str, int] = {}
    for key, least in (("offset", 0), ("limit", 1)):
        given = params.get(key)
        if not given:
            continue
        text = given[-1]
        # at most 9 digits: int() of a long digit string is slow, and no answer has a billion rows
        if not (text.isascii() and text.isdigit() and len(text) <= 9 and int(text) >= least):
            raise QueryParameterError(f"{key} must be a whole number of at least {least} (at most 9 digits), "
                                      f"not {text!r}")
        found[key] = int(text)
    return found.get("offset", 0), found.get("limit")


class _Handler(BaseHTTPRequestHandler):
    server: LinkedDataServer
    protocol_version = "HTTP/1.1"
    server_version = f"bp-graph/{__version__}"
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for the
    # client's delayed ACK (40 ms on Linux) on every keep-alive response.
    disable_nagle_algorithm = True

    def _respond(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        refused = None
        declared = self.headers.get("Content-Length")
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            refused = _text(411, "send the request body with a Content-Length (chunked bodies are not read)")
        elif declared is not None and not (declared.strip().isdigit() and len(declared.strip()) <= 12):
            refused = _text(400, f"Content-Length must be a number of bytes, not {declared!r}")
        elif declared is not None and int(declared) > MAX_BODY:
            refused = _text(413, f"request body larger than {MAX_BODY} bytes")
        if refused is not None:  # the body was not read: the connection cannot carry another request
            refused.headers["Connection"] = "close"
            self._send(refused, method)
            return
        body = self.rfile.read(int(declared)) if declared else b""
        try:
            response = self.server.app.handle(method, url.path, url.query, dict(self.headers.items()), body)
        except Exception as exc:  # never let one request take the server down
            log.exception("request failed: %s", self.path)
            response = _text(500, f"internal error: {type(exc).__name__}")
        self._send(response, method)

    def _send(self, response: Response, method: str) -> None:
        self.send_response(response.status)
        headers = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Total-Count, Link, BP-Graph-Notes",
                   "X-Content-Type-Options": "nosniff", **response.headers}
        if "Content-Length" not in headers:
            headers["Content-Length"] = str(len(response.body))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if method != "HEAD" and response.body:
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._respond("POST")

    # Other methods get a 405 that says what the path allows (http.server would answer 501).
    def do_PUT(self) -> None:  # noqa: N802
        self._respond("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._respond("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._respond("PATCH")

    def do_OPTIONS(self) -> None:  # noqa: N802
        allowed = self.server.app.allowed(urllib.parse.urlsplit(self.path).path)
        self._send(Response(204, {"Allow": allowed, "Access-Control-Allow-Methods": allowed.replace(", OPTIONS", ""),
                                  "Access-Control-Allow-Headers": "Accept, Content-Type"}), "OPTIONS")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        log.info("%s %s", self.address_string(), format % args)


class LinkedDataServer(ThreadingHTTPServer):
    """The threading HTTP server with its :class:`SiteApp` (one thread per request).

    >>> issubclass(LinkedDataServer, ThreadingHTTPServer)
    True
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: SiteApp) -> None:
        self.app = app  # first: a socket that cannot bind is closed by server_close, which needs it
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up is not a server error: log it quietly; log anything else."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            log.debug("client %s hung up", client_address)
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        """The base URL the server answers at."""
        host, port = self.server_address[:2]
        assert isinstance(host, str)  # bound: getsockname()'s (str, int), never the bytes typeshed allows
        return f"http://{host}:{port}{self.app.prefix}"

    def server_close(self) -> None:
        """Close the socket and stop the query workers."""
        super().server_close()
        if self.app.workers is not None:
            self.app.workers.close()


def make_server(*, site: Path | None = None, graph: KnowledgeGraph | None = None, host: str = "127.0.0.1",
                port: int = DEFAULT_PORT, prefix: str = "/", timeout: float = DEFAULT_TIMEOUT, workers: int = 2,
                progress: Progress | None = None, pages: bool = True,
                answer_cache: int = ANSWER_CACHE_BYTES) -> LinkedDataServer:
    """A ready server for ``site`` (default: the graph's site, published once into the cache) with
    ``workers`` query processes; call ``serve_forever()`` and finally ``server_close()``. Without
    ``pages`` it serves only ``/sparql`` and ``/api`` (no site is published); ``answer_cache`` bytes
    of answers are kept for repeated requests (0: every request runs its query).

    >>> make_server.__name__
    'make_server'
    """
    from .graph import KnowledgeGraph
    from .publishing import cached_site

    kg = graph or KnowledgeGraph.open()
    folder: Path | None = None
    if pages and site is not None:
        folder = Path(site)
    elif pages:
        # a progress bar shows only on a terminal: say why the first start of a graph takes seconds
        log.info("the site's pages: from the cache, built there on the first start for this graph (seconds)")
        folder = cached_site(kg, progress=progress)
    if folder is not None and not (folder / "index.html").is_file():
        raise BPGraphError(f"{folder} holds no published site (no index.html); run 'bp-graph publish {folder}'")
    pool = QueryWorkers(kg.sources, reasoning=kg.reasoning, size=workers, timeout=timeout)
    try:
        pool.start()
        app = SiteApp(folder, workers=pool, catalogue=kg.catalogue, prefix=prefix, base=kg.base,
                      answer_cache=answer_cache)
        try:
            return LinkedDataServer((host, port), app)
        except (OSError, OverflowError) as exc:  # a port in use or out of range, a host that is not here
            raise BPGraphError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from None
    except BaseException:
        pool.close()
        raise


def serve(**options: Any) -> None:
    """Run :func:`make_server` until interrupted (Ctrl-C or SIGTERM), then stop the workers.

    >>> serve.__name__
    'serve'
    """
    run_until_interrupted(lambda: make_server(**options))


def run_until_interrupted(make: Callable[[], LinkedDataServer],
                          ready: Callable[[LinkedDataServer], None] | None = None) -> None:
    """Make a server, tell ``ready`` about it, and serve until Ctrl-C or SIGTERM; then close it,
    which stops its query workers. SIGTERM counts as Ctrl-C from before the workers start until
    the server is closed, so that a service manager's stop never kills this process with workers
    left behind, whenever it comes; either ends the call normally.

    >>> callable(run_until_interrupted)
    True
    """
    server: LinkedDataServer | None = None
    with _sigterm_interrupts():
        try:
            server = make()
            if ready is not None:
                ready(server)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if server is not None:
                server.server_close()


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt as Ctrl-C does (in the main thread only,
    where signal handlers live)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
