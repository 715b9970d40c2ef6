"""The embedded engine's text index gives the answers of the portable query, faster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bp_graph import KnowledgeGraph
from bp_graph.textindex import IndexedQuery, NameIndex


def _unindexed(text: str) -> str:
    """The same query with its mark turned into a plain comment: every engine reads every name."""
    return text.replace("# text-index:", "# (not indexed)")


def _names(kg: KnowledgeGraph) -> list[str]:
    query = IndexedQuery.split(kg.catalogue["search"].text)
    assert query is not None
    return [row[1].value for row in kg.sparql(query.pairs_query(), trusted=True).rows if row[1] is not None]


def test_search_marks_its_names_for_the_index(graph) -> None:
    query = IndexedQuery.split(graph.catalogue["search"].text)
    assert query is not None and (query.name, query.key, query.text) == ("written", "resource", "text")
    assert len(graph.sparql(query.pairs_query(), trusted=True).rows) > 1000


def test_every_word_of_every_name_finds_what_the_portable_query_finds(graph) -> None:
    search = graph.catalogue["search"]
    words = {word for name in _names(graph) for word in re.findall(r"\w{2,}", name)}
    needles = sorted(words) + ["MACEDONIA", "türk", "ürk", "Process ", "-", "'", "(", "2019", "zzzz"]
    assert len(needles) > 900
    differ = []
    for needle in needles:
        bindings = search.bind({"text": needle})
        if graph.engine.run(search.text, bindings).rows != graph.engine.run(_unindexed(search.text), bindings).rows:
            differ.append(needle)
    assert differ == []


def test_a_needle_never_matches_across_two_names() -> None:
    index = NameIndex([("<x:a>", '"Black Sea"', "Black Sea"), ("<x:b>", '"Silk Routes"', "Silk Routes"),
                       ("<x:c>", '"Sea of Silk, sea of sand"@en', "Sea of Silk, sea of sand")])
    assert [key for key, _ in index.containing("sea")] == ["<x:a>", "<x:c>"]  # each pair once
    assert index.containing("seasilk") == [] and index.containing("sea\0silk") == []
    assert index.containing("SAND") == [("<x:c>", '"Sea of Silk, sea of sand"@en')]


def test_blank_node_names_fall_back_to_the_portable_query(tmp_path: Path) -> None:
    data = tmp_path / "anonymous.ttl"
    data.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    '[] rdfs:label "Anonymous forum" .\n<https://w3id.org/bp-graph/x> rdfs:label "Named forum" .\n',
                    encoding="utf-8")
    kg = KnowledgeGraph.open(files=[data], persistent=False, reasoning=False)
    assert sorted(r[1].value for r in kg.query("search", text="forum").rows) == ["Anonymous forum", "Named forum"]
    assert [r[1].value for r in kg.query("search", text="named").rows] == ["Named forum"]


@pytest.mark.parametrize("query", [
    "SELECT ?r WHERE {\n# text-index: ?n of ?r, searched for ?t\n{ ?r <p> ?n }\n# end text-index\n}",
    "SELECT DISTINCT ?r WHERE {\n# text-index: ?n of ?r, searched for ?t\n{ ?r <p> ?n }\n}",
    "SELECT DISTINCT ?r WHERE { ?r <p> ?n }",
])
def test_only_a_select_distinct_with_a_closed_mark_is_indexed(query: str) -> None:
    assert IndexedQuery.split(query) is None


def test_a_persistent_store_keeps_its_index_for_the_next_process(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BP_GRAPH_CACHE", str(tmp_path / "cache"))
    first = KnowledgeGraph.open(reasoning=False)
    expected = first.query("search", text="Macedonia").rows
    saved = list(first.engine.index_dir.glob("names-*.json"))  # type: ignore[attr-defined]
    assert len(saved) == 1 and saved[0].stat().st_size > 10_000
    saved[0].write_text("[]", encoding="utf-8")  # an index of no names: a process that reads it finds none
    assert KnowledgeGraph.open(reasoning=False).query("search", text="Macedonia").rows == []
    saved[0].write_text("[", encoding="utf-8")  # cut short: rebuilt from the store, not trusted
    third = KnowledgeGraph.open(reasoning=False)
    assert third.query("search", text="Macedonia").rows == expected
    assert saved[0].read_text(encoding="utf-8").startswith("[[")


def test_prepare_builds_the_index_before_the_first_search(tmp_path: Path, monkeypatch) -> None:
    # bp-graph serve's workers prepare at start, so that no first search meets the query time limit.
    monkeypatch.setenv("BP_GRAPH_CACHE", str(tmp_path / "cache"))
    kg = KnowledgeGraph.open(reasoning=False)
    folder = kg.engine.index_dir  # type: ignore[attr-defined]
    assert list(folder.glob("names-*.json")) == []
    assert kg.engine.prepare([kg.catalogue["states"].text]) == 0  # type: ignore[attr-defined]
    assert list(folder.glob("names-*.json")) == []
    assert kg.engine.prepare(query.text for query in kg.catalogue.values()) == 1  # type: ignore[attr-defined]
    saved = list(folder.glob("names-*.json"))
    assert len(saved) == 1 and saved[0].stat().st_size > 10_000
    saved[0].write_text("[]", encoding="utf-8")  # the index in memory is the one prepared, not re-read
    assert {r["label"] for r in kg.query("search", text="Macedonia").as_dicts()} >= {"North Macedonia"}


def test_a_name_without_its_accents_finds_what_the_name_finds_on_every_engine(graph, rdflib_graph,
                                                                             remote_graph) -> None:
    # The site's search box folds accents in its script; SPARQL cannot, so the closure holds the
    # names without them. Every accented word of every name the search reads, typed without accents:
    import unicodedata

    def plain(word: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))

    accented = sorted({word for name in _names(graph) for word in re.findall(r"\w{2,}", name) if plain(word) != word})
    assert {"Türkiye", "Péter"} <= set(accented)
    for kg in (graph, rdflib_graph, remote_graph):
        for word in accented:
            found = {row[0] for row in kg.query("search", text=word).rows}
            assert found and found <= {row[0] for row in kg.query("search", text=plain(word).lower()).rows}, \
                (kg.engine.name, word)
    unreasoned = KnowledgeGraph.open(reasoning=False)  # the hidden labels are the closure's
    assert {row[0] for row in unreasoned.query("search", text="turkiye").rows} < \
        {row[0] for row in graph.query("search", text="turkiye").rows}
