import re
import time

import pytest

from django.core import signing
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from atlas.models import ExportJob
from portal.accounts import personal_views
from portal.accounts.models import Album, ExportMailing, SavedExport, SavedMap
from tests.accounts.factories import UserFactory
from tests.atlas.factories import AtlasPageFactory

PDF = b"%PDF-1.4 un export de l'Atlas"


def fr(message):
    """The French of a source string (itself until the catalogue has it)."""
    with translation.override("fr"):
        return str(translation.gettext(message))


def fr_later(message, **values):
    """The French of a source string, looked up when the test runs (after Django is set up)."""
    return lambda: fr(message) % values if values else fr(message)


def url(name, *args):
    return reverse(f"accounts:{name}", args=args)


@pytest.fixture
def member(client, db):
    user = UserFactory(first_name="Claire", last_name="Martin")
    client.force_login(user)
    return user


@pytest.fixture
def stranger(db):
    return UserFactory()


def done_job(owner=None):
    job = ExportJob(title="Atlas : projets", query="country=mali", status=ExportJob.Status.DONE, total=321)
    job.owner = owner
    job.file.save("atlas.pdf", ContentFile(PDF), save=False)
    job.save()
    return job


def kept(owner):
    return SavedExport.objects.create(owner=owner, job=done_job(owner))


def body(response):
    return b"".join(response.streaming_content)


# Maps -------------------------------------------------------------------------------------------------------


def test_the_space_requires_login(client, db):
    response = client.get(url("personal_space"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    response = client.post(url("personal_map_save"), {"title": "Mali", "query": "country=mali"})
    assert response.status_code == 302
    assert not SavedMap.objects.exists()


def test_a_saved_map_appears_and_reopens_its_search(client, home, member):
    AtlasPageFactory(parent=home, slug="atlas")  # whose advanced search the saved map reopens
    response = client.post(
        url("personal_map_save"),
        {"title": " Eau  au Mali ", "query": "country=mali&themes=eau&page=3", "lat": "", "zoom": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == url("personal_space")
    saved = SavedMap.objects.get()
    assert (saved.owner, saved.title, saved.query) == (member, "Eau au Mali", "country=mali&themes=eau")
    assert saved.latitude is None
    assert saved.zoom is None
    page = client.get(url("personal_space"))
    assert "Eau au Mali" in page.text
    assert 'href="/atlas/recherche/?country=mali&amp;themes=eau"' in page.text


def test_the_centre_and_zoom_are_kept_when_posted(client, member):
    data = {"title": "Sahel", "query": "", "lat": "14.5", "lng": "-4", "zoom": "5"}
    client.post(url("personal_map_save"), data)
    saved = SavedMap.objects.get()
    assert (saved.latitude, saved.longitude, saved.zoom) == (14.5, -4, 5)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"lat": "200", "lng": "2", "zoom": "5"}, "The latitude must be a number between -90 and 90."),
        ({"lat": "10", "lng": "-181", "zoom": "5"}, "The longitude must be a number between -180 and 180."),
        ({"lat": "10", "lng": "2", "zoom": "19"}, "The zoom must be a whole number between 1 and 18."),
        ({"lat": "10", "lng": ""}, "Give both the latitude and the longitude of the centre, or neither."),
        ({"lat": "nan", "lng": "2", "zoom": ""}, "The latitude must be a number between -90 and 90."),
    ],
)
def test_a_wrong_centre_is_refused_with_the_title_kept(client, member, data, error):
    response = client.post(url("personal_map_save"), {"title": "Mon titre", "query": "country=mali", **data})
    assert response.status_code == 200
    assert escape(fr(error)) in response.text
    assert 'value="Mon titre"' in response.text
    assert 'value="country=mali"' in response.text
    assert not SavedMap.objects.exists()


def test_an_empty_title_is_refused(client, member):
    response = client.post(url("personal_map_save"), {"title": "  ", "query": "country=mali"})
    assert response.status_code == 200
    assert fr("Give a title.") in response.text
    assert 'value="country=mali"' in response.text
    assert not SavedMap.objects.exists()


def test_the_include_offers_a_form_or_a_login_link(rf, member):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/atlas/recherche/?country=mali")
    request.user = member
    html = render_to_string("atlas/includes/save_map.html", {"query_string": "country=mali"}, request)
    assert url("personal_map_save") in html
    assert 'name="query" value="country=mali"' in html
    request.user = AnonymousUser()
    html = render_to_string("atlas/includes/save_map.html", {"query_string": "country=mali"}, request)
    assert reverse("accounts:login") + "?next=%2Fatlas%2Frecherche%2F%3Fcountry%3Dmali" in html
    assert fr("Log in to save this map") in html


def test_rename_move_to_an_album_reorder_and_delete_a_map(client, member):
    album = Album.objects.create(owner=member, title="Afrique")
    first, second, third = (
        SavedMap.objects.create(owner=member, title=title, position=i) for i, title in enumerate("ABC", 1)
    )
    response = client.post(url("personal_map_edit", first.pk), {"title": "Alpha", "album": album.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.title, first.album) == ("Alpha", album)
    client.post(url("personal_map_move", third.pk), {"direction": "up"})
    assert list(SavedMap.objects.filter(album=None).values_list("title", flat=True)) == ["C", "B"]
    client.post(url("personal_map_move", third.pk), {"direction": "down"})
    assert list(SavedMap.objects.filter(album=None).values_list("title", flat=True)) == ["B", "C"]
    confirm = client.get(url("personal_map_delete", second.pk))
    assert confirm.status_code == 200
    assert SavedMap.objects.filter(pk=second.pk).exists()
    client.post(url("personal_map_delete", second.pk))
    assert not SavedMap.objects.filter(pk=second.pk).exists()


def test_a_map_cannot_be_moved_into_another_members_album(client, member, stranger):
    saved = SavedMap.objects.create(owner=member, title="A")
    foreign = Album.objects.create(owner=stranger, title="Pas à moi")
    response = client.post(url("personal_map_edit", saved.pk), {"title": "A", "album": foreign.pk})
    assert response.status_code == 200
    assert fr("Choose one of your albums.") in response.text
    saved.refresh_from_db()
    assert saved.album is None


# Albums -----------------------------------------------------------------------------------------------------


def test_albums_are_created_renamed_reordered_and_deleted_keeping_their_maps(client, member):
    client.post(url("personal_album_create"), {"title": "Afrique"})
    client.post(url("personal_album_create"), {"title": "Asie"})
    afrique, asie = Album.objects.order_by("position")
    assert (afrique.title, asie.title, afrique.owner) == ("Afrique", "Asie", member)
    client.post(url("personal_album_edit", asie.pk), {"title": "Asie du Sud-Est"})
    client.post(url("personal_album_move", asie.pk), {"direction": "up"})
    assert list(Album.objects.values_list("title", flat=True)) == ["Asie du Sud-Est", "Afrique"]
    SavedMap.objects.create(owner=member, title="Hors album", position=1)
    kept_map = SavedMap.objects.create(owner=member, title="Mali", album=afrique, position=1)
    page = client.get(url("personal_space"))
    positions = [page.text.index(f'id="album-{asie.pk}"'), page.text.index(f'id="album-{afrique.pk}"')]
    assert positions[0] < positions[1] < page.text.index(">Mali</a>")
    assert client.get(url("personal_album_delete", afrique.pk)).status_code == 200
    client.post(url("personal_album_delete", afrique.pk))
    assert not Album.objects.filter(pk=afrique.pk).exists()
    kept_map.refresh_from_db()
    assert kept_map.album is None
    assert kept_map.position == 2


def test_an_empty_album_title_is_refused(client, member):
    response = client.post(url("personal_album_create"), {"title": ""})
    assert response.status_code == 200
    assert fr("Give a title.") in response.text
    assert not Album.objects.exists()


# Another member's objects -----------------------------------------------------------------------------------


def test_another_members_objects_are_404_and_unchanged(client, member, stranger):
    album = Album.objects.create(owner=stranger, title="Album")
    saved_map = SavedMap.objects.create(owner=stranger, title="Carte", album=album)
    other_map = SavedMap.objects.create(owner=stranger, title="Autre", album=album, position=2)
    saved_export = kept(stranger)
    requests = [
        ("get", url("personal_map_edit", saved_map.pk), {}),
        ("post", url("personal_map_edit", saved_map.pk), {"title": "Volé", "album": ""}),
        ("post", url("personal_map_move", other_map.pk), {"direction": "up"}),
        ("get", url("personal_map_delete", saved_map.pk), {}),
        ("post", url("personal_map_delete", saved_map.pk), {}),
        ("get", url("personal_album_edit", album.pk), {}),
        ("post", url("personal_album_edit", album.pk), {"title": "Volé"}),
        ("post", url("personal_album_move", album.pk), {"direction": "down"}),
        ("get", url("personal_album_delete", album.pk), {}),
        ("post", url("personal_album_delete", album.pk), {}),
        ("get", url("personal_export_download", saved_export.pk), {}),
        ("get", url("personal_export_send", saved_export.pk), {}),
        ("post", url("personal_export_send", saved_export.pk), {"recipient": "x@example.org", "message": ""}),
        ("get", url("personal_export_delete", saved_export.pk), {}),
        ("post", url("personal_export_delete", saved_export.pk), {}),
        ("post", reverse("atlas_data:export_keep", args=[saved_export.job.pk]), {}),
    ]
    for method, address, data in requests:
        assert getattr(client, method)(address, data).status_code == 404, address
    saved_map.refresh_from_db()
    album.refresh_from_db()
    assert (saved_map.title, saved_map.album, album.title) == ("Carte", album, "Album")
    assert list(SavedMap.objects.values_list("title", flat=True)) == ["Carte", "Autre"]
    assert SavedExport.objects.filter(owner=member).count() == 0
    assert SavedExport.objects.filter(pk=saved_export.pk).exists()
    assert not ExportMailing.objects.exists()
    assert "Carte" not in client.get(url("personal_space")).text


# Exports ----------------------------------------------------------------------------------------------------


def test_a_finished_export_is_kept_listed_downloaded_and_removed(client, member):
    job = done_job()
    response = client.post(reverse("atlas_data:export_keep", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    saved = SavedExport.objects.get(owner=member)
    assert job.owner == member
    assert saved.job == job
    client.post(reverse("atlas_data:export_keep", args=[job.pk]))
    assert SavedExport.objects.count() == 1
    assert "Atlas : projets" in client.get(url("personal_space")).text
    download = client.get(url("personal_export_download", saved.pk))
    assert download.status_code == 200
    assert body(download) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    client.post(url("personal_export_delete", saved.pk))
    assert not SavedExport.objects.exists()
    job.refresh_from_db()
    assert job.file
    assert job.file.storage.exists(job.file.name)


def test_an_unfinished_export_cannot_be_kept(client, member):
    job = ExportJob.objects.create(title="Atlas", status=ExportJob.Status.RUNNING)
    assert client.post(reverse("atlas_data:export_keep", args=[job.pk])).status_code == 404
    assert client.get(reverse("atlas_data:export_keep", args=[done_job().pk])).status_code == 405
    assert not SavedExport.objects.exists()


def keep_search(client, query):
    return client.post(reverse("atlas_data:projects_pdf_keep"), {"query": query})


def burkina_projects():
    from atlas.models import Country
    from tests.atlas.factories import PartnerAuthorityFactory, ProjectFactory

    burkina = Country.objects.get(code="BF")
    partner = PartnerAuthorityFactory(country=burkina)
    for n in range(2):
        ProjectFactory(title=f"Forages au Burkina {n}", cooperation__partner=partner)
    ProjectFactory(
        title="Ailleurs", cooperation__partner=PartnerAuthorityFactory(country=Country.objects.get(code="SN"))
    )
    return burkina.slug


def test_a_small_search_pdf_is_kept_at_once_from_the_search(client, member, home):
    """Not only background exports: the PDF of a small search is built and kept in one step."""
    slug = burkina_projects()
    response = keep_search(client, f"country={slug}")
    assert response.status_code == 302
    assert response["Location"] == url("personal_space")
    saved = SavedExport.objects.select_related("job").get(owner=member)
    assert saved.job.owner == member
    assert saved.job.status == ExportJob.Status.DONE
    assert saved.job.total == 2
    space = client.get(url("personal_space")).text
    assert url("personal_export_download", saved.pk) in space
    assert "2 projets" in space
    download = client.get(url("personal_export_download", saved.pk))
    assert download.status_code == 200
    assert body(download).startswith(b"%PDF")
    # The search it came from is one click away.
    assert f"country={slug}" in saved.search_url


def test_a_large_search_pdf_goes_to_the_background_and_its_page_offers_to_keep_it(
    client, member, home, monkeypatch
):
    from atlas.exports import views as export_views

    monkeypatch.setattr(export_views, "PDF_INLINE_LIMIT", 1)
    slug = burkina_projects()
    response = keep_search(client, f"country={slug}")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("atlas_data:export_status", args=[job.pk])
    assert job.owner == member
    assert job.total == 2
    assert reverse("atlas_data:export_keep", args=[job.pk]) in client.get(response["Location"]).text


def test_keeping_a_search_pdf_refuses_bad_input_and_strangers(client, member, home):
    response = keep_search(client, "country=atlantide")
    assert response.status_code == 400
    assert 'class="fr-alert fr-alert--error' in response.text
    assert client.get(reverse("atlas_data:projects_pdf_keep")).status_code == 405
    client.logout()
    response = keep_search(client, "")
    assert response.status_code == 302
    assert response["Location"].startswith(url("login"))
    assert not ExportJob.objects.exists()
    assert not SavedExport.objects.exists()


# E-mailed links ---------------------------------------------------------------------------------------------


def send(client, saved, **data):
    return client.post(
        url("personal_export_send", saved.pk), {"recipient": "ami@exemple.org", "message": "Bonjour", **data}
    )


def test_an_export_is_sent_as_a_link_that_downloads_the_pdf(client, member, mailoutbox):
    saved = kept(member)
    response = send(client, saved, message="Voici les projets au Mali.")
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["ami@exemple.org"]
    assert not mail.attachments
    assert "Claire Martin" in mail.body
    assert "Voici les projets au Mali." in mail.body
    assert "Claire Martin" in mail.subject
    link = re.search(r"https?://testserver(\S+)", mail.body).group(1)
    mailing = ExportMailing.objects.get()
    assert (mailing.owner, mailing.saved_export, mailing.recipient) == (member, saved, "ami@exemple.org")
    client.logout()
    download = client.get(link)
    assert download.status_code == 200
    assert body(download) == PDF
    tampered = client.get(link.rstrip("/")[:-2] + "xx/")
    assert tampered.status_code == 404
    assert fr("This link no longer works") in tampered.text


def test_an_expired_link_is_refused(client, member, monkeypatch):
    saved = kept(member)
    token = signing.dumps({"export": saved.pk}, salt=personal_views.LINK_SALT)
    assert personal_views.load_link(token) == saved.pk
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 8 * 24 * 3600)
    assert personal_views.load_link(token) is None
    assert client.get(url("personal_export_link", token)).status_code == 404


def test_a_link_dies_with_its_saved_export(client, member):
    saved = kept(member)
    token = signing.dumps({"export": saved.pk}, salt=personal_views.LINK_SALT)
    saved.delete()
    assert client.get(url("personal_export_link", token)).status_code == 404


TOO_LONG = "The message may have at most %(limit_value)d characters (it has %(show_value)d)."
BAD_ADDRESS = "Enter a valid e-mail address, such as name@example.org."


@pytest.mark.parametrize(
    ("data", "error", "kept_text"),
    [
        ({"message": "x" * 600}, fr_later(TOO_LONG, limit_value=500, show_value=600), "x" * 600),
        ({"recipient": "pas-une-adresse"}, fr_later(BAD_ADDRESS), 'value="pas-une-adresse"'),
        ({"recipient": "a@b.org\nBcc: c@d.org"}, fr_later(BAD_ADDRESS), ""),
    ],
)
def test_bad_sending_input_is_refused_and_nothing_sent(client, member, mailoutbox, data, error, kept_text):
    response = send(client, kept(member), **data)
    assert response.status_code == 200
    assert escape(error()) in response.text
    assert kept_text in response.text
    assert not mailoutbox
    assert not ExportMailing.objects.exists()


def test_the_daily_limit_stops_sendings(client, member, mailoutbox, settings):
    settings.PERSONAL_EXPORT_MAILS_PER_DAY = 2
    saved = kept(member)
    assert send(client, saved).status_code == 302
    assert send(client, saved).status_code == 302
    response = send(client, saved, recipient="troisieme@exemple.org")
    assert response.status_code == 200
    assert 'value="troisieme@exemple.org"' in response.text
    assert "24" in response.text
    assert len(mailoutbox) == 2
    assert ExportMailing.objects.count() == 2
    # Deleting the saved export does not reset the count.
    saved.delete()
    assert send(client, kept(member)).status_code == 200
    assert len(mailoutbox) == 2
