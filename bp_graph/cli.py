"""The ``bp-graph`` command line. Errors become one line on stderr and a non-zero exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from typing import Any, NoReturn

import click

from . import __version__
from .errors import BPGraphError, EndpointError, QueryParameterError, UnknownQuery
from .results import GraphResult, QueryResult

SELECT_FORMATS = ("table", "json", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples", "xml")
EXIT_USAGE, EXIT_ENDPOINT = 2, 3

engine_option = click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
                             show_default=True, help="Embedded engine to run on.")
endpoint_option = click.option("--endpoint", metavar="URL", help="Run on this SPARQL 1.1 query endpoint instead.")
reasoning_option = click.option("--no-reasoning", is_flag=True, help="Query the asserted triples only (no OWL RL closure).")
timeout_option = click.option("--timeout", type=float, default=30.0, show_default=True,
                              help="Seconds to wait for a remote endpoint.")
format_option = click.option("--format", "fmt", type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS), default=None,
                             help="Output format (default: table, or turtle for CONSTRUCT/DESCRIBE).")


def _graph(engine: str, endpoint: str | None, no_reasoning: bool, timeout: float) -> Any:
    from .graph import KnowledgeGraph

    return KnowledgeGraph.open(engine="remote" if endpoint else engine,  # type: ignore[arg-type]
                               endpoint=endpoint, reasoning=not no_reasoning, timeout=timeout)


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
    text = answer.serialize(fmt)  # type: ignore[arg-type]
    click.echo(text, nl=fmt == "json")


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
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def queries_command(as_json: bool) -> None:
    """List the named queries with their summaries and parameters.

    \b
    Examples:
      bp-graph queries
      bp-graph queries --json
    """
    from .catalogue import load_catalogue

    catalogue = load_catalogue()
    if as_json:
        click.echo(json.dumps([{"name": q.name, "summary": q.summary, "tags": list(q.tags),
                                "params": [{"name": p.name, "type": p.type, "required": p.required,
                                            "description": p.description, "example": p.example} for p in q.params]}
                               for q in (catalogue[n] for n in catalogue)], indent=2))
        return
    for name in catalogue:
        query = catalogue[name]
        click.echo(f"{click.style(name, bold=True)}  {query.summary}")
        for p in query.params:
            need = "required" if p.required else "optional"
            click.echo(f"    -p {p.name}=<{p.type}>  ({need}) {p.description}"
                       + (f"  e.g. {p.example}" if p.example else ""))


@cli.command("query")
@click.argument("name", shell_complete=_complete_query_names)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter; repeat for several. IRIs may be full, prefixed (state:TUR) or relative (state/TUR).")
@format_option
@engine_option
@endpoint_option
@reasoning_option
@timeout_option
def query_command(name: str, params: tuple[str, ...], fmt: str | None, engine: str, endpoint: str | None,
                  no_reasoning: bool, timeout: float) -> None:
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
        values[key.strip()] = value
    from .catalogue import load_catalogue

    load_catalogue()[name].bind(values)  # fail on bad names and parameters before loading the graph
    _emit(_graph(engine, endpoint, no_reasoning, timeout).query(name, **values), fmt)


@cli.command("sparql")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@format_option
@engine_option
@endpoint_option
@reasoning_option
@timeout_option
def sparql_command(source: Any, fmt: str | None, engine: str, endpoint: str | None, no_reasoning: bool,
                   timeout: float) -> None:
    """Run the SPARQL query in file SOURCE ('-' reads standard input).

    The query must be read-only and may not use SERVICE, FROM or LOAD.

    \b
    Examples:
      bp-graph sparql my-query.rq --format csv
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | bp-graph sparql -
    """
    _emit(_graph(engine, endpoint, no_reasoning, timeout).sparql(source.read()), fmt)


@cli.command("info")
@engine_option
@reasoning_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def info_command(engine: str, no_reasoning: bool, as_json: bool) -> None:
    """Version, triples per named graph and instances per class.

    \b
    Examples:
      bp-graph info
      bp-graph info --no-reasoning --json
    """
    info = _graph(engine, None, no_reasoning, 30.0).info()
    info["version"] = __version__
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"bp-graph {__version__}  engine={info['engine']}  reasoning={info['reasoning']}")
    click.echo(f"{info['triples']} triples")
    for graph, count in info["graphs"].items():  # type: ignore[union-attr]
        click.echo(f"  {count:>7}  {graph}")
    click.echo("instances per class:")
    for cls, count in info["classes"].items():  # type: ignore[union-attr]
        click.echo(f"  {count:>7}  {cls}")


@cli.command("load-endpoint")
@click.argument("url")
@click.option("--default-graph", is_flag=True,
              help="Put everything into the default graph (for stores without a union default graph).")
@reasoning_option
@timeout_option
def load_endpoint_command(url: str, default_graph: bool, no_reasoning: bool, timeout: float) -> None:
    """Push the graph to a SPARQL 1.1 Graph Store Protocol endpoint URL (one named graph per file).

    Each named graph replaces the endpoint's graph of the same name. Run queries there with
    --endpoint; the endpoint should use the union of its graphs as the default graph
    (Oxigraph: 'oxigraph serve --union-default-graph'), or load with --default-graph.

    \b
    Examples:
      bp-graph load-endpoint http://127.0.0.1:7878/store
      bp-graph query states --endpoint http://127.0.0.1:7878/query
    """
    graph = _graph("oxigraph", None, no_reasoning, timeout)
    sent = graph.push_to(url, default_graph=default_graph, timeout=timeout)
    click.echo(f"sent {len(graph.sources) + (0 if no_reasoning else 1)} graphs ({sent} bytes) to {url}", err=True)


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
