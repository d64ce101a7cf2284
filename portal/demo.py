from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from .roles import ROLES

DEMO_PASSWORD = "demo-portail-2026"  # noqa: S105 - printed by `make run`, demo databases only


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
