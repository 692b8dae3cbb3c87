"""The payoff chart: a PNG of the principal owed over the schedule, drawn once for the same figures and words."""

import io
from datetime import date, timedelta
from decimal import Decimal

from PIL import Image

from bot.chart import ChartText, draw_payoff_chart, payoff_chart

POINTS = [(date(2021, 4, 10) + timedelta(days=30 * n), Decimal(4_000_000 - 22_000 * n)) for n in range(180)]
RU = ChartText(title="Осталось выплатить", today="сегодня", millions="млн ₽", decimal_separator=",")
TODAY = date(2026, 11, 26)
OWED = Decimal("2700000.00")


async def test_a_900_by_500_png():
    png = await payoff_chart(POINTS, today=TODAY, owed_today=OWED, text=RU, processes=0)
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (900, 500))


async def test_the_same_chart_again_is_the_one_drawn_before():
    first = await payoff_chart(POINTS, today=TODAY, owed_today=OWED, text=RU, processes=0)
    assert await payoff_chart(list(POINTS), today=TODAY, owed_today=OWED, text=RU, processes=0) is first


async def test_another_day_or_language_is_drawn_anew():
    first = await payoff_chart(POINTS, today=TODAY, owed_today=OWED, text=RU, processes=0)
    tomorrow = await payoff_chart(POINTS, today=TODAY + timedelta(days=1), owed_today=OWED, text=RU, processes=0)
    english = ChartText(title="Principal left to pay", today="today", millions="million ₽")
    other = await payoff_chart(POINTS, today=TODAY, owed_today=OWED, text=english, processes=0)
    assert first != tomorrow and first != other and tomorrow != other


async def test_drawn_in_a_worker_process_it_is_the_same_chart():
    points = POINTS[:-1]  # a chart not kept by the tests before
    png = await payoff_chart(points, today=TODAY, owed_today=OWED, text=RU, processes=1)
    assert png == draw_payoff_chart(tuple(points), TODAY, OWED, RU)
