"""Demo content of the Atlas."""

from portal.core.demo import ensure_child

from . import seeding
from .models import AtlasPage, Authority


def load(home):
    atlas = ensure_child(
        home,
        AtlasPage,
        "atlas",
        title="Atlas de la coopération décentralisée",
        show_in_menus=True,
        intro="Tous les projets internationaux des collectivités françaises, jumelages compris.",
    )
    # A small Atlas so that `make run` shows a populated map; a database that already has records
    # (the demo ones, the full scale or real data) is left alone.
    if not Authority.objects.exists():
        seeding.seed(seeding.SCALES["demo"], log=lambda message: None)
    return atlas
