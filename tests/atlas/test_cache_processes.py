"""Cached Atlas pages stay correct with several server processes, each with its own memory cache.

The Atlas version that cache keys include lives in the database (portal/core/cache_versions.py): an edit made
through one process is seen by every other one on its next request, and a change is visible to other
connections exactly when its transaction commits, never before.
"""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from atlas import queries, seeding
from atlas.models import Authority
from portal.models import CacheVersion
from tests.atlas.factories import (
    AuthorityFactory,
    CooperationFactory,
    CountryFactory,
    PartnerAuthorityFactory,
)

ROOT = Path(__file__).resolve().parents[2]
MAP = "/donnees/atlas/carte.json"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections to one database (PostgreSQL)"
)


class Process:
    """What one server process owns: its local-memory cache and its copy of the full map."""

    def __init__(self, name):
        self.caches = {"default": {"BACKEND": LOCMEM, "LOCATION": f"test-process-{name}"}}
        self.full_map = {}
        with self.active():
            cache.clear()

    @contextlib.contextmanager
    def active(self):
        # override_settings(CACHES=...) makes django.core.cache.caches forget its instances, so `cache`
        # resolves to this process's LocMemCache (a separate store per LOCATION).
        saved = queries._full_map
        with override_settings(CACHES=self.caches):
            queries._full_map = self.full_map
            try:
                yield
            finally:
                queries._full_map = saved

    def get(self, path):
        with self.active():
            response = Client().get(path)
        assert response.status_code == 200, path
        return response.content.decode()


@pytest.fixture
def cooperation(db):
    burkina = CountryFactory(code="BF", name="Burkina Faso", slug="burkina-faso")
    return CooperationFactory(
        authority=AuthorityFactory(name="Villeneuve-sur-Lot"),
        partner=PartnerAuthorityFactory(name="Ouahigouya", country=burkina),
    )


def test_a_renamed_authority_is_seen_by_every_process(atlas, cooperation):
    a, b = Process("a"), Process("b")
    for process in (a, b):
        assert "Villeneuve-sur-Lot" in process.get(MAP)

    with transaction.atomic():
        authority = cooperation.authority
        authority.name = "Villeneuve-d’Agen"
        authority.save()

    for process in (a, b):
        data = process.get(MAP)
        assert "Villeneuve-d’Agen" in data
        assert "Villeneuve-sur-Lot" not in data


def test_a_deleted_cooperation_is_gone_from_every_process(atlas, cooperation):
    page = f"{atlas.url}collectivites/{cooperation.authority.slug}/"
    a, b = Process("a"), Process("b")
    for process in (a, b):
        assert "Ouahigouya" in process.get(page)
        assert "Ouahigouya" in process.get(MAP)

    with transaction.atomic():
        cooperation.delete()

    for process in (a, b):
        assert "Ouahigouya" not in process.get(page)
        assert "Ouahigouya" not in process.get(MAP)


def version_reads(captured):
    sqls = [query["sql"] for query in captured]
    return sum(sql.startswith("SELECT") and "portal_cacheversion" in sql for sql in sqls)


def test_a_warm_request_reads_the_version_once_and_nothing_else(client, atlas, cooperation):
    pages = [MAP, f"{atlas.url}collectivites/{cooperation.authority.slug}/", atlas.url]
    for path in pages:
        client.get(path)  # builds what the cache keeps
    for path in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        assert version_reads(captured) == 1, path
    # The full map comes from this process's memory: the version read is its only query.
    with CaptureQueriesContext(connection) as captured:
        client.get(MAP)
    assert len(captured) == 1


def test_a_request_reads_the_version_once_until_it_changes_a_record(cooperation):
    # The signals a request sends, as django.test.Client sends them (without closing the test's connection).
    request_started.disconnect(close_old_connections)
    request_started.send(sender=None)
    request_started.connect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as captured:
            first = queries.atlas_version()
            assert queries.atlas_version() == first
            assert version_reads(captured) == 1
            cooperation.authority.save()  # the request's own change: its next read sees the new version
            assert queries.atlas_version() != first
            assert version_reads(captured) == 2
    finally:
        request_finished.disconnect(close_old_connections)
        request_finished.send(sender=None)
        request_finished.connect(close_old_connections)
    # Outside requests (task workers, commands) nothing is kept: each read asks the database.
    with CaptureQueriesContext(connection) as captured:
        queries.atlas_version()
        queries.atlas_version()
    assert version_reads(captured) == 2


def test_the_seed_and_its_reset_each_bump_the_version_once(client, cooperation):
    versions = CacheVersion.objects.filter(name=queries.ATLAS)
    before = versions.get().value
    seeding.reset()  # deletes row by row: one bump for them all
    assert versions.get().value == before + 1
    assert json.loads(client.get(MAP).content)["authorities"] == []
    # Bulk inserts send no signals: without the seed's bump the empty map above would stay cached.
    seeding.seed(seeding.SCALES["small"], log=lambda message: None)
    assert versions.get().value == before + 2
    data = json.loads(client.get(MAP).content)
    assert len(data["authorities"]) == Authority.objects.count() > 1


def in_other_connection(function):
    """Runs `function` in another thread, so on another database connection (as another process would)."""
    result = []

    def run():
        try:
            result.append(function())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert result, "the other connection failed"
    return result[0]


def other_map():
    return Client().get(MAP).content.decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_uncommitted_change_never_gets_cached_under_the_new_version(cooperation):
    before = in_other_connection(queries.atlas_version)
    assert "Villeneuve-sur-Lot" in in_other_connection(other_map)

    with transaction.atomic():
        authority = cooperation.authority
        authority.name = "Villeneuve-d’Agen"
        authority.save()
        # Until the commit, other connections see neither the change nor a new version: a reader now
        # (which caches what it reads) files the old name under the old version only.
        assert in_other_connection(queries.atlas_version) == before
        assert "Villeneuve-sur-Lot" in in_other_connection(other_map)

    assert in_other_connection(queries.atlas_version) != before
    data = in_other_connection(other_map)
    assert "Villeneuve-d’Agen" in data
    assert "Villeneuve-sur-Lot" not in data


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def wait_until_serving(server, port, deadline):
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            return fetch(port, MAP)
        except OSError:
            time.sleep(0.1)  # polling interval: the loop ends as soon as the port answers
    raise AssertionError("the server did not answer in time")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_server_processes_both_show_an_edit(cooperation):
    db = connection.settings_dict
    database_url = (
        f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{db['HOST']}:{db['PORT']}/"
        f"{quote(db['NAME'])}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url,
        # No connection kept open after a request: the test database is emptied and dropped after the test.
        "DB_CONN_MAX_AGE": "0",
    }
    ports = [free_port(), free_port()]
    servers = []
    try:
        for port in ports:
            # Two gunicorn servers, one worker each: two processes, two local-memory caches.
            command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
            servers.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                    command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
            )
        deadline = time.monotonic() + 60
        for server, port in zip(servers, ports, strict=True):
            status, data = wait_until_serving(server, port, deadline)
            assert status == 200
            assert "Villeneuve-sur-Lot" in data

        with transaction.atomic():
            authority = cooperation.authority
            authority.name = "Villeneuve-d’Agen"
            authority.save()

        for port in ports:
            status, data = fetch(port, MAP)
            assert status == 200
            assert "Villeneuve-d’Agen" in data
            assert "Villeneuve-sur-Lot" not in data
    finally:
        for server in servers:
            server.kill()
        for server in servers:
            server.wait(timeout=30)
            server.stderr.close()
