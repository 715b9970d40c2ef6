"""The exception hierarchy of bp-graph, rooted in :class:`BPGraphError`.

The command line maps each class to an exit code; a non-conforming submission is a result, not
an exception.
"""

from __future__ import annotations

from pathlib import Path


class BPGraphError(Exception):
    """Root of every error bp-graph raises on purpose.

    >>> issubclass(UnknownQuery, BPGraphError)
    True
    """

    exit_code: int = 2


class ResourceNotFound(BPGraphError):
    """A packaged file (ontology, data, query) or a user file is missing.

    >>> from bp_graph.resources import resource_dir
    >>> resource_dir("nowhere")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    bp_graph.errors.ResourceNotFound: ...
    """


class ParseError(BPGraphError):
    """RDF or SPARQL text that cannot be read, with its file, line and column where known.

    >>> str(ParseError("unexpected '.'", source="a.ttl", line=3, column=7))
    "a.ttl:3:7: unexpected '.'"
    """

    def __init__(self, message: str, *, source: str | Path | None = None,
                 line: int | None = None, column: int | None = None, hint: str | None = None) -> None:
        self.message = message
        self.source = str(source) if source is not None else None
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.source, self.line, self.column) if p is not None)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text


class QueryError(BPGraphError):
    """A query that cannot be run (the parent of the query errors below).

    >>> issubclass(EndpointError, QueryError), QueryError.exit_code
    (True, 2)
    """


class UnknownQuery(QueryError):
    """No named query of that name; the message suggests the closest names.

    >>> from bp_graph import load_catalogue
    >>> load_catalogue()["meetinsg"]
    Traceback (most recent call last):
    bp_graph.errors.UnknownQuery: no query named 'meetinsg'; did you mean 'meetings'...?
    """


class QuerySyntaxError(QueryError):
    """SPARQL text, or a query file's header, that cannot be parsed.

    >>> from bp_graph import KnowledgeGraph
    >>> KnowledgeGraph.open().sparql("SELECT WHERE")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    bp_graph.errors.QuerySyntaxError: ...
    """


class QueryParameterError(QueryError):
    """A missing, unknown or ill-typed query parameter.

    >>> from bp_graph import KnowledgeGraph
    >>> KnowledgeGraph.open().query("meetings", year="last")
    Traceback (most recent call last):
    bp_graph.errors.QueryParameterError: parameter 'year': not an integer (got 'last')
    """


class UnsafeQueryError(QueryError):
    """Query text that would reach the network or the file system (SERVICE, LOAD, FROM <url>) or update.

    >>> from bp_graph import KnowledgeGraph
    >>> KnowledgeGraph.open().sparql("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    bp_graph.errors.UnsafeQueryError: ...SERVICE...
    """


class EndpointError(QueryError):
    """A remote SPARQL endpoint that cannot be reached or answers with an error.

    >>> from bp_graph import KnowledgeGraph
    >>> KnowledgeGraph.open(endpoint="ftp://example.org/sparql")
    Traceback (most recent call last):
    bp_graph.errors.EndpointError: 'ftp://example.org/sparql' is not an http(s) URL
    """


class ShapesError(BPGraphError):
    """The SHACL shapes cannot be loaded or used.

    >>> issubclass(ShapesError, BPGraphError), ShapesError.exit_code
    (True, 2)
    """


class SubmissionError(BPGraphError):
    """A submission that cannot be validated or accepted (unsafe, too large, duplicate).

    >>> issubclass(SubmissionRejected, SubmissionError), SubmissionError.exit_code
    (True, 2)
    """


class SubmissionRejected(SubmissionError):
    """A submission that does not conform to the shapes; ``report`` holds the findings. Nothing was written.

    >>> SubmissionRejected("2 Violations").exit_code
    1
    """

    exit_code = 1

    def __init__(self, message: str, *, report: object = None) -> None:
        super().__init__(message)
        self.report = report


class SubmissionConflict(SubmissionError):
    """A submission that would replace a file or existing facts, or repeats an accepted one. Nothing was written.

    >>> SubmissionConflict("meetings/x.ttl exists").exit_code
    1
    """

    exit_code = 1


class PublishError(BPGraphError):
    """The site or a dump cannot be written.

    >>> issubclass(PublishError, BPGraphError), PublishError.exit_code
    (True, 2)
    """
