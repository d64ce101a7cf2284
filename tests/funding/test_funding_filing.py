"""Filing a dossier: the eligibility rules, each explained, and the one state machine that files it."""

import datetime

import pytest

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.funding.eligibility import check_eligibility
from portal.funding.models import Application, ApplicationEvent, Attachment, Call, DocumentKind
from portal.funding.workflow import TransitionRefused, transition
from tests.accounts.factories import UserFactory, agent_of
from tests.atlas.factories import AuthorityFactory

from .factories import ApplicationFactory, complete, file_aid

State = Application.State


def attach(application, kind=DocumentKind.DELIBERATION):
    from django.core.files.base import ContentFile

    return Attachment.objects.create(
        application=application,
        kind=kind,
        file=ContentFile(b"%PDF-1.4 deliberation", name="deliberation.pdf"),
        original_name="deliberation.pdf",
        content_type="application/pdf",
        size=21,
    )


@pytest.fixture
def eligible(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    application = complete(ApplicationFactory())
    file_aid(application.lead_authority)
    attach(application)
    return application


def plain(text):
    """The text with its non-breaking spaces (thousands, before units) as plain ones."""
    return str(text).replace("\xa0", " ").replace("\u202f", " ")


def failing(application):
    return {rule.code: plain(rule.explanation) for rule in check_eligibility(application).failed}


def test_a_complete_dossier_passes_every_rule_each_explained(eligible):
    report = check_eligibility(eligible)
    assert report.passed, failing(eligible)
    codes = [rule.code for rule in report.rules]
    assert codes == [
        "call_open",
        "complete",
        "aid_declaration",
        "final_reports",
        "balanced",
        "requested",
        "own_share",
        "in_kind",
        "documents",
    ]
    texts = {rule.code: plain(rule.explanation) for rule in report.rules}
    # 20 000 € requested of a 50 000 € budget: 40 %, within the call's 50 %.
    assert "40,00 %" in texts["requested"]
    assert "50,00 %" in texts["requested"]


def test_own_share_too_low_is_explained_with_the_amount_needed(eligible):
    # 2 000 € own funds + 1 000 € in kind = 3 000 € of a 50 000 € budget: 6 %, below the call's 10 %.
    eligible.budget_lines.filter(category="own_funds").update(amount=2000)
    eligible.budget_lines.filter(category="in_kind").update(amount=1000)
    eligible.budget_lines.filter(category="other_funder").update(amount=27000)
    reasons = failing(eligible)
    assert set(reasons) == {"own_share"}
    assert "6,00 %" in reasons["own_share"]
    assert "10,00 %" in reasons["own_share"]
    # The amount that would meet the rule: 10 % of 50 000 €.
    assert "5 000,00 €" in reasons["own_share"]


def test_requested_above_the_calls_share_and_in_kind_above_half_fail(eligible):
    eligible.budget_lines.filter(category="requested").update(amount=30000)
    eligible.budget_lines.filter(category="other_funder").update(amount=0)
    assert "requested" in failing(eligible)
    eligible.budget_lines.filter(category="requested").update(amount=20000)
    eligible.budget_lines.filter(category="other_funder").update(amount=10000)
    eligible.budget_lines.filter(category="own_funds").update(amount=4000)
    eligible.budget_lines.filter(category="in_kind").update(amount=16000)
    assert set(failing(eligible)) == {"in_kind"}


def test_missing_aid_declaration_documents_and_closed_call_fail(eligible):
    eligible.attachments.all().delete()
    eligible.lead_authority.aid_declarations.all().delete()
    Call.objects.filter(pk=eligible.call_id).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    eligible.refresh_from_db()
    reasons = failing(eligible)
    assert set(reasons) == {"call_open", "aid_declaration", "documents"}


def test_an_unbalanced_budget_and_an_incomplete_dossier_fail(db):
    application = ApplicationFactory()
    file_aid(application.lead_authority)
    reasons = failing(application)
    assert {"complete", "budget", "documents"} <= set(reasons)


def test_turnkey_programmes_need_three_french_authorities(eligible):
    from portal.funding.models import FrenchPartner

    Call.objects.filter(pk=eligible.call_id).update(kind=Call.Kind.TURNKEY)
    eligible.refresh_from_db()
    assert "turnkey" in failing(eligible)
    for _ in range(2):
        FrenchPartner.objects.create(application=eligible, authority=AuthorityFactory())
    assert "turnkey" not in failing(eligible)


def test_filing_logs_the_event_stores_the_receipt_and_mails_every_agent(
    eligible, django_capture_on_commit_callbacks
):
    agent = agent_of(eligible.organisation)
    colleague = agent_of(eligible.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        transition(eligible, State.FILED, agent)
    eligible.refresh_from_db()
    assert eligible.state == State.FILED
    assert eligible.filed_at is not None
    assert eligible.receipt.read(5) == b"%PDF-"
    event = ApplicationEvent.objects.get(application=eligible)
    assert (event.user, event.from_state, event.to_state) == (agent, State.DRAFT, State.FILED)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([agent.email, colleague.email])
    assert eligible.title in mail.outbox[0].subject


def test_filing_an_ineligible_dossier_changes_nothing(eligible):
    agent = agent_of(eligible.organisation)
    eligible.attachments.all().delete()
    with pytest.raises(TransitionRefused) as refused:
        transition(eligible, State.FILED, agent)
    assert refused.value.eligibility.failed[0].code == "documents"
    eligible.refresh_from_db()
    assert eligible.state == State.DRAFT
    assert not eligible.events.exists()
    assert not mail.outbox


def test_only_the_organisations_agents_and_the_delegation_file(eligible):
    outsider = agent_of(ApplicationFactory().organisation)
    with pytest.raises(PermissionDenied):
        transition(eligible, State.FILED, outsider)
    with pytest.raises(PermissionDenied):
        transition(eligible, State.FILED, UserFactory())
    eligible.refresh_from_db()
    assert eligible.state == State.DRAFT
    transition(eligible, State.FILED, UserFactory(is_superuser=True))
    assert eligible.state == State.FILED


def test_a_move_outside_the_table_is_refused(eligible):
    with pytest.raises(TransitionRefused):
        transition(eligible, State.ACCEPTED, UserFactory(is_superuser=True))
    eligible.refresh_from_db()
    assert eligible.state == State.DRAFT
