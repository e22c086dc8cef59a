"""Bar-chart geometry for the HTML summary, computed here so the template only draws.

Charts are inline SVG (no JavaScript, no fonts or images fetched: government intranets are
offline, DESIGN.md principle 8). Each bar is a group's rows split into coloured segments, one
per verdict (or per status for rules); every number is also written as text beside the bar
and in the table under the chart, because a printout may be black and white.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 230
BAR_WIDTH = 380
VALUE_WIDTH = 90
ROW_HEIGHT = 22
LABEL_CHARS = 16
#: one series of a chart: (key counted, css class, Chinese label)
Series = tuple[str, str, str]


@dataclass(frozen=True)
class Segment:
    css: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    short: str
    total: int
    y: int
    segments: tuple[Segment, ...]

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 5

    @property
    def end(self) -> float:
        last = self.segments[-1] if self.segments else None
        return (last.x + last.width) if last else LABEL_WIDTH


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    series: tuple[Series, ...]
    width: int = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    label_x: int = LABEL_WIDTH - 8

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT + 8


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def bar_chart(title: str, groups: Sequence[tuple[str, Counter[str]]],
              series: Sequence[Series]) -> Chart:
    """A horizontal stacked bar per group, scaled to the largest group."""
    largest = max((sum(counts[key] for key, _, _ in series) for _, counts in groups), default=0)
    scale = BAR_WIDTH / largest if largest else 0.0
    bars = []
    for index, (label, counts) in enumerate(groups):
        x, segments = float(LABEL_WIDTH), []
        for key, css, name in series:
            if counts[key]:
                width = max(counts[key] * scale, 1.0)
                segments.append(Segment(css, name, counts[key], round(x, 1), round(width, 1)))
                x += width
        total = sum(counts[key] for key, _, _ in series)
        bars.append(Bar(label, _short(label), total, 4 + index * ROW_HEIGHT, tuple(segments)))
    return Chart(title, tuple(bars), tuple(series))
