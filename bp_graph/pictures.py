"""Pictures of the graph for people: a timeline of the meetings and an attendance matrix, as SVG.

The figures are computed from the graph through the named queries (``meetings``,
``planned-meetings``, ``attendance-ranking``, ``meeting-states``), never typed in; :func:`timeline_svg` and
:func:`attendance_svg` only draw what they are given. Drawing uses matplotlib's object API
(no pyplot, no global backend), and the SVG is deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from .results import QueryResult, Term

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

    from .graph import KnowledgeGraph

Precision = Literal["day", "month", "year"]
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_RC: dict[RcKeyType, Any] = {"svg.hashsalt": "bp-graph", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9.0}


@dataclass(frozen=True, slots=True)
class TimelineMeeting:
    """One meeting on the timeline: IRI, label, kind label, start, how precise the start is, its
    short label and whether it was only planned when its source was written.

    >>> TimelineMeeting("m", "Berlin 1991", "Ministerial Conference", date(1991, 10, 1), "month").year
    1991
    """

    iri: str
    label: str
    kind: str
    start: date
    precision: Precision
    short: str = ""
    planned: bool = False

    @property
    def year(self) -> int:
        """The year the meeting started."""
        return self.start.year


@dataclass(frozen=True)
class AttendanceMatrix:
    """States (rows, most-attending first) by meetings (columns, oldest first), and who was listed where.

    >>> m = AttendanceMatrix([("s", "Turkey")], [("m", "2019 Skopje")], {("s", "m")})
    >>> m.cell("s", "m"), len(m.states)
    (True, 1)
    """

    states: list[tuple[str, str]]
    meetings: list[tuple[str, str]]
    listed: set[tuple[str, str]] = field(default_factory=set)

    def cell(self, state: str, meeting: str) -> bool:
        """Whether ``state`` is listed as a participant of ``meeting``."""
        return (state, meeting) in self.listed


def parse_start(text: str) -> tuple[date, Precision] | None:
    """A start date of ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` precision, or None.

    >>> parse_start("2019-10"), parse_start("1993")[1], parse_start("n/a")
    ((datetime.date(2019, 10, 1), 'month'), 'year', None)
    """
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1)), ("day" if day else "month" if month else "year")
    except ValueError:
        return None


def timeline_meetings(kg: KnowledgeGraph, *, place_of: Callable[[str], str | None] | None = None) -> list[TimelineMeeting]:
    """The dated meetings of the graph, oldest first, from the named query ``meetings``; those
    ``planned-meetings`` lists are marked as planned.

    ``place_of`` names a meeting's place for the short labels (default: the query's city when it
    gives exactly one, else the start of the meeting's label).

    >>> from bp_graph import KnowledgeGraph
    >>> meetings = timeline_meetings(KnowledgeGraph.open())
    >>> all(a.start <= b.start for a, b in zip(meetings, meetings[1:]))
    True
    """
    answer = kg.query("meetings")
    assert isinstance(answer, QueryResult)
    rows: dict[str, list[dict[str, Term | None]]] = {}
    for row in answer.rows:
        cells = dict(zip(answer.variables, row, strict=True))
        if (meeting := cells.get("meeting")) is not None:
            rows.setdefault(meeting.value, []).append(cells)
    planned = kg.query("planned-meetings")
    assert isinstance(planned, QueryResult)
    planned_iris = {row["meeting"] for row in planned.as_dicts()}
    meetings = []
    for iri, group in rows.items():
        cells = group[0]
        start = next((c["start"] for c in group if c.get("start") is not None), None)
        parsed = parse_start(start.value) if start is not None else None
        if start is None or parsed is None:
            continue
        label_term, kind_term = cells.get("label"), cells.get("kind")
        label = label_term.value if label_term else iri
        kind = kind_term.value if kind_term else "Meeting"
        cities = {city.value for c in group if (city := c.get("city")) is not None}
        place = place_of(iri) if place_of else (
            cities.pop().rstrip("/").rsplit("/", 1)[-1].replace("-", " ").title() if len(cities) == 1 else None)
        is_planned = iri in planned_iris
        name = place or ("" if is_planned else label if len(label) <= 28 else label[:27].rstrip() + "…")
        short = f"{start.value[:7]} {name}".rstrip()
        meetings.append(TimelineMeeting(iri, label, kind, parsed[0], parsed[1], short, is_planned))
    return sorted(meetings, key=lambda m: (m.start, m.label))


def attendance_matrix(kg: KnowledgeGraph, *, meetings: Sequence[TimelineMeeting] | None = None,
                      label_of: Callable[[str], str] | None = None) -> AttendanceMatrix:
    """Which states the sources list at which meetings (named queries ``attendance-ranking`` and
    ``meeting-states``); only meetings with at least one listed state become columns.

    ``label_of`` names the states (default: the first label the query gives).

    >>> from bp_graph import KnowledgeGraph
    >>> m = attendance_matrix(KnowledgeGraph.open())
    >>> all(any(m.cell(s, c) for s, _ in m.states) for c, _ in m.meetings)
    True
    """
    ranking = kg.query("attendance-ranking")
    assert isinstance(ranking, QueryResult)
    states: dict[str, str] = {}
    for row in ranking.as_dicts():
        states.setdefault(str(row["state"]), str(row["label"]))
    listed: set[tuple[str, str]] = set()
    columns = []
    for meeting in meetings if meetings is not None else timeline_meetings(kg):
        answer = kg.query("meeting-states", meeting=meeting.iri)
        assert isinstance(answer, QueryResult)
        found = {str(r["state"]) for r in answer.as_dicts()}
        if found:
            columns.append((meeting.iri, meeting.short or meeting.label))
            listed |= {(s, meeting.iri) for s in found}
            for r in answer.as_dicts():
                states.setdefault(str(r["state"]), str(r["label"]))
    rows = [(iri, label_of(iri) if label_of else label) for iri, label in states.items()
            if any((iri, m) in listed for m, _ in columns)]
    rows.sort(key=lambda r: (-sum((r[0], m) in listed for m, _ in columns), r[1]))
    return AttendanceMatrix(rows, columns, listed)


def _svg(fig: object) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    # a tight box: rotated labels and annotations past the axes are drawn, not cut off at the edge
    FigureCanvasSVG(fig).print_figure(buffer, format="svg", metadata={"Date": None},  # type: ignore[arg-type]
                                      bbox_inches="tight", pad_inches=0.15)
    return buffer.getvalue()


def _empty(message: str) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 1.2))
        fig.text(0.5, 0.5, message, ha="center", va="center", color="#555555")
        return _svg(fig)


def timeline_svg(meetings: Sequence[TimelineMeeting], *, title: str = "Meetings of the dialogue") -> str:
    """An SVG timeline: one row per kind of meeting, one mark per meeting (hollow where the source
    gives only the month or year, a diamond where the meeting was only planned when its source was
    written); ministerial conferences are labelled with their year and place.

    >>> svg = timeline_svg([TimelineMeeting("m", "Berlin 1991", "Ministerial Conference", date(1991, 10, 1), "month", "1991-10 Berlin")])
    >>> svg.lstrip().startswith("<?xml") and "Berlin" in svg
    True
    """
    if not meetings:
        return _empty("No dated meetings in the graph yet.")
    import matplotlib
    from matplotlib.dates import DateFormatter, YearLocator
    from matplotlib.figure import Figure

    counts: dict[str, int] = {}
    for m in meetings:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    kinds = sorted(counts, key=lambda k: (not k.lower().startswith("ministerial"), -counts[k], k))
    row = {k: i for i, k in enumerate(reversed(kinds))}
    first, last = min(m.start for m in meetings), max(m.start for m in meetings)
    with matplotlib.rc_context(_RC):
        labelled = kinds[0].lower().startswith("ministerial")
        fig = Figure(figsize=(10, 1.6 + 0.42 * len(kinds) + (1.6 if labelled else 0)), layout="constrained")
        ax = fig.add_subplot()
        colours = matplotlib.colormaps["tab10"]
        for kind in kinds:
            colour = colours(kinds.index(kind) % 10)
            for planned, marker in ((False, "o"), (True, "D")):
                exact = [m for m in meetings if m.kind == kind and m.planned == planned and m.precision == "day"]
                rough = [m for m in meetings if m.kind == kind and m.planned == planned and m.precision != "day"]
                # dates go through matplotlib's unit converters, which its stubs (floats and arrays) don't know
                if exact:
                    ax.scatter([m.start for m in exact], [row[kind]] * len(exact), s=46, color=colour, zorder=3,  # type: ignore[arg-type]
                               marker=marker, edgecolors="white", linewidths=0.6)
                if rough:
                    ax.scatter([m.start for m in rough], [row[kind]] * len(rough), s=46, facecolors="white",  # type: ignore[arg-type]
                               marker=marker, edgecolors=colour, linewidths=1.4, zorder=3)
        for m in meetings:
            if m.kind == kinds[0] and m.kind.lower().startswith("ministerial"):
                # steep: the labels of conferences two years apart do not overlap
                ax.annotate((m.short or str(m.year)) + (" (planned)" if m.planned else ""), (m.start, row[m.kind]), xytext=(0, 8), textcoords="offset points",
                            ha="left", va="bottom", fontsize=7.5, rotation=60, color="#333333")
        ax.set_yticks(range(len(kinds)), [f"{k} ({counts[k]})" for k in reversed(kinds)])
        ax.set_ylim(-0.7, len(kinds) - 0.2 + (2.6 if labelled else 0))
        ax.set_xlim(date(first.year - 1, 1, 1), date(last.year + 1, 12, 31))  # type: ignore[arg-type]  # dates, as above
        span = last.year - first.year
        ax.xaxis.set_major_locator(YearLocator(1 if span <= 12 else 2 if span <= 24 else 5))
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        n_planned = sum(m.planned for m in meetings)
        ax.set_title(f"{title}, {first.year}\u2013{last.year} ({len(meetings)} meetings)\nhollow: month or year only"
                     + (f"; diamonds: planned, not yet held when the source was written ({n_planned})" if n_planned else ""),
                     loc="left", fontsize=10)
        return _svg(fig)


def attendance_svg(matrix: AttendanceMatrix, *, title: str = "States listed at each meeting") -> str:
    """An SVG matrix: states (rows, most meetings first) by meetings (columns, oldest first);
    a filled cell means the meeting's source lists the state as a participant.

    >>> svg = attendance_svg(AttendanceMatrix([("s", "Turkey")], [("m", "2019-10 Skopje")], {("s", "m")}))
    >>> "Turkey" in svg and "Skopje" in svg
    True
    """
    if not matrix.states or not matrix.meetings:
        return _empty("No lists of participants in the graph yet.")
    import matplotlib
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    n_rows, n_cols = len(matrix.states), len(matrix.meetings)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(max(5.0, 2.6 + 0.26 * n_cols), max(3.0, 2.4 + 0.2 * n_rows)), layout="constrained")
        ax = fig.add_subplot()
        cells = [Rectangle((c - 0.42, r - 0.42), 0.84, 0.84)
                 for r, (state, _) in enumerate(matrix.states)
                 for c, (meeting, _) in enumerate(matrix.meetings) if matrix.cell(state, meeting)]
        ax.add_collection(PatchCollection(cells, facecolor="#1f5fa8", edgecolor="none"))
        ax.set_aspect("equal")
        counts = [sum(matrix.cell(s, m) for m, _ in matrix.meetings) for s, _ in matrix.states]
        ax.set_yticks(range(n_rows), [f"{label} ({n})" for (_, label), n in zip(matrix.states, counts, strict=True)], fontsize=7)
        ax.set_xticks(range(n_cols), [label for _, label in matrix.meetings], rotation=90, fontsize=7)
        ax.set_xlim(-0.6, n_cols - 0.4)
        ax.set_ylim(n_rows - 0.4, -0.6)
        ax.set_xticks([c + 0.5 for c in range(n_cols - 1)], minor=True)
        ax.set_yticks([r + 0.5 for r in range(n_rows - 1)], minor=True)
        ax.grid(which="minor", color="#e4e4e4", linewidth=0.5)
        ax.tick_params(which="both", length=0)
        ax.xaxis.tick_top()
        for side in ax.spines.values():
            side.set_visible(False)
        fig.suptitle(f"{title}\n({n_rows} states, {n_cols} meetings)", x=0.02, ha="left", fontsize=10)
        return _svg(fig)


def describe_timeline(meetings: Sequence[TimelineMeeting]) -> str:
    """A one-sentence text alternative of the timeline (for ``alt``).

    >>> describe_timeline([])
    'No dated meetings in the graph yet.'
    """
    if not meetings:
        return "No dated meetings in the graph yet."
    counts: dict[str, int] = {}
    for m in meetings:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    parts = ", ".join(f"{n} {k.lower()}{'s' if n != 1 and not k.endswith('s') else ''}" for k, n in
                      sorted(counts.items(), key=lambda kv: -kv[1]))
    planned = [m for m in meetings if m.planned]
    plans = (f" {len(planned)} of them only planned when their source was written: "
             + ", ".join(m.short or m.label for m in planned) + ".") if planned else ""
    return f"Timeline of {len(meetings)} meetings from {meetings[0].year} to {meetings[-1].year}: {parts}.{plans}"


def describe_matrix(matrix: AttendanceMatrix) -> str:
    """A one-sentence text alternative of the attendance matrix (for ``alt``).

    >>> describe_matrix(AttendanceMatrix([("s", "Turkey")], [("m", "Skopje")], {("s", "m")}))
    'Attendance matrix of 1 states by 1 meetings; most listed: Turkey (1).'
    """
    if not matrix.states:
        return "No lists of participants in the graph yet."
    counts = [(label, sum(matrix.cell(s, m) for m, _ in matrix.meetings)) for s, label in matrix.states]
    top = ", ".join(f"{label} ({n})" for label, n in counts[:5])
    return f"Attendance matrix of {len(matrix.states)} states by {len(matrix.meetings)} meetings; most listed: {top}."

