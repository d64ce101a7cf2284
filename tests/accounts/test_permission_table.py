"""Who may do what in the admin, for every model it shows and every chooser: one table, tried through URLs.

TABLE says, for each model and role, which actions are allowed; every other action of the table's vocabulary
is refused. An allowed action opens (200); a refused one is refused (redirect to the login or the dashboard,
403 or 404) and, when it would write, a POST with a valid form leaves nothing changed: no row, no revision,
no log entry. A model registered in the admin and missing from the table fails
`test_every_admin_model_is_in_the_table`.

Actions: list, add, edit:own, edit:other, delete:own, delete:other, choose:own, choose:other (the chooser
lists the record when searched for, and its chosen/ URL returns it). "own" is the record of the organisations
of the world below (Rennes, the embassy in Senegal, a Senegalese partner); "other" that of Lyon and Mali.
"""

from datetime import UTC, datetime

import pytest

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.forms.models import BaseModelFormSet
from django.urls import NoReverseMatch, reverse

from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from atlas.aid.models import AidWindow
from atlas.bourse.models import BourseContactRequest, BourseProject
from atlas.models import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartnerAuthority,
    Project,
    Theme,
)
from pages.translation import TRANSLATOR_GROUP
from pages.workflow import COMMUNICATION_GROUP, ensure_editorial_workflow
from portal.accounts.models import Membership, Organisation
from portal.accounts.scope import DELEGATION_GROUP
from portal.funding.models import Application, Call
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import (
    BourseProjectFactory,
    ContactFactory,
    CooperationFactory,
    NetworkFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
    ThemeFactory,
)
from tests.pages.factories import HomePageFactory, RubricPageFactory
from tests.tourism.factories import (
    ExperienceCommentFactory,
    ExperienceIndexPageFactory,
    ExperiencePageFactory,
    TourismHomePageFactory,
    TourismThemeFactory,
)
from tourism.models import ExperienceComment, ExperiencePage, TourismTheme
from tourism.moderation import MODERATORS_GROUP, ensure_tourism_workflow

ROLES = [
    "anonymous",
    "member",
    "authority_agent",
    "embassy_agent",
    "prefecture_agent",
    "ministry_agent",
    "tourism_moderator",
    "communication_officer",
    "translator",
    "delegation_admin",
]
EVERYTHING = {
    "list",
    "add",
    "edit:own",
    "edit:other",
    "delete:own",
    "delete:other",
    "choose:own",
    "choose:other",
}
CHOOSE_ALL = {"choose:own", "choose:other"}
# Page editors link any published Atlas record from their pages (authorities, projects, countries).
PAGE_EDITORS = {"tourism_moderator": CHOOSE_ALL, "communication_officer": CHOOSE_ALL}
# Reference lists (themes, networks) are public: every admin user may pick them.
ADMIN_USERS = [role for role in ROLES if role not in ("anonymous", "member")]

TABLE = {
    Authority: {
        "authority_agent": {"list", "edit:own", "choose:own"},
        "embassy_agent": CHOOSE_ALL,
        **PAGE_EDITORS,
        "delegation_admin": EVERYTHING,
    },
    Contact: {
        "authority_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "delegation_admin": EVERYTHING,
    },
    Cooperation: {
        "authority_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "embassy_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "delegation_admin": EVERYTHING,
    },
    Project: {
        "authority_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "embassy_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        **PAGE_EDITORS,
        "delegation_admin": EVERYTHING,
    },
    PartnerAuthority: {
        # Authority agents record their new partners anywhere (their listing, empty, leads to "add"); the
        # partners are then the embassies' to edit.
        "authority_agent": {"list", "add", "choose:own", "choose:other"},
        "embassy_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "delegation_admin": EVERYTHING,
    },
    Country: {
        # Countries a partner may be placed in: any for authority agents, the embassy's own for embassies.
        "authority_agent": CHOOSE_ALL,
        "embassy_agent": {"choose:own"},
        **PAGE_EDITORS,
        "delegation_admin": EVERYTHING,
    },
    Theme: {**dict.fromkeys(ADMIN_USERS, CHOOSE_ALL), "delegation_admin": EVERYTHING},
    Network: {**dict.fromkeys(ADMIN_USERS, CHOOSE_ALL), "delegation_admin": EVERYTHING},
    # The e-APD's windows are the Délégation's to set; the declarations have their own views and their own
    # table (tests/aid/test_aid_roles.py).
    AidWindow: {"delegation_admin": EVERYTHING},
    BourseProject: {
        # "own": a draft of the embassy in Senegal; "other": a draft of the embassy in Mali.
        "embassy_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "delegation_admin": EVERYTHING,
    },
    BourseContactRequest: {
        # Visitors' requests ("own": about a project in Senegal, "other": in Mali) are read by the embassy of
        # the project's country; written on the site, never added or changed by an embassy.
        "embassy_agent": {"list", "choose:own"},
        "delegation_admin": EVERYTHING,
    },
    TourismTheme: {
        # Moderators and the Délégation keep the list of themes; nobody deletes one (pages point to them).
        **dict.fromkeys(ADMIN_USERS, CHOOSE_ALL),
        "tourism_moderator": {"list", "add", "edit:own", "edit:other", *CHOOSE_ALL},
        "delegation_admin": {"list", "add", "edit:own", "edit:other", *CHOOSE_ALL},
    },
    ExperienceComment: {
        # Comments are written on the site: in the admin a moderator only shows or hides them.
        "tourism_moderator": {"list", "edit:own", "edit:other"},
        "delegation_admin": {"list", "edit:own", "edit:other"},
    },
    Organisation: {
        "delegation_admin": {"list", "add", "edit:own", "edit:other", "delete:own", "delete:other"}
    },
    # A membership changes only through a decision (services.decide), never through a generic form.
    Membership: {"delegation_admin": {"list"}},
    # "My dossiers": an authority's agents start, edit and discard their drafts ("own": Rennes's, "other":
    # Lyon's); the Délégation files none but edits and deletes any. The follow-up pages have their own tables
    # (tests/funding/test_funding_roles.py, test_instruction_roles.py).
    Application: {
        "authority_agent": {"list", "add", "edit:own", "delete:own", "choose:own"},
        "delegation_admin": {"list", "edit:own", "edit:other", "delete:own", "delete:other", *CHOOSE_ALL},
    },
    Call: {"delegation_admin": {"list", "add", "edit:own", "edit:other", "delete:own", "delete:other"}},
    ExperiencePage: {
        # A member's draft experience ("other"; "own" is a published one): only moderators open or pick the
        # draft. Published pages are offered by the page chooser to anyone in the admin.
        **{role: {"choose:own"} for role in ADMIN_USERS},
        "tourism_moderator": {"edit:own", "edit:other", "choose:own", "choose:other"},
    },
}

# The portal's apps: Wagtail's own models (images, documents, users, groups) follow Wagtail's permissions.
OUR_APPS = {
    "atlas",
    "tourism",
    "pages",
    "accounts",
    "portal",
    "search",
    "funding",
    "aid",
    "bourse",
    "campaigns",
}


# The world --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def group_member(name):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def build_world():
    senegal, mali = Country.objects.get(code="SN"), Country.objects.get(code="ML")
    rennes, lyon = OrganisationFactory(name="Ville de Rennes"), OrganisationFactory(name="Ville de Lyon")
    embassy = EmbassyFactory(name="Ambassade au Sénégal", countries=[senegal])
    mali_embassy = EmbassyFactory(name="Ambassade au Mali", countries=[mali])
    our_partner = PartnerAuthorityFactory(name="Commune de Ziguinchor", country=senegal)
    their_partner = PartnerAuthorityFactory(name="Commune de Ségou", country=mali)
    our_cooperation = CooperationFactory(authority=rennes.authority, partner=our_partner)
    their_cooperation = CooperationFactory(authority=lyon.authority, partner=their_partner)

    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="accueil-table")
    rubric = RubricPageFactory(parent=home, slug="rubrique-table")
    ensure_editorial_workflow(apps, rubric.pk)
    tourism_home = TourismHomePageFactory(parent=home, slug="tourisme-table")
    ensure_tourism_workflow(apps, tourism_home.pk)
    experiences = ExperienceIndexPageFactory(parent=tourism_home, slug="experiences-table")
    member = UserFactory()
    published = ExperiencePageFactory(parent=experiences, slug="publiee", title="Séjour publié à Saly")
    draft = ExperiencePageFactory(
        parent=experiences, slug="brouillon", title="Brouillon de Fatou à Oussouye", owner=member, live=False
    )

    delegation = group_member(DELEGATION_GROUP)
    funding_calls = tuple(
        Call.objects.create(
            title=title,
            year=2030,
            opens_at=datetime(2030, 1, 15, 8, tzinfo=UTC),
            closes_at=datetime(2030, 3, 31, 20, tzinfo=UTC),
        )
        for title in ("Appel de la table A", "Appel de la table B")
    )
    users = {
        "anonymous": None,
        "member": member,
        "authority_agent": agent_of(rennes),
        "embassy_agent": agent_of(embassy),
        "prefecture_agent": agent_of(
            OrganisationFactory(name="Préfecture d’Ille-et-Vilaine", kind="prefecture", authority=None)
        ),
        "ministry_agent": agent_of(OrganisationFactory(name="MEAE", kind="ministry", authority=None)),
        "tourism_moderator": group_member(MODERATORS_GROUP),
        "communication_officer": group_member(COMMUNICATION_GROUP),
        "translator": group_member(TRANSLATOR_GROUP),
        "delegation_admin": delegation,
    }
    targets = {
        Authority: (rennes.authority, lyon.authority),
        Contact: (ContactFactory(authority=rennes.authority), ContactFactory(authority=lyon.authority)),
        Cooperation: (our_cooperation, their_cooperation),
        Project: (
            ProjectFactory(
                cooperation=our_cooperation, title="Forages à Ziguinchor", themes=[Theme.objects.first()]
            ),
            ProjectFactory(
                cooperation=their_cooperation, title="Marché de Ségou", themes=[Theme.objects.first()]
            ),
        ),
        PartnerAuthority: (our_partner, their_partner),
        Country: (senegal, mali),
        Theme: (ThemeFactory(name="Thème de la table A"), ThemeFactory(name="Thème de la table B")),
        Network: (NetworkFactory(name="Réseau de la table A"), NetworkFactory(name="Réseau de la table B")),
        AidWindow: (
            AidWindow.objects.create(
                year=2030,
                opens_at=datetime(2031, 4, 15, 8, tzinfo=UTC),
                closes_at=datetime(2031, 5, 31, 20, tzinfo=UTC),
            ),
            AidWindow.objects.create(
                year=2031,
                opens_at=datetime(2032, 4, 15, 8, tzinfo=UTC),
                closes_at=datetime(2032, 5, 31, 20, tzinfo=UTC),
            ),
        ),
        BourseProject: (
            BourseProjectFactory(
                partner=our_partner,
                embassy=embassy,
                live=False,
                title="Brouillon Ziguinchor",
                themes=[Theme.objects.first()],
            ),
            BourseProjectFactory(
                partner=their_partner,
                embassy=mali_embassy,
                live=False,
                title="Brouillon Ségou",
                themes=[Theme.objects.first()],
            ),
        ),
        TourismTheme: (
            TourismThemeFactory(name="Tourisme de la table A"),
            TourismThemeFactory(name="Tourisme de la table B"),
        ),
        ExperienceComment: (
            ExperienceCommentFactory(experience=published, author=member),
            ExperienceCommentFactory(experience=published, author=users["authority_agent"]),
        ),
        ExperiencePage: (published, draft),
        Organisation: (rennes, lyon),
        Application: tuple(
            Application.objects.create(
                call=funding_calls[0],
                organisation=organisation,
                lead_authority=organisation.authority,
                title=title,
            )
            for organisation, title in ((rennes, "Dossier de Rennes"), (lyon, "Dossier de Lyon"))
        ),
        Call: funding_calls,
        Membership: tuple(
            Membership.objects.filter(user=users[role]).get() for role in ("authority_agent", "embassy_agent")
        ),
    }
    targets[BourseContactRequest] = tuple(
        BourseContactRequest.objects.create(
            project=project,
            name=name,
            organisation="Association des maires",
            country=project.country,
            email="partenaire@example.org",
            message="Nous sommes intéressés.",
            language="en",
        )
        for project, name in zip(targets[BourseProject], ("Demande A", "Demande B"), strict=True)
    )
    return {"users": users, "targets": targets}


# What "nothing changed" means -------------------------------------------------------------------------------


def snapshot():
    rows = {model.__name__: list(model._default_manager.order_by("pk").values()) for model in TABLE}
    return {
        **rows,
        "revisions": Revision.objects.count(),
        "model_logs": ModelLogEntry.objects.count(),
        "page_logs": PageLogEntry.objects.count(),
        "pages": list(
            Page.objects.order_by("pk").values("pk", "title", "live", "locked", "latest_revision_id")
        ),
    }


# Reading the admin ------------------------------------------------------------------------------------------


def viewset_of(model):
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ModelViewSet) and viewset.model is model:
            return viewset
    return None


def chooser_of(model):
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ChooserViewSet) and viewset.model is model:
            return viewset
    return None


def url(model, view, instance=None):
    if model is ExperiencePage:
        names = {"edit": "wagtailadmin_pages:edit", "delete": "wagtailadmin_pages:delete"}
        return reverse(names[view], args=[instance.pk])
    viewset = viewset_of(model)
    args = [instance.pk] if instance is not None else []
    if view == "list":  # a snippet's listing is "list", a model viewset's "index"
        view = "list" if model in SNIPPETS else "index"
    return reverse(viewset.get_url_name(view), args=args)


def form_data(model, instance, user, changes):
    """What the admin's own form would post for this instance, with `changes`: a valid submission."""
    viewset = viewset_of(model)
    form = viewset.get_form_class(for_update=True)(instance=instance, for_user=user)
    data = {}

    def add(prefix, bound_form):
        for bound_field in bound_form:
            value = bound_field.value()
            name = f"{prefix}{bound_field.name}" if prefix else bound_field.html_name
            if value is None or value is False:
                continue
            if value is True:
                data[name] = "on"
            elif isinstance(value, list | tuple):
                data[name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[name] = str(value)

    add("", form)
    for formset in getattr(form, "formsets", {}).values():
        assert isinstance(formset, BaseModelFormSet)
        for bound_field in formset.management_form:
            data[bound_field.html_name] = str(bound_field.value())
        for sub_form in formset.forms:
            add(sub_form.prefix + "-", sub_form)
    data.update(changes)
    return data


SNIPPETS = {
    Authority,
    Contact,
    Cooperation,
    Project,
    PartnerAuthority,
    Country,
    Theme,
    Network,
    AidWindow,
    BourseProject,
    BourseContactRequest,
    TourismTheme,
    Application,
}
CHANGES = {
    Authority: {"name": "Piratée"},
    Contact: {"last_name": "Piraté"},
    Cooperation: {"since_year": "1901"},
    Project: {"title": "Piraté"},
    PartnerAuthority: {"name": "Piratée", "confirm_new_partner": "on"},
    Country: {"name": "Piratie"},
    Theme: {"name": "Piraterie"},
    Network: {"name": "Pirates unis"},
    AidWindow: {"year": "1999"},
    BourseProject: {"title": "Piraté"},
    BourseContactRequest: {"name": "Piraté"},
    TourismTheme: {"name": "Piraterie"},
    ExperienceComment: {"status": "hidden"},
    Organisation: {"name": "Organisation piratée"},
    Membership: {"role": "manager"},
    Application: {"title": "Piraté"},
    Call: {"title": "Piraté"},
}
# A new record must not collide with the one it is copied from (unique names, codes, ties).
NEW = {
    Country: {"code": "QZ", "slug": "piratie"},
    Theme: {"slug": "piraterie"},
    Cooperation: {"kind": "external_action"},
    Organisation: {"name": "Nouvelle organisation", "kind": "ngo", "authority": ""},
    # Its own dates too: windows may not overlap.
    AidWindow: {"year": "1998", "opens_at": "1999-04-15 10:00", "closes_at": "1999-05-31 22:00"},
    TourismTheme: {"slug": "piraterie"},
}


def is_refused(response):
    if response.status_code == 302:
        # Wagtail sends a refused user to the login or the dashboard, never back to the listing.
        return response["Location"].split("?")[0] in (
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_home"),
        )
    return response.status_code in (403, 404)


def choose_lists(client, model, instance, search):
    """Whether the chooser (its listing searched by the record's name) shows the record, and its chosen/
    URL returns it."""
    if model is ExperiencePage:
        browse = client.get(reverse("wagtailadmin_choose_page_child", args=[instance.get_parent().pk]))
        found = client.get(reverse("wagtailadmin_choose_page_search"), {"q": search})
        html = [browse.json()["html"] if browse.status_code == 200 else "", found.text]
        listed = [f'data-id="{instance.pk}"' in text for text in html]
        assert listed[0] == listed[1], (browse.status_code, found.status_code)
        return listed[0]
    chooser = chooser_of(model)
    listing = client.get(reverse(chooser.get_url_name("choose_results")), {"q": search})
    chosen_url = reverse(chooser.get_url_name("chosen"), args=[instance.pk])
    chosen = client.get(chosen_url)
    # The row's link, not the name: the page repeats the search terms when nothing is found.
    listed = listing.status_code == 200 and f'href="{chosen_url}' in listing.text
    returned = chosen.status_code == 200 and chosen.json().get("step") == "chosen"
    assert listed == returned, (listing.status_code, chosen.status_code)
    return listed


SEARCH = {
    Cooperation: lambda cooperation: cooperation.partner.name,
    Contact: lambda contact: contact.last_name,
    AidWindow: lambda window: str(window.year),
}


def search_term(instance):
    if type(instance) in SEARCH:
        return SEARCH[type(instance)](instance)
    return getattr(instance, "title", None) or instance.name


# The table, tried -------------------------------------------------------------------------------------------


def actions_of(model):
    actions = ["list", "add", "edit:own", "edit:other", "delete:own", "delete:other"]
    if chooser_of(model) is not None or model is ExperiencePage:
        actions += ["choose:own", "choose:other"]
    if model is ExperiencePage:
        actions = ["edit:own", "edit:other", "choose:own", "choose:other"]
    return actions


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(TABLE), ids=lambda model: model.__name__)
def test_the_table(client, db, world, model, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    allowed = TABLE[model].get(role, set())
    own, other = world["targets"][model]
    problems = []
    # Allowed actions are only opened (GET), never submitted: the state must stay this one throughout.
    before = snapshot()
    for action in actions_of(model):
        verb, _, which = action.partition(":")
        target = {"own": own, "other": other, "": None}[which]
        expected = action in allowed
        if verb == "choose":
            if user is None or role == "member":
                # Outside the admin, the chooser's URLs send to the login.
                chooser = chooser_of(model)
                name = chooser.get_url_name("choose") if chooser else "wagtailadmin_choose_page"
                got = not is_refused(client.get(reverse(name)))
            else:
                got = choose_lists(client, model, target, search_term(target))
        else:
            try:
                address = url(model, verb, target)
            except NoReverseMatch:  # the view does not exist: nobody may
                got = False
            else:
                if expected or verb == "list":
                    response = client.get(address)
                    got = response.status_code == 200
                    if not got:
                        assert is_refused(response), (action, response.status_code)
                else:
                    got = False  # tried below, by the POST that would write
                if not expected and verb in ("add", "edit", "delete") and model is not ExperiencePage:
                    template = target or own
                    data = form_data(model, template, world["users"]["delegation_admin"], CHANGES[model])
                    if verb == "add":
                        data.update(NEW.get(model, {}))
                    got = not is_refused(client.post(address, data))
                    assert snapshot() == before, action
                elif not expected and model is ExperiencePage:
                    got = not is_refused(client.post(address, {"title": "Piraté", "slug": target.slug}))
                    assert snapshot() == before, action
        if got != expected:
            problems.append(f"{action}: {'allowed' if got else 'refused'}, the table says the opposite")
    assert snapshot() == before
    assert not problems, problems


def test_allowed_submissions_are_saved(client, db, world):
    """The submissions the table refuses are valid ones: the Délégation's edits and additions save."""
    client.force_login(world["users"]["delegation_admin"])
    for model, changes in CHANGES.items():
        if "edit:own" not in TABLE[model].get("delegation_admin", ()):
            continue
        own, _other = world["targets"][model]
        data = form_data(model, own, world["users"]["delegation_admin"], changes)
        response = client.post(url(model, "edit", own), data)
        assert response.status_code == 302, (model, response.context and response.context["form"].errors)
        if "add" in TABLE[model].get("delegation_admin", ()):
            count = model._default_manager.count()
            renamed = {key: f"{value} bis" for key, value in changes.items() if key in ("name", "title")}
            response = client.post(url(model, "add"), {**data, **NEW.get(model, {}), **renamed})
            assert response.status_code == 302, (model, response.context and response.context["form"].errors)
            assert model._default_manager.count() == count + 1, model


def test_every_admin_model_is_in_the_table():
    """A model shown in the admin (a snippet, a model viewset, a chooser) must have its line in TABLE."""
    registered = {
        viewset.model
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet | ChooserViewSet)
        and isinstance(viewset.model, type)
        and viewset.model._meta.app_label in OUR_APPS
    }
    missing = registered - set(TABLE)
    assert not missing, sorted(model.__name__ for model in missing)
    # The personal space (albums, saved maps and exports) has no admin view: it would be listed above.
    assert ExperiencePage in TABLE  # the pages members write
