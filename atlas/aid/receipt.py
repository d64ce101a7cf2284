"""The receipt of a filed declaration: a PDF (WeasyPrint) of its lines and its totals by recipient, channel
and sector, made from the declaration as it stands (a Délégation correction shows in it, with its date)."""

from weasyprint import HTML

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from atlas.exports.pdf import LocalFilesOnly

from . import services
from .models import AidHistory


def receipt_context(declaration):
    lines = services.lines_of(declaration)
    corrections = list(
        declaration.history.filter(action=AidHistory.Action.CORRECTED).select_related("user").order_by("at")
    )
    return {
        "declaration": declaration,
        "authority": declaration.authority,
        "lines": lines,
        "totals": services.totals(declaration, lines),
        "filed_at": timezone.localtime(declaration.filed_at) if declaration.filed_at else None,
        "corrections": corrections,
        "made_at": timezone.localtime(),
    }


def render_receipt_pdf(declaration):
    """The receipt's PDF bytes, in French (the language of the declaration to the State)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("aid/pdf/receipt.html", receipt_context(declaration))
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalFilesOnly(fail_on_errors=False)
    ).write_pdf()


def response(declaration):
    pdf = render_receipt_pdf(declaration)
    filename = f"recepisse-e-apd-{declaration.authority.slug}-{declaration.year}.pdf"
    answer = HttpResponse(pdf, content_type="application/pdf")
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer["Cache-Control"] = "private, no-store"
    answer["X-Robots-Tag"] = "noindex"
    return answer
