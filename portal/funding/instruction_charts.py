"""Server-drawn, accessible SVG bar charts for the Délégation's view of the dossiers.

Each chart has a <title> and a <desc> the SVG is labelled by (role="img"); the page shows the same figures in
a data table next to it, so nothing is only in the picture. Text is escaped; the rest is numbers."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, BAR, GAP, LABEL_WIDTH, VALUE_WIDTH = 640, 16, 6, 220, 110
# One colour per series, from the DSFR palette, with enough contrast on white.
COLOURS = ("#000091", "#18753c", "#b34000")


def bar_chart(chart_id, title, description, rows, series, value_format="{:,.0f}"):
    """Horizontal bars: `rows` are (label, [value per series]); `series` the legend labels, in order."""
    rows = list(rows)
    peak = max((value for _label, values in rows for value in values if value), default=0) or 1
    group = BAR * len(series) + GAP * 2
    legend_height = 24 if len(series) > 1 else 0
    height = legend_height + group * max(len(rows), 1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = []
    if len(series) > 1:
        parts.append(
            format_html_join(
                "",
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="15" font-size="12">{}</text>',
                (
                    (LABEL_WIDTH + index * 160, COLOURS[index], LABEL_WIDTH + index * 160 + 16, label)
                    for index, label in enumerate(series)
                ),
            )
        )
    for row_index, (label, values) in enumerate(rows):
        top = legend_height + row_index * group + GAP
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                top + BAR * len(series) / 2 + 4,
                label,
            )
        )
        for index, value in enumerate(values):
            width = round(plot * (value or 0) / peak, 1)
            y = top + index * BAR
            shown = value_format.format(value or 0).replace(",", "\u202f")
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    LABEL_WIDTH,
                    y,
                    width,
                    BAR - 2,
                    COLOURS[index % len(COLOURS)],
                    LABEL_WIDTH + width + 4,
                    y + BAR - 5,
                    shown,
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc"'
        ' viewBox="0 0 {w} {h}" width="100%" class="funding-chart">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        body=mark_safe("".join(str(part) for part in parts)),  # noqa: S308 - each part built by format_html
    )
