"""The Bourse-projets journey in the browser, from the published project to the partnership in the Atlas.

Registration and publication go through the admin's workflow, tested on the server in
tests/atlas/test_bourse.py (the admin's chooser modals make a poor browser test); here the project enters the
journey once published."""

import pytest

from django.core import mail

from atlas.bourse.models import BourseProject
from atlas.models import Country, Project
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, agent_of
from tests.atlas.factories import (
    AtlasPageFactory,
    BoursePageFactory,
    BourseProjectFactory,
    PartnerAuthorityFactory,
)
from tests.browser.conftest import assert_accessible, wait_for_map
from tests.browser.test_extranet import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_authority_finds_a_bourse_project_the_embassy_connects_them_and_the_atlas_shows_it(
    browser, live_server, home
):
    base = live_server.url
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    bourse = BoursePageFactory(parent=home, slug="bourse-projets")
    senegal = Country.objects.get(code="SN")
    embassy = EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal])
    embassy_agent = agent_of(embassy)
    partner = PartnerAuthorityFactory(name="Ziguinchor", country=senegal, latitude=12.58, longitude=-16.27)
    project = BourseProjectFactory(
        partner=partner, embassy=embassy, title="Gestion des déchets de Ziguinchor"
    )
    project.save_revision().publish()
    rennes = OrganisationFactory(name="Ville de Rennes")
    authority_agent = agent_of(rennes)

    visitor = browser.new_context().new_page()
    log_in(visitor, base, authority_agent.username)
    visitor.goto(f"{base}{bourse.url}")
    wait_for_map(visitor)
    assert visitor.locator(".atlas-map").get_attribute("data-markers") == "1"
    visitor.get_by_role("link", name="Gestion des déchets de Ziguinchor").first.click()
    assert_accessible(visitor)
    visitor.fill("textarea[name=message]", "Rennes gère une filière de tri depuis vingt ans.")
    visitor.get_by_role("button", name="Manifester notre intérêt").click()
    visitor.wait_for_selector("text=a manifesté son intérêt")
    assert any(embassy_agent.email in message.to for message in mail.outbox)

    embassy_page = browser.new_context().new_page()
    log_in(embassy_page, base, embassy_agent.username)
    embassy_page.goto(f"{base}/compte/bourse/")
    assert embassy_page.get_by_text("Rennes gère une filière de tri").count() == 1
    embassy_page.get_by_role("button", name="Mettre en relation").click()
    embassy_page.wait_for_selector("text=Mis en relation le")
    embassy_page.get_by_role("button", name=f"Partenariat conclu avec {rennes.authority.name}").click()
    embassy_page.wait_for_selector(f"text=Partenariat conclu avec {rennes.authority.name}.")

    project.refresh_from_db()
    assert project.status == BourseProject.Status.PARTNERED
    atlas_project = Project.objects.get(cooperation=project.cooperation)
    public = browser.new_context().new_page()
    public.goto(f"{base}{atlas.url}collectivites/{rennes.authority.slug}/")
    assert public.get_by_role("link", name=atlas_project.title).count() == 1
    public.goto(f"{base}{bourse.url}")
    assert public.get_by_text("Gestion des déchets de Ziguinchor").count() == 0  # no longer seeking a partner
