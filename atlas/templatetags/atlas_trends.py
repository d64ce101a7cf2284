"""The trends chart of an Atlas PDF export (atlas/trends.py), from the projects the export already holds."""

from django import template

from ..trends import export_trends

register = template.Library()


@register.simple_tag
def projects_trend(projects):
    """{% projects_trend projects as chart %}: the exported projects started per year, by theme."""
    return export_trends(projects)
