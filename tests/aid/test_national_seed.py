"""The e-APD part of the deterministic seed: ten years of FILED declarations with valid OECD codes, bulk
inserted through the Atlas' seed hooks, gone with a reset and rebuilt identically."""

from atlas import seeding
from atlas.aid import codes
from atlas.aid.models import AidDeclaration, AidLine, AidWindow
from atlas.aid.seeding import YEARS


def seed_small():
    seeding.seed(seeding.SCALES["small"], log=lambda message: None)


def snapshot():
    return sorted(
        tuple(str(value) for value in row)
        for row in AidLine.objects.values_list(
            "declaration__authority__name",
            "declaration__year",
            "country__code",
            "channel",
            "purpose",
            "amount",
        )
    )


def test_the_seed_files_ten_years_of_declarations_with_valid_codes(db):
    seed_small()
    declarations = AidDeclaration.objects.all()
    assert declarations.exists()
    assert set(declarations.values_list("status", flat=True)) == {AidDeclaration.Status.FILED}
    assert set(declarations.values_list("year", flat=True)) == set(YEARS)
    assert not declarations.filter(filed_at__isnull=True).exists()
    for line in AidLine.objects.select_related("declaration", "country"):
        assert line.purpose in codes.PURPOSES
        assert (line.channel == codes.MULTILATERAL) == bool(line.multilateral_body)
        if line.country_id:
            assert codes.crs_recipient_code(line.country.code, line.declaration.year)
        else:
            assert line.multilateral_body in codes.MULTILATERAL_BODIES
        assert line.amount > 0
    # The windows of the seeded years, closed: the public pages name the last one's total.
    assert set(AidWindow.objects.values_list("year", flat=True)) >= set(YEARS)


def test_a_reset_removes_the_seeded_declarations_and_a_new_seed_is_identical(db):
    seed_small()
    first = snapshot()
    seeding.reset()
    assert not AidDeclaration.objects.filter(authority__organisation__isnull=True).exists()
    seed_small()
    assert snapshot() == first
