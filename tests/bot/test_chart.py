"""The payoff chart: a PNG of the principal owed over the schedule, drawn once for the same figures and words."""

import io
from datetime import date, timedelta
from decimal import Decimal

from PIL import Image

from bot.chart import ChartText, payoff_chart

POINTS = [(date(2021, 4, 10) + timedelta(days=30 * n), Decimal(4_000_000 - 22_000 * n)) for n in range(180)]
RU = ChartText(title="Осталось выплатить", today="сегодня", millions="млн ₽", decimal_separator=",")
TODAY = date(2026, 11, 26)


def test_a_900_by_500_png():
    png = payoff_chart(POINTS, today=TODAY, owed_today=Decimal("2700000.00"), text=RU)
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (900, 500))


def test_the_same_chart_again_is_the_one_drawn_before():
    first = payoff_chart(POINTS, today=TODAY, owed_today=Decimal("2700000.00"), text=RU)
    assert payoff_chart(list(POINTS), today=TODAY, owed_today=Decimal("2700000.00"), text=RU) is first


def test_another_day_or_language_is_drawn_anew():
    first = payoff_chart(POINTS, today=TODAY, owed_today=Decimal("2700000.00"), text=RU)
    tomorrow = payoff_chart(POINTS, today=TODAY + timedelta(days=1), owed_today=Decimal("2700000.00"), text=RU)
    english = ChartText(title="Principal left to pay", today="today", millions="million ₽")
    other = payoff_chart(POINTS, today=TODAY, owed_today=Decimal("2700000.00"), text=english)
    assert first != tomorrow and first != other and tomorrow != other
