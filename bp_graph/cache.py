"""The cache directory: stores, closures, parsed query headers and sites, each kept under a
content hash so that a change to any input file makes a new entry instead of a stale answer."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
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


def current_umask() -> int:
    """The process's umask (reading it means setting it: it is set back at once).

    >>> 0 <= current_umask() <= 0o777
    True
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Let ``write`` fill a temporary file beside ``target``, then rename it to ``target``, so that
    a concurrent reader sees either nothing or the whole file.

    >>> write_atomically(cache_dir() / "example.txt", lambda path: path.write_text("whole")).read_text()
    'whole'
    """
    import tempfile  # here, not at the top: a cold query writes nothing

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def fingerprint(files: Iterable[Path], *extra: str) -> str:
    """A short content hash of files (names and bytes), ``extra`` and the bp-graph version.

    Hashing is remembered under the files' stat records (path, size, inode, modification and
    change times, as git's index does): reopening a million-triple graph would otherwise read
    and hash its 70 MB of Turtle every time. Any write to a file changes its change time.

    >>> len(fingerprint([]))
    16
    """
    files = list(files)
    head = "\0".join([__version__, *extra])
    stats = "\0".join(f"{path.resolve()}:{s.st_size}:{s.st_ino}:{s.st_mtime_ns}:{s.st_ctime_ns}"
                      for path, s in ((path, path.stat()) for path in files))
    memo = cache_dir() / "fingerprints" / hashlib.sha256(f"{head}\0{stats}".encode()).hexdigest()[:32]
    try:
        return memo.read_text(encoding="ascii")
    except OSError:
        pass
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    value = digest.hexdigest()[:16]
    memo.parent.mkdir(exist_ok=True)
    write_atomically(memo, lambda path: path.write_text(value, encoding="ascii"))
    return value
