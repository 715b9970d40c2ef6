"""The curated data against its sources: verbatim quotes, the lists of participants of each
report, the figures each document states, and name changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib

from bp_graph.resources import data_files

from .conftest import SEEDS

OA_EXACT = rdflib.URIRef("http://www.w3.org/ns/oa#exact")
REPORTS = {  # source file -> the meeting it reports
    "000_e9be0b9a004ae78d.txt": "meeting/2019-10-09-skopje",
    "001_63e8f8112de1af28.txt": "meeting/2019-12-04-istanbul",
    "002_9220525fd5e57f71.txt": "meeting/2016-12-15-antalya",
    "003_a7914ea89425cd51.txt": "meeting/2022-05-19-ohrid",
}
BASE = "https://w3id.org/bp-graph/"


def collapse(text: str) -> str:
    return " ".join(text.split())


def seeds_or_skip() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not beside the project ({SEEDS} is absent): quotes not checked")
    return SEEDS


def test_every_quote_points_at_one_place_of_its_own_document(graph) -> None:
    """Verbatim in the document its segment names, and found there once with its oa:prefix and
    oa:suffix: a quote found twice does not say which place it stands for."""
    seeds = seeds_or_skip()
    texts = {p.name: collapse(p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}
    rows = graph.sparql("""
        PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX bp: <https://w3id.org/bp-graph/ontology#>
        SELECT ?segment ?file ?exact ?prefix ?suffix WHERE {
          ?segment oa:hasSelector ?selector . ?selector oa:exact ?exact .
          OPTIONAL { ?segment oa:hasSource/bp:fileName ?file }
          OPTIONAL { ?selector oa:prefix ?prefix } OPTIONAL { ?selector oa:suffix ?suffix } }""").as_dicts()
    quotes = sum(len(list(rdflib.Graph().parse(path, format="turtle").objects(None, OA_EXACT))) for path in data_files())
    assert len(rows) == quotes > 0  # every quote is a segment's
    wrong = []
    for row in rows:
        exact = collapse(str(row["exact"]))
        anchored = collapse(f"{row['prefix'] or ''}{row['exact']}{row['suffix'] or ''}")
        text = texts.get(str(row["file"]), "")
        if not exact or exact not in text:
            wrong.append(f"{row['segment']}: not verbatim in {row['file']}: {exact[:80]!r}")
        elif text.count(anchored) != 1:
            wrong.append(f"{row['segment']}: found {text.count(anchored)} times in {row['file']}: {anchored[:80]!r}; "
                         "add the words just before it as oa:prefix (or after it as oa:suffix)")
    assert wrong == []


def test_the_library_knows_the_prefixes_the_curators_write_with() -> None:
    # CURATION.md's block is what every data file declares: queries, parameters and the published
    # files use the same names (goal:, part:), so that a name copied from a file works anywhere.
    from bp_graph.namespaces import DATA_PREFIXES, KNOWN_PREFIXES

    curation = (Path(__file__).parents[1] / "data" / "CURATION.md").read_text(encoding="utf-8")
    block = curation.split("## Prefixes (copy this block)", 1)[1].split("```turtle", 1)[1].split("```", 1)[0]
    declared = dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", block))
    assert len(declared) > 40
    assert {name: KNOWN_PREFIXES.get(name) for name in declared} == declared
    assert set(DATA_PREFIXES) <= set(declared)


def test_project_budgets_come_as_the_sources_write_them(graph) -> None:
    # The amount is a number; what the document printed ("~600.000 EUR") stays beside it, so that
    # an approximate budget is not read as an exact one.
    text = collapse(" ".join(p.read_text(encoding="utf-8") for p in seeds_or_skip().glob("*.txt")))
    budgets = [row for row in graph.query("projects").as_dicts() if row["budget"] is not None]
    assert budgets and all(row["budgetAsStated"] for row in budgets)
    amounts = [(row["project"], row["budget"], row["currency"], row["budgetQualifier"]) for row in budgets]
    assert len(amounts) == len(set(amounts))  # an amount two sources write differently is one row
    assert any("; " in str(row["budgetAsStated"]) for row in budgets)
    assert [row["budgetAsStated"] for row in budgets
            if any(stated not in text for stated in str(row["budgetAsStated"]).split("; "))] == []
    approximate = {str(row["budgetAsStated"]): row["budgetQualifier"] for row in budgets
                   if str(row["budgetAsStated"]).startswith("~")}
    assert approximate and set(approximate.values()) == {"approximately"}


def participant_list(document: str) -> tuple[str, str]:
    """The report's own list of participants: (states part, organisations part), from its text."""
    text = collapse((seeds_or_skip() / document).read_text(encoding="utf-8")).replace("**", "")
    start = text.index("participants from")
    dash = text.index("– ", start) + 2
    split = text.index("as well as", dash)
    end = text.index(").", split) + 1
    return text[dash:split], text[split + len("as well as"):end]


def leftover(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return re.sub(r"\b(and|the)\b|[\s,–-]", "", text)


@pytest.mark.parametrize("document", sorted(REPORTS))
def test_meeting_lists_reproduce_the_document(document: str, graph) -> None:
    meeting = REPORTS[document]
    states_text, organisations_text = participant_list(document)
    rows = graph.sparql(
        "SELECT ?agent ?name WHERE { ?p a <https://w3id.org/bp-graph/ontology#Participation> ; "
        f"<https://w3id.org/bp-graph/ontology#meeting> <{BASE}{meeting}> ; "
        "<https://w3id.org/bp-graph/ontology#participant> ?agent ; "
        "<https://w3id.org/bp-graph/ontology#nameAsListed> ?name }").as_dicts()
    listed = {str(r["agent"]): str(r["name"]) for r in rows}
    states = {str(r["state"]) for r in graph.query("meeting-states", meeting=meeting).as_dicts()}
    organisations = {str(r["organisation"]) for r in graph.query("meeting-organisations", meeting=meeting).as_dicts()}
    assert states and organisations
    state_names = {listed[s] for s in states}
    organisation_names = {listed[o] for o in organisations}
    # Each listed name occurs in its part of the document, and together they cover it.
    assert [n for n in state_names if n not in states_text] == []
    assert [n for n in organisation_names if n not in organisations_text] == []
    assert leftover(states_text, state_names) == ""
    assert leftover(organisations_text, organisation_names) == ""


def test_stated_figures_match_the_lists_or_the_discrepancy_is_noted(graph) -> None:
    meetings = graph.sparql(
        "SELECT DISTINCT ?m WHERE { ?m <https://w3id.org/bp-graph/ontology#statedCountryCount>"
        "|<https://w3id.org/bp-graph/ontology#statedCountryAndOrganisationCount> ?n }").as_dicts()
    assert len(meetings) >= 4
    unexplained = []
    for row in meetings:
        meeting = str(row["m"])
        figures = graph.query("meeting-figures", meeting=meeting).as_dicts()[0]
        counts_organisations = graph.sparql(
            f"ASK {{ <{meeting}> <https://w3id.org/bp-graph/ontology#statedCountryAndOrganisationCount> ?n }}").boolean
        listed = figures["listedStates"] + (figures["listedOrganisations"] if counts_organisations else 0)
        stated = figures["statedCountriesAndOrganisations" if counts_organisations else "statedCountries"]
        if listed == stated:
            continue
        noted = graph.sparql(f"ASK {{ <{meeting}> <http://www.w3.org/2004/02/skos/core#editorialNote> ?note }}").boolean
        if not noted:
            unexplained.append((meeting, stated, listed))
    assert unexplained == []


@pytest.mark.parametrize("meeting, stated", [("meeting/2019-10-09-skopje", 37), ("meeting/2019-12-04-istanbul", 37),
                                             ("meeting/2016-12-15-antalya", 22)])
def test_each_report_lists_as_many_states_as_it_states(meeting: str, stated: int, graph) -> None:
    # The stated figure is read from the graph; the expected number is the document's own words.
    figures = graph.query("meeting-figures", meeting=meeting).as_dicts()[0]
    assert figures["statedCountries"] == stated
    assert figures["listedStates"] == stated


def test_ohrid_counts_countries_and_organisations_together(graph) -> None:
    figures = graph.query("meeting-figures", meeting="meeting/2022-05-19-ohrid").as_dicts()[0]
    assert figures["statedCountriesAndOrganisations"] == 30 and figures["statedCountries"] is None
    assert figures["listedStates"] + figures["listedOrganisations"] == 30


def test_north_macedonia_attended_antalya_under_its_former_name(graph) -> None:
    meetings = {str(r["meeting"]) for r in graph.query("state-meetings", state="state:MKD").as_dicts()}
    assert BASE + "meeting/2016-12-15-antalya" in meetings
    names = {r["name"] for r in graph.query("state-names", state="state:MKD").as_dicts()}
    assert "the former Yugoslav Republic of Macedonia" in names and "North Macedonia" in names


def test_one_iri_for_turkey_whatever_the_name(graph) -> None:
    names = {r["name"] for r in graph.query("state-names", state="state:TUR").as_dicts()}
    assert {"Turkey", "Türkiye"} <= names
    assert graph.sparql("ASK { <https://w3id.org/bp-graph/state/TRK> ?p ?o }").boolean is False


def test_readme_coverage_table_is_up_to_date() -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "readme_tables.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_coverage_counts_what_the_closed_graph_holds(graph) -> None:
    """Each row of ``coverage`` against a count made in Python over the store's quads."""
    from collections import defaultdict

    import pyoxigraph as ox

    from bp_graph.namespaces import PREFIXES

    store = graph.engine.store
    by_source: dict[tuple[str, str], set[str]] = defaultdict(set)
    documented_in = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["bp"] + "documentedIn"), None):
        documented_in[quad.subject.value].add(quad.object.value)
    kinds = [PREFIXES["bp"] + k for k in ("Participation", "Intervention", "Outcome", "Decision", "Meeting",
                                          "WorkingGroup", "Membership", "Project")] + [PREFIXES["foaf"] + "Person"]
    for kind in kinds:
        for quad in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(kind)):
            for source in documented_in[quad.subject.value]:
                by_source[source, kind].add(quad.subject.value)
    for quad in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["oa"] + "hasSource"), None):
        by_source[quad.object.value, PREFIXES["bp"] + "Segment"].add(quad.subject.value)
    columns = {"participations": "Participation", "interventions": "Intervention", "outcomes": "Outcome",
               "decisions": "Decision", "meetings": "Meeting", "workingGroups": "WorkingGroup",
               "memberships": "Membership", "projects": "Project", "quotes": "Segment"}
    kind_of = {c: PREFIXES["bp"] + local for c, local in columns.items()} | {"people": PREFIXES["foaf"] + "Person"}
    rows = graph.query("coverage").as_dicts()
    assert len(rows) == 5
    for row in rows:
        assert {c: row[c] for c in kind_of} == {c: len(by_source[row["source"], k]) for c, k in kind_of.items()}


@pytest.mark.parametrize("state", ["state:TUR", "state:MKD", "state:USA", "state:KAZ", "state:HRV"])
def test_state_names_give_each_name_form_once_per_source_with_the_lists_of_members_and_hosts(state: str,
                                                                                             graph) -> None:
    rows = graph.query("state-names", state=state).as_dicts()
    pairs = [(r["name"], r["source"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    iri = "https://w3id.org/bp-graph/state/" + state.split(":")[1]
    listed = graph.sparql(
        "PREFIX bp: <https://w3id.org/bp-graph/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX org: <http://www.w3.org/ns/org#> "
        f"SELECT ?name ?source WHERE {{ ?entry org:member|bp:host <{iri}> ; bp:nameAsListed ?written ; "
        "prov:wasDerivedFrom/oa:hasSource ?source BIND(STR(?written) AS ?name) }").as_dicts()
    assert listed and {(r["name"], r["source"]) for r in listed} <= set(pairs)
    for r in rows:  # a span, never backwards
        assert (r["from"] is None) == (r["until"] is None)
        assert r["from"] is None or str(r["from"])[:4] <= str(r["until"])[:4]


def test_meeting_figures_of_a_meeting_the_graph_does_not_hold_are_no_row(graph) -> None:
    assert len(graph.query("meeting-figures", meeting="meeting/2019-10-09-skopje")) == 1
    assert len(graph.query("meeting-figures", meeting="meeting/2019-10-09-skopie")) == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_coverage_gives_a_document_nothing_was_derived_from_a_row_of_zeros(engine: str, tmp_path, graph) -> None:
    from bp_graph import KnowledgeGraph
    from bp_graph.resources import data_files

    extra = tmp_path / "quoted-only.ttl"
    extra.write_text("""
@prefix bp: <https://w3id.org/bp-graph/ontology#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/bp-graph/source/quoted-only> a bp:SourceDocument ; bp:fileName "99-quoted-only.md" ;
    rdfs:label "A document only quoted" .
<https://w3id.org/bp-graph/source/quoted-only#para-1> a bp:Segment ;
    oa:hasSource <https://w3id.org/bp-graph/source/quoted-only> .
""", encoding="utf-8")
    rows = KnowledgeGraph.open(files=[*data_files(), extra], engine=engine, persistent=False).query("coverage").as_dicts()
    assert [r["label"] for r in rows][-1] == "A document only quoted"
    assert {k: v for k, v in rows[-1].items() if k not in ("source", "label")} == {
        "participations": 0, "interventions": 0, "outcomes": 0, "decisions": 0, "people": 0, "meetings": 0,
        "workingGroups": 0, "memberships": 0, "projects": 0, "quotes": 1}
    assert [r for r in rows if r["label"] != "A document only quoted"] == graph.query("coverage").as_dicts()
