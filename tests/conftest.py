"""Fixtures: the packaged graph on each engine, and a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bp_graph import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed ``bp-graph`` command (as a user would) and capture its output."""
    return subprocess.run([sys.executable, "-m", "bp_graph.cli", *args], input=input, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def stop_process(process: subprocess.Popen, *, grace: float = 20) -> None:
    """Stop a server started by a fixture: SIGTERM by PID, SIGKILL if it does not exit in time.

    Popen's terminate/kill signal the PID only while the process is unreaped, so a server that
    already died (and whose PID may be reused) is left alone and its own failure is reported."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def graph() -> KnowledgeGraph:
    return KnowledgeGraph.open()


@pytest.fixture(scope="session")
def rdflib_graph() -> KnowledgeGraph:
    return KnowledgeGraph.open(engine="rdflib")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1 (union default graph), stopped by its PID; yields its base URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the oxigraph server is not installed: pip install oxigraph (it is in the test extra)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph", "--timeout-s", "30"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the oxigraph server did not start")
                time.sleep(0.1)
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def loaded_server(oxigraph_server: str) -> str:
    """The Oxigraph server loaded with the packaged graph through ``bp-graph load-endpoint``."""
    done = run_cli("load-endpoint", f"{oxigraph_server}/store")
    assert done.returncode == 0, done.stderr
    return oxigraph_server


@pytest.fixture(scope="session")
def remote_graph(loaded_server: str) -> KnowledgeGraph:
    return KnowledgeGraph.open(engine="remote", endpoint=f"{loaded_server}/query")
