"""The catalogue: the public contract of names, parameters and columns; strict headers; typed parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bp_graph import BP, KnowledgeGraph, QueryParameterError, QuerySyntaxError, UnknownQuery, load_catalogue, validate
from bp_graph.catalogue import Parameter, parse_query_file

# Issue 5's table: names, parameters (required or optional) and result columns are a public contract.
CONTRACT = {
    "states": ({}, ["state", "label", "iso3"]),
    "organisations": ({}, ["organisation", "label", "acronym"]),
    "meetings": ({"kind": False, "year": False}, ["meeting", "label", "kind", "start", "end", "city", "country"]),
    "meeting-states": ({"meeting": True}, ["state", "label"]),
    "meeting-organisations": ({"meeting": True}, ["organisation", "label"]),
    "meeting-figures": ({"meeting": True}, ["statedParticipants", "statedCountries", "statedCountriesAndOrganisations",
                                             "listedStates", "listedOrganisations"]),
    "state-meetings": ({"state": True}, ["meeting", "label", "start"]),
    "common-states": ({"meeting": True, "other": True}, ["state", "label"]),
    "attendance-ranking": ({}, ["state", "label", "meetings"]),
    "state-names": ({"state": True}, ["name", "from", "until", "source"]),
    "priority-goals": ({"document": False}, ["goal", "number", "label", "document"]),
    "memberships": ({"role": True}, ["organization", "member", "start", "end", "attested"]),
    "meeting-interventions": ({"meeting": True}, ["intervention", "moment", "speaker", "actingFor", "role", "text"]),
    "meeting-outcomes": ({"meeting": True}, ["outcome", "kind", "decisionKind", "text", "proposer", "partOf", "goal", "group"]),
    "breakout-groups": ({"meeting": True}, ["group", "topic", "moderator", "outcomes"]),
    "chairs": ({}, ["body", "role", "holder", "start", "end", "attested"]),
    "working-groups": ({}, ["group", "label", "kind", "chair", "role", "start", "end", "attested"]),
    "ministerial-conferences": ({}, ["meeting", "label", "start", "city", "country", "statedCountries",
                                     "statedCountriesAndOrganisations", "planned"]),
    "projects": ({}, ["project", "label", "start", "end", "budget", "currency", "budgetAsStated", "budgetQualifier"]),
    "project-funders": ({"project": True}, ["funder", "label", "leadPartner"]),
    "people": ({}, ["person", "name", "role", "organisation"]),
    "provenance": ({"resource": True}, ["source", "locator", "quote"]),
    "search": ({"text": True}, ["resource", "label", "type"]),
    "coverage": ({}, ["source", "label", "participations", "interventions", "outcomes", "decisions", "people",
                      "meetings", "workingGroups", "memberships", "projects", "quotes"]),
}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_names_parameters_and_columns(name: str, graph) -> None:
    query = load_catalogue()[name]
    params, columns = CONTRACT[name]
    assert {p.name: p.required for p in query.params} == params
    values = {p.name: p.example for p in query.params if p.required}
    assert all(values.values()), f"{name}: every required parameter needs an example"
    assert list(graph.query(name, **values).variables) == columns


def test_each_class_a_parameter_expects_is_a_class_of_the_ontology_and_its_example_is_one(graph) -> None:
    """A class misspelt in a header would call every resource one of another kind."""
    from rdflib import OWL, RDF, Graph, URIRef

    from bp_graph.resources import resource_dir

    ontology = Graph()
    for path in resource_dir("ontology").glob("*.ttl"):  # bp.ttl, and the reused vocabularies' classes (org:Role)
        ontology.parse(path)
    declared = {p.name for query in load_catalogue().values() for p in query.params if p.classes}
    assert declared >= {"meeting", "state", "project"}
    for query in load_catalogue().values():
        for p in query.params:
            assert all((URIRef(c), RDF.type, OWL.Class) in ontology for c in p.classes), (query.name, p.classes)
        examples = {p.name: p.example for p in query.params}
        assert graph.mismatched_resources(query.name, **examples) == {}, query.name
        assert graph.unknown_resources(query.name, **examples) == {}, query.name


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ministerial_conferences_keep_each_stated_count_apart_and_say_which_was_planned(engine: str, graph,
                                                                                       rdflib_graph) -> None:
    kg = graph if engine == "oxigraph" else rdflib_graph
    rows = kg.query("ministerial-conferences").as_dicts()
    planned = {row["meeting"] for row in kg.query("planned-meetings").as_dicts()}
    stated = {(str(r[0].value), str(r[1].value).rsplit("#", 1)[1]): int(r[2].value) for r in graph.sparql(
        "SELECT ?m ?p ?n WHERE { ?m a bp:MinisterialConference ; ?p ?n "
        "VALUES ?p { bp:statedCountryCount bp:statedCountryAndOrganisationCount } }").rows}
    assert len(rows) >= 6 and any(row["planned"] for row in rows) and not all(row["planned"] for row in rows)
    for row in rows:
        meeting = str(row["meeting"])
        assert row["planned"] == (row["meeting"] in planned), meeting
        assert row["statedCountries"] == stated.get((meeting, "statedCountryCount")), meeting
        assert row["statedCountriesAndOrganisations"] == stated.get((meeting, "statedCountryAndOrganisationCount")), meeting


def test_a_path_missing_a_part_suggests_each_resource_with_all_its_words_first(graph) -> None:
    # "2019-istanbul": the 2019 meetings in Istanbul (the ministerial conference was left out for
    # 2013-istanbul and 2006-10-19-istanbul, nearer by characters)
    meant = {str(r[0].value) for r in graph.sparql(
        "SELECT ?m WHERE { ?m a bp:Meeting FILTER(CONTAINS(STR(?m), '/meeting/2019-') && "
        "STRENDS(STR(?m), '-istanbul')) }").rows}
    suggestions = graph.unknown_resources("common-states", meeting="meeting/2019-istanbul",
                                          other="meeting/2022-05-19-ohrid")["meeting"]
    assert len(meant) == 2 and {s.iri for s in suggestions[:2]} == meant


def test_suggestions_are_of_the_kind_the_parameter_expects(graph) -> None:
    # a class parameter (kind=bp:...) is compared with the ontology's classes, not with states and meetings
    assert [s.iri for s in graph.unknown_resources("meetings", kind="MinisterialConference")["kind"]] == [
        BP + "MinisterialConference"]
    assert graph.unknown_resources("meetings", kind="Ministerial")["kind"][0].iri == BP + "MinisterialConference"
    # a parameter of class bp:Meeting is offered meetings only (the Skopje report's outcomes came too)
    suggestions = graph.unknown_resources("meeting-states", meeting="2019-10-09-skopj")["meeting"]
    assert suggestions and all(graph.mismatched_resources("meeting-states", meeting=s.iri) == {} for s in suggestions)
    assert suggestions[0].iri.endswith("/meeting/2019-10-09-skopje")


def test_a_name_in_the_wrong_folder_suggests_the_resource_it_names(graph) -> None:
    suggestions = graph.unknown_resources("state-names", state="state/IOM")["state"]
    assert suggestions[0].iri == "https://w3id.org/bp-graph/organisation/iom"  # not the Isle of Man
    report = validate(b"""@prefix bp: <https://w3id.org/bp-graph/ontology#> .
        <https://w3id.org/bp-graph/participation/2019-10-09-skopje/icmpd-observer> a bp:Participation ;
            <http://www.w3.org/2000/01/rdf-schema#label> "ICMPD observing the Skopje joint meeting 2019"@en ;
            bp:participant <https://w3id.org/bp-graph/state/ICMPD> ;
            bp:meeting <https://w3id.org/bp-graph/meeting/2019-10-09-skopje> .""")
    unknown = [f for f in report.findings if f.value and f.value.value == "https://w3id.org/bp-graph/state/ICMPD"
               and f.suggestions]
    assert unknown and [s.iri for s in unknown[0].suggestions][:1] == ["https://w3id.org/bp-graph/organisation/icmpd"]


def test_a_resource_of_another_kind_is_named_with_its_own_classes(graph, rdflib_graph) -> None:
    unreasoned = KnowledgeGraph.open(reasoning=False)  # the subclass path, not the closure's types
    for kg in (graph, rdflib_graph, unreasoned):
        assert kg.mismatched_resources("common-states", meeting="state/MKD", other="organisation/eeas") == {
            "meeting": (BP + "State",), "other": (BP + "EUInstitution",)}
        assert kg.mismatched_resources("state-names", state="organisation/eeas") == {}  # an agent, as it expects
        assert kg.mismatched_resources("meeting-states", meeting="meeting/1991-nowhere") == {}  # no classes: unknown


def test_meetings_of_kind_bp_meeting_are_all_meetings_and_a_subclass_narrows_them(graph) -> None:
    """kind=bp:Meeting answered nothing: the query matched proper subclasses only."""
    every = graph.query("meetings").as_dicts()
    assert graph.query("meetings", kind="bp:Meeting").as_dicts() == every and len(every) > 20
    joint = graph.query("meetings", kind="bp:JointMeeting").as_dicts()
    assert 0 < len(joint) < len(every) and {r["kind"] for r in joint} == {"Joint Meeting"}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_meetings_of_a_year_are_those_whose_start_date_of_any_precision_falls_in_it(engine: str, graph,
                                                                                   rdflib_graph) -> None:
    kg = graph if engine == "oxigraph" else rdflib_graph
    every = kg.query("meetings").as_dicts()
    precisions = {len(str(row["start"])) for row in every if row["start"] is not None}
    assert precisions >= {4, 7, 10}  # xsd:gYear, xsd:gYearMonth and xsd:date starts
    for year in (1991, 2016, 2019, 201, 1):
        meant = [row for row in every if row["start"] is not None and str(row["start"]).split("-")[0] == str(year)]
        assert kg.query("meetings", year=year).as_dicts() == meant, year
        assert bool(meant) == (year > 999), year


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_meeting_outcomes_tell_proposals_from_decisions_and_points_from_sub_points_in_the_sources_order(
        engine: str, graph, rdflib_graph) -> None:
    kg = graph if engine == "oxigraph" else rdflib_graph
    rows = kg.query("meeting-outcomes", meeting="meeting/2016-12-15-antalya").as_dicts()
    facts = {(str(r[0].value), str(r[1].value).rsplit("#", 1)[1]): str(r[2].value) for r in graph.sparql(
        "SELECT ?o ?p ?v WHERE { ?o bp:meeting <https://w3id.org/bp-graph/meeting/2016-12-15-antalya> ; ?p ?x "
        "VALUES ?p { bp:decisionKind bp:subPointOf bp:proposedBy } OPTIONAL { ?x skos:prefLabel ?label FILTER(?p = bp:decisionKind) } "
        "BIND(COALESCE(?label, ?x) AS ?v) }").rows}
    kinds = {row["decisionKind"] for row in rows}
    assert {"proposed", "agreed", "accepted"} <= kinds and None in kinds  # None: not a decision
    for row in rows:
        outcome = str(row["outcome"])
        for column, prop in (("decisionKind", "decisionKind"), ("partOf", "subPointOf"), ("proposer", "proposedBy")):
            assert (None if row[column] is None else str(row[column])) == facts.get((outcome, prop)), (outcome, column)
    assert any(row["partOf"] for row in rows) and any(row["proposer"] for row in rows)
    paragraphs = set()
    for meeting in ("meeting/2019-10-09-skopje", "meeting/2016-12-15-antalya"):  # paragraph 3 before 11
        names = [str(row["outcome"]).rsplit("/", 1)[1] for row in kg.query("meeting-outcomes", meeting=meeting).as_dicts()]
        keys = [(int(name.split("-")[0]), name) for name in names]
        assert keys == sorted(keys) and len(set(names)) > 20, meeting
        paragraphs |= {key[0] for key in keys}
    assert {3, 11} <= paragraphs


def test_meeting_interventions_name_each_speaker_in_the_order_of_the_report(graph) -> None:
    for meeting in ("meeting/2019-12-04-istanbul", "meeting/2016-12-15-antalya"):
        rows = graph.query("meeting-interventions", meeting=meeting).as_dicts()
        facts: dict[str, tuple[str, int]] = {}
        for i, speaker, locator in graph.sparql(
                f"SELECT ?i ?speaker ?locator WHERE {{ ?i bp:meeting <https://w3id.org/bp-graph/{meeting}> ; "
                "a bp:Intervention ; bp:speaker ?speaker ; prov:wasDerivedFrom/bp:locator ?locator }").rows:
            paragraph = int(re.match(r"para (\d+)", str(locator.value)).group(1))  # "para 4.ii, Pakistan": 4
            facts[str(i.value)] = (str(speaker.value), min(paragraph, facts.get(str(i.value), ("", paragraph))[1]))
        assert {str(row["intervention"]) for row in rows} == set(facts) and len(rows) == len(facts) > 20, meeting
        assert all(str(row["speaker"]) == facts[str(row["intervention"])][0] for row in rows)
        paragraphs = [facts[str(row["intervention"])][1] for row in rows]
        assert paragraphs == sorted(paragraphs) and paragraphs[0] < paragraphs[-1], meeting
        assert {row["moment"] for row in rows} >= {"opening statement", "presentation", "plenary comment"}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_memberships_of_a_role_are_those_the_sources_state(engine: str, graph, rdflib_graph) -> None:
    kg = graph if engine == "oxigraph" else rdflib_graph
    for role in ("role/participating-state", "role/funder", "role/staff"):
        rows = kg.query("memberships", role=role).as_dicts()
        stated = {(str(r[0].value), str(r[1].value)) for r in graph.sparql(
            f"SELECT ?o ?m WHERE {{ ?x a bp:Membership ; org:role <https://w3id.org/bp-graph/{role}> ; "
            "org:organization ?o ; org:member ?m }").rows}
        assert {(str(row["organization"]), str(row["member"])) for row in rows} == stated and stated, role
    states = {str(row["member"]) for row in kg.query("memberships", role="role/participating-state").as_dicts()}
    assert len(states) == 23 and all("/state/" in s for s in states)  # the booklet's list


def test_every_query_is_documented() -> None:
    for query in load_catalogue().values():
        assert query.summary and query.tags, query.name
        for p in query.params:
            assert p.description and p.example, f"{query.name}: parameter {p.name}"


def _order_of(text: str) -> str:
    """'ordered' when the query's rows come in an ORDER BY order, 'one row' for an aggregate without
    GROUP BY, else the name of the first operator that decides the order."""
    from rdflib.plugins.sparql import prepareQuery

    node = prepareQuery(text).algebra.p
    while node.name in ("Slice", "Distinct", "Reduced", "Project", "Extend"):
        node = node.p
    if node.name == "OrderBy":
        return "ordered"
    if node.name == "AggregateJoin" and node.p.get("expr") is None:
        return "one row"
    return node.name


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_every_query_orders_its_rows_so_that_pages_are_slices_of_one_order(name: str) -> None:
    # /api/{name}?limit=&offset= pages the rows; an unordered answer has no "next page".
    assert _order_of(load_catalogue()[name].text) in ("ordered", "one row")


def test_the_order_check_tells_unordered_queries_apart() -> None:
    assert _order_of("SELECT ?s WHERE { ?s ?p ?o }") == "BGP"
    assert _order_of("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == "one row"
    assert _order_of("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s") == "AggregateJoin"
    assert _order_of("SELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3") == "ordered"


def test_the_catalogue_answers_in_and_get_for_unknown_names_without_raising() -> None:
    catalogue = load_catalogue()
    assert "meetings" in catalogue and "meetinsg" not in catalogue and 42 not in catalogue
    assert catalogue.get("meetinsg") is None and catalogue.get("meetings") is catalogue["meetings"]


def test_unknown_query_suggests_the_closest_names() -> None:
    with pytest.raises(UnknownQuery, match="did you mean 'meeting-states'"):
        load_catalogue()["meeting-state"]


PLAIN = "SELECT ?s WHERE { ?s ?p ?o }\n"


@pytest.mark.parametrize("header, body, message", [
    ("#+ summary: [unclosed\n", PLAIN, "bad YAML"),
    ("#+ tags: [x]\n", PLAIN, "summary"),
    ("#+ summary: s\n#+ colour: red\n", PLAIN, "unknown header keys"),
    ("#+ summary: s\n#+ params:\n#+   x: {type: colour}\n", PLAIN, "needs a 'type'"),
    ("#+ summary: s\n#+ params:\n#+   nothere: {type: iri}\n", PLAIN, "does not use"),
    ("#+ summary: s\n#+ params:\n#+   s: {type: iri}\n", "SELECT ?s WHERE { ?s ?p ?o FILTER(BOUND(?s)) }\n", "BOUND"),
    ("#+ summary: s\n#+ params:\n#+   limit: {type: integer, variable: s}\n", PLAIN, "'limit' is reserved"),
    ("#+ summary: s\n#+ params:\n#+   format: {type: string, variable: s}\n", PLAIN, "'format' is reserved"),
    ("#+ summary: s\n#+ params:\n#+   o: {type: iri}\n", "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }\n",
     r"\?o, bound at the top of the WHERE clause, does not reach every use"),
    ("#+ summary: s\n#+ params:\n#+   v: {type: integer}\n",
     "SELECT ?s WHERE { ?s ?p ?o { ?s ?q ?n FILTER(?n > ?v) } }\n", r"\?v, bound at the top"),
    ("#+ summary: s\n#+ params:\n#+   o: {type: iri}\n", "SELECT ?s WHERE { ?s ?p ?o FILTER(isTRIPLE(?o)) }\n",
     "rdflib cannot parse the query.*must parse on every engine"),
    ("#+ summary: s\n#+ params:\n#+   o: {type: string, class: bp:Meeting}\n", PLAIN,
     "'class' is for IRI parameters, and its type is 'string'"),
    ("#+ summary: s\n#+ params:\n#+   o: {type: iri, class: pb:Meeting}\n", PLAIN,
     "class 'pb:Meeting' is not a prefixed name of a known prefix"),
    ("#+ summary: s\n#+ params:\n#+   o: {type: iri, class: [bp:Meeting, 5]}\n", PLAIN,
     "'class' must be a prefixed name or a list of them"),
    ("#+ summary: s\n#+ reasoning: yes\n", PLAIN, "'reasoning' can only be 'required'"),
])
def test_bad_headers_are_errors_naming_the_file(tmp_path: Path, header: str, body: str, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(header + body)
    with pytest.raises(QuerySyntaxError, match=message) as info:
        parse_query_file(path)
    assert str(path) in str(info.value)


def test_a_parameter_used_on_the_right_of_a_top_level_minus_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "minus.rq"
    path.write_text("#+ summary: s\n#+ params:\n#+   p: {type: iri}\nSELECT ?s WHERE { ?s a ?o MINUS { ?s ?p 1 } }\n")
    assert [p.name for p in parse_query_file(path).params] == ["p"]


def test_a_query_file_saved_with_a_byte_order_mark_keeps_its_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.rq"
    path.write_bytes("\ufeff#+ summary: s\nSELECT ?s WHERE { ?s ?p ?o }\n".encode())
    assert parse_query_file(path).summary == "s"


def test_unparseable_query_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: broken\nSELECT ?s WHERE { ?s ?p }\n")
    with pytest.raises(QuerySyntaxError, match="broken.rq: the query does not parse"):
        parse_query_file(path)


@pytest.mark.parametrize("query, place, message", [
    # Oxigraph's "expected one of ... Prefix not found, ['%'], ['-' | '0' ..= '9' | '\u{00B7}' ..." (ten lines)
    ("SELECT ?s WHERE { ?s foo:p ?o }", (1, 22), "unknown prefix 'foo:'; declare it: PREFIX foo: <...>"),
    ('SELECT ?s WHERE { ?s ?p "x }', (1, 29), 'expected one of "\\"", "\\\\", "\\\\U", "\\\\u"'),
    ("ASK { ?s ?p ?o ", (1, 16), 'expected one of ",", ".", ";", "{", "{|", "}", "~"'),  # the "," token kept whole
    # a U+2028 in a comment is no line break to Oxigraph (nor to the place an error points at)
    ("# a\u2028ab:c\nASK { ?s foo:p ?o }", (2, 10), "unknown prefix 'foo:'; declare it: PREFIX foo: <...>"),
])
def test_query_syntax_errors_are_readable(graph: KnowledgeGraph, tmp_path: Path, query: str, place: tuple[int, int],
                                          message: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        graph.sparql(query)
    assert str(info.value) == f"error at {place[0]}:{place[1]}: {message}"
    path = tmp_path / "broken.rq"
    path.write_text(f"#+ summary: broken\n{query}", encoding="utf-8")
    with pytest.raises(QuerySyntaxError) as info:
        parse_query_file(path)
    assert str(info.value) == f"{path}: the query does not parse: error at {place[0] + 1}:{place[1]}: {message}"


def test_a_query_file_declares_even_the_project_prefixes(graph: KnowledgeGraph, tmp_path: Path) -> None:
    # Ad-hoc SPARQL may leave them out; a catalogue file is published and sent to endpoints as written.
    query = "SELECT ?s WHERE {\n ?s schema:name ?o }"
    assert graph.sparql(query).rows
    path = tmp_path / "broken.rq"
    path.write_text(f"#+ summary: broken\n{query}", encoding="utf-8")
    with pytest.raises(QuerySyntaxError) as info:
        parse_query_file(path)
    assert str(info.value) == (f"{path}: the query does not parse: error at 3:5: "
                               "unknown prefix 'schema:'; declare it: PREFIX schema: <https://schema.org/>")


@pytest.mark.parametrize("param, value, message", [
    (Parameter("state", "iri"), "<http://a> } ; DROP ALL ; {", "not an IRI"),
    (Parameter("state", "iri"), "state/T UR", "not an IRI"),
    # what Oxigraph's IRI parser refuses never reaches a query: the error names the parameter
    (Parameter("state", "iri"), "http://e.org/a%zz", "parameter 'state': not a valid IRI .*percent"),
    (Parameter("state", "iri"), "state/M\x01KD", "parameter 'state': not a valid IRI"),
    (Parameter("state", "iri"), "sate:MKD", "unknown prefix 'sate'; did you mean 'state'"),
    # an unknown prefix with no close one was taken as an IRI of scheme foo, and matched nothing
    (Parameter("state", "iri"), "foo:bar", "unknown prefix 'foo' \\(known: .*\\); .* angle brackets, <foo:bar>"),
    (Parameter("state", "iri"), "<state/TUR>", "not a valid IRI"),  # brackets hold a full IRI, not a path
    (Parameter("text", "string"), "Mac\udcff", "not valid Unicode text"),
    (Parameter("state", "iri"), "state/\udcffTUR", "not valid Unicode text"),
    (Parameter("year", "integer"), "2019; DROP", "not an integer"),
    (Parameter("day", "date"), "2019-13-01", "not a date"),
    (Parameter("flag", "boolean"), "maybe", "not a boolean"),
    (Parameter("text", "string"), "x" * 1001, "longer than"),
])
def test_ill_typed_parameters_are_refused(param: Parameter, value: str, message: str) -> None:
    with pytest.raises(QueryParameterError, match=message):
        param.to_term(value)


@pytest.mark.parametrize("value", ["urn:isbn:0451450523", "http://example.org/a%20b", "state:TUR", "state/TUR",
                                   "mailto:secretariat@example.org", "https://w3id.org/bp-graph/state/MKD",
                                   "<foo:bar>", "meeting/2019:x"])
def test_well_formed_iris_are_accepted(value: str) -> None:
    assert Parameter("state", "iri").to_term(value).kind == "uri"


def test_parameter_forms_expand_to_the_same_iri() -> None:
    p = Parameter("state", "iri")
    assert {p.to_term(v).value for v in ("state/MKD", "state:MKD", "https://w3id.org/bp-graph/state/MKD")} == {
        "https://w3id.org/bp-graph/state/MKD"}


def test_missing_and_unknown_parameters() -> None:
    query = load_catalogue()["meeting-states"]
    # said to Python and HTTP callers too: no command-line syntax (-p) in it
    with pytest.raises(QueryParameterError, match=r"needs parameter 'meeting' \(the meeting\), "
                                                  r"for example meeting=meeting/2019-10-09-skopje$"):
        query.bind({})
    with pytest.raises(QueryParameterError, match="did you mean 'meeting'"):
        query.bind({"meting": "meeting/2019-10-09-skopje"})


def test_a_folder_of_ones_own_queries_is_held_to_the_same_rules(tmp_path: Path) -> None:
    from bp_graph import ResourceNotFound

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "count.rq").write_text("#+ summary: How many triples\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    assert list(load_catalogue(str(folder))) == ["count"]  # a str is a path too
    bad = {"service.rq": ("#+ summary: Elsewhere\nSELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }\n",
                          "SERVICE is not allowed"),
           "listed.rq": ("#+ summary: Listed params\n#+ params: [state]\nSELECT * WHERE { ?state ?p ?o }\n",
                         "'params' must be a mapping"),
           "tagged.rq": ("#+ summary: One tag\n#+ tags: quality\nSELECT * WHERE { ?s ?p ?o }\n", "'tags' must be a list")}
    for name, (text, message) in bad.items():
        (folder / name).write_text(text)
        with pytest.raises(QuerySyntaxError, match=f"{name}: .*{message}"):
            load_catalogue(folder)
        (folder / name).unlink()
    (folder / "latin1.rq").write_bytes(b"#+ summary: caf\xe9\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QuerySyntaxError, match="latin1.rq: not UTF-8 text"):
        load_catalogue(folder)
    with pytest.raises(ResourceNotFound, match="no such folder"):
        load_catalogue(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ResourceNotFound, match="no .rq query files"):
        load_catalogue(tmp_path / "empty")


def test_a_graph_reads_a_query_file_once(monkeypatch) -> None:
    import bp_graph.graph
    from bp_graph import KnowledgeGraph

    reads: list[str] = []
    real = bp_graph.graph.load_named_query

    def counting(name: str) -> object:
        reads.append(name)
        return real(name)

    monkeypatch.setattr(bp_graph.graph, "load_named_query", counting)
    kg = KnowledgeGraph.open()
    first = kg.query("states")
    assert kg.query("states").rows == first.rows and reads == ["states"]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_provenance_lists_locators_in_reading_order(engine: str, graph, rdflib_graph) -> None:
    # The order the site's pages use (pages.reading_order), so that query and page agree.
    from bp_graph.pages import reading_order

    kg = graph if engine == "oxigraph" else rdflib_graph
    rows = kg.query("provenance", resource="meeting/2019-10-09-skopje").as_dicts()
    sources = list(dict.fromkeys(row["source"] for row in rows))
    for source in sources:
        locators = [row["locator"] for row in rows if row["source"] == source]
        assert locators == sorted(locators, key=reading_order), source
    skopje = [row["locator"] for row in rows if row["source"].endswith("skopje-2019")]
    assert skopje.index("para 2") < skopje.index("para 11")  # text order would put 11 first
    assert [row["source"] for row in rows] == sorted((row["source"] for row in rows), key=sources.index)
    several = list(dict.fromkeys(row["source"] for row in kg.query("provenance", resource="organisation/icmpd").as_dicts()))
    assert len(several) >= 2 and several == sorted(several)  # ORDER BY the source IRI, then the locator


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_provenance_of_reference_data_names_its_register(engine: str, graph, rdflib_graph) -> None:
    # A state generated from ISO 3166 has no quoted passage; its register is where it comes from.
    import rdflib
    from rdflib.namespace import DCTERMS

    states = rdflib.Graph().parse(Path(__file__).parents[1] / "data" / "reference" / "states.ttl")
    turkey = rdflib.URIRef("https://w3id.org/bp-graph/state/TUR")
    kg = graph if engine == "oxigraph" else rdflib_graph
    rows = kg.query("provenance", resource="state/TUR").as_dicts()
    assert rows == [{"source": str(s), "locator": None, "quote": None} for s in states.objects(turkey, DCTERMS.source)]
    quoted = kg.query("provenance", resource="organisation/icmpd").as_dicts()
    assert quoted and all(row["locator"] and row["quote"] for row in quoted)  # documents keep their passages
