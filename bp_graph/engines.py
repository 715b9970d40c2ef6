"""Engines that answer SPARQL: embedded Oxigraph (default), rdflib, and remote SPARQL 1.1 endpoints.

Each engine takes query text plus parameter bindings (RDF terms by variable name), and prefixes
and a base IRI to declare for text that uses them without declaring them, and returns a
:class:`~bp_graph.results.QueryResult` or :class:`~bp_graph.results.GraphResult`. Bindings are
validated terms, never user text: rdflib takes them as ``initBindings``; Oxigraph and remote
endpoints get a ``VALUES`` block written from the terms' N-Triples form at the start of the WHERE
group (Oxigraph's own substitution only binds projected variables, and the catalogue's contract
does not project every parameter).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, cast

from .cache import write_atomically
from .errors import BPGraphError, EndpointError, QueryError, QuerySyntaxError
from .results import GraphResult, QueryResult, Term

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib
    from rdflib.query import ResultRow

    from .textindex import IndexedQuery, NameIndex

EngineName = Literal["oxigraph", "rdflib", "remote"]
Answer = QueryResult | GraphResult
DEFAULT_TIMEOUT = 30.0


class Engine(Protocol):
    """What every engine offers."""

    name: EngineName

    def run(self, text: str, bindings: Mapping[str, Term] | None = None, *,
            prefixes: Mapping[str, str] | None = None, base: str | None = None) -> Answer:
        """Run SPARQL ``text`` with ``bindings`` and return its answer; ``prefixes`` (name to
        namespace) and ``base`` (relative IRIs' base) are declared for the text, whose own
        declarations win."""
        ...


class OxigraphEngine:
    """Queries an embedded pyoxigraph store; the default graph is the union of all graphs."""

    name: EngineName = "oxigraph"

    def __init__(self, store: pyoxigraph.Store, *, index_dir: Path | None = None) -> None:
        """``index_dir``, when given, keeps the text indexes of this store's content between processes."""
        self.store = store
        self.index_dir = index_dir
        self._name_indexes: dict[str, NameIndex] = {}  # by marked group; the store does not change

    def run(self, text: str, bindings: Mapping[str, Term] | None = None, *,
            prefixes: Mapping[str, str] | None = None, base: str | None = None) -> Answer:
        bindings = bindings or {}
        indexed = _marked(text) if bindings else None
        if indexed is not None:
            from .textindex import rewrite

            text = rewrite(indexed, bindings, self._name_index(indexed)) or text
        return self._run(text, bindings, prefixes, base)

    def prepare(self, texts: Iterable[str]) -> int:
        """Build (or read) the text index of each query in ``texts`` that marks a group, so that
        its first search is as fast as the next; return how many indexes are ready. A long-running
        process calls it at start: at a million triples the first build takes about a second.

        >>> from bp_graph.catalogue import load_catalogue
        >>> from bp_graph.store import oxigraph_engine, packaged_sources
        >>> oxigraph_engine(packaged_sources(), reasoning=False).prepare(q.text for q in load_catalogue().values())
        1
        """
        marked = [indexed for indexed in map(_marked, texts) if indexed is not None]
        for indexed in marked:
            self._name_index(indexed)
        return len(marked)

    def _name_index(self, query: IndexedQuery) -> NameIndex:
        index = self._name_indexes.get(query.group)
        if index is None:
            saved = self.index_dir / f"names-{hashlib.sha256(query.group.encode()).hexdigest()[:16]}.json" \
                if self.index_dir else None
            try:
                rows = json.loads(saved.read_bytes()) if saved else None
            except (OSError, ValueError):  # not built yet (or cut short: rebuilt)
                rows = None
            if rows is None:
                # Oxigraph's terms print as N-Triples: no conversion to Term for a hundred thousand pairs.
                listed = self.store.query(query.pairs_query(), use_default_graph_as_union=True)
                rows = [(str(key), str(name), name.value) for key, name in listed  # type: ignore[union-attr]
                        if key is not None and name is not None]
                if saved:
                    write_atomically(saved, lambda path: path.write_text(json.dumps(rows), encoding="utf-8"))
            from .textindex import NameIndex

            index = self._name_indexes[query.group] = NameIndex(rows)
        return index

    def _run(self, text: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None,
             base: str | None) -> Answer:
        import pyoxigraph as ox

        try:
            answer = self.store.query(with_values(text, bindings), use_default_graph_as_union=True,
                                      prefixes=dict(prefixes) if prefixes else None, base_iri=base)
        except SyntaxError as exc:
            raise QuerySyntaxError(syntax_message(text, str(exc))) from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult((), [], boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            return QueryResult([v.value for v in answer.variables], _rows(answer))
        import rdflib

        graph = rdflib.Graph()
        data = ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
        if data:
            graph.parse(data=data.decode("utf-8"), format="nt")
        return GraphResult(graph)


def oxigraph_syntax_error(text: str, prefixes: Mapping[str, str] | None = None, base: str | None = None) -> str | None:
    """Oxigraph's parse error for query ``text`` (with ``prefixes`` and ``base`` declared), made
    readable by :func:`syntax_message`; None when the text parses.

    >>> oxigraph_syntax_error("ASK { ?s ?p ?o }") is None, oxigraph_syntax_error("ASK { ?s foo:p ?o }")
    (True, "error at 1:10: unknown prefix 'foo:'; declare it: PREFIX foo: <...>")
    """
    import pyoxigraph

    try:
        # an empty store: parsing is the work
        pyoxigraph.Store().query(text, prefixes=dict(prefixes) if prefixes else None, base_iri=base)
    except SyntaxError as exc:
        return syntax_message(text, str(exc))
    return None


def syntax_message(text: str, message: str) -> str:
    """Oxigraph's parse error for query ``text``, readable: an unknown prefix is named, with its
    IRI when the project knows it, and the grammar's character classes are left out.

    >>> syntax_message("SELECT * { ?s state:p ?o }", "error at 1:20: expected one of Prefix not found, ['.']")
    "error at 1:15: unknown prefix 'state:'; declare it: PREFIX state: <https://w3id.org/bp-graph/state/>"
    """
    at = re.match(r"error at (\d+):(\d+): ", message)
    if at is None:
        return message
    line, column = int(at.group(1)), int(at.group(2))
    rest = message[at.end():]
    if "Prefix not found" in rest:
        lines = text.split("\n")  # as Oxigraph counts lines (not at U+2028, as splitlines does)
        before = lines[min(line, len(lines)) - 1][:column]
        names = re.findall(r"(?<![\w<:])([^\W\d][\w.-]*)?:(?!//)", before)
        if names:
            from .namespaces import KNOWN_PREFIXES

            name = names[-1]
            where = f"error at {line}:{before.rfind(name + ':') + 1}: "
            return f"{where}unknown prefix '{name}:'; declare it: PREFIX {name}: <{KNOWN_PREFIXES.get(name, '...')}>"
    # Oxigraph lists the characters it would accept ('\u{00C0}'..='\u{00D6}' | ...): keep the words
    kept = re.sub(r"\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]", "", rest)
    lead = re.match(r"expected(?: one of)? ", kept)
    head = lead.group() if lead else ""
    words = [w.strip() for w in re.findall(r'"(?:[^"\\]|\\.)*"|[^,"]+', kept[len(head):]) if w.strip()]
    if not words:
        return at.group() + ("the query is empty" if not text.strip() else "the query cannot be read from here")
    return at.group() + head + ", ".join(words)


@functools.lru_cache(maxsize=64)
def _marked(text: str) -> IndexedQuery | None:
    """``text`` split around its text-index group, or None; split once per query text (the
    catalogue's few, not ad-hoc text: only bound queries use the index)."""
    if "# text-index:" not in text:
        return None
    from .textindex import IndexedQuery  # only for the queries that mark a group

    return IndexedQuery.split(text)


def _rows(solutions: pyoxigraph.QuerySolutions) -> list[tuple[Term | None, ...]]:
    # Each distinct term is converted once: rows repeat IRIs and datatypes, and reading a value
    # out of Oxigraph costs more than a dictionary lookup (a 31-row answer: 0.29 -> 0.16 ms).
    import pyoxigraph as ox

    made: dict[object, Term] = {}

    def convert(term: object) -> Term:
        if type(term) is ox.NamedNode:
            return Term("uri", term.value)
        if type(term) is ox.BlankNode:
            return Term("bnode", term.value)
        assert isinstance(term, ox.Literal)
        if term.language:
            return Term("literal", term.value, None, term.language)
        return Term("literal", term.value, term.datatype.value)

    rows: list[tuple[Term | None, ...]] = []
    for solution in solutions:
        row: list[Term | None] = []
        for term in solution:
            known = made.get(term)  # an unbound column (None) is never stored, so stays None
            if known is None and term is not None:
                known = made[term] = convert(term)
            row.append(known)
        rows.append(tuple(row))
    return rows


class RdflibEngine:
    """Queries an rdflib Dataset (union default graph) with rdflib's SPARQL engine."""

    name: EngineName = "rdflib"

    def __init__(self, dataset: rdflib.Dataset) -> None:
        import rdflib.plugins.sparql as sparql

        # Never let query text make rdflib fetch graphs (FROM <url>, LOAD).
        sparql.SPARQL_LOAD_GRAPHS = False
        self.dataset = dataset

    def run(self, text: str, bindings: Mapping[str, Term] | None = None, *,
            prefixes: Mapping[str, str] | None = None, base: str | None = None) -> Answer:
        from pyparsing import ParseException

        from .safety import prepare_sparql

        init = {k: t.to_rdflib() for k, t in (bindings or {}).items()}
        try:
            # the dataset's prefixes, as rdflib's own Dataset.query(text) would give them, then these
            namespaces = {**dict(self.dataset.namespaces()), **(prefixes or {})}
            result = self.dataset.query(prepare_sparql(text, namespaces, base=base), initBindings=init)
            if result.type == "ASK":
                return QueryResult((), [], boolean=bool(result.askAnswer))
            if result.type == "SELECT":
                variables = [str(v) for v in result.vars or []]
                # rdflib types every result row as a triple, bool or ResultRow; a SELECT's are ResultRows
                rows = [tuple(None if t is None else Term.from_rdflib(t) for t in row)
                        for row in cast("Iterable[ResultRow]", result)]
                return QueryResult(variables, rows)
            import rdflib

            graph = rdflib.Graph()
            for triple in result:
                graph.add(triple)  # type: ignore[arg-type]
            return GraphResult(graph)
        except BPGraphError:
            raise
        except Exception as exc:
            # The error of a query that is not SPARQL is Oxigraph's, whichever engine runs it: rdflib
            # says "Expected SelectQuery" at the first character of any clause it cannot read, and
            # that a prefix is unknown only as it evaluates.
            unparsed = isinstance(exc, ParseException) or "Unknown namespace prefix" in str(exc)
            wrong = oxigraph_syntax_error(text, prefixes, base) if unparsed else None
            if wrong is not None:
                raise QuerySyntaxError(wrong) from None
            if isinstance(exc, ParseException):
                raise QuerySyntaxError(f"rdflib's engine cannot parse the query (line {exc.lineno}, column {exc.col}: "
                                       f"{exc.msg}); it is SPARQL 1.1 that the default engine, oxigraph, reads") from None
            # rdflib's evaluator fails on some valid queries with its own TypeErrors
            raise QueryError(f"rdflib's engine could not evaluate the query ({type(exc).__name__}: {exc}); "
                             "the default engine, oxigraph, may") from exc


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


class RemoteEngine:
    """Queries a SPARQL 1.1 Protocol endpoint through SPARQLWrapper, with a timeout."""

    name: EngineName = "remote"

    def __init__(self, endpoint: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def run(self, text: str, bindings: Mapping[str, Term] | None = None, *,
            prefixes: Mapping[str, str] | None = None, base: str | None = None) -> Answer:
        import urllib.error

        from SPARQLWrapper import JSON, N3, SPARQLWrapper

        text = with_declarations(with_values(text, bindings or {}), prefixes or {}, base)
        client = SPARQLWrapper(self.endpoint)
        client.setTimeout(int(self.timeout))
        client.setMethod("POST")
        client.setQuery(text)
        is_graph = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(N3 if is_graph else JSON)
        if is_graph:
            client.addCustomHttpHeader("Accept", "application/n-triples")
        try:
            raw = client.query().response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise EndpointError(f"{self.endpoint} answered {exc.code}: {detail}{_wrong_url(exc.code, 'query')}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise EndpointError(f"cannot reach {self.endpoint}: {getattr(exc, 'reason', exc)}") from None
        except Exception as exc:  # SPARQLWrapper wraps HTTP errors in its own classes
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            code = 404 if type(exc).__name__ == "EndPointNotFound" else 0
            raise EndpointError(f"{self.endpoint} answered with an error: {first}{_wrong_url(code, 'query')}") from None
        expected = "N-Triples" if is_graph else "SPARQL results JSON"
        try:
            if is_graph:
                import pyoxigraph as ox
                import rdflib

                for _ in ox.parse(input=raw, format=ox.RdfFormat.N_TRIPLES):  # rdflib's parser takes any "IRI"
                    pass
                return GraphResult(rdflib.Graph().parse(data=raw.decode("utf-8"), format="nt"))
            doc = json.loads(raw)
            if "boolean" in doc:
                if not isinstance(doc["boolean"], bool):
                    raise ValueError(f"boolean {doc['boolean']!r} is not true or false")
                return QueryResult((), [], boolean=doc["boolean"])
            variables = doc["head"].get("vars", [])
            rows = [tuple(Term.from_json(b[v]) if v in b else None for v in variables)
                    for b in doc["results"]["bindings"]]
        except Exception as exc:  # whatever the endpoint sent, its parse error is the endpoint's fault
            raise EndpointError(f"{self.endpoint} did not answer with {expected} "
                                f"({type(exc).__name__}: {str(exc)[:200]})") from None
        return QueryResult(variables, rows)


def _wrong_url(status: int, kind: Literal["query", "store"]) -> str:
    """A hint for the statuses a URL of the other kind of endpoint answers (Oxigraph serves both)."""
    if status not in (404, 405, 415):
        return ""
    if kind == "query":
        return "; is it the SPARQL query URL? (Oxigraph: http://host:port/query; /store is for load-endpoint)"
    return "; is it the Graph Store Protocol URL? (Oxigraph: http://host:port/store; /query is for --endpoint)"


def with_declarations(text: str, prefixes: Mapping[str, str], base: str | None = None) -> str:
    """``text`` with ``base`` as its BASE (a BASE of its own comes later, and wins) and a PREFIX
    declaration for each of ``prefixes`` that it uses but does not declare, all on its first
    line: the endpoint's messages keep their line numbers.

    >>> with_declarations("ASK { ?s a bp:State ; ex:p ?o }", {"bp": "https://w3id.org/bp-graph/ontology#"})
    'PREFIX bp: <https://w3id.org/bp-graph/ontology#> ASK { ?s a bp:State ; ex:p ?o }'
    """
    from .safety import undeclared_prefixes

    if not prefixes and not base:  # a named query declares its own: no tokenizing on every call
        return text
    missing = sorted(undeclared_prefixes(text) & prefixes.keys())
    declared = "".join(f"PREFIX {name}: <{prefixes[name]}> " for name in missing)
    return (f"BASE <{base}> " if base else "") + declared + text


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with a ``VALUES`` block for ``bindings`` at the start of its WHERE clause.

    Inside the WHERE group the block binds the variables for the whole group, FILTERs included,
    as substitution does on the embedded engines.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"o": Term("literal", 'a"b')})
    'SELECT ?x WHERE { VALUES (?o) { ("a\\\\"b") }  ?x ?p ?o }'
    """
    if not bindings:
        return text
    match = _WHERE.search(text)
    if not match:
        raise QuerySyntaxError("a parameterised query needs an explicit WHERE { ... } clause")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    return text[: match.end()] + block + text[match.end():]


def push_graphs(store_endpoint: str, graphs: Mapping[str, bytes], *, default_graph: bool = False,
                timeout: float = DEFAULT_TIMEOUT) -> int:
    """PUT N-Triples graphs to a SPARQL 1.1 Graph Store Protocol endpoint; return the bytes sent.

    Each named graph replaces the graph of the same IRI; with ``default_graph`` every graph is
    POSTed into the default graph instead (for stores without a union default graph).
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    sent = 0
    for iri, body in graphs.items():
        if default_graph:
            url, method = f"{store_endpoint}?default", "POST"
        else:
            url, method = f"{store_endpoint}?graph={urllib.parse.quote(iri, safe='')}", "PUT"
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (user's endpoint)
                response.read()
        except urllib.error.HTTPError as exc:
            raise EndpointError(f"{store_endpoint} refused graph {iri}: {exc.code} "
                                f"{exc.read().decode('utf-8', 'replace')[:200]}{_wrong_url(exc.code, 'store')}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise EndpointError(f"cannot reach {store_endpoint}: {getattr(exc, 'reason', exc)}") from None
        sent += len(body)
    return sent
