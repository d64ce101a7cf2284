"""Redis stopped (issue 14): the shared cache answers misses instead of raising, so pages are still served
and logins still work. A real Redis client pointed at a closed port, as after `redis-cli shutdown`."""

import socket
import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from portal.core.cache_backends import DegradingRedisCache
from tests.accounts.factories import UserFactory


def stopped_redis():
    """The address of a Redis that is not there: a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/1"


def test_djangos_own_redis_cache_raises_when_redis_is_stopped():
    """Why the subclass exists: with Django's backend a stopped Redis turns every page into a 500."""
    with pytest.raises(RedisConnectionError):
        RedisCache(stopped_redis(), {}).get("home")


def test_a_stopped_redis_is_a_miss_for_every_call():
    cache = DegradingRedisCache(stopped_redis(), {})
    assert cache.get("home", "default") == "default"
    cache.set("home", "<html>")
    assert cache.get("home") is None
    assert cache.add("lock", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.has_key("a") is False
    assert cache.get_or_set("built", lambda: "value") == "value"
    cache.delete("home")
    cache.delete_many(["a", "b"])
    cache.clear()
    with pytest.raises(ValueError, match="not found"):
        cache.incr("count")


def test_while_redis_is_away_pages_do_not_wait_for_it():
    cache = DegradingRedisCache(stopped_redis(), {"OPTIONS": {"RETRY_AFTER": 60}})
    start = time.monotonic()
    for _ in range(500):
        cache.get("home")
    assert time.monotonic() - start < 0.5


@pytest.fixture
def redis_stopped(settings):
    settings.CACHES = {
        "default": {"BACKEND": "portal.core.cache_backends.DegradingRedisCache", "LOCATION": stopped_redis()}
    }
    # As portal/settings/production.py sets it with REDIS_URL.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_with_redis_stopped_pages_are_served_and_logins_work(client, home, redis_stopped):
    user = UserFactory(username="claire@example.org")
    assert client.get("/").status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "un mot de passe solide 2026"}
    )
    assert response.status_code == 302
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.context["user"] == user
    # Logging out ends the session although the cache could not be told.
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:dashboard")).status_code == 302
