"""Server-drawn SVG charts: valid SVG, a title with the number on every bar, escaped text,
no inline style or script (the pages' Content-Security-Policy forbids both)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from rpa.web.charts import Series, as_percent, horizontal_bars, median_p90_chart, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
QUOTES = "\" onmouseover=\"alert('x')"


def parsed(chart: Markup) -> ET.Element:
    assert isinstance(chart, Markup)
    root = ET.fromstring(str(chart))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", root.get("viewBox"))
    return root


def marks(root: ET.Element) -> list[ET.Element]:
    """The bars, segments and dots drawn for figures (legend swatches aside)."""
    return [e for e in root.iter() if {"bar", "dot"} & set(e.get("class", "").split())]


def title_of(element: ET.Element) -> str:
    (title,) = element.findall(f"{SVG}title")
    return title.text


def daily() -> Markup:
    return stacked_bars(
        ["Mon 17", "Tue 18", "Wed 19"],
        [
            Series("Approved", [3, 6, 0], "approved"),
            Series("Edited", [1, 0, 2], "edited"),
            Series("Rejected", [0, 1, 0], "rejected"),
        ],
        beside=Series("Messages in", [5, 8, 4], "in"),
        label="Messages and reviews per day",
    )


def test_every_segment_of_the_daily_chart_has_a_title_with_its_number() -> None:
    root = parsed(daily())
    titles = {title_of(bar) for bar in marks(root)}
    assert titles == {
        "Mon 17 — Messages in: 5",
        "Mon 17 — Approved: 3",
        "Mon 17 — Edited: 1",
        "Tue 18 — Messages in: 8",
        "Tue 18 — Approved: 6",
        "Tue 18 — Rejected: 1",
        "Wed 19 — Messages in: 4",
        "Wed 19 — Edited: 2",
    }
    assert root.get("aria-label") == "Messages and reviews per day"
    assert root.find(f"{SVG}title").text == "Messages and reviews per day"


def test_a_days_zeros_are_in_the_title_of_its_slot() -> None:
    slots = [e for e in parsed(daily()).iter() if e.get("class") == "slot"]
    assert [title_of(slot) for slot in slots][2] == (
        "Wed 19 — Messages in: 4; Approved: 0; Edited: 2; Rejected: 0"
    )


def test_bars_are_drawn_to_scale_and_segments_stack() -> None:
    bars = {title_of(bar): bar for bar in marks(parsed(daily()))}
    height = {title: float(bar.get("height")) for title, bar in bars.items()}
    assert height["Tue 18 — Messages in: 8"] == pytest.approx(2 * height["Wed 19 — Messages in: 4"])
    approved, rejected = bars["Tue 18 — Approved: 6"], bars["Tue 18 — Rejected: 1"]
    assert float(rejected.get("y")) + float(rejected.get("height")) == pytest.approx(float(approved.get("y")))


def test_the_legend_names_each_series_with_its_colour_class() -> None:
    root = parsed(daily())
    swatches = [e.get("class") for e in root.iter() if "swatch" in e.get("class", "")]
    assert swatches == ["swatch bar-in", "swatch bar-approved", "swatch bar-edited", "swatch bar-rejected"]
    legend = [e.text for e in root.iter(f"{SVG}text") if e.get("class") == "legend"]
    assert legend == ["Messages in", "Approved", "Edited", "Rejected"]


def test_horizontal_bars_carry_their_value_as_title_and_as_text() -> None:
    root = parsed(
        horizontal_bars(
            ["under 1 h", "1–4 h", "over 3 days"], [12, 30, 0], label="Backlog by age", kind="count"
        )
    )
    assert [title_of(bar) for bar in marks(root)] == ["under 1 h: 12", "1–4 h: 30", "over 3 days: 0"]
    assert [e.text for e in root.iter(f"{SVG}text") if e.get("class") == "value"] == ["12", "30", "0"]
    widths = [float(bar.get("width")) for bar in marks(root)]
    assert widths[0] == pytest.approx(widths[1] * 12 / 30) and widths[2] == 0


def test_shares_are_shown_as_percentages_against_a_full_bar_of_one() -> None:
    root = parsed(
        horizontal_bars(
            ["unsupported_fact", "injection_echoed"],
            [0.125, 0.5],
            label="Guard flags",
            kind="rate",
            number=as_percent,
            maximum=1.0,
        )
    )
    bars = marks(root)
    assert [title_of(bar) for bar in bars] == ["unsupported_fact: 12.5 %", "injection_echoed: 50 %"]
    assert [bar.get("class") for bar in bars] == ["bar bar-rate", "bar bar-rate"]
    assert float(bars[1].get("width")) == pytest.approx(4 * float(bars[0].get("width")))


def test_each_bar_may_have_its_own_kind() -> None:
    root = parsed(horizontal_bars(["a", "b"], [1, 2], label="Ages", kind=["age-0", "age-4"]))
    assert [bar.get("class") for bar in marks(root)] == ["bar bar-age-0", "bar bar-age-4"]


def test_the_agents_chart_has_a_p90_bar_and_a_median_dot_per_agent() -> None:
    minutes = median_p90_chart(
        ["alice", "bob", "carol"],
        [600, 1500, None],
        [1800, 7200, None],
        label="Time to first claim",
        median_name="median",
        p90_name="p90",
        number=lambda seconds: f"{seconds / 60:g} min",
    )
    root = parsed(minutes)
    assert [title_of(mark) for mark in marks(root)] == [
        "alice — p90: 30 min",
        "alice — median: 10 min",
        "bob — p90: 120 min",
        "bob — median: 25 min",
    ]
    dots = [e for e in root.iter(f"{SVG}circle") if e.findall(f"{SVG}title")]
    bars = [e for e in marks(root) if e.tag == f"{SVG}rect"]
    left = float(bars[0].get("x"))
    assert float(dots[1].get("cx")) - left == pytest.approx(float(bars[1].get("width")) * 1500 / 7200)


@pytest.mark.parametrize("hostile", [HOSTILE, QUOTES, "Ann & <b>Bob</b>"])
def test_labels_from_the_data_are_escaped_everywhere(hostile: str) -> None:
    charts = [
        stacked_bars(
            [hostile], [Series(hostile, [2], "approved")], beside=Series(hostile, [3], "in"), label=hostile
        ),
        horizontal_bars([hostile], [4], label=hostile),
        median_p90_chart([hostile], [1], [2], label=hostile, median_name=hostile, p90_name=hostile),
    ]
    for chart in charts:
        root = parsed(chart)  # parses: nothing broke out of its element or attribute
        assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
        assert "<script" not in str(chart) and "<b>" not in str(chart)
        assert root.get("aria-label") == hostile
        assert {e.tag for e in root.iter()} <= {
            f"{SVG}{tag}" for tag in ("svg", "title", "rect", "text", "line", "circle")
        }
        assert all(hostile in title_of(mark) for mark in marks(root))
        assert set().union(*(e.attrib for e in root.iter())) <= ALLOWED_ATTRIBUTES


ALLOWED_ATTRIBUTES = {
    "viewBox",
    "role",
    "aria-label",
    "class",
    "font-size",
    "x",
    "y",
    "width",
    "height",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "text-anchor",
    "fill-opacity",
}


def test_no_chart_has_an_inline_style_or_a_script() -> None:
    charts = [
        daily(),
        horizontal_bars(["a"], [1], label="x"),
        median_p90_chart(["a"], [1], [2], label="x", median_name="m", p90_name="p"),
        stacked_bars([], [], label="x", empty="Nothing yet"),
    ]
    for chart in charts:
        assert "style" not in str(chart) and "script" not in str(chart).lower()
        assert not any("style" in e.attrib for e in parsed(chart).iter())


def test_an_empty_chart_is_still_an_image_and_says_so() -> None:
    root = parsed(horizontal_bars([], [], label="SLA breaches", empty="No breach"))
    assert [e.text for e in root.iter(f"{SVG}text")] == ["No breach"] and marks(root) == []


def test_long_labels_are_shortened_but_kept_whole_in_their_title() -> None:
    name = "documents_submission with a very long translated name"
    root = parsed(horizontal_bars([name], [1], label="x"))
    (text,) = [e for e in root.iter(f"{SVG}text") if e.get("class") == "label"]
    assert text.text.endswith("…") and len(text.text) <= 28 and title_of(text) == name


def test_data_that_does_not_match_its_labels_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        stacked_bars(["a", "b", "c"], [Series("x", [1, 2], "approved")], label="x")
    with pytest.raises(ValueError, match="CSS class suffix"):
        horizontal_bars(["a"], [1], label="x", kind="red fill")
