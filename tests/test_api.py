"""The public API: every name in ``__all__`` resolves and is documented with an example; running a
named query on the embedded store stays off rdflib (the cold command line depends on it)."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import bp_graph


def test_all_lists_exactly_the_exported_names() -> None:
    assert sorted(bp_graph.__all__) == sorted(bp_graph._EXPORTS)


@pytest.mark.parametrize("name", bp_graph.__all__)
def test_public_name_resolves_and_has_a_docstring_with_an_example(name: str) -> None:
    value = getattr(bp_graph, name)
    if inspect.isclass(value) or inspect.isfunction(value):
        assert value.__module__.startswith("bp_graph."), name
        assert ">>>" in (inspect.getdoc(value) or ""), f"{name} needs a docstring with a runnable example"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'KnowledgeGrap'"):
        bp_graph.KnowledgeGrap  # noqa: B018


def test_a_named_query_on_the_embedded_store_does_not_import_rdflib() -> None:
    code = ("import sys; from bp_graph.cli import main; sys.argv = ['bp-graph', 'query', 'meetings', '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'rdflib' not in sys.modules, 'rdflib was imported'\n"
            "assert 'yaml' not in sys.modules, 'yaml was imported on a warm query cache'\n")
    subprocess.run([sys.executable, "-c", code], capture_output=True)  # warms the caches (a cold one reads YAML)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"meeting"' in done.stdout


def test_to_dataframe_without_pandas_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed, whether it is or not
    rows = bp_graph.QueryResult(["x"], [])
    with pytest.raises(ImportError, match=r"needs pandas: pip install 'bp-graph\[pandas\]'"):
        rows.to_dataframe()
