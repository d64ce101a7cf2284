"""The campaign's progress as CSV: one line per authority, streamed by the Atlas export stack
(atlas/exports/tabular.py) like the Atlas and Bourse exports."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from portal.core.territories import REGIONS

from .models import PARTS, CampaignReminder
from .progress import status_of, with_part_dates, with_progress

COLUMNS = [
    "authority_id",
    "name",
    "kind",
    "code",
    "region_code",
    "region",
    "departement",
    "status",
    "parts_verified",
    *(f"verified_{part}" for part in PARTS.values),
    "last_reminder",
]


def progress_queryset(campaign, authorities):
    last_reminder = (
        CampaignReminder.objects.filter(authority=OuterRef("pk")).order_by("-sent_at").values("sent_at")[:1]
    )
    return (
        with_part_dates(campaign, with_progress(campaign, authorities))
        .annotate(last_reminder=Subquery(last_reminder))
        .order_by("region", "departement", "name")
    )


def _date(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def progress_record(authority, _url_template=""):
    record = {
        "authority_id": authority.pk,
        "name": authority.name,
        "kind": authority.kind,
        "code": authority.code,
        "region_code": authority.region,
        "region": REGIONS.get(authority.region, ""),
        "departement": authority.departement,
        "status": status_of(authority.n_verified),
        "parts_verified": authority.n_verified,
        "last_reminder": _date(authority.last_reminder),
    }
    for part in PARTS.values:
        record[f"verified_{part}"] = _date(getattr(authority, f"verified_{part}"))
    return record
