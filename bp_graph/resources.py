"""Locating the packaged ontology, data and queries (inside the wheel, or in a checkout)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .errors import ResourceNotFound

ResourceKind = Literal["ontology", "data", "queries"]

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(kind: ResourceKind) -> Path:
    """The directory holding the packaged ``ontology``, ``data`` or ``queries`` files.

    An installed wheel carries them in ``bp_graph/_resources``; an editable install or a checkout
    finds them beside the package.

    >>> resource_dir("ontology").joinpath("bp.ttl").is_file()
    True
    """
    for candidate in (_PACKAGE / "_resources" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise ResourceNotFound(f"packaged folder {kind!r} not found beside {_PACKAGE}; reinstall bp-graph")


def ontology_files() -> list[Path]:
    """The ontology's Turtle files: the core, the vocabularies and the alignments (not the shapes).

    >>> [p.name for p in ontology_files()][:1]
    ['bp.ttl']
    """
    folder = resource_dir("ontology")
    core = folder / "bp.ttl"
    return [core] + sorted(p for p in folder.glob("*.ttl") if p.name not in {"bp.ttl", "shapes.ttl"})


def shapes_file() -> Path:
    """The SHACL shapes graph.

    >>> shapes_file().name
    'shapes.ttl'
    """
    path = resource_dir("ontology") / "shapes.ttl"
    if not path.is_file():
        raise ResourceNotFound(f"{path} is missing")
    return path


def data_files() -> list[Path]:
    """Every Turtle file of the packaged data, in a stable order.

    >>> any(p.name == "sources.ttl" for p in data_files())
    True
    """
    return sorted(resource_dir("data").rglob("*.ttl"))
