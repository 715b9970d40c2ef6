"""Validating submissions: safe parsing of untrusted RDF, SHACL against the ontology and the
reference data the submission points to, and reports as text, Turtle and JSON.

A submission is untrusted (DESIGN section 9). It is read as bytes (never handed to a parser as a
path or URL), checked before any parser sees it (size, binary content, line length, literal
length, nesting depth; no DTD or entity in RDF/XML; no remote ``@context`` or ``@import`` in
JSON-LD) and parsed in-process only then: Turtle, TriG, N-Triples and N-Quads by Oxigraph (the
parser that loads ``data/``), RDF/XML and JSON-LD by rdflib into a store that stops at the triple
limit. ``owl:imports`` and SHACL terms in a submission are refused: shapes come from the project
only.

The data graph is the submission, the ontology, and the neighbourhood of the project IRIs the
submission mentions, fetched from the store with a CONSTRUCT (pyshacl's ``ont_graph`` would only
copy the schema). States named by a valid ISO 3166-1 code that ``data/reference/states.ttl`` does
not list yet are described from pycountry, as ``tools/generate_reference.py`` will do once the
submission is accepted. Only the submission's own nodes are reported. A project IRI the
submission uses that neither it nor the graph describes is a Violation with "did you mean"
suggestions from the graph's IRIs, labels and ISO codes.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
import logging
import os
import re
import stat
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from typing import TYPE_CHECKING, Any, Literal, Union

from .errors import (
    BPGraphError,
    ParseError,
    ResourceNotFound,
    ShapesError,
    SubmissionError,
)
from .namespaces import BASE, BP, INFERRED_GRAPH, PREFIXES, SCHEMA, SH, longest_first
from .results import NOT_XML, Term
from .store import UnstorableTerm, data_dir_files, oxigraph_copy

if TYPE_CHECKING:
    import rdflib

    from .graph import KnowledgeGraph

InputFormat = Literal["turtle", "trig", "nt", "nquads", "xml", "json-ld"]
Inference = Literal["none", "rdfs", "owlrl"]
Severity = Literal["Violation", "Warning", "Info"]
ReportFormat = Literal["text", "turtle", "json"]
Source = Union[str, "os.PathLike[str]", bytes, tuple[str, bytes]]
"""A submission file: a path (``str`` or ``Path``), its bytes, or a ``(name, bytes)`` pair."""

INPUT_FORMATS: tuple[InputFormat, ...] = ("turtle", "trig", "nt", "nquads", "xml", "json-ld")
FORMAT_NAMES: dict[str, str] = {"turtle": "Turtle", "trig": "TriG", "nt": "N-Triples", "nquads": "N-Quads",
                                "xml": "RDF/XML", "json-ld": "JSON-LD"}
EXTENSIONS: dict[str, InputFormat] = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "nt", ".ntriples": "nt", ".nq": "nquads",
    ".nquads": "nquads", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".rdfxml": "xml", ".jsonld": "json-ld",
    ".json": "json-ld", ".json-ld": "json-ld"}
_EXTENSION_OF = {"turtle": ".ttl", "trig": ".trig", "nt": ".nt", "nquads": ".nq", "xml": ".rdf", "json-ld": ".jsonld"}

ONTOLOGY_NS = str(BP)
SHAPES_NS = BASE + "shapes#"
KNOWN_REFERENCE_SHAPE = SHAPES_NS + "KnownReference"
"""The source shape of the "unknown IRI" findings, which need the whole store and so are checked in Python."""
KNOWN_REFERENCE_COMPONENT = SHAPES_NS + "KnownReferenceConstraintComponent"
DATA_ONLY_SHAPE = SHAPES_NS + "DataOnly"
"""The source shape of the findings on what only the ontology may say (checked in Python): statements
about IRIs outside the project, schema statements."""
DATA_ONLY_COMPONENT = SHAPES_NS + "DataOnlyConstraintComponent"
NEW_NODES_ONLY_SHAPE = SHAPES_NS + "NewNodesOnly"
"""The source shape of the findings on facts a submission adds to a node the data already describes
(checked in Python: ``submit`` accepts new nodes only)."""
NEW_NODES_ONLY_COMPONENT = SHAPES_NS + "NewNodesOnlyConstraintComponent"
_RDF = PREFIXES["rdf"]
_OWL = PREFIXES["owl"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
_SKOS = PREFIXES["skos"]
_OA = PREFIXES["oa"]
_PROV = PREFIXES["prov"]
_OWL_IMPORTS = PREFIXES["owl"] + "imports"
_SCHEMA_START = str(SCHEMA) + "startDate"
_SCHEMA_LOCATION = str(SCHEMA) + "location"
_DATE_TYPES = {_XSD + "date", _XSD + "gYearMonth", _XSD + "gYear"}
_SAFE_IRI = re.compile("^" + re.escape(BASE) + r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*$")
_SEVERITIES: dict[str, Severity] = {str(SH) + "Violation": "Violation", str(SH) + "Warning": "Warning",
                                    str(SH) + "Info": "Info"}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Limits:
    """Bounds on an untrusted submission, checked before and while it is parsed.

    The line limit applies to the Turtle family (rdflib's N-Triples parser is quadratic in the
    length of a line); JSON-LD and RDF/XML are bounded by bytes, literal length and depth.

    >>> Limits().max_depth
    64
    >>> Limits(max_triples=10).max_triples
    10
    """

    max_bytes: int = 5_000_000
    max_line_length: int = 100_000
    max_literal_length: int = 50_000
    max_depth: int = 64
    max_triples: int = 50_000


@dataclass(frozen=True)
class InputError:
    """Why a submitted file could not be validated: unreadable, unsafe, too large, or a syntax error.

    ``kind`` is ``"io"``, ``"syntax"``, ``"unsafe"`` or ``"limit"``; ``text`` is the offending line.

    >>> str(InputError("a.ttl", "syntax", "unexpected '.'", line=3, column=7))
    "a.ttl:3:7: unexpected '.'"
    """

    source: str
    kind: Literal["io", "syntax", "unsafe", "limit"]
    message: str
    line: int | None = None
    column: int | None = None
    text: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.source, self.line, self.column) if p is not None)
        return f"{where}: {self.message}"

    def exception(self) -> BPGraphError:
        """The error as a bp-graph exception: ParseError for syntax, else SubmissionError or ResourceNotFound.

        >>> type(InputError("a.ttl", "syntax", "bad").exception()).__name__
        'ParseError'
        """
        if self.kind == "syntax":
            return ParseError(self.message, source=self.source, line=self.line, column=self.column, hint=self.hint)
        if self.kind == "io" and "no such file" in self.message:
            return ResourceNotFound(str(self))
        return SubmissionError(str(self) + (f" (hint: {self.hint})" if self.hint else ""))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary.

        >>> InputError("a.ttl", "limit", "too big").as_dict()["kind"]
        'limit'
        """
        return {"source": self.source, "kind": self.kind, "message": self.message, "line": self.line,
                "column": self.column, "text": self.text, "hint": self.hint}


@dataclass(frozen=True)
class Suggestion:
    """An existing IRI that an unknown one may have meant, with its label.

    >>> Suggestion("https://w3id.org/bp-graph/state/TUR", "Türkiye").label
    'Türkiye'
    """

    iri: str
    label: str | None = None


@dataclass(frozen=True)
class Finding:
    """One validation result: the node, the property path, the severity, the message and the value.

    ``focus`` is an IRI or ``_:id`` for a blank node (then ``focus_of`` is the subject and
    predicate that lead to it); ``shape`` and ``component`` are the SHACL source shape and
    constraint component; ``source`` and ``line`` say where the focus node is first written.

    >>> f = Finding("https://w3id.org/bp-graph/meeting/x", "https://schema.org/startDate", "Violation", "A date")
    >>> f.key()
    ('https://w3id.org/bp-graph/meeting/x', 'https://schema.org/startDate', 'Violation')
    """

    focus: str
    path: str | None
    severity: Severity
    message: str
    value: Term | None = None
    shape: str | None = None
    component: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    source: str | None = None
    line: int | None = None
    focus_of: tuple[str, str] | None = None

    def key(self) -> tuple[str, str | None, str]:
        """``(focus, path, severity)``, the identity the fixtures' expected findings use."""
        return (self.focus, self.path, self.severity)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the value as a SPARQL JSON results term).

        >>> Finding("_:b0", None, "Warning", "m").as_dict()["severity"]
        'Warning'
        """
        value = None
        if self.value is not None:
            value = {"type": self.value.kind, "value": self.value.value}
            if self.value.datatype:
                value["datatype"] = self.value.datatype
            if self.value.language:
                value["xml:lang"] = self.value.language
        return {"focus": self.focus, "path": self.path, "severity": self.severity, "message": self.message,
                "value": value, "shape": self.shape, "component": self.component,
                "suggestions": [{"iri": s.iri, "label": s.label} for s in self.suggestions],
                "source": self.source, "line": self.line,
                "focus_of": {"subject": self.focus_of[0], "predicate": self.focus_of[1]} if self.focus_of else None}


@dataclass
class ValidationReport:
    """The outcome of validating one submission (one or more files).

    ``errors`` lists the files that could not be read safely (then nothing was validated);
    ``findings`` the SHACL results and unknown IRIs on the submission's nodes; ``notes`` what the
    validator supplied or merged. ``conforms`` is false on any error or Violation, and on a
    Warning when ``strict``.

    >>> report = ValidationReport(sources=("a.ttl",), findings=(Finding("_:b", None, "Warning", "m"),))
    >>> report.conforms, report.exit_code, ValidationReport(sources=(), strict=True, findings=report.findings).exit_code
    (True, 0, 1)
    """

    sources: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    errors: tuple[InputError, ...] = ()
    notes: tuple[str, ...] = ()
    strict: bool = False
    inference: str = "none"
    triples: int = 0
    reference_triples: int = 0
    seconds: float = 0.0
    prefixes: dict[str, str] = field(default_factory=dict)
    graph: rdflib.Graph | None = field(default=None, repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        """Findings per severity.

        >>> ValidationReport(sources=()).counts
        {'Violation': 0, 'Warning': 0, 'Info': 0}
        """
        counts = {"Violation": 0, "Warning": 0, "Info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def conforms(self) -> bool:
        """True when the submission was validated and has no Violation (nor Warning when strict)."""
        if self.errors:
            return False
        counts = self.counts
        return counts["Violation"] == 0 and not (self.strict and counts["Warning"])

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 does not conform, 2 could not validate."""
        return 2 if self.errors else (0 if self.conforms else 1)

    def text(self) -> str:
        """A human report: the file errors, then the findings grouped by focus node.

        >>> print(ValidationReport(sources=("a.ttl",)).text().splitlines()[0])
        a.ttl: conforms (0 triples, checked with the ontology and 0 reference triples in 0.00 s)
        """
        return _render_text(self)

    def turtle(self) -> str:
        """The standard SHACL validation report (``sh:ValidationReport``) in Turtle.

        ``sh:conforms`` follows :attr:`conforms` (Warnings alone conform unless strict).

        >>> "sh:conforms true" in ValidationReport(sources=()).turtle()
        True
        """
        with _rdflib_quiet():
            return _render_turtle(self)

    def as_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dictionary (see :meth:`json`).

        >>> ValidationReport(sources=()).as_dict()["exit_code"]
        0
        """
        return {"conforms": self.conforms, "exit_code": self.exit_code, "strict": self.strict,
                "inference": self.inference, "sources": list(self.sources), "triples": self.triples,
                "reference_triples": self.reference_triples, "seconds": round(self.seconds, 3),
                "counts": self.counts, "errors": [e.as_dict() for e in self.errors],
                "findings": [f.as_dict() for f in self.findings], "notes": list(self.notes)}

    def json(self) -> str:
        """The report as JSON for programs.

        >>> json.loads(ValidationReport(sources=()).json())["conforms"]
        True
        """
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def render(self, fmt: ReportFormat = "text") -> str:
        """The report in ``fmt``: ``text``, ``turtle`` or ``json``.

        >>> ValidationReport(sources=()).render("json").startswith("{")
        True
        """
        if fmt == "text":
            return self.text()
        if fmt == "turtle":
            return self.turtle()
        if fmt == "json":
            return self.json()
        raise ValueError(f"unknown report format {fmt!r}: use text, turtle or json")


# ---------------------------------------------------------------------------------------------
# Reading and safe parsing
# ---------------------------------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Input:
    name: str
    data: bytes
    format: InputFormat | None = None
    sniffed: InputFormat | None = None
    text: str = ""


@dataclass
class _Parsed:
    name: str
    data: bytes
    format: InputFormat
    graph: rdflib.Graph
    text: str
    prefixes: dict[str, str]
    named_graphs: bool = False
    lines: dict[str, tuple[int, bool]] | None = None


def format_for(name: str) -> InputFormat | None:
    """The RDF format a file name's extension stands for, or None.

    >>> format_for("report.jsonld"), format_for("x.TTL"), format_for("notes.txt")
    ('json-ld', 'turtle', None)
    """
    return EXTENSIONS.get(Path(name).suffix.lower())


def sniff_format(data: bytes) -> InputFormat:
    """Guess the RDF format of ``data`` from its content.

    >>> sniff_format(b'{"@id": "http://e/a"}'), sniff_format(b'<?xml version="1.0"?><rdf:RDF/>')
    ('json-ld', 'xml')
    >>> sniff_format(b'<http://e/a> <http://e/p> "x" .'), sniff_format(b'@prefix e: <http://e/> . e:a e:p e:b .')
    ('nt', 'turtle')
    """
    text = data.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text[:1] in ("{", "["):
        return "json-ld"
    if text.startswith("<") and not re.match(r"<[^>\s]*>", text):
        return "xml"
    body = _strip_strings_and_comments(text[:200_000])
    if _DECLARATION.search(body) or re.search(r"(?<![<\w])[A-Za-z]*:[\w-]", body):
        if re.search(r"(?m)(^|[\s>])(GRAPH\s|\{)", body):
            return "trig"
        return "turtle"
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    statement = re.compile(r'^(<[^>]*>|_:\S+)\s+<[^>]*>\s+(<[^>]*>|_:\S+|"")(\^\^<[^>]*>|@[\w-]+)?\s*(<[^>]*>|_:\S+)?\s*\.$')
    if lines and all(statement.match(ln) for ln in lines):
        return "nquads" if any(statement.match(ln).group(4) for ln in lines) else "nt"  # type: ignore[union-attr]
    if re.search(r"(?m)(^|[\s>])\{", body):
        return "trig"
    return "turtle"


_LEXEMES = re.compile(r'(<[^<>"{}|^`\\\s]*>)|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                      r"'(?:[^'\\\n]|\\.)*'|(#[^\n]*)")


def _strip_strings_and_comments(text: str) -> str:
    """IRIs kept, strings replaced by an empty string, comments removed."""
    return _LEXEMES.sub(lambda m: m.group(1) or ("" if m.group(2) else '""'), text)


def _read(source: Source, index: int, limits: Limits) -> _Input:
    if isinstance(source, tuple):
        name, data = source
        return _Input(str(name), bytes(data), format_for(str(name)))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _Input(f"<input {index}>" if index else "<input>", bytes(source))
    path = Path(os.fspath(source))
    name = str(source)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _Refused(InputError(name, "io", "no such file")) from None
    except OSError as exc:
        raise _Refused(InputError(name, "io", f"cannot read: {exc.strerror or exc}")) from None
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(InputError(name, "io", "not a regular file", hint="give the path of an RDF file"))
    if info.st_size > limits.max_bytes:
        raise _Refused(InputError(name, "limit", f"the file has {info.st_size} bytes, more than the limit of "
                                  f"{limits.max_bytes}", hint="split the submission into smaller files"))
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _Refused(InputError(name, "io", f"cannot read: {exc.strerror or exc}")) from None
    return _Input(name, data, format_for(name))


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _line_text(text: str, line: int | None, column: int | None = None, width: int = 160) -> str | None:
    if not line:
        return None
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    content = lines[line - 1].rstrip()
    if len(content) <= width:
        return content
    start = max(0, (column or 1) - 1 - width // 2)
    return ("…" if start else "") + content[start:start + width] + "…"


def _refuse(inp: _Input, kind: Literal["io", "syntax", "unsafe", "limit"], message: str, index: int | None = None,
            hint: str | None = None, line: int | None = None, column: int | None = None) -> _Refused:
    if index is not None:
        line, column = _position(inp.text, index)
    return _Refused(InputError(inp.name, kind, message, line, column, _line_text(inp.text, line, column), hint))


def _check_text(inp: _Input, limits: Limits) -> None:
    """Bytes, emptiness, binary content and encoding."""
    data = inp.data
    if len(data) > limits.max_bytes:
        raise _refuse(inp, "limit", f"the submission has more than {limits.max_bytes} bytes",
                      hint="split the submission into smaller files")
    if not data.strip():
        raise _refuse(inp, "syntax", "the file is empty", hint="a submission needs at least one triple")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(inp, "syntax", "the file is UTF-16; submissions are UTF-8 text", hint="save it as UTF-8")
    nul = data.find(b"\x00", 0, 1_000_000)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        inp.text = data[: exc.start].decode("utf-8", "replace")
        raise _refuse(inp, "syntax", f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded"
                      + (" (this looks like a binary file)" if nul >= 0 or exc.start == 0 else ""),
                      index=len(inp.text),
                      hint="submit RDF text saved as UTF-8 (a Latin-1 or Windows-1252 file must be re-encoded)") from None
    if text.startswith("\ufeff"):  # a UTF-8 byte order mark: parsers differ on it, so drop it
        text, inp.data = text[1:], data[3:]
    inp.text = text
    if nul >= 0:
        raise _refuse(inp, "syntax", "the file contains NUL bytes: this is a binary file, not RDF text",
                      index=inp.text.find("\x00"), hint="submit a Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD file")


_TTL_SPECIAL = re.compile(r'"""|\'\'\'|["\'<#\[\](){}]')
_TTL_END = {
    '"""': re.compile(r'(?:"{0,2}(?:[^"\\]|\\.))*+"""', re.DOTALL),
    "'''": re.compile(r"(?:'{0,2}(?:[^'\\]|\\.))*+'''", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\n\r]|\\.)*+"'),
    "'": re.compile(r"(?:[^'\\\n\r]|\\.)*+'"),
    "<": re.compile(r"[^>\n\r]*+>"),
    "#": re.compile(r"[^\n\r]*+"),
}


def _scan_turtle(inp: _Input, limits: Limits) -> None:
    """Line length, literal and IRI length, and bracket depth of Turtle-family text, before parsing."""
    text = inp.text
    long_line = re.search(rf"[^\n]{{{limits.max_line_length + 1}}}", text)
    if long_line:
        raise _refuse(inp, "limit", f"line longer than {limits.max_line_length} characters", index=long_line.start(),
                      hint="break statements over several lines; very long lines make parsers crawl")
    pos, depth = 0, 0
    while True:
        match = _TTL_SPECIAL.search(text, pos)
        if match is None:
            return
        token, start, pos = match.group(), match.start(), match.end()
        if token in "[({":
            depth += 1
            if depth > limits.max_depth:
                raise _refuse(inp, "limit", f"brackets nested deeper than {limits.max_depth} levels", index=start,
                              hint="flatten nested blank nodes and lists: give the nodes IRIs")
        elif token in "])}":
            depth = max(depth - 1, 0)
        elif token == "'" and start and text[start - 1] == "\\":  # an escaped quote in a local name
            continue
        else:
            end = _TTL_END[token].match(text, pos)
            if end is None:  # unterminated: the parser reports it with its position
                return
            length = end.end() - pos - (0 if token == "#" else len(token))
            if token != "#" and length > limits.max_literal_length:
                what = "IRI" if token == "<" else "literal"
                raise _refuse(inp, "limit", f"{what} of {length} characters, longer than the limit of "
                              f"{limits.max_literal_length}", index=start,
                              hint="shorten the text; a quote should be a clause or a sentence")
            pos = end.end()


_JSON_SPECIAL = re.compile(r'["\[\]{}]')
_JSON_COLON = re.compile(r"\s*:")
_JSON_STRING = re.compile(r'(?:[^"\\]|\\.)*+"', re.DOTALL)


def _scan_json(inp: _Input, limits: Limits) -> Any:
    """JSON depth, string length and keys repeated in an object (JSON keeps the last value only,
    silently) before decoding, then refuse remote contexts and ``@import``."""
    text = inp.text
    pos = 0
    keys: list[set[str] | None] = []  # per open container: an object's keys so far, None for an array
    while True:
        match = _JSON_SPECIAL.search(text, pos)
        if match is None:
            break
        token, start, pos = match.group(), match.start(), match.end()
        if token in "[{":
            keys.append(set() if token == "{" else None)
            if len(keys) > limits.max_depth:
                raise _refuse(inp, "limit", f"JSON nested deeper than {limits.max_depth} levels", index=start,
                              hint="flatten the document (use @id references instead of nesting)")
        elif token in "]}":
            if keys:
                keys.pop()
        else:
            end = _JSON_STRING.match(text, pos)
            if end is None:
                break
            if end.end() - pos - 1 > limits.max_literal_length:
                raise _refuse(inp, "limit", f"string of {end.end() - pos - 1} characters, longer than the limit of "
                              f"{limits.max_literal_length}", index=start, hint="shorten the text")
            pos = end.end()
            seen = keys[-1] if keys else None
            if seen is not None and _JSON_COLON.match(text, pos):
                try:
                    key = json.loads(text[start:pos])
                except ValueError:  # a bad escape: json.loads below says where
                    key = text[start + 1:pos - 1]
                if key in seen:
                    raise _refuse(inp, "syntax", f"the key {key!r} comes twice in one object: JSON keeps only the "
                                  "last of its values", index=start,
                                  hint=f'give the key once, with a list of its values: "{key}": [..., ...]')
                seen.add(key)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(inp, "syntax", f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno,
                      hint=(_json_hint(exc.msg) if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") else
                            "a JSON-LD document starts with '{' or '['") + _looks_like(inp, "json-ld")) from None
    for node in _json_nodes(document):
        if isinstance(node, str):
            _refuse_surrogates(inp, node)
        elif isinstance(node, dict):
            for key, value in node.items():
                _refuse_surrogates(inp, key)
                if key == "@import":
                    raise _refuse(inp, "unsafe", "JSON-LD @import is not accepted: a submission is never allowed to "
                                  "make bp-graph fetch anything", index=_find_any(text, '"@import"'),
                                  hint="inline the imported context's terms in an @context object")
                if key == "@direction" and value is not None:  # rdflib drops it, as Turtle's @ar--rtl
                    raise _refuse(inp, "unsafe", f"JSON-LD base directions (@direction {value!r}) are not accepted: "
                                  "the data keeps language tags only", index=_key_at(text, key),
                                  hint="remove @direction and keep @language; the script gives the direction")
                if key == "@language" and isinstance(value, str) and not _LANGUAGE_TAG.match(value):
                    # rdflib drops a value with such a tag without a word: the submission would lose it
                    raise _refuse(inp, "syntax", f"{value!r} is not a language tag", index=_find_any(text, json.dumps(value)),
                                  hint="language tags look like en or fr-BE")
                if key == "@context":
                    for context in value if isinstance(value, list) else [value]:
                        if isinstance(context, str):
                            raise _refuse(inp, "unsafe", f"remote JSON-LD context {context!r} is not accepted: "
                                          "contexts must be inline objects (nothing is fetched)",
                                          index=_find_any(text, json.dumps(context)[1:-1]),
                                          hint="replace the URL by the context object itself")
    return document


def _json_nodes(document: Any, *, into_values: bool = True) -> Iterator[Any]:
    """Every value in a decoded JSON ``document``, itself included (containers before their members);
    without ``into_values``, not what JSON-LD value objects ({"@value": ...}) hold."""
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict) and (into_values or "@value" not in node):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _refuse_dropped_keys(inp: _Input, document: Any) -> None:
    """Refuse a key JSON-LD expansion drops (an undefined term, an @-word that is no keyword, a term
    the @context maps to null) and a blank node as a property: each loses its values without a word.
    PyLD, a conformant JSON-LD processor, tells what is dropped: the keys of language, index, id and
    type maps and @json values are data, which only JSON-LD's own processing tells apart."""
    from pyld import jsonld

    class _Dropped(Exception):
        pass

    def refuse_loading(url: str, options: object = None) -> Any:
        # remote contexts were refused when scanning; nothing a submission names is ever fetched
        raise jsonld.JsonLdError(f"{url} is not loaded", "jsonld.LoadDocumentError", code="loading document failed")

    def dropped(key: str | None) -> None:
        raise _Dropped(key)

    try:
        expanded = jsonld.expand(document, {"base": BASE, "documentLoader": refuse_loading},
                                 on_property_dropped=dropped)
    except _Dropped as exc:
        key = exc.args[0]
        if key is not None:
            raise _refuse(inp, "syntax", f"JSON-LD drops the key {key!r} and its values: no @context defines it "
                          "and it is no IRI", index=_key_at(inp.text, key),
                          hint=f"define {key!r} in @context (\"{key}\": \"https://...\"), or write the full IRI") from None
        # PyLD does not say which key: an @-word that is no keyword, or a term the @context maps to null
        hint = "remove the key, or map the term to a property IRI in @context"
        # an @-word is dropped wherever it is; a term is null only where its context is in scope
        key = min(_null_or_keyword_like(document), default=None,
                  key=lambda k: (not k.startswith("@"), _key_at(inp.text, k) or len(inp.text)))
        if key is None:
            raise _refuse(inp, "syntax", "JSON-LD drops a key and its values: an @-word that is no keyword, or a "
                          "term the @context maps to null", hint=hint) from None
        why = "it is an @-word that is no keyword" if key.startswith("@") else "the @context maps it to null"
        raise _refuse(inp, "syntax", f"JSON-LD drops the key {key!r} and its values: {why}",
                      index=_key_at(inp.text, key), hint=hint) from None
    except jsonld.JsonLdError as exc:
        raise _refuse(inp, "syntax", f"invalid JSON-LD ({exc.code or exc.type}): {exc.args[0]}",
                      hint="see the JSON-LD 1.1 syntax (https://www.w3.org/TR/json-ld11/)") from None
    for node in _json_nodes(expanded, into_values=False):  # a @json value's keys are data
        blank = next((key for key in node if key.startswith("_:")), None) if isinstance(node, dict) else None
        if blank:
            raise _refuse(inp, "syntax", f"the blank node {blank} is used as a property: RDF has no such statement, "
                          "and its values are dropped", index=_key_at(inp.text, blank), hint="use a property IRI")


def _null_or_keyword_like(document: Any) -> set[str]:
    """The keys of ``document`` shaped like keywords that are none, and those a context maps to null."""
    nulled: set[str] = set()
    used: set[str] = set()
    stack: list[Any] = [document]
    contexts: list[Any] = []
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    contexts.append(value)
                else:
                    used.add(key)
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    while contexts:  # a context's terms, and the contexts scoped to a term
        context = contexts.pop()
        if isinstance(context, list):
            contexts.extend(context)
        elif isinstance(context, dict):
            nulled.update(term for term, iri in context.items()
                          if iri is None or isinstance(iri, dict) and "@id" in iri and iri["@id"] is None)
            contexts.extend(d["@context"] for d in context.values() if isinstance(d, dict) and "@context" in d)
    return {key for key in used if key in nulled or re.fullmatch("@[a-zA-Z]+", key) and key not in _JSON_LD_KEYWORDS}


_JSON_LD_KEYWORDS = frozenset(
    "@base @container @context @direction @graph @id @import @included @index @json @language @list @nest @none "
    "@prefix @propagate @protected @reverse @set @type @value @version @vocab".split())


def _key_at(text: str, key: str) -> int | None:
    """Where ``key`` is first written as a member name with a value other than null (in a context,
    null unmaps a term), outside every ``@context`` if it is written there: a context defines a
    term, the data uses it. None if it is written nowhere.

    >>> _key_at('{"@context": {"a": {"@context": {"b": "http://e/b"}}}, "b": 1}', "b")
    55
    """
    tokens = [(m.start(), m.group()) for m in _JSON_TOKEN.finditer(text)]
    in_context: list[bool] = []  # for each open object or array: whether it lies in a @context
    name: str | None = None  # the member name whose value is read next
    in_a_context = None
    for i, (at, token) in enumerate(tokens):
        if token in "{[":
            in_context.append(bool(in_context and in_context[-1]) or name == "@context")
        elif token in "}]" and in_context:
            in_context.pop()
        elif token.startswith('"') and tokens[i + 1:i + 2] and tokens[i + 1][1] == ":":
            name = json.loads(token)
            value = tokens[i + 2][1] if i + 2 < len(tokens) else None
            if name == key and value != "null":
                if not (in_context and in_context[-1]):
                    return at
                in_a_context = at if in_a_context is None else in_a_context
            continue
        name = None if token != ":" else name
    return in_a_context


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
"""JSON's tokens: strings, punctuation, and the words and numbers between them."""


def _refuse_surrogates(inp: _Input, string: str) -> None:
    """JSON's escapes can spell half of a UTF-16 pair (\\ud800) alone: no character, no RDF text."""
    lone = _SURROGATE.search(string)
    if lone:
        escape = f"\\u{ord(lone.group()):04x}"
        raise _refuse(inp, "syntax", f"{escape} is half of a UTF-16 surrogate pair, not a character",
                      index=_find_any(inp.text, escape), hint="write the character itself, or both halves of its pair")


_SURROGATE = re.compile("[\ud800-\udfff]")
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*\Z")
"""A BCP 47 tag's shape, as rdflib checks it."""


def _find_any(text: str, *needles: str) -> int | None:
    """Where the first of ``needles`` is written in ``text``, case aside (an escape's hex digits, a
    language tag): the place an error points at; None if none is."""
    found = re.search("|".join(map(re.escape, needles)), text, re.IGNORECASE)
    return found.start() if found else None


def _json_hint(message: str) -> str:
    if "Expecting property name" in message or "Expecting value" in message:
        return "look for a trailing comma, or a missing value, just before this position"
    if "delimiter" in message:
        return "a ',' or ':' is missing between two members or items"
    if "Unterminated string" in message or "Invalid control character" in message:
        return "a string is not closed on its line; close the quote or write \\n for a line break"
    return "check the JSON syntax at this position"


def _scan_xml(inp: _Input, limits: Limits) -> None:
    """Refuse DTDs and entities, bound element depth and text length, and report XML syntax errors."""
    from xml.parsers import expat

    text = inp.text
    doctype = re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE)
    if doctype:
        raise _refuse(inp, "unsafe", f"<!{doctype.group(1).upper()} is not accepted in RDF/XML: document type "
                      "declarations and entities can read files, reach the network or expand without end",
                      index=doctype.start(), hint="remove the DOCTYPE and write entity references out in full")

    declared = _XML_ENCODING.match(text)
    if declared and declared.group(2).lower() not in ("utf-8", "utf8") and not (
            declared.group(2).lower() in ("us-ascii", "ascii") and text.isascii()):
        # the text was read as UTF-8; parsers would read it again in the declared encoding
        raise _refuse(inp, "syntax", f"the XML declaration says encoding=\"{declared.group(2)}\", "
                      "but submissions are UTF-8 text", index=declared.start(2),
                      hint='save the file as UTF-8 and declare encoding="UTF-8" (or no encoding)')

    class _Stop(Exception):
        pass

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    lengths: list[int] = [0]
    problem: list[_Refused] = []

    def stop(kind: Literal["unsafe", "limit"], message: str, hint: str) -> None:
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        problem.append(_refuse(inp, kind, message, line=line, column=column, hint=hint))
        raise _Stop

    def start(name: str, attributes: dict[str, str]) -> None:
        lengths.append(0)
        if len(lengths) - 1 > limits.max_depth:
            stop("limit", f"XML elements nested deeper than {limits.max_depth} levels",
                 "flatten the document: describe nodes at the top level and refer to them with rdf:resource")
        for value in attributes.values():
            if len(value) > limits.max_literal_length:
                stop("limit", f"attribute value longer than {limits.max_literal_length} characters", "shorten the text")

    def end(name: str) -> None:
        lengths.pop()

    def characters(data: str) -> None:
        lengths[-1] += len(data)
        if lengths[-1] > limits.max_literal_length:
            stop("limit", f"text longer than {limits.max_literal_length} characters in one element", "shorten the text")

    def doctype_declared(*_: object) -> None:
        stop("unsafe", "document type declarations are not accepted in RDF/XML", "remove the DOCTYPE")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype_declared
    parser.EntityDeclHandler = doctype_declared
    parser.ExternalEntityRefHandler = lambda *_: 0  # never resolve (a DOCTYPE was refused above anyway)
    try:
        parser.Parse(text.encode("utf-8"), True)
    except _Stop:
        raise problem[0] from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code)
        raise _refuse(inp, "syntax", f"invalid XML: {message}", line=exc.lineno, column=exc.offset + 1,
                      hint=_xml_hint(message) + _looks_like(inp, "xml")) from None


_XML_ENCODING = re.compile(r"""<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1""")


def _xml_hint(message: str) -> str:
    if "mismatched tag" in message:
        return "an element is closed with the wrong end tag; check the elements opened before this line"
    if "unbound prefix" in message:
        return "declare the namespace prefix with xmlns:prefix=\"...\" on the rdf:RDF element"
    if "not well-formed" in message:
        return "look for an unescaped '<' or '&' (write &lt; and &amp;) or a broken tag"
    if "no element found" in message:
        return "the document ends before its root element is closed"
    return "check the XML syntax at this position"


_OX_PREFIX = re.compile(r"^Parser error (?:at line \d+ (?:column \d+|between columns \d+ and \d+)|between line \d+ "
                        r"column \d+ and line \d+ column \d+)(?: of \S+)?: ")


def _parse_oxigraph(inp: _Input, fmt: InputFormat, limits: Limits) -> tuple[rdflib.Graph, bool]:
    import pyoxigraph as ox
    import rdflib

    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
               "nquads": ox.RdfFormat.N_QUADS}
    graph = rdflib.Graph()
    named = False
    count = 0
    convert = _term_converter()
    try:
        for quad in ox.parse(input=inp.data, format=formats[fmt], base_iri=BASE, rename_blank_nodes=True):
            count += 1
            if count > limits.max_triples:
                raise _refuse(inp, "limit", f"more than {limits.max_triples} triples",
                              hint="split the submission into smaller files")
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                named = True
            triple = (convert(quad.subject), convert(quad.predicate), convert(quad.object))
            if any(t is None for t in triple):
                raise _refuse(inp, "unsafe", "RDF 1.2 triple terms (<< ... >>) are not accepted",
                              index=_find_any(inp.text, "<<"), hint="describe the statement with a node of its own")
            if isinstance(quad.object, ox.Literal) and quad.object.direction:  # rdflib would drop it
                tag = f"@{quad.object.language}--{quad.object.direction}"
                raise _refuse(inp, "unsafe", f"RDF 1.2 base directions ({tag}) are not accepted: the data keeps "
                              "language tags only", index=_find_any(inp.text, tag),
                              hint=f"write @{quad.object.language}; the script gives the direction")
            graph.add(triple)
    except SyntaxError as exc:
        message = _OX_PREFIX.sub("", str(exc))
        message = re.sub(r" \(line \d+\)$", "", message)
        line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
        lines = inp.text.split("\n")  # as Oxigraph counts lines (not at U+2028, as splitlines does)
        if lines and not lines[-1]:
            lines.pop()
        if line and lines and line > len(lines):  # at the end of the file: where its last line ends
            line, column = len(lines), len(lines[-1]) + 1
        code_point = re.match(r"Invalid IRI code point '(.)'", message)
        if code_point and line and column:  # Oxigraph points at the IRI's start: point at the character
            found = lines[line - 1].find(code_point.group(1), column - 1)
            column = found + 1 if found >= 0 else column
        raise _refuse(inp, "syntax", message, line=line, column=column,
                      hint=_syntax_hint(message, fmt, inp)) from None
    return graph, named


@contextlib.contextmanager
def _rdflib_quiet() -> Iterator[None]:
    """rdflib logs an ill-typed literal (\"07.11.2023\"^^xsd:date) with a traceback: here it is a
    finding, not a log line."""
    quiet = logging.getLogger("rdflib")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quiet.setLevel(level)


def _term_converter() -> Any:
    import pyoxigraph as ox
    import rdflib

    def convert(term: object) -> rdflib.term.Node | None:
        if isinstance(term, ox.NamedNode):
            return rdflib.URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return rdflib.BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return rdflib.Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype == _XSD + "string":
                return rdflib.Literal(term.value)
            with _rdflib_quiet():  # as written: "2023-11-08"^^xsd:dateTime, not rdflib's "2023-11-08T00:00:00"
                return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
        return None

    return convert


class _TooManyTriples(Exception):
    pass


def _parse_rdflib(inp: _Input, fmt: InputFormat, limits: Limits) -> tuple[rdflib.Graph, bool]:
    import rdflib
    from rdflib.plugins.stores.memory import Memory

    class BoundedMemory(Memory):
        added = 0

        def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
            self.added += 1
            if self.added > limits.max_triples:
                raise _TooManyTriples
            super().add(triple, context, quoted)

    dataset = rdflib.Dataset(store=BoundedMemory(), default_union=True)
    try:
        with _rdflib_quiet(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's JSON-LD parser uses ConjunctiveGraph
            dataset.parse(data=inp.data, format=fmt, publicID=BASE)
    except _TooManyTriples:
        raise _refuse(inp, "limit", f"more than {limits.max_triples} triples",
                      hint="split the submission into smaller files") from None
    except RecursionError:
        raise _refuse(inp, "limit", "the document is nested too deeply to parse",
                      hint="flatten nested nodes") from None
    except Exception as exc:  # noqa: BLE001 (rdflib's RDF/XML and JSON-LD parsers raise many unrelated types)
        line = column = None
        get_line = getattr(exc, "getLineNumber", None)
        if callable(get_line):
            line, column = get_line(), exc.getColumnNumber() + 1  # type: ignore[attr-defined]
        else:
            found = re.search(r":(\d+):(\d+):", str(exc))
            if found:
                line, column = int(found.group(1)), int(found.group(2)) + 1
        message = re.sub(r"^\S*:\d+:\d+:\s*", "", str(exc)).strip() or type(exc).__name__
        tag = re.match(r"'(.*)' is not a valid language tag", message)  # rdflib's Literal says no place
        at = _find_any(inp.text, f'"{tag.group(1)}"') if tag and line is None else None
        raise _refuse(inp, "syntax", f"invalid {FORMAT_NAMES[fmt]}: {message}", index=at, line=line, column=column,
                      hint=_syntax_hint(message, fmt, inp)) from None
    graph = rdflib.Graph()
    named = False
    default = rdflib.URIRef("urn:x-rdflib:default")
    for s, p, o, c in dataset.quads((None, None, None, None)):
        if c is not None and getattr(c, "identifier", c) != default:
            named = True
        graph.add((s, p, o))
    try:
        oxigraph_copy(graph)  # rdflib keeps IRIs no store can hold (a space, a brace): Oxigraph tells
    except UnstorableTerm as exc:
        written = exc.term[1:-1] if exc.term.startswith("<") else exc.term
        # as written, or relative (resolved against the base): the full form, if written, comes first
        raise _refuse(inp, "syntax", exc.message, index=_find_any(inp.text, written, written.removeprefix(BASE)),
                      hint=_syntax_hint(exc.message, fmt, inp)) from None
    return graph, named


_PREFIX_DECL = re.compile(r"(?im)^\s*(?:@prefix|prefix)\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>")


def _declared_prefixes(text: str) -> dict[str, str]:
    return {prefix or "": iri for prefix, iri in _PREFIX_DECL.findall(text[:1_000_000])}


def _context_prefixes(document: Any) -> dict[str, str]:
    """The terms of a JSON-LD document's contexts that can prefix a compact IRI (an absolute IRI
    ending in a gen-delim, as JSON-LD 1.1 has it); the first definition of a term wins."""
    prefixes: dict[str, str] = {}
    for node in _json_nodes(document, into_values=False):
        contexts = node.get("@context") if isinstance(node, dict) else None
        for context in contexts if isinstance(contexts, list) else [contexts]:
            for term, value in context.items() if isinstance(context, dict) else ():
                iri = value.get("@id") if isinstance(value, dict) else value
                if (not term.startswith("@") and isinstance(iri, str) and urlsplit(iri).scheme
                        and iri.endswith(("/", "#", ":", "?", "[", "]", "@"))):
                    prefixes.setdefault(term, iri)
    return prefixes


_known_prefix_cache: dict[str, dict[str, str]] = {}


def known_prefixes() -> dict[str, str]:
    """Prefixes a submission may use: the project's own and those the packaged data files declare.

    >>> known_prefixes()["mtg"]
    'https://w3id.org/bp-graph/meeting/'
    """
    from .resources import data_files

    files = data_files()
    key = "|".join(f"{p}:{p.stat().st_mtime_ns}" for p in files)
    if key not in _known_prefix_cache:
        found: dict[str, str] = {}
        for path in files:
            for prefix, iri in _declared_prefixes(path.read_text(encoding="utf-8")).items():
                found.setdefault(prefix, iri)
        found.update(PREFIXES)
        _known_prefix_cache.clear()
        _known_prefix_cache[key] = found
    return dict(_known_prefix_cache[key])


def _syntax_hint(message: str, fmt: InputFormat, inp: _Input) -> str:
    lower = message.lower()
    hint = ""
    undeclared = re.search(r"prefix (\S*?):? (?:has not been declared|not bound)", message, re.IGNORECASE) or \
        re.search(r'Prefix "([^"]*?):" not bound', message)
    if undeclared:
        prefix = undeclared.group(1).rstrip(":")
        known = known_prefixes().get(prefix)
        hint = (f'add "@prefix {prefix}: <{known}> ." at the top of the file' if known else
                f'declare it with "@prefix {prefix}: <...> ." or write the full IRI in <...>')
    elif "is not allowed" in lower and "name" in lower:
        hint = ("a prefixed name cannot hold this character (a '/' for instance): write the full IRI in <...> "
                "or escape the character with a backslash")
    elif "end of file" in lower or "unexpected end" in lower or "eof found" in lower:
        hint = "the file ends inside a statement: look for an unclosed string, '[', '(' or '{', or a missing final ' .'"
    elif "iri" in lower and ("code point" in lower or "invalid" in lower):
        hint = "IRIs cannot contain spaces, quotes or '<>{}|^`\\'; percent-encode them (a space is %20)"
    elif "followed by a dot" in lower:
        hint = "each statement ends with ' .': add it where the statement ends"
    elif "language tag" in lower:
        hint = 'language tags look like @en or @fr-BE'
    elif "not a valid rdf object" in lower or "objectlist expected" in lower or "expected" in lower:
        hint = ("a statement is subject, predicate, object; separate predicates with ';', objects with ',' "
                "and end with ' .' (check the end of the previous statement too)")
    elif "string" in lower and ("newline" in lower or "line jump" in lower):
        hint = 'a "..." string cannot span lines: close the quote, write \\n, or use """...""" for long text'
    else:
        hint = f"the file was read as {FORMAT_NAMES[fmt]}"
    return hint + _looks_like(inp, fmt)


def _looks_like(inp: _Input, fmt: InputFormat) -> str:
    """A hint's end when the content is unmistakably another format than ``fmt``, else "": a guess
    from a file that does not parse (an N-Triples line without its dot) would mislead."""
    head = inp.text.lstrip("\ufeff \t\r\n")
    sniffed = inp.sniffed or sniff_format(inp.data)
    if sniffed == fmt or (sniffed == "nt" and fmt in ("turtle", "trig")):  # Turtle and TriG read N-Triples
        return ""
    if sniffed == "json-ld":  # Turtle may start with [ too
        try:
            json.loads(head)
        except ValueError:
            return ""
    evident = {"json-ld": True, "nt": True, "nquads": True, "xml": bool(_XML_START.match(head)),
               "turtle": bool(_DECLARATION.search(_strip_strings_and_comments(head[:200_000])))}
    evident["trig"] = evident["turtle"]
    if not evident[sniffed]:
        return ""
    if format_for(inp.name) == sniffed:  # the extension says so too: the format was chosen against both
        return (f"; its content and its {_EXTENSION_OF[sniffed]} extension say {FORMAT_NAMES[sniffed]}: leave the "
                f"input format out, or choose {sniffed}")
    return (f"; its content looks like {FORMAT_NAMES[sniffed]}: give it the {_EXTENSION_OF[sniffed]} extension "
            "or choose the input format")


_XML_START = re.compile(r"<(\?xml|!--|[A-Za-z_][\w.-]*:RDF[\s>])")
_DECLARATION = re.compile(r"(?im)^\s*(@prefix|@base|prefix\s|base\s)")


def _after_parse(inp: _Input, graph: rdflib.Graph, limits: Limits) -> None:
    import rdflib

    if len(graph) == 0:
        raise _refuse(inp, "syntax", "no triples: the file holds only prefixes, comments or empty objects",
                      hint="a submission needs at least one statement")
    imports = rdflib.URIRef(_OWL_IMPORTS)
    for target in graph.objects(None, imports):
        raise _refuse(inp, "unsafe", f"owl:imports <{target}> is not accepted: a submission is never followed "
                      "to other documents", index=_find_any(inp.text, str(target)) or _find_any(inp.text, "imports"),
                      hint="remove the owl:imports statement; the ontology is always included")
    shacl = str(SH)
    for triple in graph:
        for term in triple:
            value = str(term) if not isinstance(term, rdflib.Literal) else str(term.datatype or "")
            if value.startswith(shacl):
                raise _refuse(inp, "unsafe", f"SHACL term <{value}> in the submission: shapes, rules and SPARQL "
                              "constraints are never accepted from a submitter", index=_find_any(inp.text, "sh:")
                              or _find_any(inp.text, value), hint="send data only; bp-graph validates with its own shapes")
            if isinstance(term, rdflib.Literal) and len(term) > limits.max_literal_length:
                raise _refuse(inp, "limit", f"literal of {len(term)} characters, longer than the limit of "
                              f"{limits.max_literal_length}", hint="shorten the text")
            control = NOT_XML.search(str(term))
            if control:  # the published RDF/XML, HTML and XML results could not carry it
                code = ord(control.group())
                raise _refuse(inp, "syntax", f"U+{code:04X} is a character XML cannot carry (a control character "
                              "or a noncharacter)", index=_find_any(inp.text, f"\\u{code:04x}", f"\\U{code:08x}",
                                                                    control.group()),
                              hint="remove it (a line break is \\n, a tab \\t)")


def _parse_input(inp: _Input, limits: Limits) -> _Parsed:
    _check_text(inp, limits)
    inp.sniffed = sniff_format(inp.data)
    fmt: InputFormat = inp.format or inp.sniffed
    document: Any = None  # JSON-LD's, decoded
    if fmt in ("turtle", "trig", "nt", "nquads"):
        _scan_turtle(inp, limits)
        graph, named = _parse_oxigraph(inp, fmt, limits)
    elif fmt == "json-ld":
        document = _scan_json(inp, limits)
        graph, named = _parse_rdflib(inp, fmt, limits)
        _refuse_dropped_keys(inp, document)
    else:
        _scan_xml(inp, limits)
        graph, named = _parse_rdflib(inp, fmt, limits)
    _after_parse(inp, graph, limits)
    prefixes = _context_prefixes(document) if fmt == "json-ld" else _declared_prefixes(inp.text)
    return _Parsed(inp.name, inp.data, fmt, graph, inp.text, prefixes, named)


def _is_single(sources: object) -> bool:
    if isinstance(sources, (str, bytes, bytearray, memoryview)) or hasattr(sources, "__fspath__"):
        return True
    return (isinstance(sources, tuple) and len(sources) == 2 and isinstance(sources[0], str)
            and isinstance(sources[1], (bytes, bytearray)))


def _listed(sources: Source | Sequence[Source]) -> list[Source]:
    if _is_single(sources):
        return [sources]  # type: ignore[list-item]
    return list(sources)  # type: ignore[arg-type]


def _parse_sources(sources: Source | Sequence[Source], *, format: InputFormat | None, limits: Limits
                   ) -> tuple[list[_Parsed], list[InputError], tuple[str, ...]]:
    items = _listed(sources)
    if format is not None and format not in INPUT_FORMATS:
        raise SubmissionError(f"unknown input format {format!r}; use one of {', '.join(INPUT_FORMATS)}")
    parsed: list[_Parsed] = []
    errors: list[InputError] = []
    names: list[str] = []
    if not items:
        errors.append(InputError("<none>", "io", "no file to validate"))
    for index, item in enumerate(items, start=1 if len(items) > 1 else 0):
        try:
            inp = _read(item, index, limits)
            if format is not None:
                inp.format = format
            parsed.append(_parse_input(inp, limits))
            names.append(inp.name)
        except _Refused as refused:
            errors.append(refused.error)
            names.append(refused.error.source)
    return parsed, errors, tuple(names)


def parse_submission(source: Source, *, format: InputFormat | None = None, limits: Limits | None = None
                     ) -> rdflib.Graph:
    """Parse one untrusted file safely into an rdflib Graph (named graphs merged), or raise.

    ``source`` is a path, bytes or a ``(name, bytes)`` pair; the format comes from ``format``, the
    extension, or the content. Raises :class:`~bp_graph.errors.ParseError` for syntax errors and
    :class:`~bp_graph.errors.SubmissionError` for unsafe or oversized input.

    >>> len(parse_submission(b'<https://w3id.org/bp-graph/a> <https://w3id.org/bp-graph/b> "c" .'))
    1
    >>> parse_submission(b'{"@context": "http://example.org/ctx", "@id": "x"}')
    Traceback (most recent call last):
    ...
    bp_graph.errors.SubmissionError: <input>:1:15: remote JSON-LD context 'http://example.org/ctx' is not accepted: ...
    """
    parsed, errors, _ = _parse_sources([source], format=format, limits=limits or Limits())
    if errors:
        raise errors[0].exception()
    return parsed[0].graph


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

_graph_cache: dict[str, Any] = {}


def _cached_turtle(paths: list[Path], key: str) -> rdflib.Graph:
    import rdflib

    stamp = key + "|" + "|".join(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in paths)
    if _graph_cache.get(key + "#stamp") != stamp:
        graph = rdflib.Graph()
        for path in paths:
            graph.parse(data=path.read_bytes(), format="turtle", publicID=BASE)
        _graph_cache[key] = graph
        _graph_cache[key + "#stamp"] = stamp
    return _graph_cache[key]


def _ontology() -> rdflib.Graph:
    from .resources import ontology_files

    return _cached_turtle(ontology_files(), "ontology")


def _shapes() -> rdflib.Graph:
    from .resources import shapes_file

    try:
        return _cached_turtle([shapes_file()], "shapes")
    except BPGraphError:
        raise
    except Exception as exc:  # noqa: BLE001 (a broken shapes file may raise anything from rdflib)
        raise ShapesError(f"the SHACL shapes cannot be loaded: {exc}") from None


def meeting_classes() -> set[str]:
    """IRIs of bp:Meeting and its subclasses in the ontology.

    >>> "https://w3id.org/bp-graph/ontology#JointMeeting" in meeting_classes()
    True
    """
    import rdflib

    onto = _ontology()
    return {str(c) for c in onto.transitive_subjects(rdflib.RDFS.subClassOf, rdflib.URIRef(ONTOLOGY_NS + "Meeting"))}


def open_reference(data_dir: str | os.PathLike[str] | None = None) -> KnowledgeGraph:
    """The store validation reads reference data from: the packaged graph, or the ontology plus
    every ``.ttl`` file under ``data_dir`` (no reasoning; built once per content in the cache).

    >>> open_reference().reasoning
    False
    """
    from .graph import KnowledgeGraph

    return KnowledgeGraph.open(reasoning=False, data_dir=data_dir)


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(iris) if _SAFE_IRI.match(iri))


def _select(kg: KnowledgeGraph, text: str) -> list[dict[str, Any]]:
    from .results import QueryResult

    answer = kg.engine.run(text)
    assert isinstance(answer, QueryResult)
    return answer.as_dicts()


def _construct(kg: KnowledgeGraph, text: str) -> rdflib.Graph:
    from .results import GraphResult

    answer = kg.engine.run(text)
    assert isinstance(answer, GraphResult)
    return answer.graph


def _project_iris(graph: rdflib.Graph) -> set[str]:
    import rdflib

    found: set[str] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, rdflib.URIRef) and str(term).startswith(BASE):
                found.add(str(term))
    return found


def _neighbourhood(kg: KnowledgeGraph, submission: rdflib.Graph, mentioned: set[str]) -> rdflib.Graph:
    """The store's description of the mentioned IRIs, of their objects, and of what the shapes'
    SPARQL constraints compare with (meetings on the same start date, goals in the same scheme)."""
    import rdflib

    graph = rdflib.Graph()
    instance_iris = {iri for iri in mentioned if not iri.startswith(ONTOLOGY_NS)}
    values = _values(instance_iris)
    if values:
        # Asserted triples only (SHACL runs without inference, and the closure's shortcuts, such as
        # a state's bp:attended, would pull in every meeting); plain joins, not OPTIONAL, which
        # Oxigraph re-runs per row. A blank node object (a budget) comes with its description in
        # the second answer only, a quote selector in the third: each answer names blank nodes anew.
        asserted = f"FILTER(!sameTerm(?g, <{INFERRED_GRAPH}>))"
        graph += _construct(kg, f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} "
                                f"GRAPH ?g {{ ?x ?p ?o }} {asserted} FILTER(!isBlank(?o)) }}")
        graph += _construct(kg, f"""
            CONSTRUCT {{ ?x ?p ?o . ?o ?q ?v }} WHERE {{
              VALUES ?x {{ {values} }}
              GRAPH ?g {{ ?x ?p ?o }} {asserted} FILTER(!sameTerm(?p, <{_RDF}type>) && !sameTerm(?p, <{_OA}hasSelector>))
              GRAPH ?h {{ ?o ?q ?v }} FILTER(!sameTerm(?h, <{INFERRED_GRAPH}>) && !isBlank(?v))
            }}""")
        # Segments whole, as bps:Provenance checks them: those mentioned and those a mentioned node
        # is derived from, with their quote selectors (blank nodes: all in this one answer, which
        # names each once) and the type of their source documents.
        # (the first answer holds the asserted prov:wasDerivedFrom of each mentioned IRI already)
        derived_from = rdflib.URIRef(_PROV + "wasDerivedFrom")
        derived = {str(o) for x in instance_iris for o in graph.objects(rdflib.URIRef(x), derived_from)}
        described = {str(s) for s in submission.subjects(rdflib.URIRef(_OA + "hasSelector"))}  # its own quote
        segments = _values({*instance_iris, *derived} - described)
        graph += _construct(kg, f"""
            CONSTRUCT {{ ?segment <{_OA}hasSelector> ?selector . ?selector ?q ?v . ?source a ?type }} WHERE {{
              VALUES ?segment {{ {segments} }}
              GRAPH ?h {{ ?segment <{_OA}hasSelector> ?selector ; <{_OA}hasSource> ?source . ?selector ?q ?v }}
              GRAPH ?k {{ ?source a ?type }} FILTER(!sameTerm(?k, <{INFERRED_GRAPH}>))
            }}""")
    dates = {Term("literal", str(o), str(o.datatype)).n3()
             for o in submission.objects(None, rdflib.URIRef(_SCHEMA_START))
             if isinstance(o, rdflib.Literal) and str(o.datatype) in _DATE_TYPES and re.match(r"^[0-9-]+$", str(o))}
    if dates:
        graph += _construct(kg, f"""
            CONSTRUCT {{ ?other a ?type ; <{_SCHEMA_START}> ?start ; <{_SCHEMA_LOCATION}> ?city . }} WHERE {{
              VALUES ?start {{ {' '.join(sorted(dates))} }}
              ?other <{_SCHEMA_START}> ?start ; a ?type .
              OPTIONAL {{ ?other <{_SCHEMA_LOCATION}> ?city }}
            }}""")
    schemes = _values(str(o) for o in submission.objects(None, rdflib.URIRef(_SKOS + "inScheme")))
    if schemes:
        graph += _construct(kg, f"""
            CONSTRUCT {{ ?member <{_SKOS}inScheme> ?scheme ; <{_SKOS}notation> ?n . }} WHERE {{
              VALUES ?scheme {{ {schemes} }}
              ?member <{_SKOS}inScheme> ?scheme ; <{_SKOS}notation> ?n .
            }}""")
    return graph


def _iso_states(codes: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """ISO 3166-1 alpha-3 code -> (English name, alpha-2), for the codes pycountry knows (also dissolved states)."""
    import pycountry

    found: dict[str, tuple[str, str | None]] = {}
    for code in codes:
        country = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
        if country is None:
            continue
        name = getattr(country, "common_name", None) or country.name
        if "," in name and not getattr(country, "common_name", None):
            name = name.split(",")[0].strip()
        found[code] = (name, getattr(country, "alpha_2", None))
    return found


def _all_iso_states() -> dict[str, tuple[str, str | None]]:
    import pycountry

    if "iso" not in _graph_cache:
        codes = [c.alpha_3 for c in pycountry.countries] + [c.alpha_3 for c in pycountry.historic_countries]
        _graph_cache["iso"] = _iso_states(codes)
    return _graph_cache["iso"]


def _state_descriptions(missing: Iterable[str]) -> tuple[rdflib.Graph, list[str]]:
    import rdflib

    graph = rdflib.Graph()
    described: list[str] = []
    prefix = BASE + "state/"
    codes = {iri[len(prefix):]: iri for iri in missing if iri.startswith(prefix)}
    for code, (name, alpha2) in _iso_states(c for c in codes if re.fullmatch(r"[A-Z]{3}", c)).items():
        node = rdflib.URIRef(codes[code])
        graph.add((node, rdflib.RDF.type, rdflib.URIRef(ONTOLOGY_NS + "State")))
        graph.add((node, rdflib.RDFS.label, rdflib.Literal(name, lang="en")))
        graph.add((node, rdflib.URIRef(ONTOLOGY_NS + "iso3"), rdflib.Literal(code)))
        if alpha2:
            graph.add((node, rdflib.URIRef(ONTOLOGY_NS + "iso2"), rdflib.Literal(alpha2)))
        described.append(codes[code])
    return graph, described


def _known_in_store(kg: KnowledgeGraph, iris: set[str]) -> set[str]:
    values = _values(iris)
    if not values:
        return set()
    rows = _select(kg, f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} FILTER EXISTS {{ ?x ?p ?o }} }}")
    return {str(row["x"]) for row in rows}


def _shacl_data_graph() -> rdflib.Graph:
    """An empty data graph that keeps the SPARQL queries it has parsed.

    pyshacl runs each SPARQL-based constraint once per focus node, with the same text each time;
    rdflib's parser (pyparsing) costs more than evaluating such a query, so each text is parsed
    once (as rdflib's prepared queries are meant to be) and then run with the new bindings.
    """
    return _prepared_query_graph_class()()


@functools.cache
def _prepared_query_graph_class() -> type[rdflib.Graph]:
    import rdflib

    from .safety import prepare_sparql

    class PreparedQueryGraph(rdflib.Graph):
        prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

        def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
                  initNs: Any = None, initBindings: Any = None,  # noqa: N803 (rdflib's names)
                  use_store_provided: bool = True, **kwargs: Any) -> Any:
            if isinstance(query_object, str) and processor == "sparql":
                key = (query_object, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
                if key not in self.prepared:
                    self.prepared[key] = prepare_sparql(query_object, initNs)
                query_object = self.prepared[key]
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided,
                                 **kwargs)

    return PreparedQueryGraph


def _run_shacl(data: rdflib.Graph, inference: Inference) -> rdflib.Graph:
    import pyshacl

    if inference not in ("none", "rdfs", "owlrl"):
        raise SubmissionError(f"unknown inference {inference!r}: use none, rdfs or owlrl")
    try:
        _, results, _ = pyshacl.validate(data, shacl_graph=_shapes(), ont_graph=None,
                                         inference=None if inference == "none" else inference,
                                         abort_on_first=False, allow_warnings=True, meta_shacl=False,
                                         advanced=False, js=False)
    except BPGraphError:
        raise
    except Exception as exc:  # noqa: BLE001 (pyshacl reports its own failures with many types)
        raise ShapesError(f"SHACL validation failed: {type(exc).__name__}: {exc}") from None
    return results


def _node_id(node: object) -> str:
    import rdflib

    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    return str(node)


def _term(node: object) -> Term | None:
    import rdflib

    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return Term("uri", str(node))
    if isinstance(node, rdflib.BNode):
        return Term("bnode", str(node))
    assert isinstance(node, rdflib.Literal)
    if node.language:
        return Term("literal", str(node), None, node.language)
    return Term("literal", str(node), str(node.datatype) if node.datatype else None)


def _findings_from(results: rdflib.Graph, keep: set[Any] | None) -> list[Finding]:
    import rdflib

    sh = rdflib.Namespace(str(SH))
    shapes = _shapes()
    findings = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        if keep is not None and focus not in keep:
            continue
        path = results.value(result, sh.resultPath)
        shape = results.value(result, sh.sourceShape)
        constraint = results.value(result, sh.sourceConstraint)
        severity = _SEVERITIES.get(str(results.value(result, sh.resultSeverity)), "Violation")
        # bp-graph convention: a severity written on an sh:SPARQLConstraint applies to its results
        # (SHACL takes the severity of the shape, which would make the shapes' Warnings Violations).
        own = shapes.value(constraint, sh.severity) if constraint is not None else None
        if own is not None:
            severity = _SEVERITIES.get(str(own), severity)
        messages = sorted(str(m) for m in results.objects(result, sh.resultMessage))
        # pyshacl adds the shape's own sh:message to a SPARQL constraint's message: keep the constraint's.
        generic = {str(m) for m in shapes.objects(shape, sh.message)} if shape is not None else set()
        messages = [m for m in messages if m not in generic] or messages
        component = results.value(result, sh.sourceConstraintComponent)
        if shape is not None and component is not None and shapes.value(shape, sh.message) is None:
            # pyshacl's own wording shows Python (Literal("0", datatype=xsd:integer)): say it plainly
            messages = [m for m in [_worded(shapes, shape, component, path)] if m] or messages
        findings.append(Finding(
            focus=_node_id(focus), path=str(path) if isinstance(path, rdflib.URIRef) else None,
            severity=severity, message=messages[0] if messages else "constraint not satisfied",
            value=_term(results.value(result, sh.value)),
            shape=_node_id(shape) if shape is not None else None,
            component=str(component) if component is not None else None))
    return findings


def _worded(shapes: rdflib.Graph, shape: Any, component: Any, path: Any) -> str | None:
    """A plain message for a result of a ``shape`` without sh:message, from its constraint's own
    values; None for a component worded elsewhere (a node or logical constraint).

    >>> import rdflib
    >>> s = rdflib.Graph().parse(data='@prefix sh: <http://www.w3.org/ns/shacl#> . '
    ...     '<urn:s> sh:path <https://w3id.org/bp-graph/ontology#ordinal> ; sh:minInclusive 1 .', format="turtle")
    >>> _worded(s, rdflib.URIRef("urn:s"), rdflib.URIRef(str(SH) + "MinInclusiveConstraintComponent"),
    ...         rdflib.URIRef("https://w3id.org/bp-graph/ontology#ordinal"))
    'The value of bp:ordinal is at least 1.'
    """
    import rdflib

    name = str(component).removeprefix(str(SH)).removesuffix("ConstraintComponent")
    compact = _compactor(dict(PREFIXES))
    prop = compact(str(path)) if path is not None else None
    it = f"The value of {prop}" if prop else "The node"
    value = shapes.value(shape, rdflib.URIRef(str(SH) + name[0].lower() + name[1:]))
    shown = compact(str(value)) if isinstance(value, rdflib.URIRef) else str(value)
    wordings = {
        "MinInclusive": f"{it} is at least {shown}.", "MaxInclusive": f"{it} is at most {shown}.",
        "MinExclusive": f"{it} is more than {shown}.", "MaxExclusive": f"{it} is less than {shown}.",
        "Datatype": f"{it} is a literal of datatype {shown}.", "Class": f"{it} is typed {shown} (or a subclass of it).",
        "MinLength": f"{it} has at least {shown} characters.", "MaxLength": f"{it} has at most {shown} characters.",
        "Pattern": f"{it} matches the pattern {shown}.", "NodeKind": f"{it} is a {shown.removeprefix('sh:')}.",
        "HasValue": f"{it} is {shown}.",
    }
    if prop:  # how many values: said of the property
        wordings["MinCount"] = f"{prop} is needed{'' if shown == '1' else f' at least {shown} times'}."
        wordings["MaxCount"] = f"{prop} is given at most {'once' if shown == '1' else f'{shown} times'}."
    if name == "In" and value is not None:
        members = [compact(str(m)) if isinstance(m, rdflib.URIRef) else str(m)
                   for m in rdflib.collection.Collection(shapes, value)]
        return f"{it} is one of {', '.join(members)}."
    return wordings.get(name) if value is not None else None


def _without_backups(findings: list[Finding], unknown: list[Finding]) -> list[Finding]:
    """``findings`` with the results of the shapes generated from the ontology's domains and ranges
    folded into the others: a range Violation that a class shape (or an ``unknown`` IRI) also
    reports is dropped, its message given to a class shape's result that has no message of its
    own; a domain result is dropped only for a node of an unknown class (it fails every domain).
    Results that then read the same (same node, path, value, severity and message) are said once."""
    generated = _generated_shapes()
    others = [f for f in findings if f.shape not in generated]
    mistyped = {f.focus for f in [*others, *unknown] if f.path == _RDF + "type"}
    said = {(f.focus, f.path, f.value) for f in [*others, *unknown] if f.severity == "Violation"}
    better: dict[tuple[str, str | None, Term | None], str] = {}
    kept = []
    for f in findings:
        key = (f.focus, f.path, f.value)
        if f.shape not in generated:
            kept.append(f)
        elif f.path is None and f.focus not in mistyped:
            kept.append(f)
        elif f.path is not None and key not in said:
            kept.append(f)
        elif f.path is not None:
            better[key] = f.message
    plain = _shapes_without_message()
    folded: dict[tuple[object, ...], Finding] = {}
    for f in kept:
        key = (f.focus, f.path, f.value)
        if key in better and f.shape in plain:
            f = replace(f, message=better[key])
        # two results pyshacl worded (a datatype and a minimum, say) may now read the same: say it once
        folded.setdefault((*key, f.severity, f.message), f)
    return _one_domain_result_per_class(list(folded.values()), generated)


_DOMAIN_MESSAGE = re.compile(r"^(Only an? \S+ \(or a node of a subclass\) has) (\S+)\.$")


def _one_domain_result_per_class(findings: list[Finding], generated: frozenset[str]) -> list[Finding]:
    """One domain result per node and class: a node without its type fails the domain of each of
    its properties, one mistake (the properties are listed in the first result's message)."""
    merged: dict[tuple[str, str], list[str]] = {}
    first: dict[tuple[str, str], int] = {}
    out: list[Finding] = []
    for f in findings:
        match = _DOMAIN_MESSAGE.match(f.message) if f.shape in generated and f.path is None else None
        if match is None:
            out.append(f)
            continue
        key = (f.focus, match.group(1))
        if key not in first:
            first[key] = len(out)
            out.append(f)
        merged.setdefault(key, []).append(match.group(2))
    for key, names in merged.items():
        if len(names) > 1:
            listed = ", ".join(sorted(names)[:-1]) + " or " + sorted(names)[-1]
            out[first[key]] = replace(out[first[key]], message=f"{key[1]} {listed}.")
    return out


@functools.lru_cache(maxsize=1)
def _shapes_without_message() -> frozenset[str]:
    """The ids (as in Finding.shape) of the shapes with no sh:message: pyshacl words their results."""
    import rdflib

    shapes, message = _shapes(), rdflib.URIRef(str(SH) + "message")
    nodes = set(shapes.subjects(rdflib.RDF.type, rdflib.URIRef(str(SH) + "NodeShape")))
    nodes |= set(shapes.objects(None, rdflib.URIRef(str(SH) + "property")))
    return frozenset(_node_id(n) for n in nodes if shapes.value(n, message) is None)


@functools.lru_cache(maxsize=1)
def _generated_shapes() -> frozenset[str]:
    """The ids (as in Finding.shape) of the shapes generated from the ontology's domains and
    ranges (``rdfs:isDefinedBy`` the ontology) and of their property shapes."""
    import rdflib

    shapes = _shapes()
    roots = list(shapes.subjects(rdflib.RDFS.isDefinedBy, rdflib.URIRef(BASE + "ontology")))
    parts = [*roots, *(p for root in roots for p in shapes.objects(root, rdflib.URIRef(str(SH) + "property")))]
    return frozenset(_node_id(node) for node in parts)


def _candidates(kg: KnowledgeGraph | None, submission: rdflib.Graph | None, reference: rdflib.Graph | None,
                unknown: Iterable[str] = ()) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """IRI -> (label, identifiers and labels to compare with), from the store, the submission and ISO 3166.

    From the store come the labelled IRIs in the same folder as an ``unknown`` IRI (``state/``,
    ``meeting/``...): a misspelt meeting is not a misspelt state, and a million-triple store holds
    too many IRIs to compare with all of them; and those of another folder that have the unknown
    IRI's last part as an acronym or code (``state/IOM``: ``organisation/iom``, acronym IOM)."""
    import rdflib

    found: dict[str, tuple[str | None, list[str]]] = {}

    def add(iri: str, label: str | None, *names: str) -> None:
        current = found.setdefault(iri, (None, []))
        found[iri] = (current[0] or label, current[1] + [n for n in names if n])

    folders = sorted({BASE + re.match(r"[^/#]*[/#]?", iri[len(BASE):]).group(0)  # type: ignore[union-attr]
                      for iri in unknown if iri.startswith(BASE)})
    def named(store: KnowledgeGraph, properties: str, condition: str) -> list[dict[str, Any]]:
        return _select(store, f"""
            SELECT ?s (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?n; separator="\\u001f") AS ?names) WHERE {{
              ?s {properties} ?n .
              FILTER(isIRI(?s) && ({condition}))
              OPTIONAL {{ ?s <{_RDFS}label> ?l }}
            }} GROUP BY ?s""")

    if kg is not None and folders:
        codes = f"<{ONTOLOGY_NS}acronym>|<{ONTOLOGY_NS}iso3>|<{ONTOLOGY_NS}iso2>"
        rows = named(kg, f"<{_RDFS}label>|<{_SKOS}prefLabel>|<{_SKOS}altLabel>|{codes}",
                     " || ".join(f"STRSTARTS(STR(?s), {Term('literal', f).n3()})" for f in folders))
        # the unknown IRI's last part as an acronym or code in another folder (state/IOM: IOM);
        # codes only: matching every label too made this lookup 1.4x slower at a million triples
        ends = {iri.rsplit("/", 1)[-1].lower() for iri in unknown if iri.startswith(BASE) and "/" in iri[len(BASE):]}
        if ends:
            rows += named(kg, codes, f"LCASE(STR(?n)) IN ({', '.join(Term('literal', n).n3() for n in sorted(ends))})")
        for row in rows:
            add(str(row["s"]), row.get("label"), *str(row.get("names") or "").split("\u001f"))
    for graph in (submission, reference):
        if graph is None:
            continue
        for s in set(graph.subjects()):
            if isinstance(s, rdflib.URIRef) and str(s).startswith(BASE):
                labels = [str(o) for o in graph.objects(s, rdflib.RDFS.label)]
                add(str(s), labels[0] if labels else None, *labels)
    prefix = BASE + "state/"
    for code, (name, alpha2) in _all_iso_states().items():
        add(prefix + code, name, name, code, alpha2 or "")
    return {iri: (label, tuple(names)) for iri, (label, names) in found.items()}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


_WORDS = re.compile(r"[a-z0-9]+")


def _subsequence(short: str, long: str) -> bool:
    if not short or not long or short[0] != long[0]:
        return False
    letters = iter(long)
    return all(ch in letters for ch in short)


def suggest(iri: str, candidates: dict[str, tuple[str | None, tuple[str, ...]]], limit: int = 3
            ) -> tuple[Suggestion, ...]:
    """Existing IRIs an unknown ``iri`` may have meant, best first, compared by IRI, label and code.

    >>> cands = {"https://w3id.org/bp-graph/state/TUR": ("Türkiye", ("Türkiye", "TUR", "TR")),
    ...          "https://w3id.org/bp-graph/state/TKM": ("Turkmenistan", ("Turkmenistan", "TKM", "TM"))}
    >>> suggest("https://w3id.org/bp-graph/state/TRK", cands)[0]
    Suggestion(iri='https://w3id.org/bp-graph/state/TUR', label='Türkiye')
    >>> cands["https://w3id.org/bp-graph/organisation/iom"] = ("IOM", ("International Organization for Migration", "IOM"))
    >>> suggest("https://w3id.org/bp-graph/state/IOM", cands)[0].iri  # named exactly, in another folder
    'https://w3id.org/bp-graph/organisation/iom'
    """
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    kind, local = iri[:cut], _fold(iri[cut:])
    pool = {c: v for c, v in candidates.items()
            if c != iri and c[:cut] == kind and "/" not in c[cut:] and "#" not in c[cut:]}
    scored = _scored(kind, local, pool)
    if not pool or kind == BASE:  # a wrong or no folder (states/TUR, 2019-10-09-skopje): compare paths under the base
        local = _fold(iri[len(BASE):]) if iri.startswith(BASE) else _fold(iri)
        scored = _scored(BASE, local, {c: v for c, v in candidates.items() if c != iri and c.startswith(BASE)})
    elif iri.startswith(BASE):  # the right name in the wrong folder (state:IOM for orgn:iom) first
        scored += [(-2.0, c, label) for c, (label, names) in candidates.items()
                   if c.startswith(BASE) and c[:cut] != kind and c[len(BASE):].count("/") == 1
                   and local in {_fold(c.rsplit("/", 1)[-1]), *map(_fold, names)}]
    return tuple(Suggestion(candidate, label) for _, candidate, label in sorted(scored)[:limit])


def _scored(kind: str, local: str, pool: dict[str, tuple[str | None, tuple[str, ...]]]
            ) -> list[tuple[float, str, str | None]]:
    """(minus the score, IRI, label) of the ``pool`` IRIs under ``kind`` close enough to ``local``."""
    scored = []
    for candidate, (label, names) in pool.items():
        ident = _fold(candidate[len(kind):])
        codes = [_fold(n) for n in names if len(n) <= 4]
        labels = [_fold(n) for n in names if len(n) > 4]
        s_id = max([difflib.SequenceMatcher(None, local, x).ratio() for x in [ident, *codes]])
        s_label = max([difflib.SequenceMatcher(None, local, x).ratio() for x in labels] or [0.0])
        abbreviation = any(_subsequence(local, x) for x in labels) and len(local) <= 5
        # every word of a path with several (2019-istanbul) among the candidate's: 2019-02-19-istanbul
        words = set(_WORDS.findall(local))
        all_words = len(words) > 1 and words <= set(_WORDS.findall(ident))
        score = max(s_id, s_label) + (0.25 if abbreviation else 0.0) + 0.1 * s_label + (0.3 if all_words else 0.0)
        if score >= 0.6:
            scored.append((-score, candidate, label))
    return scored


def _unknown_findings(submission: rdflib.Graph, unknown: set[str],
                      candidates: dict[str, tuple[str | None, tuple[str, ...]]], compact: Any,
                      whole_data: bool = False) -> list[Finding]:
    import rdflib

    findings = []
    iso = _iso_states(iri[len(BASE + "state/"):] for iri in unknown if iri.startswith(BASE + "state/"))
    suggestions = {iri: () if whole_data and iri[len(BASE + "state/"):] in iso else suggest(iri, candidates)
                   for iri in unknown}
    extending = sorted({str(s) for s in submission.subjects() if str(s) in unknown and str(s).startswith(ONTOLOGY_NS)})
    for iri in extending:  # a submission may not add terms to the ontology
        message = f"{compact(iri)} is not a term of the bp-graph ontology, and a submission cannot add one."
        if suggestions[iri]:
            message += " Did you mean " + " or ".join(compact(x.iri) for x in suggestions[iri]) + "?"
        findings.append(Finding(focus=iri, path=None, severity="Violation", message=message,
                                shape=KNOWN_REFERENCE_SHAPE, component=KNOWN_REFERENCE_COMPONENT,
                                suggestions=suggestions[iri]))
    for s, p, o in sorted(submission, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        for role, term in (("predicate", p), ("object", o)):
            if not isinstance(term, rdflib.URIRef) or str(term) not in unknown:
                continue
            iri = str(term)
            ontology = iri.startswith(ONTOLOGY_NS)
            if ontology:
                what = "is not a term of the bp-graph ontology"
            elif whole_data:
                what = "is not described anywhere in the data"
            else:
                what = "is not in the graph: neither this submission nor the data describe it"
            message = f"{compact(iri)} {what}."
            code = iri[len(BASE + "state/"):] if iri.startswith(BASE + "state/") else ""
            if whole_data and code in iso:
                message += (f" {code} is the ISO 3166-1 code of {iso[code][0]}: run python tools/generate_reference.py "
                            "to add it to data/reference/states.ttl.")
            elif suggestions[iri]:
                message += " Did you mean " + " or ".join(
                    compact(x.iri) + (f' ("{x.label}")' if x.label else "") for x in suggestions[iri]) + "?"
            findings.append(Finding(focus=_node_id(s), path=str(p), severity="Violation", message=message,
                                    value=_term(o), shape=KNOWN_REFERENCE_SHAPE, component=KNOWN_REFERENCE_COMPONENT,
                                    suggestions=suggestions[iri]))
            if role == "predicate":
                break
    return findings


def _compactor(prefixes: dict[str, str]) -> Callable[[str], str]:
    ordered = longest_first({prefix: iri for prefix, iri in prefixes.items() if iri})
    local = re.compile(r"^[A-Za-z0-9_][\w.-]*$")

    def compact(iri: str) -> str:
        if iri.startswith("_:"):
            return iri
        for prefix, namespace in ordered:
            if iri.startswith(namespace) and local.match(iri[len(namespace):]) and not iri.endswith("."):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"

    return compact


_MENTION = re.compile(r'<([^<>"{}|^`\\\s]*)>|"(https?://[^"\s]*)"|(?<![\w:/#-])([A-Za-z][\w.-]*)?:([\w-]+(?:\.[\w-]+)*)')
_BASE_DECL = re.compile(r'(?im)^\s*(?:@base|base)\s*<([^>\s]*)>|"@base"\s*:\s*"([^"\\]*)"')
# A node object's own "@id" is followed by its other keys; a reference ({"@id": ...}) is not.
_JSON_ID = re.compile(r'"@id"\s*:\s*"((?:[^"\\]|\\.)*)"(\s*,)?')


def _mentions(item: _Parsed) -> dict[str, tuple[int, bool]]:
    """IRI -> (first line it is written on, whether as a subject: at the start of a line, or as the
    "@id" of a JSON-LD node object), built once per file. Relative IRIs are resolved against the
    file's base, as its parser resolved them."""
    if item.lines is None:
        index: dict[str, tuple[int, bool]] = {}
        line_starts = [0] + [m.end() for m in re.finditer("\n", item.text)]
        declared = _BASE_DECL.search(item.text)
        base = (declared.group(1) or declared.group(2)) if declared else BASE
        import bisect

        def note(iri: str, start: int, subject: bool | None = None) -> None:
            line = bisect.bisect_right(line_starts, start)
            if subject is None:
                subject = not item.text[line_starts[line - 1]:start].strip()
            known = index.get(iri)
            if known is None or (subject and not known[1]):
                index[iri] = (line, subject)

        for match in _MENTION.finditer(item.text):
            if match.group(1) is not None:
                note(urljoin(base, match.group(1)), match.start())
            elif match.group(2) is not None:
                note(match.group(2), match.start())
            elif (namespace := item.prefixes.get(match.group(3) or "")) is not None:
                note(namespace + match.group(4), match.start())
        if item.format == "json-ld":
            for match in _JSON_ID.finditer(item.text):
                written = json.loads(f'"{match.group(1)}"')
                prefix, _, local = written.partition(":")
                if written.startswith("_:"):
                    continue
                iri = item.prefixes[prefix] + local if prefix in item.prefixes and not local.startswith("//") \
                    else urljoin(base, written)
                note(iri, match.start(), subject=match.group(2) is not None)
        item.lines = index
    return item.lines


def _locate(parsed: list[_Parsed], iri: str) -> tuple[str | None, int | None]:
    """The file and line where ``iri`` is first written as a subject (at the start of a line), or at all."""
    fallback: tuple[str | None, int | None] = (None, None)
    for item in parsed:
        found = _mentions(item).get(iri)
        if found is not None:
            if found[1]:
                return item.name, found[0]
            if fallback[0] is None:
                fallback = (item.name, found[0])
    return fallback


def _merge_unknown(findings: list[Finding], unknown: list[Finding]) -> list[Finding]:
    """Attach "did you mean" to the SHACL result about the same value; keep the rest as findings of their own."""
    by_key = {(f.focus, f.path, f.value): i for i, f in enumerate(findings)}
    merged = list(findings)
    for extra in unknown:
        index = by_key.get((extra.focus, extra.path, extra.value))
        if index is not None and merged[index].severity == "Violation":
            message = merged[index].message.rstrip()
            separator = " " if message.endswith((".", "!", "?", ")")) else ". "
            merged[index] = replace(merged[index], suggestions=extra.suggestions,
                                    message=message + separator + extra.message)
        else:
            merged.append(extra)
    return merged


def _finish(findings: list[Finding], parsed: list[_Parsed], graph: rdflib.Graph,
            named: Mapping[str, str] | None = None) -> tuple[Finding, ...]:
    """The findings located (file and line), with their hints, sorted, each once; ``named`` maps
    a lower-cased name to the one resource of the graph it names (for strings written where a
    reference belongs)."""
    located = []
    cache: dict[str, tuple[str | None, int | None]] = {}
    parents = _blank_parents(graph) if any(f.focus.startswith("_:") for f in findings) else {}
    # a node typed with a misspelt class fails every "points to a bp:Meeting" that names it: say why there
    mistyped = {f.focus: f.value.value for f in findings if f.path == _RDF + "type" and f.value is not None
                and f.shape == KNOWN_REFERENCE_SHAPE}
    compact = _compactor({**PREFIXES, **{k: v for item in parsed for k, v in item.prefixes.items() if k}})
    for finding in findings:
        wrong = _lexical_problem(finding.value) if finding.value is not None else None
        if wrong and wrong not in finding.message:
            finding = replace(finding, message=f"{finding.message} ({wrong})")
        if finding.value is not None and finding.value.value in mistyped and finding.path != _RDF + "type":
            typo = mistyped[finding.value.value]
            finding = replace(finding, message=f"{finding.message} ({compact(finding.value.value)} is typed "
                                               f"{compact(typo)}, which the ontology does not know: mend that first)")
        owner = finding.focus  # a blank node is written inside the node that holds it: that node's place
        seen = {owner}
        while owner.startswith("_:") and owner in parents and parents[owner][0] not in seen:
            owner = parents[owner][0]
            seen.add(owner)
        if finding.focus.startswith("_:"):
            finding = replace(finding, focus_of=parents.get(finding.focus))
        if not owner.startswith("_:"):
            if owner not in cache:
                cache[owner] = _locate(parsed, owner)
            source, line = cache[owner]
            finding = replace(finding, source=source, line=line)
        for hint in (_quoted_reference(finding, parsed, named or {}), _untyped_literal(finding, parsed)):
            if hint:
                finding = replace(finding, message=f"{finding.message} ({hint})")
        located.append(finding)
    located.sort(key=lambda f: (f.source or "", f.line or 0, f.focus, _SEVERITY_ORDER[f.severity], f.path or "",
                                f.value.value if f.value else "", f.message))
    unique: list[Finding] = []
    for finding in located:
        if not unique or unique[-1] != finding:
            unique.append(finding)
    return tuple(unique)


def _plain_string(value: Term | None) -> bool:
    """Whether ``value`` is a string literal with no datatype of its own and no language."""
    return (value is not None and value.kind == "literal" and not value.language
            and value.datatype in (None, _XSD + "string"))


def _string_for_reference(finding: Finding) -> bool:
    """Whether the finding's value is a plain string where its object property takes a reference."""
    if not _plain_string(finding.value) or finding.path is None:
        return False
    import rdflib

    return (rdflib.URIRef(finding.path), rdflib.RDF.type, rdflib.OWL.ObjectProperty) in _ontology()


def _file_of(finding: Finding, parsed: list[_Parsed]) -> _Parsed | None:
    """The submitted file the finding is placed in (the first, for a finding placed nowhere)."""
    return next((p for p in parsed if p.name == finding.source), parsed[0] if parsed else None)


def _quoted_reference(finding: Finding, parsed: list[_Parsed], named: Mapping[str, str]) -> str | None:
    """How to write, in the finding's file format, a string value that names a resource (an IRI,
    a prefixed name, or the label of one resource: ``named``, by lower-cased text) as the reference
    its object property takes; None when the value is no such string."""
    if not _string_for_reference(finding):
        return None
    assert finding.value is not None
    item = _file_of(finding, parsed)
    declared = item.prefixes if item else {}
    text = finding.value.value
    prefix, _, local = text.partition(":")
    namespace = declared.get(prefix) or known_prefixes().get(prefix)
    by_name = False
    if namespace and re.fullmatch(r"[\w.~%-]+(?:/[\w.~%-]+)*", local) and not local.startswith("//"):
        iri = namespace + local
    elif urlsplit(text).scheme in ("http", "https", "urn") and not re.search(r'[\s<>"{}|^`\\]', text):
        iri = text
    elif text.strip().lower() in named:  # "Armenia": the resource of that name
        iri, by_name = named[text.strip().lower()], True
    else:
        return None
    short = next((f"{p}:{iri[len(ns):]}" for p, ns in longest_first(declared) if p and iri.startswith(ns)
                  and re.fullmatch(r"[\w.-]+", iri[len(ns):])), None)
    fmt = item.format if item else "turtle"
    if fmt == "json-ld":
        how = '{"@id": "' + (short or iri) + '"}'
    elif fmt in ("turtle", "trig"):
        how = short or f"<{iri}>"
    elif fmt == "xml":
        how = f'rdf:resource="{iri}"'
    else:
        how = f"<{iri}>"
    if fmt in ("turtle", "trig") and not by_name:
        how += " without quotes"
    return f"{text!r} is a string, not a reference: write {how}" + (", the resource of that name" if by_name else "")


def _untyped_literal(finding: Finding, parsed: list[_Parsed]) -> str | None:
    """How to write, in the finding's file format, a plain string where the shape takes a typed
    literal (a date, a number); None when the value is no such string."""
    value = finding.value
    if value is None or not _plain_string(value) or finding.shape is None:
        return None
    import rdflib

    shapes, sh = _shapes(), rdflib.Namespace(str(SH))
    shape = rdflib.BNode(finding.shape[2:]) if finding.shape.startswith("_:") else rdflib.URIRef(finding.shape)
    alternatives = [shape, *(m for members in shapes.objects(shape, sh["or"])
                             for m in rdflib.collection.Collection(shapes, members))]
    kinds = [str(d)[len(_XSD):] for a in alternatives for d in shapes.objects(a, sh.datatype)
             if str(d).startswith(_XSD) and str(d)[len(_XSD):] in _LEXICAL_FORMS]
    if not kinds:
        return None
    fitting = [k for k in kinds if re.fullmatch(_LEXICAL_FORMS[k][0], value.value.strip())]
    kind = fitting[0] if fitting else kinds[0]
    text = value.value.strip() if fitting else _LEXICAL_FORMS[kind][1].rsplit(" ", 1)[-1]
    item = _file_of(finding, parsed)
    fmt = item.format if item else "turtle"
    short = item is not None and item.prefixes.get("xsd") == _XSD and fmt in ("turtle", "trig", "json-ld")
    datatype = f"xsd:{kind}" if short else _XSD + kind
    if fmt == "json-ld":
        how = '{"@value": "' + text + '", "@type": "' + datatype + '"}'
    elif fmt == "xml":
        how = f'rdf:datatype="{datatype}" on the property element'
    else:
        how = f'"{text}"^^' + (datatype if short else f"<{datatype}>")
    if fitting:
        return f"a plain string, not an xsd:{kind}: write {how}"
    form = _LEXICAL_FORMS[kind][1].split(",")[0]
    return f"a plain string: write an xsd:{kind} {form if form.startswith('as ') else 'as ' + form}, e.g. {how}"


def _lexical_problem(value: Term) -> str | None:
    """Why a literal's text is not a value of its datatype (a date, a year, a number), as the
    submitter can fix it; None when it is one, or its datatype is not among these.

    >>> _lexical_problem(Term("literal", "2023-11-31", _XSD + "date"))
    "'2023-11-31' is not an xsd:date: November 2023 has 30 days"
    >>> _lexical_problem(Term("literal", "-0044-03-15", _XSD + "date")) is None  # the Ides of March, 45 BCE
    True
    >>> _lexical_problem(Term("literal", "08.11.2023", _XSD + "date"))
    "'08.11.2023' is not an xsd:date: write it YYYY-MM-DD, e.g. 2023-11-08"
    """
    if value.kind != "literal" or not value.datatype or not value.datatype.startswith(_XSD):
        return None
    kind = value.datatype[len(_XSD):]
    shape = _LEXICAL_FORMS.get(kind)
    if shape is None:
        return None
    pattern, form = shape
    text = value.value
    found = re.fullmatch(pattern, text)
    if found is None:
        return f"{text!r} is not an xsd:{kind}: write it {form}"
    parts = found.groupdict()
    year, month, day = (int(parts[k]) if parts.get(k) else None for k in ("year", "month", "day"))
    if month is not None and not 1 <= month <= 12:
        return f"{text!r} is not an xsd:{kind}: there is no month {month:02d}"
    if day is not None and year is not None and month is not None:
        # the proleptic Gregorian calendar of XSD 1.1, whose years run through 0000 (1 BCE) and below
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        if not 1 <= day <= days:
            return f"{text!r} is not an xsd:{kind}: {_MONTHS[month - 1]} {year} has {days} days"
    if parts.get("hour") is not None:
        hour, minute, second = int(parts["hour"]), int(parts["minute"]), float(parts["second"])
        if not (hour < 24 and minute < 60 and second < 60 or (hour, minute, second) == (24, 0, 0)):
            return f"{text!r} is not an xsd:{kind}: {parts['hour']}:{parts['minute']}:{parts['second']} is no time of day"
    return None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


_TIMEZONE = r"(Z|[+-]\d{2}:\d{2})?"
_YEAR = r"(?P<year>-?(?:[1-9]\d{4,}|\d{4}))"
_LEXICAL_FORMS = {
    "date": (rf"{_YEAR}-(?P<month>\d{{2}})-(?P<day>\d{{2}}){_TIMEZONE}", "YYYY-MM-DD, e.g. 2023-11-08"),
    "dateTime": (rf"{_YEAR}-(?P<month>\d{{2}})-(?P<day>\d{{2}})"
                 rf"T(?P<hour>\d{{2}}):(?P<minute>\d{{2}}):(?P<second>\d{{2}}(?:\.\d+)?){_TIMEZONE}",
                 "YYYY-MM-DDThh:mm:ss, e.g. 2023-11-08T09:30:00"),
    "gYearMonth": (rf"{_YEAR}-(?P<month>\d{{2}}){_TIMEZONE}", "YYYY-MM, e.g. 2023-11"),
    "gYear": (rf"{_YEAR}{_TIMEZONE}", "YYYY, e.g. 2023"),
    "integer": (r"[+-]?\d+", "as digits, e.g. 88"),
    "decimal": (r"[+-]?(\d+(\.\d*)?|\.\d+)", "as digits with a decimal point, e.g. 600000.00"),
    "boolean": (r"true|false|1|0", "true or false"),
}
"""The lexical forms of the XSD datatypes the data uses (XML Schema 1.1 part 2), and how to write each."""


_VOCABULARIES = {"RDF": "RDF", "RDFS": "RDF Schema", "OWL": "OWL", "XSD": "the XSD datatypes", "SKOS": "SKOS",
                 "PROV": "PROV-O", "ORG": "the W3C Organization Ontology", "DCTERMS": "DCMI Metadata Terms",
                 "DC": "the Dublin Core elements", "FOAF": "FOAF", "VOID": "VoID", "DCAT": "DCAT",
                 "TIME": "OWL-Time", "SDO": "schema.org"}
"""The vocabularies whose terms rdflib lists (rdflib.namespace), by rdflib's name, with their titles."""


@functools.lru_cache(maxsize=1)
def _vocabulary_terms() -> dict[str, tuple[str, frozenset[str], bool]]:
    """Namespace -> (title, local names, whether rdflib holds the vocabulary closed: a term it does
    not list is no term of it)."""
    import rdflib.namespace

    terms = {}
    for name, title in _VOCABULARIES.items():
        vocabulary = getattr(rdflib.namespace, name)
        names = frozenset(vocabulary.__annotations__) | frozenset(getattr(vocabulary, "_extras", ()))
        terms[str(vocabulary._NS)] = (title, names, bool(getattr(vocabulary, "_fail", False)))
    return terms


def _vocabulary_findings(data: rdflib.Graph, compact: Callable[[str], str]) -> list[Finding]:
    """A Violation for each property or class of a known vocabulary (schema.org, Dublin Core,
    PROV-O...) that is no term of it: a misspelt one (schema:enddate) would be stored and never read.
    A vocabulary rdflib lists only in part is held to its list where a listed term is close."""
    import rdflib

    findings = []
    vocabularies = _vocabulary_terms()
    seen: set[tuple[str, str, str]] = set()
    for s, p, o in sorted(data, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        for term, role in ((p, "property"), (o, "class")):
            if role == "class" and (str(p) != _RDF + "type" or not isinstance(o, rdflib.URIRef)):
                continue
            iri = str(term)
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            known = vocabularies.get(iri[:cut])
            if known is None or iri[cut:] in known[1] or (_node_id(s), str(p), iri) in seen:
                continue
            title, names, closed = known
            local = iri[cut:]
            near = [n for n in names if n.lower() == local.lower()] or difflib.get_close_matches(local, names, n=3,
                                                                                                cutoff=0.75)
            if not near and not closed:
                continue
            seen.add((_node_id(s), str(p), iri))
            message = f"{compact(iri)} is not a term of {title}."
            if near:
                message += " Did you mean " + " or ".join(compact(iri[:cut] + n) for n in near) + "?"
            findings.append(Finding(_node_id(s), str(p), "Violation", message, value=_term(o) if role == "class" else None,
                                    shape=KNOWN_REFERENCE_SHAPE, component=KNOWN_REFERENCE_COMPONENT,
                                    suggestions=tuple(Suggestion(iri[:cut] + n, None) for n in near)))
    return findings


def _data_only_findings(data: rdflib.Graph, compact: Callable[[str], str]) -> list[Finding]:
    """Violations for what only the ontology may say: statements about an IRI outside the project,
    and schema statements (an RDFS or OWL predicate but a label, comment or see-also; a node typed
    with an RDFS or OWL class). Either would change what reasoning infers for every resource:
    ``org:FormalOrganization rdfs:subClassOf foaf:Person``, or ``source/x owl:equivalentClass
    org:FormalOrganization ; rdfs:subClassOf foaf:Person``, makes every state a foaf:Person."""
    import rdflib

    findings = [Finding(iri, None, "Violation", f"{compact(iri)} is not a resource of the bp-graph: data makes "
                        f"statements only about resources under {BASE} (and blank nodes); remove them.",
                        shape=DATA_ONLY_SHAPE, component=DATA_ONLY_COMPONENT)
                for iri in sorted({str(s) for s in data.subjects()
                                   if isinstance(s, rdflib.URIRef) and not str(s).startswith(BASE)})]
    for s, p, o in sorted(data, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        schema = (str(p).startswith((_RDFS, _OWL)) and str(p) not in _DESCRIPTIVE) or (
            str(p) == _RDF + "type" and str(o).startswith((_RDFS, _OWL)))
        if schema and not _vocabulary_findings(rdflib.Graph().add((s, p, o)), compact):  # a typo (rdfs:lable), not schema
            shown = o.n3() if isinstance(o, rdflib.Literal) else compact(str(o))
            findings.append(Finding(_node_id(s), str(p), "Violation", f"{compact(str(p))} {shown} is a "
                                    "schema statement: only the ontology defines classes and properties; remove it.",
                                    value=_term(o), shape=DATA_ONLY_SHAPE, component=DATA_ONLY_COMPONENT))
    for node in _orphan_blank_nodes(data):
        p, o = min(data.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1])))
        findings.append(Finding(_node_id(node), None, "Violation", f"no resource points to the blank node with "
                                f"{compact(str(p))} {o.n3() if isinstance(o, rdflib.Literal) else compact(str(o))}: it "
                                "describes nothing in the graph (and a second submission of it could not be told "
                                f"from the first); give it an IRI under {BASE}, or hang it under one.",
                                shape=DATA_ONLY_SHAPE, component=DATA_ONLY_COMPONENT))
    return findings


def _named(kg: KnowledgeGraph, findings: list[Finding]) -> dict[str, str]:
    """The resource each plain string among the findings' values is the name of (its label,
    another label or its acronym, case aside), where exactly one resource has that name."""
    # only where a reference belongs: a wrong date or an empty quote asks for no name
    texts = {f.value.value.strip().lower() for f in findings if _string_for_reference(f) and f.value is not None
             and f.value.value.strip()}
    if not texts:
        return {}
    wanted = ", ".join(Term("literal", text).n3() for text in sorted(texts))  # terms, never raw text
    rows = _select(kg, f"SELECT DISTINCT ?x ?n WHERE {{ VALUES ?p {{ <{_RDFS}label> <{PREFIXES['skos']}altLabel> "
                       f"<{ONTOLOGY_NS}acronym> }} ?x ?p ?l BIND(LCASE(STR(?l)) AS ?n) FILTER(?n IN ({wanted})) }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(str(row["n"]), set()).add(str(row["x"]))
    return {text: next(iter(iris)) for text, iris in found.items() if len(iris) == 1}


def _described_at(kg: KnowledgeGraph, iris: set[str]) -> dict[str, str]:
    """Where the data describes each of ``iris``: its file and the line it is written on as a
    subject (``data/reference/places.ttl:95``), or the file alone."""
    import rdflib

    values = _values(iris)
    if not values:
        return {}
    files = {source.graph: source.path for source in kg.sources}
    rows = _select(kg, f"SELECT ?x ?g WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ ?x ?p ?o }} }}")
    where: dict[str, str] = {}
    read: dict[Path, _Parsed] = {}
    for row in sorted(rows, key=lambda r: (str(r["x"]), str(r["g"]))):
        path = files.get(str(row["g"]))
        if path is None or str(row["x"]) in where:
            continue
        if path not in read:
            text = path.read_text(encoding="utf-8")
            read[path] = _Parsed(path.name, b"", "turtle", rdflib.Graph(), text, _declared_prefixes(text))
        line = _mentions(read[path]).get(str(row["x"]))
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        where[str(row["x"])] = f"{shown}:{line[0]}" if line else str(shown)
    return {iri: where.get(iri, "") for iri in iris}


def _changed_facts_findings(submission: rdflib.Graph, reference: rdflib.Graph, described: dict[str, str],
                            compact: Callable[[str], str]) -> list[Finding]:
    """A Violation for each node of a submission the data already ``described`` (where: file and
    line): ``submit`` accepts new nodes only (the data's facts change only through its curators),
    so validation says so before a submission is sent, naming a fact it would add where it adds
    one, and telling to leave out a description that adds nothing."""
    import rdflib

    findings = []
    for iri, where in sorted(described.items()):
        at = f" ({where})" if where else ""
        node = rdflib.URIRef(iri)
        added = sorted((p, o) for p, o in submission.predicate_objects(node)
                       if not isinstance(o, rdflib.BNode) and (node, p, o) not in reference)
        if added:
            p, o = added[0]
            shown = o.n3() if isinstance(o, rdflib.Literal) else compact(str(o))
            more = f" and {len(added) - 1} more fact{'s' * (len(added) > 2)}" if len(added) > 1 else ""
            what = f"this adds {compact(str(p))} {shown}{more} to it"
            fix = "describe a new node, or ask the curators to change the data"
        else:
            p, o = next(iter(sorted(submission.predicate_objects(node))))
            what = "this describes it again, adding nothing"
            fix = f"leave its description out and refer to {compact(iri)} by its IRI"
        findings.append(Finding(iri, str(p), "Violation", f"The data already describes {compact(iri)}{at}, and {what}: "
                                "a submission adds new nodes only and never changes existing facts (bp-graph submit "
                                f"refuses it); {fix}.",
                                value=_term(o) if added else None, shape=NEW_NODES_ONLY_SHAPE,
                                component=NEW_NODES_ONLY_COMPONENT))
    return findings


def _orphan_blank_nodes(data: rdflib.Graph) -> list[rdflib.BNode]:
    """One blank node for each group of them that no IRI reaches: a node nothing points to, or one
    node of a cycle of orphans that point only to one another."""
    import rdflib

    def reach(starts: Iterable[rdflib.term.Node], reached: set[rdflib.term.Node]) -> None:
        frontier = list(starts)
        while frontier:
            node = frontier.pop()
            if node not in reached:
                reached.add(node)
                frontier.extend(o for o in data.objects(node) if isinstance(o, rdflib.BNode))

    reached: set[rdflib.term.Node] = set()
    reach((o for s, o in data.subject_objects() if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.BNode)),
          reached)
    blank = sorted({s for s in data.subjects() if isinstance(s, rdflib.BNode)})
    pointed_to = {o for s, o in data.subject_objects() if isinstance(s, rdflib.BNode)}
    roots = [b for b in blank if b not in reached and b not in pointed_to]
    reach(roots, reached)
    for node in blank:  # what is left lies on, or below, a cycle
        if node not in reached:
            roots.append(node)
            reach([node], reached)
    return roots


_DESCRIPTIVE = frozenset({_RDFS + "label", _RDFS + "comment", _RDFS + "seeAlso"})
"""The RDFS predicates data may use: they describe, they define nothing."""


def _quality_findings(data: rdflib.Graph) -> list[Finding]:
    """The rows of the quality checks that hold for any data on its own (``queries/checks``, tagged
    ``submission``) as violations: what the build refuses, a submission cannot bring in."""
    from .quality import run_submission_checks

    findings = []
    for check in run_submission_checks(data):
        for row in check.result.rows:
            focus, *rest = row
            if focus is None:
                continue
            findings.append(Finding(("_:" if focus.kind == "bnode" else "") + focus.value, None, "Violation",
                                    f"{check.summary} (quality check {check.name})",
                                    value=rest[0] if rest else None, component=f"check:{check.name}"))
    return findings


def _validate_parsed(parsed: list[_Parsed], *, kg: KnowledgeGraph, inference: Inference, strict: bool,
                     started: float, new_nodes_only: bool = True) -> ValidationReport:
    import rdflib

    submission = rdflib.Graph()
    notes: list[str] = []
    prefixes = dict(PREFIXES)
    read: dict[bytes, str] = {}
    holders: dict[tuple[str, str], list[str]] = {}  # (node, property) -> the files giving it a blank node
    for item in parsed:
        if item.data in read:  # its blank nodes would be new nodes: each selector twice
            notes.append(f"{item.name} is the same as {read[item.data]}: read once")
            continue
        read[item.data] = item.name
        for s, p, o in item.graph:
            submission.add((s, p, o))
            if isinstance(o, rdflib.BNode) and isinstance(s, rdflib.URIRef):
                names = holders.setdefault((str(s), str(p)), [])
                if item.name not in names:
                    names.append(item.name)
        prefixes.update({k: v for k, v in item.prefixes.items() if k})
        if item.named_graphs:
            notes.append(f"{item.name}: its named graphs were merged; data files hold one graph each")
    shown = _compactor(prefixes)
    for (node, prop), names in sorted(holders.items()):
        if len(names) > 1:
            notes.append(f"{shown(node)} {shown(prop)} is written with a blank node in {' and in '.join(names)}: "
                         "blank nodes of different files are different nodes, so it has one from each; describe "
                         "it in one file")
    mentioned = _project_iris(submission)
    defined = {str(s) for s in submission.subjects() if isinstance(s, rdflib.URIRef)
               and not str(s).startswith(ONTOLOGY_NS)}
    in_store = _known_in_store(kg, mentioned)
    reference = _neighbourhood(kg, submission, mentioned)
    supplement, described = _state_descriptions(mentioned - defined - in_store)
    reference += supplement
    for iri in sorted(described):
        notes.append(f"{iri[len(BASE):]} is not yet in data/reference/states.ttl: described from ISO 3166 for "
                     "validation; after accepting, run python tools/generate_reference.py")
    unknown = mentioned - defined - in_store - set(described)

    data = _shacl_data_graph()
    data += _ontology()
    data += reference
    data += submission
    keep: set[Any] = set(submission.subjects()) | {o for o in submission.objects() if isinstance(o, rdflib.Literal)}
    compact = _compactor(prefixes)
    findings = (_findings_from(_run_shacl(data, inference), keep) + _quality_findings(submission)
                + _data_only_findings(submission, compact) + _vocabulary_findings(submission, compact)
                + _changed_facts_findings(submission, reference, _described_at(kg, defined & in_store)
                                          if new_nodes_only else {}, compact))
    unknown_findings = _unknown_findings(submission, unknown, _candidates(kg, submission, None, unknown),
                                         compact) if unknown else []
    findings = _merge_unknown(_without_backups(findings, unknown_findings), unknown_findings)
    return ValidationReport(
        sources=tuple(p.name for p in parsed), findings=_finish(findings, parsed, submission, _named(kg, findings)),
        notes=tuple(notes),
        strict=strict, inference=inference, triples=len(submission), reference_triples=len(reference),
        seconds=time.perf_counter() - started, prefixes=prefixes, graph=submission)


def validate(sources: Source | Sequence[Source], *, inference: Inference = "none", strict: bool = False,
             format: InputFormat | None = None, limits: Limits | None = None,
             data_dir: str | os.PathLike[str] | None = None, graph: KnowledgeGraph | None = None
             ) -> ValidationReport:
    """Validate a submission (one or more files, read together) against the ontology, the shapes
    and the reference data it points to.

    ``sources`` are paths, bytes or ``(name, bytes)`` pairs; a ``str`` is a path, never content.
    Files that cannot be read safely are reported in ``errors`` (all of them, then nothing is
    validated). The reference data is the packaged graph, or the ``.ttl`` files under
    ``data_dir``, or ``graph``. ``inference`` is applied by pyshacl to the data graph first.

    >>> report = validate(b'''@prefix bp: <https://w3id.org/bp-graph/ontology#> .
    ...     <https://w3id.org/bp-graph/meeting/2023-05-02-vienna> a bp:Meeting .''')
    >>> report.conforms, report.exit_code
    (False, 1)
    >>> [f.message for f in report.findings if f.path == "https://schema.org/startDate"]
    ['A meeting needs a start date, as precise as the source gives it.']
    """
    started = time.perf_counter()
    limits = limits or Limits()
    parsed, errors, names = _parse_sources(sources, format=format, limits=limits)
    if errors:
        return ValidationReport(sources=names, errors=tuple(errors), strict=strict, inference=inference,
                                seconds=time.perf_counter() - started)
    kg = graph if graph is not None else open_reference(data_dir)
    # Files of the data itself (a curator checking an edit) describe their own nodes: only a
    # submission must add new nodes only, as submit requires.
    own_files = {Path(source.path).resolve() for source in kg.sources}
    of_the_data = all(isinstance(s, (str, os.PathLike)) and Path(s).resolve() in own_files for s in _listed(sources))
    return _validate_parsed(parsed, kg=kg, inference=inference, strict=strict, started=started,
                            new_nodes_only=not of_the_data)


def validate_data(*, data_dir: str | os.PathLike[str] | None = None, inference: Inference = "none",
                  strict: bool = False) -> ValidationReport:
    """Validate the whole graph: the ontology and every data file (packaged, or under ``data_dir``).

    Every node is checked, and every project IRI the data uses must be described somewhere.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "x.ttl").write_text("<https://w3id.org/bp-graph/source/x> a "
    ...                                   "<https://w3id.org/bp-graph/ontology#SourceDocument> .")
    >>> [f.path.rsplit("#")[-1] for f in validate_data(data_dir=folder).findings]
    ['label', 'fileName']

    Raises :class:`ResourceNotFound` when the folder does not exist or holds no ``.ttl`` file.
    """
    import pyoxigraph as ox
    import rdflib

    from .resources import data_files, resource_dir

    started = time.perf_counter()
    root = Path(data_dir) if data_dir is not None else resource_dir("data")
    files = data_dir_files(root) if data_dir is not None else data_files()  # none: not "conforms"
    data = _shacl_data_graph()
    convert = _term_converter()
    prefixes = dict(PREFIXES)
    parsed = []
    errors = []
    for path in files:
        raw = path.read_bytes()
        text = raw.decode("utf-8", "replace")
        graph = rdflib.Graph()
        try:
            for quad in ox.parse(input=raw, format=ox.RdfFormat.TURTLE, base_iri=BASE):
                graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        except SyntaxError as exc:
            message = re.sub(r" \(line \d+\)$", "", _OX_PREFIX.sub("", str(exc)))
            errors.append(InputError(str(path.relative_to(root)), "syntax", message, exc.lineno, exc.offset,
                                     _line_text(text, exc.lineno, exc.offset)))
            continue
        data += graph
        declared = _declared_prefixes(text)
        prefixes.update({k: v for k, v in declared.items() if k})
        parsed.append(_Parsed(str(path.relative_to(root)), raw, "turtle", graph, text, declared))
    sources = tuple(str(p.relative_to(root)) for p in files)
    if errors:
        return ValidationReport(sources=sources, errors=tuple(errors), strict=strict, inference=inference,
                                seconds=time.perf_counter() - started)
    full = _shacl_data_graph()  # its SPARQL constraints parsed once, not once per focus node (48 s -> s)
    full += _ontology()
    full += data
    compact = _compactor(prefixes)
    findings = (_findings_from(_run_shacl(full, inference), None) + _quality_findings(data)
                + _data_only_findings(data, compact) + _vocabulary_findings(data, compact))
    described = {str(s) for s in full.subjects() if isinstance(s, rdflib.URIRef)}
    unknown = _project_iris(data) - described
    unknown_findings = _unknown_findings(data, unknown, _candidates(None, full, None), compact,
                                         whole_data=True) if unknown else []
    findings = _merge_unknown(_without_backups(findings, unknown_findings), unknown_findings)
    return ValidationReport(sources=sources, findings=_finish(findings, parsed, data), strict=strict, inference=inference,
                            triples=len(data), reference_triples=len(full) - len(data),
                            seconds=time.perf_counter() - started, prefixes=prefixes, graph=data)


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------

def _render_error(error: InputError) -> list[str]:
    lines = [f"{error}  [{error.kind}]" if error.kind != "syntax" else str(error)]
    if error.text is not None and error.line:
        gutter = f"{error.line:>5} | "
        lines.append(gutter + error.text)
        if error.column and not error.text.startswith("…") and error.column <= len(error.text) + 1:
            prefix = "".join(ch if ch == "\t" else " " for ch in error.text[: error.column - 1])
            lines.append(" " * (len(gutter) - 2) + "| " + prefix + "^")
    if error.hint:
        lines.append(f"      hint: {error.hint}")
    return lines


def _render_text(report: ValidationReport) -> str:
    names = ", ".join(report.sources) if len(report.sources) <= 3 else f"{len(report.sources)} files"
    names = names or "<no file>"
    out: list[str] = []
    if report.errors:
        out.append(f"{names}: could not validate ({len(report.errors)} file error{'s' * (len(report.errors) != 1)})")
        out.append("")
        for error in report.errors:
            out.extend(_render_error(error))
            out.append("")
        return "\n".join(out).rstrip() + "\n"
    counts = report.counts
    summary = ", ".join(f"{n} {k}{'s' * (n != 1)}" for k, n in counts.items() if n)
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    if report.strict and counts["Warning"] and not counts["Violation"]:
        verdict += " (strict: Warnings fail)"
    out.append(f"{names}: {verdict}" + (f": {summary}" if summary else "")
               + f" ({report.triples} triples, checked with the ontology and {report.reference_triples} "
               f"reference triples in {report.seconds:.2f} s)")
    compact = _compactor(report.prefixes or dict(PREFIXES))
    current = None
    for finding in report.findings:
        if finding.focus != current:
            current = finding.focus
            out.append("")
            where = f"  ({finding.source}:{finding.line})" if finding.line else ""
            if finding.focus_of:
                subject, predicate = finding.focus_of
                title = f"[] (the {compact(predicate)} of {compact(subject)})"
            elif finding.focus.startswith("_:"):
                kinds = sorted(compact(str(o)) for o in report.graph.objects(_blank(finding.focus), _blank_type())) \
                    if report.graph is not None else []
                title = "[] (a blank node" + (f" of type {', '.join(kinds)}" if kinds else "") + ")"
            else:
                title = compact(finding.focus)
            out.append(f"{title}{where}")
        path = compact(finding.path) if finding.path else "(node)"
        value = ""
        if finding.value is not None:
            term = finding.value
            shown = compact(term.value) if term.kind == "uri" else "[]" if term.kind == "bnode" else term.n3()
            if term.datatype and shown.endswith(f"^^<{term.datatype}>"):  # "0"^^xsd:integer
                shown = shown[: -len(term.datatype) - 2] + compact(term.datatype)
            value = "  " + _short(shown)
        line = (f"  {finding.severity:<10}{path}{value}", f"      {finding.message}")
        if out[-2:] == list(line):  # the same result from two constraints (e.g. sh:datatype and sh:languageIn)
            continue
        out.extend(line)
    for note in report.notes:
        out.append("")
        out.append(f"note: {note}")
    return "\n".join(out) + "\n"


def _blank(node_id: str) -> Any:
    import rdflib

    return rdflib.BNode(node_id[2:])


def _blank_type() -> Any:
    import rdflib

    return rdflib.RDF.type


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _blank_parents(graph: rdflib.Graph) -> dict[str, tuple[str, str]]:
    import rdflib

    parents: dict[str, tuple[str, str]] = {}
    for s, p, o in sorted(graph, key=lambda t: (isinstance(t[0], rdflib.BNode), str(t[0]), str(t[1]))):
        if isinstance(o, rdflib.BNode):
            parents.setdefault(f"_:{o}", (_node_id(s), str(p)))
    return parents


def _render_turtle(report: ValidationReport) -> str:
    import rdflib

    sh = rdflib.Namespace(str(SH))
    out = rdflib.Graph()
    out.bind("sh", str(SH))
    for prefix, iri in (report.prefixes or PREFIXES).items():
        if prefix:
            out.bind(prefix, iri, override=False)
    out.bind("bps", SHAPES_NS)
    node = rdflib.BNode()
    out.add((node, rdflib.RDF.type, sh.ValidationReport))
    out.add((node, sh.conforms, rdflib.Literal(report.conforms)))
    shapes = _shapes() if report.findings else None

    def term(text: str) -> rdflib.term.Node:
        return rdflib.BNode(text[2:]) if text.startswith("_:") else rdflib.URIRef(text)

    for finding in report.findings:
        result = rdflib.BNode()
        out.add((node, sh.result, result))
        out.add((result, rdflib.RDF.type, sh.ValidationResult))
        out.add((result, sh.focusNode, term(finding.focus)))
        out.add((result, sh.resultSeverity, sh[finding.severity]))
        out.add((result, sh.resultMessage, rdflib.Literal(finding.message)))
        if finding.path:
            out.add((result, sh.resultPath, rdflib.URIRef(finding.path)))
        if finding.value is not None:
            out.add((result, sh.value, finding.value.to_rdflib()))
        if finding.component:
            out.add((result, sh.sourceConstraintComponent, rdflib.URIRef(finding.component)))
        if finding.shape:
            shape = term(finding.shape)
            out.add((result, sh.sourceShape, shape))
            if isinstance(shape, rdflib.BNode) and shapes is not None:
                for triple in shapes.cbd(shape):
                    out.add(triple)
    return out.serialize(format="turtle")
