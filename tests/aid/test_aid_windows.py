"""The Délégation's declaration windows: one a year, never overlapping, dates in Paris time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from atlas.aid.models import AidWindow
from portal.accounts.scope import DELEGATION_GROUP
from tests.aid.aid_world import group_member

PARIS = ZoneInfo("Europe/Paris")


def test_current_and_next_windows(db):
    now = timezone.now()
    past = AidWindow.objects.create(
        year=2023, opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=360)
    )
    current = AidWindow.objects.create(
        year=2024, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    upcoming = AidWindow.objects.create(
        year=2025, opens_at=now + timedelta(days=300), closes_at=now + timedelta(days=340)
    )
    assert AidWindow.current() == current
    assert AidWindow.next() == upcoming
    assert not past.is_open()
    assert AidWindow.current(now + timedelta(days=2)) is None  # closed: the year is locked


def test_overlapping_windows_are_refused(db):
    now = timezone.now()
    AidWindow.objects.create(year=2024, opens_at=now, closes_at=now + timedelta(days=40))
    window = AidWindow(year=2025, opens_at=now + timedelta(days=30), closes_at=now + timedelta(days=60))
    with pytest.raises(ValidationError):
        window.full_clean()
    backwards = AidWindow(year=2026, opens_at=now + timedelta(days=90), closes_at=now + timedelta(days=80))
    with pytest.raises(ValidationError):
        backwards.full_clean()


def test_the_delegation_sets_a_window_in_paris_time(client, db):
    client.force_login(group_member(DELEGATION_GROUP))
    data = {"year": "2026", "opens_at": "2027-04-15 00:00", "closes_at": "2027-05-31 23:59"}
    response = client.post(reverse("wagtailsnippets_atlas_aidwindow:add"), data)
    assert response.status_code == 302, response.content[:3000]
    window = AidWindow.objects.get(year=2026)
    assert window.opens_at == datetime(2027, 4, 15, 0, 0, tzinfo=PARIS)
    assert window.closes_at == datetime(2027, 5, 31, 23, 59, tzinfo=PARIS)
