"""The one state machine of a dossier.

`TRANSITIONS` lists every allowed move (from_state, to_state) with who may make it and what must hold first;
`transition()` is the only code that changes `Application.state`: it checks the move, the permission and the
guard, saves, logs an `ApplicationEvent` and notifies the applicant organisation's agents through
portal.core.mail. A refused move raises and changes nothing.

draft → filed → under_instruction → (correction_requested → filed) → accepted / refused / withdrawn
→ reporting → closed.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Membership
from portal.accounts.scope import scope_for
from portal.core.links import absolute
from portal.core.mail import send_mail_template

from .eligibility import check_eligibility
from .instruction_models import Decision
from .links import applicant_url
from .models import Application, ApplicationEvent
from .opinions import request_automatic_opinions
from .receipt import store_receipt

State = Application.State


def applicant_agents(application):
    """The approved agents of the dossier's organisation: they edit it and are told of every move."""
    return [
        membership.user
        for membership in Membership.objects.approved()
        .filter(organisation_id=application.organisation_id, user__is_active=True)
        .select_related("user")
        .order_by("user__pk")
    ]


def is_applicant(user, application):
    """Whether the user is an approved agent of the organisation the dossier belongs to."""
    return bool(
        user.is_authenticated
        and user.is_active
        and Membership.objects.approved()
        .filter(user=user, organisation_id=application.organisation_id)
        .exists()
    )


def is_delegation(user, application):
    return scope_for(user).is_delegation


def is_applicant_or_delegation(user, application):
    return is_delegation(user, application) or is_applicant(user, application)


def must_be_eligible(application, user):
    """Filing needs every eligibility rule to pass (the call open included, by the server's clock)."""
    report = check_eligibility(application)
    if not report.passed:
        raise TransitionRefused(
            [str(rule.explanation) for rule in report.rules if not rule.passed],
            eligibility=report,
        )


def after_filing(application, user):
    """The filing receipt: a PDF of the whole dossier as filed, kept with it."""
    store_receipt(application)


def ask_automatic_opinions(application, user):
    """Under instruction, the embassy of the dossier's country and the prefecture of its lead authority's
    région are asked for their opinion at once (the Délégation adds ministries and operators by hand)."""
    request_automatic_opinions(application, user)


def keep_correction_request(application, user):
    """What to fix is the motivation of the move: kept on the dossier, shown to the applicant while open."""
    application.correction_request = (
        application.events.order_by("-at", "-pk").values_list("motivation", flat=True).first() or ""
    )
    application.save(update_fields=["correction_request"])


def decided_as(outcome):
    """A guard: the committee's decision (instruction.decide records it first) has this outcome."""

    def guard(application, user):
        if not Decision.objects.filter(application=application, outcome=outcome).exists():
            raise TransitionRefused([_("Record the committee's decision (amount and motivation) first.")])

    return guard


@dataclass(frozen=True)
class Transition:
    label: str
    # (user, application) -> bool: who may make the move.
    allowed: object
    # (application, user) -> None, raising TransitionRefused: what must hold before the move.
    guard: object = None
    # (application, user) -> None: run inside the transaction, after the state is saved.
    effect: object = None
    # The e-mail template pair (portal.core.mail) sent to the organisation's agents.
    mail_template: str = "funding/mail/transition"
    requires_motivation: bool = False
    extra: dict = field(default_factory=dict)


# funding-instruct (the instruction of dossiers) refines the permissions and guards of its moves here.
TRANSITIONS = {
    (State.DRAFT, State.FILED): Transition(
        _("File the dossier"), is_applicant_or_delegation, guard=must_be_eligible, effect=after_filing
    ),
    (State.CORRECTION_REQUESTED, State.FILED): Transition(
        _("File the corrected dossier"),
        is_applicant_or_delegation,
        guard=must_be_eligible,
        effect=after_filing,
    ),
    (State.FILED, State.UNDER_INSTRUCTION): Transition(
        _("Put under instruction"), is_delegation, effect=ask_automatic_opinions
    ),
    (State.UNDER_INSTRUCTION, State.CORRECTION_REQUESTED): Transition(
        _("Request a correction"), is_delegation, effect=keep_correction_request, requires_motivation=True
    ),
    (State.FILED, State.CORRECTION_REQUESTED): Transition(
        _("Request a correction"), is_delegation, effect=keep_correction_request, requires_motivation=True
    ),
    (State.UNDER_INSTRUCTION, State.ACCEPTED): Transition(
        _("Accept"), is_delegation, guard=decided_as(Decision.Outcome.ACCEPTED), requires_motivation=True
    ),
    (State.UNDER_INSTRUCTION, State.REFUSED): Transition(
        _("Refuse"), is_delegation, guard=decided_as(Decision.Outcome.REFUSED), requires_motivation=True
    ),
    (State.ACCEPTED, State.REPORTING): Transition(_("Move to reporting"), is_delegation),
    (State.REPORTING, State.CLOSED): Transition(_("Close"), is_delegation),
    **{
        (state, State.WITHDRAWN): Transition(_("Withdraw the dossier"), is_applicant_or_delegation)
        for state in (State.DRAFT, State.FILED, State.UNDER_INSTRUCTION, State.CORRECTION_REQUESTED)
    },
}


class TransitionRefused(ValidationError):
    """A move that is not allowed now: its messages say why, in words for the person who asked."""

    def __init__(self, messages, eligibility=None):
        super().__init__(messages)
        self.eligibility = eligibility


def allowed_transitions(application, user):
    """The moves the user may attempt from the dossier's current state (guards are checked on the move)."""
    return [
        (to_state, spec)
        for (from_state, to_state), spec in TRANSITIONS.items()
        if from_state == application.state and spec.allowed(user, application)
    ]


def transition(application, to_state, user, motivation="", visible_to_applicant=True):
    """Moves the dossier to `to_state`, or raises (PermissionDenied, TransitionRefused) changing nothing.

    The row is locked and its state read again inside the transaction, so two agents filing at once, or a
    filing racing a withdrawal, make one move, not two."""
    motivation = (motivation or "").strip()
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        spec = TRANSITIONS.get((current.state, to_state))
        if spec is None:
            raise TransitionRefused(
                [
                    _("A dossier in the state “%(from)s” cannot be moved to “%(to)s”.")
                    % {"from": current.get_state_display(), "to": State(to_state).label}
                ]
            )
        if not spec.allowed(user, current):
            raise PermissionDenied
        if spec.requires_motivation and not motivation:
            raise TransitionRefused([_("Please give the reason for this step.")])
        if spec.guard is not None:
            spec.guard(current, user)
        from_state = current.state
        current.state = to_state
        update_fields = ["state", "updated_at"]
        if to_state == State.FILED:
            current.filed_at = timezone.now()
            update_fields.append("filed_at")
        current.save(update_fields=update_fields)
        event = ApplicationEvent.objects.create(
            application=current,
            user=user if user.is_authenticated else None,
            from_state=from_state,
            to_state=to_state,
            motivation=motivation,
            visible_to_applicant=visible_to_applicant,
        )
        if spec.effect is not None:
            spec.effect(current, user)
        if spec.mail_template and visible_to_applicant:
            transaction.on_commit(lambda: notify(current, event, spec))
    # The caller's object shows the new state too.
    application.state = current.state
    application.filed_at = current.filed_at
    application.receipt = current.receipt
    return event


def notify(application, event, spec):
    send_mail_template(
        spec.mail_template,
        {
            "application": application,
            "event": event,
            "from_state": State(event.from_state).label if event.from_state else "",
            "to_state": State(event.to_state).label,
            "url": absolute(applicant_url(application)),
        },
        applicant_agents(application),
    )
