"""A substring index for the embedded engine: names found by text without scanning every literal.

Oxigraph has no text index, so ``FILTER(CONTAINS(LCASE(?name), LCASE(?text)))`` reads every name
in the graph (a million triples: 0.4 s of RocksDB reads before the filter keeps a few). A query
opts in by marking the group that lists what it searches::

    # text-index: ?written of ?resource, searched for ?text
    { ?resource rdfs:label ?written } UNION { ?resource skos:altLabel ?written }
    # end text-index
    FILTER(CONTAINS(LCASE(STR(?written)), LCASE(STR(?text))))

Every engine runs the query as written. The embedded engine lists the marked group's pairs once
(:class:`NameIndex`), finds those whose name contains the bound text by a search of one lower-cased
string, and runs the query with the group replaced by a ``VALUES`` block of those pairs only. The
query's own FILTER still decides, so the index needs only to find every pair the FILTER keeps; a
test compares both paths on every word of every name.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .results import Term

_MARK = re.compile(r"^[ \t]*# text-index: \?(\w+) of \?(\w+), searched for \?(\w+)[ \t]*\n", re.MULTILINE)
_END = re.compile(r"^[ \t]*# end text-index[ \t]*$", re.MULTILINE)
_SELECT = re.compile(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
_DISTINCT = re.compile(r"\s*SELECT\s+(DISTINCT|REDUCED)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class IndexedQuery:
    """A query split around its marked group: ``head`` + ``group`` + ``tail`` is the query."""

    head: str
    group: str
    tail: str
    name: str
    key: str
    text: str

    @classmethod
    def split(cls, query: str) -> IndexedQuery | None:
        """The parts of ``query``, or None when it marks no group (or is not a SELECT DISTINCT).

        >>> q = IndexedQuery.split("SELECT DISTINCT ?r WHERE {\\n# text-index: ?n of ?r, searched for ?t\\n"
        ...                        "{ ?r <p> ?n }\\n# end text-index\\n}")
        >>> q.group, (q.name, q.key, q.text)
        ('{ ?r <p> ?n }\\n', ('n', 'r', 't'))
        """
        mark, select = _MARK.search(query), _SELECT.search(query)
        if mark is None or select is None or not _DISTINCT.match(query, select.start()):
            return None
        end = _END.search(query, mark.end())
        if end is None:
            return None
        name, key, text = mark.groups()
        return cls(query[: mark.end()], query[mark.end(): end.start()], query[end.start():], name, key, text)

    def pairs_query(self) -> str:
        """The query listing every (key, name) pair of the marked group, with the query's prefixes."""
        select = _SELECT.search(self.head)
        prologue = self.head[: select.start()] if select else ""
        return f"{prologue}SELECT DISTINCT ?{self.key} ?{self.name} WHERE {{\n{self.group}}}\n"

    def with_pairs(self, pairs: Sequence[tuple[str, str]]) -> str:
        """The query with its marked group replaced by ``pairs`` (N-Triples terms) as a VALUES block."""
        rows = " ".join(f"({key} {name})" for key, name in pairs)
        return f"{self.head}VALUES (?{self.key} ?{self.name}) {{ {rows} }}\n{self.tail}"


def without_accents(text: str) -> str:
    """``text`` in canonical decomposition without its combining marks, as the site's search
    script folds it: letters keep their case, and what is not an accent (``™``, ``’``) stays.

    >>> without_accents("Péter Boross, Türkiye, Crêpe™")
    'Peter Boross, Turkiye, Crepe™'
    """
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class NameIndex:
    """(key, name) pairs of terms in N-Triples syntax, searchable by a case-insensitive substring
    of the name's text.

    >>> index = NameIndex([("<s:MKD>", '"North Macedonia"', "North Macedonia"),
    ...                    ("<s:TUR>", '"Türkiye"@en', "Türkiye")])
    >>> index.containing("macedonia")
    [('<s:MKD>', '"North Macedonia"')]
    >>> len(index.containing("")), index.containing("ia\\0t")
    (2, [])
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        by_name: dict[str, list[tuple[str, str]]] = {}
        texts: list[str] = []
        for key, name, text in rows:
            if name not in by_name:
                by_name[name] = []
                texts.append(text.lower())  # as LCASE: Unicode lower case
            by_name[name].append((key, name))
        self._groups = list(by_name.values())
        self._starts: list[int] = []
        position = 0
        for text in texts:
            self._starts.append(position)
            position += len(text) + 1
        # One string, names separated by a character no needle can match across: a NUL.
        self._text = "\0".join(texts)

    def __len__(self) -> int:
        return sum(len(group) for group in self._groups)

    def containing(self, needle: str) -> list[tuple[str, str]]:
        """The pairs whose name contains ``needle``, ignoring case."""
        needle = needle.lower()
        if not needle:
            return [pair for group in self._groups for pair in group]
        found: list[tuple[str, str]] = []
        at = self._text.find(needle)
        while at != -1:
            entry = bisect_right(self._starts, at) - 1
            following = self._starts[entry + 1] if entry + 1 < len(self._starts) else len(self._text) + 1
            if at + len(needle) < following:  # within the name, not across the separator
                found.extend(self._groups[entry])
                at = self._text.find(needle, following)
            else:
                at = self._text.find(needle, at + 1)
        return found


def rewrite(query: IndexedQuery, bindings: Mapping[str, Term], index: NameIndex) -> str | None:
    """``query`` with its marked group answered from ``index``; None when the portable text must run.

    The text must be bound to a literal (the query compares its STR), and the matching pairs must
    name no blank node (a VALUES block cannot hold one).
    """
    needle = bindings.get(query.text)
    if needle is None or needle.kind != "literal":
        return None
    pairs = index.containing(needle.value)
    if any(key.startswith("_:") or name.startswith("_:") for key, name in pairs):
        return None
    return query.with_pairs(pairs)
