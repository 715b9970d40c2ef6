"""Every catalogue query gives the same answers on Oxigraph, rdflib and a real Oxigraph server;
parameters are bound as terms, so hostile values never change what a query does."""

from __future__ import annotations

import pytest

from bp_graph import KnowledgeGraph, ParseError, QueryError, QueryParameterError, QuerySyntaxError, ResourceNotFound, UnsafeQueryError
from bp_graph.namespaces import GRAPH_NS
from bp_graph.reasoning import cached_closure

from .calls import CATALOGUE, answer, call_id, example_calls
from .conftest import run_cli


@pytest.mark.parametrize("name, params", example_calls(), ids=call_id)
def test_same_answers_on_all_three_engines(name: str, params: dict[str, str], graph, rdflib_graph,
                                           remote_graph) -> None:
    expected = answer(graph, name, params)
    assert answer(rdflib_graph, name, params) == expected
    assert answer(remote_graph, name, params) == expected


def test_queries_return_rows_on_the_real_graph_each_once(graph) -> None:
    answers = {f"{name} {params}": graph.query(name, **params).rows for name, params in example_calls()}
    assert [call for call, rows in answers.items() if not rows] == []
    # the closure gives a resource its classes' superclasses too: a class path matches each of them
    assert [call for call, rows in answers.items() if len(rows) != len(set(rows))] == []


@pytest.mark.parametrize("hostile", ['x" } UNION { ?s ?p ?o } #', "x' } UNION { ?s ?p ?o } #",
                                     "<http://a> } ; DROP ALL ; {", "\\u0022 } UNION { ?s ?p ?o } #"])
def test_string_parameter_values_are_data_not_query_text(hostile: str, graph, rdflib_graph, remote_graph) -> None:
    for kg in (graph, rdflib_graph, remote_graph):
        assert kg.query("search", text=hostile).rows == []
    assert graph.query("search", text="Macedonia").rows  # the same query does find real text


def test_a_query_rdflib_cannot_evaluate_is_a_query_error(rdflib_graph) -> None:
    # rdflib's evaluator raises a TypeError here (STRDT over an aggregate that is an error); Oxigraph answers
    text = ('SELECT (STRDT("a", IRI(STRAFTER(MIN(?k), "|"))) AS ?x) WHERE { VALUES ?v { 1 } '
            'OPTIONAL { ?s <urn:nothing> ?k } } ORDER BY ?x')
    with pytest.raises(QueryError, match="rdflib's engine could not evaluate the query .TypeError"):
        rdflib_graph.sparql(text)
    # with a prefix the query does not declare: still the evaluator's error
    with pytest.raises(QueryError, match="could not evaluate the query .TypeError"):
        rdflib_graph.sparql(text.replace("<urn:nothing>", "skos:nothing"))
    done = run_cli("sparql", "--engine", "rdflib", "-", input=text)
    assert done.returncode != 0 and "Traceback" not in done.stderr and "could not evaluate" in done.stderr


def test_ad_hoc_sparql_knows_the_project_prefixes_on_every_engine(graph, rdflib_graph, remote_graph) -> None:
    from bp_graph.namespaces import KNOWN_PREFIXES

    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in KNOWN_PREFIXES.items())
    body = ("SELECT ?name WHERE {{ {0}TUR skos:prefLabel ?name . {0}TUR a bp:State . "
            "FILTER(?name != 'orgn:x mtg:y') }} # dcterms:z")
    text = body.format("state:")
    expected = graph.sparql(declared + text).rows
    assert expected  # the declared query finds the state's name
    for kg in (graph, rdflib_graph, remote_graph):
        assert kg.sparql(text).rows == expected, kg.engine.name
        # the query's own declaration wins over the project's
        assert kg.sparql("PREFIX state: <https://example.org/nothing/> " + text).rows == [], kg.engine.name
        # the full IRI, as a query may also spell it, is the same resource
        assert kg.sparql(body.format("<https://w3id.org/bp-graph/state/").replace("TUR ", "TUR> ")).rows == expected
        # the data's own prefixes too (CURATION.md), as its files write them
        assert kg.sparql("ASK { goal:istanbul-commitments-2019-1 skos:inScheme gs:istanbul-commitments-2019 }").boolean
        # and IRIs relative to the graph's base, as tables print them, unless the query sets its own
        assert kg.sparql("ASK { <state/TUR> a bp:State }").boolean, kg.engine.name
        assert not kg.sparql("BASE <https://example.org/> ASK { <state/TUR> a bp:State }").boolean, kg.engine.name
    with pytest.raises(QuerySyntaxError, match="unknown prefix 'foo:'"):  # others still need declaring
        graph.sparql("ASK { state:TUR a bp:State, foo:State }")


@pytest.mark.parametrize("text", ["SELECT ?s WHERE { ?s ?p }", "SELECT ?s WHERE { ?s foo:p ?o }"])
def test_a_query_that_is_not_sparql_has_one_error_whichever_engine_runs_it(text: str, graph, rdflib_graph) -> None:
    """rdflib said "Expected SelectQuery" at the start of the clause, or that it could not evaluate
    a query whose prefix is undeclared."""
    with pytest.raises(QuerySyntaxError) as default:
        graph.sparql(text)
    with pytest.raises(QuerySyntaxError) as rdflib_engine:
        rdflib_graph.sparql(text)
    assert str(rdflib_engine.value) == str(default.value) and str(default.value).startswith("error at 1:")


def test_sparql_that_rdflib_alone_cannot_parse_says_so(rdflib_graph) -> None:
    with pytest.raises(QuerySyntaxError, match="rdflib's engine cannot parse the query .line 1, column .*oxigraph, reads"):
        rdflib_graph.sparql("SELECT ?s WHERE { ?s ?p ?o FILTER(isTRIPLE(?o)) }")


def test_an_unknown_engine_is_refused() -> None:
    from bp_graph import BPGraphError

    with pytest.raises(BPGraphError, match="unknown engine 'oxigrpah'"):
        KnowledgeGraph.open(engine="oxigrpah")  # type: ignore[arg-type]


def test_iri_parameter_injection_is_refused(graph) -> None:
    with pytest.raises(QueryParameterError):
        graph.query("meeting-states", meeting="<http://a> } ; DROP ALL ; {")
    with pytest.raises(QueryParameterError):
        graph.query("meeting-states", meeting='meeting/x> } UNION { ?s ?p ?o } #')


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "DROP ALL",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "select * where{service<http://127.0.0.1:9/sparql>{?s ?p ?o}}",
    "SELECT * WHERE { ?s ?p '''it''s''' . SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "# a comment\nSELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p 'FROM' }",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_untrusted_sparql_cannot_reach_out_or_write(text: str, graph, rdflib_graph) -> None:
    for kg in (graph, rdflib_graph):
        with pytest.raises(UnsafeQueryError):
            kg.sparql(text)


@pytest.mark.parametrize("text", [
    'ASK { ?s ?p "SERVICE <http://127.0.0.1:9/> { } FROM" }',
    r'ASK { ?s ?p "a\" SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }" }',
    "ASK { ?s <http://e/load#service> ?o } # DROP ALL, LOAD, SERVICE",
    "PREFIX service: <http://e/> ASK { ?from service:from ?service . ?x ?p 'delete'@en }",
    'ASK { ?s ?p """a "" SERVICE <http://127.0.0.1:9/> { } """ }',
])
def test_keywords_inside_strings_iris_names_and_comments_are_only_text(text: str, graph, rdflib_graph) -> None:
    # The guard reads tokens as SPARQL does: these run, and ask for what the graph does not hold.
    for kg in (graph, rdflib_graph):
        assert kg.sparql(text).boolean is False


def test_the_queries_that_say_they_need_the_closure_are_those_whose_answers_change_without_it(graph) -> None:
    unreasoned = KnowledgeGraph.open(reasoning=False)
    changed = {name for name, params in example_calls()
               if graph.query(name, **params).rows != unreasoned.query(name, **params).rows}
    assert changed == {name for name, query in CATALOGUE.items() if query.needs_reasoning} and changed
    result = run_cli("query", "coverage", "--no-reasoning")
    assert result.returncode == 0 and f"note: {unreasoned.answer_notes('coverage', {}, empty=False)[0]}" in result.stderr
    assert "closure" not in run_cli("query", "coverage").stderr


def test_reasoning_switch_changes_what_queries_see() -> None:
    # bp:attended is only inferred (a property chain over participations).
    ask = "ASK { ?state <https://w3id.org/bp-graph/ontology#attended> ?meeting }"
    assert KnowledgeGraph.open(reasoning=True).sparql(ask).boolean is True
    assert KnowledgeGraph.open(reasoning=False).sparql(ask).boolean is False


def test_closure_is_cached_by_content_hash(monkeypatch, graph) -> None:
    paths = [s.path for s in graph.sources]
    first = cached_closure(paths)
    written = first.stat().st_mtime_ns

    def must_not_run(*args: object) -> None:
        raise AssertionError("the closure was recomputed on a warm cache")

    monkeypatch.setattr("bp_graph.reasoning.rule_closure", must_not_run)
    assert cached_closure(paths) == first and first.stat().st_mtime_ns == written
    KnowledgeGraph.open(engine="rdflib")  # loads the closure through the same cache: must_not_run must not run


def test_memory_disk_and_fresh_stores_hold_the_same_quads(monkeypatch) -> None:
    import pyoxigraph

    from bp_graph import store

    def on_disk(kept: pyoxigraph.Store) -> bool:  # the disk store is opened read-only
        try:
            kept.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:x"), pyoxigraph.NamedNode("urn:p"), pyoxigraph.Literal("x")))
        except RuntimeError:
            return True
        return False

    sources = store.packaged_sources()
    disk, memory = (store.build_oxigraph(sources, reasoning=True, in_memory=flag) for flag in (False, True))
    # The memory copy comes from a snapshot of the disk store; compare both with a store built
    # straight from the Turtle and the closure, which shares nothing with them.
    fresh = store.build_oxigraph(sources, reasoning=True, persistent=False)
    copies = [pyoxigraph.Dataset(kept) for kept in (fresh, disk, memory)]
    for copy in copies:  # blank-node labels differ between parses
        copy.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    assert len(copies[0]) > 10000 and set(copies[0]) == set(copies[1]) == set(copies[2])
    assert [on_disk(kept) for kept in (disk, memory)] == [True, False]
    assert not on_disk(store.build_oxigraph(sources, reasoning=True))  # small: held in memory
    monkeypatch.setattr(store, "MEMORY_LIMIT", 0)
    assert on_disk(store.build_oxigraph(sources, reasoning=True))


def test_queries_answer_the_same_from_memory_and_from_disk(graph) -> None:
    on_disk = KnowledgeGraph.open(in_memory=False)
    for name, params in example_calls():
        assert answer(on_disk, name, params) == answer(graph, name, params), name


def test_fingerprint_follows_content_even_when_size_and_mtime_are_kept(tmp_path, monkeypatch) -> None:
    import os

    from bp_graph.cache import fingerprint

    monkeypatch.setenv("BP_GRAPH_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "a.ttl"
    data.write_text("<urn:a> <urn:p> 1 .\n")
    first = fingerprint([data])
    assert fingerprint([data]) == first and len(list((tmp_path / "cache" / "fingerprints").iterdir())) == 1
    stat = data.stat()
    data.write_text("<urn:a> <urn:p> 2 .\n")  # same size; then the old modification time is put back
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint([data]) != first


def test_a_data_folder_s_graphs_are_named_by_its_own_paths(tmp_path, monkeypatch) -> None:
    """The cached store was keyed by the files' names and bytes only: the same file under another
    folder of another data folder came back in the first folder's graph."""
    monkeypatch.setenv("BP_GRAPH_CACHE", str(tmp_path / "cache"))
    content = '<https://w3id.org/bp-graph/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    graphs = []
    for folder, sub in (("one", "meetings"), ("two", "submissions")):
        (tmp_path / folder / sub).mkdir(parents=True)
        (tmp_path / folder / sub / "same.ttl").write_text(content, encoding="utf-8")
        info = KnowledgeGraph.open(data_dir=tmp_path / folder, reasoning=False, in_memory=False).info()
        graphs.append([g for g in info["graphs"] if not g.startswith(f"{GRAPH_NS}ontology/")])
    assert graphs == [[f"{GRAPH_NS}meetings/same"], [f"{GRAPH_NS}submissions/same"]]


def test_a_broken_file_among_several_is_named_and_no_store_is_kept(tmp_path, monkeypatch) -> None:
    # The files load side by side: the failure of one must still name it, and nothing half-built stays.
    monkeypatch.setenv("BP_GRAPH_CACHE", str(tmp_path / "cache"))
    good = tmp_path / "good.ttl"
    good.write_text('<https://w3id.org/bp-graph/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n',
                    encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://w3id.org/bp-graph/y> <http://www.w3.org/2000/01/rdf-schema#label> "y" ;\n  oops .\n',
                   encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        KnowledgeGraph.open(files=[good, bad], reasoning=False, in_memory=False)
    assert caught.value.source == str(bad) and "line 2" in str(caught.value)
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(("oxigraph-", "building-"))] == []
    assert KnowledgeGraph.open(files=[good], reasoning=False).query("search", text="x").rows  # the good file alone loads
    with pytest.raises(ParseError, match="bad.ttl"):  # in memory too
        KnowledgeGraph.open(files=[good, bad], reasoning=False, persistent=False)
    assert KnowledgeGraph.open(files=[str(good)], reasoning=False).query("search", text="x").rows  # a str is a path
    with pytest.raises(ResourceNotFound, match="missing.ttl: no such file"):  # was a bare FileNotFoundError
        KnowledgeGraph.open(files=[good, tmp_path / "missing.ttl"], reasoning=False)
