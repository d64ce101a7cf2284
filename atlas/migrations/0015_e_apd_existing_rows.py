"""The declarations seeded before the e-APD were filed: they become "filed". Their lines get the channel their
recipient implies (the purpose stays "sectors not specified"); a free-text multilateral body becomes its CRS
channel code (an unknown one "other multilateral institution"); a line without a positive amount, which no
declaration could file, is dropped. Its own migration: on PostgreSQL, rows updated in a transaction block an
ALTER TABLE of the same table in it.
"""

from django.db import migrations

# Former free-text names (the seed's, in French) -> CRS channel code.
BODIES = {
    "onu-habitat": "41120",
    "unicef": "41122",
    "programme des nations unies pour le développement (pnud)": "41114",
    "pnud": "41114",
    "haut-commissariat des nations unies pour les réfugiés (hcr)": "41121",
    "hcr": "41121",
    "pam": "41140",
    "oms": "41307",
    "unesco": "41304",
    "organisation internationale de la francophonie (oif)": "47046",
}
OTHER_MULTILATERAL = "47000"


def existing_declarations_are_filed(apps, schema_editor):
    AidDeclaration = apps.get_model("atlas", "AidDeclaration")
    AidLine = apps.get_model("atlas", "AidLine")
    AidDeclaration.objects.update(status="filed")
    AidLine.objects.filter(amount__lte=0).delete()
    names = (
        AidLine.objects.exclude(multilateral_body="").values_list("multilateral_body", flat=True).distinct()
    )
    for name in list(names):
        code = BODIES.get(name.strip().lower(), OTHER_MULTILATERAL)
        AidLine.objects.filter(multilateral_body=name).update(multilateral_body=code, channel="multilateral")


class Migration(migrations.Migration):
    dependencies = [("atlas", "0014_e_apd")]
    operations = [migrations.RunPython(existing_declarations_are_filed, migrations.RunPython.noop)]
