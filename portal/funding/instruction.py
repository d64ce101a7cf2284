"""The instruction of dossiers, as named steps the views, the demo and the daily command share: opinions asked
and given, the committee's decision and its tranches, reports, the Atlas project sheet of an accepted dossier,
the estimated time to decision, and who may see what (the rules registered with portal.accounts.scope).

Every step that changes a dossier's state goes through workflow.transition (checked, logged, notified)."""

import logging
import statistics
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atlas.models import Cooperation, Project
from portal.accounts.models import Membership
from portal.accounts.scope import DELEGATION_GROUP, ScopeRules, register_rules, scope_for
from portal.core.mail import send_mail_template

from . import workflow
from .instruction_models import FINAL_SHARE, Decision, OpinionRequest, Report, Tranche
from .models import Application, ApplicationEvent
from .opinions import (
    OPINION_STATES,
    REVIEWER_KINDS,
    dossier_link,
    notify_applicant,
    notify_reviewers,
)

logger = logging.getLogger(__name__)

State = Application.State
# The days before the due date when a reviewer is reminded of an opinion not given.
REMINDER_DAYS = (7, 2)
# The states in which a dossier has been filed: reviewers may read it, the Délégation instructs it.
FILED_STATES = (
    State.FILED,
    State.UNDER_INSTRUCTION,
    State.CORRECTION_REQUESTED,
    State.ACCEPTED,
    State.REFUSED,
    State.WITHDRAWN,
    State.REPORTING,
    State.CLOSED,
)


# Who may see what -------------------------------------------------------------------------------------------


def reviewer_organisation_ids(user):
    """The reviewer organisations (embassy, prefecture, ministry, operator) the user is an agent of."""
    scope = scope_for(user)
    if not hasattr(scope, "_funding_reviewer_ids"):
        scope._funding_reviewer_ids = (
            set(
                Membership.objects.approved()
                .filter(user=user, organisation__kind__in=REVIEWER_KINDS)
                .values_list("organisation_id", flat=True)
            )
            if user.is_authenticated and user.is_active
            else set()
        )
    return scope._funding_reviewer_ids


def reviewable_applications(user):
    """The filed dossiers a reviewer may consult, read-only: every filed dossier of each call it is asked an
    opinion about; ministries and operators consult every filed dossier (DESIGN.md)."""
    organisation_ids = reviewer_organisation_ids(user)
    if not organisation_ids:
        return Application.objects.none()
    filed = Application.objects.filter(state__in=FILED_STATES)
    scope = scope_for(user)
    if getattr(scope, "is_ministry", False) or getattr(scope, "is_operator", False):
        return filed
    calls = OpinionRequest.objects.filter(organisation_id__in=organisation_ids).values("application__call_id")
    return filed.filter(call_id__in=calls)


def visible_opinions(user, application=None):
    """The opinions a user may read: all for the Délégation, its own for a reviewer, the released ones (once
    given) for the applicant's agents."""
    queryset = OpinionRequest.objects.all()
    if application is not None:
        queryset = queryset.filter(application=application)
    scope = scope_for(user)
    if scope.is_delegation:
        return queryset
    own = Q(organisation_id__in=reviewer_organisation_ids(user))
    released = Q(
        released_to_applicant=True,
        application__organisation_id__in=applicant_organisation_ids(user),
    )
    return queryset.filter(own | released)


def applicant_organisation_ids(user):
    scope = scope_for(user)
    return set(getattr(scope, "organisation_ids", ())) - reviewer_organisation_ids(user)


class OpinionRules(ScopeRules):
    """Opinions in the scope vocabulary: the reviewer changes its own until given, nobody else but the
    Délégation (allowed everything before the rules are asked)."""

    def visible(self, scope, manager):
        return visible_opinions(scope.user).filter(pk__in=manager.values("pk"))

    def editable(self, scope, manager):
        return manager.filter(organisation_id__in=reviewer_organisation_ids(scope.user), verdict="")

    def may_add(self, scope):
        return False

    def admits(self, scope, instance):
        return instance.organisation_id in reviewer_organisation_ids(scope.user)


class DecisionRules(ScopeRules):
    """A decision is the Délégation's; the applicant and the reviewers read it with the dossier."""

    def visible(self, scope, manager):
        return manager.filter(application__in=scope.visible(Application))

    def editable(self, scope, manager):
        return manager.none()

    def may_add(self, scope):
        return False


class ReportRules(ScopeRules):
    """Reports are filed by the applicant's agents and approved by the Délégation; reviewers read them."""

    def visible(self, scope, manager):
        return manager.filter(application__in=scope.visible(Application))

    def editable(self, scope, manager):
        return manager.none()

    def may_add(self, scope):
        return bool(applicant_organisation_ids(scope.user))

    def admits(self, scope, instance):
        return instance.application.organisation_id in applicant_organisation_ids(scope.user)


def may_view(user, application):
    """Whether the user may open the dossier's follow-up page."""
    scope = scope_for(user)
    if scope.is_delegation or application.organisation_id in applicant_organisation_ids(user):
        return True
    return reviewable_applications(user).filter(pk=application.pk).exists()


def is_applicant(user, application):
    return application.organisation_id in applicant_organisation_ids(user)


def require_delegation(user):
    if not scope_for(user).is_delegation:
        raise PermissionDenied


def give_opinion(opinion, user, verdict, comment, file=None, request=None):
    if opinion.organisation_id not in reviewer_organisation_ids(user):
        raise PermissionDenied
    if opinion.is_given:
        raise ValidationError(_("This opinion has already been given."))
    if opinion.application.state not in OPINION_STATES:
        raise ValidationError(_("The dossier is no longer under instruction: its opinions are closed."))
    opinion.verdict, opinion.comment = verdict, comment
    if file:
        opinion.file = file
    opinion.given_by, opinion.given_at = user, timezone.now()
    opinion.save()
    return opinion


def release_opinion(opinion, user, request=None):
    """The Délégation shows a given opinion to the applicant."""
    require_delegation(user)
    if not opinion.is_given:
        raise ValidationError(_("An opinion not yet given cannot be released."))
    if not opinion.released_to_applicant:
        opinion.released_to_applicant = True
        opinion.save(update_fields=["released_to_applicant"])
        application = opinion.application
        transaction.on_commit(
            lambda: notify_applicant(application, "funding/instruction/mail/opinion_released", request)
        )
    return opinion


def opinions_due_for_reminder(today=None):
    """Open requests whose due date is REMINDER_DAYS away (or passed), not reminded today."""
    today = today or timezone.localdate()
    windows = Q(due_on__lte=today + timedelta(days=max(REMINDER_DAYS)))
    start_of_day = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    return (
        OpinionRequest.objects.filter(windows, verdict="")
        .filter(application__state__in=(State.UNDER_INSTRUCTION, State.CORRECTION_REQUESTED))
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=start_of_day))
        .select_related("application", "organisation")
    )


def send_reminders(today=None, limit=200):
    """Reminds each reviewer of its opinions soon due: on the REMINDER_DAYS before the due date and each day
    once it has passed, at most once a day per request and `limit` requests a run. Returns the count."""
    today = today or timezone.localdate()
    sent = 0
    for opinion in opinions_due_for_reminder(today)[:limit]:
        days_left = (opinion.due_on - today).days
        if days_left > 0 and days_left not in REMINDER_DAYS and opinion.reminders_sent:
            continue
        notify_reviewers(opinion, "funding/instruction/mail/opinion_reminder", days_left=days_left)
        OpinionRequest.objects.filter(pk=opinion.pk).update(
            reminders_sent=opinion.reminders_sent + 1, last_reminded_at=timezone.now()
        )
        logger.info(
            "Opinion reminder sent to %s for dossier %s (due %s).",
            opinion.organisation,
            opinion.application_id,
            opinion.due_on,
        )
        sent += 1
    return sent


# States ----------------------------------------------------------------------------------------------------


def put_under_instruction(application, user, motivation=""):
    """The embassy and the prefecture are asked for their opinion by the move itself (workflow.py)."""
    workflow.transition(application, State.UNDER_INSTRUCTION, user, motivation)
    return application


def request_correction(application, user, motivation):
    """What to fix is the move's motivation; the dossier reopens for its organisation (workflow.py)."""
    workflow.transition(application, State.CORRECTION_REQUESTED, user, motivation)
    return application


def create_tranches(application, amount, released_at):
    """The yearly tranches of a grant, the first released at the decision (`released_at`)."""
    Tranche.objects.bulk_create(
        Tranche(
            application=application,
            number=number,
            amount=part,
            released_by_kind=kind,
            released_by_year=year,
            released_at=released_at if number == 1 else None,
        )
        for number, (part, kind, year) in enumerate(tranche_plan(amount, application.duration_years), start=1)
    )


def tranche_plan(amount, duration_years):
    """The tranches of a grant: (amount, released_by_kind, released_by_year). The last FINAL_SHARE % waits for
    the final report; the rest is split over the years, the first paid on the decision and each next one on
    the approval of the interim report of the year before. Rounded down to the euro, the rest on the first."""
    amount = Decimal(amount)
    final = (amount * FINAL_SHARE / 100).quantize(Decimal(1), rounding=ROUND_DOWN)
    years = max(1, int(duration_years or 1))
    yearly = ((amount - final) / years).quantize(Decimal(1), rounding=ROUND_DOWN)
    first = amount - final - yearly * (years - 1)
    plan = [(first, "", None)]
    plan += [(yearly, Report.Kind.INTERIM, year - 1) for year in range(2, years + 1)]
    plan.append((final, Report.Kind.FINAL, None))
    return plan


def decide(application, user, outcome, motivation, committee_date, amount=None, request=None):
    """The committee's decision, the dossier's new state and, when accepted, its tranches (the first released
    now) and its Atlas project sheet."""
    require_delegation(user)
    if not motivation.strip():
        raise ValidationError(_("Give the motivation of the decision."))
    accepted = outcome == Decision.Outcome.ACCEPTED
    if accepted and not (amount and amount > 0):
        raise ValidationError(_("An accepted dossier needs the amount granted."))
    with transaction.atomic():
        decision = Decision.objects.create(
            application=application,
            outcome=outcome,
            amount=amount if accepted else None,
            motivation=motivation,
            committee_date=committee_date,
            decided_by=user,
        )
        workflow.transition(application, State.ACCEPTED if accepted else State.REFUSED, user, motivation)
        if accepted:
            # transition() saves the state alone: the grant is written here, in the same transaction.
            application.amount_granted = amount
            Application.objects.filter(pk=application.pk).update(amount_granted=amount)
            create_tranches(application, amount, released_at=timezone.now())
            decision.project = atlas_project_for(application)
            decision.save(update_fields=["project"])
    return decision


def move(application, user, to_state, motivation=""):
    """A move without a form of its own (under instruction, reporting, closed, withdrawn), checked by the
    transition table; a closed dossier's Atlas project sheet becomes a finished project."""
    with transaction.atomic():
        workflow.transition(application, to_state, user, motivation)
        if (
            to_state == State.CLOSED
            and Decision.objects.filter(application=application, project__isnull=False).exists()
        ):
            atlas_project_for(application)
    return application


def withdraw(application, user, motivation=""):
    if not is_applicant(user, application):
        raise PermissionDenied
    workflow.transition(application, State.WITHDRAWN, user, motivation)
    return application


def log_event(application, user, motivation):
    """A line of the dossier's history that does not change its state (a report filed or approved)."""
    return ApplicationEvent.objects.create(
        application=application,
        user=user,
        from_state=application.state,
        to_state=application.state,
        motivation=motivation,
    )


# Reports and tranches --------------------------------------------------------------------------------------


REPORTING_STATES = (State.ACCEPTED, State.REPORTING)


def next_report(application, reports=None):
    """(kind, year) of the report the applicant files next, or None when all are filed."""
    reports = application.reports.all() if reports is None else reports
    filed = {(report.kind, report.year) for report in reports}
    years = max(1, int(application.duration_years or 1))
    for year in range(1, years):
        if (Report.Kind.INTERIM, year) not in filed:
            return Report.Kind.INTERIM, year
    if (Report.Kind.FINAL, years) not in filed:
        return Report.Kind.FINAL, years
    return None


def file_report(application, user, summary, file, request=None):
    if not is_applicant(user, application):
        raise PermissionDenied
    if application.state not in REPORTING_STATES:
        raise ValidationError(_("Reports are filed once the dossier is accepted."))
    due = next_report(application)
    if due is None:
        raise ValidationError(_("Every report of this dossier has been filed."))
    kind, year = due
    report = Report.objects.create(
        application=application, kind=kind, year=year, summary=summary, file=file, submitted_by=user
    )
    log_event(application, user, _("%(report)s filed") % {"report": report.get_kind_display()})
    transaction.on_commit(
        lambda: send_mail_template(
            "funding/instruction/mail/report_filed",
            {"application": application, "report": report, "link": dossier_link(application, request)},
            delegation_users(),
        )
    )
    return report


def delegation_users():
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=DELEGATION_GROUP))
        .distinct()
    )


def approve_report(report, user, request=None):
    """The Délégation approves a report: the tranche it releases is paid."""
    require_delegation(user)
    if report.approved_at:
        return report
    now = timezone.now()
    with transaction.atomic():
        report.approved_by, report.approved_at = user, now
        report.save(update_fields=["approved_by", "approved_at"])
        application = report.application
        tranches = application.tranches.filter(released_at__isnull=True)
        if report.kind == Report.Kind.FINAL:
            tranches = tranches.filter(released_by_kind=Report.Kind.FINAL)
        else:
            tranches = tranches.filter(released_by_kind=Report.Kind.INTERIM, released_by_year=report.year)
        tranches.update(released_at=now)
        log_event(application, user, _("%(report)s approved") % {"report": report.get_kind_display()})
    transaction.on_commit(
        lambda: notify_applicant(
            application, "funding/instruction/mail/report_approved", request, report=report
        )
    )
    return report


# The Atlas project sheet -----------------------------------------------------------------------------------


def atlas_project_for(application):
    """The Atlas project sheet of an accepted dossier, created or brought up to date: the cooperation of the
    lead authority with the dossier's foreign partner (created if the Atlas has none yet), the project with
    the dossier's title, summary, years, budget, themes and the Ministry's call as its funding framework."""
    partners = application.foreign_partners.order_by("pk")
    partner = partners.filter(country_id=application.country_id).first() or partners.first()
    if partner is None or application.lead_authority_id is None:
        return None
    cooperation, _created = Cooperation.objects.get_or_create(
        authority_id=application.lead_authority_id,
        partner=partner,
        kind=Cooperation.Kind.COOPERATION,
    )
    decision = Decision.objects.filter(application=application).first()
    project = decision.project if decision and decision.project_id else None
    if project is None:
        project = Project(cooperation=cooperation)
    start = decision.committee_date.year if decision else timezone.localdate().year
    years = max(1, int(application.duration_years or 1))
    project.cooperation = cooperation
    project.title = application.title[:255]
    project.summary = (application.summary or application.title)[:600]
    parts = (application.objectives, application.activities)
    project.description = "\n\n".join(part for part in parts if part)
    project.status = Project.Status.ONGOING if application.state != State.CLOSED else Project.Status.FINISHED
    project.start_year = start
    project.end_year = start + years - 1 if project.status == Project.Status.FINISHED else None
    project.budget = application.budget_totals().expenses or None
    project.funding_framework = Project.Framework.MEAE_CALL
    project.save()
    project.themes.add(*application.themes.all())
    return project


# Estimated time to decision --------------------------------------------------------------------------------


def estimated_days_to_decision(call, sample=500):
    """The median number of days from filing to decision of the call's decided dossiers (of every call when
    the call has none decided yet), as Démarches Simplifiées shows it: (days, of this call) or (None, False)
    without any decided dossier. One query over the latest `sample` decisions."""
    rows = list(
        Decision.objects.filter(application__filed_at__isnull=False)
        .order_by("-decided_at")
        .values_list("application__call_id", "decided_at", "application__filed_at")[:sample]
    )
    of_call = [(decided - filed).days for call_id, decided, filed in rows if call_id == call.pk]
    durations = of_call or [(decided - filed).days for _call_id, decided, filed in rows]
    if not durations:
        return None, False
    return max(0, round(statistics.median(durations))), bool(of_call)


def released_sum(tranches):
    return sum((tranche.amount for tranche in tranches if tranche.released_at), Decimal(0))


def final_reports_overdue(application):
    """The organisation's earlier accepted dossiers whose project period is over and whose final report is not
    filed: a new dossier is not eligible while one is (eligibility.FINAL_REPORTS_HOOK)."""
    today = timezone.localdate()
    earlier = (
        Application.objects.filter(
            organisation_id=application.organisation_id, state__in=REPORTING_STATES, decision__isnull=False
        )
        .exclude(pk=application.pk)
        .exclude(reports__kind=Report.Kind.FINAL)
        .select_related("decision")
    )
    return [
        dossier
        for dossier in earlier
        if dossier.decision.committee_date.replace(
            year=dossier.decision.committee_date.year + max(1, dossier.duration_years or 1)
        )
        <= today
    ]


class TrancheRules(DecisionRules):
    """Tranches are read with the dossier; only the Délégation's steps change them."""


def register_instruction_rules():
    """Called from the app's ready(): the instruction's models in the scope's vocabulary."""
    register_rules(OpinionRequest, OpinionRules())
    register_rules(Decision, DecisionRules())
    register_rules(Report, ReportRules())
    register_rules(Tranche, TrancheRules())
