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
    SubmissionError,
    UnknownQuery,
    UnsafeQueryError,
)
from .graph import KnowledgeGraph, open_graph
from .namespaces import BASE, BP
from .reasoning import owl_rl_closure
from .results import GraphResult, QueryResult, Term

__all__ = [
    "BASE",
    "BP",
    "BPGraphError",
    "Catalogue",
    "EndpointError",
    "GraphResult",
    "KnowledgeGraph",
    "NamedQuery",
    "Parameter",
    "ParseError",
    "PublishError",
    "QueryError",
    "QueryParameterError",
    "QueryResult",
    "QuerySyntaxError",
    "ResourceNotFound",
    "ShapesError",
    "SubmissionError",
    "Term",
    "UnknownQuery",
    "UnsafeQueryError",
    "expand_iri",
    "load_catalogue",
    "open_graph",
    "owl_rl_closure",
]
