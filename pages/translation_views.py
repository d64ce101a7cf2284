"""The translators' side of the editorial workflow, around wagtail-localize's editor.

wagtail-localize publishes a translation from its editor (for those who may publish) and knows nothing of
Wagtail's workflows; its "Sync translated pages" and "Convert back to alias" change the live page of those
who may only edit it. So:
- submit_for_review: the translation as it stands becomes a draft revision of the translated page (the live
  page is left as it is) and enters the page's workflow: the editor-in-chief approves it, which publishes it;
- update_translations and convert_to_alias: wagtail-localize's own views, refused (403, nothing changed) to
  whoever may not publish the pages they would change.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.models import Page
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.views import convert
from wagtail_localize.views import update_translations as localize_update

update_translations_view = localize_update.UpdateTranslationsView.as_view()


def _translation_of(page):
    """The wagtail-localize translation (enabled) whose target is `page`, or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


@require_POST
def submit_for_review(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = _translation_of(page)
    if translation is None:
        raise Http404
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("No validation workflow applies to this page."))
        return redirect(edit_url)
    if page.workflow_in_progress:
        messages.warning(request, _("This translation is already awaiting validation."))
        return redirect(edit_url)
    source = translation.source
    original = source.as_instance()
    with transaction.atomic():
        # The translated text on this copy of the page, kept as a revision only: the live page changes when
        # the workflow's approval publishes the revision.
        copy_synchronised_fields(original, page)
        segments = source._get_segments_for_translation(page.locale, fallback=True)
        ingest_segments(original, page, source.locale, page.locale, segments)
        try:
            page.save_revision(user=request.user, log_action=True)
        except ValidationError as error:
            transaction.set_rollback(True)
            messages.error(request, _("The translation cannot be submitted: %s") % "; ".join(error.messages))
            return redirect(edit_url)
        workflow.start(page, request.user)
    messages.success(request, _("The translation was submitted to the editor-in-chief for validation."))
    return redirect(edit_url)


def _may_publish(user, pages):
    return all(page.permissions_for_user(user).can_publish() for page in pages)


def update_translations(request, translation_source_id):
    """wagtail-localize's "Sync translated pages", whose "publish" option is refused to non-publishers."""
    if request.method == "POST" and request.POST.get("publish_translations"):
        source = get_object_or_404(TranslationSource, pk=translation_source_id)
        targets = Page.objects.filter(
            translation_key=source.object_id,
            locale__in=source.translations.filter(enabled=True).values("target_locale"),
        )
        if not _may_publish(request.user, targets):
            raise PermissionDenied
    return update_translations_view(request, translation_source_id=translation_source_id)


def convert_to_alias(request, page_id):
    """wagtail-localize's "Convert to alias page": it replaces the live page, so only for publishers."""
    page = get_object_or_404(Page, pk=page_id)
    if request.method == "POST" and not _may_publish(request.user, [page]):
        raise PermissionDenied
    return convert.convert_to_alias(request, page_id)
