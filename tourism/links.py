"""Links from the rest of the portal to the platform."""

from .models import ExperiencePage


def experiences_about(authority):
    """The live experiences that name this French authority, newest first, with their country: one query.

    Asked on every view of the Atlas authority page (its "atlas_authority_sections" hook, outside the
    authority's cached detail), so that an experience shows there as soon as it is published."""

    return list(
        ExperiencePage.objects.live()
        .filter(authority_links__authority=authority)
        .select_related("country")
        .order_by("-first_published_at", "-pk")
        .distinct()
    )
