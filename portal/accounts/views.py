from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import DecisionForm, JoinForm, SignUpForm
from .models import Membership
from .scope import scope_for

ACTIVATION_SALT = "portal.accounts.activation"
ACTIVATION_MAX_AGE = 3 * 24 * 3600


def signup(request):
    """Sign-up: the account stays inactive until its owner follows the link e-mailed to them."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        User = get_user_model()
        with transaction.atomic():
            # An unconfirmed earlier sign-up with the same address is replaced rather than refused.
            User.objects.filter(username__iexact=data["email"], is_active=False, last_login=None).delete()
            user = User(
                username=data["email"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                is_active=False,
            )
            user.set_password(data["password1"])
            user.save()
        token = signing.dumps({"user": user.pk}, salt=ACTIVATION_SALT)
        link = request.build_absolute_uri(reverse("accounts:activate", args=[token]))
        context = {"user": user, "link": link}
        send_mail(
            render_to_string("accounts/emails/activation_subject.txt", context, request).strip(),
            render_to_string("accounts/emails/activation.txt", context, request),
            None,
            [user.email],
        )
        return TemplateResponse(request, "accounts/signup_sent.html", {"email": user.email})
    return TemplateResponse(request, "accounts/signup.html", {"form": form})


def activate(request, token):
    try:
        data = signing.loads(token, salt=ACTIVATION_SALT, max_age=ACTIVATION_MAX_AGE)
    except signing.BadSignature:
        return TemplateResponse(request, "accounts/activation_invalid.html", status=400)
    user = get_object_or_404(get_user_model(), pk=data["user"])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    messages.success(request, _("Your address is confirmed: you can log in."))
    return redirect("accounts:login")


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
