"""Curator's check of data/: parse, verbatim quotes, declared terms, known IRIs, one label.

Run from the repository root: ``python tools/check_data.py [FILE ...]``. Exit 1 on any problem.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, URIRef

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
BASE = "https://w3id.org/bp-graph/"
BP = BASE + "ontology#"
OA_EXACT = URIRef("http://www.w3.org/ns/oa#exact")
GENERATED_KINDS = ("state/", "city/")


def collapse(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((ROOT / "data").rglob("*.ttl"))
    problems: list[str] = []
    onto = rdflib.Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        onto.parse(f, format="turtle")
    declared = {str(s) for s in onto.subjects()}
    seeds = collapse(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    if not seeds:  # every quote would be "not verbatim"
        problems.append(f"{SEEDS}: no source documents there, so no quote is checked; put ../shared/seeds "
                        "beside the checkout")
    everything = rdflib.Graph()
    for f in sorted((ROOT / "data").rglob("*.ttl")):
        try:
            everything.parse(f, format="turtle", publicID=BASE)
        except Exception as exc:  # report every file, not just the first
            problems.append(f"{f}: does not parse: {exc}")
    for f in files:
        g = rdflib.Graph()
        try:
            g.parse(f, format="turtle", publicID=BASE)
        except Exception:
            continue
        for s, p, o in g:
            for term in (p, o if p == RDF.type else None):
                if isinstance(term, URIRef) and str(term).startswith(BP) and str(term) not in declared:
                    problems.append(f"{f}: term {term} is not declared in ontology/")
            if p == OA_EXACT and seeds:
                quote = collapse(str(o))
                if not quote or quote not in seeds:
                    problems.append(f"{f}: quote not verbatim in the seeds: {quote[:100]!r}")
            for node in (s, o):
                if (isinstance(node, URIRef) and str(node).startswith(BASE) and not str(node).startswith(BP)
                        and not str(node)[len(BASE):].startswith(GENERATED_KINDS)
                        and (node, RDF.type, None) not in everything and (node, RDF.type, None) not in onto):
                    problems.append(f"{f}: {node} has no rdf:type anywhere in data/ or ontology/")
    for s in set(everything.subjects(RDFS.label, None)):
        labels = [l for l in everything.objects(s, RDFS.label) if getattr(l, "language", None) == "en"]
        if len(labels) > 1:
            problems.append(f"{s} has {len(labels)} English rdfs:labels: {[str(l) for l in labels]}")
    for line in sorted(set(problems)):
        print(line)
    print(f"{len(set(problems))} problem(s) in {len(files)} file(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
