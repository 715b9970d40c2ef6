"""The ``bp-graph`` command line. Errors become one line on stderr and a non-zero exit code."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Sequence

from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import BPGraphError, EndpointError, QueryParameterError, QuerySyntaxError, UnknownQuery, UnsafeQueryError
from .results import GraphResult, QueryResult

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

SELECT_FORMATS = ("table", "json", "xml", "csv", "tsv")  # xml: SPARQL results XML; for a graph, RDF/XML
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples", "xml")
EXIT_USAGE, EXIT_ENDPOINT = 2, 3

engine_option = click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
                             show_default=True, help="Embedded engine to run on.")
endpoint_option = click.option("--endpoint", metavar="URL", help="Run on this SPARQL 1.1 query endpoint instead.")
reasoning_option = click.option("--no-reasoning", is_flag=True, help="Query the asserted triples only (no OWL RL closure).")


def _seconds(_ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A time limit: a positive, finite number of seconds (NaN passes click's FloatRange)."""
    if not (0 < value <= 86_400):  # also false for NaN
        raise click.BadParameter(f"{value} is not a time limit: give a number of seconds above 0 (at most 86400)",
                                 param=param)
    return value


timeout_option = click.option("--timeout", type=float, default=30.0, show_default=True, callback=_seconds,
                              help="Seconds to wait for a remote endpoint.")
format_option = click.option("--format", "fmt", type=click.Choice(list(dict.fromkeys(SELECT_FORMATS + GRAPH_FORMATS))),
                             default=None, help="Output format (default: table, or turtle for CONSTRUCT/DESCRIBE; "
                                                "xml is SPARQL results XML, or RDF/XML for a graph).")


data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=str), default=None, envvar="BP_GRAPH_DATA_DIR",
    show_envvar=True, help="The data folder to read (and, for submit, to write into): a checkout's data/ with the "
                           "submissions accepted there; default: the packaged data.")


def _graph(engine: str, endpoint: str | None, no_reasoning: bool, timeout: float, data_dir: str | None) -> Any:
    from .graph import KnowledgeGraph

    # in_memory=False: a command runs a query or two, for which opening the disk store is cheaper
    # an endpoint holds its own data: BP_GRAPH_DATA_DIR, set for the embedded graph, is not read
    return KnowledgeGraph.open(engine="remote" if endpoint else engine,  # type: ignore[arg-type]
                               endpoint=endpoint, reasoning=not no_reasoning, timeout=timeout, in_memory=False,
                               data_dir=None if endpoint else data_dir)


def _emit(answer: QueryResult | GraphResult, fmt: str | None) -> None:
    if isinstance(answer, GraphResult):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise QueryParameterError(f"--format {fmt} is for SELECT/ASK results; use one of {', '.join(GRAPH_FORMATS)}")
        click.echo(answer.serialize(fmt), nl=False)  # type: ignore[arg-type]
        return
    fmt = fmt or "table"
    if fmt not in SELECT_FORMATS:
        raise QueryParameterError(f"--format {fmt} is for CONSTRUCT/DESCRIBE results; use one of {', '.join(SELECT_FORMATS)}")
    try:
        text = answer.serialize(fmt)  # type: ignore[arg-type]
    except ValueError as exc:  # a value XML cannot carry
        raise QueryParameterError(f"--format xml: {exc}") from None
    click.echo(text, nl=fmt in ("json", "xml"))


def _complete_parameters(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """``name=`` for each parameter of the query named on the line, then its example as the value."""
    from .catalogue import load_catalogue

    # before "-p" is complete, click leaves the query's name among the unparsed arguments
    named = load_catalogue().get(str(ctx.params.get("name") or next(iter(ctx.args), "")))
    if named is None:
        return []
    key, sep, _ = incomplete.partition("=")
    if sep:
        return [f"{p.name}={p.example}" for p in named.params if p.name == key and p.example]
    return [f"{p.name}=" for p in named.params if p.name.startswith(incomplete)]


def _complete_query_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .catalogue import load_catalogue

    return [name for name in load_catalogue() if name.startswith(incomplete)]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bp-graph")
def cli() -> None:
    """The Budapest Process knowledge graph: named queries, validation and publishing.

    \b
    Examples:
      bp-graph queries
      bp-graph query meetings --format csv
      bp-graph query meeting-states -p meeting=meeting/2019-10-09-skopje
      bp-graph query state-meetings -p state=state:MKD --engine rdflib
    """


@cli.command("queries")
@click.argument("names", nargs=-1, shell_complete=_complete_query_names)
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def queries_command(names: tuple[str, ...], as_json: bool) -> None:
    """List the named queries with their summaries and parameters; with NAMES, those queries with
    their descriptions (what each column means) and an example command.

    \b
    Examples:
      bp-graph queries
      bp-graph queries chairs coverage
      bp-graph queries --json
    """
    from .catalogue import load_catalogue

    catalogue = load_catalogue()
    chosen = [catalogue[n] for n in (names or catalogue)]  # an unknown name: UnknownQuery, "did you mean"
    if as_json:
        click.echo(json.dumps([{"name": q.name, "summary": q.summary, "description": q.description,
                                "tags": list(q.tags), "needs_reasoning": q.needs_reasoning,
                                "params": [{"name": p.name, "type": p.type, "required": p.required,
                                            "description": p.description, "example": p.example,
                                            "class": list(p.class_names)} for p in q.params]}
                               for q in chosen], indent=2))
        return
    for query in chosen:
        click.echo(f"{click.style(query.name, bold=True)}  {query.summary}")
        if names:
            for paragraph in query.description.split("\n\n") if query.description else ():
                click.echo(textwrap.fill(paragraph, width=100, initial_indent="    ", subsequent_indent="    "))
            if query.needs_reasoning:
                click.echo("    Needs the OWL RL closure (the default): with --no-reasoning some columns are empty or zero.")
            example = " ".join(f"-p {p.name}={p.example}" for p in query.params if p.required and p.example)
            click.echo(f"    e.g. bp-graph query {query.name}{' ' + example if example else ''}")
        for p in query.params:
            need = "required" if p.required else "optional"
            kind = f" ({p.expects})" if p.classes else ""
            click.echo(f"    -p {p.name}=<{p.type}>  ({need}) {p.description}{kind}"
                       + (f"  e.g. {p.example}" if p.example else ""))


@cli.command("query")
@click.argument("name", shell_complete=_complete_query_names)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", shell_complete=_complete_parameters,
              help="A query parameter; repeat for several. IRIs may be full, prefixed (state:TUR) or relative (state/TUR).")
@format_option
@engine_option
@endpoint_option
@reasoning_option
@timeout_option
@data_dir_option
def query_command(name: str, params: tuple[str, ...], fmt: str | None, engine: str, endpoint: str | None,
                  no_reasoning: bool, timeout: float, data_dir: str | None) -> None:
    """Run the named query NAME.

    \b
    Examples:
      bp-graph query states
      bp-graph query meetings -p year=2019 --format json
      bp-graph query meeting-figures -p meeting=meeting/2016-12-15-antalya
      bp-graph query search -p text=Macedonia --engine rdflib
      bp-graph query chairs --endpoint http://127.0.0.1:7878/query
    """
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryParameterError(f"-p {item!r}: write parameters as KEY=VALUE")
        if key.strip() in values:
            raise QueryParameterError(f"parameter {key.strip()!r} given twice; give each parameter once")
        values[key.strip()] = value
    from .catalogue import load_catalogue

    named = load_catalogue()[name]
    named.bind(values)  # fail on bad names and parameters before loading the graph
    kg = _graph(engine, endpoint, no_reasoning, timeout, data_dir)
    answer = kg.query(name, **values)
    _emit(answer, fmt)
    # why it may be empty (a typo, most often), or partial: the exit code stays the answer's, 0
    try:
        empty = isinstance(answer, QueryResult) and not answer.rows and not answer.boolean
        for note in kg.answer_notes(name, values, empty=empty):
            click.echo(f"note: {note}", err=True)
    except BPGraphError:  # a side note: the answer was printed, and the exit code is the answer's
        pass


@cli.command("sparql")
@click.argument("source", type=click.File("rb"))
@format_option
@engine_option
@endpoint_option
@reasoning_option
@timeout_option
@data_dir_option
def sparql_command(source: Any, fmt: str | None, engine: str, endpoint: str | None, no_reasoning: bool,
                   timeout: float, data_dir: str | None) -> None:
    """Run the SPARQL query in file SOURCE ('-' reads standard input).

    The query must be read-only and may not use SERVICE, FROM or LOAD. The
    vocabularies' prefixes (bp:, rdf:, rdfs:, owl:, xsd:, skos:, org:, prov:, schema:, foaf:,
    oa:, time:, dcterms:, sh:) and the data's (state:, orgn:, mtg:, src:, city:, body:, dlg:,
    doc:, prj:, ins:, person:, role:, dk:, ik:, nk:, ck:, wgk:, goal:, gs:, part:, mem:, iv:,
    out:, name:, fig:, host:, phase:, focus:, fmt:, chr:, cmp:) need no PREFIX line.

    \b
    Examples:
      bp-graph sparql my-query.rq --format csv
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | bp-graph sparql -
    """
    from .safety import MAX_QUERY_LENGTH

    name = getattr(source, "name", "-")
    data = source.read(4 * MAX_QUERY_LENGTH + 1)  # at most 4 bytes a character: never more than the limit allows
    if len(data) > 4 * MAX_QUERY_LENGTH:
        raise UnsafeQueryError(f"{name}: query longer than {MAX_QUERY_LENGTH} characters")
    try:
        text = data.decode("utf-8-sig")  # a byte order mark is no SPARQL
    except UnicodeDecodeError as exc:
        raise QuerySyntaxError(f"{name}: not UTF-8 text (byte {exc.start + 1}); re-encode the query as UTF-8") from None
    try:
        answer = _graph(engine, endpoint, no_reasoning, timeout, data_dir).sparql(text)
    except (QuerySyntaxError, UnsafeQueryError) as exc:
        raise type(exc)(f"{name}: {exc}") from None
    _emit(answer, fmt)


@cli.command("info")
@engine_option
@reasoning_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@data_dir_option
def info_command(engine: str, no_reasoning: bool, as_json: bool, data_dir: str | None) -> None:
    """Version, triples per named graph and instances per class.

    \b
    Examples:
      bp-graph info
      bp-graph info --no-reasoning --json
    """
    info = _graph(engine, None, no_reasoning, 30.0, data_dir).info()
    info["version"] = __version__
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"bp-graph {__version__}  engine={info['engine']}  reasoning={info['reasoning']}")
    in_graphs = sum(info["graphs"].values())
    click.echo(f"{info['triples']} triples" + (f" ({in_graphs} in the named graphs below: "
                                               f"{in_graphs - info['triples']} stated in more than one)"
                                               if in_graphs != info["triples"] else ""))
    for graph, count in info["graphs"].items():
        click.echo(f"  {count:>7}  {graph}")
    click.echo("instances per class:")
    for cls, count in info["classes"].items():
        click.echo(f"  {count:>7}  {cls}")


@cli.command("picture")
@click.argument("kind", type=click.Choice(["timeline", "attendance"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Write the SVG to this file (default: standard output).")
@reasoning_option
@data_dir_option
def picture_command(kind: str, output: str | None, no_reasoning: bool, data_dir: str | None) -> None:
    """Draw the meetings on a timeline, or the states listed at each meeting (attendance), as SVG.

    The pictures are computed from the named queries (meetings, planned-meetings,
    attendance-ranking, meeting-states), as on the published site's home page.

    \b
    Examples:
      bp-graph picture timeline -o timeline.svg
      bp-graph picture attendance > attendance.svg
    """
    from .pictures import attendance_matrix, attendance_svg, timeline_meetings, timeline_svg

    kg = _graph("oxigraph", None, no_reasoning, 30.0, data_dir)
    svg = timeline_svg(timeline_meetings(kg)) if kind == "timeline" else attendance_svg(attendance_matrix(kg))
    if output is None:
        click.echo(svg, nl=False)
        return
    from pathlib import Path

    try:
        Path(output).write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise BPGraphError(f"{output}: cannot write the picture ({exc.strerror or exc})") from None
    click.echo(f"wrote the {kind} to {output}", err=True)


@cli.command("load-endpoint")
@click.argument("url")
@click.option("--default-graph", is_flag=True,
              help="Put everything into the default graph (for stores without a union default graph).")
@reasoning_option
@timeout_option
@data_dir_option
def load_endpoint_command(url: str, default_graph: bool, no_reasoning: bool, timeout: float,
                          data_dir: str | None) -> None:
    """Push the graph to a SPARQL 1.1 Graph Store Protocol endpoint URL (one named graph per file).

    Each named graph replaces the endpoint's graph of the same name. Run queries there with
    --endpoint; the endpoint should use the union of its graphs as the default graph
    (Oxigraph: 'oxigraph serve --union-default-graph'), or load with --default-graph.

    \b
    Examples:
      bp-graph load-endpoint http://127.0.0.1:7878/store
      bp-graph query states --endpoint http://127.0.0.1:7878/query
    """
    graph = _graph("oxigraph", None, no_reasoning, timeout, data_dir)
    sent = graph.push_to(url, default_graph=default_graph, timeout=timeout)
    click.echo(f"sent {len(graph.sources) + (0 if no_reasoning else 1)} graphs ({sent} bytes) to {url}", err=True)


@cli.command("publish")
@click.argument("out", type=click.Path(file_okay=False, path_type=str))
@click.option("--site-url", default=None, metavar="URL",
              help="Where the site will be hosted (the w3id.org redirect rules, robots.txt and the sitemap point "
                   "there); default: https://bp-graph.example.org/, a reserved example host, for a site read "
                   "locally (its pages link relatively and work from any folder).")
@click.option("--endpoint", "public_endpoint", metavar="URL",
              help="The public SPARQL endpoint named in VoID and DCAT (default: {base}sparql).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@data_dir_option
def publish_command(out: str, site_url: str | None, public_endpoint: str | None, quiet: bool,
                    data_dir: str | None) -> None:
    """Publish the graph as a static linked-data site in folder OUT.

    One HTML page per resource with its Turtle, JSON-LD, N-Triples and RDF/XML beside it, full
    dumps, VoID and DCAT, ontology documentation, pictures and a searchable index. It works from
    any web server and from file://. OUT is replaced if it holds an earlier site.

    \b
    Examples:
      bp-graph publish site/
      bp-graph publish /var/www/bp-graph --site-url https://bp-graph.example.org/
      xdg-open site/index.html
    """
    from .graph import KnowledgeGraph
    from .publishing import DEFAULT_SITE_URL, publish

    if site_url is None:
        click.echo(f"note: no --site-url: robots.txt, sitemap.xml and the redirect rules name the example host "
                   f"{DEFAULT_SITE_URL}; give the site's real URL before putting it online", err=True)
    graph = KnowledgeGraph.open(data_dir=data_dir) if data_dir is not None else None
    with _progress_bar(quiet) as progress:
        report = publish(out, site_url=site_url or DEFAULT_SITE_URL, endpoint=public_endpoint, progress=progress,
                         graph=graph)
    click.echo(f"wrote {report.pages} pages, {report.rdf_files} RDF files and {report.dumps} dumps "
               f"({report.files} files, {report.asserted_triples} asserted + {report.inferred_triples} inferred "
               f"triples) to {report.out} in {report.seconds:.1f} s", err=True)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, exists=True, path_type=str),
              help="Serve this published site (default: publish the graph once into the cache).")
@click.option("--prefix", default="/", show_default=True, help="Path prefix to serve under (e.g. /bp-graph/).")
@click.option("--timeout", "query_timeout", type=float, default=10.0, show_default=True, callback=_seconds,
              help="Seconds a SPARQL or API query may run before it is stopped.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Query worker processes.")
@click.option("--no-pages", is_flag=True, help="Serve /sparql and /api only (publish no site).")
@click.option("--answer-cache", "answer_cache_mb", type=click.IntRange(0, 1 << 20),
              help="MB of answers kept for repeated requests (the graph does not change while served; "
                   "default 64); 0 keeps none.")
@reasoning_option
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@data_dir_option
def serve_command(host: str, port: int, site_dir: str | None, prefix: str, query_timeout: float, workers: int,
                  no_pages: bool, answer_cache_mb: int | None, no_reasoning: bool, quiet: bool,
                  data_dir: str | None) -> None:
    """Serve the site with content negotiation, a read-only SPARQL endpoint and the query API.

    Resource IRIs answer 303 See Other to their HTML page or, by Accept or ?format=, to Turtle,
    JSON-LD, N-Triples or RDF/XML. /sparql is a SPARQL 1.1 Protocol endpoint (GET and POST) that
    refuses updates, SERVICE, FROM and LOAD and stops queries after --timeout seconds;
    /api/{name} runs a named query and /api/openapi.json describes them all.

    \b
    Examples:
      bp-graph serve
      bp-graph serve --port 8080 --timeout 5
      curl -L -H 'Accept: text/turtle' http://127.0.0.1:8000/state/TUR
      curl 'http://127.0.0.1:8000/api/meeting-states?meeting=meeting/2019-10-09-skopje'
    """
    import logging
    from pathlib import Path

    from .graph import KnowledgeGraph
    from .server import LinkedDataServer, make_server, run_until_interrupted

    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s", stream=sys.stderr)

    def make() -> LinkedDataServer:
        with _progress_bar(quiet) as progress:
            return make_server(site=Path(site_dir) if site_dir else None, host=host, port=port, prefix=prefix,
                               timeout=query_timeout, workers=workers, progress=progress, pages=not no_pages,
                               graph=KnowledgeGraph.open(reasoning=not no_reasoning, data_dir=data_dir),
                               **({} if answer_cache_mb is None else {"answer_cache": answer_cache_mb << 20}))

    def announce(server: LinkedDataServer) -> None:
        click.echo(f"serving on {server.url} (SPARQL at {server.url}sparql; Ctrl-C stops)", err=True)

    run_until_interrupted(make, announce)


class _progress_bar:  # noqa: N801 (used as a context manager)
    """A tqdm bar on stderr fed by the library's progress callback (or nothing with ``quiet``)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.stage = ""

    def __enter__(self) -> Callable[[str, int, int], None] | None:
        if self.quiet:
            return None
        from tqdm import tqdm

        def update(stage: str, done: int, total: int) -> None:
            if self.bar is None or stage != self.stage:
                if self.bar is not None:
                    self.bar.close()
                self.stage = stage
                self.bar = tqdm(total=total, desc=stage, unit="", file=sys.stderr, leave=False, disable=None)
            self.bar.n = done
            self.bar.refresh()

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


INPUT_FORMATS = ("turtle", "trig", "nt", "nquads", "xml", "json-ld")
input_format_option = click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
                                   help="RDF format of the input (default: from the extension, else from the content).")
inference_option = click.option("--inference", type=click.Choice(["none", "rdfs", "owlrl"]), default="none",
                                show_default=True, help="Inference applied to the data graph before SHACL.")
strict_option = click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")


def _read_stdin() -> tuple[str, bytes]:
    from .validation import Limits

    data = sys.stdin.buffer.read(Limits().max_bytes + 1)
    return ("<stdin>", data)


@cli.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True,
              help="Report format: human text, the standard SHACL report in Turtle, or JSON.")
@inference_option
@strict_option
@input_format_option
@data_dir_option
@click.option("--all-data", is_flag=True, help="Validate the whole data folder (every file) instead of FILES.")
def validate_command(files: tuple[str, ...], fmt: str, inference: str, strict: bool, input_format: str | None,
                     data_dir: str | None, all_data: bool) -> None:
    """Validate submission FILES ('-' reads standard input) against the ontology, the shapes and the data.

    The files are read together as one submission: Turtle, TriG, N-Triples, N-Quads, RDF/XML or
    JSON-LD (format from the extension, else from the content). Nothing is fetched: remote
    JSON-LD contexts, XML entities, owl:imports and shapes in a submission are refused.

    Exit status: 0 conforms, 1 does not conform (Violations, or Warnings with --strict),
    2 could not validate.

    \b
    Examples:
      bp-graph validate report-2023.ttl
      bp-graph validate meeting.ttl participants.jsonld --format json
      bp-graph validate report.ttl --strict --format turtle > shacl-report.ttl
      cat report.nt | bp-graph validate - --input-format nt
      bp-graph validate --all-data
    """
    from .validation import validate, validate_data

    if all_data:
        if files:
            raise click.UsageError("give FILES or --all-data, not both")
        report = validate_data(data_dir=data_dir, inference=inference, strict=strict)  # type: ignore[arg-type]
    else:
        if not files:
            raise click.UsageError("give the FILES to validate ('-' for standard input), or --all-data")
        sources = [_read_stdin() if name == "-" else name for name in files]
        report = validate(sources, inference=inference, strict=strict, format=input_format,  # type: ignore[arg-type]
                          data_dir=data_dir)
    click.echo(report.render(fmt), nl=fmt == "json")  # type: ignore[arg-type]
    if report.errors and fmt == "turtle":  # a SHACL report has no place for a file that could not be read
        click.echo(report.text(), err=True, nl=False)
    sys.exit(report.exit_code)


@cli.command("submit")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@data_dir_option
@inference_option
@strict_option
@input_format_option
@click.option("--quiet", is_flag=True, help="Print the report only when the submission is refused.")
def submit_command(files: tuple[str, ...], data_dir: str | None, inference: str, strict: bool,
                   input_format: str | None, quiet: bool) -> None:
    """Validate FILES (one report, in one file or several, as validate reads them) and, if they
    conform, add them to the data as one new file.

    A submission describing one meeting becomes data/meetings/{meeting slug}.ttl, anything else
    data/submissions/{hash}.ttl. It is refused (exit 1, nothing written) when it does not
    conform, when it would change facts the data already holds, or when it was accepted before;
    exit 2 when it cannot be read. The file is written atomically: a crash leaves data/ as it was.

    \b
    Examples:
      bp-graph submit report-2023.ttl
      bp-graph submit report-2023.jsonld --strict
      bp-graph submit report-2023.ttl --data-dir ~/src/bp-graph/data
      bp-graph submit sources.ttl meeting.jsonld
    """
    from .submission import submit

    shown: list[Any] = []

    def show(report: Any) -> None:
        shown.append(report)
        if not report.conforms or (not quiet and (report.findings or report.notes)):
            click.echo(report.text())

    try:
        path = submit(files, data_dir=data_dir, inference=inference, strict=strict,  # type: ignore[arg-type]
                      format=input_format, on_report=show)  # type: ignore[arg-type]
    except BPGraphError as exc:
        if shown and shown[0].errors:  # the report above says what and where: not twice
            why = "could not be read" if shown[0].errors[0].kind == "io" else "was refused (see above)"
            _fail(f"{', '.join(files)}: {why}; nothing was written", exc.exit_code)
        raise
    click.echo(f"accepted: {path}")


@cli.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_command(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Examples:
      eval "$(bp-graph completion bash)"
      bp-graph completion fish > ~/.config/fish/completions/bp-graph.fish
    """
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None
    click.echo(completion(cli, {}, "bp-graph", "_BP_GRAPH_COMPLETE").source())


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"bp-graph: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``bp-graph`` console script; maps errors to exit codes."""
    handlers: list[tuple[type[BaseException], Callable[[BaseException], int]]] = [
        (EndpointError, lambda e: EXIT_ENDPOINT),
        (UnknownQuery, lambda e: EXIT_USAGE),
        (BPGraphError, lambda e: getattr(e, "exit_code", EXIT_USAGE)),
    ]
    try:
        cli.main(args=argv, prog_name="bp-graph", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except BPGraphError as exc:
        code = next(handler(exc) for cls, handler in handlers if isinstance(exc, cls))
        _fail(str(exc), code)
    except OSError as exc:
        _fail(str(exc), 1)


if __name__ == "__main__":
    main()
