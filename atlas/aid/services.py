"""What happens to a declaration: input kept, draft saved, filed (receipt mailed), corrected (Délégation).

Views check who may do it (atlas/aid/rules.py); these functions do it, in one transaction each, and write
the history."""

from collections import OrderedDict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from atlas.models import Project
from atlas.queries import ATLAS
from portal.accounts.models import Membership, Organisation
from portal.core import cache_versions
from portal.core.keeper import typed_input
from portal.core.links import absolute
from portal.core.mail import send_mail_template

from . import codes
from .models import AidDeclaration, AidHistory, AidLine


def keep_input(authority, year, post, user):
    """Keeps what an agent typed (the autosave): never checked, never turned into lines, so it cannot
    create a line twice nor change a filed declaration; the form reopens on it. Returns the declaration."""
    with transaction.atomic():
        declarations = AidDeclaration.objects.select_for_update()
        declaration, _ = declarations.get_or_create(authority=authority, year=year)
        declaration.draft_input = typed_input(post)
        declaration.draft_input_at = timezone.now()
        declaration.save(update_fields=["draft_input", "draft_input_at", "updated_at"])
    return declaration


def save_document(declaration, document_form):
    """Stores an uploaded document that passed its own checks, even when the rest of the form did not: a
    browser never posts a chosen file again."""
    upload = document_form.cleaned_data.get("document") if hasattr(document_form, "cleaned_data") else None
    if not upload or "document" in document_form.errors or not hasattr(upload, "read"):
        return False
    old = declaration.document.name if declaration.document else ""
    declaration.document.save(upload.name, upload, save=False)
    declaration.document_name = upload.name[:200]
    AidDeclaration.objects.filter(pk=declaration.pk).update(
        document=declaration.document.name, document_name=declaration.document_name
    )
    if old and old != declaration.document.name:
        declaration.document.storage.delete(old)
    return True


def save_lines(declaration, declaration_form, formset):
    """Saves the declaration's own fields and its lines from valid forms."""
    # One bump of the Atlas version for the whole save, not one per line (300 lines: 300 writes).
    with cache_versions.bulk_change(ATLAS):
        declaration.no_aid = declaration_form.cleaned_data["no_aid"]
        upload = declaration_form.cleaned_data.get("document")
        if hasattr(upload, "read"):
            declaration.document_name = upload.name[:200]
        elif declaration_form.cleaned_data.get("remove_document") and declaration.document:
            declaration.document.delete(save=False)
            declaration.document = ""
            declaration.document_name = ""
        # The file it had, if a new one replaces it (the private storage keeps no orphan).
        stored = AidDeclaration.objects.filter(pk=declaration.pk).values_list("document", flat=True).first()
        declaration.draft_input = None
        declaration.draft_input_at = None
        declaration.save()
        if stored and stored != declaration.document.name:
            declaration.document.storage.delete(stored)
        formset.instance = declaration
        formset.save()


def save_draft(declaration, declaration_form, formset, user):
    with transaction.atomic():
        save_lines(declaration, declaration_form, formset)
        AidHistory.objects.create(declaration=declaration, action=AidHistory.Action.SAVED, user=user)


def file_declaration(declaration, declaration_form, formset, user, request=None):
    """Files (or files again, within the window) and e-mails the receipt to the authority's agents."""
    with transaction.atomic():
        save_lines(declaration, declaration_form, formset)
        declaration.status = AidDeclaration.Status.FILED
        declaration.filed_at = timezone.now()
        declaration.filed_by = user
        declaration.save(update_fields=["status", "filed_at", "filed_by", "updated_at"])
        AidHistory.objects.create(declaration=declaration, action=AidHistory.Action.FILED, user=user)
        transaction.on_commit(lambda: mail_receipt(declaration, request))


def correct_declaration(declaration, declaration_form, formset, user, reason):
    """A Délégation administrator's correction of a filed declaration, the reason kept in the history."""
    with transaction.atomic():
        save_lines(declaration, declaration_form, formset)
        AidHistory.objects.create(
            declaration=declaration, action=AidHistory.Action.CORRECTED, user=user, reason=reason
        )


def authority_agents(authority):
    """The approved agents of the authority's organisation, who receive its e-APD mails."""
    memberships = Membership.objects.approved().filter(
        organisation__authority=authority,
        organisation__kind=Organisation.Kind.LOCAL_AUTHORITY,
        user__is_active=True,
    )
    return [membership.user for membership in memberships.select_related("user").order_by("user__email")]


def mail_receipt(declaration, request=None):
    declaration = AidDeclaration.objects.select_related("authority", "filed_by").get(pk=declaration.pk)
    summary = totals(declaration)
    context = {
        "declaration": declaration,
        "authority": declaration.authority,
        "total": summary["total"],
        "line_count": summary["count"],
        "filed_at": timezone.localtime(declaration.filed_at),
        "receipt_url": absolute(
            reverse("aid_receipt", args=[declaration.authority_id, declaration.year]), request
        ),
        "declaration_url": absolute(
            reverse("aid_declaration", args=[declaration.authority_id, declaration.year]), request
        ),
    }
    return send_mail_template("aid/mail/filed", context, authority_agents(declaration.authority))


def lines_of(declaration):
    return list(declaration.lines.select_related("country", "project").order_by("pk"))


def totals(declaration, lines=None):
    """The declaration's total and its totals by recipient, channel and sector (largest first)."""
    lines = lines_of(declaration) if lines is None else lines
    by_recipient, by_channel, by_sector = OrderedDict(), OrderedDict(), OrderedDict()
    for line in lines:
        by_recipient[line.recipient_name] = by_recipient.get(line.recipient_name, 0) + line.amount
        channel = line.get_channel_display()
        by_channel[channel] = by_channel.get(channel, 0) + line.amount
        sector = f"{line.sector} – {codes.SECTOR_NAMES.get(line.sector, '')}"
        by_sector[sector] = by_sector.get(sector, 0) + line.amount

    def ordered(groups):
        return sorted(groups.items(), key=lambda item: (-item[1], str(item[0])))

    return {
        "total": sum((line.amount for line in lines), 0),
        "count": len(lines),
        "by_recipient": ordered(by_recipient),
        "by_channel": ordered(by_channel),
        "by_sector": ordered(by_sector),
    }


def proposals(authority, year):
    """Lines proposed to an authority that has not saved anything for `year`: last year's lines, then its
    current Atlas projects in a country of the year's DAC list that last year's lines did not name. Each is
    (initial form data, where it comes from)."""
    recipients = codes.recipients_for(year)
    proposed = []
    last_year = AidDeclaration.objects.filter(authority=authority, year=year - 1).first()
    named_projects = set()
    if last_year is not None:
        for line in last_year.lines.select_related("country").order_by("pk"):
            if line.country_id and line.country.code not in recipients:
                continue  # no longer an ODA recipient
            initial = {field: getattr(line, field) for field in codes.MARKERS}
            initial.update(
                country=line.country_id,
                multilateral_body=line.multilateral_body,
                channel=line.channel,
                purpose=line.purpose,
                amount=line.amount,
                project=line.project_id,
            )
            named_projects.add(line.project_id)
            proposed.append((initial, "last_year"))
    projects = (
        Project.objects.filter(
            cooperation__authority=authority,
            status=Project.Status.ONGOING,
            cooperation__partner__country__code__in=list(recipients),
        )
        .exclude(pk__in=[pk for pk in named_projects if pk])
        .select_related("cooperation__partner")
        .order_by("title")
    )
    for project in projects:
        proposed.append(
            (
                {
                    "country": project.cooperation.partner.country_id,
                    "channel": codes.DIRECT,
                    "project": project.pk,
                },
                "project",
            )
        )
    return proposed


def has_saved(declaration):
    """Whether anybody saved this declaration's lines once (then nothing is proposed any more)."""
    return declaration is not None and (
        declaration.is_filed or declaration.history.exclude(action=AidHistory.Action.DOCUMENT).exists()
    )


def history(declaration):
    return list(declaration.history.select_related("user").order_by("-at", "-pk"))


def line_count(declaration):
    return AidLine.objects.filter(declaration=declaration).count()
