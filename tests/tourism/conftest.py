import pytest

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from tests.accounts.factories import UserFactory
from tests.tourism.factories import (
    EventIndexPageFactory,
    ExperienceIndexPageFactory,
    ResourceIndexPageFactory,
    TourismHomePageFactory,
)
from tourism.moderation import MODERATORS_GROUP, ensure_tourism_workflow


@pytest.fixture
def tourism_home(home):
    """The platform's home under the site's home, with the moderation workflow attached as the demo does."""
    cache.clear()
    page = TourismHomePageFactory(parent=home, slug="tourisme-responsable")
    ensure_tourism_workflow(apps, page.pk)
    return page


@pytest.fixture
def experiences_index(tourism_home):
    return ExperienceIndexPageFactory(parent=tourism_home, slug="experiences")


@pytest.fixture
def resources_index(tourism_home):
    return ResourceIndexPageFactory(parent=tourism_home, slug="ressources")


@pytest.fixture
def events_index(tourism_home):
    return EventIndexPageFactory(parent=tourism_home, slug="evenements")


@pytest.fixture
def member(db):
    return UserFactory(username="membre.auteur", email="auteur@example.org", first_name="Awa")


@pytest.fixture
def other_member(db):
    return UserFactory(username="membre.autre", email="autre@example.org")


@pytest.fixture
def moderator(tourism_home):
    user = UserFactory(username="moderatrice", email="moderation@example.org")
    group = Group.objects.get(name=MODERATORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user
