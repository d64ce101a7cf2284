"""Demo content of the extranet: a members-only page (a Wagtail view restriction by group)."""

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

from pages.demo import ensure_child, paragraph
from pages.models import StandardPage
from portal.roles import ROLES


def load_extranet_page(home):
    page = ensure_child(
        home,
        StandardPage,
        "espace-membres",
        title="Espace membres",
        intro="Informations réservées aux membres de l’extranet « CNCD à la carte ».",
        body=paragraph("Calendrier des comités, comptes rendus et documents de travail des membres."),
    )
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=page, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    restriction.groups.set([Group.objects.get_or_create(name=role.group)[0] for role in ROLES])
    return page
