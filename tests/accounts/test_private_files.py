"""Private files are never public media: a kept PDF export, and the photos of a tourism experience that is
not published, are stored outside MEDIA_ROOT and served only by views that check who asks."""

import importlib
from pathlib import Path

import pytest

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from atlas.models import ExportJob
from portal.accounts.models import SavedExport
from tests.accounts.factories import UserFactory

PDF = b"%PDF-1.4 un export de l'Atlas"


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def stranger(db):
    return UserFactory()


def done_job(owner=None):
    job = ExportJob(title="Atlas : projets", query="country=mali", status=ExportJob.Status.DONE, total=321)
    job.owner = owner
    job.file.save("atlas.pdf", ContentFile(PDF), save=False)
    job.save()
    return job


def body(response):
    return b"".join(response.streaming_content)


def is_public_media(path):
    return Path(path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


# Kept PDF exports -------------------------------------------------------------------------------------------


def test_a_kept_export_is_stored_outside_the_public_media_and_has_no_public_address(owner):
    saved = SavedExport.objects.create(owner=owner, job=done_job(owner))
    path = saved.job.file.path
    assert Path(path).read_bytes() == PDF
    assert not is_public_media(path)
    with pytest.raises(ValueError, match="private"):
        saved.job.file.url  # noqa: B018 - reading the address is the test


def test_an_owned_export_is_served_to_its_owner_only(client, owner, stranger):
    job = done_job(owner)
    saved = SavedExport.objects.create(owner=owner, job=job)
    status_url = reverse("atlas_data:export_status", args=[job.pk])
    file_url = reverse("atlas_data:export_file", args=[job.pk])

    # Anybody holding the address of the status page: asked to log in, then nothing.
    for url in (status_url, file_url):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(stranger)
    assert client.get(status_url).status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.get(reverse("accounts:personal_export_download", args=[saved.pk])).status_code == 404

    client.force_login(owner)
    page = client.get(status_url)
    assert page.status_code == 200 and f'href="{file_url}"' in page.text
    for url in (file_url, reverse("accounts:personal_export_download", args=[saved.pk])):
        response = client.get(url)
        assert response.status_code == 200 and body(response) == PDF
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_ownerless_export_is_served_to_whoever_holds_its_address_until_someone_keeps_it(
    client, owner, stranger
):
    job = done_job()
    file_url = reverse("atlas_data:export_file", args=[job.pk])
    assert body(client.get(file_url)) == PDF
    client.force_login(owner)
    client.post(reverse("accounts:personal_export_keep", args=[job.pk]))
    client.logout()
    client.force_login(stranger)
    assert client.get(file_url).status_code == 404


def test_the_emailed_link_serves_the_private_file(client, owner, mailoutbox):
    saved = SavedExport.objects.create(owner=owner, job=done_job(owner))
    client.force_login(owner)
    client.post(
        reverse("accounts:personal_export_send", args=[saved.pk]),
        {"recipient": "collegue@example.org", "message": ""},
    )
    link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]
    client.logout()
    response = client.get(link)
    assert response.status_code == 200 and body(response) == PDF


def test_the_migration_moves_earlier_exports_out_of_the_public_media(db):
    public, private = storages["default"], storages["private"]
    name = public.save("exports/atlas-projets-ancien.pdf", ContentFile(PDF))
    job = ExportJob.objects.create(title="Atlas", status=ExportJob.Status.DONE, file=name)
    migration = importlib.import_module("atlas.migrations.0011_exportjob_private_file")
    migration.move_to_private_storage(apps, None)
    job.refresh_from_db()
    assert not public.exists(name)
    assert private.exists(job.file.name)
    assert job.file.read() == PDF
