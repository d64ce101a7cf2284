"""Private files are never public media: a kept PDF export, and the photos of a tourism experience that is
not published, are stored outside MEDIA_ROOT and served only by views that check who asks."""

import importlib
import uuid
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
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    client.force_login(stranger)
    assert client.get(status_url).status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.get(reverse("accounts:personal_export_download", args=[saved.pk])).status_code == 404

    client.force_login(owner)
    page = client.get(status_url)
    assert page.status_code == 200
    assert f'href="{file_url}"' in page.text
    for url in (file_url, reverse("accounts:personal_export_download", args=[saved.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == PDF
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


def test_an_ownerless_export_is_served_to_whoever_holds_its_address_until_someone_keeps_it(
    client, owner, stranger
):
    job = done_job()
    file_url = reverse("atlas_data:export_file", args=[job.pk])
    assert body(client.get(file_url)) == PDF
    client.force_login(owner)
    client.post(reverse("atlas_data:export_keep", args=[job.pk]))
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
    assert response.status_code == 200
    assert body(response) == PDF


def test_the_migration_moves_earlier_exports_out_of_the_public_media(db):
    public, private = storages["default"], storages["private"]
    name = public.save(f"exports/atlas-projets-{uuid.uuid4()}.pdf", ContentFile(PDF))
    job = ExportJob.objects.create(title="Atlas", status=ExportJob.Status.DONE, file=name)
    migration = importlib.import_module("atlas.migrations.0011_exportjob_private_file")
    migration.move_to_private_storage(apps, None)
    job.refresh_from_db()
    assert not public.exists(name)
    assert private.exists(job.file.name)
    assert job.file.read() == PDF


# Photos of tourism experiences ------------------------------------------------------------------------------

from tests.tourism.conftest import experiences_index, moderator, tourism_home  # noqa: E402,F401
from tests.tourism.factories import ExperiencePageFactory  # noqa: E402
from tests.tourism.test_photos import upload  # noqa: E402
from tourism.models import ExperiencePage, ExperiencePhoto  # noqa: E402
from tourism.photos import store_photo  # noqa: E402


@pytest.fixture
def author(db):
    return UserFactory(username="membre.auteur", email="auteur@example.org")


@pytest.fixture
def draft(experiences_index, author):  # noqa: F811
    """A member's experience that is not published: its photo was uploaded through the members' form."""
    page = ExperiencePageFactory(parent=experiences_index, slug="casamance", owner=author, live=False)
    image = store_photo(upload(), author, "Le village")
    page.photos = [ExperiencePhoto(image=image, alt_text="Le village", credit="Awa")]
    page.save()
    page.save_revision(user=author)
    return ExperiencePage.objects.get(pk=page.pk)


def photo_of(page):
    return page.photos.get().image


def fetch(client, url):
    response = client.get(url)
    return response.status_code, (
        b"".join(response.streaming_content) if response.status_code == 200 else b""
    )


def test_a_drafts_photos_are_stored_outside_the_public_media(draft):
    image = photo_of(draft)
    rendition = image.get_rendition(PAGE_PHOTO)
    for field_file in (image.file, rendition.file):
        assert Path(field_file.path).is_file()
        assert not is_public_media(field_file.path)
        assert not field_file.url.startswith(settings.MEDIA_URL)
        assert field_file.url.startswith(settings.PRIVATE_MEDIA_URL)


# The JPEG fallback of the <picture> the experience and its preview show (AVIF and WebP beside it).
PAGE_PHOTO = "format-jpeg|fill-800x450"


def test_a_drafts_photos_are_shown_to_its_author_and_the_moderators_only(
    client,
    draft,
    author,
    moderator,  # noqa: F811
    stranger,
):
    image = photo_of(draft)
    rendition = image.get_rendition(PAGE_PHOTO)
    client.force_login(author)
    preview = client.get(reverse("tourism:preview", args=[draft.pk]))
    assert rendition.url in preview.text
    assert "/media/" not in preview.text
    for url in (rendition.url, image.file.url):
        client.logout()
        assert fetch(client, url)[0] == 404
        client.force_login(stranger)
        assert fetch(client, url)[0] == 404
        for user in (author, moderator):
            client.force_login(user)
            status, content = fetch(client, url)
            assert status == 200
            assert content.startswith(b"\xff\xd8")  # a JPEG
    client.force_login(author)
    response = client.get(rendition.url)
    assert response["Content-Type"] == "image/jpeg"
    assert "public" not in response["Cache-Control"]


def test_once_published_the_photos_are_everybodys_and_private_again_when_unpublished(client, draft):
    image = photo_of(draft)
    draft.get_latest_revision().publish()
    page = ExperiencePage.objects.get(pk=draft.pk)
    html = client.get(page.url).text
    rendition = image.get_rendition(PAGE_PHOTO)
    assert rendition.url in html
    assert fetch(client, rendition.url)[0] == 200
    page.unpublish()
    assert fetch(client, rendition.url)[0] == 404


def test_other_images_stay_public_media(db):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Affiche", file=get_test_image_file("affiche.png"))
    assert is_public_media(image.file.path)
    assert image.file.url.startswith(settings.MEDIA_URL)
    assert image.get_rendition("max-100x100").url.startswith(settings.MEDIA_URL)


def test_the_photo_view_serves_nothing_else(client, db):
    assert client.get(settings.PRIVATE_MEDIA_URL + "original_images/affiche.png").status_code == 404
    assert client.get(settings.PRIVATE_MEDIA_URL + "../settings.py").status_code == 404
    assert (
        client.get(settings.PRIVATE_MEDIA_URL + "images/contribution-0123456789abcdef.jpg").status_code == 404
    )


def test_the_migration_moves_earlier_members_photos_out_of_the_public_media(db):
    from django.core.files.storage import FileSystemStorage

    from wagtail.images import get_image_model

    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    name = f"original_images/contribution-{uuid.uuid4().hex[:16]}.jpg"
    public.save(name, upload())
    image = get_image_model().objects.create(title="Ancienne photo", file=name, width=800, height=600)
    migration = importlib.import_module("tourism.migrations.0005_members_photos_private")
    migration.move_members_photos(apps, None)
    assert not public.exists(name)
    assert not is_public_media(image.file.path)
    with image.open_file() as handle:
        assert handle.read(2) == b"\xff\xd8"


# Every rendition the templates make of members' photos (`{% picture %}` with its formats, `{% image %}`).
MEMBER_PHOTO_SPECS = [
    f"format-{kind}|{size}"
    for size in ("fill-400x225", "fill-800x450", "max-800x600")
    for kind in ("avif", "webp", "jpeg")
]


@pytest.mark.parametrize("spec", MEMBER_PHOTO_SPECS)
def test_every_rendition_of_a_members_photo_is_private(draft, spec):
    """Wagtail cuts a rendition's file name to fit its filter spec: the cut name must still be private."""
    rendition = photo_of(draft).get_rendition(spec)
    assert rendition.url.startswith(settings.PRIVATE_MEDIA_URL), rendition.file.name
    assert not (Path(settings.MEDIA_ROOT) / rendition.file.name).exists()
