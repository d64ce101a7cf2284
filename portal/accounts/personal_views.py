"""The personal space of a member: saved Atlas maps and albums, kept PDF exports, e-mailed download links.

Every object is looked up with its owner: another member's album, map or export is a 404, never a 403."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.core.mail import send_mail_template
from portal.core.private_files import serve_private_file

from .personal import Album, ExportMailing, SavedExport, SavedMap, atlas_search_url
from .personal_forms import AlbumForm, SavedMapForm, SaveMapForm, SendExportForm

LINK_SALT = "portal.accounts.export_link"
LINK_MAX_AGE = 7 * 24 * 3600
FILE_NAME = "atlas-projets.pdf"
SPACE = "accounts:personal_space"


def mails_per_day():
    return getattr(settings, "PERSONAL_EXPORT_MAILS_PER_DAY", 10)


def next_position(queryset):
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def move(obj, siblings, direction):
    """Swap obj with its neighbour among its siblings, numbering them all again from 1."""
    items = list(siblings)
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction in ("up", "down") and 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
    type(obj).objects.bulk_update(items, ["position"])


def render(request, template, title, context, status=200):
    context = {"title": title, **context}
    return TemplateResponse(request, f"accounts/personal/{template}.html", context, status=status)


# The space -------------------------------------------------------------------------------------------------


@login_required
@require_safe
def personal_space(request):
    user = request.user
    albums = Album.objects.filter(owner=user).prefetch_related(
        Prefetch("maps", queryset=SavedMap.objects.filter(owner=user))
    )
    return render(
        request,
        "space",
        _("My personal space"),
        {
            "is_space": True,
            "albums": albums,
            "loose_maps": SavedMap.objects.filter(owner=user, album=None),
            "saved_exports": SavedExport.objects.filter(owner=user).select_related("job"),
            "search_url": atlas_search_url(""),
            "mails_per_day": mails_per_day(),
        },
    )


# Maps ------------------------------------------------------------------------------------------------------


@login_required
def map_save(request):
    """Save an Atlas search (its filters, and the map's centre and zoom when the page posts them)."""
    if request.method == "POST":
        form = SaveMapForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved = SavedMap.objects.create(
                owner=request.user,
                title=data["title"],
                query=data["query"],
                latitude=data["lat"],
                longitude=data["lng"],
                zoom=data["zoom"],
                position=next_position(SavedMap.objects.filter(owner=request.user, album=None)),
            )
            messages.success(
                request, _("The map “%(title)s” is saved in your space.") % {"title": saved.title}
            )
            return redirect(SPACE)
    else:
        form = SaveMapForm(initial={"query": request.GET.get("query", "")})
    return render(request, "map_save", _("Save this map"), {"form": form})


@login_required
def map_edit(request, pk):
    saved = get_object_or_404(SavedMap, pk=pk, owner=request.user)
    album_before = saved.album_id
    form = SavedMapForm(request.POST or None, instance=saved, owner=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.album_id != album_before:
            saved.position = next_position(SavedMap.objects.filter(owner=request.user, album=saved.album_id))
        saved.save()
        messages.success(request, _("The map “%(title)s” is updated.") % {"title": saved.title})
        return redirect(SPACE)
    return render(request, "map_edit", _("Change a saved map"), {"form": form, "saved_map": saved})


@login_required
@require_POST
def map_move(request, pk):
    saved = get_object_or_404(SavedMap, pk=pk, owner=request.user)
    move(
        saved,
        SavedMap.objects.filter(owner=request.user, album=saved.album_id),
        request.POST.get("direction"),
    )
    return redirect(SPACE)


@login_required
def map_delete(request, pk):
    saved = get_object_or_404(SavedMap, pk=pk, owner=request.user)
    if request.method == "POST":
        saved.delete()
        messages.success(request, _("The map “%(title)s” is deleted.") % {"title": saved.title})
        return redirect(SPACE)
    return render(request, "confirm_delete", _("Delete a saved map"), {"object": saved, "kind": "map"})


# Albums ----------------------------------------------------------------------------------------------------


@login_required
def album_create(request):
    form = AlbumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        album = form.save(commit=False)
        album.owner = request.user
        album.position = next_position(Album.objects.filter(owner=request.user))
        album.save()
        messages.success(request, _("The album “%(title)s” is created.") % {"title": album.title})
        return redirect(SPACE)
    return render(request, "album_form", _("New album"), {"form": form, "album": None})


@login_required
def album_edit(request, pk):
    album = get_object_or_404(Album, pk=pk, owner=request.user)
    form = AlbumForm(request.POST or None, instance=album)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The album “%(title)s” is renamed.") % {"title": album.title})
        return redirect(SPACE)
    return render(request, "album_form", _("Rename the album"), {"form": form, "album": album})


@login_required
@require_POST
def album_move(request, pk):
    album = get_object_or_404(Album, pk=pk, owner=request.user)
    move(album, Album.objects.filter(owner=request.user), request.POST.get("direction"))
    return redirect(SPACE)


@login_required
def album_delete(request, pk):
    album = get_object_or_404(Album, pk=pk, owner=request.user)
    if request.method == "POST":
        with transaction.atomic():
            # Its maps are kept: they go to the end of the maps outside any album, in their order.
            start = next_position(SavedMap.objects.filter(owner=request.user, album=None))
            maps = list(album.maps.filter(owner=request.user))
            for offset, saved in enumerate(maps):
                saved.album, saved.position = None, start + offset
            SavedMap.objects.bulk_update(maps, ["album", "position"])
            album.delete()
        messages.success(
            request, _("The album “%(title)s” is deleted; its maps are kept.") % {"title": album.title}
        )
        return redirect(SPACE)
    return render(
        request,
        "confirm_delete",
        _("Delete an album"),
        {"object": album, "kind": "album", "map_count": album.maps.count()},
    )


# Exports ---------------------------------------------------------------------------------------------------


def stream(job):
    if not job.is_done:
        raise Http404
    return serve_private_file(job.file, FILE_NAME, "application/pdf")


@never_cache
@login_required
@require_safe
def export_download(request, pk):
    saved = get_object_or_404(SavedExport.objects.select_related("job"), pk=pk, owner=request.user)
    return stream(saved.job)


@login_required
def export_delete(request, pk):
    saved = get_object_or_404(SavedExport.objects.select_related("job"), pk=pk, owner=request.user)
    if request.method == "POST":
        saved.delete()
        messages.success(request, _("The PDF is removed from your space."))
        return redirect(SPACE)
    return render(request, "confirm_delete", _("Remove a PDF"), {"object": saved, "kind": "export"})


def sent_today(user):
    return ExportMailing.objects.filter(owner=user, sent_at__gte=timezone.now() - timedelta(days=1)).count()


@login_required
def export_send(request, pk):
    """E-mail a link to one's own kept PDF: a signed link that expires, never the file, a few times a day."""
    saved = get_object_or_404(SavedExport.objects.select_related("job"), pk=pk, owner=request.user)
    form = SendExportForm(request.POST or None)
    limit = mails_per_day()
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Locks the member's row so that simultaneous sendings cannot overstep the limit together.
            get_user_model().objects.select_for_update().get(pk=request.user.pk)
            if sent_today(request.user) >= limit:
                form.add_error(
                    None,
                    _(
                        "You have already sent %(limit)d exports by e-mail in the last 24 hours: "
                        "nothing was sent. Try again tomorrow."
                    )
                    % {"limit": limit},
                )
            else:
                send_link(request, saved, form.cleaned_data)
                ExportMailing.objects.create(
                    owner=request.user, saved_export=saved, recipient=form.cleaned_data["recipient"]
                )
        if form.is_valid():
            messages.success(
                request,
                _("A download link is sent to %(recipient)s.")
                % {"recipient": form.cleaned_data["recipient"]},
            )
            return redirect(SPACE)
    return render(
        request,
        "export_send",
        _("Send a PDF by e-mail"),
        {
            "form": form,
            "saved_export": saved,
            "limit": limit,
            "left": max(limit - sent_today(request.user), 0),
        },
    )


def send_link(request, saved, data):
    token = signing.dumps({"export": saved.pk}, salt=LINK_SALT)
    sender = request.user
    context = {
        "sender_name": sender.get_full_name() or sender.get_username(),
        "sender_email": sender.email,
        "title": saved.job.title,
        "total": saved.job.total,
        "message": data["message"],
        "link": request.build_absolute_uri(reverse("accounts:personal_export_link", args=[token])),
        "days": LINK_MAX_AGE // (24 * 3600),
    }
    # A bare address has no preferred language: the site's, whatever language the sender browses in.
    send_mail_template(
        "accounts/emails/export_link", context, data["recipient"], reply_to=sender.email or None
    )


def load_link(token, max_age=None):
    """The SavedExport id a link's token carries, or None when it is tampered with or expired."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE if max_age is None else max_age)
    except signing.BadSignature:
        return None
    return data.get("export") if isinstance(data, dict) else None


@never_cache
@require_safe
def export_link(request, token):
    """The public end of an e-mailed link: the file while the link is valid and the export still kept."""
    pk = load_link(token)
    saved = SavedExport.objects.select_related("job").filter(pk=pk).first() if isinstance(pk, int) else None
    if saved is None:
        return render(request, "link_invalid", _("This link no longer works"), {}, status=404)
    try:
        return stream(saved.job)
    except Http404:
        return render(request, "link_invalid", _("This link no longer works"), {}, status=404)
