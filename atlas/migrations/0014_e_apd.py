"""The e-APD: declaration windows, drafts and filings, lines with channel, purpose, markers and project,
the declarations' history, and the supporting document in the private storage (the former link to a Wagtail
document is dropped: no seeded declaration had one). 0015 brings the existing rows in line, 0016 then adds the
constraints they meet.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import atlas.aid.codes
import atlas.aid.models
import portal.core.private_files


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0013_region_choices_in_french_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AidHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("saved", "draft saved"),
                            ("filed", "filed"),
                            ("corrected", "corrected by the Délégation"),
                            ("document", "supporting document attached"),
                        ],
                        max_length=10,
                        verbose_name="action",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
            ],
            options={
                "verbose_name": "e-APD history entry",
                "verbose_name_plural": "e-APD history",
                "ordering": ["-at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="AidWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year declared")),
                ("opens_at", models.DateTimeField(verbose_name="opens at")),
                ("closes_at", models.DateTimeField(verbose_name="closes at")),
            ],
            options={
                "verbose_name": "e-APD declaration window",
                "verbose_name_plural": "e-APD declaration windows",
                "ordering": ["-year"],
            },
        ),
        migrations.AlterModelOptions(
            name="aidline",
            options={"ordering": ["pk"], "verbose_name": "aid line", "verbose_name_plural": "aid lines"},
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="created at"
            ),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="document_name",
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="document name"),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="draft_input",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="input not yet saved"),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="draft_input_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="input kept at"),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="filed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="filed at"),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="filed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="filed by",
            ),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="no_aid",
            field=models.BooleanField(
                default=False,
                help_text="An explicit declaration that the authority gave no development aid that year.",
                verbose_name="no development aid this year",
            ),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="status",
            field=models.CharField(
                choices=[("draft", "draft"), ("filed", "filed")],
                default="draft",
                max_length=5,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="aiddeclaration",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AddField(
            model_name="aidline",
            name="channel",
            field=models.CharField(
                choices=[
                    ("direct", "directly by the authority"),
                    ("ngo", "through a French NGO or association"),
                    ("multilateral", "through a multilateral body"),
                ],
                default="direct",
                max_length=12,
                verbose_name="channel",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_biodiversity",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="biodiversity",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_climate_adaptation",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="climate change adaptation",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_climate_mitigation",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="climate change mitigation",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_desertification",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="desertification",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_disability",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="disability",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_disaster_risk_reduction",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="disaster risk reduction",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_environment",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="environment",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="marker_gender",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "0 – not targeted"),
                    (1, "1 – significant objective"),
                    (2, "2 – principal objective"),
                ],
                default=0,
                verbose_name="gender equality",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="aid_lines",
                to="atlas.project",
                verbose_name="Atlas project",
            ),
        ),
        migrations.AddField(
            model_name="aidline",
            name="purpose",
            field=models.CharField(
                choices=atlas.aid.codes.purpose_choices,
                default="99810",
                max_length=5,
                verbose_name="sector (OECD purpose code)",
            ),
        ),
        migrations.AlterField(
            model_name="aidline",
            name="country",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="aid_lines",
                to="atlas.country",
                verbose_name="recipient country",
            ),
        ),
        migrations.AddIndex(
            model_name="aiddeclaration",
            index=models.Index(fields=["year", "status"], name="atlas_aidde_year_b921f2_idx"),
        ),
        migrations.AddField(
            model_name="aidhistory",
            name="declaration",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="history", to="atlas.aiddeclaration"
            ),
        ),
        migrations.AddField(
            model_name="aidhistory",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddConstraint(
            model_name="aidwindow",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes_at__gt", models.F("opens_at"))), name="aid_window_closes_after"
            ),
        ),
        migrations.RemoveField(model_name="aiddeclaration", name="document"),
        migrations.AddField(
            model_name="aiddeclaration",
            name="document",
            field=models.FileField(
                blank=True,
                help_text="PDF, ODT or XLSX, at most 10 MB.",
                max_length=200,
                storage=portal.core.private_files.private_storage,
                upload_to=atlas.aid.models.document_path,
                validators=[atlas.aid.models.validate_document],
                verbose_name="supporting document",
            ),
        ),
    ]
