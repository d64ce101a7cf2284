"""Members write responsible-tourism experiences here, without the admin: their list, the form (a draft, then
a submission to the moderators), the preview of the latest draft and the withdrawal from moderation.

Every experience is looked up with its owner: anyone else's, a moderator's included, is a 404 (moderators
work in the admin). The rules live in tourism.contributions; this module speaks HTTP.
"""

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.core.honeypot import is_robot
from portal.core.maps import map_config

from . import contributions
from .contributions import ContributionError, Incomplete, draft_of, state_of
from .forms import ExperienceForm, PhotoFormSet
from .models import ExperiencePage
from .photos import store_photo

logger = logging.getLogger(__name__)

LIST = "tourism:contributions"
PHOTOS_PREFIX = "photos"
MAIN_RE = re.compile(r"<main\b[^>]*>")


def render(request, template, title, context, status=200):
    context = {"title": title, **context}
    return TemplateResponse(request, f"tourism/contribute/{template}.html", context, status=status)


def own_experience(request, pk):
    """The member's own experience; anybody else's is a 404."""
    return get_object_or_404(ExperiencePage, pk=pk, owner=request.user)


def refused(request):
    """A robot filled the honeypot: nothing is saved."""
    return render(request, "refused", _("Your form was not accepted"), {}, status=400)


# The list ---------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def my_contributions(request):
    rows = [(page, state_of(page)) for page in contributions.owned_by(request.user)]
    limit_reached = not contributions.may_create(request.user)
    return render(
        request,
        "list",
        _("My responsible-tourism experiences"),
        {
            "is_list": True,
            "rows": rows,
            "limit_reached": limit_reached,
            "limit_message": contributions.limit_message() if limit_reached else "",
            "platform_open": contributions.experiences_index() is not None,
        },
    )


# Writing ----------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if is_robot(request):
        return refused(request)
    if not contributions.may_create(request.user):
        messages.error(request, contributions.limit_message())
        return redirect(LIST)
    if contributions.experiences_index() is None:
        raise Http404
    if request.method == "POST":
        return post_form(request, None)
    form = ExperienceForm(user=request.user)
    formset = PhotoFormSet(user=request.user, prefix=PHOTOS_PREFIX)
    return render_form(request, None, form, formset)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    page = own_experience(request, pk)
    if is_robot(request):
        return refused(request)
    state = state_of(page)
    if not state.editable:
        if request.method == "POST":
            messages.error(
                request, _("This experience is with the moderators: withdraw it first to change it.")
            )
            return redirect("tourism:edit", page.pk)
        return render(
            request,
            "in_moderation",
            page.draft_title,
            {"experience": page, "state": state},
        )
    if request.method == "POST":
        return post_form(request, page)
    draft = draft_of(page)
    form = ExperienceForm(user=request.user, page=draft)
    formset = PhotoFormSet(page=draft, user=request.user, prefix=PHOTOS_PREFIX)
    return render_form(request, page, form, formset, state=state)


def post_form(request, page):
    """Saves what is valid; says what to fix. A draft needs only a title; "submit" also sends it to the
    moderators when nothing a submission needs is missing."""
    user = request.user
    draft = draft_of(page) if page is not None else None
    data = request.POST.copy()
    form = ExperienceForm(data, user=user, page=draft)
    formset = PhotoFormSet(data, request.FILES, page=draft, user=user, prefix=PHOTOS_PREFIX)

    if "refresh" in data:
        form.quiet()
        formset.quiet()
        return render_form(
            request, page, form, formset, refreshed=True, files_dropped=any(request.FILES.values())
        )

    form_valid = form.is_valid()
    formset.is_valid()
    store_uploads(formset, user, form.cleaned_data.get("title") or (draft.title if draft else ""))
    if not form_valid:
        return render_form(request, page, form, formset, problem="not_saved")

    photos = formset.photos()
    try:
        if page is None:
            page = contributions.create_experience(user, form, photos)
        else:
            contributions.save_draft(draft, user, form, photos)
    except ContributionError as error:
        messages.error(request, str(error))
        return redirect(LIST if page is None else reverse("tourism:edit", args=[page.pk]))
    page = ExperiencePage.objects.get(pk=page.pk)  # its draft title and latest revision, as saved

    if any(photo_form.errors for photo_form in formset.forms) or formset.non_form_errors():
        return render_form(request, page, form, formset, problem="photos", submitting="submit" in data)

    if "submit" in data:
        try:
            contributions.submit(page, user)
        except Incomplete as error:
            return render_form(
                request,
                page,
                form,
                formset,
                problem="incomplete",
                missing=explain_missing(form, error.missing),
                photo_required="photos" in error.missing,
            )
        except ContributionError as error:
            messages.error(request, str(error))
            return redirect("tourism:edit", page.pk)
        messages.success(
            request,
            _(
                "Your experience “%(title)s” is sent to the moderators. You will be told by e-mail when "
                "they have read it."
            )
            % {"title": page.draft_title},
        )
        return redirect(LIST)

    messages.success(request, _("Your draft is saved."))
    return redirect("tourism:edit", page.pk)


def store_uploads(formset, user, title):
    """Stores every new photo that passed its checks, even when the rest of the form has errors: the form
    shown again carries it (a hidden field), so the member does not choose it again."""
    for form in formset.forms:
        upload = form.new_upload
        if not upload:
            continue
        image = store_photo(upload, user, form.cleaned_data.get("alt_text") or title)
        form.cleaned_data["image"] = image
        form.cleaned_data["file"] = None
        formset.data[form.add_prefix("image")] = str(image.pk)


def explain_missing(form, missing):
    """Marks each missing field and returns the labels, in the form's order, for the summary at the top."""
    messages_by_field = {
        "title": _("A title is needed to submit the experience."),
        "summary": _("Write a summary: it is needed to submit the experience."),
        "body": _("Tell the experience: the text is needed to submit it."),
        "country": _("Choose the country: it is needed to submit the experience."),
        "themes": _("Choose at least one theme to submit the experience."),
    }
    labels = []
    for name in missing:
        if name in form.fields:
            form.add_error(name, messages_by_field[name])
            labels.append(str(form.fields[name].label))
    if "photos" in missing:
        labels.append(_("at least one photo"))
    return labels


def render_form(request, page, form, formset, state=None, **context):
    formset.attach_images()
    if page is not None and state is None:
        state = state_of(page)
    country = form.chosen_country
    centre = None
    if country is not None and country.latitude is not None:
        centre = [country.latitude, country.longitude]
    if page is None:
        title = _("Write an experience")
    else:
        title = _("Change the experience “%(title)s”") % {"title": page.draft_title}
    return render(
        request,
        "form",
        title,
        {
            "experience": page,
            "state": state,
            "form": form,
            "formset": formset,
            "action": reverse("tourism:edit", args=[page.pk]) if page else reverse("tourism:create"),
            "map_config": map_config(
                request, basemap=static("vendor/world-atlas/countries-110m.json"), centre=centre
            ),
            **context,
        },
    )


# Preview and withdrawal -------------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def preview(request, pk):
    """The latest draft as the public will see it once approved (the public template of experiences)."""
    page = own_experience(request, pk)
    draft = draft_of(page)
    mode = draft.default_preview_mode
    request.is_preview = True
    request.preview_mode = mode
    try:
        response = draft.serve_preview(request, mode)
        if hasattr(response, "render"):
            response.render()
        add_preview_notice(request, response, page)
    except (TemplateDoesNotExist, ImportError):
        # The public template of experiences is not there yet: a plain rendering of the same content.
        logger.warning("The public template of experiences is missing: plain preview of page %s", page.pk)
        response = render(
            request,
            "preview",
            draft.title,
            {"experience": page, "draft": draft, "state": state_of(page)},
        )
    response["X-Robots-Tag"] = "noindex"
    return response


def add_preview_notice(request, response, page):
    """Says at the top of the public template's <main> that this is the author's draft, not the public."""
    text = response.content.decode(response.charset)
    main = MAIN_RE.search(text)
    if main is None:
        return
    notice = render_to_string(
        "tourism/contribute/includes/preview_notice.html",
        {"experience": page, "state": state_of(page)},
        request=request,
    )
    response.content = (text[: main.end()] + notice + text[main.end() :]).encode(response.charset)


@never_cache
@login_required
@require_POST
def withdraw(request, pk):
    page = own_experience(request, pk)
    if is_robot(request):
        return refused(request)
    try:
        contributions.withdraw(page, request.user)
    except ContributionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your experience is withdrawn from moderation: you may change it and submit it again."),
        )
    return redirect("tourism:edit", page.pk)
