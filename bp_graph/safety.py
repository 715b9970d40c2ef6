"""Guards for query text that is not the project's own (``bp-graph sparql``, the server's /sparql).

Such text must stay a read-only query over the graph: no update, no ``SERVICE`` (network), no
``FROM``/``FROM NAMED`` (rdflib would fetch the URL; Oxigraph would quietly change the dataset), no
``LOAD``. SPARQL lets a query spell keywords with ``\\u`` escapes, so the text is unescaped first
and the checked text is the one that runs.
"""

from __future__ import annotations

import re
import threading
from itertools import accumulate
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import UnsafeQueryError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
MAX_QUERY_LENGTH = 100_000
MAX_NESTING = 64
"""Brackets (``{``, ``(``, ``[``) a query may nest: a catalogue query nests fewer than ten, and
Oxigraph's time grows fast with depth (200 levels of ``[ ]``: 36 s)."""


# rdflib's SPARQL grammar is one shared pyparsing object, which is not thread-safe: concurrent
# parses (one per request thread of the server) corrupt it for the rest of the process. Every
# parse in bp-graph goes through this lock.
_PARSER_LOCK = threading.Lock()


def prepare_sparql(text: str, namespaces: Mapping[str, Any] | None = None, base: str | None = None) -> Query:
    """rdflib's prepared (parsed and translated) query for ``text`` (relative IRIs against
    ``base``), parsed one thread at a time.

    >>> prepare_sparql("ASK { ?s ?p ?o }").algebra.name
    'AskQuery'
    """
    from rdflib.plugins.sparql import prepareQuery

    with _PARSER_LOCK:
        return prepareQuery(text, initNs=dict(namespaces or {}), base=base)


def parse_sparql(text: str) -> Any:
    """rdflib's parse tree of ``text`` (before translation, which rewrites it in place), parsed one
    thread at a time.

    >>> parse_sparql("ASK { ?s ?p ?o }")[1].name
    'AskQuery'
    """
    from rdflib.plugins.sparql.parser import parseQuery

    with _PARSER_LOCK:
        return parseQuery(text)


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes (``\u0053`` -> ``S``) as the grammar says, before parsing.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def checked_query(text: str) -> str:
    """Return the text to run if it is a read-only query that reaches nothing but the graph, else
    raise :class:`UnsafeQueryError`. Syntax is left to the engine that runs the text.

    The check reads SPARQL's tokens, not a parse tree: once comments, strings, IRIs, variables,
    prefixed names, blank node labels and language tags are set aside, what remains are keywords,
    punctuation and numbers, and no keyword of a query is an update keyword, ``SERVICE`` or
    ``FROM``. (rdflib's parser took 39 ms for a catalogue query, one thread at a time: the
    server's /sparql answered about 25 new queries a second.)

    >>> checked_query("SELECT * WHERE { ?s <http://e/from> 'SERVICE' . ?from ?p ex:service } # LOAD")
    "SELECT * WHERE { ?s <http://e/from> 'SERVICE' . ?from ?p ex:service } # LOAD"
    >>> checked_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    bp_graph.errors.UnsafeQueryError: SERVICE is not allowed: queries run on this graph only
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise UnsafeQueryError(f"query longer than {MAX_QUERY_LENGTH} characters")
    text = unescape_codepoints(text)
    tokens = _OPAQUE.sub(" ", text)
    # the running depth, summed in C (a Python loop took a third of this check on a long query)
    deepest = max(accumulate(map(_BRACKET_STEP.__getitem__, _BRACKET.findall(tokens))), default=0)
    if deepest > MAX_NESTING:
        # Oxigraph's parser recurses once per level and overflows its stack (a crash, not an error)
        # from about 2,500 levels of braces
        raise UnsafeQueryError(f"brackets nested {deepest} levels deep, more than the limit of {MAX_NESTING}")
    keywords = {word.upper() for word in _WORD.findall(tokens)}
    if "SERVICE" in keywords:
        raise UnsafeQueryError("SERVICE is not allowed: queries run on this graph only")
    if "FROM" in keywords:
        raise UnsafeQueryError("FROM and FROM NAMED are not allowed: queries run on this graph only")
    if keywords & _UPDATE_KEYWORDS:
        raise UnsafeQueryError("updates are not allowed: the graph is read-only")
    return text


def undeclared_prefixes(text: str) -> set[str]:
    """The prefixes that prefixed names in query ``text`` use without a PREFIX declaration.

    >>> sorted(undeclared_prefixes("PREFIX a: <http://a/> SELECT * { ?s a:p b:o ; <http://x/> 'c:d' } # e:f"))
    ['b']
    """
    used: set[str] = set()
    declared: set[str] = set()
    end = 0
    for token in _OPAQUE.finditer(text):
        name = _PREFIXED.match(token.group())
        if name is not None:
            # a name right after the keyword PREFIX is a declaration
            (declared if _DECLARING.search(text, end, token.start()) else used).add(name.group(1))
        end = token.end()
    return used - declared


# The tokens of the SPARQL 1.1 grammar (section 19.8) that may hold any word; long strings first.
_OPAQUE = re.compile(r"""
      \#[^\n\r]*                                  # comment
    | "{3}(?:[^"\\]|\\.|"(?!""))*"{3}             # long strings
    | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
    | "(?:[^"\\\n\r]|\\.)*"                       # strings
    | '(?:[^'\\\n\r]|\\.)*'
    | <[^<>"{}|^`\\\x00-\x20]*>                   # IRI
    | [?$]\w+                                     # variable
    | @[A-Za-z]+(?:-[A-Za-z0-9]+)*                # language tag
    | [\w.-]*:(?:[\w.:%-]|\\.)*                   # prefixed name, blank node label
""", re.VERBOSE)
_WORD = re.compile(r"[A-Za-z_]+")
_PREFIXED = re.compile(r"(?!_:)([\w.-]*):")
_DECLARING = re.compile(r"\bPREFIX\s*\Z", re.IGNORECASE)
_BRACKET = re.compile(r"[{}()\[\]]")
_BRACKET_STEP = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}
_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                              "WITH", "USING"})
