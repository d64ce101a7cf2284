"""The filing receipt: a PDF of the whole dossier as it was filed, kept privately with the dossier."""

from weasyprint import HTML

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from atlas.exports.pdf import LocalFilesOnly


def receipt_context(application):
    lines = list(application.budget_lines.all())
    return {
        "application": application,
        "call": application.call,
        "expenses": [line for line in lines if line.is_expense],
        "resources": [line for line in lines if not line.is_expense],
        "totals": application.budget_totals(),
        "attachments": list(application.attachments.all()),
        "french_partners": list(application.french_partners.all()),
        "foreign_partners": list(application.foreign_partners.select_related("country")),
        "themes": list(application.themes.all()),
        "filed_at": timezone.localtime(application.filed_at) if application.filed_at else None,
    }


def render_receipt_pdf(application):
    """The receipt's PDF bytes, in French (the language the Ministry instructs in)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("funding/pdf/receipt.html", receipt_context(application))
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalFilesOnly(fail_on_errors=False)
    ).write_pdf()


def store_receipt(application):
    """Makes the receipt of the dossier as filed now and keeps it (a new filing replaces the last one)."""
    old_name = application.receipt.name if application.receipt else ""
    application.receipt.save(
        f"receipt-{application.pk}-{timezone.now():%Y%m%d%H%M%S}.pdf",
        ContentFile(render_receipt_pdf(application)),
        save=False,
    )
    type(application).objects.filter(pk=application.pk).update(receipt=application.receipt.name)
    if old_name and old_name != application.receipt.name:
        application.receipt.storage.delete(old_name)
