"""The benchmark's report: the issue's targets checked against one run, a table, and a plot."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

ENGINES = ("oxigraph", "rdflib", "remote")


def medians(dataset: dict[str, Any], engine: str) -> dict[str, float]:
    """Median seconds per query on one engine (timed-out queries left out)."""
    found = dataset["queries"][engine]["queries"]
    return {name: q["median"] for name, q in found.items() if "median" in q}


def unfinished(dataset: dict[str, Any], engine: str) -> list[str]:
    """The queries without a median on one engine: timed out, or not reached after a timeout."""
    return sorted(name for name, q in dataset["queries"][engine]["queries"].items() if "median" not in q)


def speedups(dataset: dict[str, Any]) -> dict[str, float]:
    """How many times faster the default engine is than rdflib's, per query both finished."""
    ours, theirs = medians(dataset, "oxigraph"), medians(dataset, "rdflib")
    return {name: theirs[name] / ours[name] for name in ours if name in theirs and ours[name] > 0}


def our_peak_mb(dataset: dict[str, Any]) -> float:
    """The largest peak resident memory of bp-graph's own processes on this dataset."""
    peaks = [dataset["load"]["peak_mb"]["oxigraph"], dataset["closure"]["peak_mb"]["rules"],
             dataset["queries"]["oxigraph"]["peak_mb"], dataset["validate"]["peak_mb"], dataset["serve"]["ours_peak_mb"],
             dataset["serve"].get("ours_peak_mb_uncached")]
    return max(peak for peak in peaks if peak is not None)  # a killed query task reports no peak


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the benchmark issue with the measured figure, its bound and whether it holds."""
    by_name = {d["name"]: d for d in results["datasets"]}
    real = by_name["real"]
    largest = max(results["datasets"], key=lambda d: d["triples"])
    rows: list[dict[str, Any]] = []

    def add(target: str, measured: float, bound: float, unit: str, *, at_least: bool = False) -> None:
        rows.append({"target": target, "measured": measured, "bound": bound, "unit": unit,
                     "holds": measured >= bound if at_least else measured <= bound})

    cli = results["cli"]
    add("cold `bp-graph query meetings --format json` / `python -c 'import rdflib'`",
        cli["bp_graph_query"] / cli["import_rdflib"], 1.0, "x")
    add("slowest catalogue query, real graph, default engine", max(medians(real, "oxigraph").values()) * 1000, 1.0, "ms")
    add("rdflib / default engine, median over the catalogue, real graph",
        statistics.median(speedups(real).values()), 20.0, "x", at_least=True)
    big = f"{largest['name']} ({largest['triples']:,} triples)"
    add(f"load from Turtle, {big}", largest["load"]["oxigraph_cold_s"], 10.0, "s")
    add(f"open the cached store, {big}", largest["load"]["oxigraph_warm_s"], 1.0, "s")
    add(f"slowest catalogue query, {big}", max(medians(largest, "oxigraph").values()) * 1000, 500.0, "ms")
    add(f"peak memory of bp-graph's processes, {big}", our_peak_mb(largest), 2048.0, "MB")
    add("validation of the 200-triple submission, real graph", real["validate"]["warm"], 1.0, "s")
    add(f"validation of the 200-triple submission, {big}", largest["validate"]["warm"], 3.0, "s")
    add("OWL RL closure, real graph, cold", real["closure"]["rules_cold_s"], 1.0, "s")
    add(f"OWL RL closure, {big}, cold", largest["closure"]["rules_cold_s"], 60.0, "s")
    serve = real["serve"]
    add("serve: /api/meetings throughput / rdflib-endpoint's, 16 clients, real graph",
        serve["ours_api"]["requests_per_second"] / serve["rdflib_endpoint"]["requests_per_second"], 10.0, "x",
        at_least=True)
    add("serve: p99 latency of /api/meetings, 16 clients, real graph", serve["ours_api"]["latency_ms"]["p99"], 50.0, "ms")
    add("serve: errors under load, real graph (with and without the answer cache)",
        sum(run["errors"] for key, run in serve.items() if key.startswith("ours_") and isinstance(run, dict)), 0, "")
    return rows


def quantity(value: float, unit: str) -> str:
    """A measured value with its unit: three significant digits, whole numbers from 1000 up.

    >>> quantity(1105.37, "ms"), quantity(0.0175, "s"), quantity(0, "")
    ('1,105 ms', '0.0175 s', '0')
    """
    number = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return f"{number} {unit}".strip()


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return quantity(value * 1000, "ms") if value < 1 else quantity(value, "s")


def table(results: dict[str, Any]) -> str:
    """The run as a plain-text table: per dataset, bp-graph against its baseline, and the targets."""
    lines = [f"bp-graph benchmark {results['date']} ({'quick' if results['quick'] else 'full'} run, "
             f"{results['machine']['cpus']} CPUs, {results['machine'].get('cpu', 'processor not recorded')}, "
             f"Python {results['machine']['python']})", ""]
    header = f"{'dataset':16} {'measurement':38} {'bp-graph':>12} {'baseline':>12} {'ratio':>9}  baseline is"
    lines += [header, "-" * len(header)]
    for d in results["datasets"]:
        name = f"{d['name']} {d['triples'] / 1000:.0f}k"
        load, closure, validate, serve = d["load"], d["closure"], d["validate"], d["serve"]
        rows = [("load Turtle (cold)", load["oxigraph_cold_s"], load["rdflib_s"], "rdflib parse"),
                ("open cached store (warm)", load["oxigraph_warm_s"], load["rdflib_s"], "rdflib parse"),
                ("OWL RL closure (cold)", closure["rules_cold_s"], closure["owlrl_s"], "owlrl"),
                ("OWL RL closure (cached)", closure["rules_warm_s"], closure["owlrl_s"], "owlrl"),
                ("validate 200-triple submission", validate["warm"], validate["baseline"], "pyshacl, no reference")]
        for engine in ("rdflib", "remote"):
            ours, theirs = medians(d, "oxigraph"), medians(d, engine)
            both = [n for n in ours if n in theirs]
            if both:
                rows.append((f"catalogue query, median (vs {engine})", statistics.median(ours[n] for n in both),
                             statistics.median(theirs[n] for n in both), f"{engine} engine"))
        for label, seconds, baseline, what in rows:
            ratio = f"{baseline / seconds:.1f}x" if baseline and seconds else "-"
            lines.append(f"{name:16} {label:38} {_seconds(seconds):>12} {_seconds(baseline):>12} {ratio:>9}  {what}")
        ours, theirs = serve["ours_api"], serve["rdflib_endpoint"]
        lines.append(f"{name:16} {'serve /api/meetings, req/s':38} {ours['requests_per_second']:>12,.0f} "
                     f"{theirs['requests_per_second']:>12,.0f} "
                     f"{ours['requests_per_second'] / max(theirs['requests_per_second'], 1e-9):>8.1f}x  rdflib-endpoint")
        lines.append(f"{name:16} {'serve p99 latency':38} {ours['latency_ms'].get('p99', 0):>9.1f} ms "
                     f"{theirs['latency_ms'].get('p99', 0):>9.1f} ms {'':>9}  rdflib-endpoint")
        if "ours_api_uncached" in serve:  # older results files do not have it
            bare = serve["ours_api_uncached"]
            lines.append(f"{name:16} {'serve, no answer cache, req/s':38} {bare['requests_per_second']:>12,.0f} "
                         f"{theirs['requests_per_second']:>12,.0f} "
                         f"{bare['requests_per_second'] / max(theirs['requests_per_second'], 1e-9):>8.1f}x  rdflib-endpoint")
            lines.append(f"{name:16} {'serve, no answer cache, p99 latency':38} "
                         f"{bare['latency_ms'].get('p99', 0):>9.1f} ms {theirs['latency_ms'].get('p99', 0):>9.1f} ms "
                         f"{'':>9}  rdflib-endpoint")
        lines.append(f"{name:16} {'peak memory (MB)':38} {our_peak_mb(d):>12,.0f} "
                     f"{max(load['peak_mb']['rdflib'], serve['rdflib_endpoint_peak_mb']):>12,.0f} {'':>9}  rdflib")
        late = unfinished(d, "rdflib")
        if late:
            lines.append(f"{name:16} rdflib did not finish within the time limit (or was not reached): {', '.join(late)}")
    lines += ["", "targets:"]
    for t in results["targets"]:
        lines.append(f"  [{'ok' if t['holds'] else 'MISSED'}] {t['target']}: {quantity(t['measured'], t['unit'])} "
                     f"(bound {quantity(t['bound'], t['unit'])})")
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> None:
    """Query latency (median and slowest over the catalogue) against graph size, one line per engine."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    datasets = sorted(results["datasets"], key=lambda d: d["triples"])
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for engine, colour in zip(ENGINES, ("tab:blue", "tab:orange", "tab:green")):
        points = [(d["triples"], list(medians(d, engine).values())) for d in datasets if medians(d, engine)]
        sizes = [size for size, _ in points]
        left.plot(sizes, [statistics.median(v) * 1000 for _, v in points], "o-", color=colour,
                  label=f"{engine}: median query")
        left.plot(sizes, [max(v) * 1000 for _, v in points], "x--", color=colour, alpha=0.6,
                  label=f"{engine}: slowest query")
    left.set(xscale="log", yscale="log", xlabel="triples (asserted)", ylabel="latency (ms)",
             title="Catalogue queries by engine")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=7)
    sizes = [d["triples"] for d in datasets]
    for label, values in (("load Turtle: Oxigraph", [d["load"]["oxigraph_cold_s"] for d in datasets]),
                          ("load Turtle: rdflib", [d["load"]["rdflib_s"] for d in datasets]),
                          ("open cached store", [d["load"]["oxigraph_warm_s"] for d in datasets]),
                          ("closure: rules", [d["closure"]["rules_cold_s"] for d in datasets]),
                          ("closure: owlrl", [d["closure"]["owlrl_s"] for d in datasets]),
                          ("validate submission", [d["validate"]["warm"] for d in datasets])):
        shown = [(x, y) for x, y in zip(sizes, values) if y is not None]
        right.plot([x for x, _ in shown], [y for _, y in shown], "o-", label=label)
    right.set(xscale="log", yscale="log", xlabel="triples (asserted)", ylabel="seconds",
              title="Loading, reasoning, validation")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=7)
    figure.suptitle(f"bp-graph benchmark {results['date']} ({results['machine']['cpus']} CPUs)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


README_START, README_END = "<!-- bench:start -->\n", "<!-- bench:end -->"


def latest_full_run(folder: Path) -> Path | None:
    """The newest full run's results in ``folder`` (a quick run's name ends in ``-quick.json``)."""
    runs = sorted(folder.glob("20*-*-??.json"))
    return runs[-1] if runs else None


def other_host(latest: dict[str, Any], cpu: str | None) -> str | None:
    """A warning when this host's ``cpu`` is not the one of the ``latest`` full run: timings are of
    the host first (the same code ran 2-3x slower on an Intel Xeon at 2.0 GHz than on an AMD EPYC)."""
    theirs = latest.get("machine", {}).get("cpu")
    if not theirs or not cpu or theirs == cpu:
        return None
    return (f"note: this host's CPU is {cpu!r}; the latest full run's was {theirs!r}: absolute timings "
            "(the 1 ms and 500 ms bounds) compare only on the same CPU")


def readme_block(results: dict[str, Any], name: str) -> str:
    """The README's benchmark block for the results file ``name``: its targets as a Markdown table
    and its plot. What a run means (why a target is missed) is written below the block, by hand."""
    machine = results["machine"]
    lines = [f"Latest full run (`bench/results/{name}`, {machine['cpus']} cores, {machine.get('cpu', '')}; "
             "medians, ratios from the same run):", "",
             "| target | measured | bound | |", "|---|---|---|---|"]
    lines += [f"| {t['target']} | {quantity(t['measured'], t['unit'])} | {quantity(t['bound'], t['unit'])} | "
              + ("met" if t["holds"] else "**missed**") + " |" for t in results["targets"]]
    lines += ["", "![Query latency against graph size per engine; loading, reasoning and validation]"
                  f"(bench/results/{name.removesuffix('.json')}-latency.png)"]
    return README_START + "\n".join(lines) + "\n" + README_END


def with_readme_block(readme: str, block: str) -> str:
    """``readme`` with its benchmark block replaced by ``block``."""
    head, rest = readme.split(README_START, 1)
    return head + block + rest.split(README_END, 1)[1]


def main(argv: list[str]) -> int:
    """``python bench/report.py RESULTS.json``: rewrite README.md's benchmark block from a full run."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python bench/report.py",
                                     description="Rewrite README.md's benchmark block (in place) from a full "
                                                 "run's results file.")
    parser.add_argument("results", type=Path, help="a full run's results, e.g. bench/results/2026-12-02.json")
    path = parser.parse_args(argv).results
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
        block = readme_block(results, path.name)
    except (OSError, ValueError) as exc:
        parser.error(f"{path}: {exc}")
    except (KeyError, TypeError) as exc:  # a quick run or another file has no targets
        parser.error(f"{path}: not the results of a full run ({type(exc).__name__}: {exc}); "
                     "give a file python bench/run.py wrote")
    readme = Path(__file__).resolve().parent.parent / "README.md"
    readme.write_text(with_readme_block(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
    print(f"README.md: benchmark block rewritten from {path.name}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
