"""bp-graph: the open knowledge graph of the Budapest Process, and the library that serves it.

>>> import bp_graph
>>> kg = bp_graph.KnowledgeGraph.open()
>>> kg.query("meetings", kind="bp:MinisterialConference").as_dicts()[0]["label"]
'...'
"""

from __future__ import annotations

__version__ = "0.1.0"

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
from .publishing import PublishReport, SiteData, publish
from .namespaces import BASE, BP
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
