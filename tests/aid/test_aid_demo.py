"""The e-APD's demo (make run gives the authority agent a declaration to file, prefilled) and its place in
"My Atlas records"."""

from django.urls import reverse

from atlas.aid import demo
from atlas.aid.models import AidDeclaration, AidWindow
from portal.accounts.models import Membership
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.aid.aid_world import YEAR, build_world
from tests.atlas.factories import AuthorityFactory, CooperationFactory, PartnerAuthorityFactory


def test_the_demo_opens_a_window_with_last_years_declaration_and_other_declarers(db):
    bessancourt = OrganisationFactory(
        name="Commune de Bessancourt", authority=AuthorityFactory(name="Bessancourt")
    )
    agent = UserFactory(username="demo.authority.agent")
    Membership.objects.create(user=agent, organisation=bessancourt, status=Membership.Status.APPROVED)
    for name in ("Rennes", "Lyon"):
        # Partners in Burkina Faso, an ODA recipient: these authorities declare in the demo.
        CooperationFactory(authority=AuthorityFactory(name=name), partner=PartnerAuthorityFactory())
    window = demo.load_demo()
    assert window.is_open()
    assert AidWindow.next() is not None  # next year's dates, for after the close
    last_year = AidDeclaration.objects.get(authority=bessancourt.authority, year=window.year - 1)
    assert last_year.is_filed
    assert last_year.lines.exists()
    assert not AidDeclaration.objects.filter(authority=bessancourt.authority, year=window.year).exists()
    assert AidDeclaration.objects.filter(year=window.year, status="filed").count() == 2

    counts = (AidWindow.objects.count(), AidDeclaration.objects.count())
    demo.load_demo()  # safe to run again
    assert (AidWindow.objects.count(), AidDeclaration.objects.count()) == counts


def test_my_atlas_records_say_where_the_declaration_stands(client, db):
    world = build_world()
    client.force_login(world.agent)
    html = client.get(reverse("atlas_records")).text
    assert "data-aid-records-panel" in html
    assert reverse("aid_declaration", args=[world.authority.pk, YEAR]) in html
