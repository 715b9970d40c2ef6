"""OWL RL closure with owlrl, cached on disk by content hash.

owlrl needs seconds on ten thousand triples, so the closure of a given set of files is computed
once and kept as N-Triples in the user cache directory. Reasoning never mutates its input.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from . import __version__


def cache_dir() -> Path:
    """Where bp-graph keeps caches (``BP_GRAPH_CACHE`` overrides the user cache directory).

    >>> cache_dir().is_dir()
    True
    """
    path = Path(os.environ.get("BP_GRAPH_CACHE") or platformdirs.user_cache_dir("bp-graph"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def fingerprint(files: Iterable[Path], *extra: str) -> str:
    """A short content hash of files (names and bytes) and the bp-graph version.

    >>> len(fingerprint([]))
    16
    """
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:16]


def owl_rl_closure(graph: object) -> object:
    """The triples OWL RL entails from ``graph`` that it does not state; ``graph`` is not changed.

    >>> import rdflib
    >>> g = rdflib.Graph().parse(data='''@prefix : <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   :A rdfs:subClassOf :B . :x a :A .''', format="turtle")
    >>> (rdflib.URIRef("http://e/x"), rdflib.RDF.type, rdflib.URIRef("http://e/B")) in owl_rl_closure(g)
    True
    >>> len(g)
    2
    """
    import rdflib
    from owlrl import DeductiveClosure, OWLRL_Semantics

    work = rdflib.Graph()
    for triple in graph:  # type: ignore[attr-defined]
        work.add(triple)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    inferred = rdflib.Graph()
    for s, p, o in work:
        # owlrl's bookkeeping: literal subjects and x owl:sameAs x carry no information.
        if isinstance(s, rdflib.Literal) or (p == rdflib.OWL.sameAs and s == o):
            continue
        if (s, p, o) not in graph:  # type: ignore[operator]
            inferred.add((s, p, o))
    return inferred


def cached_closure(files: list[Path]) -> Path:
    """The N-Triples file of the OWL RL closure of ``files``, computed once per content hash."""
    target = cache_dir() / f"closure-{fingerprint(files, 'owlrl')}.nt"
    if target.is_file():
        return target
    import rdflib

    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle", publicID=_base())
    data = owl_rl_closure(graph).serialize(format="nt", encoding="utf-8")  # type: ignore[attr-defined]
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return target


def _base() -> str:
    from .namespaces import BASE

    return BASE
