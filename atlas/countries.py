"""The country index (/atlas/pays/): every partner country with its French authorities, partner authorities,
projects and twinnings, as a sortable table and as a world choropleth of one measure (projects, authorities,
twinnings, or the projects of one theme).

The figures come from one aggregate query (and one for the themes' projects), kept per Atlas version
(atlas.queries.cached): a page served again reads none of them. Names, labels, order and classes are made per
request from those figures, in the visitor's language. Everything the page takes from its address (`mesure`,
`theme`, `tri`) goes through IndexForm: a value no link of the page writes is answered with the page itself,
its defaults and a French form error, with status 400 (which the page cache never keeps).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from dsfr.forms import DsfrBaseForm

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.core import choropleth
from portal.core.filters import FormOnly
from portal.templatetags.portal_tags import thousands

from .models import Country, Project, Theme
from .models.records import local_country_name, local_sort_key
from .queries import cached

PROJECTS, AUTHORITIES, TWINNINGS, THEME = "projets", "collectivites", "jumelages", "theme"
MEASURES = [
    (PROJECTS, _("Projects")),
    (AUTHORITIES, _("French authorities")),
    (TWINNINGS, _("Twinnings")),
    (THEME, _("Projects of a theme")),
]
DEFAULT_MEASURE = PROJECTS
# The table's columns: the `tri` value that sorts on it, the row's figure it shows.
NAME, PARTNERS = "nom", "partenaires"
COLUMNS = {
    NAME: "name",
    AUTHORITIES: "authorities",
    PARTNERS: "partners",
    PROJECTS: "projects",
    TWINNINGS: "twinnings",
    THEME: "theme",
}
SORTS = [
    (NAME, _("Name, A to Z")),
    (f"-{NAME}", _("Name, Z to A")),
    (f"-{PROJECTS}", _("Most projects first")),
    (PROJECTS, _("Fewest projects first")),
    (f"-{AUTHORITIES}", _("Most French authorities first")),
    (AUTHORITIES, _("Fewest French authorities first")),
    (f"-{PARTNERS}", _("Most partner authorities first")),
    (PARTNERS, _("Fewest partner authorities first")),
    (f"-{TWINNINGS}", _("Most twinnings first")),
    (TWINNINGS, _("Fewest twinnings first")),
    (f"-{THEME}", _("Most projects of the theme first")),
    (THEME, _("Fewest projects of the theme first")),
]
DEFAULT_SORT = NAME


# The figures ------------------------------------------------------------------------------------------------


def country_figures():
    """{"countries": [{pk, code, slug, name, latitude, longitude, partners, authorities, projects,
    twinnings}], "themes": [Theme], "by_theme": {(country pk, theme pk): projects}} of every country with a
    partner authority, once per Atlas version."""
    return cached("country-index", _country_figures)


# A country's row: where it is, then its figures (annotated as n_<figure>: Country's relation to its partners
# already has the name "partners").
PLACE = ("pk", "code", "slug", "name", "latitude", "longitude")
FIGURES = ("partners", "authorities", "projects", "twinnings")


def _country_figures():
    # One row per country, counted across partners, cooperations and projects (distinct counts: the joins
    # repeat a partner for each of its projects).
    countries = (
        Country.objects.annotate(
            n_partners=Count("partners", distinct=True),
            n_authorities=Count("partners__cooperations__authority", distinct=True),
            n_projects=Count("partners__cooperations__projects", distinct=True),
            n_twinnings=Count(
                "partners__cooperations",
                filter=Q(partners__cooperations__is_twinning=True),
                distinct=True,
            ),
        )
        .filter(n_partners__gt=0)
        .order_by()
        .values_list(*PLACE, *(f"n_{figure}" for figure in FIGURES))
    )
    # A project has each theme once: the pairs of the through table count projects without DISTINCT.
    by_theme = (
        Project.themes.through.objects.values_list("project__cooperation__partner__country_id", "theme_id")
        .annotate(n=Count("project_id"))
        .order_by()
    )
    return {
        "countries": [dict(zip(PLACE + FIGURES, row, strict=True)) for row in countries],
        "themes": list(Theme.objects.order_by("name")),
        "by_theme": {(country, theme): n for country, theme, n in by_theme},
    }


# What the address asks for ----------------------------------------------------------------------------------


class IndexForm(DsfrBaseForm):
    """The measure drawn on the map, its theme, the table's order: a GET form, so that it works without
    JavaScript and every view of the index has its address."""

    mesure = forms.ChoiceField(label=_("Measure shown on the map"), choices=MEASURES, required=False)
    theme = forms.ChoiceField(
        label=_("Theme"),
        help_text=_("For the measure “Projects of a theme”."),
        required=False,
    )
    tri = forms.ChoiceField(label=_("Order of the table"), choices=SORTS, required=False)

    def __init__(self, data, themes):
        super().__init__(data)
        self.fields["theme"].choices = [(theme.slug, theme_name(theme)) for theme in themes]
        self.themes = {theme.slug: theme for theme in themes}

    def clean(self):
        data = super().clean()
        if data.get("mesure") == THEME and "theme" in data and not data["theme"]:
            self.add_error("theme", gettext("Choose the theme whose projects the map shows."))
        return data

    def choice(self, name, default):
        """The valid value of field `name`, else `default` (the page still shows, with the form's error)."""
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return value or default


def theme_name(theme):
    return theme.local_name


def country_name(row):
    """The country's name in the visitor's language (the figures are cached for every language)."""
    return local_country_name(row["code"], row["name"])


# The page ---------------------------------------------------------------------------------------------------


def figure(measure, count, theme=None):
    """A count in words: "412 projects", "3 French authorities", "12 projects of Water and sanitation"."""
    number = thousands(count)
    if measure == AUTHORITIES:
        return ngettext("%(count)s French authority", "%(count)s French authorities", count) % {
            "count": number
        }
    if measure == TWINNINGS:
        return ngettext("%(count)s twinning", "%(count)s twinnings", count) % {"count": number}
    if measure == THEME:
        return ngettext("%(count)s project of %(theme)s", "%(count)s projects of %(theme)s", count) % {
            "count": number,
            "theme": theme,
        }
    return ngettext("%(count)s project", "%(count)s projects", count) % {"count": number}


def measure_title(measure, theme=None):
    """The measure as a column's or a legend's heading."""
    if measure == THEME:
        return gettext("Projects of %(theme)s") % {"theme": theme}
    return str(dict(MEASURES)[measure])


def area_label(name, measure, value, item, theme=None):
    """A country's accessible name on the map: "Sénégal: 412 projects, class 5 of 5"."""
    if item is None:
        return gettext("%(country)s: %(figure)s") % {"country": name, "figure": figure(measure, value, theme)}
    return gettext("%(country)s: %(figure)s, class %(number)s of %(total)s") % {
        "country": name,
        "figure": figure(measure, value, theme),
        "number": item.number,
        "total": item.total,
    }


@dataclass
class Header:
    """A sortable column's heading: its link sorts on it (again: the other way), `aria_sort` when it is the
    table's order."""

    key: str
    label: str
    url: str
    aria_sort: str = ""
    numeric: bool = True


def sort_rows(rows, sort):
    """The rows in the order `tri` asks for; ties by name (French collation), so every order is stable."""
    descending = sort.startswith("-")
    column = COLUMNS[sort.lstrip("-")]
    by_name = sorted(rows, key=lambda row: local_sort_key(row["name"]))
    if column == "name":
        return by_name[::-1] if descending else by_name
    return sorted(by_name, key=lambda row: -row[column] if descending else row[column])


def country_index(request, page, data):
    """The context of the country index for the query `data`, and the answer's status (400 when the query
    holds a value no link of the page writes)."""
    figures = country_figures()
    form = IndexForm(data, figures["themes"])
    valid = form.is_valid()
    measure = form.choice("mesure", DEFAULT_MEASURE)
    sort = form.choice("tri", DEFAULT_SORT)
    theme = form.themes.get(form.choice("theme", "")) or (figures["themes"][0] if figures["themes"] else None)
    if measure == THEME and (theme is None or "theme" in form.errors):
        measure = DEFAULT_MEASURE  # no theme to show (an unknown one, or an Atlas without themes)
    if sort.lstrip("-") == THEME and measure != THEME:
        sort = DEFAULT_SORT  # the theme's column is shown with its measure only
    theme_label = theme_name(theme) if theme else ""

    rows = []
    for country in figures["countries"]:
        row = dict(country, name=country_name(country))
        row["theme"] = figures["by_theme"].get((country["pk"], theme.pk), 0) if theme else 0
        row["value"] = row[COLUMNS[measure]]
        row["url"] = page.url_for("country", country["slug"], request=request)
        rows.append(row)
    classes = choropleth.quantile_classes([row["value"] for row in rows])
    for row in rows:
        row["class"] = choropleth.class_of(row["value"], classes)
        row["label"] = area_label(row["name"], measure, row["value"], row["class"], theme_label)
    rows = sort_rows(rows, sort)

    query = {"mesure": measure, **({"theme": theme.slug} if measure == THEME and theme else {})}
    headers = table_headers(page, request, query, sort, measure, theme_label)
    title = measure_title(measure, theme_label)
    # The keyboard meets the countries in alphabetical order, whatever the table's order.
    areas = [
        choropleth.Area(
            code=row["code"],
            value=row["value"],
            label=row["label"],
            url=row["url"],
            latitude=row["latitude"],
            longitude=row["longitude"],
        )
        for row in sorted(rows, key=lambda row: local_sort_key(row["name"]))
    ]
    with_data = [row for row in rows if row["value"]]
    zeros = len(rows) - len(with_data)
    context = {
        "form": form,
        "index_filter": FormOnly(form),
        "measure": measure,
        "measure_title": title,
        "theme": theme,
        "theme_label": theme_label,
        "sort": sort,
        "rows": rows,
        "headers": headers,
        "legend_classes": classes,
        "zero_count": zeros,
        "zero_label": figure(measure, 0, theme_label),
        "map": choropleth.choropleth(
            areas,
            classes,
            title=gettext("%(measure)s per partner country") % {"measure": title},
            description=map_description(
                measure, measure_phrase(measure, theme_label), rows, with_data, classes
            ),
            label_prompt=gettext("Point to a country, or reach it with the Tab key, to read its figure."),
        ),
        "meta_description": ngettext(
            "The %(count)d partner country of French local authorities' decentralised cooperation, with "
            "their French authorities, partners, projects and twinnings.",
            "The %(count)d partner countries of French local authorities' decentralised cooperation, with "
            "their French authorities, partners, projects and twinnings.",
            len(rows),
        )
        % {"count": len(rows)},
    }
    return context, 200 if valid else 400


def measure_phrase(measure, theme=None):
    """The measure inside a sentence: "projects", "French authorities", "projects of Water and sanitation"."""
    if measure == AUTHORITIES:
        return gettext("French authorities")
    if measure == TWINNINGS:
        return gettext("twinnings")
    if measure == THEME:
        return gettext("projects of %(theme)s") % {"theme": theme}
    return gettext("projects")


def map_description(measure, phrase, rows, with_data, classes):
    if not with_data:
        return gettext(
            "World map of the partner countries: none has any %(measure)s yet. The table below lists them."
        ) % {"measure": phrase}
    return ngettext(
        "World map of the %(count)d partner country by %(measure)s, in %(classes)d classes from "
        "%(low)s to %(high)s: the higher the class, the darker its blue and the denser its hatching. Each "
        "country links to its page; the table below gives the same figures.",
        "World map of the %(count)d partner countries by %(measure)s, in %(classes)d classes from "
        "%(low)s to %(high)s: the higher the class, the darker its blue and the denser its hatching. Each "
        "country links to its page; the table below gives the same figures.",
        len(rows),
    ) % {
        "count": len(rows),
        "measure": phrase,
        "classes": len(classes),
        "low": thousands(classes[0].low),
        "high": thousands(classes[-1].high),
    }


def table_headers(page, request, query, sort, measure, theme_label):
    base = page.url_for("countries", request=request)
    columns = [
        (NAME, gettext("Country"), False),
        (AUTHORITIES, gettext("French authorities"), True),
        (PARTNERS, gettext("Partner authorities"), True),
        (PROJECTS, gettext("Projects"), True),
        (TWINNINGS, gettext("Twinnings"), True),
    ]
    if measure == THEME:
        columns.append((THEME, measure_title(THEME, theme_label), True))
    headers = []
    for key, label, numeric in columns:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        # Sorted on this column: the other way; else figures the most first, names from A to Z.
        if current:
            target = key if descending else f"-{key}"
        elif numeric:
            target = f"-{key}"
        else:
            target = key
        link = urlencode({**query, "tri": target})
        headers.append(
            Header(
                key=key,
                label=label,
                url=f"{base}?{link}",
                aria_sort=("descending" if descending else "ascending") if current else "",
                numeric=numeric,
            )
        )
    return headers
