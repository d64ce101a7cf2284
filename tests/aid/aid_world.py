"""The world of the e-APD declaration tests: Bessancourt (an agent, last year's filed declaration, an Atlas
project in Senegal), Lyon, the open window of YEAR, and a user per role."""

import io
import zipfile
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from atlas.aid import codes
from atlas.aid.models import AidWindow
from atlas.models import Country
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import (
    AidDeclarationFactory,
    AidLineFactory,
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

YEAR = 2025


class World:
    pass


def group_member(name):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def build_world(window_open=True):
    w = World()
    w.senegal, w.mali, w.france = (Country.objects.get(code=code) for code in ("SN", "ML", "FR"))
    now = timezone.now()
    if window_open:
        w.window = AidWindow.objects.create(
            year=YEAR, opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=30)
        )
    else:
        w.window = AidWindow.objects.create(
            year=YEAR, opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
        )
    w.next_window = AidWindow.objects.create(
        year=YEAR + 1, opens_at=now + timedelta(days=300), closes_at=now + timedelta(days=340)
    )
    w.org = OrganisationFactory(
        name="Commune de Bessancourt",
        authority=AuthorityFactory(name="Bessancourt", region="11", departement="95"),
    )
    w.authority = w.org.authority
    w.other_org = OrganisationFactory(
        name="Ville de Lyon", authority=AuthorityFactory(name="Lyon", region="84", departement="69")
    )
    w.other = w.other_org.authority
    last_year = AidDeclarationFactory(
        authority=w.authority, year=YEAR - 1, filed_at=now - timedelta(days=300)
    )
    w.last_line = AidLineFactory(declaration=last_year, country=w.mali, amount=8000, purpose="14031")
    cooperation = CooperationFactory(
        authority=w.authority, partner=PartnerAuthorityFactory(name="Commune de Thiès", country=w.senegal)
    )
    w.project = ProjectFactory(cooperation=cooperation, title="Maraîchage à Thiès", status="ongoing")
    w.agent = agent_of(w.org)
    w.colleague = agent_of(w.org)
    w.other_agent = agent_of(w.other_org)
    w.users = {
        "anonymous": None,
        "member": UserFactory(),
        "authority_agent": w.agent,
        "other_authority_agent": w.other_agent,
        "embassy_agent": agent_of(EmbassyFactory(name="Ambassade au Sénégal", countries=[w.senegal])),
        # Bessancourt is in Île-de-France (région 11): this prefecture's territory.
        "prefecture_agent": agent_of(
            OrganisationFactory(
                name="Préfecture d'Île-de-France", kind="prefecture", authority=None, region="11"
            )
        ),
        "ministry_agent": agent_of(OrganisationFactory(name="MEAE", kind="ministry", authority=None)),
        "operator_agent": agent_of(OrganisationFactory(name="AFD", kind="operator", authority=None)),
        "delegation_admin": group_member(DELEGATION_GROUP),
    }
    return w


def form_url(authority, year=YEAR, name="aid_declaration"):
    return reverse(name, args=[authority.pk, year])


def line(country=None, amount="12000", **extra):
    data = {
        "country": str(country.pk) if country else "",
        "multilateral_body": "",
        "channel": codes.DIRECT,
        "purpose": "14031",
        "amount": str(amount),
        "project": "",
        **dict.fromkeys(codes.MARKERS, "0"),
    }
    data.update({key: str(value) for key, value in extra.items()})
    return data


def form_data(lines, existing=(), no_aid=False, action="save", total=None):
    """What the declaration form posts: `existing` are (line, data) of saved lines, `lines` new ones."""
    data = {
        "lines-TOTAL_FORMS": str(total if total is not None else len(existing) + len(lines)),
        "lines-INITIAL_FORMS": str(len(existing)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "300",
        "intent": action,
    }
    if no_aid:
        data["no_aid"] = "on"
    for index, (saved, fields) in enumerate(existing):
        data.update({f"lines-{index}-{name}": value for name, value in fields.items()})
        data[f"lines-{index}-id"] = str(saved.pk)
    for index, fields in enumerate(lines, start=len(existing)):
        data.update({f"lines-{index}-{name}": value for name, value in fields.items()})
        data[f"lines-{index}-id"] = ""
    return data


def pdf_file(name="justificatif.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"
    )


def zip_file(name, entries, content_type="application/zip"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, content in entries:
            archive.writestr(entry, content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type)


def odt_file(name="justificatif.odt"):
    return zip_file(
        name,
        [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document/>")],
    )


def xlsx_file(name="justificatif.xlsx"):
    types = (
        '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    return zip_file(name, [("[Content_Types].xml", types), ("xl/workbook.xml", "<workbook/>")])
