"""The page cache with Redis, as in production: the versions are mirrored in Redis (portal/core/
cache_versions.py), so a hit reads no database, and an edit committed by one process shows at once in every
other. A real redis-server on a loopback port; transactional tests, since the mirror only ever holds what was
committed."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from django.core.cache import caches
from django.db import transaction
from django.db.models import F

from wagtail.models import Collection, Locale, Page, Site

from portal.core import cache_versions, page_cache
from portal.models import CacheVersion, PortalSettings
from tests.pages.factories import HomePageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]

HIT = "hit"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - Debian's redis-server, on loopback, without persistence
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/1"
    server.terminate()
    server.wait(10)


@pytest.fixture
def shared_cache(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "portal.core.cache_backends.DegradingRedisCache", "LOCATION": redis_url}
    }
    caches["default"].clear()
    page_cache.forget()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def home(transactional_db):
    """A home page on the default site, on the base the migrations make (a transactional test flushed it)."""
    Locale.objects.get_or_create(language_code="fr")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    page = HomePageFactory(parent=root, slug="accueil", title="Coopération décentralisée")
    site, _made = Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": page}
    )
    PortalSettings.for_site(site)  # made by the first visit otherwise, which would bump the site's version
    return page


def mirrored(name):
    """What the other processes read: the mirror in Redis (not this process's copy of it)."""
    return caches["default"].shared_versions(cache_versions.MIRROR_KEY).get(name)


def committed(name):
    return cache_versions._read_database([name])[name]


def test_a_hit_reads_no_database(client, home, shared_cache, django_assert_num_queries):
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.headers["X-Page-Cache"] == HIT
    assert "Coopération décentralisée" in response.content.decode()


def test_a_page_kept_by_another_process_is_served_with_its_headers(client, home, shared_cache):
    first = client.get("/", headers={"Accept-Encoding": "gzip"})
    page_cache.forget()  # this process's copies gone: the page comes from Redis, as in another worker
    again = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert again.headers["X-Page-Cache"] == HIT
    assert again.headers["Content-Encoding"] == "gzip"
    for header in ("Content-Security-Policy", "Cache-Control", "Vary", "X-Content-Type-Options"):
        assert again.headers.get(header) == first.headers.get(header), header
    plain = client.get("/")
    assert plain.headers["X-Page-Cache"] == HIT
    assert "Content-Encoding" not in plain.headers
    assert "Coopération décentralisée" in plain.content.decode()


def test_a_published_edit_shows_at_once_and_reaches_every_process(client, home, shared_cache):
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == HIT
    home.title = "Action internationale des collectivités"
    home.save_revision().publish()
    # What the other processes read: the mirror moved with the commit.
    assert mirrored(page_cache.SITE) == committed(page_cache.SITE)
    page_cache.forget()
    response = client.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Action internationale des collectivités" in response.content.decode()


@transaction.atomic
def failing_edit(name):
    cache_versions.bump(name)
    raise RuntimeError("the edit failed")


def test_a_bump_rolled_back_is_never_published(client, home, shared_cache):
    client.get("/")
    before = mirrored(page_cache.SITE)
    assert before == committed(page_cache.SITE)
    with pytest.raises(RuntimeError):
        failing_edit(page_cache.SITE)
    assert mirrored(page_cache.SITE) == before == committed(page_cache.SITE)
    assert client.get("/").headers["X-Page-Cache"] == HIT
    # A savepoint rolled back inside a transaction that commits: only the committed version is published.
    with transaction.atomic():
        cache_versions.bump(page_cache.PAGES)
        with pytest.raises(RuntimeError):
            failing_edit(page_cache.PAGES)
    assert mirrored(page_cache.PAGES) == committed(page_cache.PAGES)


def test_the_mirror_only_moves_forward_and_drops_itself_on_a_restore(shared_cache):
    key = "test-versions"
    shared_cache.raise_versions(key, {"atlas": "5.aaaa"}, 30)
    shared_cache.raise_versions(key, {"atlas": "4.bbbb", "site": "0"}, 30)  # a late writer
    assert shared_cache.shared_versions(key) == {"atlas": "5.aaaa", "site": "0"}
    assert shared_cache.read_versions(key) == {"atlas": "5.aaaa", "site": "0"}
    shared_cache.raise_versions(key, {"atlas": "6.cccc"}, 30)
    assert shared_cache.shared_versions(key)["atlas"] == "6.cccc"
    assert shared_cache.read_versions(key)["atlas"] == "6.cccc"
    # The same number with another stamp: the database was restored; readers go back to the database.
    shared_cache.raise_versions(key, {"atlas": "6.dddd"}, 30)
    assert shared_cache.shared_versions(key) == {}
    assert shared_cache.read_versions(key) == {}
    shared_cache.raise_versions(key, {"atlas": "6.dddd"}, 30)
    client = shared_cache._cache.get_client(None)
    assert 0 < client.ttl(shared_cache.make_and_validate_key(key)) <= 30


def test_with_redis_stopped_versions_come_from_the_database(settings, home, client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.cache_backends.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
        }
    }
    assert caches["default"].read_versions(cache_versions.MIRROR_KEY) is None
    home.title = "Atlas de la coopération"
    home.save_revision().publish()
    assert "Atlas de la coopération" in client.get("/").content.decode()


# Each process's copy of the mirror (portal/core/versions_copy.py) ------------------------------------------


def wait_for(condition, what, seconds=20):
    """Until `condition()` holds (the listener's thread works at its own pace on a busy machine)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not: {what}")
        time.sleep(0.01)


def hgetall_calls(backend):
    stats = backend._cache.get_client(None).info("commandstats")
    return stats.get("cmdstat_hgetall", {}).get("calls", 0)


def copy_trusted(backend):
    return backend._versions_copy(cache_versions.MIRROR_KEY).read() is not None


def trusted_copy(backend):
    """Read the versions until this process's listener is subscribed and its copy loaded."""
    wait_for(
        lambda: backend.read_versions(cache_versions.MIRROR_KEY) is not None and copy_trusted(backend),
        "the copy is trusted",
    )


def raise_as_another_process(backend, versions):
    """What another process's commit does: the script run by another connection (this process's copy
    learns it by its message only)."""
    key = backend.make_and_validate_key(cache_versions.MIRROR_KEY)
    arguments = [30, backend._versions_channel(key)]
    for name, version in sorted(versions.items()):
        arguments += [name, version]
    other = redis.Redis.from_url(backend._servers[0])
    try:
        other.eval(cache_versions_script(), 1, key, *arguments)
    finally:
        other.close()


def cache_versions_script():
    from portal.core.cache_backends import RAISE_VERSIONS

    return RAISE_VERSIONS


def test_hits_ask_redis_nothing_once_the_copy_is_loaded(client, home, shared_cache):
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    trusted_copy(shared_cache)
    before = hgetall_calls(shared_cache)
    for _ in range(5):
        assert client.get("/").headers["X-Page-Cache"] == HIT
    assert hgetall_calls(shared_cache) == before


def test_an_edit_committed_by_another_process_reaches_this_one(client, home, shared_cache):
    client.get("/")
    trusted_copy(shared_cache)
    assert client.get("/").headers["X-Page-Cache"] == HIT
    # Another process publishes the home's new title: its commit (no signal here, so nothing published by
    # this process), then its script.
    Page.objects.filter(pk=home.pk).update(title="Collectivités du monde")
    if not CacheVersion.objects.filter(name=page_cache.SITE).update(value=F("value") + 1, stamp="0123abcd"):
        CacheVersion.objects.create(name=page_cache.SITE, value=1, stamp="0123abcd")
    committed_now = committed(page_cache.SITE)
    assert committed_now.endswith(".0123abcd")
    assert client.get("/").headers["X-Page-Cache"] == HIT  # not told yet: as a moment before the commit
    raise_as_another_process(shared_cache, {page_cache.SITE: committed_now})
    wait_for(
        lambda: shared_cache.read_versions(cache_versions.MIRROR_KEY).get(page_cache.SITE) == committed_now,
        "the message reached this process",
    )
    response = client.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Collectivités du monde" in response.content.decode()


def test_a_version_raised_elsewhere_arrives_by_message(shared_cache):
    trusted_copy(shared_cache)
    raise_as_another_process(shared_cache, {"test-family": "7.aaaa"})
    wait_for(
        lambda: shared_cache.read_versions(cache_versions.MIRROR_KEY).get("test-family") == "7.aaaa",
        "the raised version in this process's copy",
    )
    assert copy_trusted(shared_cache)
    # A restore elsewhere (the same number, another stamp) drops the mirror and every copy with it.
    raise_as_another_process(shared_cache, {"test-family": "7.bbbb"})
    wait_for(lambda: not copy_trusted(shared_cache), "the copy dropped")
    assert shared_cache.read_versions(cache_versions.MIRROR_KEY).get("test-family") is None


def test_a_cut_listener_stops_being_trusted_and_comes_back(client, home, shared_cache):
    client.get("/")
    trusted_copy(shared_cache)
    redis_client = shared_cache._cache.get_client(None)
    redis_client.client_kill_filter(_type="pubsub")
    wait_for(lambda: not copy_trusted(shared_cache), "the copy distrusted once its listener is cut")
    # Meanwhile another process raises a version: read from the mirror until the listener is back.
    raise_as_another_process(shared_cache, {"test-family": "3.cccc"})
    assert shared_cache.read_versions(cache_versions.MIRROR_KEY)["test-family"] == "3.cccc"
    trusted_copy(shared_cache)
    assert shared_cache.read_versions(cache_versions.MIRROR_KEY)["test-family"] == "3.cccc"


def test_clearing_the_cache_empties_every_copy(shared_cache):
    trusted_copy(shared_cache)
    raise_as_another_process(shared_cache, {"test-family": "2.aaaa"})
    wait_for(
        lambda: shared_cache.read_versions(cache_versions.MIRROR_KEY).get("test-family") == "2.aaaa",
        "the raised version in this process's copy",
    )
    shared_cache.clear()
    assert shared_cache.read_versions(cache_versions.MIRROR_KEY).get("test-family") is None
