"""Test-session settings shared by tests/ and the doctests in bp_graph/."""

from __future__ import annotations

import os
import shutil
import tempfile

# Keep the caches of a test run apart from the user's: one fresh directory per session (unless
# BP_GRAPH_CACHE names one, as .ci/run does); subprocesses inherit it.
_OWN_CACHE = None if os.environ.get("BP_GRAPH_CACHE") else tempfile.mkdtemp(prefix="bp-graph-test-cache-")
if _OWN_CACHE:
    os.environ["BP_GRAPH_CACHE"] = _OWN_CACHE


def pytest_unconfigure() -> None:
    if _OWN_CACHE:
        shutil.rmtree(_OWN_CACHE, ignore_errors=True)
