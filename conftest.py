"""Test-session settings shared by tests/ and the doctests in bp_graph/."""

from __future__ import annotations

import os
import tempfile

# Keep the caches of a test run apart from the user's: one fresh directory per session.
os.environ.setdefault("BP_GRAPH_CACHE", tempfile.mkdtemp(prefix="bp-graph-test-cache-"))
