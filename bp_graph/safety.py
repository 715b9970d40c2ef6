"""Guards for query text that is not the project's own (``bp-graph sparql``, the server's /sparql).

Such text must stay a read-only query over the graph: no update, no ``SERVICE`` (network), no
``FROM``/``FROM NAMED`` (both rdflib and Oxigraph would fetch the URL), no ``LOAD``. SPARQL lets a
query spell keywords with ``\\u`` escapes, so the text is unescaped first and the checked text is
the one that runs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import QuerySyntaxError, UnsafeQueryError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
MAX_QUERY_LENGTH = 100_000


# rdflib's SPARQL grammar is one shared pyparsing object, which is not thread-safe: concurrent
# parses (one per request thread of the server) corrupt it for the rest of the process. Every
# parse in bp-graph goes through this lock.
_PARSER_LOCK = threading.Lock()


def prepare_sparql(text: str, namespaces: Mapping[str, Any] | None = None) -> Query:
    """rdflib's prepared (parsed and translated) query for ``text``, parsed one thread at a time.

    >>> prepare_sparql("ASK { ?s ?p ?o }").algebra.name
    'AskQuery'
    """
    from rdflib.plugins.sparql import prepareQuery

    with _PARSER_LOCK:
        return prepareQuery(text, initNs=dict(namespaces or {}))


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes (``\u0053`` -> ``S``) as the grammar says, before parsing.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def checked_query(text: str) -> str:
    """Return the text to run if it is a safe read-only query, else raise.

    >>> checked_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    'SELECT * WHERE { ?s ?p ?o } LIMIT 1'
    >>> checked_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    bp_graph.errors.UnsafeQueryError: SERVICE is not allowed: queries run on this graph only
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise UnsafeQueryError(f"query longer than {MAX_QUERY_LENGTH} characters")
    text = unescape_codepoints(text)
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with _PARSER_LOCK:
            parsed = parseQuery(text)
    except ParseException as exc:
        if re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", text, re.I):
            raise UnsafeQueryError("updates are not allowed: the graph is read-only") from None
        raise QuerySyntaxError(f"line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    _refuse(parsed)
    return text


def _refuse(node: object) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            raise UnsafeQueryError("SERVICE is not allowed: queries run on this graph only")
        if dict.get(node, "datasetClause"):
            raise UnsafeQueryError("FROM and FROM NAMED are not allowed: queries run on this graph only")
        for value in node.values():
            _refuse(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:  # type: ignore[attr-defined]
            _refuse(value)
