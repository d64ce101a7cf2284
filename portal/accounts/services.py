"""What people do with their accounts and memberships: sign up, confirm an address, ask to join, approve,
refuse. Views call these, nothing else."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.accounts.roles import ROLES
from portal.core.mail import send_mail_template

from .models import Membership, Organisation
from .scope import scope_for

ROLE_BY_KIND = {
    Organisation.Kind.LOCAL_AUTHORITY: "authority_agent",
    Organisation.Kind.EMBASSY: "embassy_agent",
    Organisation.Kind.PREFECTURE: "prefecture_agent",
    Organisation.Kind.MINISTRY: "ministry_agent",
    Organisation.Kind.OPERATOR: "ministry_agent",
}
GROUP_BY_ROLE = {role.slug: role.group for role in ROLES}


def can_decide(user, membership):
    """The Délégation, or an approved manager of the same organisation; never the member themself."""
    if membership.user_id == user.pk:
        return False
    if scope_for(user).is_delegation:
        return True
    return (
        Membership.objects.approved()
        .filter(user=user, organisation_id=membership.organisation_id, role=Membership.Role.MANAGER)
        .exists()
    )


def pending_for(user):
    """The requests this user may decide on."""
    pending = Membership.objects.pending().select_related("user", "organisation").exclude(user=user)
    if scope_for(user).is_delegation:
        return pending
    managed = (
        Membership.objects.approved()
        .filter(user=user, role=Membership.Role.MANAGER)
        .values("organisation_id")
    )
    return pending.filter(organisation_id__in=managed)


def request_membership(user, organisation, message=""):
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"message": message}
    )
    return membership


@transaction.atomic
def decide(membership, approver, approve, request=None):
    if not can_decide(approver, membership) or membership.status != Membership.Status.PENDING:
        raise PermissionDenied
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.REFUSED
    membership.decided_by = approver
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        role = ROLE_BY_KIND.get(membership.organisation.kind, "member")
        group, _ = Group.objects.get_or_create(name=GROUP_BY_ROLE[role])
        membership.user.groups.add(group)
    context = {"membership": membership, "approved": approve}
    send_mail_template("accounts/emails/decision", context, membership.user)
    return membership


# Sign-up and activation ------------------------------------------------------------------------------------
#
# An account is confirmed once its owner followed the link e-mailed at sign-up; confirming sets last_login
# (the first time the owner proves they hold the address and the password), so that "last_login is None" is
# what tells an unconfirmed sign-up, which a new sign-up with the same address may replace. The activation
# link carries a digest of the account's state (is_active, last_login, password): confirming changes it, so
# a link works once, and never reopens an account an administrator closed afterwards.

ACTIVATION_SALT = "portal.accounts.activation"
ACTIVATION_MAX_AGE = 3 * 24 * 3600


def activation_state(user):
    last_login = user.last_login.replace(microsecond=0).isoformat() if user.last_login else ""
    return salted_hmac(
        ACTIVATION_SALT, f"{user.pk}|{user.is_active}|{last_login}|{user.password}", algorithm="sha256"
    ).hexdigest()


def activation_token(user):
    return signing.dumps({"user": user.pk, "state": activation_state(user)}, salt=ACTIVATION_SALT)


def account_for_token(token):
    """(user, usable) for an activation link: (None, False) when the link is forged or expired; usable is
    False when the account changed since the link was sent (confirmed already, or closed since)."""
    try:
        data = signing.loads(token, salt=ACTIVATION_SALT, max_age=ACTIVATION_MAX_AGE)
    except signing.BadSignature:
        return None, False
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None, False
    user = get_user_model().objects.filter(pk=data["user"]).first()
    if user is None:
        return None, False
    return user, constant_time_compare(str(data.get("state", "")), activation_state(user))


def activate(user):
    user.is_active = True
    user.last_login = timezone.now()
    user.save(update_fields=["is_active", "last_login"])


def existing_account(email):
    """The account that already answers for this address (as login name or as e-mail), if any."""
    return (
        get_user_model()
        .objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .exclude(is_active=False, last_login=None)
        .order_by("pk")
        .first()
    )


def send(template, context, request, recipient):
    send_mail_template(f"accounts/emails/{template}", context, recipient)


def sign_up(data, request):
    """Opens an inactive account and e-mails its activation link; when the address already has an account,
    e-mails its owner instead (someone tried to sign up; here is how to reset the password). Either way the
    visitor sees the same answer, and the same work is done (the password is hashed in both cases), so that
    neither the page nor its timing tells whether the address has an account."""
    email = data["email"]
    password = make_password(data["password1"])
    User = get_user_model()
    user = None
    if existing_account(email) is None:
        try:
            with transaction.atomic():
                # An unconfirmed earlier sign-up with the same address is replaced rather than refused.
                User.objects.filter(username__iexact=email, is_active=False, last_login=None).delete()
                user = User.objects.create(
                    username=email,
                    email=email,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=password,
                    is_active=False,
                )
        except IntegrityError:  # the same address signed up at the same instant
            user = None
    if user is not None:
        link = request.build_absolute_uri(reverse("accounts:activate", args=[activation_token(user)]))
        send("activation", {"user": user, "link": link}, request, email)
        return
    account = existing_account(email)
    if account is None:  # the other, simultaneous sign-up e-mails its own link
        return
    context = {
        "account": account,
        "login_link": request.build_absolute_uri(reverse("accounts:login")),
        "reset_link": request.build_absolute_uri(reverse("accounts:password_reset")),
    }
    send("signup_existing", context, request, email)
