"""The e-APD in the admin: an authority's declarations, the form of the open year, the receipt and the
document; the Délégation's correction. Who may do what is atlas/aid/rules.py; every view asks it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atlas.models import Authority
from portal.accounts.scope import scope_for
from portal.core.keeper import keeps_expired_post, kept_input
from portal.core.private_files import serve_private_file

from . import receipt, rules, services
from .forms import AID_LINES_MAX, BLANK_LINES, DeclarationForm, LineFormSet, check_filing
from .models import AidDeclaration, AidWindow, document_content_type

PREFIX = "lines"
REASON_MAX = 2000


def wants_json(request):
    """The autosave's posts ask for JSON; a browser's submission asks for HTML."""
    return not request.accepts("text/html")


class Context:
    """What every view of one authority's year needs, read once."""

    def __init__(self, request, authority_id, year):
        if not 2000 <= year <= 2100:
            raise Http404
        self.request = request
        self.user = request.user
        self.scope = scope_for(request.user)
        self.authority = get_object_or_404(Authority, pk=authority_id)
        self.year = year
        self.declaration = AidDeclaration.objects.filter(authority=self.authority, year=year).first()
        self.window = AidWindow.objects.filter(year=year).first()
        self.now = timezone.now()

    @property
    def window_open(self):
        return self.window is not None and self.window.is_open(self.now)

    @property
    def may_write(self):
        """Writing through the form: while the year's window is open, within the rules (an authority agent
        for their own authority; the Délégation)."""
        candidate = self.declaration or AidDeclaration(authority=self.authority, year=self.year)
        return self.window_open and self.scope.admits(candidate)

    @property
    def may_read(self):
        if self.declaration is not None:
            return rules.may_read(self.scope, self.declaration)
        # Nothing declared yet: the authority's own agents, and those who read every declaration.
        return (
            self.scope.is_delegation
            or self.authority.pk in self.scope.authority_ids
            or self.scope.is_ministry
            or self.scope.is_operator
        )

    def next_window(self):
        return AidWindow.next(self.now)

    def url(self, name="aid_declaration"):
        return reverse(name, args=[self.authority.pk, self.year])


def formset_for(ctx, data=None, files=None, initial=None):
    formset = LineFormSet(
        data,
        files,
        instance=ctx.declaration or AidDeclaration(authority=ctx.authority, year=ctx.year),
        prefix=PREFIX,
        year=ctx.year,
        authority=ctx.authority,
        initial=initial,
    )
    return formset


def edit_forms(ctx):
    """The forms an agent opens: on what they typed last when it was kept and not saved, else on the saved
    lines (plus, before anything was saved, the lines proposed), always with blank lines to add."""
    declaration = ctx.declaration
    restored = kept_input(ctx.request) or (declaration.draft_input if declaration else None)
    if restored:
        data = QueryDictLike(restored)
        form = DeclarationForm(data, instance=declaration)
        formset = formset_for(ctx, data)
        return form, formset, True
    proposed = [] if services.has_saved(declaration) else services.proposals(ctx.authority, ctx.year)
    form = DeclarationForm(instance=declaration)
    formset = formset_for(ctx, initial=[initial for initial, _source in proposed])
    room = max(0, AID_LINES_MAX - formset.initial_form_count())
    formset.extra = min(room, len(proposed) + BLANK_LINES)
    for line_form, (_initial, source) in zip(formset.extra_forms, proposed, strict=False):
        line_form.proposed_from = source
    return form, formset, False


class QueryDictLike(dict):
    """A kept input ({name: [values]}) read the way forms read request.POST."""

    def getlist(self, key, default=None):
        return list(self.get(key, default or []))

    def get(self, key, default=None):
        values = super().get(key)
        if values is None:
            return default
        return values[-1] if isinstance(values, list) and values else values

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


def render_form(ctx, form, formset, restored=False, status=200):
    declaration = ctx.declaration
    return TemplateResponse(
        ctx.request,
        "aid/declaration_form.html",
        {
            **base_context(ctx),
            "form": form,
            "formset": formset,
            "restored": restored,
            "lines_max": AID_LINES_MAX,
            "is_filed": declaration is not None and declaration.is_filed,
        },
        status=status,
    )


def base_context(ctx):
    declaration = ctx.declaration
    return {
        "authority": ctx.authority,
        "year": ctx.year,
        "declaration": declaration,
        "window": ctx.window,
        "window_open": ctx.window_open,
        "next_window": ctx.next_window(),
        "is_delegation": ctx.scope.is_delegation,
        "page_title": _("Development aid %(year)s – %(name)s")
        % {"year": ctx.year, "name": ctx.authority.name},
    }


def render_detail(ctx, status=200):
    declaration = ctx.declaration
    lines = services.lines_of(declaration) if declaration else []
    return TemplateResponse(
        ctx.request,
        "aid/declaration_detail.html",
        {
            **base_context(ctx),
            "lines": lines,
            "totals": services.totals(declaration, lines) if declaration else None,
            "history": services.history(declaration) if declaration else [],
            "may_write": ctx.may_write,
        },
        status=status,
    )


def refuse_writing(ctx):
    """Outside the window (or outside the rules): nothing is saved; the page says when the next window
    opens."""
    if not ctx.may_read:
        raise PermissionDenied
    next_window = ctx.next_window()
    if ctx.window is not None and ctx.now >= ctx.window.closes_at:
        message = _("The declaration window for %(year)s closed on %(date)s: nothing was saved.") % {
            "year": ctx.year,
            "date": timezone.localtime(ctx.window.closes_at).strftime("%d/%m/%Y %H:%M"),
        }
    else:
        message = _("The declaration of %(year)s is not open: nothing was saved.") % {"year": ctx.year}
    if next_window is not None:
        message += " " + _("The next window (aid of %(year)s) opens on %(date)s.") % {
            "year": next_window.year,
            "date": timezone.localtime(next_window.opens_at).strftime("%d/%m/%Y %H:%M"),
        }
    if wants_json(ctx.request):
        # The autosave stops on this error code instead of trying again.
        return JsonResponse(
            {"success": False, "error_code": "invalid_revision", "error_message": message}, status=403
        )
    # Back to the declaration as it stands (read-only now), the refusal on top: reloading posts nothing again.
    messages.error(ctx.request, message)
    return redirect(ctx.url())


@keeps_expired_post
@require_http_methods(["GET", "POST"])
def declaration_view(request, authority_id, year):
    ctx = Context(request, authority_id, year)
    if request.method == "POST":
        if not ctx.may_write:
            return refuse_writing(ctx)
        return post_declaration(ctx)
    if not ctx.may_read:
        raise PermissionDenied
    filed = ctx.declaration is not None and ctx.declaration.is_filed
    # A filed declaration opens on its receipt; "edit" (within the window) opens the form to file it again.
    if ctx.may_write and (not filed or "edit" in request.GET):
        form, formset, restored = edit_forms(ctx)
        if restored:
            messages.warning(
                request,
                _(
                    "The form shows what you typed last, which was kept but not saved yet: check it, then "
                    "save a draft or file."
                ),
            )
        return render_form(ctx, form, formset, restored=restored)
    return render_detail(ctx)


def post_declaration(ctx):
    request = ctx.request
    if wants_json(request):
        ctx.declaration = services.keep_input(ctx.authority, ctx.year, request.POST, request.user)
        return JsonResponse({"success": True, "kept_at": ctx.declaration.draft_input_at.isoformat()})
    # "intent", not "action": a field named "action" hides the form's action attribute from scripts.
    action = request.POST.get("intent")
    if action not in ("save", "file"):
        action = "save"
    declaration = ctx.declaration
    if declaration is not None and declaration.is_filed and action != "file":
        # A filed declaration changes only by being filed again: its typed changes are kept meanwhile.
        services.keep_input(ctx.authority, ctx.year, request.POST, request.user)
        messages.warning(request, _("Your changes are kept, not applied: file again to apply them."))
        return redirect(ctx.url())
    if declaration is None:
        declaration = AidDeclaration(authority=ctx.authority, year=ctx.year)
    form = DeclarationForm(request.POST, request.FILES, instance=declaration)
    formset = formset_for(ctx, request.POST, request.FILES)
    valid = form.is_valid() & formset.is_valid()
    if valid and action == "file":
        try:
            check_filing(form, formset)
        except ValidationError as error:
            form.add_error(None, error)
            valid = False
    if valid and not ctx.scope.admits(declaration):
        raise PermissionDenied
    if not valid:
        # Nothing typed is lost: the page shows it again, and it is kept for the next visit.
        ctx.declaration = services.keep_input(ctx.authority, ctx.year, request.POST, request.user)
        if "document" not in form.errors and services.save_document(ctx.declaration, form):
            messages.info(request, _("The supporting document is kept."))
        form.instance = ctx.declaration
        formset.instance = ctx.declaration
        return render_form(ctx, form, formset, status=200)
    if action == "file":
        services.file_declaration(declaration, form, formset, request.user, request)
        messages.success(
            request,
            _("Your declaration of %(year)s is filed. Its receipt was e-mailed to your authority's agents.")
            % {"year": ctx.year},
        )
    else:
        services.save_draft(declaration, form, formset, request.user)
        messages.success(request, _("Draft saved."))
    return redirect(ctx.url())


@require_http_methods(["GET", "POST"])
def correct_view(request, authority_id, year):
    """A Délégation administrator corrects a declaration, whatever the window, with a reason."""
    ctx = Context(request, authority_id, year)
    if not ctx.scope.is_delegation:
        raise PermissionDenied
    if ctx.declaration is None:
        raise Http404
    reason_error = None
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:REASON_MAX]
        form = DeclarationForm(request.POST, request.FILES, instance=ctx.declaration)
        formset = formset_for(ctx, request.POST, request.FILES)
        valid = form.is_valid() & formset.is_valid()
        if not reason:
            reason_error = _("Say why the declaration is corrected: the reason is kept in its history.")
            valid = False
        if valid and ctx.declaration.is_filed:
            try:
                check_filing(form, formset)
            except ValidationError as error:
                form.add_error(None, error)
                valid = False
        if valid:
            services.correct_declaration(ctx.declaration, form, formset, request.user, reason)
            messages.success(request, _("The declaration is corrected; the reason is in its history."))
            return redirect(ctx.url())
    else:
        reason = ""
        form = DeclarationForm(instance=ctx.declaration)
        formset = formset_for(ctx)
        formset.extra = min(BLANK_LINES, max(0, AID_LINES_MAX - formset.initial_form_count()))
    response = render_form(ctx, form, formset)
    response.context_data.update(correcting=True, reason=reason, reason_error=reason_error)
    return response


def receipt_view(request, authority_id, year):
    ctx = Context(request, authority_id, year)
    declaration = ctx.declaration
    if declaration is None or not declaration.is_filed:
        raise Http404
    if not ctx.may_read:
        raise PermissionDenied
    return receipt.response(declaration)


def document_view(request, authority_id, year):
    ctx = Context(request, authority_id, year)
    declaration = ctx.declaration
    if declaration is None or not declaration.document:
        raise Http404
    if not ctx.may_read:
        raise PermissionDenied
    extension = declaration.document.name.rsplit(".", 1)[-1]
    filename = f"e-apd-{ctx.authority.slug}-{ctx.year}.{extension}"
    return serve_private_file(declaration.document, filename, document_content_type(declaration))


def index_view(request):
    """The e-APD's home: the open window (or the next one), and the declarations of the user's authorities;
    the Délégation finds any authority by its name."""
    scope = scope_for(request.user)
    if not (scope.is_delegation or scope.authority_ids or scope.is_ministry or scope.is_operator):
        raise PermissionDenied
    now = timezone.now()
    current, upcoming = AidWindow.current(now), AidWindow.next(now)
    query = request.GET.get("q", "").strip()[:100]
    if scope.authority_ids:
        authorities = Authority.objects.filter(pk__in=scope.authority_ids)
    elif query:
        authorities = Authority.objects.filter(Q(name__icontains=query) | Q(code=query))
    else:
        authorities = Authority.objects.none()
    authorities = list(authorities.order_by("name")[:20])
    declarations = {}
    readable = rules.readable_declarations(scope)
    for declaration in readable.filter(authority__in=authorities).order_by("-year"):
        declarations.setdefault(declaration.authority_id, []).append(declaration)
    rows = []
    for authority in authorities:
        own = declarations.get(authority.pk, [])
        current_declaration = next((d for d in own if current and d.year == current.year), None)
        rows.append(
            {
                "authority": authority,
                "current": current_declaration,
                "past": [d for d in own if not current or d.year != current.year],
                "may_declare": current is not None and authority.pk in scope.authority_ids,
            }
        )
    return TemplateResponse(
        request,
        "aid/index.html",
        {
            "rows": rows,
            "current": current,
            "upcoming": upcoming,
            "query": query,
            "searching": not scope.authority_ids,
            "is_delegation": scope.is_delegation,
        },
    )
