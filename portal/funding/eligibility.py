"""Whether a dossier may be filed: each rule of the call checked on the server and explained in plain words.

`check_eligibility(application)` returns every rule with its outcome, so the applicant sees all that passes
and all that fails at once, each on its own line, rather than one error at a time. The filing transition
(workflow.py) refuses a dossier that fails any rule.

Earlier grants' final reports: the instruction side registers a Wagtail hook FINAL_REPORTS_HOOK, a function
(application) -> iterable of the organisation's earlier dossiers whose final report is due and not filed.
Without such a hook no final report is due.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from atlas.aid.models import AidDeclaration

from .models import Call, DocumentKind

FINAL_REPORTS_HOOK = "funding_final_reports_due"
# What a dossier needs before it is filed, besides its budget and its documents.
REQUIRED_FIELDS = ("title", "summary", "objectives", "activities", "country", "duration_years")


@dataclass
class Rule:
    code: str
    passed: bool
    explanation: str


@dataclass
class Eligibility:
    rules: list

    @property
    def passed(self):
        return all(rule.passed for rule in self.rules)

    @property
    def failed(self):
        return [rule for rule in self.rules if not rule.passed]


def euros(amount):
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def percent(value):
    return f"{formats.number_format(value, 2, use_l10n=True)} %"


def paris_datetime(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def aid_declaration_filed(authority, year):
    """Whether the authority has filed its development-aid declaration (e-APD) for that year."""
    return AidDeclaration.objects.filter(authority=authority, year=year, status="filed").exists()


def final_reports_due(application):
    """The organisation's earlier dossiers whose final report is due and not filed (FINAL_REPORTS_HOOK)."""
    due = []
    for hook in hooks.get_hooks(FINAL_REPORTS_HOOK):
        due.extend(hook(application))
    return due


def call_open_rule(call, now):
    if call.is_open(now):
        return Rule(
            "call_open",
            True,
            _("The call is open until %(date)s (Paris time).") % {"date": paris_datetime(call.closes_at)},
        )
    if call.is_upcoming(now):
        message = _("The call is not open yet: it opens on %(date)s (Paris time).")
        return Rule("call_open", False, message % {"date": paris_datetime(call.opens_at)})
    message = _("The call closed on %(date)s (Paris time): dossiers can no longer be filed.")
    return Rule("call_open", False, message % {"date": paris_datetime(call.closes_at)})


def completeness_rule(application):
    missing = [
        str(application._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if getattr(application, name) in (None, "")
    ]
    if not application.foreign_partners.exists():
        missing.append(str(application._meta.get_field("foreign_partners").verbose_name))
    if missing:
        return Rule(
            "complete",
            False,
            _("The dossier is incomplete. Still to fill in: %(fields)s.") % {"fields": ", ".join(missing)},
        )
    return Rule("complete", True, _("Every section of the dossier is filled in."))


def country_rule(application, call):
    eligible = set(call.eligible_countries.values_list("pk", flat=True))
    if not eligible or application.country_id is None:
        return None
    if application.country_id in eligible:
        return Rule(
            "country", True, _("%(country)s is eligible for this call.") % {"country": application.country}
        )
    return Rule(
        "country",
        False,
        _("%(country)s is not among the countries eligible for this call.")
        % {"country": application.country},
    )


def themes_rule(application, call):
    eligible = set(call.eligible_themes.values_list("pk", flat=True))
    if not eligible:
        return None
    chosen = set(application.themes.values_list("pk", flat=True))
    if chosen & eligible:
        return Rule("themes", True, _("The dossier works on a theme of this call."))
    return Rule(
        "themes",
        False,
        _("Choose at least one of the call's themes: %(themes)s.")
        % {"themes": ", ".join(str(theme) for theme in call.eligible_themes.all())},
    )


def turnkey_rule(application, call):
    if call.kind != Call.Kind.TURNKEY:
        return None
    count = 1 + application.french_partners.exclude(pk=application.lead_authority_id).count()
    minimum = Call.TURNKEY_MIN_AUTHORITIES
    if count >= minimum:
        return Rule(
            "turnkey", True, _("The programme gathers %(count)s French authorities.") % {"count": count}
        )
    return Rule(
        "turnkey",
        False,
        _(
            "A turnkey programme is run by at least %(minimum)s French authorities: this dossier names "
            "%(count)s. Add French partner authorities."
        )
        % {"minimum": minimum, "count": count},
    )


def aid_rule(application, year):
    authority = application.lead_authority
    if aid_declaration_filed(authority, year):
        return Rule(
            "aid_declaration",
            True,
            _("%(authority)s filed its development-aid declaration (e-APD) for %(year)s.")
            % {"authority": authority, "year": year},
        )
    return Rule(
        "aid_declaration",
        False,
        _(
            "%(authority)s has not filed its development-aid declaration (e-APD) for %(year)s: file it first "
            "(menu “Development aid (e-APD)”)."
        )
        % {"authority": authority, "year": year},
    )


def reports_rule(application):
    due = final_reports_due(application)
    if due:
        return Rule(
            "final_reports",
            False,
            _("The final report of an earlier grant is still to be filed: %(dossiers)s.")
            % {"dossiers": ", ".join(f"« {dossier} »" for dossier in due)},
        )
    return Rule("final_reports", True, _("No final report of an earlier grant is overdue."))


def budget_rules(totals, call):
    """The budget is balanced; requested ≤ the call's maximum share; own share ≥ its minimum; in-kind ≤ its
    part of the own share. Shares are of the total budget (the expenses)."""
    if not totals.expenses:
        return [Rule("budget", False, _("The budget has no expenses yet: fill in the budget table."))]
    rules = []
    if totals.balanced:
        rules.append(
            Rule(
                "balanced",
                True,
                _("The budget is balanced: %(amount)s of expenses and of resources.")
                % {"amount": euros(totals.expenses)},
            )
        )
    else:
        rules.append(
            Rule(
                "balanced",
                False,
                _(
                    "The budget is not balanced: %(expenses)s of expenses for %(resources)s of resources. "
                    "Resources must equal expenses."
                )
                % {"expenses": euros(totals.expenses), "resources": euros(totals.resources)},
            )
        )
    requested_share = totals.share(totals.requested)
    values = {
        "amount": euros(totals.requested),
        "share": percent(requested_share),
        "budget": euros(totals.expenses),
        "maximum": percent(call.max_requested_share),
    }
    if totals.requested <= 0:
        rules.append(Rule("requested", False, _("Enter the co-financing requested from the Ministry.")))
    elif requested_share <= call.max_requested_share:
        rules.append(
            Rule(
                "requested",
                True,
                _(
                    "Co-financing requested: %(amount)s, %(share)s of the budget of %(budget)s "
                    "(at most %(maximum)s)."
                )
                % values,
            )
        )
    else:
        rules.append(
            Rule(
                "requested",
                False,
                _(
                    "The co-financing requested, %(amount)s, is %(share)s of the budget of %(budget)s: "
                    "the call funds at most %(maximum)s."
                )
                % values,
            )
        )
    own_share = totals.share(totals.own_share)
    values = {
        "amount": euros(totals.own_share),
        "share": percent(own_share),
        "minimum": percent(call.min_own_share),
        "needed": euros((totals.expenses * call.min_own_share / 100).quantize(Decimal("0.01"))),
    }
    if own_share >= call.min_own_share:
        rules.append(
            Rule(
                "own_share",
                True,
                _(
                    "Your own share (own funds and in-kind): %(amount)s, %(share)s of the budget "
                    "(at least %(minimum)s)."
                )
                % values,
            )
        )
    else:
        rules.append(
            Rule(
                "own_share",
                False,
                _(
                    "Your own share (own funds and in-kind) is too low: %(amount)s, %(share)s of the budget; "
                    "the call asks for at least %(minimum)s, that is %(needed)s."
                )
                % values,
            )
        )
    if totals.in_kind:
        limit = (totals.own_share * call.max_in_kind_share / 100).quantize(Decimal("0.01"))
        values = {
            "amount": euros(totals.in_kind),
            "limit": euros(limit),
            "maximum": percent(call.max_in_kind_share),
        }
        if totals.in_kind <= limit:
            rules.append(
                Rule(
                    "in_kind",
                    True,
                    _("In-kind contributions: %(amount)s, within %(maximum)s of your own share (%(limit)s).")
                    % values,
                )
            )
        else:
            rules.append(
                Rule(
                    "in_kind",
                    False,
                    _(
                        "In-kind contributions, %(amount)s, exceed %(maximum)s of your own share "
                        "(%(limit)s): raise your own funds or lower the in-kind part."
                    )
                    % values,
                )
            )
    return rules


def documents_rule(application, call):
    if not call.required_documents:
        return None
    present = set(application.attachments.values_list("kind", flat=True))
    labels = dict(DocumentKind.choices)
    missing = [str(labels.get(kind, kind)) for kind in call.required_documents if kind not in present]
    if missing:
        return Rule(
            "documents",
            False,
            _("Documents still to attach: %(documents)s.") % {"documents": ", ".join(missing)},
        )
    return Rule("documents", True, _("Every document the call requires is attached."))


def check_eligibility(application, now=None):
    """Every rule of the call for this dossier, in the order a person reads them."""
    now = now or timezone.now()
    call = application.call
    totals = application.budget_totals()
    last_year = timezone.localtime(now).year - 1
    rules = [
        call_open_rule(call, now),
        completeness_rule(application),
        country_rule(application, call),
        themes_rule(application, call),
        turnkey_rule(application, call),
        aid_rule(application, last_year),
        reports_rule(application),
        *budget_rules(totals, call),
        documents_rule(application, call),
    ]
    return Eligibility([rule for rule in rules if rule is not None])
