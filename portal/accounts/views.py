from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.honeypot import is_robot

from . import services
from .dashboard import dashboard_panels
from .forms import DecisionForm, JoinForm, SignUpForm
from .models import Membership
from .scope import scope_for


def signup(request):
    """Sign-up: the account stays inactive until its owner follows the link e-mailed to them. The answer is
    the same whether or not the address already has an account (services.sign_up)."""
    if is_robot(request):
        # Robots fill every field; people never see this one. Refused before anything is saved or sent.
        return TemplateResponse(
            request, "accounts/signup.html", {"form": SignUpForm(), "refused": True}, status=400
        )
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_up(form.cleaned_data, request)
        return TemplateResponse(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return TemplateResponse(request, "accounts/signup.html", {"form": form})


def activate(request, token):
    user, usable = services.account_for_token(token)
    if user is not None and usable:
        services.activate(user)
        messages.success(request, _("Your address is confirmed: you can log in."))
        return redirect("accounts:login")
    if user is not None and user.is_active:
        # The link was followed already (twice clicked, or opened first by a mail scanner): nothing to do.
        messages.info(request, _("Your address is already confirmed: you can log in."))
        return redirect("accounts:login")
    return TemplateResponse(request, "accounts/activation_invalid.html", status=400)


@login_required
def dashboard(request):
    scope = scope_for(request.user)
    memberships = request.user.memberships.select_related("organisation__authority")
    return TemplateResponse(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "scope": scope,
            "to_decide": services.pending_for(request.user)[:50],
            # The products' parts of the dashboard (the Bourse's suggestions and alerts…).
            "panels": dashboard_panels(request),
        },
    )


@login_required
def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = services.request_membership(
            request.user, form.cleaned_data["organisation"], form.cleaned_data["message"]
        )
        messages.success(
            request,
            _("Your request to join %(name)s is sent: you will be told by e-mail.")
            % {"name": membership.organisation.name},
        )
        return redirect("accounts:dashboard")
    return TemplateResponse(request, "accounts/join.html", {"form": form})


@login_required
@require_POST
def decide(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not services.can_decide(request.user, membership):
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid() and membership.status == Membership.Status.PENDING:
        services.decide(membership, request.user, form.cleaned_data["decision"] == "approve", request)
        messages.success(request, _("Decision recorded; the member is told by e-mail."))
    return redirect("accounts:dashboard")
