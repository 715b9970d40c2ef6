"""Query results: one engine-neutral term model and the W3C serialisations of it.

Every engine turns its answers into :class:`Term` rows, so that SPARQL 1.1 Query Results JSON,
CSV and TSV, the human table and Python values are written by one piece of code, whatever
engine answered.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
import shutil
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Literal, NamedTuple, Sequence

if TYPE_CHECKING:  # rdflib stays off the hot path of the embedded engine
    import rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NUMERIC_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}

TermKind = Literal["uri", "literal", "bnode"]
ResultFormat = Literal["json", "xml", "csv", "tsv", "table"]
GraphFormat = Literal["turtle", "jsonld", "ntriples", "xml"]


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, not even as a character reference (validation refuses them in a
submission; results with one cannot be written as XML)."""

class Term(NamedTuple):
    """An RDF term as the SPARQL results formats see it (immutable; a named tuple because answers
    make one per distinct term, and a tuple is built in half the time of a frozen dataclass).

    >>> Term("literal", "24", XSD + "integer").to_python()
    24
    >>> Term("uri", "https://w3id.org/bp-graph/state/TUR").n3()
    '<https://w3id.org/bp-graph/state/TUR>'
    """

    kind: TermKind
    value: str
    datatype: str | None = None
    language: str | None = None

    def n3(self) -> str:
        """The term in N-Triples syntax (as TSV and VALUES clauses need it)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = (self.value.replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        if self.language:
            return f'"{text}"@{self.language}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'

    def to_python(self) -> object:
        """A plain Python value: IRIs and strings as ``str``, numbers, booleans and dates typed."""
        if self.kind != "literal" or not self.datatype:
            return self.value
        try:
            if self.datatype in _INTEGERS:
                return int(self.value)
            if self.datatype == XSD + "decimal":
                return Decimal(self.value)
            if self.datatype in (XSD + "double", XSD + "float"):
                return float(self.value)
            if self.datatype == XSD + "boolean":
                return self.value in ("true", "1")
            if self.datatype == XSD + "date":
                return _dt.date.fromisoformat(self.value)
        except ValueError:
            return self.value
        return self.value

    def to_rdflib(self) -> rdflib.term.Identifier:
        """The same term as an rdflib term."""
        from rdflib import BNode, Literal as RDFLiteral, URIRef

        if self.kind == "uri":
            return URIRef(self.value)
        if self.kind == "bnode":
            return BNode(self.value)
        datatype = None if self.language or self.datatype in (None, RDF_LANGSTRING) else URIRef(self.datatype)
        return RDFLiteral(self.value, lang=self.language, datatype=datatype)

    @classmethod
    def from_rdflib(cls, term: Any) -> Term:
        """Convert an rdflib term."""
        from rdflib import BNode, Literal as RDFLiteral

        if isinstance(term, RDFLiteral):
            datatype = str(term.datatype) if term.datatype else (None if term.language else XSD + "string")
            return cls("literal", str(term), datatype, term.language)
        if isinstance(term, BNode):
            return cls("bnode", str(term))
        return cls("uri", str(term))

    @classmethod
    def from_json(cls, binding: dict[str, str]) -> Term:
        """Convert one binding of the SPARQL 1.1 Query Results JSON format."""
        kind = binding["type"]
        if kind in ("literal", "typed-literal"):
            language = binding.get("xml:lang")
            datatype = binding.get("datatype") or (None if language else XSD + "string")
            return cls("literal", binding["value"], datatype, language)
        if kind == "uri":
            return cls("uri", binding["value"])
        if kind == "bnode":
            return cls("bnode", binding["value"])
        raise ValueError(f"unknown term type {kind!r} (SPARQL results JSON has uri, literal and bnode)")

    def to_json(self) -> dict[str, str]:
        """This term as one binding of the SPARQL 1.1 Query Results JSON format."""
        if self.kind != "literal":
            return {"type": self.kind, "value": self.value}
        out = {"type": "literal", "value": self.value}
        if self.language:
            out["xml:lang"] = self.language
        elif self.datatype and self.datatype != XSD + "string":
            out["datatype"] = self.datatype
        return out


Row = tuple["Term | None", ...]


class QueryResult:
    """The answer of a SELECT or ASK query.

    >>> r = QueryResult(("n",), [(Term("literal", "1", XSD + "integer"),)])
    >>> r.as_dicts()
    [{'n': 1}]
    >>> print(r.serialize("csv"), end="")
    n
    1
    """

    def __init__(self, variables: Sequence[str], rows: Sequence[Row], *, boolean: bool | None = None) -> None:
        self.variables: tuple[str, ...] = tuple(variables)
        self.rows: list[Row] = list(rows)
        self.boolean = boolean

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<QueryResult {len(self.rows)} rows: {', '.join(self.variables)}>"

    def as_dicts(self) -> list[dict[str, object]]:
        """Rows as dictionaries of Python values (unbound columns are ``None``)."""
        return [{v: (t.to_python() if t is not None else None) for v, t in zip(self.variables, row)}
                for row in self.rows]

    def as_rdflib(self) -> list[tuple[Any, ...]]:
        """Rows as tuples of rdflib terms (``None`` where unbound)."""
        return [tuple(t.to_rdflib() if t is not None else None for t in row) for row in self.rows]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of the Python values (needs ``pip install bp-graph[pandas]``)."""
        try:
            import pandas as pd
        except ImportError:  # an optional dependency, as pandas words its own
            raise ImportError("QueryResult.to_dataframe needs pandas: pip install 'bp-graph[pandas]'") from None

        return pd.DataFrame(self.as_dicts(), columns=list(self.variables))

    def serialize(self, fmt: ResultFormat = "json") -> str:
        """The result in a W3C format (``json``, ``xml``, ``csv``, ``tsv``) or as a human ``table``.
        ``xml`` raises ValueError for a value XML cannot carry (a control character)."""
        if fmt == "json":
            return self._json()
        if fmt == "xml":
            return self._xml()
        if fmt == "csv":
            return self._csv()
        if fmt == "tsv":
            return self._tsv()
        if fmt == "table":
            return self._table()
        raise ValueError(f"unknown result format {fmt!r}")

    def _json(self) -> str:
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = [{v: t.to_json() for v, t in zip(self.variables, row) if t is not None} for row in self.rows]
        return json.dumps({"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False)

    def _xml(self) -> str:
        """The SPARQL 1.1 Query Results XML Format.

        >>> print(QueryResult(["s"], [(Term("literal", "a<b", None, "en"),)])._xml())
        <?xml version="1.0" encoding="utf-8"?>
        <sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/></head><results><result><binding name="s"><literal xml:lang="en">a&lt;b</literal></binding></result></results></sparql>
        """
        from xml.sax.saxutils import escape, quoteattr

        def term(t: Term) -> str:
            if NOT_XML.search(t.value):
                raise ValueError(f"{t.value[:40]!r} holds a character XML cannot carry; ask for JSON, CSV or TSV")
            if t.kind == "uri":
                return f"<uri>{escape(t.value)}</uri>"
            if t.kind == "bnode":
                return f"<bnode>{escape(t.value)}</bnode>"
            tag = f" xml:lang={quoteattr(t.language)}" if t.language else \
                f" datatype={quoteattr(t.datatype)}" if t.datatype and t.datatype != XSD + "string" else ""
            return f"<literal{tag}>{escape(t.value, {chr(13): '&#13;'})}</literal>"  # a parser reads a bare CR as LF

        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if self.boolean is not None:
            parts.append(f"<head/><boolean>{'true' if self.boolean else 'false'}</boolean>")
        else:
            parts.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in self.variables) + "</head>")
            parts.append("<results>" + "".join(
                "<result>" + "".join(f"<binding name={quoteattr(v)}>{term(t)}</binding>"
                                     for v, t in zip(self.variables, row) if t is not None) + "</result>"
                for row in self.rows) + "</results>")
        return "".join(parts) + "</sparql>"

    def _csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if self.boolean is not None:
            writer.writerow(["boolean"]); writer.writerow(["true" if self.boolean else "false"])
            return buffer.getvalue()
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
        return buffer.getvalue()

    def _tsv(self) -> str:
        if self.boolean is not None:
            return "?boolean\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            cells = []
            for t in row:
                if t is None:
                    cells.append("")
                elif t.kind == "literal" and t.datatype in _NUMERIC_TSV and not t.language:
                    cells.append(t.value)
                else:
                    cells.append(t.n3())
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"

    def _table(self, width: int | None = None) -> str:
        """The rows as a text table ``width`` characters wide (default: the terminal's); long
        text wraps within its column, and nothing is cut.

        >>> print(QueryResult(["s", "note"], [(Term("uri", "https://w3id.org/bp-graph/state/MKD"),
        ...     Term("literal", "the former Yugoslav Republic of Macedonia, as the 2016 summary lists it"))])._table(50))
        s          note
        ---------  ---------------------------------------
        state/MKD  the former Yugoslav Republic of
                   Macedonia, as the 2016 summary lists it
        (1 row)
        """
        if self.boolean is not None:
            return "yes\n" if self.boolean else "no\n"
        from .namespaces import short_iri

        def show(t: Term | None) -> str:
            if t is None:
                return ""
            if t.kind == "uri":
                return short_iri(t.value)  # bp:Decision, state/TUR: as the command line takes them back
            return t.value.replace("\n", " ")

        cells = [[show(t) for t in row] for row in self.rows]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.variables)]
        # Nothing is cut: identifiers keep their width (they are copied into the next command), and
        # the columns of long text share what the terminal has left, each value wrapped in its column.
        texts = [i for i in range(len(widths))
                 if any(t is not None and t.kind == "literal" and len(c) > 30 for t, c in zip(
                     (row[i] for row in self.rows), (r[i] for r in cells)))]
        room = (width or shutil.get_terminal_size((100, 24)).columns) - 2 * (len(widths) - 1) \
            - sum(w for i, w in enumerate(widths) if i not in texts)
        wanted = sum(widths[i] for i in texts)
        if texts and wanted > room:
            for i in texts:
                widths[i] = max(24, len(self.variables[i]), room * widths[i] // wanted)
        lines = ["  ".join(v.ljust(w) for v, w in zip(self.variables, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        for row, terms in zip(cells, self.rows):
            # an IRI in a column of text is not wrapped either: it may run past its column instead
            parts = [textwrap.wrap(c, w, break_on_hyphens=False) or [""]
                     if i in texts and t is not None and t.kind == "literal" else [c]
                     for i, (c, w, t) in enumerate(zip(row, widths, terms))]
            for k in range(max(map(len, parts))):
                lines.append("  ".join((p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths)).rstrip())
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"


class GraphResult:
    """The answer of a CONSTRUCT or DESCRIBE query: an rdflib graph with serialisations.

    >>> import rdflib
    >>> GraphResult(rdflib.Graph()).serialize("ntriples")
    ''
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def __len__(self) -> int:
        return len(self.graph)

    def __iter__(self) -> Iterator[tuple[Any, Any, Any]]:
        return iter(self.graph)

    def serialize(self, fmt: GraphFormat = "turtle") -> str:
        """The graph as Turtle, JSON-LD, N-Triples or RDF/XML."""
        names = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "xml": "xml"}
        if fmt not in names:
            raise ValueError(f"unknown graph format {fmt!r}")
        from .namespaces import PREFIXES

        for prefix, iri in PREFIXES.items():
            self.graph.bind(prefix, iri, override=False)
        try:
            return self.graph.serialize(format=names[fmt])
        except Exception as exc:  # rdflib's serialisers raise bare Exceptions on terms they cannot write
            from .errors import BPGraphError

            hint = ("; RDF/XML needs predicate IRIs that end in a name: choose turtle, jsonld or ntriples"
                    if "split" in str(exc) else "")
            raise BPGraphError(f"the answer cannot be written as {fmt}: {exc}{hint}") from None
