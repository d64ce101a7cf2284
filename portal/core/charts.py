"""Server-rendered, accessible SVG charts: the figures become coordinates here, the template
templates/includes/charts/chart.html draws them, so a chart needs no script and passes the strict CSP (no
style attribute: colours are SVG presentation attributes, sizes CSS classes of static/css/portal.css).

Three kinds, one shape of data:
- `bars(...)`: one series (a total per year), its value above each bar;
- `stacked_bars(...)`: several series stacked, their total above each bar, a legend;
- `lines(...)`: several series as lines, each with its own marker and dash and its name at the line's end.

Every chart has a title and a description (a sentence saying the trend, written by the caller, who knows what
the figures mean), role="img", a legend whose swatches repeat each series' pattern or marker (colour is never
the only cue), and a table equivalent with every figure, in French number format. Coordinates are strings
with a dot, so that localisation never writes "26,3" into an attribute.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from portal.templatetags.portal_tags import thousands

# The frame, in SVG user units (the SVG scales to its container's width).
WIDTH = 720
PLOT_TOP = 28
PLOT_HEIGHT = 220
LEFT = 52  # room for the value axis' labels
RIGHT = 16
LINE_LABELS = 150  # room on the right for the lines' direct labels
YEAR_LABEL_GAP = 20
HEIGHT = PLOT_TOP + PLOT_HEIGHT + YEAR_LABEL_GAP + 12
LABEL_HEIGHT = 14  # the least distance between two direct labels of lines
MAX_BAR_WIDTH = 56
YEAR = _("Year")  # the first column of the tables of charts by year

# (colour, pattern) of each series in turn: colours from the DSFR's illustrative palette, each with its own
# hatching so that neighbours differ without colour. "Others" is always grey.
STYLES = [
    ("#000091", ""),
    ("#1f8d49", "diagonal"),
    ("#b34000", "dots"),
    ("#6a6af4", "horizontal"),
    ("#a558a0", "cross"),
    ("#c08c65", "backdiagonal"),
    ("#009081", "vertical"),
]
OTHER_STYLE = ("#6a6a6a", "grid")
PATTERNS = {
    # (the overlay's path on an 8×8 tile, drawn "stroke" or "fill")
    "": ("", "stroke"),
    "diagonal": ("M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4", "stroke"),
    "backdiagonal": ("M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4", "stroke"),
    "horizontal": ("M0,4 h8", "stroke"),
    "vertical": ("M4,0 v8", "stroke"),
    "cross": ("M0,4 h8 M4,0 v8", "stroke"),
    "grid": ("M0,0.5 h8 M0.5,0 v8", "stroke"),
    "dots": ("M2.5,2.5 h3 v3 h-3 z", "fill"),
}
# Lines: marker shapes and dashes, one of each per series.
MARKERS = ["circle", "square", "triangle", "diamond", "down", "cross", "circle"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"]


def compact_euros(amount):
    """An amount drawn on a chart: "12,3 M€", "450 k€" or "900 €" (French decimal comma)."""
    amount = float(amount)
    if amount >= 1e6:
        return f"{amount / 1e6:.1f}".replace(".", ",") + "\u202fM€"
    if amount >= 1e3:
        return f"{amount / 1e3:.0f}\u202fk€"
    return f"{amount:.0f}\u202f€"


def number(value):
    """A coordinate for an SVG attribute: always a dot, whatever the language formats numbers with."""
    return f"{value:.1f}"


@dataclass
class Series:
    label: str
    values: list  # one value per category, in the categories' order
    other: bool = False  # "Others": grey, last


@dataclass
class Chart:
    id: str  # unique in the page: the prefix of the ids of its title, description and patterns
    kind: str
    title: str
    desc: str
    caption: str  # the table's caption
    category_label: str  # the table's first column ("Year")
    categories: list
    series: list
    empty: bool = False
    width: int = WIDTH
    height: int = HEIGHT
    styles: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    x_labels: list = field(default_factory=list)
    bars: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    table_columns: list = field(default_factory=list)
    table_rows: list = field(default_factory=list)
    axis_y: str = ""
    year_y: str = ""
    label_x: str = ""
    table_total: list = None
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    legend: bool = True


def nice_ceiling(peak, steps=4):
    """The top of the value axis and its step: a round number (1, 2, 2.5 or 5 × 10^k) at or above `peak`."""
    if peak <= 0:
        return 1, 1
    raw = peak / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * steps >= peak:
            break
    # Counts and euros: whole steps only (a peak of 3 projects gets 0, 1, 2, 3, never 0.75).
    step = max(1, math.ceil(step))
    return max(step, math.ceil(peak / step) * step), step


def _style(index, series):
    colour, pattern = OTHER_STYLE if series.other else STYLES[index % len(STYLES)]
    path, mode = PATTERNS[pattern]
    marker = MARKERS[index % len(MARKERS)]
    return {
        "colour": colour,
        "pattern_path": path,
        "pattern_mode": mode,
        "marker": marker,
        "legend_marker": _marker(marker, 14, 6, 3.5),
        "dash": "" if series.other else DASHES[index % len(DASHES)],
    }


def _frame(chart, peak, short, right):
    """The value axis (grid lines and their labels) and the categories' labels; the plot's geometry."""
    top, step = nice_ceiling(peak)
    chart.plot_right = WIDTH - right
    chart.axis_y = number(PLOT_TOP + PLOT_HEIGHT)
    chart.grid = []
    value = 0
    while value <= top + step / 1000:
        y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top
        chart.grid.append({"y": number(y), "label_y": number(y + 4), "label": short(value)})
        value += step
    slot = (chart.plot_right - LEFT) / max(len(chart.categories), 1)
    # With many categories, every other label keeps them apart; the table has them all.
    every = 1 if slot >= 34 else 2
    chart.x_labels = [
        {"x": number(LEFT + slot * (index + 0.5)), "label": str(category), "shown": index % every == 0}
        for index, category in enumerate(chart.categories)
    ]
    chart.year_y = number(PLOT_TOP + PLOT_HEIGHT + YEAR_LABEL_GAP - 4)
    chart.label_x = number(LEFT - 6)
    return top, slot


def _table(chart, full):
    multiple = len(chart.series) > 1
    chart.table_columns = [series.label for series in chart.series] + ([_("Total")] if multiple else [])
    chart.table_rows = []
    for index, category in enumerate(chart.categories):
        values = [series.values[index] for series in chart.series]
        cells = [full(value) for value in values] + ([full(sum(values))] if multiple else [])
        chart.table_rows.append({"category": category, "cells": cells})
    if multiple:
        totals = [sum(series.values) for series in chart.series]
        chart.table_total = [full(value) for value in totals] + [full(sum(totals))]


def _chart(kind, *, id, title, desc, caption, categories, series, category_label, full):
    chart = Chart(
        id=id,
        kind=kind,
        title=title,
        desc=desc,
        caption=caption,
        category_label=category_label,
        categories=list(categories),
        series=list(series),
    )
    chart.empty = not any(value for one in chart.series for value in one.values)
    chart.styles = [
        {"id": f"{id}-p{index}", "label": one.label, **_style(index, one)}
        for index, one in enumerate(chart.series)
    ]
    chart.legend = len(chart.series) > 1
    _table(chart, full)
    return chart


def stacked_bars(
    *, id, title, desc, caption, categories, series, category_label=YEAR, full=thousands, short=thousands
):
    """Bars of several series stacked, the first at the bottom; `full` formats the table's figures, `short`
    the labels drawn on the chart (e.g. "1,2 M€")."""
    chart = _chart(
        "bars",
        id=id,
        title=title,
        desc=desc,
        caption=caption,
        categories=categories,
        series=series,
        category_label=category_label,
        full=full,
    )
    if chart.empty:
        return chart
    totals = [sum(one.values[index] for one in chart.series) for index in range(len(chart.categories))]
    top, slot = _frame(chart, float(max(totals)), short, RIGHT)
    scale = PLOT_HEIGHT / top
    # Bars keep a readable width when the years are few.
    width = min(slot * 0.7, MAX_BAR_WIDTH)
    for index, category in enumerate(chart.categories):
        x = LEFT + slot * (index + 0.5) - width / 2
        base = PLOT_TOP + PLOT_HEIGHT
        segments = []
        for style, one in zip(chart.styles, chart.series, strict=True):
            value = one.values[index]
            if not value:
                continue
            height = float(value) * scale
            base -= height
            segments.append(
                {
                    "y": number(base),
                    "height": number(height),
                    "fill": f"url(#{style['id']})",
                    "tip": f"{category}, {one.label} : {full(value)}" if chart.legend else "",
                }
            )
        chart.bars.append(
            {
                "category": category,
                "x": number(x),
                "width": number(width),
                "segments": segments,
                "total": full(totals[index]),
                "label": short(totals[index]) if totals[index] else "",
                "label_x": number(LEFT + slot * (index + 0.5)),
                "label_y": number(base - 5),
            }
        )
    return chart


def bars(*, id, title, desc, caption, categories, values, label, **options):
    """One series: a bar per category, its value above it (the aid declared per year)."""
    return stacked_bars(
        id=id,
        title=title,
        desc=desc,
        caption=caption,
        categories=categories,
        series=[Series(label, list(values))],
        **options,
    )


def _marker(shape, x, y, size=4):
    """The path of a marker centred on (x, y)."""
    s = size
    if shape == "square":
        return f"M{x - s:.1f},{y - s:.1f} h{2 * s} v{2 * s} h{-2 * s} z"
    if shape == "triangle":
        return f"M{x:.1f},{y - s - 1:.1f} l{s + 1},{2 * s + 1} h{-2 * s - 2} z"
    if shape == "down":
        return f"M{x:.1f},{y + s + 1:.1f} l{s + 1},{-2 * s - 1} h{-2 * s - 2} z"
    if shape == "diamond":
        return f"M{x:.1f},{y - s - 1:.1f} l{s + 1},{s + 1} l{-s - 1},{s + 1} l{-s - 1},{-s - 1} z"
    if shape == "cross":
        return f"M{x - s:.1f},{y - s:.1f} l{2 * s},{2 * s} M{x + s:.1f},{y - s:.1f} l{-2 * s},{2 * s}"
    # a circle, as two arcs
    return f"M{x - s:.1f},{y:.1f} a{s},{s} 0 1,0 {2 * s},0 a{s},{s} 0 1,0 {-2 * s},0"


def _spread(positions, least=LABEL_HEIGHT, low=PLOT_TOP, high=PLOT_TOP + PLOT_HEIGHT + 4):
    """The labels' heights moved apart by at least `least`, as little as possible, inside [low, high]:
    lines that end close together keep readable names."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [positions[i] for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + least)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed[-1] -= overflow
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - least)
    placed = [max(low, value) for value in placed]
    result = [0] * len(positions)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


def lines(
    *, id, title, desc, caption, categories, series, category_label=YEAR, full=thousands, short=thousands
):
    """A line per series, markers on its points and its name at its end (direct labels, so that colour is not
    the only cue)."""
    chart = _chart(
        "lines",
        id=id,
        title=title,
        desc=desc,
        caption=caption,
        categories=categories,
        series=series,
        category_label=category_label,
        full=full,
    )
    if chart.empty:
        return chart
    peak = float(max(value for one in chart.series for value in one.values))
    top, slot = _frame(chart, peak, short, LINE_LABELS)
    ends = []
    for style, one in zip(chart.styles, chart.series, strict=True):
        points, markers = [], []
        for index, value in enumerate(one.values):
            x = LEFT + slot * (index + 0.5)
            y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * float(value) / top
            points.append(f"{x:.1f},{y:.1f}")
            markers.append(
                {
                    "d": _marker(style["marker"], x, y),
                    "tip": f"{chart.categories[index]}, {one.label} : {full(value)}",
                }
            )
        ends.append(y)
        chart.lines.append(
            {
                "points": " ".join(points),
                "markers": markers,
                "colour": style["colour"],
                "dash": style["dash"],
                "filled": style["marker"] != "cross",
                "label": f"{one.label} ({short(one.values[-1])})",
                "label_x": number(chart.plot_right + 10),
            }
        )
    for line, y in zip(chart.lines, _spread([y + 4 for y in ends]), strict=True):
        line["label_y"] = number(y)
    return chart
