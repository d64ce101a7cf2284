"""Trends of the Atlas: the projects started each year, by theme and by continent, drawn as SVG charts
(portal/core/charts.py) on the Atlas home and, by theme, on each country page.

The window is the last WINDOW years of the projects' start years, ending with the latest start year that is
not in the future (in Paris time): a year not yet entered in the Atlas does not look like a collapse. A
project counts once, in its start year, under its most frequent theme of the window's top TOP_THEMES (the
other projects, with no theme among them, under "Others"), so that the stacked bars add up to the projects
started.

The figures come from two aggregate queries, kept per Atlas version (atlas.queries.cached), so a warm page
reads none; the charts (translated, formatted) are built from them at each request, in its language.
"""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.core import charts
from portal.core.collation import french_key
from portal.templatetags.portal_tags import thousands

from .geography import CONTINENTS
from .models import Country, Project, Theme
from .queries import atlas_version, cached

WINDOW = 15
TOP_THEMES = 5
OTHERS = 0  # the "main theme" of a project with none of the top themes


def window_years(last_year):
    """The WINDOW years ending with `last_year`, oldest first."""
    return list(range(last_year - WINDOW + 1, last_year + 1))


def _figures(country=None):
    projects = Project.objects.filter(start_year__lte=timezone.localdate().year)
    if country is not None:
        projects = projects.filter(cooperation__partner__country=country)
    # 1. Projects per start year and theme, every year (a project counts in each of its themes, a project with
    # none under None): small (years × themes); its last year sets the window, its window ranks the themes.
    # The themes' own fields come with their rows (Theme.from_db builds them), so no other query is needed.
    fields = [field.attname for field in Theme._meta.concrete_fields]
    per_theme = projects.order_by().values_list("start_year", *[f"themes__{name}" for name in fields])
    per_theme = list(per_theme.annotate(n=Count("id")))
    last = max((row[0] for row in per_theme), default=timezone.localdate().year)
    years = window_years(last)
    frequency, themes = {}, {}
    for year, *values, n in per_theme:
        theme_id = values[fields.index(Theme._meta.pk.attname)]
        if theme_id is not None and year >= years[0]:
            frequency[theme_id] = frequency.get(theme_id, 0) + n
            themes.setdefault(theme_id, Theme.from_db(Theme.objects.db, fields, values))
    top = sorted(themes.values(), key=lambda theme: (-frequency[theme.pk], french_key(theme.name)))[
        :TOP_THEMES
    ]
    # 2. Projects of the window per start year, continent and main theme (the first of the top themes the
    # project has): each project once, so both charts add up to the projects started.
    tagged = Project.themes.through.objects.filter(project=OuterRef("pk"))
    main = Case(
        *[When(Exists(tagged.filter(theme=theme.pk)), then=Value(theme.pk)) for theme in top],
        default=Value(OTHERS),
        output_field=IntegerField(),
    )
    rows = (
        projects.filter(start_year__gte=years[0])
        .annotate(main=main)
        .order_by()
        .values_list("start_year", "cooperation__partner__country__continent", "main")
        .annotate(n=Count("id"))
    )
    by_theme = {theme.pk: [0] * WINDOW for theme in top}
    by_theme[OTHERS] = [0] * WINDOW
    continents = {}
    for year, continent, theme_id, n in rows:
        by_theme[theme_id][year - years[0]] += n
        continents.setdefault(continent, [0] * WINDOW)[year - years[0]] += n
    return {
        "years": years,
        "themes": [(theme, by_theme[theme.pk]) for theme in top],
        "others": by_theme[OTHERS],
        "continents": continents,
    }


def figures_of(projects):
    """The same figures as `figures`, counted in Python from `projects` already loaded (their themes
    prefetched, their partner's country selected): the projects of a PDF export, with no other query."""
    this_year = timezone.localdate().year
    projects = [project for project in projects if project.start_year <= this_year]
    years = window_years(max((project.start_year for project in projects), default=this_year))
    projects = [project for project in projects if project.start_year >= years[0]]
    frequency, themes = {}, {}
    for project in projects:
        for theme in project.themes.all():
            frequency[theme.pk] = frequency.get(theme.pk, 0) + 1
            themes[theme.pk] = theme
    top = sorted(themes.values(), key=lambda theme: (-frequency[theme.pk], french_key(theme.name)))
    top = top[:TOP_THEMES]
    by_theme = {theme.pk: [0] * WINDOW for theme in top}
    by_theme[OTHERS] = [0] * WINDOW
    continents = {}
    for project in projects:
        own = {theme.pk for theme in project.themes.all()}
        main = next((theme.pk for theme in top if theme.pk in own), OTHERS)
        by_theme[main][project.start_year - years[0]] += 1
        continent = project.cooperation.partner.country.continent
        continents.setdefault(continent, [0] * WINDOW)[project.start_year - years[0]] += 1
    return {
        "years": years,
        "themes": [(theme, by_theme[theme.pk]) for theme in top],
        "others": by_theme[OTHERS],
        "continents": continents,
    }


def figures(country=None):
    """The raw figures of the trends (of `country`'s projects, or all), kept per Atlas version and year."""
    today = timezone.localdate().year
    name = f"trends:{country.pk if country else 'all'}:{today}"
    return cached(name, lambda: _figures(country))


def started_sentence(years, totals):
    """'From 2015 to 2024, 3,120 projects started; the peak is in 2019 with 410.'"""
    total = sum(totals)
    if not total:
        return gettext("No project of the Atlas started from %(first)s to %(last)s.") % {
            "first": years[0],
            "last": years[-1],
        }
    peak = max(range(len(years)), key=lambda index: (totals[index], years[index]))
    return ngettext(
        "From %(first)s to %(last)s, %(count)s project started; the peak is in %(peak)s with %(peak_count)s.",
        "From %(first)s to %(last)s, %(count)s projects started; the peak is in %(peak)s with "
        "%(peak_count)s.",
        total,
    ) % {
        "first": years[0],
        "last": years[-1],
        "count": thousands(total),
        "peak": years[peak],
        "peak_count": thousands(totals[peak]),
    }


def theme_chart(data, chart_id, title):
    years = data["years"]
    series = [charts.Series(str(theme), values) for theme, values in data["themes"]]
    if any(data["others"]):
        series.append(charts.Series(gettext("Others"), data["others"], other=True))
    totals = [sum(one.values[index] for one in series) for index in range(len(years))]
    desc = started_sentence(years, totals)
    if data["themes"]:
        leader, values = data["themes"][0]
        desc += " " + gettext(
            "Each project counts once, under the most frequent of its themes; the first is %(theme)s "
            "(%(count)s projects)."
        ) % {"theme": str(leader), "count": thousands(sum(values))}
    return charts.stacked_bars(
        id=chart_id,
        title=title,
        desc=desc,
        caption=title,
        categories=years,
        series=series or [charts.Series(gettext("Projects"), totals)],
    )


def continent_chart(data, chart_id, title):
    years = data["years"]
    ranked = sorted(data["continents"].items(), key=lambda item: (-sum(item[1]), item[0]))
    series = [charts.Series(str(CONTINENTS.get(code, code)), values) for code, values in ranked]
    totals = [sum(values[index] for _code, values in ranked) for index in range(len(years))]
    desc = started_sentence(years, totals)
    if ranked and sum(totals):
        desc += " " + gettext("%(continent)s has the most, with %(count)s.") % {
            "continent": series[0].label,
            "count": thousands(sum(ranked[0][1])),
        }
    return charts.lines(
        id=chart_id,
        title=title,
        desc=desc,
        caption=title,
        categories=years,
        series=series or [charts.Series(gettext("Projects"), totals)],
    )


THEMES_TITLE = _("Projects started per year, by theme")
CONTINENTS_TITLE = _("Projects started per year, by continent")


def home_trends():
    """The Atlas home's charts: by theme and by continent. Built only when the page's fragment of them is not
    cached (templates/atlas/includes/trends.html, keyed on `key`): drawing them is most of the page's work."""

    def charts_():
        data = figures()
        return [
            theme_chart(data, "trend-themes", str(THEMES_TITLE)),
            continent_chart(data, "trend-continents", str(CONTINENTS_TITLE)),
        ]

    return {"key": trends_key(), "charts": charts_}


def trends_key(country=None):
    """What the drawn charts depend on besides the language: the Atlas's version, the country, the year."""
    return f"{country.pk if country else 'all'}:{timezone.localdate().year}:{atlas_version()}"


def export_trends(projects):
    """The chart of a PDF export: its projects started per year, by theme."""
    return theme_chart(figures_of(projects), "export-themes", str(THEMES_TITLE))


def country_trends(country: Country):
    """A country page's chart, by theme (its continent is fixed), built as `home_trends`'s."""

    def charts_():
        data = figures(country)
        title = gettext("Projects started per year, by theme: %(country)s") % {"country": str(country)}
        return [theme_chart(data, "trend-themes", title)]

    return {"key": trends_key(country), "charts": charts_}
