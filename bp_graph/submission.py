"""Accepting a validated submission into ``data/``: a new file, written atomically, never
overwriting a fact.

``submit`` validates the file (see :mod:`bp_graph.validation`) and, if it conforms, writes it as
a new Turtle file named after its content: ``data/meetings/{meeting slug}.ttl`` for a submission
that describes one meeting, else ``data/submissions/{sha256 prefix}.ttl``. It refuses when the
file exists, when any subject of the submission already has triples in the data (existing facts
are never overwritten or extended), and when the identical bytes were accepted before (each
accepted file records the SHA-256 of the submitted bytes in its first line).

The write cannot leave ``data/`` half-changed: the content goes to a temporary file in a staging
folder beside ``data/`` on the same file system, is flushed and fsynced, and is then renamed into
place (an atomic step) and the folder fsynced. A crash or kill before the rename leaves ``data/``
byte for byte as it was; after it, the file is complete. Submissions into one data folder are
serialised with a lock in the cache directory. ``BP_GRAPH_TEST_CRASH_AT`` (``after-validate``,
``mid-write``, ``before-rename``) makes the process kill itself at that point, for the tests.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .cache import current_umask
from .errors import SubmissionConflict, SubmissionError, SubmissionRejected
from .namespaces import BASE, PREFIXES
from .validation import (
    Inference,
    InputFormat,
    Limits,
    ValidationReport,
    _known_in_store,
    _parse_sources,
    _Parsed,
    _validate_parsed,
    meeting_classes,
    open_reference,
)

CRASH_ENV = "BP_GRAPH_TEST_CRASH_AT"
CRASH_POINTS = ("after-validate", "mid-write", "before-rename")
HEADER_MARK = "# bp-graph submission sha256:"
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


def default_data_dir() -> Path:
    """The ``data/`` folder submissions go to by default: the packaged one of a checkout.

    >>> default_data_dir().name
    'data'
    """
    from .resources import resource_dir

    return resource_dir("data")


def _installed_resources() -> Path:
    return Path(__file__).resolve().parent / "_resources"


def writable_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Check that ``data_dir`` (default: the checkout's ``data/``) may receive submissions.

    Refuses the data inside an installed wheel: it would be lost on upgrade and is not the
    project's repository.

    >>> writable_data_dir().is_dir()
    True
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    resolved = folder.resolve()
    installed = _installed_resources().resolve()
    if resolved == installed or installed in resolved.parents:
        raise SubmissionError(f"{folder} is the data of an installed bp-graph package: submissions go into a "
                              "checkout of the repository; pass --data-dir path/to/checkout/data")
    if not resolved.is_dir():
        raise SubmissionError(f"{folder}: no such data folder")
    if not os.access(resolved, os.W_OK):
        raise SubmissionError(f"{folder}: not writable")
    return resolved


def target_for(graph: object, digest: str, data_dir: Path) -> Path:
    """Where an accepted submission is written: one meeting -> ``meetings/{slug}.ttl``, else
    ``submissions/{sha256 prefix}.ttl``.

    >>> import rdflib
    >>> g = rdflib.Graph()
    >>> _ = g.add((rdflib.URIRef("https://w3id.org/bp-graph/meeting/2023-11-07-dhaka"), rdflib.RDF.type,
    ...            rdflib.URIRef("https://w3id.org/bp-graph/ontology#WorkingGroupMeeting")))
    >>> target_for(g, "ab" * 32, Path("data")).as_posix()
    'data/meetings/2023-11-07-dhaka.ttl'
    """
    import rdflib

    assert isinstance(graph, rdflib.Graph)
    kinds = {rdflib.URIRef(c) for c in meeting_classes()}
    meetings = sorted({str(s) for s, o in graph.subject_objects(rdflib.RDF.type)
                       if o in kinds and isinstance(s, rdflib.URIRef)})
    if len(meetings) == 1 and meetings[0].startswith(BASE + "meeting/"):
        slug = meetings[0][len(BASE + "meeting/"):]
        if _SLUG.match(slug) and ".." not in slug:
            return data_dir / "meetings" / f"{slug}.ttl"
    return data_dir / "submissions" / f"{digest[:16]}.ttl"


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def _locked(data_dir: Path, timeout: float = 60.0) -> Iterator[None]:
    from .cache import cache_dir

    try:
        import fcntl
    except ImportError:  # not POSIX: rely on the no-clobber checks alone
        yield
        return
    key = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    with open(cache_dir() / f"submit-{key}.lock", "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SubmissionError(f"another submission into {data_dir} is being written; try again") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _staging_dir(data_dir: Path, target_dir: Path) -> Path:
    """A folder beside ``data/`` on the same file system (else the target folder itself)."""
    staging = data_dir.parent / f".{data_dir.name}.bp-graph-staging"
    try:
        staging.mkdir(exist_ok=True)
        for stale in staging.glob(".*.part"):  # left by a killed submission (we hold the lock)
            stale.unlink(missing_ok=True)
        anchor = target_dir if target_dir.is_dir() else data_dir
        if os.stat(staging).st_dev == os.stat(anchor).st_dev:
            return staging
    except OSError:
        pass
    return target_dir


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(target: Path, body: bytes, *, data_dir: Path) -> None:
    """Write ``body`` as the new file ``target`` under ``data_dir``: temporary file, flush,
    fsync, rename, fsync of the folder. Refuses to replace an existing file.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "data"; root.mkdir()
    >>> atomic_write(root / "meetings" / "x.ttl", b"# empty\\n", data_dir=root)
    >>> (root / "meetings" / "x.ttl").read_bytes()
    b'# empty\\n'
    """
    if target.exists():
        raise SubmissionConflict(f"{target} exists already: an accepted file is never replaced")
    staging = _staging_dir(data_dir, target.parent)
    mask = current_umask()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=staging)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~mask)
            half = len(body) // 2
            handle.write(body[:half])
            if os.environ.get(CRASH_ENV) == "mid-write":
                handle.flush()
                os.fsync(handle.fileno())
                _crash_point("mid-write")
            handle.write(body[half:])
            handle.flush()
            os.fsync(handle.fileno())
        _crash_point("before-rename")
        created = not target.parent.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        if created:
            _fsync_dir(target.parent.parent)
        if target.exists():
            raise SubmissionConflict(f"{target} appeared while writing: an accepted file is never replaced")
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
        if staging != target.parent:
            with contextlib.suppress(OSError):
                staging.rmdir()


def _body(items: list[_Parsed], digest: str, report: ValidationReport) -> bytes:
    """The Turtle to write: a single submitted Turtle file as it is (comments kept) when it parses
    to the same triples without a base IRI, else the graph of all the files serialised as Turtle."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    names = ", ".join(Path(item.name).name for item in items)
    header = f"{HEADER_MARK}{digest} ({names}, accepted {stamp} by bp-graph submit)\n".encode()
    graph = report.graph
    assert graph is not None
    if len(items) == 1 and items[0].format == "turtle":
        original = items[0].data.removeprefix(b"\xef\xbb\xbf")
        if _same_triples(original, graph):
            return header + original
    declared = {k: v for item in reversed(items) for k, v in item.prefixes.items() if k}  # the first file's win
    for prefix, iri in {**PREFIXES, **declared}.items():
        graph.bind(prefix, iri, override=False)
    serialised = graph.serialize(format="turtle", encoding="utf-8")
    if not _same_triples(serialised, graph):
        raise SubmissionError("the submission cannot be written as Turtle that reads back the same triples")
    return header + b"\n" + serialised


def _same_triples(turtle: bytes, graph: object) -> bool:
    """True when ``turtle`` reads back (without a base IRI, by Oxigraph and rdflib, as ``data/`` is
    read) into the triples of ``graph`` (blank nodes compared by count)."""
    import pyoxigraph as ox
    import rdflib

    from .validation import _term_converter

    assert isinstance(graph, rdflib.Graph)
    convert = _term_converter()

    def ground(triples: object) -> tuple[set[tuple[object, ...]], int]:
        fixed, blank = set(), 0
        for triple in triples:  # type: ignore[attr-defined]
            if any(isinstance(t, rdflib.BNode) for t in triple):
                blank += 1
            else:
                fixed.add(tuple(triple))
        return fixed, blank

    try:
        by_oxigraph = rdflib.Graph()
        for quad in ox.parse(input=turtle, format=ox.RdfFormat.TURTLE, base_iri=None):
            by_oxigraph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        by_rdflib = rdflib.Graph().parse(data=turtle, format="turtle")
    except Exception:  # noqa: BLE001 (any parser failure means "does not read back")
        return False
    expected = ground(graph)
    return ground(by_oxigraph) == expected and ground(by_rdflib) == expected


def _accepted_before(data_dir: Path, digest: str) -> Path | None:
    mark = f"{HEADER_MARK}{digest}".encode()
    for path in sorted(data_dir.rglob("*.ttl")):
        with open(path, "rb") as handle:
            if handle.readline().startswith(mark):
                return path
    return None


def submit(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
           data_dir: str | os.PathLike[str] | None = None, inference: Inference = "none", strict: bool = False,
           format: InputFormat | None = None, limits: Limits | None = None,
           on_report: Callable[[ValidationReport], None] | None = None) -> Path:
    """Validate the submission at ``paths`` (one file, or several read as one submission, as
    :func:`~bp_graph.validate` reads them) and, if it conforms, write it into ``data_dir`` as one
    new file; return that file's path.

    Raises :class:`~bp_graph.errors.SubmissionRejected` (with the report) when it does not
    conform, :class:`~bp_graph.errors.SubmissionConflict` when it would overwrite a file or
    existing facts or repeats an accepted submission, :class:`~bp_graph.errors.ParseError` or
    :class:`~bp_graph.errors.SubmissionError` when it cannot be read safely. Nothing is written
    then. ``on_report`` receives the validation report as soon as it exists.

    >>> import shutil, tempfile
    >>> work = Path(tempfile.mkdtemp()); copy = work / "data"
    >>> _ = shutil.copytree(default_data_dir(), copy)
    >>> _ = (work / "report.ttl").write_text('''@prefix bp: <https://w3id.org/bp-graph/ontology#> .
    ... <https://w3id.org/bp-graph/source/doctest-report> a bp:SourceDocument ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "A partner's report"@en ; bp:fileName "report.txt" .''')
    >>> submit(work / "report.ttl", data_dir=copy).parent.name
    'submissions'
    >>> submit(work / "report.ttl", data_dir=copy)
    Traceback (most recent call last):
    ...
    bp_graph.errors.SubmissionConflict: ...: this exact submission was accepted before as submissions/...; nothing was written
    """
    started = time.perf_counter()
    folder = writable_data_dir(data_dir)
    limits = limits or Limits()
    files = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not files:
        raise SubmissionError("no file to submit: name the report's file or files")
    submitted = ", ".join(map(str, files))  # how the messages name the submission
    with _locked(folder):
        parsed, errors, names = _parse_sources(files, format=format, limits=limits)
        if errors:
            report = ValidationReport(sources=names, errors=tuple(errors), strict=strict,
                                      inference=inference, seconds=time.perf_counter() - started)
            if on_report is not None:
                on_report(report)
            raise errors[0].exception()
        # One file's digest is its bytes' (as before several were accepted); several files', their digests'.
        digests = [hashlib.sha256(item.data).hexdigest() for item in parsed]
        digest = digests[0] if len(digests) == 1 else hashlib.sha256(" ".join(sorted(digests)).encode()).hexdigest()
        earlier = _accepted_before(folder, digest)
        if earlier is not None:
            raise SubmissionConflict(f"{submitted}: this exact submission was accepted before as "
                                     f"{earlier.relative_to(folder).as_posix()}; nothing was written")
        kg = open_reference(None if data_dir is None else folder)
        import rdflib

        subjects = {str(s) for item in parsed for s in item.graph.subjects() if isinstance(s, rdflib.URIRef)}
        existing = sorted(_known_in_store(kg, subjects))
        if existing:
            shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
            raise SubmissionConflict(f"{submitted}: the data already describes {shown}: a submission adds new nodes "
                                     "only and never changes existing facts; nothing was written")
        report = _validate_parsed(parsed, kg=kg, inference=inference, strict=strict, started=started)
        if on_report is not None:
            on_report(report)
        if not report.conforms:
            counts = ", ".join(f"{n} {k}{'s' * (n != 1)}" for k, n in report.counts.items() if n)
            raise SubmissionRejected(f"{submitted}: the submission does not conform ({counts}); nothing was written",
                                     report=report)
        _crash_point("after-validate")
        graph = report.graph
        assert graph is not None
        target = target_for(graph, digest, folder)
        if target.exists():
            raise SubmissionConflict(f"{submitted}: {target.relative_to(folder)} exists already; nothing was written")
        atomic_write(target, _body(parsed, digest, report), data_dir=folder)
    return target
