"""Demo content of the Atlas."""

from pages.demo import ensure_child

from .models import AtlasPage, BoursePage


def load(home):
    atlas = ensure_child(
        home,
        AtlasPage,
        "atlas",
        title="Atlas de la coopération décentralisée",
        show_in_menus=True,
        intro="Tous les projets internationaux des collectivités françaises, jumelages compris.",
    )
    ensure_child(
        home,
        BoursePage,
        "bourse-projets",
        title="Bourse-projets",
        show_in_menus=True,
        intro="Des projets de collectivités étrangères qui cherchent un partenaire français.",
    )
    return atlas
