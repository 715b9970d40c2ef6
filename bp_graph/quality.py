"""Quality checks (the OBO ODK habit): SPARQL files in ``queries/checks/``; any row is a failure.

The checks run over the ontology, the shapes and the data as written, parsed without a base IRI,
so that a relative IRI shows up as a ``file:`` IRI instead of being silently resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogue import parse_query_file
from .resources import data_files, ontology_files, resource_dir, shapes_file
from .results import QueryResult


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
    import rdflib

    from .engines import RdflibEngine

    dataset = rdflib.Dataset(default_union=True)
    for path in files or [*ontology_files(), shapes_file(), *data_files()]:
        dataset.graph(rdflib.URIRef(path.resolve().as_uri())).parse(path, format="turtle")
    engine = RdflibEngine(dataset)
    results = []
    for path in check_files():
        query = parse_query_file(path)
        answer = engine.run(query.text)
        assert isinstance(answer, QueryResult)
        results.append(CheckResult(query.name, query.summary, answer))
    return results
