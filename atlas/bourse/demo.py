"""Demo content of the Bourse-projets: its page and a few published projects registered by demo embassies.

Idempotent: the page, embassies, partners and projects are looked up by slug, name or title before being
created."""

import datetime

from django.utils import timezone

from atlas.models import Country, PartnerAuthority, Theme
from portal.accounts.models import Organisation
from portal.core.demo import ensure_child

from .models import BourseContactRequest, BoursePage, BourseProject

EMBASSIES = {
    "SN": "Ambassade de France au Sénégal",
    "MA": "Ambassade de France au Maroc",
    "VN": "Ambassade de France au Vietnam",
    "MG": "Ambassade de France à Madagascar",
}

# (country, partner, latitude, longitude, title, summary, original language, original title, original summary,
#  theme slugs, kind sought, size sought, budget, months, working languages, status)
PROJECTS = [
    (
        "SN",
        "Saint-Louis",
        16.03,
        -16.49,
        "Gestion des déchets du marché central de Saint-Louis",
        "La commune cherche une collectivité française pour organiser la collecte et le tri des déchets du "
        "marché central.",
        "",
        "",
        "",
        ["environnement-et-climat", "services-publics-locaux"],
        "commune",
        "medium",
        120000,
        24,
        "français, wolof",
        "open",
    ),
    (
        "SN",
        "Ziguinchor",
        12.58,
        -16.27,
        "Formation des agents de l’état civil de Ziguinchor",
        "Numériser les registres d’état civil et former les agents municipaux.",
        "",
        "",
        "",
        ["gouvernance-locale"],
        "",
        "",
        45000,
        18,
        "français",
        "in_discussion",
    ),
    (
        "MA",
        "Chefchaouen",
        35.17,
        -5.27,
        "Valorisation touristique de la médina de Chefchaouen",
        "Mettre en valeur le patrimoine de la médina par un circuit de découverte et la formation de guides.",
        "Arabic",
        "تثمين السياحة في مدينة شفشاون العتيقة",
        "تسعى الجماعة إلى شريك فرنسي لتثمين تراث المدينة العتيقة.",
        ["patrimoine", "tourisme"],
        "commune",
        "small",
        80000,
        36,
        "français, arabe",
        "open",
    ),
    (
        "MA",
        "Région de l’Oriental",
        34.68,
        -1.91,
        "Irrigation économe en eau dans l’Oriental",
        "Accompagner les coopératives agricoles vers le goutte-à-goutte.",
        "",
        "",
        "",
        ["agriculture-et-securite-alimentaire", "eau-et-assainissement"],
        "region",
        "large",
        600000,
        48,
        "français, arabe",
        "open",
    ),
    (
        "VN",
        "Huế",
        16.46,
        107.59,
        "Protection contre les inondations à Huế",
        "Cartographier les zones inondables et préparer un plan communal de sauvegarde.",
        "Vietnamese",
        "Phòng chống lũ lụt tại Huế",
        "Thành phố tìm kiếm đối tác Pháp để lập bản đồ vùng ngập lụt.",
        ["environnement-et-climat", "amenagement-urbain"],
        "epci",
        "large",
        250000,
        30,
        "français, anglais, vietnamien",
        "open",
    ),
    (
        "VN",
        "Hội An",
        15.88,
        108.33,
        "Transport doux dans la vieille ville de Hội An",
        "Développer un réseau de pistes cyclables et de navettes électriques.",
        "English",
        "Soft mobility in Hội An old town",
        "The city seeks a French partner to develop cycle paths and electric shuttles.",
        ["amenagement-urbain", "developpement-durable"],
        "commune",
        "medium",
        150000,
        24,
        "anglais",
        "open",
    ),
    (
        "MG",
        "Antsirabe",
        -19.87,
        47.03,
        "Accès à l’eau potable dans les quartiers d’Antsirabe",
        "Étendre le réseau d’eau potable à trois quartiers périphériques.",
        "",
        "",
        "",
        ["eau-et-assainissement", "sante"],
        "",
        "",
        200000,
        36,
        "français, malgache",
        "open",
    ),
    (
        "MG",
        "Fianarantsoa",
        -21.45,
        47.09,
        "Cantines scolaires à Fianarantsoa",
        "Approvisionner les cantines des écoles primaires auprès des producteurs locaux.",
        "Malagasy",
        "Sakafo ho an’ny mpianatra any Fianarantsoa",
        "Mitady mpiara-miasa frantsay ny kaominina.",
        ["education", "agriculture-et-securite-alimentaire"],
        "commune",
        "small",
        60000,
        12,
        "français, malgache",
        "open",
    ),
]


# English texts for partners abroad (title, summary); the other projects show the "not translated" notice.
ENGLISH = {
    "Gestion des déchets du marché central de Saint-Louis": (
        "Waste management at Saint-Louis central market",
        "The municipality seeks a French local authority to organise the collection and sorting of the "
        "central market's waste.",
    ),
}

# A visitor's request without an account, for the Sénégal embassy's agents to read in the admin.
CONTACT_REQUEST = {
    "project": "Gestion des déchets du marché central de Saint-Louis",
    "name": "Amadou Diallo",
    "organisation": "Association des maires du Sénégal",
    "country": "SN",
    "email": "amadou.diallo@example.org",
    "message": "Our association could help the municipality find French partners with experience in "
    "market waste. Could we talk about it?",
    "language": "en",
}


def ensure_embassy(code, name):
    embassy, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": Organisation.Kind.EMBASSY})
    embassy.countries.add(Country.objects.get(code=code))
    return embassy


def ensure_partner(country, name, latitude, longitude):
    partner = PartnerAuthority.objects.filter(country=country, name=name).first()
    if partner is None:
        partner = PartnerAuthority.objects.create(
            country=country, name=name, latitude=latitude, longitude=longitude
        )
    return partner


def load(home):
    """Creates the Bourse page and the demo Bourse projects (published, open for a year) when they do not
    exist yet; the projects need the Atlas's countries (atlas/demo.py)."""
    if not BoursePage.objects.exists():
        ensure_child(
            home,
            BoursePage,
            "bourse-projets",
            title="Bourse-projets",
            show_in_menus=True,
            intro="Des projets de collectivités étrangères qui cherchent un partenaire français.",
        )
    if not Country.objects.filter(code__in=EMBASSIES).exists():
        return []
    embassies = {code: ensure_embassy(code, name) for code, name in EMBASSIES.items()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    expires_on = timezone.localdate() + datetime.timedelta(days=365)
    projects = []
    for row in PROJECTS:
        (code, partner_name, lat, lng, title, summary, language, original_title, original_summary, slugs,
         kind, size, budget, months, languages, status) = row  # fmt: skip
        existing = BourseProject.objects.filter(title=title).first()
        if existing:
            projects.append(existing)
            continue
        title_en, summary_en = ENGLISH.get(title, ("", ""))
        country = Country.objects.get(code=code)
        project = BourseProject.objects.create(
            partner=ensure_partner(country, partner_name, lat, lng),
            title=title,
            summary=summary,
            original_language=language,
            original_title=original_title,
            original_summary=original_summary,
            title_en=title_en,
            summary_en=summary_en,
            partner_kind_sought=kind,
            partner_size_sought=size,
            budget=budget,
            duration_months=months,
            working_languages=languages,
            status=status,
            expires_on=expires_on,
            embassy=embassies[code],
            live=False,
        )
        project.themes.set([themes[slug] for slug in slugs if slug in themes])
        project.save_revision().publish()
        projects.append(project)
    ensure_contact_request()
    return projects


def ensure_contact_request():
    data = dict(CONTACT_REQUEST)
    project = BourseProject.objects.filter(title=data.pop("project")).first()
    if project is None or BourseContactRequest.objects.filter(project=project, email=data["email"]).exists():
        return
    data["country"] = Country.objects.get(code=data["country"])
    BourseContactRequest.objects.create(project=project, **data)
