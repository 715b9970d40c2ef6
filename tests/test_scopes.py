"""Which uses of a parameter the top-level binding reaches: each case is also run on Oxigraph, the
parameter bound by ``with_values`` and, beside it, written into the text by hand. Where the check
says "reached" the two answers must be equal; where it says "not reached" they must differ on
this data, which shows that the refusal is not a false alarm."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bp_graph.engines import with_values
from bp_graph.results import Term
from bp_graph.scopes import unreached_parameters

DATA = """
@prefix : <urn:x:> .
:a :p :b ; :q 1 ; :r :c .
:b :p :c ; :q 1 .
:c :q 2 .
"""
P = "PREFIX : <urn:x:>\n"
B, C, NONE, ONE = Term("uri", "urn:x:b"), Term("uri", "urn:x:c"), Term("uri", "urn:x:none"), Term("literal", "1",
                                                                                                   "http://www.w3.org/2001/XMLSchema#integer")

# (query using ?m, the value of ?m, the same query with the value written in, reached?)
CASES = {
    "triple pattern": ("SELECT ?x WHERE { ?x :p ?m }", B, "SELECT ?x WHERE { ?x :p :b }", True),
    "subquery not selecting it": ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x :p ?m } } }", B,
                                  "SELECT ?x WHERE { { SELECT ?x WHERE { ?x :p :b } } }", False),
    "DISTINCT subquery not selecting it": ("SELECT ?x WHERE { { SELECT DISTINCT ?x WHERE { ?x :p ?m } } }", B,
                                           "SELECT ?x WHERE { { SELECT DISTINCT ?x WHERE { ?x :p :b } } }", False),
    "subquery with LIMIT": ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x :p ?m } ORDER BY ?x LIMIT 5 } }", B,
                            "SELECT ?x WHERE { { SELECT ?x WHERE { ?x :p :b } ORDER BY ?x LIMIT 5 } }", False),
    "subquery selecting it": ("SELECT ?x WHERE { { SELECT ?x ?m WHERE { ?x :p ?m } } }", B,
                              "SELECT ?x WHERE { { SELECT ?x WHERE { ?x :p :b } } }", True),
    "selected only by the outer of two subqueries": (
        "SELECT ?x WHERE { { SELECT ?x ?m WHERE { { SELECT ?x WHERE { ?x :p ?m } } } } }", B,
        "SELECT ?x WHERE { { SELECT ?x WHERE { { SELECT ?x WHERE { ?x :p :b } } } } }", False),
    "right of a top-level MINUS": ("SELECT ?x WHERE { ?x :p ?y MINUS { ?x :p ?m } }", B,
                                   "SELECT ?x WHERE { ?x :p ?y MINUS { ?x :p :b } }", True),
    "right of a nested MINUS": ("SELECT ?x WHERE { ?x :p ?y { ?x :p ?z MINUS { ?x :r ?m } } }", NONE,
                                "SELECT ?x WHERE { ?x :p ?y { ?x :p ?z MINUS { ?x :r :none } } }", False),
    "top-level FILTER": ("SELECT ?x WHERE { ?x :q ?v FILTER(?v = ?m) }", ONE,
                         "SELECT ?x WHERE { ?x :q ?v FILTER(?v = 1) }", True),
    "FILTER in a nested group": ("SELECT ?x WHERE { ?x :p ?y { ?x :q ?v FILTER(?v = ?m) } }", ONE,
                                 "SELECT ?x WHERE { ?x :p ?y { ?x :q ?v FILTER(?v = 1) } }", False),
    "FILTER in a UNION branch": ("SELECT ?x WHERE { { ?x :q ?v FILTER(?v = ?m) } UNION { ?x :r ?v } }", ONE,
                                 "SELECT ?x WHERE { { ?x :q ?v FILTER(?v = 1) } UNION { ?x :r ?v } }", False),
    "condition of an OPTIONAL": ("SELECT ?x ?v WHERE { ?x :p ?y OPTIONAL { ?y :q ?v FILTER(?v = ?m) } }", ONE,
                                 "SELECT ?x ?v WHERE { ?x :p ?y OPTIONAL { ?y :q ?v FILTER(?v = 1) } }", True),
    "HAVING": ("SELECT ?x WHERE { ?x :q ?v } GROUP BY ?x HAVING (SUM(?v) > ?m)", ONE,
               "SELECT ?x WHERE { ?x :q ?v } GROUP BY ?x HAVING (SUM(?v) > 1)", False),
    "HAVING on a grouped key": ("SELECT (COUNT(?x) AS ?n) WHERE { ?x :p ?m } GROUP BY ?m HAVING (?m != :none)", B,
                                "SELECT (COUNT(?x) AS ?n) WHERE { ?x :p :b } HAVING (:b != :none)", True),
    "aggregate argument": ("SELECT (SUM(IF(?v = ?m, 1, 0)) AS ?n) WHERE { ?x :q ?v }", ONE,
                           "SELECT (SUM(IF(?v = 1, 1, 0)) AS ?n) WHERE { ?x :q ?v }", True),
    "top-level BIND": ("SELECT ?x WHERE { ?x :q ?v BIND(?v + ?m AS ?w) FILTER(?w = 3) }", ONE,
                       "SELECT ?x WHERE { ?x :q ?v BIND(?v + 1 AS ?w) FILTER(?w = 3) }", True),
    "BIND in a nested group": ("SELECT ?x WHERE { ?x :p ?y { ?x :q ?v BIND(?v + ?m AS ?w) } FILTER(?w = 2) }", ONE,
                               "SELECT ?x WHERE { ?x :p ?y { ?x :q ?v BIND(?v + 1 AS ?w) } FILTER(?w = 2) }", False),
    "EXISTS at the top": ("SELECT ?x WHERE { ?x :p ?y FILTER EXISTS { ?x :r ?m } }", C,
                          "SELECT ?x WHERE { ?x :p ?y FILTER EXISTS { ?x :r :c } }", True),
    "NOT EXISTS in a nested group": ("SELECT ?x WHERE { ?x :q ?v { ?x :p ?y FILTER NOT EXISTS { ?x :r ?m } } }", NONE,
                                     "SELECT ?x WHERE { ?x :q ?v { ?x :p ?y FILTER NOT EXISTS { ?x :r :none } } }",
                                     False),
    "inline VALUES": ("SELECT ?x WHERE { VALUES ?m { :b :c } ?x :p ?m }", B, "SELECT ?x WHERE { ?x :p :b }", True),
    "selected, not matched": ("SELECT ?x ?m WHERE { ?x :q ?v }", ONE, "SELECT ?x (1 AS ?m) WHERE { ?x :q ?v }", True),
    "ORDER BY": ("SELECT ?x WHERE { ?x :q ?v } ORDER BY DESC(?v = ?m) ?x", ONE,
                 "SELECT ?x WHERE { ?x :q ?v } ORDER BY DESC(?v = 1) ?x", True),
    "path": ("SELECT ?x WHERE { ?x :p/:p ?m }", C, "SELECT ?x WHERE { ?x :p/:p :c }", True),
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    return store


def answer(store: ox.Store, text: str) -> list[str]:
    return [repr([solution[v] for v in solutions.variables]) for solutions in [store.query(P + text)]
            for solution in solutions]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_check_agrees_with_what_oxigraph_answers(store: ox.Store, case: str) -> None:
    text, value, written_in, reached = CASES[case]
    assert unreached_parameters(P + text, ["m"]) == ([] if reached else ["m"])
    bound = answer(store, with_values(text, {"m": value}))
    if reached:
        assert bound == answer(store, written_in)
    else:
        assert bound != answer(store, written_in)  # the binding really is lost there


def test_only_the_named_parameters_are_checked_and_bad_text_is_a_value_error() -> None:
    text = P + "SELECT ?x WHERE { ?x :p ?o { SELECT ?y WHERE { ?y :q ?m } } }"
    assert unreached_parameters(text, []) == [] and unreached_parameters(text, ["o"]) == []
    assert unreached_parameters(text, ["m", "o", "m"]) == ["m"]
    with pytest.raises(ValueError, match="rdflib cannot parse"):
        unreached_parameters("SELECT ?x WHERE { ?x :p ?m ", ["m"])
