"""Redis stopped (issue 14): the shared cache answers misses instead of raising, so pages are still served
and logins still work. A real Redis client pointed at a closed port, as after `redis-cli shutdown`."""

import contextlib
import socket
import socketserver
import threading
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


class KeptDataRedis:
    """A Redis that keeps its data while clients cannot reach it (a network cut rather than a stop): just the
    commands Django's RedisCache sends, over Redis's own protocol, so that redis-py talks to it unchanged."""

    def __init__(self):
        self.data, self.server, self.port, self.clients = {}, None, 0, []

    def start(self):
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                owner.clients.append(self.connection)
                while line := self.rfile.readline():
                    count = int(line[1:])
                    words = []
                    for _ in range(count):
                        size = int(self.rfile.readline()[1:])
                        words.append(self.rfile.read(size + 2)[:-2])
                    self.wfile.write(owner.answer(words))

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def cut(self):
        self.server.shutdown()
        self.server.server_close()
        for client in self.clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
        self.clients = []

    def answer(self, words):
        command = words[0].upper()
        if command == b"GET":
            value = self.data.get(words[1])
            return b"$-1\r\n" if value is None else b"$%d\r\n%s\r\n" % (len(value), value)
        if command == b"SET":
            self.data[words[1]] = words[2]
            return b"+OK\r\n"
        if command == b"DEL":
            return b":%d\r\n" % sum(self.data.pop(key, None) is not None for key in words[1:])
        if command == b"HELLO":  # redis-py speaks RESP3 when the server says so
            return b"%1\r\n+proto\r\n:3\r\n"
        if command == b"FLUSHDB":
            self.data.clear()
        return b"+OK\r\n"


@pytest.fixture
def kept_data_redis():
    redis = KeptDataRedis()
    redis.start()
    yield redis
    with contextlib.suppress(Exception):
        redis.cut()


def test_a_purge_lost_while_redis_was_cut_off_leaves_nothing_stale(kept_data_redis):
    """A page purged after its edit, or a session deleted at logout, while Redis could not be reached: once it
    is back, the old entry must not come back with it."""
    location = f"redis://127.0.0.1:{kept_data_redis.port}/1"
    cache = DegradingRedisCache(location, {"OPTIONS": {"RETRY_AFTER": 0}})
    cache.set("page:/atlas/", "before the edit")
    assert cache.get("page:/atlas/") == "before the edit"
    kept_data_redis.cut()
    cache.delete("page:/atlas/")  # lost: Redis unreachable
    kept_data_redis.start()
    assert kept_data_redis.data  # Redis still holds the old page
    assert cache.get("page:/atlas/") is None
    cache.set("page:/atlas/", "after the edit")
    assert cache.get("page:/atlas/") == "after the edit"
