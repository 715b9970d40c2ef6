"""The package type-checks: mypy, configured in pyproject.toml, finds no error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_mypy_finds_no_errors() -> None:
    # no arguments: [tool.mypy] names the files, so this is the check a developer runs
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
