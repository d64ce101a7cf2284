"""Each demo role does its main task right after `manage.py demo`, in a real browser."""

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from atlas.models import Contact, ExportJob, Project
from portal.accounts.models import Album, Membership, SavedExport, SavedMap
from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_nothing_overlaps_footer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(f"{base}/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/compte/")


def test_the_personal_space_with_albums_and_exports_stays_above_the_footer(page, live_server, demo_site):
    member = get_user_model().objects.get(username="demo.member")
    for n in range(2):
        album = Album.objects.create(owner=member, title=f"Album {n} – coopérations au Sénégal", position=n)
        for m in range(3):
            SavedMap.objects.create(
                owner=member, album=album, title=f"Carte {n}.{m}", query="country=SN", position=m
            )
    SavedMap.objects.create(owner=member, title="Carte sans album", query="")
    for n in range(3):
        job = ExportJob(title="Atlas : projets", query="country=SN", status=ExportJob.Status.DONE, total=12)
        job.owner = member
        job.file.save(f"atlas-{n}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        job.save()
        SavedExport.objects.create(owner=member, job=job)

    log_in(page, live_server.url, "demo.member")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/compte/espace/")
        page.locator("h2#exports").wait_for()
        assert_nothing_overlaps_footer(page)


def choose(page, field):
    """Picks the first record a chooser modal offers (the agent's scope decides what it lists)."""
    page.locator(f"#{field}-chooser button:visible").first.click()
    choice = page.locator(".modal a[data-chooser-modal-choice]").first
    choice.wait_for()
    choice.click()
    expect(page.locator(f"#{field}")).not_to_have_value("")


def test_the_demo_authority_agent_adds_an_official_from_its_records(page, live_server, demo_site):
    base = live_server.url
    authority = Membership.objects.get(user__username="demo.authority.agent").organisation.authority
    log_in(page, base, "demo.authority.agent")
    page.goto(f"{base}/admin/atlas/mes-fiches/")
    page.get_by_role("heading", name=authority.name).wait_for()
    page.locator("main a[href$='/admin/snippets/atlas/contact/']").first.click()
    page.locator("a[href$='/admin/snippets/atlas/contact/add/']").first.click()
    page.locator("#id_first_name").wait_for()
    choose(page, "id_authority")
    page.fill("#id_first_name", "Aminata")
    page.fill("#id_last_name", "Sow")
    page.fill("#id_title", "Adjointe aux relations internationales")
    page.fill("#id_email", "aminata.sow@example.org")
    page.select_option("#id_kind", "elected")
    page.locator("button.action-save").first.click()
    page.wait_for_url("**/admin/snippets/atlas/contact/")
    expect(page.locator("main")).to_contain_text("Aminata")
    assert Contact.objects.get(last_name="Sow").authority == authority


def test_the_demo_embassy_agent_adds_a_project_for_its_country(page, live_server, demo_site):
    base = live_server.url
    log_in(page, base, "demo.embassy.agent")
    page.goto(f"{base}/admin/snippets/atlas/project/add/")
    page.locator("#id_title").wait_for()
    choose(page, "id_cooperation")
    page.fill("#id_title", "Jardins maraîchers partagés")
    page.fill("#id_summary", "Des jardins cultivés par les associations de femmes du quartier.")
    page.select_option("#id_themes", index=0)
    page.fill("#id_start_year", "2025")
    page.locator("button.action-save").first.click()
    page.wait_for_url("**/admin/snippets/atlas/project/")
    expect(page.locator("main")).to_contain_text("Jardins maraîchers partagés")
    project = Project.objects.select_related("cooperation__partner__country").get(
        title="Jardins maraîchers partagés"
    )
    assert project.cooperation.partner.country.code == "SN"


def test_the_demo_member_keeps_a_search_as_a_map_and_a_pdf(page, live_server, demo_site):
    from atlas.models import Country

    base = live_server.url
    search = f"{base}/atlas/recherche/?country={Country.objects.get(code='SN').slug}"
    log_in(page, base, "demo.member")
    page.goto(search)
    page.locator("form.atlas-keep-pdf button").click()
    page.wait_for_url("**/compte/espace/")
    download = page.locator("a[href*='/compte/espace/exports/'][href$='/telecharger/']")
    expect(download).to_have_count(1)

    page.goto(search)
    page.fill("#save-map-title", "Coopérations au Sénégal")
    page.locator("form.atlas-save-map__form button[type=submit]").click()
    page.wait_for_url("**/compte/espace/")
    expect(page.get_by_role("link", name="Coopérations au Sénégal", exact=True)).to_be_visible()
    expect(download).to_have_count(1)
    assert_nothing_overlaps_footer(page)
    member = get_user_model().objects.get(username="demo.member")
    assert SavedExport.objects.get(owner=member).job.status == ExportJob.Status.DONE
