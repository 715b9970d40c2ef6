"""The bp-graph benchmark: the real graph and synthetic graphs of 10k, 100k and 1M triples.

    python bench/run.py            # the full run (25-40 minutes on 2 cores); writes bench/results/
    python bench/run.py --quick    # a smoke run of every measurement (about 3 minutes; run by the tests)

Every figure comes with the baseline a user would otherwise run, measured in the same run: rdflib
for loading and queries, owlrl for the closure, plain pyshacl for validation, rdflib-endpoint for
serving. Each measurement runs in its own process (``bench/tasks.py``) so that cold means cold and
peak memory is its own. Results: a table on stdout, ``bench/results/<date>.json`` and
``bench/results/<date>-latency.png``. Nothing here asserts a time: the targets are reported.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))  # generate.py and report.py beside this script


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    repeat: int
    budget: float
    query_timeout: float
    serve_seconds: int
    clients: int
    owlrl_limit: int
    cli_runs: int
    work: Path
    out: Path
    quick: bool


@dataclass
class Dataset:
    name: str
    files: list[str] | None  # None: the packaged graph
    triples: int = 0
    results: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------- running tasks
def task(name: str, args: dict[str, Any], *, cache: Path) -> dict[str, Any]:
    """Run one task of ``bench/tasks.py`` in a fresh process (an hour at most); return its last JSON line."""
    done = subprocess.run([sys.executable, str(HERE / "tasks.py"), name, json.dumps(args)], capture_output=True,
                          text=True, timeout=3600, env={**os.environ, "BP_GRAPH_CACHE": str(cache)})
    if done.returncode != 0:
        raise RuntimeError(f"bench task {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def query_task(args: dict[str, Any], names: list[str], *, cache: Path, timeout: float) -> dict[str, Any]:
    """Run the queries task, killing it when one query takes longer than ``timeout`` seconds; that
    query is reported as timed out and the task restarts after it, until every query has a result.
    The graph is opened and the parameters picked before the first query, with time to spare."""
    measured: dict[str, Any] = {}
    opened: float | None = None
    calls: dict[str, Any] = args.get("calls") or {}
    peaks: list[float] = []
    while len(measured) < len(names):
        process = subprocess.Popen([sys.executable, str(HERE / "tasks.py"), "queries",
                                    json.dumps({**args, "calls": calls, "skip": sorted(measured)})],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "BP_GRAPH_CACHE": str(cache)})
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in process.stdout] + [lines.put(None)],  # type: ignore[union-attr]
                         daemon=True).start()
        ready = False  # until the parameters are picked, the wait includes opening the graph
        while True:
            try:
                line = lines.get(timeout=timeout + (0 if ready else 600))
            except queue.Empty:
                process.kill()
                process.wait()
                pending = next(n for n in names if n not in measured)
                measured[pending] = {"timeout": timeout}
                break
            if line is None:
                process.wait()
                if process.returncode != 0:
                    raise RuntimeError(f"bench queries task failed:\n{process.stderr.read()[-3000:]}")  # type: ignore[union-attr]
                # A finished task ran every query it was not told to skip.
                measured |= {n: {"not_run": True} for n in names if n not in measured}
                break
            item = json.loads(line)
            if "opened" in item:
                opened = item["opened"] if opened is None else opened
            elif "calls" in item:
                calls, ready = item["calls"], True
            elif "query" in item:
                measured[item["query"]] = item
            elif item.get("done"):
                peaks.append(item["peak_mb"])
    return {"opened": opened, "peak_mb": max(peaks) if peaks else None, "calls": calls, "queries": measured}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[Any], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen[Any]) -> None:
    """Stop a server by its PID: SIGTERM, then SIGKILL."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tree_peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, from /proc."""
    import psutil
    from tasks import peak_mb

    root = psutil.Process(pid)
    return sum(peak_mb(proc.pid) or 0 for proc in [root, *root.children(recursive=True)])


_WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk_path() -> str:
    """Where the load generator is; a run checks it before its first step, not at its serving step."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("bench: wrk, the load generator, is not installed: apt-get install wrk (.ci/run does)")
    return wrk


def load_test(url: str, settings: Settings, accept: str) -> dict[str, Any]:
    """``wrk`` with ``clients`` connections for ``serve_seconds``: throughput, latency percentiles, errors."""
    wrk = wrk_path()
    # One request first, untimed: what a server does once (lazy imports, a worker's first query)
    # is not its throughput, and in a one-second quick run it could take the whole window.
    urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=300).read()
    done = subprocess.run([wrk, "-t2", f"-c{settings.clients}", f"-d{settings.serve_seconds}s", "--timeout", "30s",
                           "--latency", "-H", f"Accept: {accept}", url], capture_output=True, text=True, check=True)
    text = done.stdout
    percentiles = {f"p{p}": float(v) * _WRK_UNITS[u]
                   for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    requests = re.search(r"(\d+) requests in", text)
    return {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
            "requests": int(requests.group(1)) if requests else 0, "latency_ms": percentiles,
            "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0)}


# ------------------------------------------------------------------------------- measurements
def measure_load(ds: Dataset, s: Settings, cache: Path) -> None:
    rdflib = task("load-rdflib", {"files": ds.files}, cache=cache)
    ds.triples = rdflib["triples"]
    cold = []
    for i in range(s.repeat if ds.triples <= 500_000 else 2):  # a cold load of a million triples takes ~10 s
        fresh = s.work / f"cold-{i}"
        shutil.rmtree(fresh, ignore_errors=True)
        cold.append(task("load", {"files": ds.files}, cache=fresh))
        shutil.rmtree(fresh, ignore_errors=True)
    task("load", {"files": ds.files}, cache=cache)  # builds the store the warm opens read
    warm = [task("load", {"files": ds.files}, cache=cache) for _ in range(s.repeat)]
    ds.results["load"] = {
        "oxigraph_cold_s": statistics.median(r["seconds"] for r in cold),
        "oxigraph_warm_s": statistics.median(r["seconds"] for r in warm),
        "rdflib_s": rdflib["seconds"],
        "peak_mb": {"oxigraph": max(r["peak_mb"] for r in cold), "rdflib": rdflib["peak_mb"]}}


def measure_closure(ds: Dataset, s: Settings, cache: Path) -> None:
    rules = task("closure", {"files": ds.files}, cache=cache)
    result = {"rules_cold_s": rules["cold"], "rules_warm_s": rules["warm"], "inferred": rules["inferred"],
              "peak_mb": {"rules": rules["peak_mb"]}}
    if ds.triples <= s.owlrl_limit:
        owlrl = task("closure-owlrl", {"files": ds.files}, cache=cache)
        result |= {"owlrl_s": owlrl["seconds"], "owlrl_inferred": owlrl["inferred"]}
        result["peak_mb"]["owlrl"] = owlrl["peak_mb"]
    else:
        result["owlrl_s"] = None  # owlrl needs about a minute per 100k triples and grows faster than linearly
    ds.results["closure"] = result


def measure_queries(ds: Dataset, s: Settings, cache: Path, names: list[str]) -> None:
    base = {"files": ds.files, "repeat": s.repeat, "budget": s.budget}
    engines = {"oxigraph": query_task({**base, "engine": "oxigraph"}, names, cache=cache, timeout=s.query_timeout)}
    base["calls"] = engines["oxigraph"]["calls"]  # the same parameters on every engine, picked once
    engines["rdflib"] = query_task({**base, "engine": "rdflib", "repeat": min(s.repeat, 5)}, names, cache=cache,
                                   timeout=s.query_timeout)
    dump = s.work / "dump.nq"
    task("dump", {"files": ds.files, "out": str(dump)}, cache=cache)
    location = s.work / "oxigraph-server"
    shutil.rmtree(location, ignore_errors=True)
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(dump)],
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(location), "--bind",
                               f"127.0.0.1:{port}", "--union-default-graph"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", server, 60)
        engines["remote"] = query_task({**base, "engine": "remote", "endpoint": f"http://127.0.0.1:{port}/query"},
                                       names, cache=cache, timeout=s.query_timeout)
    finally:
        stop(server)
        shutil.rmtree(location, ignore_errors=True)
        dump.unlink(missing_ok=True)
    ds.results["queries"] = engines


def measure_validation(ds: Dataset, s: Settings, cache: Path, submission: Path) -> None:
    ds.results["validate"] = task("validate", {"files": ds.files, "submission": str(submission),
                                               "repeat": s.repeat}, cache=cache)


def measure_serving(ds: Dataset, s: Settings, cache: Path, query_text: str) -> None:
    """Our server (the named query through /api and the same text through /sparql) against
    rdflib-endpoint serving the same files and closure, each under the same load. Ours runs twice:
    as shipped (a repeated request is answered from its answer cache) and with no answer cache
    (``_uncached``: every request runs its query in a worker)."""
    result: dict[str, Any] = {}
    for answer_cache, suffix in ((True, ""), (False, "_uncached")):
        port = free_port()
        ours = subprocess.Popen([sys.executable, str(HERE / "tasks.py"), "serve",
                                 json.dumps({"files": ds.files, "port": port, "answer_cache": answer_cache})],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "BP_GRAPH_CACHE": str(cache)})
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{url}/api/", ours, 900)
            result["ours_api" + suffix] = load_test(f"{url}/api/meetings", s, "application/sparql-results+json")
            result["ours_sparql" + suffix] = load_test(f"{url}/sparql?query={urllib.parse.quote(query_text)}", s,
                                                       "application/sparql-results+json")
            result["ours_peak_mb" + suffix] = tree_peak_mb(ours.pid)
        finally:
            stop(ours)
    files = closure_files(ds, cache)
    port = free_port()
    theirs = subprocess.Popen([str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port),
                               *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=s.work)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(f"{url}?query=ASK%7B%7D", theirs, 1800)
        result["rdflib_endpoint"] = load_test(f"{url}?query={urllib.parse.quote(query_text)}", s,
                                              "application/sparql-results+json")
        result["rdflib_endpoint_peak_mb"] = tree_peak_mb(theirs.pid)
    finally:
        stop(theirs)
    ds.results["serve"] = result


def closure_files(ds: Dataset, cache: Path) -> list[str]:
    """The dataset's Turtle files and its cached closure (N-Triples), as rdflib-endpoint loads them."""
    return list(task("closure-files", {"files": ds.files}, cache=cache)["files"])


def measure_cli(s: Settings, cache: Path) -> dict[str, Any]:
    """A cold ``bp-graph query meetings --format json`` (warm cache on disk) against ``import rdflib``."""
    import bp_graph

    # Both byte-compiled, as pip leaves an installed package: rdflib's modules are, and an editable
    # install under PYTHONDONTWRITEBYTECODE compiled bp-graph's 13 modules on every run (40 ms of 180).
    compileall.compile_dir(Path(bp_graph.__file__).parent, quiet=1)
    env = {**os.environ, "BP_GRAPH_CACHE": str(cache)}
    commands = {"bp_graph_query": [str(BIN / "bp-graph"), "query", "meetings", "--format", "json"],
                "import_rdflib": [sys.executable, "-c", "import rdflib"]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():
        subprocess.run(command, check=True, capture_output=True, env=env)  # warm-up (and the disk cache)
    for _ in range(s.cli_runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


# ------------------------------------------------------------------------------- the run
def synthetic(s: Settings, size: int) -> Dataset:
    """The real graph plus about ``size`` synthetic triples, generated anew (under a second at 1M)."""
    import generate
    from bp_graph.resources import data_files

    written = generate.write(generate.generate(size, seed=1), s.work / f"synthetic-{size}")

    # The synthetic history is added to the real graph: a grown graph of many dialogues, in which
    # the submission's references to the real graph still resolve.
    return Dataset(f"synthetic-{size // 1000}k", [str(p) for p in [*data_files(), *written]])


def run(s: Settings) -> dict[str, Any]:
    import generate
    from bp_graph import __version__, load_catalogue

    catalogue = load_catalogue()
    names = sorted(catalogue)
    query_text = catalogue["meetings"].text
    s.work.mkdir(parents=True, exist_ok=True)
    submission = s.work / "submission.ttl"
    submission.write_text(generate.submission(seed=1), encoding="utf-8")
    datasets = [Dataset("real", None), *(synthetic(s, size) for size in s.sizes)]
    steps = ["load", "closure", "queries", "validate", "serve"]
    with tqdm(total=len(datasets) * len(steps) + 1, desc="bench", unit="step", file=sys.stderr) as bar:
        for ds in datasets:
            cache = s.work / f"cache-{ds.name}"
            shutil.rmtree(cache, ignore_errors=True)
            for step in steps:
                bar.set_postfix_str(f"{ds.name}: {step}")
                if step == "load":
                    measure_load(ds, s, cache)
                elif step == "closure":
                    measure_closure(ds, s, cache)
                elif step == "queries":
                    measure_queries(ds, s, cache, names)
                elif step == "validate":
                    measure_validation(ds, s, cache, submission)
                else:
                    measure_serving(ds, s, cache, query_text)
                bar.update()
        bar.set_postfix_str("cold command line")
        cli = measure_cli(s, s.work / "cache-real")
        bar.update()
    return {"date": date.today().isoformat(), "quick": s.quick, "bp_graph": __version__,
            "machine": {"cpus": os.cpu_count(), "cpu": _cpu_model(), "platform": platform.platform(),
                        "python": platform.python_version(), "packages": _versions()},
            "settings": {"sizes": s.sizes, "repeat": s.repeat, "clients": s.clients,
                         "serve_seconds": s.serve_seconds, "query_timeout_s": s.query_timeout},
            "cli": cli,
            "datasets": [{"name": d.name, "triples": d.triples, **d.results} for d in datasets]}


def _cpu_model() -> str:
    """The processor's model name, with its family and model numbers: absolute timings differ
    between machines of the same core count, and between virtual machines that report one name
    ("AMD EPYC") for several generations."""
    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/cpuinfo").read_text().split("\n\n")[0].splitlines()
                      if ":" in line)
    except OSError:
        return platform.processor() or "unknown"
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    numbers = ", ".join(f"{key} {fields[key]}" for key in ("cpu family", "model") if key in fields)
    return fields.get("model name", platform.processor() or "unknown") + (f" ({numbers})" if numbers else "")


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("pyoxigraph", "rdflib", "owlrl", "pyshacl", "sparqlwrapper", "rdflib-endpoint", "oxigraph"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: one small synthetic graph, short loads")
    parser.add_argument("--sizes", type=lambda v: tuple(int(x) for x in v.split(",")), default=None,
                        help="synthetic sizes in triples (default 10000,100000,1000000)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where the JSON and PNG go")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: bench/.work)")
    args = parser.parse_args(argv)
    wrk_path()
    quick = args.quick
    settings = Settings(
        sizes=args.sizes or ((2_000,) if quick else (10_000, 100_000, 1_000_000)),
        repeat=3 if quick else 20, budget=1.0 if quick else 5.0, query_timeout=10 if quick else 60,
        serve_seconds=1 if quick else 20, clients=16, owlrl_limit=20_000 if quick else 150_000,
        cli_runs=3 if quick else 15, work=args.work or HERE / ".work", out=args.out, quick=quick)
    import report

    latest = report.latest_full_run(HERE / "results")
    warning = report.other_host(json.loads(latest.read_text(encoding="utf-8")), _cpu_model()) if latest else None
    if warning:
        print(warning, file=sys.stderr)
    results = run(settings)

    settings.out.mkdir(parents=True, exist_ok=True)
    stem = settings.out / (results["date"] + ("-quick" if quick else ""))
    results["targets"] = report.targets(results)
    stem.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    report.plot(results, stem.parent / (stem.name + "-latency.png"))
    print(report.table(results))
    print(f"\nwrote {stem}.json and {stem}-latency.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
