from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from atlas.aid import demo as aid_demo
from atlas.bourse import demo as bourse_demo
from atlas.campaigns import demo as campaigns_demo
from portal.accounts.roles import ROLES
from portal.funding import demo as funding_demo

DEMO_PASSWORD = "demo-portail-2026"  # noqa: S105 - printed by `make run`, demo databases only

# The country the demo agents work with: the demo Bourse projects, partners and experiences are there too.
DEMO_COUNTRY = "SN"
PREFECTURE = ("Préfecture de la région Bretagne", "53", "35")
MINISTRY = "Ministère de l’Europe et des Affaires étrangères"
OPERATOR = "Agence française de développement"


def load_accounts():
    """One demo account per role, each in its role's group; the Délégation administrator is a superuser."""
    User = get_user_model()
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    accounts = []
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.group)
        if role.wagtail_admin:
            group.permissions.add(admin_access)
        username = f"demo.{role.slug.replace('_', '.')}"
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", "first_name": "Démo"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role.slug == "delegation_admin"
            user.save()
        user.groups.add(group)
        accounts.append((user, role))
    return accounts


def demo_authority():
    """The French authority the demo authority agent acts for: one that cooperates with the demo country,
    so that its agent, the embassy and the Bourse work on the same ground (any authority otherwise)."""
    from atlas.models import Authority

    authorities = Authority.objects.order_by("name")
    return (
        authorities.filter(cooperations__partner__country__code=DEMO_COUNTRY).first() or authorities.first()
    )


def demo_organisations():
    """{role slug: Organisation} for the agents' roles, created once (looked up by what identifies them)."""
    from atlas.models import Country
    from portal.accounts.models import Organisation

    Kind = Organisation.Kind
    organisations = {}
    authority = demo_authority()
    if authority is not None:
        organisations["authority_agent"] = (
            Organisation.objects.filter(authority=authority).first()
            or Organisation.objects.get_or_create(
                name=authority.name, defaults={"kind": Kind.LOCAL_AUTHORITY, "authority": authority}
            )[0]
        )
    if Country.objects.filter(code=DEMO_COUNTRY).exists():
        organisations["embassy_agent"] = bourse_demo.ensure_embassy(
            DEMO_COUNTRY, bourse_demo.EMBASSIES[DEMO_COUNTRY]
        )
    name, region, departement = PREFECTURE
    organisations["prefecture_agent"] = Organisation.objects.get_or_create(
        name=name, defaults={"kind": Kind.PREFECTURE, "region": region, "departement": departement}
    )[0]
    organisations["ministry_agent"] = Organisation.objects.get_or_create(
        name=MINISTRY, defaults={"kind": Kind.MINISTRY}
    )[0]
    # An operator with no demo agent, so that the join form offers every kind of state actor.
    Organisation.objects.get_or_create(name=OPERATOR, defaults={"kind": Kind.OPERATOR})
    return organisations


def load_memberships(accounts):
    """Approved memberships of the demo agents: without them their role's group gives no records to edit.

    Returns {username: Organisation} for the accounts that act for one."""
    from portal.accounts.models import Membership

    organisations = demo_organisations()
    approver = next((user for user, role in accounts if role.slug == "delegation_admin"), None)
    acting = {}
    for user, role in accounts:
        organisation = organisations.get(role.slug)
        if organisation is None:
            continue
        membership, _ = Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            defaults={
                "status": Membership.Status.APPROVED,
                "decided_by": approver,
                "decided_at": timezone.now(),
            },
        )
        if membership.status == Membership.Status.APPROVED:
            acting[user.username] = organisation
    return acting


def load_products():
    """The products' demos, once the accounts they give work to exist (each is idempotent)."""
    aid_demo.load_demo()
    campaigns_demo.load_demo()
    funding_demo.load_demo()
