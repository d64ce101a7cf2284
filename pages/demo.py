"""Demo content of the editorial side: the page tree of DESIGN.md and the institutional pages."""

from wagtail.models import Page, Site

from portal.models import PortalSettings
from tourism.models import TourismHomePage

from .models import CallsIndexPage, HomePage, RubricPage, StandardPage


def ensure_child(parent, model, slug, **fields):
    """Returns the child page of `parent` with this slug, creating and publishing it when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


def load_home():
    """The home page, made the default site's root."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = ensure_child(
            root,
            HomePage,
            "accueil",
            title="La coopération décentralisée",
            intro="<p>Le portail de l’action internationale des collectivités territoriales françaises : "
            "l’Atlas de leurs coopérations, la Bourse-projets, les appels à projets et le rendez-vous "
            "mensuel de la coopération.</p>",
        )
    # Wagtail's own "Welcome" page is replaced by the portal's home.
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Coopération décentralisée",
        )
    elif site.root_page_id != home.id:
        welcome = site.root_page
        site.root_page = home
        site.site_name = "Coopération décentralisée"
        site.save()
        if welcome.specific_class is Page and not welcome.get_children().exists():
            welcome.delete()
    return home


def load_sections(home):
    """The editorial sections and the institutional pages, beneath the home page."""
    site = Site.objects.get(root_page=home)
    ensure_child(
        home,
        RubricPage,
        "rubrique",
        title="Le rendez-vous du mois",
        show_in_menus=True,
        intro="Chaque mois, des témoignages d’ambassadeurs et d’élus, un zoom sur un pays et ses "
        "coopérations, et des bonnes pratiques.",
    )
    ensure_child(
        home,
        CallsIndexPage,
        "appels-a-projets",
        title="Appels à projets",
        show_in_menus=True,
        intro="Les appels à projets de cofinancement de la Délégation, déposés et suivis en ligne.",
    )
    ensure_child(
        home,
        TourismHomePage,
        "tourisme-responsable",
        title="Tourisme responsable",
        show_in_menus=True,
        intro="La plateforme collaborative où les membres partagent leurs expériences de tourisme "
        "responsable et solidaire.",
    )
    ensure_child(
        home,
        StandardPage,
        "a-propos",
        title="À propos",
        show_in_menus=True,
        intro="La Délégation pour l’action extérieure des collectivités territoriales.",
        body=paragraph(
            "La Délégation accompagne les collectivités françaises dans leur action internationale."
        ),
    )
    legal = ensure_child(
        home,
        StandardPage,
        "mentions-legales",
        title="Mentions légales",
        body=paragraph("Éditeur : ministère de l’Europe et des Affaires étrangères."),
    )
    accessibility = ensure_child(
        home,
        StandardPage,
        "accessibilite",
        title="Déclaration d’accessibilité",
        body=paragraph("Ce site est partiellement conforme au RGAA 4.1."),
    )
    personal_data = ensure_child(
        home,
        StandardPage,
        "donnees-personnelles",
        title="Données personnelles",
        body=paragraph("Les données des comptes servent au seul fonctionnement de l’extranet."),
    )
    settings = PortalSettings.for_site(site)
    settings.legal_notice_page = legal
    settings.accessibility_page = accessibility
    settings.personal_data_page = personal_data
    settings.save()
