"""The roles of DESIGN.md as Django groups. Per-organisation rules come with the extranet (accounts)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    slug: str
    group: str
    label: str
    wagtail_admin: bool = False


ROLES = [
    Role("member", "Membres", _("member")),
    Role("authority_agent", "Agents de collectivité", _("local-authority agent"), wagtail_admin=True),
    Role("embassy_agent", "Agents d’ambassade", _("embassy agent"), wagtail_admin=True),
    Role("prefecture_agent", "Agents de préfecture", _("prefecture agent"), wagtail_admin=True),
    Role(
        "ministry_agent",
        "Agents de ministère ou d’opérateur",
        _("ministry or operator agent"),
        wagtail_admin=True,
    ),
    Role("communication_officer", "Chargés de communication", _("communication officer"), wagtail_admin=True),
    Role("editor_in_chief", "Rédaction en chef", _("editor-in-chief"), wagtail_admin=True),
    # Translate the editorial pages into English (pages/translation.py gives the group its rights).
    Role("translator", "Traducteurs", _("translator"), wagtail_admin=True),
    Role("tourism_moderator", "Modérateurs tourisme", _("tourism moderator"), wagtail_admin=True),
    Role(
        "delegation_admin",
        "Administrateurs de la Délégation",
        _("Délégation administrator"),
        wagtail_admin=True,
    ),
]
