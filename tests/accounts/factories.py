import factory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from portal.accounts import models
from portal.accounts.services import GROUP_BY_ROLE, ROLE_BY_KIND
from tests.atlas.factories import AuthorityFactory


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"agent{n}@example.org")
    email = factory.SelfAttribute("username")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "un mot de passe solide 2026")
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = models.Organisation.Kind.LOCAL_AUTHORITY
    authority = factory.SubFactory(AuthorityFactory)

    class Meta:
        model = models.Organisation


class EmbassyFactory(OrganisationFactory):
    kind = models.Organisation.Kind.EMBASSY
    authority = None

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    class Meta:
        skip_postgeneration_save = True  # the hook writes a relation only


class MembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = models.Membership.Status.APPROVED

    class Meta:
        model = models.Membership


def agent_of(organisation, role=models.Membership.Role.AGENT):
    """An approved agent of the organisation, in its role's group (with access to the admin)."""
    membership = MembershipFactory(organisation=organisation, role=role)
    group, _ = Group.objects.get_or_create(name=GROUP_BY_ROLE[ROLE_BY_KIND.get(organisation.kind, "member")])
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    membership.user.groups.add(group)
    return membership.user
