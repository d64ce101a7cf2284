"""Each demo role does its main task right after `manage.py demo`, in a real browser."""

import pytest

from django.core.files.base import ContentFile

from atlas.models import ExportJob
from portal.accounts.models import Album, SavedExport, SavedMap
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
    from django.contrib.auth import get_user_model

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
