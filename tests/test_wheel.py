"""The wheel carries the ontology, data and queries: installed outside the repository, it works."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_loads_ontology_shapes_and_queries(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("bp_graph-*.whl"))
    import zipfile

    licences = {Path(n).name for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/licenses/" in n}
    assert licences >= {"LICENSE", "LICENSE-DATA.md"}  # the code's and the data's, with the data they cover
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The wheel itself is installed for real; its dependencies come from this environment,
    # which a .pth file puts on the new environment's path (no network needed).
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "parent-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    script = (
        "import bp_graph, rdflib\n"
        "from bp_graph.resources import resource_dir, shapes_file, ontology_files\n"
        "assert '_resources' in str(resource_dir('ontology')), resource_dir('ontology')\n"
        "assert str(resource_dir('ontology')).startswith(%r)\n"
        "g = rdflib.Graph().parse(ontology_files()[0]); s = rdflib.Graph().parse(shapes_file())\n"
        "kg = bp_graph.KnowledgeGraph.open(reasoning=False)\n"
        "rows = kg.query('states').as_dicts()\n"
        "print(len(g), len(s), len(rows))\n" % str(env_dir))
    done = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          env={"BP_GRAPH_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    onto, shapes, states = (int(n) for n in done.stdout.split())
    assert onto > 500 and shapes > 500 and states > 0
