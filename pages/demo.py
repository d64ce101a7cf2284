"""Demo content of the editorial side: the page tree of DESIGN.md and the institutional pages."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from atlas.models import Authority, Country, Project, Theme
from portal.accounts.roles import ROLES
from portal.core.demo import ensure_child, paragraph
from portal.demo import DEMO_PASSWORD
from portal.models import PortalSettings
from tourism.models import TourismHomePage

from .models import (
    CallsIndexPage,
    ContactFormField,
    ContactPage,
    CountryZoomPage,
    GoodPracticePage,
    GoodPracticeProject,
    HomePage,
    RubricPage,
    StandardPage,
    TestimonyPage,
    first_of_month,
)
from .translation import synchronise_trees
from .workflow import EDITOR_IN_CHIEF_GROUP, ensure_editorial_workflow


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
    rubric = ensure_child(
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
    load_contact(home)
    ensure_editorial_workflow(apps, rubric.pk)
    load_editor_in_chief()
    load_features(rubric)
    settings = PortalSettings.for_site(site)
    settings.legal_notice_page = legal
    settings.accessibility_page = accessibility
    settings.personal_data_page = personal_data
    settings.save()


def load_editor_in_chief():
    """The editor-in-chief who validates the communication officers' features."""

    user, created = get_user_model().objects.get_or_create(
        username="demo.editor.in.chief",
        defaults={"email": "demo.editor.in.chief@example.org", "first_name": "Démo"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=EDITOR_IN_CHIEF_GROUP))
    return user


def load_contact(home):
    contact = ensure_child(
        home,
        ContactPage,
        "contact",
        title="Contact",
        intro="Une question sur le portail, l’Atlas ou la rubrique ? Écrivez à l’équipe de la Délégation.",
        to_address="daect@example.org",
        from_address="ne-pas-repondre@example.org",
        subject="Message reçu par le formulaire de contact",
        thank_you_text="<p>Nous vous répondrons dans les meilleurs délais.</p>",
    )
    if not contact.form_fields.exists():
        for order, (label, field_type) in enumerate(
            [("Nom", "singleline"), ("Adresse électronique", "email"), ("Message", "multiline")]
        ):
            ContactFormField.objects.create(
                page=contact, sort_order=order, label=label, field_type=field_type, required=True
            )
    return contact


def load_features(rubric):
    """Three features this month and two the month before, so that the rubric and its archive show."""

    this_month = first_of_month()
    last_month = first_of_month(this_month - datetime.timedelta(days=1))
    senegal = Country.objects.filter(code="SN").first()
    water = Theme.objects.filter(slug="eau-et-assainissement").first()
    water_projects = list(Project.objects.filter(themes=water).order_by("pk")[:3]) if water else []
    features = [
        (
            TestimonyPage,
            "temoignage-ambassadeur",
            {
                "title": "« Les collectivités ouvrent des portes que la diplomatie ne peut ouvrir seule »",
                "month": this_month,
                "country": senegal,
                "intro": "L’ambassadrice de France au Sénégal raconte les coopérations qu’elle accompagne.",
                "speaker_name": "Claire Martin",
                "speaker_role": TestimonyPage.Role.AMBASSADOR,
                "speaker_title": "Ambassadrice de France au Sénégal",
                "pull_quote": "Les collectivités tissent des liens durables entre nos deux peuples.",
                "body": paragraph(
                    "Les jumelages entre villes françaises et sénégalaises ont plus de quarante ans."
                ),
            },
        ),
        (
            CountryZoomPage,
            "zoom-senegal",
            {
                "title": "Zoom sur le Sénégal",
                "month": this_month,
                "country": senegal,
                "intro": "Le Sénégal, premier partenaire africain des collectivités françaises.",
                "body": paragraph("Eau, éducation, développement économique : les coopérations en chiffres."),
            },
        ),
        (
            GoodPracticePage,
            "bonne-pratique-eau",
            {
                "title": "L’accès à l’eau potable grâce au 1 % eau",
                "month": this_month,
                "country": senegal,
                "intro": "Comment la loi Oudin-Santini finance forages et comités de gestion de l’eau.",
                "results": "<p>Des milliers d’habitants desservis et des comités de gestion formés.</p>",
                "body": paragraph("Les agences de l’eau et les collectivités mobilisent 1 % de leur budget."),
            },
        ),
        (
            TestimonyPage,
            "temoignage-elue",
            {
                "title": "Une élue raconte vingt ans de jumelage",
                "month": last_month,
                "intro": "Une adjointe aux relations internationales revient sur un jumelage fondateur.",
                "speaker_name": "Marie Dupont",
                "speaker_role": TestimonyPage.Role.ELECTED,
                "speaker_title": "Maire adjointe chargée des relations internationales",
                "speaker_authority": Authority.objects.order_by("pk").first(),
                "pull_quote": "Le jumelage a changé le regard de nos habitants sur le monde.",
            },
        ),
        (
            CountryZoomPage,
            "zoom-maroc",
            {
                "title": "Zoom sur le Maroc",
                "month": last_month,
                "country": Country.objects.filter(code="MA").first() or senegal,
                "intro": "Les coopérations franco-marocaines, de la gouvernance locale à la culture.",
            },
        ),
    ]
    for model, slug, fields in features:
        if rubric.get_children().filter(slug=slug).exists():
            continue
        page = model(slug=slug, **fields)
        rubric.add_child(instance=page)
        if water and model is GoodPracticePage:
            page.themes.add(water)
            page.authorities.add(*{project.cooperation.authority for project in water_projects})
            for order, project in enumerate(water_projects):
                page.projects.add(GoodPracticeProject(sort_order=order, project=project))
            page.save()
        page.save_revision().publish()


def load_extranet_page(home):
    """A members-only page of the extranet (a Wagtail view restriction by the roles' groups)."""
    page = ensure_child(
        home,
        StandardPage,
        "espace-membres",
        title="Espace membres",
        intro="Informations réservées aux membres de l’extranet « CNCD à la carte ».",
        body=paragraph("Calendrier des comités, comptes rendus et documents de travail des membres."),
    )
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=page, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    restriction.groups.set([Group.objects.get_or_create(name=role.group)[0] for role in ROLES])
    return page


# The English of the demo pages' texts (wagtail-localize's strings: a title, an intro, a paragraph each).
ENGLISH = {
    "La coopération décentralisée": "Decentralised cooperation",
    "Le portail de l’action internationale des collectivités territoriales françaises : l’Atlas de leurs "
    "coopérations, la Bourse-projets, les appels à projets et le rendez-vous mensuel de la coopération.": (
        "The portal of French local authorities’ international action: the Atlas of their cooperations, "
        "the Bourse-projets, the calls for projects and the monthly cooperation feature."
    ),
    "Le rendez-vous du mois": "This month’s feature",
    "Chaque mois, des témoignages d’ambassadeurs et d’élus, un zoom sur un pays et ses coopérations, et des "
    "bonnes pratiques.": (
        "Every month, testimonies of ambassadors and elected officials, a country and its cooperations in "
        "focus, and good practices."
    ),
    "Appels à projets": "Calls for projects",
    "Les appels à projets de cofinancement de la Délégation, déposés et suivis en ligne.": (
        "The Delegation’s co-financing calls for projects, applied for and followed online."
    ),
    "Tourisme responsable": "Responsible tourism",
    "La plateforme collaborative où les membres partagent leurs expériences de tourisme responsable et "
    "solidaire.": (
        "The collaborative platform where members share their responsible and fair tourism experiences."
    ),
    "À propos": "About",
    "La Délégation pour l’action extérieure des collectivités territoriales.": (
        "The Delegation for the external action of local authorities."
    ),
    "La Délégation accompagne les collectivités françaises dans leur action internationale.": (
        "The Delegation supports French local authorities in their international action."
    ),
    "Contact": "Contact",
    "Une question sur le portail, l’Atlas ou la rubrique ? Écrivez à l’équipe de la Délégation.": (
        "A question about the portal, the Atlas or the monthly feature? Write to the Delegation’s team."
    ),
    "Atlas de la coopération décentralisée": "Atlas of decentralised cooperation",
    "Tous les projets internationaux des collectivités françaises, jumelages compris.": (
        "Every international project of French local authorities, twinnings included."
    ),
    "Bourse-projets": "Bourse-projets (project exchange)",
    "Des projets de collectivités étrangères qui cherchent un partenaire français.": (
        "Projects of foreign local authorities looking for a French partner."
    ),
    "Zoom sur le Sénégal": "Senegal in focus",
    "Le Sénégal, premier partenaire africain des collectivités françaises.": (
        "Senegal, the first African partner of French local authorities."
    ),
    "Eau, éducation, développement économique : les coopérations en chiffres.": (
        "Water, education, economic development: the cooperations in figures."
    ),
}
# The demo feature translated into English; the ambassador's testimony is left for demo.translator.
TRANSLATED_FEATURE = "zoom-senegal"
UNTRANSLATED_FEATURE = "temoignage-ambassadeur"


def translate_page(page, locale, texts=ENGLISH, user=None):
    """Translate `page` into `locale` through wagtail-localize's own objects: its TranslationSource, a
    StringTranslation for each of its strings found in `texts`, then the Translation saved as a published
    revision of the page in that locale (the alias the locale synchronisation made becomes a page of its
    own). A page already translated is left alone."""
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None and existing.live_revision_id:
        return existing
    source, _ = TranslationSource.update_or_create_from_instance(page)
    for segment in source.stringsegment_set.select_related("string", "context"):
        text = texts.get(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": text},
            )
    translation, _ = Translation.objects.update_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    # Saved as a draft, then published here: wagtail-localize would publish once the transaction commits.
    translation.save_target(user=user, publish=False)
    translated = page.get_translation(locale)
    translated.get_latest_revision().publish(user=user)
    return translated


def load_translations(home):
    """The English tree (aliases of every French page), then the home, the menu's pages, the Atlas and the
    Bourse pages and one feature translated into English (demo.translator, made with the other roles'
    accounts, translates the rest)."""
    synchronise_trees()
    english = Locale.objects.filter(language_code="en").first()
    if english is not None:
        pages = [home, *home.get_children().live().in_menu().specific()]
        rubric = RubricPage.objects.filter(locale=home.locale).first()
        if rubric is not None:
            pages += list(rubric.get_children().filter(slug=TRANSLATED_FEATURE).specific())
        for page in pages:
            translate_page(page.specific, english)
