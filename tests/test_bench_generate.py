"""bench/generate.py: seeded synthetic data that conforms to the shapes and feeds the named queries."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph
import pytest

from bp_graph import KnowledgeGraph, validate, validate_data

from .conftest import ROOT

TARGET = 10_000


def _load_bench_module(name: str) -> ModuleType:
    # bench/ is not part of the wheel: load the script by path. It must be in sys.modules
    # before it runs, because dataclasses look their module up there.
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_bench_module("generate")
tasks = _load_bench_module("tasks")


@pytest.fixture(scope="module")
def synthetic() -> object:
    return generate.synthesise(TARGET, seed=1)


@pytest.fixture(scope="module")
def data_dir(synthetic: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated file beside the reference files it points into."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate.write(synthetic.files, folder)
    for path in generate.reference_paths():
        shutil.copy(path, folder / path.name)
    return folder


def test_same_seed_same_bytes_other_seed_other_bytes(synthetic: object) -> None:
    assert generate.generate(TARGET, seed=1) == synthetic.files
    assert generate.generate(TARGET, seed=2) != synthetic.files
    assert generate.submission(3) == generate.submission(3) != generate.submission(4)


def test_size_is_near_the_target_and_counted_exactly(synthetic: object) -> None:
    per_file = {name: sum(1 for _ in pyoxigraph.parse(input=text.encode(), format=pyoxigraph.RdfFormat.TURTLE))
                for name, text in synthetic.files.items()}  # each file parses on its own
    parsed = sum(per_file.values())
    assert parsed == synthetic.triples
    assert abs(parsed - TARGET) <= 300  # whole meetings: the docstring promises "within about 250"


def test_one_file_per_dialogue(synthetic: object) -> None:
    # 10k triples already hold two dialogues (generate.CYCLE_MEETINGS); each has its own file.
    assert sorted(synthetic.files) == ["budapest-process.ttl", "synthetic-process-1.ttl"]
    for name, text in synthetic.files.items():
        other = "Synthetic Process 1" if name == "budapest-process.ttl" else "the Budapest Process, "
        assert other not in text


def test_synthetic_iris_are_marked_and_states_are_the_real_ones(synthetic: object) -> None:
    quads = list(pyoxigraph.parse(input=synthetic.turtle.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    subjects = {q.subject.value for q in quads if isinstance(q.subject, pyoxigraph.NamedNode)}
    assert subjects and all("synthetic" in s for s in subjects)
    states = {q.object.value for q in quads if q.object.value.startswith("https://w3id.org/bp-graph/state/")}
    known = (ROOT / "data" / "reference" / "states.ttl").read_text(encoding="utf-8")
    assert states and all(f"state:{iri.rsplit('/', 1)[1]} a bp:State" in known for iri in states)


def test_conforms_to_the_shapes(data_dir: Path) -> None:
    report = validate_data(data_dir=data_dir)
    assert report.counts == {"Violation": 0, "Warning": 0, "Info": 0}, report.text()


def test_submission_conforms_against_the_real_graph() -> None:
    report = validate(("synthetic-submission.ttl", generate.submission(1).encode()))
    assert report.conforms, report.text()
    assert report.counts["Warning"] == 0, report.text()
    assert 150 <= report.triples <= 250


def test_every_named_query_returns_rows_with_the_benchmarks_parameters(synthetic: object, data_dir: Path) -> None:
    kg = KnowledgeGraph.open(files=[*(data_dir / name for name in synthetic.files), *generate.reference_paths()],
                             persistent=False,
                             reasoning=False)
    calls = tasks.parameters(kg)
    assert set(calls) == set(kg.catalogue)
    empty = [name for name, params in calls.items() if not kg.query(name, **params).rows]
    assert empty == []
