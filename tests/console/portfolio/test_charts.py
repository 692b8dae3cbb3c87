"""The SVG charts: well-formed, every text escaped, one mark per value, axes that fit the values."""

import xml.etree.ElementTree as ET

import pytest

from api.console.portfolio.charts import MAX_CATEGORY_LABELS, Series, bar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def plain(value: float) -> str:
    return f"{value:g}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  (our own output, parsed to check it)


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (0.3, 0.5), (1, 1), (7, 10), (11, 20), (23, 25), (26, 50), (100, 100), (101, 200)]
)
def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value(value, top):
    assert nice_ceiling(value) == pytest.approx(top)


def test_a_bar_chart_has_a_bar_per_value_with_its_exact_value_and_escapes_every_text():
    chart = bar_chart(
        'Ratings <script>alert("x")</script> & more',
        ["16 нояб.", "23 нояб."],
        [Series("Sent", [3, 0]), Series("Failed <b>", [1, None])],
        number=plain,
    )
    root = parse(chart)  # well-formed: what was escaped cannot open an element
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == 'Ratings <script>alert("x")</script> & more'
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}b"))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "16 нояб. · Sent: 3",
        "23 нояб. · Sent: 0",
        "16 нояб. · Failed <b>: 1",
    ]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[0] == pytest.approx(3 * heights[2]) and heights[1] == 0
    assert {"16 нояб.", "23 нояб.", "Sent", "Failed <b>", "0", "5"} <= set(texts(root))  # axis 0 to 5


def test_a_line_chart_breaks_where_a_value_is_missing():
    chart = line_chart("CSAT", list("ABCDE"), [Series("CSAT", [50, 75, None, 80, 90])], number=plain, top_value=100)
    root = parse(chart)
    [first, second] = [line.get("points").split() for line in root.iter(f"{SVG}polyline")]
    assert (len(first), len(second)) == (2, 2)
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    assert "100" in texts(root)  # the fixed top of a percentage


def test_many_categories_are_labelled_sparsely():
    weeks = [f"w{n}" for n in range(52)]
    root = parse(bar_chart("Weeks", weeks, [Series("n", list(range(52)))], number=plain))
    labelled = [text for text in texts(root) if text.startswith("w")]
    assert labelled[:2] == ["w0", "w4"] and len(labelled) <= MAX_CATEGORY_LABELS


def test_counts_get_whole_ticks():
    root = parse(bar_chart("Cases", ["a", "b"], [Series("n", [2, 1])], number=plain))
    assert [t for t in texts(root) if t.replace(".", "").isdigit()] == ["0", "1", "2", "3", "4", "5"]
