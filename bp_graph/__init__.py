"""bp-graph: the open knowledge graph of the Budapest Process, and the library that serves it.

>>> import bp_graph
>>> kg = bp_graph.KnowledgeGraph.open()
>>> kg.query("meetings", kind="bp:MinisterialConference").as_dicts()[0]["label"]
'...'
"""

from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Public name -> the module that defines it. Modules are imported on first use, so that a named
# query from the command line imports neither rdflib nor the publishing and validation stacks.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(["Catalogue", "NamedQuery", "Parameter", "expand_iri", "load_catalogue"], "catalogue"),
    **dict.fromkeys(["BPGraphError", "EndpointError", "ParseError", "PublishError", "QueryError",
                     "QueryParameterError", "QuerySyntaxError", "ResourceNotFound", "ShapesError",
                     "SubmissionConflict", "SubmissionError", "SubmissionRejected", "UnknownQuery",
                     "UnsafeQueryError"], "errors"),
    **dict.fromkeys(["KnowledgeGraph", "open_graph"], "graph"),
    **dict.fromkeys(["PublishReport", "SiteData", "publish"], "publishing"),
    **dict.fromkeys(["BASE", "BP"], "namespaces"),
    "owl_rl_closure": "reasoning",
    **dict.fromkeys(["GraphResult", "QueryResult", "Term"], "results"),
    **dict.fromkeys(["SiteApp", "make_server", "serve"], "server"),
    "submit": "submission",
    **dict.fromkeys(["Finding", "InputError", "Limits", "Suggestion", "ValidationReport",
                     "parse_submission", "validate", "validate_data"], "validation"),
}

if TYPE_CHECKING:
    from .catalogue import Catalogue, NamedQuery, Parameter, expand_iri, load_catalogue
    from .errors import (
        BPGraphError,
        EndpointError,
        ParseError,
        PublishError,
        QueryError,
        QueryParameterError,
        QuerySyntaxError,
        ResourceNotFound,
        ShapesError,
        SubmissionConflict,
        SubmissionError,
        SubmissionRejected,
        UnknownQuery,
        UnsafeQueryError,
    )
    from .graph import KnowledgeGraph, open_graph
    from .namespaces import BASE, BP
    from .publishing import PublishReport, SiteData, publish
    from .reasoning import owl_rl_closure
    from .results import GraphResult, QueryResult, Term
    from .server import SiteApp, make_server, serve
    from .submission import submit
    from .validation import (
        Finding,
        InputError,
        Limits,
        Suggestion,
        ValidationReport,
        parse_submission,
        validate,
        validate_data,
    )


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'bp_graph' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "BASE",
    "BP",
    "BPGraphError",
    "Catalogue",
    "EndpointError",
    "Finding",
    "GraphResult",
    "InputError",
    "KnowledgeGraph",
    "Limits",
    "NamedQuery",
    "Parameter",
    "ParseError",
    "PublishError",
    "PublishReport",
    "QueryError",
    "QueryParameterError",
    "QueryResult",
    "QuerySyntaxError",
    "ResourceNotFound",
    "ShapesError",
    "SiteApp",
    "SiteData",
    "SubmissionConflict",
    "SubmissionError",
    "SubmissionRejected",
    "Suggestion",
    "Term",
    "UnknownQuery",
    "UnsafeQueryError",
    "ValidationReport",
    "expand_iri",
    "load_catalogue",
    "make_server",
    "open_graph",
    "owl_rl_closure",
    "parse_submission",
    "publish",
    "serve",
    "submit",
    "validate",
    "validate_data",
]
