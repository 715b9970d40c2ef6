"""The catalogue of named SPARQL queries: ``queries/*.rq`` with a YAML header in ``#+`` lines.

A header declares the summary, tags and typed parameters (grlc's convention)::

    #+ summary: States listed as participants of a meeting
    #+ params:
    #+   meeting: {type: iri, required: true, description: the meeting, example: meeting/2019-10-09-skopje,
    #+             class: bp:Meeting}

An IRI parameter's ``class`` (a prefixed name, or a list of them) names the kinds of resource it
expects: a query given a resource of another kind answers nothing, and
:meth:`~bp_graph.KnowledgeGraph.mismatched_resources` says why. ``reasoning: required`` marks a
query whose answer needs the OWL RL closure (inferred types, bp:documentedIn): without it some
columns come back empty or zero, and the command line says so.

Headers are loaded strictly: a bad header, a parameter the query does not use, or a query that
does not parse is an error naming the file. Parameter values are validated and turned into RDF
terms (:class:`~bp_graph.results.Term`); they are never pasted into query text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from .errors import QueryParameterError, QuerySyntaxError, ResourceNotFound, UnknownQuery
from .namespaces import BASE, KNOWN_PREFIXES, PREFIXES, compact_iri, longest_first
from .cache import cache_dir, fingerprint, write_atomically
from .resources import resource_dir
from .results import XSD, Term

ParamType = Literal["iri", "string", "integer", "date", "boolean"]
_PARAM_TYPES = ("iri", "string", "integer", "date", "boolean")
_HEADER_KEYS = {"summary", "description", "tags", "params", "endpoint", "method", "reasoning"}
_PARAM_KEYS = {"type", "required", "description", "example", "variable", "class"}
#: Names the REST API (``/api/{name}``) keeps for itself: the result format and the page.
RESERVED_PARAMETERS = ("format", "limit", "offset")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_URI_SCHEMES = {"http", "https", "urn", "mailto", "tag", "doi", "info", "data", "file", "ftp"}
"""The schemes a parameter's IRI may have without angle brackets: any other ``x:`` is read as a prefix."""
MAX_STRING_PARAM = 1000


@dataclass(frozen=True, slots=True)
class Parameter:
    """A declared parameter of a named query.

    >>> Parameter("state", "iri").to_term("state/TUR").value
    'https://w3id.org/bp-graph/state/TUR'
    """

    name: str
    type: ParamType
    required: bool = False
    description: str = ""
    example: str | None = None
    variable: str = ""
    classes: tuple[str, ...] = ()
    """For an IRI parameter, the classes (full IRIs) of the resources it expects; empty: any."""

    @property
    def class_names(self) -> tuple[str, ...]:
        """:attr:`classes` as prefixed names, as the header writes them.

        >>> load_catalogue()["meeting-states"].params[0].class_names
        ('bp:Meeting',)
        """
        ordered = longest_first(PREFIXES)
        return tuple(compact_iri(c, ordered) or f"<{c}>" for c in self.classes)

    @property
    def expects(self) -> str:
        """The kind of resource the parameter expects, in words ("a bp:Meeting"); empty: any.

        >>> load_catalogue()["state-meetings"].params[0].expects
        'a bp:State'
        """
        return " or ".join(f"a {name}" for name in self.class_names)

    @property
    def var(self) -> str:
        """The SPARQL variable (without ``?``) the parameter binds."""
        return self.variable or self.name

    def to_term(self, value: object, *, base: str = BASE) -> Term:
        """Validate ``value`` and return it as an RDF term; raise :class:`QueryParameterError`."""
        text = str(value).strip() if not isinstance(value, bool) else ("true" if value else "false")
        bad = lambda why: QueryParameterError(  # noqa: E731
            f"parameter {self.name!r}: {why} (got {str(value)[:80]!r})")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: bytes that were not UTF-8, decoded leniently
            raise bad("not valid Unicode text; send UTF-8") from None
        if self.type == "iri":
            hint = "give a full IRI, a prefixed name such as state:TUR, or a path such as state/TUR"
            scheme, colon, local = text.partition(":")
            if (colon and _SCHEME.match(text) and scheme not in KNOWN_PREFIXES and not local.startswith("//")
                    and scheme.lower() not in _URI_SCHEMES):
                # an unknown prefix is far likelier a typo than an IRI of a rare scheme (foo:bar)
                import difflib

                close = difflib.get_close_matches(scheme, KNOWN_PREFIXES, n=1)
                raise bad(f"unknown prefix {scheme!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                          + f" (known: {', '.join(KNOWN_PREFIXES)}); an IRI of another scheme goes in angle brackets, <{text}>")
            iri = expand_iri(text, base=base)
            if not iri or _IRI_FORBIDDEN.search(iri):
                raise bad(f"not an IRI; {hint}")
            import pyoxigraph

            try:  # the engines' own IRI parser: what it refuses must not reach a query
                pyoxigraph.NamedNode(iri)
            except ValueError as exc:
                raise bad(f"not a valid IRI ({exc}); {hint}") from None
            return Term("uri", iri)
        if self.type == "string":
            if len(text) > MAX_STRING_PARAM:
                raise bad(f"longer than {MAX_STRING_PARAM} characters")
            return Term("literal", str(value), XSD + "string")
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", text):
                raise bad("not an integer")
            return Term("literal", str(int(text)), XSD + "integer")
        if self.type == "date":
            try:
                return Term("literal", date.fromisoformat(text).isoformat(), XSD + "date")
            except ValueError:
                raise bad("not a date in the form YYYY-MM-DD") from None
        if text.lower() not in ("true", "false", "1", "0"):
            raise bad("not a boolean (true or false)")
        return Term("literal", "true" if text.lower() in ("true", "1") else "false", XSD + "boolean")


def expand_iri(text: str, *, base: str = BASE) -> str:
    """A full IRI from a full IRI (bare, or any IRI in <...>), a known prefixed name or a path relative to the base.

    >>> expand_iri("state:MKD")
    'https://w3id.org/bp-graph/state/MKD'
    >>> expand_iri("meeting/2019-10-09-skopje")
    'https://w3id.org/bp-graph/meeting/2019-10-09-skopje'
    >>> expand_iri("bp:Meeting"), expand_iri("<urn:isbn:0451450523>")
    ('https://w3id.org/bp-graph/ontology#Meeting', 'urn:isbn:0451450523')
    """
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]  # written out in full: any scheme
    prefix, colon, local = text.partition(":")
    if colon and prefix in KNOWN_PREFIXES and not local.startswith("//"):
        return KNOWN_PREFIXES[prefix] + local
    if _SCHEME.match(text):
        return text
    return base + text.lstrip("/")


@dataclass(frozen=True)
class NamedQuery:
    """One stored query: its name (the file stem), documentation, parameters and text.

    >>> q = load_catalogue()["meeting-states"]
    >>> [p.name for p in q.params], q.params[0].required
    (['meeting'], True)
    """

    name: str
    summary: str
    text: str
    path: Path
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = ()
    needs_reasoning: bool = False

    def bind(self, values: Mapping[str, object], *, base: str = BASE) -> dict[str, Term]:
        """Check ``values`` against the declared parameters; return the bindings by variable name."""
        declared = {p.name: p for p in self.params}
        for key in values:
            if key not in declared:
                import difflib

                hint = difflib.get_close_matches(key, declared, n=1)
                known = ", ".join(declared) or "none"
                raise QueryParameterError(
                    f"query {self.name!r} has no parameter {key!r}"
                    + (f"; did you mean {hint[0]!r}?" if hint else f" (its parameters: {known})"))
        bindings: dict[str, Term] = {}
        for p in self.params:
            value = values.get(p.name)
            if value is None or value == "":
                if p.required:
                    raise QueryParameterError(
                        f"query {self.name!r} needs parameter {p.name!r} ({p.description or p.type}), "
                        f"for example {p.name}={p.example or '...'}")  # -p on the command line, ?... in the API
                continue
            bindings[p.var] = p.to_term(value, base=base)
        return bindings


@dataclass
class Catalogue(Mapping[str, NamedQuery]):
    """The named queries by name; looking up an unknown name raises :class:`UnknownQuery`.

    >>> cat = load_catalogue()
    >>> "states" in cat, "stats" in cat, cat.get("stats")
    (True, False, None)
    >>> cat["stats"]
    Traceback (most recent call last):
    ...
    bp_graph.errors.UnknownQuery: no query named 'stats'; did you mean 'states'...?
    """

    queries: dict[str, NamedQuery] = field(default_factory=dict)

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            import difflib

            hints = difflib.get_close_matches(name, self.queries, n=3)
            tail = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else "; see 'bp-graph queries'"
            raise UnknownQuery(f"no query named {name!r}{tail}") from None

    def __contains__(self, name: object) -> bool:
        # Mapping's own asks __getitem__ and catches KeyError, which an unknown name does not raise
        return name in self.queries

    def get(self, name: str, default: NamedQuery | None = None) -> NamedQuery | None:  # type: ignore[override]
        """The query named ``name``, or ``default``."""
        return self.queries.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.queries))

    def __len__(self) -> int:
        return len(self.queries)


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file strictly; raise :class:`QuerySyntaxError` naming the file.

    A file that passed these checks once is remembered by its content hash in the cache
    directory, so that a cold command line neither imports YAML nor re-parses the query.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark is no SPARQL
    except UnicodeDecodeError as exc:
        raise QuerySyntaxError(f"{path}: not UTF-8 text (byte {exc.start + 1}); re-encode the file as UTF-8") from None
    key = hashlib.sha256(_checks_version().encode() + text.encode()).hexdigest()[:24]
    memo = cache_dir() / "queries" / f"{key}.json"
    try:
        header = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        header = _checked_header(path, text)
        memo.parent.mkdir(exist_ok=True)
        write_atomically(memo, lambda path: path.write_text(json.dumps(header), encoding="utf-8"))
    params = tuple(Parameter(name=name, type=spec["type"], required=spec.get("required", False) is True,
                             description=spec.get("description", ""), example=spec.get("example"),
                             variable=spec.get("variable", ""),
                             classes=tuple(expand_iri(c) for c in spec.get("class", ())))
                   for name, spec in (header.get("params") or {}).items())
    return NamedQuery(name=path.stem, summary=header["summary"].strip(), text=text, path=path,
                      description=header["description"].strip(), tags=tuple(header["tags"]), params=params,
                      needs_reasoning=header["reasoning"] == "required")


@functools.cache
def _checks_version() -> str:
    """A hash of the code that checks a query file: a file that passed older checks is checked again."""
    return fingerprint([Path(__file__), Path(__file__).with_name("scopes.py")])


def _checked_header(path: Path, text: str) -> dict[str, Any]:
    """The YAML header of a query file, after every check; raise :class:`QuerySyntaxError`."""
    import yaml

    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[2:].removeprefix(" "))
        elif line.strip():
            break
    fail = lambda why: QuerySyntaxError(f"{path}: {why}")  # noqa: E731
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise fail(f"bad YAML in the #+ header: {exc}") from None
    if not isinstance(header, dict) or not isinstance(header.get("summary"), str):
        raise fail("the #+ header must be a mapping with a 'summary' string")
    unknown = set(header) - _HEADER_KEYS
    if unknown:
        raise fail(f"unknown header keys {sorted(unknown)}; allowed: {sorted(_HEADER_KEYS)}")
    params = header.get("params") or {}
    if not isinstance(params, dict):
        raise fail("'params' must be a mapping from each parameter's name to its type, description and example")
    if not isinstance(header.get("tags") or [], list):
        raise fail("'tags' must be a list, e.g. [provenance, quality]")
    if header.get("reasoning", "required") != "required":
        raise fail("'reasoning' can only be 'required' (the answer needs the OWL RL closure); leave it out otherwise")
    for name, spec in params.items():
        if name in RESERVED_PARAMETERS:
            raise fail(f"parameter {name!r} is reserved by the REST API (with {', '.join(RESERVED_PARAMETERS)}); "
                       "give it another name and bind the query's variable with 'variable'")
        if not isinstance(spec, dict) or spec.get("type") not in _PARAM_TYPES:
            raise fail(f"parameter {name!r} needs a 'type' among {_PARAM_TYPES}")
        if set(spec) - _PARAM_KEYS:
            raise fail(f"parameter {name!r} has unknown keys {sorted(set(spec) - _PARAM_KEYS)}")
        if not isinstance(spec.get("required", False), bool):
            raise fail(f"parameter {name!r}: 'required' must be true or false")
        if "class" in spec:
            spec["class"] = _checked_classes(name, spec, fail)
        var = re.escape(str(spec.get("variable") or name))
        if not re.search(rf"[?$]{var}\b", text):
            raise fail(f"parameter {name!r} binds ?{spec.get('variable') or name}, which the query does not use")
        # Engines bind parameters differently (substitution, initBindings, VALUES): these two
        # constructs are the ones whose meaning would then differ between engines.
        if re.search(rf"BOUND\s*\(\s*[?$]{var}\s*\)", text, re.I) or re.search(rf"\bAS\s+[?$]{var}\b", text, re.I):
            raise fail(f"parameter ?{spec.get('variable') or name} must not appear in BOUND() or as a BIND target; "
                       "use COALESCE(test, true) for optional parameters")
    _check_syntax(path, text)
    from .errors import UnsafeQueryError
    from .safety import checked_query

    try:  # a catalogue runs on the graph alone, whoever wrote the folder
        checked_query(text)
    except UnsafeQueryError as exc:
        raise fail(str(exc)) from None
    from .scopes import unreached_parameters  # rdflib's parser: only for a file not checked before

    try:
        unreached = unreached_parameters(text, [str(spec.get("variable") or name) for name, spec in params.items()])
    except ValueError as exc:
        raise fail(f"{exc}; a parameterised query must parse on every engine") from None
    if unreached:
        raise fail(f"the value of parameter variable(s) {', '.join('?' + v for v in unreached)}, bound at the top of "
                   "the WHERE clause, does not reach every use: a subquery that does not select it, a FILTER or BIND "
                   "inside a nested group or UNION branch, HAVING, or the right of a MINUS whose left side does not "
                   "bind it (see bp_graph.scopes); use it where the top-level group binds it")
    # JSON-safe: YAML may have read an example as a date or a number.
    return {"summary": header["summary"], "description": str(header.get("description", "")),
            "tags": [str(t) for t in header.get("tags") or []], "reasoning": str(header.get("reasoning", "")),
            "params": {str(name): {k: (v if isinstance(v, (bool, list)) else str(v)) for k, v in spec.items()}
                       for name, spec in params.items()}}


def _checked_classes(name: str, spec: Mapping[str, Any], fail: Any) -> list[str]:
    """A parameter's ``class``: one prefixed name or a list of them, of known prefixes, on an IRI parameter."""
    given = spec["class"]
    classes = [given] if isinstance(given, str) else given
    if spec["type"] != "iri":
        raise fail(f"parameter {name!r}: 'class' is for IRI parameters, and its type is {spec['type']!r}")
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
        raise fail(f"parameter {name!r}: 'class' must be a prefixed name or a list of them, e.g. bp:Meeting")
    for c in classes:
        prefix, colon, _ = c.partition(":")
        if not colon or prefix not in PREFIXES:
            raise fail(f"parameter {name!r}: class {c!r} is not a prefixed name of a known prefix "
                       f"({', '.join(PREFIXES)}), e.g. bp:Meeting")
    return classes


def _check_syntax(path: Path, text: str) -> None:
    from .engines import oxigraph_syntax_error

    wrong = oxigraph_syntax_error(text)
    if wrong is not None:
        raise QuerySyntaxError(f"{path}: the query does not parse: {wrong}")


def load_catalogue(folder: str | os.PathLike[str] | None = None) -> Catalogue:
    """Load every ``*.rq`` file of ``folder`` (default: the packaged ``queries/``), strictly; a
    folder that does not exist or holds no query is :class:`ResourceNotFound`.

    >>> len(load_catalogue()) >= 21
    True
    """
    root = Path(folder) if folder is not None else resource_dir("queries")
    files = sorted(root.glob("*.rq")) if root.is_dir() else []
    if not files:
        raise ResourceNotFound(f"{root}: {'no .rq query files in this folder' if root.is_dir() else 'no such folder'}")
    return Catalogue({p.stem: parse_query_file(p) for p in files})


_QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def load_named_query(name: str, folder: str | os.PathLike[str] | None = None) -> NamedQuery:
    """The query ``name`` of ``folder`` (default: the packaged ``queries/``), reading only its file.

    A cold command line runs one query: parsing the other files would cost more than the query.
    An unknown name loads the whole catalogue, for its did-you-mean hint.

    >>> load_named_query("states").name
    'states'
    """
    path = (Path(folder) if folder is not None else resource_dir("queries")) / f"{name}.rq"
    if _QUERY_NAME.fullmatch(name) and path.is_file():
        return parse_query_file(path)
    return load_catalogue(folder)[name]
