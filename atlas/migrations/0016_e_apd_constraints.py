"""The e-APD's constraints, once the existing rows meet them (0015): a multilateral body is a CRS channel
code, named exactly when the aid goes through one; amounts are positive; a status is draft or filed."""

import django.core.validators
from django.db import migrations, models

import atlas.aid.codes


class Migration(migrations.Migration):
    dependencies = [("atlas", "0015_e_apd_existing_rows")]

    operations = [
        migrations.AlterField(
            model_name="aidline",
            name="multilateral_body",
            field=models.CharField(
                blank=True,
                choices=atlas.aid.codes.multilateral_choices,
                max_length=5,
                verbose_name="multilateral body",
            ),
        ),
        migrations.AlterField(
            model_name="aidline",
            name="amount",
            field=models.DecimalField(
                decimal_places=0,
                help_text="Own resources, service costs included.",
                max_digits=12,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="amount (euros)",
            ),
        ),
        migrations.AddConstraint(
            model_name="aidline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("channel", "multilateral"), models.Q(("multilateral_body", ""), _negated=True)),
                    models.Q(models.Q(("channel", "multilateral"), _negated=True), ("multilateral_body", "")),
                    _connector="OR",
                ),
                name="aid_line_body_iff_multilateral",
            ),
        ),
        migrations.AddConstraint(
            model_name="aidline",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="aid_line_amount_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="aiddeclaration",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"), ("status", "filed"), _connector="OR"),
                name="aid_declaration_status_known",
            ),
        ),
    ]
