import pytest

from django.core.management import call_command

from atlas import seeding
from atlas.models import Authority, Cooperation, Country, PartnerAuthority, Project

SMALL = seeding.Counts(authorities=40, partners=60, countries=7, projects=50, external_projects=5)


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
