"""Charts drawn on the server as SVG: grouped bars or lines over a row of categories, with axes, labels and a legend.

No script and no external asset, so the page works offline and prints as it shows. Every text goes in through
Markup's escaping format; each bar or point carries a <title> with its exact value (the browser shows it on hover,
a screen reader reads it), and the chart as a whole is an image labelled by its title.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

#: Colours a colour-blind reader tells apart (Okabe and Ito), in the order series take them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 64
MAX_CATEGORY_LABELS = 13  # past this, every n-th category is labelled so the labels never overlap
TICKS = 5

Format = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    name: str
    #: One value per category; None where there is none (no bar, a gap in the line).
    values: Sequence[float | None]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least `value` (an axis' top)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value * (1 - 1e-9))


def _text(x: float, y: float, words: str, *, anchor: str = "middle", size: int = 12, fill: str = "#222") -> Markup:
    return Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-size="{}" fill="{}">{}</text>').format(
        x, y, anchor, size, fill, words
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> Markup:
    return Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}"/>').format(x1, y1, x2, y2, colour)


class _Frame:
    """The plot area, and where a category and a value fall in it."""

    def __init__(self, categories: Sequence[str], top_value: float) -> None:
        self.slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
        self.top_value = top_value
        self.height = HEIGHT - TOP - BOTTOM

    def x(self, index: int) -> float:
        return LEFT + self.slot * (index + 0.5)

    def y(self, value: float) -> float:
        return TOP + self.height * (1 - value / self.top_value)


def _axes(frame: _Frame, categories: Sequence[str], number: Format) -> list[Markup]:
    parts = []
    for tick in range(TICKS + 1):
        value = frame.top_value * tick / TICKS
        y = frame.y(value)
        parts.append(_line(LEFT, y, WIDTH - RIGHT, y, "#d8dde3"))
        parts.append(_text(LEFT - 8, y + 4, number(value), anchor="end", size=11, fill="#444"))
    base = frame.y(0)
    parts += [_line(LEFT, base, WIDTH - RIGHT, base, "#333"), _line(LEFT, TOP, LEFT, base, "#333")]
    every = math.ceil(len(categories) / MAX_CATEGORY_LABELS) or 1
    parts += [
        _text(frame.x(index), base + 18, category, size=11)
        for index, category in enumerate(categories)
        if index % every == 0
    ]
    return parts


def _legend(series: Sequence[Series]) -> list[Markup]:
    parts, x = [], LEFT
    for index, line in enumerate(series):
        swatch = Markup('<rect x="{}" y="{}" width="12" height="12" fill="{}"/>')
        parts.append(swatch.format(x, HEIGHT - 22, PALETTE[index % len(PALETTE)]))
        parts.append(_text(x + 18, HEIGHT - 12, line.name, anchor="start", size=12))
        x += 36 + 8 * len(line.name)
    return parts


def _chart(title: str, body: list[Markup]) -> Markup:
    svg = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" class="chart" '
        'font-family="system-ui, sans-serif"><title>{}</title>{}{}</svg>'
    )
    caption = _text(LEFT, 20, title, anchor="start", size=14, fill="#111")
    return svg.format(WIDTH, HEIGHT, title, caption, Markup("").join(body))


def _top(series: Sequence[Series], top_value: float | None) -> float:
    """The axis' top: as given, else a round number above the values (for counts, at least one per tick, so every
    tick is a whole number)."""
    if top_value is not None:
        return top_value
    values = [v for line in series for v in line.values if v is not None]
    top = nice_ceiling(max(values, default=0))
    return max(top, TICKS) if all(float(v).is_integer() for v in values) else top


def bar_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], *, number: Format, top_value: float | None = None
) -> Markup:
    """Bars side by side per category, a colour per series; `number` writes the axis' and the bars' values."""
    frame = _Frame(categories, _top(series, top_value))
    body = _axes(frame, categories, number)
    group = frame.slot * 0.8
    width = group / max(len(series), 1)
    bar = Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}</title></rect>')
    for line_index, line in enumerate(series):
        colour = PALETTE[line_index % len(PALETTE)]
        for index, value in enumerate(line.values):
            if value is None:
                continue
            x, y = frame.x(index) - group / 2 + width * line_index, frame.y(value)
            label = f"{categories[index]} · {line.name}: {number(value)}"
            body.append(bar.format(x, y, width * 0.92, frame.y(0) - y, colour, label))
    return _chart(title, body + _legend(series))


def line_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], *, number: Format, top_value: float | None = None
) -> Markup:
    """A line per series through its values, broken where a value is missing, each point marked."""
    frame = _Frame(categories, _top(series, top_value))
    body = _axes(frame, categories, number)
    marks = []  # drawn after every line, so no line crosses a point
    mark = Markup('<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}"><title>{}</title></circle>')
    polyline = Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>')
    for line_index, line in enumerate(series):
        colour = PALETTE[line_index % len(PALETTE)]
        runs: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(line.values):
            if value is None:
                runs.append([])
                continue
            x, y = frame.x(index), frame.y(value)
            runs[-1].append((x, y))
            marks.append(mark.format(x, y, colour, f"{categories[index]} · {line.name}: {number(value)}"))
        body += [polyline.format(" ".join(f"{x:.1f},{y:.1f}" for x, y in run), colour) for run in runs if len(run) > 1]
    return _chart(title, body + marks + _legend(series))
