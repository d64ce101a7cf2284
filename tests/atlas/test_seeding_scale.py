"""Ten times the 2012 Atlas (`seed_atlas --scale x10`): the run itself takes minutes on PostgreSQL (make bench
SCALE=x10), so these tests check its arithmetic and, on a reduced scale that also runs out of real places,
the names made beyond GeoNames' lists."""

from collections import Counter

import pytest

from atlas import seeding
from atlas.models import Authority, Cooperation, PartnerAuthority, Project

FULL, X10 = seeding.SCALES["full"], seeding.SCALES["x10"]
# France has about 700 places of 15,000 inhabitants or more, Senegal about 70: 1,000 authorities and 1,500
# partners in Germany and Senegal need names beyond them, as x10 does with the places of 500 inhabitants.
BEYOND = seeding.Counts(
    authorities=1000,
    partners=1500,
    countries=2,
    projects=300,
    external_projects=10,
    min_city_population=15000,
    partner_groupings=True,
)


def test_x10_is_ten_times_the_full_scale():
    assert X10.authorities == 10 * FULL.authorities == 48000
    assert X10.partners == 10 * FULL.partners == 101060
    assert X10.projects == 10 * FULL.projects == 124760
    assert X10.external_projects == 10 * FULL.external_projects == 6060
    assert X10.countries == FULL.countries
    # Only x10 names partners beyond the real places: the other scales keep the partners they always had.
    assert [name for name, counts in seeding.SCALES.items() if counts.partner_groupings] == ["x10"]


@pytest.mark.parametrize("total", [4800, 48000])
def test_the_x10_split_adds_up_and_needs_syndicates(total):
    regions, departements, epcis, communes = seeding.Counts(total, 1, 1, 1, 0).split()
    assert regions + departements + epcis + communes == total
    assert (regions, departements) == (18, 101)
    if total == 48000:
        # More communes than France's named places of 500 inhabitants: syndicates make up the difference.
        assert communes > 16000 * 2


def test_syndicate_names_are_unique_deterministic_and_bounded():
    places = [("53", {"name": name}) for name in ("Rennes", "Avranches", "Élven", "Vitré")]
    names = seeding.syndicate_names(places, 20)
    assert len(names) == 20
    assert len({(name, region) for name, region, _city in names}) == 20
    assert names == seeding.syndicate_names(places, 20)
    assert names[0][0] == "Syndicat intercommunal des eaux de Rennes"
    assert "Syndicat intercommunal des eaux d'Avranches" in [name for name, *_rest in names]
    with pytest.raises(ValueError, match="Not enough places"):
        seeding.syndicate_names(places, len(places) * len(seeding.SYNDICATES) + 1)


def test_a_scale_beyond_the_real_places_gives_exact_counts_and_unique_names(db):
    seeding.seed(BEYOND, log=lambda message: None)
    assert Authority.objects.count() == 1000
    assert PartnerAuthority.objects.count() == 1500
    assert Project.objects.filter(cooperation__kind=Cooperation.Kind.COOPERATION).count() == 300
    authorities = list(Authority.objects.values_list("name", "departement", "slug", "latitude"))
    syndicates = [name for name, *_rest in authorities if name.startswith("Syndicat")]
    assert len(syndicates) > 100
    assert all(latitude is not None for *_rest, latitude in authorities)
    # Unique names within a département, unique slugs everywhere.
    assert not [key for key, n in Counter((n, d) for n, d, *_r in authorities).items() if n > 1]
    assert len({slug for _n, _d, slug, _l in authorities}) == 1000
    partners = list(PartnerAuthority.objects.values_list("country__code", "name_key", "level"))
    assert len({(country, key) for country, key, _level in partners}) == 1500
    groupings = [(country, level) for country, _key, level in partners if level == "grouping"]
    assert groupings
    assert {country for country, _level in groupings} == {"SN"}  # Germany has places enough
    assert not PartnerAuthority.objects.filter(cooperations__isnull=True).exists()
