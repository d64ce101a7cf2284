"""The dossiers as the Délégation lists and exports them: one queryset with the figures of each row computed
by the database (requested, budget, opinions), the columns of the CSV and XLSX exports (written by the Atlas
export stack, atlas/exports/tabular.py) and the figures of the charts."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.core.territories import REGION_CHOICES

from .instruction_models import OpinionRequest
from .models import Application, BudgetLine

State = Application.State
EXPENSES = [code for code, _label in BudgetLine.EXPENSE_CATEGORIES]
REGIONS = dict(REGION_CHOICES)

COLUMNS = [
    ("id", "integer", _("Identifier of the dossier")),
    ("reference", "string", _("Reference of the dossier")),
    ("call", "string", _("Call for projects")),
    ("call_year", "integer", _("Year of the call")),
    ("title", "string", _("Title of the dossier")),
    ("state", "string", _("State: filed, under_instruction, correction_requested, accepted, refused, ...")),
    ("organisation", "string", _("Applicant organisation")),
    ("lead_authority", "string", _("Lead authority")),
    ("region", "string", _("Région of the lead authority")),
    ("country_code", "string", _("ISO 3166-1 alpha-2 code of the country")),
    ("country_name", "string", _("Country")),
    ("duration_years", "integer", _("Duration in years")),
    ("budget", "number", _("Total budget in euros")),
    ("requested", "number", _("Amount requested in euros")),
    ("granted", "number", _("Amount granted in euros")),
    ("opinions_asked", "integer", _("Opinions asked")),
    ("opinions_given", "integer", _("Opinions given")),
    ("filed_at", "string", _("Date of filing (YYYY-MM-DD)")),
]
COLUMN_NAMES = [name for name, _type, _description in COLUMNS]


def _sum_of_lines(categories):
    lines = (
        BudgetLine.objects.filter(application=OuterRef("pk"), category__in=categories)
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(lines, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _count_of_opinions(**conditions):
    opinions = (
        OpinionRequest.objects.filter(application=OuterRef("pk"), **conditions)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(opinions, output_field=IntegerField()), Value(0))


def dossier_queryset():
    """Every filed dossier (drafts are their organisation's own) with its figures, in one query."""
    return (
        Application.objects.exclude(state=State.DRAFT)
        .select_related("call", "organisation", "lead_authority", "country")
        .annotate(
            requested=_sum_of_lines(["requested"]),
            budget=_sum_of_lines(EXPENSES),
            opinions_asked=_count_of_opinions(),
            opinions_given=_count_of_opinions(given_at__isnull=False),
        )
        .order_by("-filed_at", "-pk")
    )


def dossier_record(application, url_template=""):
    country = application.country
    return {
        "id": application.pk,
        "reference": application.reference,
        "call": application.call.title,
        "call_year": application.call.year,
        "title": application.title,
        "state": application.state,
        "organisation": application.organisation.name,
        "lead_authority": application.lead_authority.name,
        "region": REGIONS.get(application.lead_authority.region, ""),
        "country_code": country.code if country else "",
        "country_name": country.name if country else "",
        "duration_years": application.duration_years,
        "budget": float(application.budget),
        "requested": float(application.requested),
        "granted": float(application.amount_granted) if application.amount_granted is not None else None,
        "opinions_asked": application.opinions_asked,
        "opinions_given": application.opinions_given,
        "filed_at": application.filed_at.date().isoformat() if application.filed_at else "",
    }


def figures(queryset):
    """The charts' figures for the filtered dossiers: count by state; requested and granted by country and
    by région (the ten largest requests). Three grouped queries, whatever the number of dossiers."""
    base = queryset.order_by()
    states = dict(State.choices)
    by_state = [
        (states.get(row["state"], row["state"]), row["n"])
        for row in base.values("state").annotate(n=Count("pk")).order_by("state")
    ]
    requested = Sum("budget_lines__amount", filter=Q(budget_lines__category="requested"))

    def top(field, label):
        # The grant is summed apart: joined to the budget lines it would count once per line.
        rows = list(base.values(field).annotate(requested=requested).order_by("-requested", field)[:10])
        granted = dict(
            base.filter(**{f"{field}__in": [row[field] for row in rows]})
            .values(field)
            .annotate(granted=Sum("amount_granted"))
            .values_list(field, "granted")
        )
        return [(label(row[field]), [row["requested"] or 0, granted.get(row[field]) or 0]) for row in rows]

    return {
        "by_state": by_state,
        "by_country": top("country__name", lambda name: name or _("no country")),
        "by_region": top("lead_authority__region", lambda code: REGIONS.get(code, code or "—")),
    }
