"""The one mailer (portal/core/mail.py): every e-mail is rendered in its recipient's language, in the request,
and sent by a django-tasks task; no module outside portal/core talks to django.core.mail itself."""

import ast
import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django_tasks import default_task_backend
from django_tasks.signals import task_enqueued, task_finished

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Membership
from portal.core.mail import deliver_mail, send_mail_template
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory, agent_of

ROOT = Path(__file__).resolve().parents[2]
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
EXPORT_CONTEXT = {
    "sender_name": "Camille",
    "sender_email": "camille@example.org",
    "title": "Projets au Sénégal",
    "total": 2,
    "message": "",
    "link": "https://example.org/lien",
    "days": 7,
}


@pytest.fixture(autouse=True)
def site_language_after_each_test():
    # A request to /en/ leaves English active in the thread (LocaleMiddleware does not reset it): the tests
    # after this module's English requests would reverse() /en/ addresses.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def decision_context(name="Région Bretagne"):
    organisation = OrganisationFactory(name=name)
    return {"membership": MembershipFactory(organisation=organisation), "approved": True}


def test_a_decision_is_mailed_in_french_even_when_the_manager_browses_in_english(client, db, mailoutbox):
    organisation = OrganisationFactory(name="Ville de Rennes")
    manager = agent_of(organisation, role=Membership.Role.MANAGER)
    member = UserFactory()
    membership = MembershipFactory(user=member, organisation=organisation, status=Membership.Status.PENDING)
    client.force_login(manager)
    with translation.override("en"):
        url = reverse("accounts:decide", args=[membership.pk])
    assert url.startswith("/en/")
    client.post(url, {"decision": "approve"})
    [message] = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "Votre demande de rattachement à Ville de Rennes est approuvée"


def test_a_password_reset_asked_from_the_english_site_is_mailed_in_french_by_a_task(client, db, mailoutbox):
    user = UserFactory(email="connu@example.org")
    ran = []

    def on_finished(sender, task_result, **kwargs):
        ran.append(task_result.task.name)

    task_finished.connect(on_finished)
    try:
        with translation.override("en"):
            url = reverse("accounts:password_reset")
        assert url.startswith("/en/")
        client.post(url, {"email": user.email})
    finally:
        task_finished.disconnect(on_finished)
    assert ran == ["deliver_mail"]
    [message] = mailoutbox
    assert message.to == [user.email]
    assert message.subject.startswith("Choisissez un nouveau mot de passe")
    assert "/en/" not in message.body  # the link, too, is the French site's


def test_the_site_language_is_used_for_an_address_whatever_the_active_language(db, mailoutbox):
    with translation.override("en"):
        send_mail_template("accounts/emails/decision", decision_context(), "someone@example.org")
    assert mailoutbox[0].subject == "Votre demande de rattachement à Région Bretagne est approuvée"


def test_a_recipient_who_reads_english_gets_the_english_message(db, mailoutbox):
    # The user model has no language yet: a recipient carrying one stands for a future profile field.
    reader = SimpleNamespace(email="reader@example.org", language="en")
    count = send_mail_template(
        "accounts/emails/decision", decision_context(), [reader, "other@example.org", "OTHER@example.org"]
    )
    assert count == 2  # one message per address, the same address once
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects == {
        "reader@example.org": "Your request to join Région Bretagne is approved",
        "other@example.org": "Votre demande de rattachement à Région Bretagne est approuvée",
    }
    forced = send_mail_template("accounts/emails/decision", decision_context("Brest"), reader, language="fr")
    assert forced == 1
    assert "approuvée" in mailoutbox[-1].subject


def test_user_text_is_not_html_escaped_in_the_plain_text_mail(db, mailoutbox):
    context = decision_context(name='Dupont & Fils <l\'atelier> "Nord"')
    send_mail_template(
        "accounts/emails/export_link",
        {**EXPORT_CONTEXT, "message": "<b>Merci & à bientôt</b>"},
        "a@example.org",
    )
    send_mail_template("accounts/emails/decision", context, "b@example.org")
    export, decision = mailoutbox
    assert "<b>Merci & à bientôt</b>" in export.body
    assert 'Dupont & Fils <l\'atelier> "Nord"' in decision.subject
    assert 'Dupont & Fils <l\'atelier> "Nord"' in decision.body
    assert "&amp;" not in decision.subject + decision.body + export.body
    assert "&#x27;" not in decision.subject + decision.body + export.body


def test_the_message_is_sent_by_a_task_after_it_is_queued(db, mailoutbox):
    seen = []

    def on_enqueued(sender, task_result, **kwargs):
        seen.append(("enqueued", task_result.task.name, len(mail.outbox)))

    def on_finished(sender, task_result, **kwargs):
        seen.append(("finished", task_result.task.name, task_result.status, len(mail.outbox)))

    task_enqueued.connect(on_enqueued)
    task_finished.connect(on_finished)
    try:
        send_mail_template(
            "accounts/emails/export_link", EXPORT_CONTEXT, "a@example.org", reply_to="c@example.org"
        )
    finally:
        task_enqueued.disconnect(on_enqueued)
        task_finished.disconnect(on_finished)
    assert seen == [("enqueued", "deliver_mail", 0), ("finished", "deliver_mail", "SUCCESSFUL", 1)]
    assert mailoutbox[0].reply_to == ["c@example.org"]


def test_with_a_queue_nothing_is_sent_until_the_worker_runs_the_task(db, settings, mailoutbox):
    settings.TASKS = DUMMY_TASKS
    send_mail_template("accounts/emails/decision", decision_context(), UserFactory(email="m@example.org"))
    assert mailoutbox == []
    [queued] = mail_tasks()
    assert queued.task.name == "deliver_mail"
    # Only strings reach the queue: the database backend stores the arguments as JSON.
    assert json.loads(json.dumps([queued.args, queued.kwargs])) == [list(queued.args), queued.kwargs]
    queued.task.call(*queued.args, **queued.kwargs)
    assert [message.to for message in mailoutbox] == [["m@example.org"]]
    assert "approuvée" in mailoutbox[0].subject


def mail_tasks():
    return [result for result in default_task_backend.results if result.task.name == "deliver_mail"]


@pytest.fixture
def unreachable_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2


def test_a_failed_sending_is_tried_again_later_and_logged(db, settings, unreachable_mail_server, caplog):
    settings.TASKS = DUMMY_TASKS
    caplog.set_level(logging.WARNING, logger="portal.core.mail")
    arguments = {
        "subject": "Objet",
        "body": "Corps",
        "to": "x@example.org",
        "template": "accounts/emails/decision",
    }
    assert deliver_mail.call(**arguments) is False
    [retry] = mail_tasks()
    assert retry.kwargs["attempt"] == 2
    assert retry.task.run_after is not None
    assert "x@example.org" in caplog.text
    assert "accounts/emails/decision" in caplog.text


def test_a_page_survives_a_mail_server_that_is_down_and_the_failure_is_logged(
    client, db, unreachable_mail_server, caplog
):
    # The immediate backend (development, tests) cannot defer a new attempt: it gives up and logs.
    caplog.set_level(logging.ERROR, logger="portal.core.mail")
    organisation = OrganisationFactory()
    manager = agent_of(organisation, role=Membership.Role.MANAGER)
    membership = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    client.force_login(manager)
    response = client.post(reverse("accounts:decide", args=[membership.pk]), {"decision": "approve"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.user.email in caplog.text
    assert "accounts/emails/decision" in caplog.text


# No module sends e-mail but the mailer ---------------------------------------------------------------------

SCANNED = ("atlas", "portal", "pages", "tourism", "search")
# Attributes of django.core.mail (get_connection is left out: caches have one too).
MAIL_ATTRIBUTES = {"send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}
MAIL_NAMES = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}
# Mail sent by Django or Wagtail code that the portal only configures, not by a call of ours:
# - the password reset view (django.contrib.auth's PasswordResetView, portal/accounts/urls.py) is given the
#   names of its templates; its form (accounts.forms.MailerPasswordResetForm) sends through the mailer;
# - the contact form (pages.models.ContactPage, Wagtail's AbstractEmailForm) and Wagtail's moderation
#   notifiers (tourism/moderation.py) send through wagtail.admin.mail.
ALLOWED_TEMPLATE_NAMES = {("portal/accounts/urls.py", "accounts/emails/password_reset_subject.txt")}


def mail_uses(path, relative):
    """(line, what) for each use of django.core.mail's sending API, or of a subject template, in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in MAIL_NAMES | {"*"}]
        elif isinstance(node, ast.ImportFrom) and node.module == "django.core":
            found += [(node.lineno, "django.core.mail") for alias in node.names if alias.name == "mail"]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name) for alias in node.names if alias.name.startswith("django.core.mail")
            ]
        elif isinstance(node, ast.Attribute) and node.attr in MAIL_ATTRIBUTES:
            found.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "send_mail"
        ):
            found.append((node.lineno, "send_mail"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "/" in node.value  # a template's path, not the suffix the mailer's callers share
            and node.value.endswith("_subject.txt")
            and (relative, node.value) not in ALLOWED_TEMPLATE_NAMES
        ):
            found.append((node.lineno, node.value))
    return found


def test_only_the_mailer_sends_e_mail():
    offenders = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith("portal/core/") or "/migrations/" in relative:
                continue
            offenders += [f"{relative}:{line} {what}" for line, what in mail_uses(path, relative)]
    assert offenders == [], "send e-mail through portal.core.mail.send_mail_template"


def test_the_scan_sees_a_direct_sending(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(
        "from django.core.mail import send_mail\n"
        "from django.core import mail\n"
        "render_to_string('x/emails/y_subject.txt')\n"
        "mail.send_mass_mail([])\n"
        "self.send_mail('a', 'b', None, ['c'])\n"
    )
    assert sorted(what for _line, what in mail_uses(module, "atlas/probe.py")) == [
        "django.core.mail",
        "send_mail",
        "send_mail",
        "send_mass_mail",
        "x/emails/y_subject.txt",
    ]
