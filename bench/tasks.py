"""One measurement per process: ``python bench/tasks.py TASK '{json arguments}'``.

Each task runs in a fresh interpreter, so that "cold" means cold and the peak resident memory it
reports (``peak_mb``, the high-water mark of its own address space) is its own. It prints one JSON object per line: progress
lines for long tasks (one per query) and a last line with ``"done": true``.
"""

from __future__ import annotations

import json
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PICKERS: dict[str, str] = {
    # A parameter that names a meeting gets the synthetic (or real) meeting with most participations.
    "meeting": """SELECT ?x WHERE { { SELECT ?x (COUNT(?p) AS ?n) WHERE { ?p a bp:Participation ; bp:meeting ?x }
                  GROUP BY ?x } } ORDER BY DESC(?n) ?x LIMIT 1""",
    "other": """SELECT ?x WHERE { { SELECT ?x (COUNT(?p) AS ?n) WHERE { ?p a bp:Participation ; bp:meeting ?x }
                GROUP BY ?x } } ORDER BY DESC(?n) ?x OFFSET 1 LIMIT 1""",
    "state": """SELECT ?x WHERE { { SELECT ?x (COUNT(?p) AS ?n) WHERE { ?p a bp:Participation ; bp:participant ?x .
                ?x a bp:State } GROUP BY ?x } } ORDER BY DESC(?n) ?x LIMIT 1""",
    "project": """SELECT ?x WHERE { ?m org:organization ?x ; org:role <https://w3id.org/bp-graph/role/funder> }
                  ORDER BY ?x LIMIT 1""",
    # the role most memberships hold (the synthetic data has chairs and staff, no participating states)
    "role": """SELECT ?x WHERE { { SELECT ?x (COUNT(?m) AS ?n) WHERE { ?m a bp:Membership ; org:role ?x } GROUP BY ?x } }
               ORDER BY DESC(?n) ?x LIMIT 1""",
}


def emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def peak_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory in MB of process ``pid`` (this one by default), or None if unknown.

    Linux's ``ru_maxrss`` carries the parent's resident size over fork and exec (a task started
    by a 240 MB runner reported at least 240 MB); ``VmHWM`` belongs to the new address space."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        if pid != "self":  # the process has gone
            return None
        # not Linux: there getrusage is the process's own
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found[1]) / 1024 if found else None


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def sources(files: list[str] | None) -> list[Any]:
    from bp_graph.store import packaged_sources, sources_for

    return sources_for([Path(f) for f in files]) if files else packaged_sources()


def graph(files: list[str] | None, engine: str = "oxigraph", endpoint: str | None = None) -> Any:
    from bp_graph import KnowledgeGraph

    return KnowledgeGraph.open(engine=engine, endpoint=endpoint,  # type: ignore[arg-type]
                               files=[Path(f) for f in files] if files else None)


def parameters(kg: Any) -> dict[str, dict[str, str]]:
    """For each catalogue query, required parameters that name something in this graph."""
    from bp_graph.namespaces import PREFIXES

    declared = "".join(f"PREFIX {prefix}: <{iri}> " for prefix, iri in PREFIXES.items())
    picked: dict[str, str] = {}
    for name, query in PICKERS.items():
        rows = kg.sparql(declared + query, trusted=True).rows
        if rows:
            picked[name] = rows[0][0].value
    if "meeting" in picked:  # the provenance query asks about the busiest meeting too
        picked["resource"] = picked["meeting"]
    calls = {}
    for query in kg.catalogue.values():
        calls[query.name] = {p.name: picked.get(p.name, p.example) for p in query.params if p.required}
    return calls


# ---------------------------------------------------------------------------------------- tasks
def task_load(args: dict[str, Any]) -> None:
    """Turtle to a persistent Oxigraph store (cold), or opening the store built before (warm)."""
    from bp_graph.store import build_oxigraph

    found = sources(args["files"])
    seconds = timed(lambda: build_oxigraph(found, reasoning=False, persistent=True))
    emit(done=True, seconds=seconds, peak_mb=peak_mb())


def task_load_rdflib(args: dict[str, Any]) -> None:
    """The baseline: the same Turtle parsed by rdflib into a Dataset."""
    from bp_graph.store import build_dataset

    found = sources(args["files"])
    dataset: list[Any] = []
    seconds = timed(lambda: dataset.append(build_dataset(found, reasoning=False)))
    emit(done=True, seconds=seconds, triples=len(dataset[0]), peak_mb=peak_mb())


def task_closure(args: dict[str, Any]) -> None:
    """The rule closure, cold (fresh cache) then warm (cached file)."""
    from bp_graph.reasoning import cached_closure

    paths = [s.path for s in sources(args["files"])]
    cold = timed(lambda: cached_closure(paths))
    warm = statistics.median(timed(lambda: cached_closure(paths)) for _ in range(5))
    inferred = sum(1 for _ in cached_closure(paths).open("rb"))
    emit(done=True, cold=cold, warm=warm, inferred=inferred, peak_mb=peak_mb())


def task_closure_owlrl(args: dict[str, Any]) -> None:
    """The baseline: owlrl's OWL RL closure of the same files (parsing not counted)."""
    import rdflib

    from bp_graph.namespaces import BASE
    from bp_graph.reasoning import owl_rl_closure

    data = rdflib.Graph()
    for source in sources(args["files"]):
        data.parse(source.path, format="turtle", publicID=BASE)
    inferred: list[Any] = []
    seconds = timed(lambda: inferred.append(owl_rl_closure(data)))
    emit(done=True, seconds=seconds, inferred=len(inferred[0]), peak_mb=peak_mb())


def task_queries(args: dict[str, Any]) -> None:
    """Every catalogue query on one engine: a warm-up run, then the median of up to ``repeat`` runs
    within ``budget`` seconds per query. One line per query, so a killed run keeps what it measured."""
    opened = time.perf_counter()
    kg = graph(args["files"], args["engine"], args.get("endpoint"))
    emit(opened=time.perf_counter() - opened)
    calls = args.get("calls") or parameters(kg)  # picked once by the first engine's task
    emit(calls=calls)
    for name in sorted(calls):
        if name in args.get("skip", []):
            continue
        answer: list[Any] = []
        first = timed(lambda: answer.append(kg.query(name, **calls[name])))
        runs: list[float] = []
        # A query slower than the whole budget is timed once (its warm-up run is the sample).
        deadline = time.perf_counter() + args["budget"] - first
        while len(runs) < args["repeat"] and time.perf_counter() < deadline:
            runs.append(timed(lambda: kg.query(name, **calls[name])))
        emit(query=name, params=calls[name], first=first, median=statistics.median(runs or [first]),
             runs=len(runs) or 1, rows=len(answer[0].rows))
    emit(done=True, peak_mb=peak_mb())


def task_validate(args: dict[str, Any]) -> None:
    """A submission validated against the graph (first call, then warm median), and the baseline:
    pyshacl on the submission and the ontology alone."""
    import pyshacl
    import rdflib

    from bp_graph import validate
    from bp_graph.resources import ontology_files, shapes_file

    kg = graph(args["files"])
    submission = Path(args["submission"])
    reports: list[Any] = []
    first = timed(lambda: reports.append(validate(submission, graph=kg)))
    warm = statistics.median(timed(lambda: validate(submission, graph=kg)) for _ in range(args["repeat"]))
    shapes = rdflib.Graph().parse(shapes_file())
    data = rdflib.Graph().parse(submission)
    for path in ontology_files():
        data.parse(path)
    baseline = statistics.median(timed(lambda: pyshacl.validate(data, shacl_graph=shapes))
                                 for _ in range(args["repeat"]))
    report = reports[0]
    emit(done=True, first=first, warm=warm, baseline=baseline, conforms=report.conforms,
         triples=report.triples, reference_triples=report.reference_triples, peak_mb=peak_mb())


def task_serve(args: dict[str, Any]) -> None:
    """``bp-graph serve`` (query routes only for synthetic data) on 127.0.0.1 until killed; with
    ``"answer_cache": false`` every request runs its query (the server keeps no answers)."""
    from bp_graph.server import make_server, run_until_interrupted

    cache = {} if args.get("answer_cache", True) else {"answer_cache": 0}
    # bench/run.py stops it with SIGTERM, as a service manager would
    run_until_interrupted(lambda: make_server(graph=graph(args["files"]), host="127.0.0.1", port=args["port"],
                                              pages=not args["files"], workers=2, **cache),
                          lambda server: emit(ready=server.url))


def task_closure_files(args: dict[str, Any]) -> None:
    """The dataset's Turtle files and its cached closure (N-Triples), as rdflib-endpoint loads them."""
    from bp_graph.reasoning import cached_closure

    paths = [s.path for s in sources(args["files"])]
    emit(done=True, files=[str(p) for p in [*paths, cached_closure(paths)]])


def task_dump(args: dict[str, Any]) -> None:
    """The graph with its closure as N-Quads (what the remote Oxigraph server is loaded with)."""
    import pyoxigraph as ox

    kg = graph(args["files"])
    kg.engine.store.dump(output=args["out"], format=ox.RdfFormat.N_QUADS)
    emit(done=True, peak_mb=peak_mb())


TASKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "load": task_load, "load-rdflib": task_load_rdflib, "closure": task_closure, "closure-owlrl": task_closure_owlrl,
    "queries": task_queries, "validate": task_validate, "serve": task_serve, "dump": task_dump,
    "closure-files": task_closure_files,
}


if __name__ == "__main__":
    TASKS[sys.argv[1]](json.loads(sys.argv[2]))
