"""Which uses of a query parameter its binding reaches.

Every engine binds a named query's parameters as a ``VALUES`` block at the top of the WHERE
clause (:func:`bp_graph.engines.with_values`), the one binding that means the same on Oxigraph,
rdflib and any SPARQL 1.1 endpoint. That block is *joined* with the patterns of the query, so it
reaches a variable wherever the variable is the same variable as at the top: in any triple
pattern, path, ``GRAPH`` or inline ``VALUES`` joined with the top group (nested groups, UNION
branches and OPTIONAL parts included). It does not reach

- a subquery that does not select the variable (inside, it is another variable);
- the right of a ``MINUS`` whose left side does not bind it;
- an expression (``FILTER``, ``BIND``, an OPTIONAL's condition, ``ORDER BY``, ``GROUP BY``, an
  aggregate's argument, the pattern of ``EXISTS``) evaluated where the variable is not bound:
  a FILTER inside a nested group or a UNION branch sees only that group's own patterns;
- a ``HAVING`` condition, which sees only the grouping keys and aggregates.

Substitution (SEP-0007, rdflib's ``initBindings``) would reach some of these, so such a query
would answer differently on different engines, or silently ignore its parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyparsing import ParseResults

from .results import Term

_MARK = "urn:bp-graph:parameter"  # the value bound for the analysis; it never reaches a store
_MODIFIERS = ("Slice", "Distinct", "Reduced", "OrderBy")
_SEQUENCES = (list, tuple, ParseResults)  # rdflib's parse tree holds pyparsing's ParseResults too


def unreached_parameters(text: str, variables: Iterable[str]) -> list[str]:
    """Those of ``variables`` used somewhere in the query ``text`` where a value bound at the top
    of its WHERE clause does not reach (see the module's description); raise ``ValueError`` when
    rdflib cannot parse the text.

    >>> unreached_parameters("SELECT ?x WHERE { ?x ?p ?o { SELECT ?y WHERE { ?y ?q ?m } } }", ["m", "o"])
    ['m']
    >>> unreached_parameters("SELECT ?x WHERE { ?x ?p ?o MINUS { ?x ?q ?m } }", ["m"])
    []
    """
    from rdflib.plugins.sparql.algebra import translateQuery

    from .engines import with_values
    from .safety import parse_sparql

    params = sorted(set(variables))
    if not params:
        return []
    bound = with_values(text, {name: Term("uri", _MARK) for name in params})
    try:
        tree = parse_sparql(bound)
        # HAVING is read from the parse tree first: the translation rewrites the tree in place and
        # wraps a HAVING's free variable in SAMPLE(), which would hide it.
        unreached = _having_uses(tree, set(params))
        algebra = translateQuery(tree).algebra
    except Exception as exc:  # pyparsing's ParseException, or rdflib's translation errors
        raise ValueError(f"rdflib cannot parse the query: {exc}") from None
    return sorted(unreached | _Walk(set(params)).pattern(algebra["p"], set(params)))


def _variables(node: Any, skip: str = "") -> Iterator[str]:
    """Every variable in an expression or parse tree (rdflib's CompValue is a dict), leaving out
    the subtrees whose node name starts with ``skip`` (when given)."""
    from rdflib.term import Variable

    if isinstance(node, Variable):
        yield str(node)
    elif isinstance(node, dict):
        if not (skip and getattr(node, "name", "").startswith(skip)):
            for key, value in node.items():
                if key != "_vars":
                    yield from _variables(value, skip)
    elif isinstance(node, _SEQUENCES):
        for item in node:
            yield from _variables(item, skip)


def _field(node: dict[str, Any], key: str) -> Any:
    """``node[key]``, or None where it has none (rdflib's ``CompValue.get(key)`` answers the key itself)."""
    return node[key] if key in node else None


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every node of a parse tree."""
    if isinstance(node, dict):
        yield node
        node = [value for key, value in node.items() if key != "_vars"]
    if isinstance(node, _SEQUENCES):
        for item in node:
            yield from _nodes(item)


def _having_uses(tree: Any, params: set[str]) -> set[str]:
    """Parameters read in a HAVING condition outside an aggregate and not grouped by (rdflib would
    wrap them in SAMPLE(), Oxigraph leaves them unbound)."""
    found: set[str] = set()
    for node in _nodes(tree):
        if "having" in node:
            keys = {str(c["var"]) if isinstance(c, dict) else str(c)  # GROUP BY ?key or (expr AS ?key)
                    for c in _field(_field(node, "groupby") or {}, "condition") or []}
            found |= set(_variables(node["having"], skip="Aggregate_")) & params - keys
    return found


class _Walk:
    """One pass over rdflib's algebra: ``pattern(node, reached)`` returns the parameters used in
    ``node`` where the top binding does not reach; ``reached`` is the set of parameters the
    binding still reaches at ``node`` (a subquery or the right of a MINUS may cut it)."""

    def __init__(self, params: set[str]) -> None:
        self.params = params

    def visible(self, node: Any) -> set[str]:
        """The variables a solution of ``node`` may bind."""
        name = getattr(node, "name", "")
        if name == "BGP":
            return {v for triple in node["triples"] for v in _variables(list(triple))}
        if name == "values":
            return {str(v) for row in node["res"] for v in row}
        if name == "ToMultiSet":
            return self.visible(node["p"])
        if name == "Project":
            return {str(v) for v in node["PV"]} & self.visible(node["p"])
        if name == "Minus":
            return self.visible(node["p1"])
        if name == "Extend":
            return self.visible(node["p"]) | {str(node["var"])}
        if name == "Graph":
            return self.visible(node["p"]) | set(_variables(node["term"]))
        if name == "AggregateJoin":
            keys = {str(v) for v in _variables(_field(node["p"], "expr"))}
            return keys | {str(a["res"]) for a in node["A"]}
        children = [value for key, value in node.items() if key != "_vars" and isinstance(value, dict)]
        return set().union(*(self.visible(child) for child in children)) if children else set()

    def expression(self, expr: Any, bound: set[str]) -> set[str]:
        """Parameters an expression reads where the solution it is evaluated on does not bind them."""
        return {v for v in _variables(expr) if v in self.params and v not in bound}

    def pattern(self, node: Any, reached: set[str]) -> set[str]:
        name = getattr(node, "name", "")
        if name in ("BGP", "values"):
            return (self.visible(node) & self.params) - reached
        if name == "ToMultiSet":
            query = node["p"]
            if query.name == "values":
                return self.pattern(query, reached)
            inner = query
            while inner.name in _MODIFIERS:
                inner = inner["p"]
            selected = {str(v) for v in inner["PV"]} if inner.name == "Project" else set()
            return self.pattern(query, reached & selected)
        if name == "Project":
            return self.pattern(node["p"], reached)
        if name == "Minus":
            return self.pattern(node["p1"], reached) | self.pattern(node["p2"], reached & self.visible(node["p1"]))
        if name in ("Filter", "Extend", "OrderBy"):
            bound = self.visible(node["p"])
            return self.expression(node["expr"], bound) | self.pattern(node["p"], reached)
        if name == "LeftJoin":
            bound = self.visible(node["p1"]) | self.visible(node["p2"])
            return (self.expression(_field(node, "expr"), bound) | self.pattern(node["p1"], reached)
                    | self.pattern(node["p2"], reached))
        if name == "AggregateJoin":
            group = node["p"]
            bound = self.visible(group["p"])
            arguments = [_field(a, "vars") for a in node["A"]]
            return (self.expression(arguments, bound) | self.expression(_field(group, "expr"), bound)
                    | self.pattern(group["p"], reached))
        if name == "Graph":
            used = (set(_variables(node["term"])) & self.params) - reached
            return used | self.pattern(node["p"], reached)
        found: set[str] = set()
        for key, value in node.items():
            if key != "_vars" and isinstance(value, dict):
                found |= self.pattern(value, reached)
        return found
