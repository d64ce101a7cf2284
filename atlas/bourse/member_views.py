"""The members' side of the Bourse-projets, under /compte/bourse/ in the "accounts" namespace ("bourse_…",
see member_urls.py).

Authority agents express interest; embassy agents (for their countries) and the Délégation see who is
interested, put them in touch and record the partnership; every member keeps e-mail alerts. The rules are
in matching.py: a view only looks objects up within what the user may reach (404 otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atlas.models import Country, Theme
from portal.accounts.scope import scope_for

from . import matching as bourse
from .forms import AlertForm, InterestForm
from .models import BourseAlert, BourseInterest, BourseProject

PROJECTS_PER_PAGE = 20


# Interest --------------------------------------------------------------------------------------------------


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def interest(request, pk):
    """Interest: one of the user's authorities and a message; the embassy and the Délégation are told."""
    project = get_object_or_404(BourseProject.objects.visible().select_related("partner", "country"), pk=pk)
    if not bourse.may_express_interest(request.user):
        raise PermissionDenied
    form = InterestForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            bourse.express_interest(
                request.user, project, form.cleaned_data["authority"], form.cleaned_data["message"], request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your interest is sent: the embassy will put you in touch with the foreign authority."),
            )
            return redirect(safe_next(request, bourse.project_url(project)))
    return TemplateResponse(
        request,
        "bourse/interest.html",
        {"project": project, "form": form, "next": safe_next(request, "")},
        status=400 if request.method == "POST" else 200,
    )


# The embassy's side ----------------------------------------------------------------------------------------


@login_required
def projects(request):
    """The Bourse projects of the embassy's countries (all for the Délégation), with who is interested."""
    scope = scope_for(request.user)
    if not (scope.is_delegation or scope.country_ids):
        raise PermissionDenied
    queryset = (
        bourse.managed_projects(request.user)
        .select_related("partner", "country", "embassy", "cooperation__authority")
        .prefetch_related(
            Prefetch(
                "interests",
                queryset=BourseInterest.objects.select_related("authority", "user").order_by("created_at"),
            )
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(queryset, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "bourse/projects.html",
        {"page": page, "projects": page.object_list, "seeking": bourse.SEEKING},
    )


def managed_interest(request, pk):
    return get_object_or_404(
        bourse.managed_interests(request.user).select_related("project", "authority", "user"), pk=pk
    )


@login_required
@require_POST
def put_in_touch(request, pk):
    interest = managed_interest(request, pk)
    if bourse.put_in_touch(request.user, interest, request):
        messages.success(
            request,
            _("%(authority)s and you have each received the other's contact by e-mail.")
            % {"authority": interest.authority},
        )
    else:
        messages.info(request, _("They were already put in touch."))
    return redirect("accounts:bourse_projects")


@login_required
@require_POST
def partnership(request, pk):
    interest = managed_interest(request, pk)
    try:
        bourse.convert_to_cooperation(request.user, interest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The partnership with %(authority)s is recorded: the Atlas now has its cooperation and project")
            % {"authority": interest.authority},
        )
    return redirect("accounts:bourse_projects")


# Alerts ----------------------------------------------------------------------------------------------------


def describe(alerts):
    """Each alert with the names of its country and theme (two queries for the whole list)."""
    criteria = [bourse.alert_criteria(alert) for alert in alerts]
    countries = dict(
        Country.objects.filter(slug__in={c["country"] for c in criteria if c["country"]}).values_list(
            "slug", "name"
        )
    )
    themes = dict(
        Theme.objects.filter(slug__in={c["theme"] for c in criteria if c["theme"]}).values_list(
            "slug", "name"
        )
    )
    return [
        (alert, countries.get(c["country"], ""), themes.get(c["theme"], ""))
        for alert, c in zip(alerts, criteria, strict=True)
    ]


@login_required
def alerts(request):
    form = AlertForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        BourseAlert.objects.create(
            user=request.user, title=form.cleaned_data["title"], query_string=form.query_string()
        )
        messages.success(request, _("Your alert is saved: you will get at most one e-mail a day."))
        return redirect("accounts:bourse_alerts")
    own = list(BourseAlert.objects.filter(user=request.user).order_by("-created_at"))
    return TemplateResponse(
        request,
        "bourse/alerts.html",
        {"form": form, "alerts": describe(own), "bourse_url": bourse.bourse_url()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def alert_delete(request, pk):
    alert = get_object_or_404(BourseAlert, pk=pk, user=request.user)
    if request.method == "POST":
        alert.delete()
        messages.success(request, _("The alert is deleted."))
        return redirect("accounts:bourse_alerts")
    return TemplateResponse(request, "bourse/alert_delete.html", {"alert": alert})
