"""Charts drawn on the server as inline SVG: no JavaScript, no inline styles.

Each function takes plain data (labels already translated, numbers) and returns an `<svg>`
element as `Markup`. Sizes come from the viewBox, so a chart scales to its container;
colours come from CSS classes the app's stylesheet fills (`bar bar-approved`, `dot-median`),
because the pages' Content-Security-Policy forbids inline styles. Every bar, segment and dot
has a `<title>` with its exact number, which browsers show on hover and screen readers read;
the chart as a whole is an image with an `aria-label`. Every piece of text, labels from the
data included, is escaped.

`number` formats the figures (axis ticks, values, titles); by default whole numbers stay
whole and others get two decimals. Pass the page's own (`as_percent`, a duration, a locale's).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Series", "as_percent", "horizontal_bars", "median_p90_chart", "stacked_bars"]

Number = Callable[[float], str]

_WIDTH = 640
_FONT = 11  # user units; labels are drawn at this size
_ROW = 24  # height of a row of the horizontal charts
_KIND = re.compile(r"[a-z0-9][a-z0-9-]*$")  # what may follow "bar-" in a CSS class


@dataclass(frozen=True)
class Series:
    """One row of numbers across the categories, drawn with the CSS class `bar-<kind>`."""

    name: str  # its legend, already translated
    values: Sequence[float]
    kind: str  # e.g. "in", "approved", "edited", "rejected"


def as_percent(share: float) -> str:
    """0.125 -> "12.5 %" (the figure a title shows for a share)."""
    return f"{_plain(share * 100)} %"


def stacked_bars(
    categories: Sequence[str],
    stacked: Sequence[Series],
    *,
    label: str,
    beside: Series | None = None,
    number: Number | None = None,
    empty: str = "",
) -> Markup:
    """A column per category (a day) stacking `stacked` (approved, edited, rejected), with
    `beside` (messages in) as a bar of its own to its left; a y axis, and a legend below."""
    number = number or _plain
    every = [*([beside] if beside else []), *stacked]
    for series in every:
        _check_kind(series.kind)
        _check_length(len(series.values), len(categories), series.name)
    totals = [sum(series.values[n] for series in stacked) for n in range(len(categories))]
    plot = _Plot(40, 8, _WIDTH - 48, 180, _scale_top(max([0, *totals, *(beside.values if beside else ())])))
    slot = plot.width / max(len(categories), 1)
    bar = slot * (0.38 if beside else 0.7)
    parts = _y_axis(plot, number)
    for n, category in enumerate(categories):
        x = plot.left + n * slot
        parts.append(_slot_summary(category, [(s.name, s.values[n]) for s in every], x, slot, plot, number))
        x += (slot - bar * (2 if beside else 1)) / 2
        for column in ([beside] if beside else []), stacked:
            parts += _column(category, [(s, s.values[n]) for s in column], x, bar, plot, number)
            x += bar
    parts += _category_labels(categories, plot, slot)
    parts += _legend([(s.name, s.kind) for s in every], 8, plot.bottom + 24)
    if not categories and empty:
        parts.append(_text(empty, _WIDTH / 2, plot.top + plot.height / 2, "empty", anchor="middle"))
    return _svg(label, plot.bottom + 40, "chart chart-stacked", parts)


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    label: str,
    kind: str | Sequence[str] = "count",
    number: Number | None = None,
    maximum: float | None = None,
    empty: str = "",
) -> Markup:
    """A bar per label (age buckets, intents, flags), its value written at its end.
    `kind`: one CSS kind for every bar, or one per bar; `maximum`: the value of a full-length
    bar (1.0 for shares), else the largest value."""
    number = number or _plain
    kinds = [kind] * len(labels) if isinstance(kind, str) else list(kind)
    _check_length(len(values), len(labels), "values")
    _check_length(len(kinds), len(labels), "kinds")
    for one in kinds:
        _check_kind(one)
    top = maximum if maximum is not None and maximum > 0 else max([0, *values]) or 1
    plot = _Plot(190, 4, _WIDTH - 190 - 70, len(labels) * _ROW, top)
    parts = []
    for n, (name, value, one) in enumerate(zip(labels, values, kinds, strict=True)):
        y = plot.top + n * _ROW
        length = plot.across(min(value, top))
        parts.append(_row_label(name, plot.left, y))
        parts.append(_bar(f"{name}: {number(value)}", one, plot.left, y + 4, length, _ROW - 8))
        parts.append(_text(number(value), plot.left + length + 6, y + _ROW / 2 + 4, "value"))
    if not labels and empty:
        parts.append(_text(empty, _WIDTH / 2, _ROW / 2 + 4, "empty", anchor="middle"))
    return _svg(label, 8 + max(len(labels), 1) * _ROW, "chart chart-bars", parts)


def median_p90_chart(
    agents: Sequence[str],
    medians: Sequence[float | None],
    p90s: Sequence[float | None],
    *,
    label: str,
    median_name: str,
    p90_name: str,
    number: Number | None = None,
    empty: str = "",
) -> Markup:
    """A row per agent: a bar up to the 90th percentile, a dot at the median (None: not drawn)."""
    number = number or _plain
    _check_length(len(medians), len(agents), median_name)
    _check_length(len(p90s), len(agents), p90_name)
    # Times have no round scale (seconds, minutes, hours): the axis ends at the longest one.
    top = max([0, *(v for v in (*medians, *p90s) if v is not None)]) or 1
    plot = _Plot(150, 18, _WIDTH - 150 - 16, max(len(agents), 1) * _ROW, top)
    parts = _x_ends(plot, number)
    for n, (agent, median, p90) in enumerate(zip(agents, medians, p90s, strict=True)):
        y = plot.top + n * _ROW
        parts.append(_row_label(agent, plot.left, y))
        if p90 is not None:
            title = f"{agent} — {p90_name}: {number(p90)}"
            parts.append(_bar(title, "p90", plot.left, y + 8, plot.across(p90), _ROW - 16))
        if median is not None:
            title = f"{agent} — {median_name}: {number(median)}"
            parts.append(_dot(plot.left + plot.across(median), y + _ROW / 2, _title(title)))
    if not agents and empty:
        parts.append(_text(empty, _WIDTH / 2, plot.top + _ROW / 2 + 4, "empty", anchor="middle"))
    parts += _legend([(p90_name, "p90")], 8, plot.bottom + 6)
    x = 8 + _legend_width(p90_name)
    parts += [
        _dot(x + 5, plot.bottom + 11, css="swatch dot-median"),
        _text(median_name, x + 14, plot.bottom + 15, "legend"),
    ]
    return _svg(label, plot.bottom + 26, "chart chart-times", parts)


# -- pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plot:
    """The plotting area, in viewBox units, and the value its full length stands for."""

    left: float
    top: float
    width: float
    height: float
    maximum: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def across(self, value: float) -> float:
        """How long a bar of `value` is, left to right."""
        return max(value, 0) / self.maximum * self.width

    def up(self, value: float) -> float:
        """How tall a column of `value` is."""
        return max(value, 0) / self.maximum * self.height


def _svg(label: str, height: float, css: str, parts: Sequence[Markup]) -> Markup:
    attributes = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {_WIDTH} {_plain(height)}",
        "role": "img",
        "aria-label": label,
        "class": css,
        "font-size": _FONT,
    }
    return _element("svg", attributes, _title(label), *parts)


def _y_axis(plot: _Plot, number: Number) -> list[Markup]:
    parts = []
    for tick in (0, plot.maximum / 2, plot.maximum):
        y = plot.bottom - plot.up(tick)
        line = {"class": "grid" if tick else "axis", "x1": plot.left, "x2": plot.left + plot.width}
        parts.append(_element("line", {**line, "y1": y, "y2": y}))
        parts.append(_text(number(tick), plot.left - 4, y + 4, "tick", anchor="end"))
    return parts


def _x_ends(plot: _Plot, number: Number) -> list[Markup]:
    """The axis of a horizontal chart: its start and its end, each with its value above."""
    parts = []
    for value, css, anchor in ((0, "axis", "start"), (plot.maximum, "grid", "end")):
        x = plot.left + plot.across(value)
        parts.append(
            _element("line", {"class": css, "x1": x, "x2": x, "y1": plot.top - 2, "y2": plot.bottom})
        )
        parts.append(_text(number(value), x, plot.top - 6, "tick", anchor=anchor))
    return parts


def _column(
    category: str,
    segments: Sequence[tuple[Series, float]],
    x: float,
    width: float,
    plot: _Plot,
    number: Number,
) -> list[Markup]:
    """One category's segments, stacked upwards from the axis (nothing for a zero)."""
    parts, base = [], plot.bottom
    for series, value in segments:
        if value <= 0:
            continue
        base -= plot.up(value)
        title = f"{category} — {series.name}: {number(value)}"
        parts.append(_bar(title, series.kind, x, base, width, plot.up(value)))
    return parts


def _slot_summary(
    category: str, figures: Sequence[tuple[str, float]], x: float, width: float, plot: _Plot, number: Number
) -> Markup:
    """An unpainted area behind a category's bars whose title lists all its numbers, zeros too."""
    summary = "; ".join(f"{name}: {number(value)}" for name, value in figures)
    area = {"class": "slot", "x": x, "y": plot.top, "width": width, "height": plot.height, "fill-opacity": 0}
    return _element("rect", area, _title(f"{category} — {summary}"))


def _category_labels(categories: Sequence[str], plot: _Plot, slot: float) -> list[Markup]:
    """Every category's label when they fit, else every k-th (each bar's title names its own)."""
    step = max(1, math.ceil(len(categories) / 12))
    return [
        _text(category, plot.left + (n + 0.5) * slot, plot.bottom + 14, "label", anchor="middle")
        for n, category in enumerate(categories)
        if n % step == 0
    ]


def _legend(entries: Sequence[tuple[str, str]], x: float, y: float) -> list[Markup]:
    """A swatch and a name per (name, kind), in a row."""
    parts = []
    for name, kind in entries:
        swatch = {"class": f"swatch bar-{kind}", "x": x, "y": y, "width": 10, "height": 10}
        parts += [_element("rect", swatch), _text(name, x + 14, y + 9, "legend")]
        x += _legend_width(name)
    return parts


def _legend_width(name: str) -> float:
    """A legend entry's width: swatch, gap, text (estimated: no text layout on the server), gap."""
    return 14 + len(name) * _FONT * 0.6 + 18


def _row_label(name: str, right: float, y: float) -> Markup:
    """A row's name, right-aligned before the plot; cut when long (its title is the whole name)."""
    shown = name if len(name) <= 28 else name[:27] + "…"
    return _text(shown, right - 8, y + _ROW / 2 + 4, "label", anchor="end", title=name)


def _bar(title: str, kind: str, x: float, y: float, width: float, height: float) -> Markup:
    box = {"class": f"bar bar-{kind}", "x": x, "y": y, "width": max(width, 0), "height": max(height, 0)}
    return _element("rect", box, _title(title))


def _dot(x: float, y: float, *children: Markup, css: str = "dot dot-median") -> Markup:
    return _element("circle", {"class": css, "cx": x, "cy": y, "r": 5}, *children)


def _text(
    content: str, x: float, y: float, css: str, *, anchor: str = "start", title: str | None = None
) -> Markup:
    children = [_title(title)] if title is not None and title != content else []
    attributes = {"class": css, "x": x, "y": y, "text-anchor": anchor}
    return _element("text", attributes, escape(content), *children)


def _title(text: str) -> Markup:
    return _element("title", {}, escape(text))


def _element(tag: str, attributes: Mapping[str, object], *children: Markup) -> Markup:
    """`<tag ...>children</tag>`, every attribute value escaped (children are Markup already)."""
    pairs = "".join(f' {name}="{escape(_attribute(value))}"' for name, value in attributes.items())
    return Markup(f"<{tag}{pairs}>") + Markup("").join(children) + Markup(f"</{tag}>")


def _attribute(value: object) -> str:
    return _plain(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _plain(value: float) -> str:
    """12 -> "12", 2.5 -> "2.5", 1/3 -> "0.33": whole numbers stay whole."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _scale_top(largest: float) -> float:
    """The axis's end: 1, 2, 4, 6, 8 or 10 times a power of ten, at or above `largest`."""
    if largest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    return next(m * power for m in (1, 2, 4, 6, 8, 10) if m * power >= largest)


def _check_kind(kind: str) -> None:
    if not _KIND.match(kind):
        raise ValueError(f"a chart's kind is a CSS class suffix (a-z, 0-9, -), not {kind!r}")


def _check_length(count: int, expected: int, what: str) -> None:
    if count != expected:
        raise ValueError(f"{what}: {count} values for {expected} labels")
