"""Demo content of the responsible-tourism platform: its three indexes, five members' experiences with their
photos, two resources, three events and two comments.

Idempotent: pages are looked up by slug under their index, and photos and documents are made only with the
page they belong to; comments are looked up by experience, author and text."""

import datetime
import io
import math
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone

from atlas.models import Country, Project
from portal.accounts.models import Organisation
from portal.core.demo import ensure_child

from .models import (
    EventIndexPage,
    EventPage,
    ExperienceAuthority,
    ExperienceComment,
    ExperienceIndexPage,
    ExperiencePage,
    ExperiencePhoto,
    ExperienceProject,
    ResourceIndexPage,
    ResourcePage,
    TourismHomePage,
    TourismTheme,
)
from .models.themes import ensure_default_themes
from .moderation import ensure_tourism_workflow
from .photos import contributions_collection

HOME_SLUG = "tourisme-responsable"
MEMBER = "demo.member"
PHOTO_SIZE = (960, 640)

# The experiences: their platform themes, the Atlas themes of the project they are preferably linked to, the
# organisation (looked up by name, when it exists) and their photos: (alt text, credit, caption, palette).
EXPERIENCES = [
    {
        "slug": "villages-d-accueil-en-casamance",
        "country": "SN",
        "title": "Des villages d’accueil en Basse-Casamance",
        "summary": "À Oussouye, six familles accueillent des voyageurs chez elles ; une part de chaque "
        "nuitée finance l’école et la case de santé du village.",
        "body": [
            "Le comité villageois d’Oussouye a ouvert en 2019 un réseau de chambres chez l’habitant. Les "
            "voyageurs partagent les repas des familles, participent au repiquage du riz et découvrent les "
            "forêts sacrées avec un guide du village.",
            "Les séjours sont réservés par l’association du village, qui fixe les prix avec les familles et "
            "tient une caisse commune. La collectivité française partenaire a financé la formation des "
            "hôtes et la rénovation de trois cases traditionnelles.",
        ],
        "place": "Oussouye",
        "location": (12.485, -16.546),
        "themes": ["tourisme-solidaire", "tourisme-rural"],
        "atlas_themes": ["tourisme"],
        "results": "Quatre cents nuitées par an, deux salles de classe rénovées et un revenu régulier pour "
        "six familles, dont quatre tenues par des femmes.",
        "lessons": "Associer les familles aux prix dès le départ ; limiter le nombre de voyageurs pour ne "
        "pas bouleverser la vie du village ; former un guide par quartier.",
        "organisation": "",
        "photos": [
            (
                "Une case à impluvium au toit de chaume, entourée de rizières vertes",
                "Comité villageois d’Oussouye",
                "Une case à impluvium rénovée pour accueillir les voyageurs.",
                ((250, 180, 90), (60, 140, 70), (120, 80, 40)),
            ),
            (
                "Des rizières inondées au coucher du soleil, bordées de palmiers",
                "Comité villageois d’Oussouye",
                "Les rizières du village, où les voyageurs participent au repiquage.",
                ((240, 140, 80), (70, 120, 60), (40, 60, 30)),
            ),
        ],
    },
    {
        "slug": "ecotourisme-dans-le-haut-atlas",
        "country": "MA",
        "title": "Écotourisme et gîtes de montagne dans le Haut Atlas",
        "summary": "Autour d’Imlil, une coopérative de guides et de gîtes fait découvrir la montagne berbère "
        "en respectant l’eau, les sentiers et les terrasses cultivées.",
        "body": [
            "La coopérative réunit vingt guides diplômés et huit gîtes familiaux. Les randonnées suivent des "
            "sentiers entretenus par les villages, et une taxe de séjour finance le ramassage des déchets.",
            "Les gîtes ont installé des chauffe-eau solaires et des toilettes sèches avec l’appui de la "
            "collectivité française partenaire, qui a aussi formé les guides à l’accueil des randonneurs.",
        ],
        "place": "Imlil",
        "location": (31.137, -7.919),
        "themes": ["ecotourisme", "tourisme-rural"],
        "atlas_themes": ["tourisme", "environnement-et-climat"],
        "results": "Deux tonnes de déchets évacuées chaque saison, la consommation de bois de chauffe "
        "réduite de moitié et vingt emplois de guides à l’année.",
        "lessons": "Une charte des sentiers signée par chaque village évite les conflits d’usage ; le "
        "solaire doit être entretenu sur place, d’où la formation de deux techniciens.",
        "organisation": "",
        "photos": [
            (
                "Un village de maisons en pisé accroché à la montagne, sous des sommets enneigés",
                "Coopérative des guides d’Imlil",
                "Le village d’Aremd, étape de la première journée de randonnée.",
                ((150, 190, 230), (170, 120, 80), (230, 230, 240)),
            ),
        ],
    },
    {
        "slug": "patrimoine-vivant-de-hoi-an",
        "country": "VN",
        "title": "Faire vivre le patrimoine de Hội An avec ses artisans",
        "summary": "Dans la vieille ville de Hội An, des ateliers ouverts aux visiteurs font vivre les "
        "métiers de la lanterne, de la soie et de la charpente, et en tirent un revenu.",
        "body": [
            "Le circuit des ateliers remplace les boutiques de souvenirs par des rencontres : les visiteurs "
            "fabriquent une lanterne avec un artisan, assistent au tissage de la soie et visitent un "
            "chantier de restauration d’une maison en bois.",
            "La ville française partenaire a apporté l’expertise de ses architectes du patrimoine pour la "
            "restauration, et une partie du prix du billet finance l’apprentissage de jeunes charpentiers.",
        ],
        "place": "Hội An",
        "location": (15.877, 108.326),
        "themes": ["patrimoine", "tourisme-solidaire"],
        "atlas_themes": ["patrimoine", "culture"],
        "results": "Douze ateliers ouverts, trente apprentis formés en trois ans et cinq maisons anciennes "
        "restaurées.",
        "lessons": "Limiter le nombre de visiteurs par atelier préserve le travail des artisans ; la "
        "restauration avance mieux quand les propriétaires sont associés aux choix.",
        "organisation": "Ambassade de France au Vietnam",
        "photos": [
            (
                "Des lanternes de soie colorées suspendues au-dessus d’une ruelle",
                "Centre du patrimoine de Hội An",
                "Les lanternes fabriquées dans l’atelier de la rue Nguyễn Thái Học.",
                ((40, 30, 70), (220, 60, 50), (250, 200, 60)),
            ),
            (
                "Une façade de maison ancienne en bois sombre, aux volets jaunes",
                "Centre du patrimoine de Hội An",
                "Une maison de marchand restaurée avec les apprentis charpentiers.",
                ((240, 200, 90), (110, 70, 40), (60, 40, 30)),
            ),
        ],
    },
    {
        "slug": "tourisme-rural-autour-du-lac-aheme",
        "country": "BJ",
        "title": "Un tourisme rural autour du lac Ahémé",
        "summary": "À Possotomè, des pêcheurs et des agricultrices proposent des séjours à la découverte du "
        "lac, de la pêche traditionnelle et des plantes médicinales.",
        "body": [
            "Les visiteurs logent dans un écolodge géré par l’association des pêcheurs et partagent les "
            "journées des habitants : sortie en pirogue, visite du jardin de plantes médicinales, atelier de "
            "transformation du manioc.",
            "La collectivité française partenaire a cofinancé l’écolodge et un programme de repos biologique "
            "du lac, que les revenus du tourisme aident à faire respecter.",
        ],
        "place": "Possotomè",
        "location": (6.497, 1.979),
        "themes": ["tourisme-rural", "ecotourisme"],
        "atlas_themes": ["tourisme", "agriculture-et-securite-alimentaire"],
        "results": "Mille cinq cents visiteurs par an, dont la moitié béninois, et un repos biologique de "
        "trois mois respecté depuis deux saisons.",
        "lessons": "Le tourisme intérieur compte autant que les visiteurs étrangers ; un calendrier partagé "
        "avec les pêcheurs évite les sorties pendant le repos biologique.",
        "organisation": "",
        "photos": [
            (
                "Une pirogue de pêcheur sur un lac calme, au petit matin",
                "Association des pêcheurs de Possotomè",
                "Une sortie en pirogue sur le lac Ahémé.",
                ((250, 210, 150), (60, 120, 160), (40, 70, 50)),
            ),
        ],
    },
    {
        "slug": "echanges-de-jeunes-a-antsirabe",
        "country": "MG",
        "title": "Des échanges de jeunes entre Antsirabe et la France",
        "summary": "Chaque été, des jeunes Malgaches et Français organisent ensemble des séjours de "
        "découverte autour d’Antsirabe, des lacs volcaniques aux ateliers d’artisans.",
        "body": [
            "Le programme réunit douze jeunes de chaque pays pendant trois semaines. Ils conçoivent ensemble "
            "des circuits de découverte, les testent avec des familles d’accueil puis les proposent aux "
            "agences locales.",
            "L’échange est préparé pendant l’année par des visioconférences entre les deux groupes, avec "
            "l’appui des services jeunesse des deux collectivités partenaires.",
        ],
        "place": "Antsirabe",
        "location": (-19.866, 47.033),
        "themes": ["echanges-de-jeunes", "tourisme-solidaire"],
        "atlas_themes": ["jeunesse", "tourisme"],
        "results": "Soixante jeunes partis en quatre ans, trois circuits repris par des agences d’Antsirabe "
        "et deux anciens participants devenus guides.",
        "lessons": "La préparation à distance compte autant que le séjour ; les familles d’accueil doivent "
        "être indemnisées, même modestement.",
        "organisation": "Ambassade de France à Madagascar",
        "photos": [
            (
                "Un lac volcanique aux eaux vertes entouré de collines",
                "Service jeunesse de la ville d’Antsirabe",
                "Le lac Tritriva, étape du circuit conçu par les jeunes.",
                ((170, 210, 240), (50, 130, 100), (110, 90, 60)),
            ),
            (
                "Des jeunes assis en cercle dans une cour, autour d’une carte dépliée",
                "Service jeunesse de la ville d’Antsirabe",
                "La préparation d’un circuit avec les familles d’accueil.",
                ((250, 220, 170), (200, 110, 60), (90, 60, 40)),
            ),
        ],
    },
]

RESOURCES = [
    {
        "slug": "charte-du-voyageur-responsable",
        "title": "Charte du voyageur responsable",
        "kind": ResourcePage.Kind.CHARTER,
        "summary": "Dix engagements pour voyager en respectant les habitants, leur environnement et leur "
        "économie, à remettre aux voyageurs avant leur départ.",
        "body": "<p>La charte a été rédigée avec les membres de la plateforme. Elle rappelle, entre autres, "
        "de demander l’accord des personnes avant de les photographier, de préférer les hébergements tenus "
        "par les habitants et de limiter les déchets emportés.</p>",
        "themes": ["tourisme-solidaire", "ecotourisme"],
        "document": True,
        "link": "",
    },
    {
        "slug": "guide-du-tourisme-solidaire-en-cooperation-decentralisee",
        "title": "Guide du tourisme solidaire en coopération décentralisée",
        "kind": ResourcePage.Kind.GUIDE,
        "summary": "Monter un projet de tourisme solidaire avec une collectivité partenaire : diagnostic, "
        "partage des revenus, formation des hôtes et suivi.",
        "body": "<h2>Pour qui ?</h2><p>Les élus et les agents des collectivités françaises et de leurs "
        "partenaires qui veulent faire du tourisme un levier de développement local.</p><h2>Sommaire</h2>"
        "<ul><li>Le diagnostic de territoire</li><li>La gouvernance villageoise</li><li>Le partage des "
        "revenus</li><li>L’évaluation</li></ul>",
        "themes": ["tourisme-solidaire", "tourisme-rural"],
        "document": False,
        "link": "https://www.diplomatie.gouv.fr/fr/politique-etrangere-de-la-france/action-exterieure-des-"
        "collectivites-territoriales/",
    },
]

CHARTER_LINES = [
    "Charte du voyageur responsable",
    "",
    "1. Je m’informe sur le pays et ses usages avant de partir.",
    "2. Je demande l’accord des personnes avant de les photographier.",
    "3. Je préfère les hébergements tenus par les habitants.",
    "4. J’achète l’artisanat au juste prix, directement aux artisans.",
    "5. J’économise l’eau et l’énergie.",
    "6. Je rapporte mes déchets ou je les trie sur place.",
    "7. Je reste sur les sentiers et je respecte les sites sacrés.",
    "8. Je ne donne ni argent ni bonbons aux enfants.",
    "9. Je prends le temps des rencontres.",
    "10. Je partage mon expérience à mon retour.",
]


def events(today):
    """(slug, fields) of the demo events: two to come and one past, dated from today."""
    return [
        (
            "rencontres-nationales-du-tourisme-solidaire",
            {
                "title": "Rencontres nationales du tourisme solidaire",
                "summary": "Deux journées d’échanges entre collectivités, associations et voyagistes sur le "
                "tourisme solidaire en coopération décentralisée.",
                "body": "<p>Au programme : des ateliers sur le partage des revenus, la formation des hôtes "
                "et l’évaluation des projets, et la présentation des expériences de la plateforme.</p>",
                "start_date": today + datetime.timedelta(days=40),
                "end_date": today + datetime.timedelta(days=41),
                "country": "FR",
                "place_name": "Lyon",
                "location": (45.764, 4.836),
                "themes": ["tourisme-solidaire"],
                "registration_url": "https://example.org/rencontres-tourisme-solidaire",
            },
        ),
        (
            "atelier-accueillir-des-jeunes-volontaires",
            {
                "title": "Atelier : accueillir des jeunes volontaires dans un projet de tourisme",
                "summary": "Un atelier pour préparer l’accueil de jeunes volontaires chez un partenaire : "
                "mission, encadrement, assurance et retour d’expérience.",
                "body": "<p>L’atelier s’appuie sur les échanges de jeunes entre Antsirabe et la France.</p>",
                "start_date": today + datetime.timedelta(days=75),
                "end_date": None,
                "country": "FR",
                "place_name": "Paris",
                "location": (48.857, 2.352),
                "themes": ["echanges-de-jeunes"],
                "registration_url": "",
            },
        ),
        (
            "forum-du-tourisme-rural-a-cotonou",
            {
                "title": "Forum du tourisme rural à Cotonou",
                "summary": "Le forum a réuni les villages d’accueil du Bénin et leurs partenaires français.",
                "body": "<p>Les actes du forum seront publiés dans les ressources de la plateforme.</p>",
                "start_date": today - datetime.timedelta(days=45),
                "end_date": today - datetime.timedelta(days=44),
                "country": "BJ",
                "place_name": "Cotonou",
                "location": (6.366, 2.418),
                "themes": ["tourisme-rural"],
                "registration_url": "",
            },
        ),
    ]


# (experience slug, author, comment)
COMMENTS = [
    (
        "villages-d-accueil-en-casamance",
        "demo.authority.agent",
        "Merci pour ce partage. Notre commune prépare un projet semblable avec un village de la région de "
        "Ziguinchor : comment avez-vous fixé la part des nuitées versée à la caisse commune ?",
    ),
    (
        "ecotourisme-dans-le-haut-atlas",
        "demo.embassy.agent",
        "Une belle expérience, que nous avons présentée aux collectivités marocaines lors du dernier comité "
        "de coopération. La charte des sentiers mériterait d’être publiée dans les ressources.",
    ),
]


def landscape(palette, seed):
    """A small JPEG landscape: a sky gradient, a sun and layers of hills, in the palette's colours."""
    from PIL import Image, ImageDraw

    sky, land, accent = palette
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(c * (1 - mix * 0.6) + 255 * mix * 0.25) for c in sky),
        )
    rng = random.Random(seed)
    sun_x, sun_y = rng.randint(width // 5, 4 * width // 5), rng.randint(height // 8, height // 3)
    draw.ellipse([sun_x - 50, sun_y - 50, sun_x + 50, sun_y + 50], fill=(255, 236, 170))
    for layer in range(3):
        base = height * (0.55 + 0.13 * layer)
        amplitude, phase = rng.randint(20, 60), rng.random() * math.tau
        points = [
            (x, base - amplitude * math.sin(x / width * math.tau * (1 + layer) + phase))
            for x in range(0, width + 20, 20)
        ]
        shade = 1 - 0.25 * (2 - layer)
        colour = tuple(int(c * shade) for c in (land if layer < 2 else accent))
        draw.polygon([(0, height), *points, (width, height)], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer


def make_photo(slug, index, alt_text, credit, caption, palette):
    from wagtail.images import get_image_model

    Image = get_image_model()
    image = Image.objects.create(
        title=caption or alt_text,
        file=ImageFile(landscape(palette, f"{slug}-{index}"), name=f"{slug}-{index + 1}.jpg"),
        collection=contributions_collection(),
    )
    return ExperiencePhoto(image=image, alt_text=alt_text, credit=credit, caption=caption, sort_order=index)


def charter_document(title):
    """The charter as a one-page PDF, drawn with Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    from wagtail.documents import get_document_model

    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    title_font, font = ImageFont.load_default(size=48), ImageFont.load_default(size=30)
    draw.text((120, 140), CHARTER_LINES[0], fill=(0, 0, 145), font=title_font)
    for n, line in enumerate(CHARTER_LINES[2:]):
        draw.text((120, 300 + 80 * n), line, fill=(22, 22, 22), font=font)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return get_document_model().objects.create(
        title=title, file=ContentFile(buffer.getvalue(), name="charte-du-voyageur-responsable.pdf")
    )


def point(location):
    latitude, longitude = location
    return f"SRID=4326;POINT({longitude} {latitude})"


def publish(index, page, author=None):
    """Adds and publishes the page; a member's experience is published as the moderators would approve it."""
    index.add_child(instance=page)
    page.save_revision(user=author).publish()
    return page


def atlas_links(code, theme_slugs):
    """A demo Atlas project of a cooperation with a partner in this country, preferably on one of these Atlas
    themes, and its French authority; (None, None) when the Atlas has none."""

    projects = (
        Project.objects.filter(cooperation__partner__country__code=code)
        .select_related("cooperation__authority")
        .order_by("pk")
    )
    project = projects.filter(themes__slug__in=theme_slugs).first() or projects.first()
    return (project.cooperation.authority, project) if project else (None, None)


def load_experiences(index, themes, countries):
    member = get_user_model().objects.filter(username=MEMBER).first()
    existing = set(index.get_children().values_list("slug", flat=True))
    for data in EXPERIENCES:
        if data["slug"] in existing:
            continue
        authority, project = atlas_links(data["country"], data["atlas_themes"])
        # The organisation named in the data, or else the French authority's own, when either exists.
        if data["organisation"]:
            organisation = Organisation.objects.filter(name=data["organisation"]).first()
        else:
            organisation = Organisation.objects.filter(authority=authority).first() if authority else None
        page = ExperiencePage(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            body="".join(f"<p>{paragraph}</p>" for paragraph in data["body"]),
            country=countries[data["country"]],
            place_name=data["place"],
            location=point(data["location"]),
            results=data["results"],
            lessons=data["lessons"],
            organisation=organisation,
            owner=member,
            themes=[themes[slug] for slug in data["themes"]],
            photos=[make_photo(data["slug"], n, *photo) for n, photo in enumerate(data["photos"])],
            authority_links=[ExperienceAuthority(authority=authority)] if authority else [],
            project_links=[ExperienceProject(project=project)] if project else [],
        )
        publish(index, page, member)


def load_resources(index, themes):
    existing = set(index.get_children().values_list("slug", flat=True))
    for data in RESOURCES:
        if data["slug"] in existing:
            continue
        page = ResourcePage(
            slug=data["slug"],
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            body=data["body"],
            link=data["link"],
            document=charter_document(data["title"]) if data["document"] else None,
            themes=[themes[slug] for slug in data["themes"]],
        )
        publish(index, page)


def load_events(index, themes, countries):
    existing = set(index.get_children().values_list("slug", flat=True))
    for slug, data in events(timezone.localdate()):
        if slug in existing:
            continue
        data = dict(data)
        location = data.pop("location")
        page = EventPage(
            slug=slug,
            country=countries[data.pop("country")],
            location=point(location),
            themes=[themes[theme] for theme in data.pop("themes")],
            **data,
        )
        publish(index, page)


def load_comments(index):
    User = get_user_model()
    for slug, username, body in COMMENTS:
        experience = ExperiencePage.objects.child_of(index).filter(slug=slug).first()
        author = User.objects.filter(username=username).first()
        if experience and author:
            ExperienceComment.objects.get_or_create(experience=experience, author=author, body=body)


def load(home):
    """The platform under the TourismHomePage that pages.demo made; the demo accounts must exist."""

    tourism_home = home.get_children().type(TourismHomePage).filter(slug=HOME_SLUG).first()
    if tourism_home is None:
        return None
    tourism_home = tourism_home.specific
    ensure_tourism_workflow(apps, tourism_home.pk)
    experiences = ensure_child(
        tourism_home,
        ExperienceIndexPage,
        "experiences",
        title="Expériences",
        show_in_menus=True,
        intro="Les membres racontent leurs projets de tourisme responsable avec leurs partenaires : "
        "séjours chez l’habitant, écotourisme, patrimoine, tourisme rural et échanges de jeunes.",
    )
    resources = ensure_child(
        tourism_home,
        ResourceIndexPage,
        "ressources",
        title="Ressources",
        show_in_menus=True,
        intro="Chartes, guides et outils pour monter et faire vivre un projet de tourisme responsable.",
    )
    events_index = ensure_child(
        tourism_home,
        EventIndexPage,
        "evenements",
        title="Événements",
        show_in_menus=True,
        intro="Les rencontres, ateliers et forums du tourisme responsable en coopération décentralisée.",
    )
    ensure_default_themes(TourismTheme)
    themes = {theme.slug: theme for theme in TourismTheme.objects.all()}
    codes = {data["country"] for data in EXPERIENCES} | {"FR", "BJ"}
    countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
    load_experiences(experiences, themes, countries)
    load_resources(resources, themes)
    load_events(events_index, themes, countries)
    load_comments(experiences)
    return tourism_home
