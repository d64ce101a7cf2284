"""The existing themes' English names (Theme.translations["en"]); a theme an editor renamed or added keeps
what it has."""

from django.db import migrations

ENGLISH = {
    "amenagement-urbain": "Urban planning",
    "patrimoine": "Heritage",
    "developpement-durable": "Sustainable development",
    "services-publics-locaux": "Local public services",
    "eau-et-assainissement": "Water and sanitation",
    "culture": "Culture",
    "education": "Education",
    "sante": "Health",
    "developpement-economique": "Economic development",
    "agriculture-et-securite-alimentaire": "Agriculture and food security",
    "gouvernance-locale": "Local governance",
    "jeunesse": "Youth",
    "environnement-et-climat": "Environment and climate",
    "tourisme": "Tourism",
}


def fill(apps, schema_editor):
    Theme = apps.get_model("atlas", "Theme")
    for theme in Theme.objects.filter(slug__in=ENGLISH):
        translations = dict(theme.translations or {})
        if not translations.get("en"):
            translations["en"] = ENGLISH[theme.slug]
            theme.translations = translations
            theme.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("atlas", "0017_english_names_and_bourse_contact")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
