"""The catalogue's example calls, shared by the tests that run every named query."""

from __future__ import annotations

from bp_graph import KnowledgeGraph, QueryResult, load_catalogue

CATALOGUE = load_catalogue()


def example_calls() -> list[tuple[str, dict[str, str]]]:
    """Each query with its required example parameters, and again with all of them if it has optional ones."""
    calls = []
    for name, query in sorted(CATALOGUE.items()):
        calls.append((name, {p.name: p.example for p in query.params if p.required and p.example is not None}))
        if any(not p.required for p in query.params):
            calls.append((name, {p.name: p.example for p in query.params if p.example is not None}))
    return calls


def call_id(value: object) -> str:
    """A test id for a (name, params) parameter: the name, then the parameter names."""
    return value if isinstance(value, str) else "-".join(value)  # type: ignore[arg-type]


def rows(result: QueryResult) -> list[tuple]:
    """Rows as sorted plain tuples (engines may order ties differently)."""
    return sorted((tuple((t.kind, t.value, t.datatype, t.language) if t else None for t in row) for row in result),
                  key=repr)


def answer(kg: KnowledgeGraph, name: str, params: dict[str, str]) -> list[tuple]:
    """The rows of a named query, as :func:`rows`."""
    result = kg.query(name, **params)
    assert isinstance(result, QueryResult)
    return rows(result)
