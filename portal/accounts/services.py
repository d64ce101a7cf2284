"""What members and managers do with memberships: ask, approve, refuse. Views call these, nothing else."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.roles import ROLES

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
    send_mail(
        render_to_string("accounts/emails/decision_subject.txt", context, request).strip(),
        render_to_string("accounts/emails/decision.txt", context, request),
        None,
        [membership.user.email],
    )
    return membership
