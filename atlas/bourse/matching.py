"""What members do with the Bourse-projets beyond reading it: express interest, put in touch, conclude a
partnership (the Bourse project becomes an Atlas cooperation and project sheet), suggestions and alerts.

Views, the alert task and the template tags call these; every permission is checked here, on the server,
and a refusal raises before anything is written or sent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atlas.models import Cooperation, Project
from portal.accounts.models import Membership
from portal.accounts.scope import DELEGATION_GROUP, scope_for
from portal.core.links import absolute
from portal.core.mail import send_mail_template
from portal.core.subpages import PLACEHOLDER

from . import links
from .models import BourseAlert, BourseInterest, BourseProject

SUGGESTIONS = 10
SEEKING = (BourseProject.Status.OPEN, BourseProject.Status.IN_DISCUSSION)
# An alert is due once a day. The daily run starts a few seconds earlier or later from one day to the next:
# an hour of margin keeps a run from skipping an alert sent 23 h 59 min earlier, and still never sends two
# mails the same day.
ALERT_PERIOD = timedelta(hours=24)
ALERT_MARGIN = timedelta(hours=1)


# Addresses and links ---------------------------------------------------------------------------------------


# links.py is the one way to address the Bourse page and its routes; these return paths, which
# `absolute()` (portal/core/links.py) turns into e-mail links, with or without a request.


def bourse_url(request=None):
    """The Bourse page's address, or the home page when there is no live Bourse page."""
    page = links.live_bourse(request)
    return (page.get_url(request) if page else "") or "/"


def project_url(project, request=None):
    """The public page of a Bourse project, or the home page when there is no live Bourse page."""
    return links.bourse_url("project", project.pk, request=request) or "/"


def project_links(projects):
    """Absolute links to these projects' pages, for an e-mail: the Bourse page is looked up once, even
    without a request (the daily alerts run from a command)."""
    template = links.bourse_url("project", PLACEHOLDER)
    return [
        absolute(template.replace(PLACEHOLDER, str(project.pk)) if template else "/") for project in projects
    ]


def delegation_admins():
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=DELEGATION_GROUP), is_active=True)
        .exclude(email="")
    )


def embassy_agents(project):
    if not project.embassy_id:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.approved().filter(organisation_id=project.embassy_id).values("user_id"),
            is_active=True,
        )
        .exclude(email="")
    )


# Interest --------------------------------------------------------------------------------------------------


def may_express_interest(user):
    return bool(scope_for(user).authority_ids)


def already_interested(project, authority):
    return BourseInterest.objects.filter(project=project, authority=authority).exists()


def duplicate_message(authority):
    return _("%(authority)s has already expressed its interest in this project.") % {"authority": authority}


def express_interest(user, project, authority, message, request=None):
    """Records the interest of one of the user's authorities and tells the embassy and the Délégation."""
    if authority.pk not in scope_for(user).authority_ids:
        raise PermissionDenied
    if not BourseProject.objects.visible().filter(pk=project.pk).exists():
        raise PermissionDenied
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Please write a message to the embassy."))
    if len(message) > 2000:
        raise ValidationError(_("The message cannot be longer than 2,000 characters."))
    try:
        with transaction.atomic():
            interest = BourseInterest.objects.create(
                project=project, authority=authority, user=user, message=message
            )
    except IntegrityError as error:
        raise ValidationError(duplicate_message(authority)) from error
    recipients = {u.email: u for u in embassy_agents(project)}
    recipients.update({u.email: u for u in delegation_admins()})
    context = {"interest": interest, "project": project, "link": absolute(manage_url(), request)}
    send_mail_template("bourse/mail/interest", context, [recipients[email] for email in sorted(recipients)])
    return interest


# The embassy's side ----------------------------------------------------------------------------------------


def manage_url():
    return reverse("accounts:bourse_projects")


def managed_projects(user):
    """The Bourse projects a user answers for: their embassy's countries, or all for the Délégation."""
    return scope_for(user).editable(BourseProject)


def managed_interests(user):
    return BourseInterest.objects.filter(project__in=managed_projects(user).values("pk"))


def check_manages(user, interest):
    if not managed_projects(user).filter(pk=interest.project_id).exists():
        raise PermissionDenied


def put_in_touch(user, interest, request=None):
    """Gives the interested agent and the embassy agent each other's contact; False if done already."""
    check_manages(user, interest)
    if interest.put_in_touch_at:
        return False
    interest.put_in_touch_at = timezone.now()
    interest.save(update_fields=["put_in_touch_at"])
    project = interest.project
    if interest.user and interest.user.email:
        send_mail_template(
            "bourse/mail/contact",
            {"interest": interest, "project": project, "recipient": interest.user, "contact": user},
            interest.user,
        )
    if user.email:
        send_mail_template(
            "bourse/mail/contact",
            {
                "interest": interest,
                "project": project,
                "recipient": user,
                "contact": interest.user,
                "for_embassy": True,
            },
            user,
        )
    return True


@transaction.atomic
def convert_to_cooperation(user, interest):
    """The partnership is formed: the Bourse project becomes an Atlas cooperation and project sheet.

    The cooperation between the authority and the partner is reused when there is one (an external action is
    turned into a cooperation). The Bourse project leaves the public list, with a revision (published if the
    project was live) so that its history records who concluded it."""
    check_manages(user, interest)
    project = BourseProject.objects.select_for_update().get(pk=interest.project_id)
    if project.status in (BourseProject.Status.PARTNERED, BourseProject.Status.CLOSED):
        raise ValidationError(_("This Bourse project is no longer seeking a partner."))
    cooperation = (
        Cooperation.objects.filter(authority_id=interest.authority_id, partner_id=project.partner_id)
        .order_by("kind")  # "cooperation" before "external_action"
        .first()
    )
    year = timezone.localdate().year
    if cooperation is None:
        cooperation = Cooperation.objects.create(
            authority_id=interest.authority_id,
            partner_id=project.partner_id,
            kind=Cooperation.Kind.COOPERATION,
            since_year=year,
        )
    elif cooperation.kind != Cooperation.Kind.COOPERATION:
        cooperation.convert_to_cooperation()
    sheet = Project.objects.create(
        cooperation=cooperation,
        title=project.title,
        summary=project.summary,
        description=project.description,
        status=Project.Status.ONGOING,
        start_year=year,
        budget=project.budget,
    )
    sheet.themes.set(project.themes.all())
    was_live = project.live
    project.status = BourseProject.Status.PARTNERED
    project.cooperation = cooperation
    project.save()
    revision = project.save_revision(user=user, log_action=True)
    if was_live:
        # Who may conclude was checked above; Wagtail's publish permission is the admin's, not theirs.
        revision.publish(user=user, skip_permission_checks=True)
    return sheet


# Suggestions -----------------------------------------------------------------------------------------------


def suggestions_for(authority_ids):
    """Visible Bourse projects in the countries where these authorities cooperate, or on the themes of their
    projects: most recent first, at most ten, in one query."""
    authority_ids = list(authority_ids or ())
    if not authority_ids:
        return BourseProject.objects.none()
    countries = Cooperation.objects.filter(authority_id__in=authority_ids).values("partner__country_id")
    themes = Project.themes.through.objects.filter(
        project__cooperation__authority_id__in=authority_ids
    ).values("theme_id")
    on_themes = BourseProject.themes.through.objects.filter(theme_id__in=themes).values("bourseproject_id")
    return (
        BourseProject.objects.visible()
        .filter(Q(country_id__in=countries) | Q(pk__in=on_themes))
        .select_related("country", "partner")
        .order_by("-first_published_at", "-created_at", "-pk")[:SUGGESTIONS]
    )


# Alerts ----------------------------------------------------------------------------------------------------


def alert_criteria(alert):
    """The alert's criteria: {"country": slug or "", "theme": slug or ""}."""
    query = QueryDict(alert.query_string)
    return {"country": query.get("country", ""), "theme": query.get("theme", "")}


def matching_projects(alert, since):
    """The visible Bourse projects first published after `since` that match the alert's criteria."""
    criteria = alert_criteria(alert)
    projects = BourseProject.objects.visible().filter(first_published_at__gt=since)
    if criteria["country"]:
        projects = projects.filter(country__slug=criteria["country"])
    if criteria["theme"]:
        projects = projects.filter(pk__in=BourseProject.objects.filter(themes__slug=criteria["theme"]))
    return projects.select_related("country", "partner").order_by("first_published_at", "pk")


def due_alerts(now=None):
    cutoff = (now or timezone.now()) - ALERT_PERIOD + ALERT_MARGIN
    return BourseAlert.objects.filter(Q(last_sent_at=None) | Q(last_sent_at__lt=cutoff)).filter(
        user__is_active=True
    )


def send_alert(alert_id):
    """Mails an alert's new matches, at most once a day; returns the number of projects sent."""
    now = timezone.now()
    alert = due_alerts(now).select_related("user").filter(pk=alert_id).first()
    if alert is None:
        return 0
    # Claimed first, so that two workers running the same alert send one mail.
    claimed = BourseAlert.objects.filter(pk=alert.pk, last_sent_at=alert.last_sent_at).update(
        last_sent_at=now
    )
    if not claimed:
        return 0
    projects = list(matching_projects(alert, alert.last_sent_at or alert.created_at))
    if projects and alert.user.email:
        context = {
            "alert": alert,
            "projects": list(zip(projects, project_links(projects), strict=True)),
            "alerts_link": absolute(reverse("accounts:bourse_alerts")),
        }
        send_mail_template("bourse/mail/alert", context, alert.user)
    return len(projects)
