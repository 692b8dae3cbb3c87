"""The payoff chart: the principal still owed over the schedule, today marked; a PNG drawn beside the event loop
(`bot/drawing.py`), and the last few kept here (a borrower opens the balance again the same day: drawing takes some
70 ms of CPU)."""

import io
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import YearLocator
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.drawing import drawn

#: Charts kept, by everything drawn on them: ~45 KB each.
KEPT = 128
Points = tuple[tuple[date, Decimal], ...]
_kept: OrderedDict[tuple[Points, date, Decimal, "ChartText"], bytes] = OrderedDict()


@dataclass(frozen=True)
class ChartText:
    """The chart's words in the borrower's language."""

    title: str
    today: str
    millions: str
    decimal_separator: str = "."


async def payoff_chart(
    points: list[tuple[date, Decimal]], *, today: date, owed_today: Decimal, text: ChartText, processes: int
) -> bytes:
    """A 900x500 PNG of the balance after each installment, with today's outstanding principal marked, drawn in one of
    `processes` worker processes (a thread when 0); the same chart asked again is the PNG drawn before."""
    key = (tuple(points), today, owed_today, text)
    if (png := _kept.get(key)) is not None:
        _kept.move_to_end(key)
        return png
    png = await drawn(draw_payoff_chart, *key, processes=processes)
    _kept[key] = png
    if len(_kept) > KEPT:
        _kept.popitem(last=False)
    return png


def draw_payoff_chart(points: Points, today: date, owed_today: Decimal, text: ChartText) -> bytes:
    """The chart drawn: pure, with no pyplot state, so any thread or process may draw it."""
    figure = Figure(figsize=(9, 5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    dates = [when for when, _ in points]
    balances = [float(balance) / 1e6 for _, balance in points]  # drawing only: the figures shown are Decimal
    axes.fill_between(dates, balances, color="#9ecae1", alpha=0.5, linewidth=0)
    axes.plot(dates, balances, color="#3182bd", linewidth=2)
    axes.axvline(today, color="#e6550d", linestyle="--", linewidth=1.5)
    axes.plot([today], [float(owed_today) / 1e6], marker="o", color="#e6550d", markersize=8)
    axes.annotate(
        text.today, (today, float(owed_today) / 1e6), textcoords="offset points", xytext=(8, 8), color="#e6550d"
    )
    axes.set_title(text.title)
    axes.set_ylabel(text.millions)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}".replace(".", text.decimal_separator)))
    axes.xaxis.set_major_locator(YearLocator(base=max(1, len(points) // 12 // 8)))
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate(bottom=0.12)
    figure.subplots_adjust(left=0.08, right=0.98, top=0.93)  # fixed: a tight layout measured every label (40 ms)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
