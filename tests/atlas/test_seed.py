import pytest

from django.core.management import call_command

from atlas import seeding
from atlas.models import AtlasPage, Authority, Cooperation, Country, PartnerAuthority, Project

SMALL = seeding.SCALES["small"]


def snapshot():
    return (
        list(Authority.objects.order_by("slug").values_list("name", "slug", "code", "departement")),
        list(PartnerAuthority.objects.order_by("name", "country__code").values_list("name", "country__code")),
        sorted(Project.objects.values_list("title", "start_year", "status")),
    )


def test_the_demo_scale_is_deterministic(db):
    call_command("seed_atlas", scale="demo", reset=True)
    first = snapshot()
    call_command("seed_atlas", scale="demo", reset=True)
    assert snapshot() == first
    names = {name for name, *_rest in first[0]}
    assert {"Lyon", "Bordeaux", "Région Bretagne", "Département de l'Ille-et-Vilaine"} <= names


def test_a_custom_scale_gives_exact_counts(db):
    seeding.seed(SMALL, log=lambda message: None)
    assert Authority.objects.count() == 40
    assert PartnerAuthority.objects.count() == 60
    assert Country.objects.filter(partners__isnull=False).distinct().count() == 7
    assert Project.objects.filter(cooperation__kind=Cooperation.Kind.COOPERATION).count() == 50
    assert Project.objects.filter(cooperation__kind=Cooperation.Kind.EXTERNAL_ACTION).count() == 5
    # Every partner takes part in a cooperation, and every project has a theme.
    assert not PartnerAuthority.objects.filter(cooperations__isnull=True).exists()
    assert not Project.objects.filter(themes__isnull=True).exists()


def test_records_are_located_and_finished_projects_have_an_end_year(db):
    seeding.seed(SMALL, log=lambda message: None)
    for model in (Authority, PartnerAuthority):
        assert not model.objects.filter(latitude__isnull=True).exists()
        assert not model.objects.filter(location="").exists()
    assert not Project.objects.filter(status=Project.Status.FINISHED, end_year__isnull=True).exists()
    for project in Project.objects.exclude(end_year__isnull=True):
        assert project.end_year >= project.start_year


def test_seeding_is_skipped_when_the_atlas_is_already_there(db, capsys):
    seeding.seed(seeding.SCALES["demo"], log=lambda message: None)
    before = Project.objects.count()
    call_command("seed_atlas", scale="demo")
    assert Project.objects.count() == before
    assert "rien à faire" in capsys.readouterr().out


@pytest.mark.parametrize("total", [1, 2, 40, 60, 4800])
def test_the_split_adds_up(total):
    assert sum(seeding.Counts(total, 1, 1, 1, 0).split()) == total


def test_a_small_reset_on_top_of_the_demo_keeps_what_the_portal_points_to(db, client):
    """`make seed-full` and `make bench` reset the Atlas of a database the demo filled: the Bourse projects,
    the organisations tied to an authority and the tourism experiences keep records to point to."""
    from wagtail.models import Site

    from atlas.bourse.matching import project_url
    from atlas.bourse.models import BourseProject
    from portal.accounts.models import Organisation
    from tourism.models import ExperienceAuthority, ExperiencePage, ExperienceProject

    call_command("demo", quiet=True)
    lyon = Authority.objects.get(name="Lyon")
    Organisation.objects.update_or_create(
        name="Ville de Lyon", defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY, "authority": lyon}
    )
    bourse = {p.title: (p.partner.name, p.partner.country.code) for p in BourseProject.objects.all()}
    tourism_authorities = set(ExperienceAuthority.objects.values_list("page_id", "authority__name"))
    tourism_projects = set(ExperienceProject.objects.values_list("page_id", "project__title"))
    assert bourse
    assert tourism_authorities
    assert tourism_projects

    call_command("seed_atlas", scale="small", reset=True)

    # The small scale is built around what was kept, and nothing the portal pointed to was lost or replaced.
    assert Authority.objects.count() >= seeding.SCALES["small"].authorities
    assert {p.title: (p.partner.name, p.partner.country.code) for p in BourseProject.objects.all()} == bourse
    assert Organisation.objects.get(name="Ville de Lyon").authority == lyon
    assert set(ExperienceAuthority.objects.values_list("page_id", "authority__name")) == tourism_authorities
    assert set(ExperienceProject.objects.values_list("page_id", "project__title")) == tourism_projects
    assert Authority.objects.filter(name="Lyon").count() == 1
    # ...and their public pages still answer.
    site_host = Site.objects.get(is_default_site=True).hostname
    for project in BourseProject.objects.filter(live=True):
        assert client.get(project_url(project), HTTP_HOST=site_host).status_code == 200
    for page in ExperiencePage.objects.live():
        assert client.get(page.url, HTTP_HOST=site_host).status_code == 200
    atlas = AtlasPage.objects.live().get(locale__language_code="fr")
    authority_url = atlas.url + atlas.reverse_subpage("authority", args=[lyon.slug])
    assert client.get(authority_url, HTTP_HOST=site_host).status_code == 200


def test_a_second_small_reset_gives_the_same_atlas(db):
    call_command("seed_atlas", scale="small", reset=True)
    first = snapshot()
    call_command("seed_atlas", scale="small", reset=True)
    assert snapshot() == first
