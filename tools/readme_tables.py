"""Regenerate the computed tables of README.md (coverage per source document) from the graph.

``python tools/readme_tables.py`` rewrites the marked regions; ``--check`` exits 1 when README.md
differs from what the graph gives (run by the tests, so the README never drifts from the data).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COLUMNS = ["participations", "interventions", "outcomes", "decisions", "people", "meetings", "workingGroups",
           "memberships", "projects", "quotes"]


def coverage_table() -> str:
    from bp_graph import KnowledgeGraph

    rows = KnowledgeGraph.open().query("coverage").as_dicts()  # type: ignore[union-attr]
    header = "| source document | " + " | ".join(COLUMNS) + " |"
    lines = [header, "|---" * (len(COLUMNS) + 1) + "|"]
    totals = [0] * len(COLUMNS)
    for row in rows:
        values = [int(row[c]) for c in COLUMNS]  # type: ignore[arg-type]
        totals = [t + v for t, v in zip(totals, values)]
        lines.append(f"| {row['label']} | " + " | ".join(str(v) for v in values) + " |")
    lines.append("| **all documents** (a resource from two documents counts twice) | "
                 + " | ".join(f"**{t}**" for t in totals) + " |")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    start, end = "<!-- coverage:start -->\n", "<!-- coverage:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + coverage_table() + end + tail


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if current != wanted:
            print("README.md tables are out of date: run python tools/readme_tables.py")
            return 1
        return 0
    if current == wanted:
        print("README.md tables are up to date")
        return 0
    README.write_text(wanted, encoding="utf-8")
    print("README.md tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
