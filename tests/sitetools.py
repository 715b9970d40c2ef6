"""The published site shared by test_publishing, test_server and test_browser: the real graph is
published once per test session into a temporary folder.

``BP_GRAPH_SITE_EXTRA`` (Turtle files separated by ``os.pathsep``) publishes them together with the
packaged data, to try these tests on data that is not in ``data/`` yet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib

from bp_graph import KnowledgeGraph, PublishReport, SiteData, publish
from bp_graph.namespaces import BASE, GRAPH, INFERRED_GRAPH

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"


@dataclass
class Published:
    kg: KnowledgeGraph
    site: SiteData
    out: Path
    report: PublishReport


_STATE: dict[str, Published] = {}


def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The site of the real graph, published on first use in the session."""
    if "site" not in _STATE:
        from bp_graph.resources import data_files

        extra = [Path(p) for p in os.environ.get("BP_GRAPH_SITE_EXTRA", "").split(os.pathsep) if p]
        kg = KnowledgeGraph.open(files=[*data_files(), *extra]) if extra else KnowledgeGraph.open()
        out = tmp_path_factory.mktemp("published") / "site"
        report = publish(out, graph=kg)
        _STATE["site"] = Published(kg, SiteData.load(kg), out, report)
    return _STATE["site"]


def asserted_graphs(kg: KnowledgeGraph) -> dict[str, rdflib.Graph]:
    """Each source file parsed with rdflib (independently of the publisher), by named graph."""
    graphs = {}
    for source in kg.sources:
        graphs[source.graph] = rdflib.Graph().parse(source.path, format="turtle", publicID=BASE)
    return graphs


def union(graphs: dict[str, rdflib.Graph], *, prefix: str = "") -> rdflib.Graph:
    """The union of the graphs whose name starts with ``prefix``."""
    merged = rdflib.Graph()
    for name, graph in graphs.items():
        if name.startswith(prefix) and name != str(INFERRED_GRAPH):
            for triple in graph:
                merged.add(triple)
    return merged


ONTOLOGY_GRAPHS = str(GRAPH["ontology/"])
