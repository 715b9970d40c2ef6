"""Quality checks (the OBO ODK habit): SPARQL files in ``queries/checks/``; any row is a failure.

The checks run over the ontology, the shapes and the data as written, each file parsed with its own
``file:`` IRI as base, so that a relative IRI shows up as a ``file:`` IRI instead of being silently
resolved against the project's base. They run on Oxigraph in memory: rdflib's engine took a quarter
of a second for the IRI check over a 218-triple submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import parse_query_file
from .errors import ParseError
from .resources import data_files, ontology_files, resource_dir, shapes_file
from .results import QueryResult
from .store import oxigraph_copy

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib


@dataclass(frozen=True)
class CheckResult:
    """The rows one quality check returned (none means it passed)."""

    name: str
    summary: str
    result: QueryResult

    @property
    def passed(self) -> bool:
        """True when the check returned no row."""
        return len(self.result) == 0


def check_files() -> list[Path]:
    """The quality-check queries, in name order.

    >>> "no-owl-sameas" in [p.stem for p in check_files()]
    True
    """
    return sorted((resource_dir("queries") / "checks").glob("*.rq"))


def run_checks(files: list[Path] | None = None) -> list[CheckResult]:
    """Run every quality check over the ontology, shapes and data (or ``files``).

    >>> [c.name for c in run_checks() if not c.passed]
    []
    """
    import pyoxigraph as ox

    store = ox.Store()
    for path in files or [*ontology_files(), shapes_file(), *data_files()]:
        iri = path.resolve().as_uri()
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=iri, to_graph=ox.NamedNode(iri))
        except SyntaxError as exc:
            raise ParseError(str(exc), source=path) from None
    return _run(store, check_files())


def run_submission_checks(graph: rdflib.Graph) -> list[CheckResult]:
    """Run the checks that hold for any data on its own (tagged ``submission``: no owl:sameAs, no
    ``file:`` IRIs, ...) over ``graph``: what a submission must pass before it is accepted.

    >>> import rdflib
    >>> bad = rdflib.Graph().parse(data="<file:///etc/passwd> <http://www.w3.org/2000/01/rdf-schema#label> 'x' .",
    ...                            format="turtle")
    >>> [c.name for c in run_submission_checks(bad) if not c.passed]
    ['no-relative-or-file-iris']
    """
    return _run(oxigraph_copy(graph), [path for path in check_files() if "submission" in parse_query_file(path).tags])


def _run(store: pyoxigraph.Store, paths: list[Path]) -> list[CheckResult]:
    from .engines import OxigraphEngine

    engine = OxigraphEngine(store)
    results = []
    for path in paths:
        query = parse_query_file(path)
        answer = engine.run(query.text)
        assert isinstance(answer, QueryResult)
        results.append(CheckResult(query.name, query.summary, answer))
    return results
