"""Versions of cached data, kept in the database (portal.models.CacheVersion); imports no product.

A cache key that includes the version of its data is never stale. A change bumps the version in the
change's own transaction, so every process sees the new version exactly when it can see the new data, and a
reader that reads the version before the data never files old data under the new version. Per-process caches
(LocMemCache, module dicts) are therefore correct with any number of workers; a shared cache (Redis) only
saves each process from rebuilding the same data.

Reading a version costs one small query, made once per request: the value is kept until the request ends,
and forgotten as soon as the request itself bumps it.

With a shared cache that can hold them (Redis: portal/core/cache_backends.py), the versions are also mirrored
there, so that a request outside a transaction reads them without the database (the page cache's hits make no
query at all). The mirror only ever holds committed versions and only moves forward:
- a transaction that bumps publishes its versions once it has committed (read back from the database then,
  so a bump undone by a rolled-back savepoint is never published);
- a reader that misses a name reads the database (outside any transaction: committed data) and raises the
  mirror to what it read, never lowering it (an atomic compare in Redis);
- two different stamps for one value (the database restored or reset) empty the mirror, and the mirror lives
  MIRROR_SECONDS at most, so that even a restore that lowered the versions is seen within that delay.
Each process also keeps a copy of the mirror, told of every change by Redis pub/sub in the same atomic step
(portal/core/versions_copy.py): while its listener is connected, reading the versions costs no round trip.
A request inside a transaction (an edit) always reads the database: it must see its own bumps.
Between a commit and its publication (the same request, a few hundred microseconds) another visitor may still
be served the page as it was just before the commit, as if he had asked a moment earlier.
"""

import secrets
from contextlib import contextmanager

from asgiref.local import Local

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from portal.models import CacheVersion

# .memo: {name: version} while a request runs (None outside requests: a task or a command that runs for hours
# must see changes). .quiet: {name: depth} inside bulk_change, where row signals do not bump.
_state = Local()

MIRROR_KEY = "cache-versions"
MIRROR_SECONDS = 30
PENDING = "_portal_versions_to_publish"  # on a connection: the publisher of its open transaction


def _mirror(using=None):
    """The shared cache when it mirrors versions for every process, outside transactions; else None."""
    backend = caches["default"]
    if not hasattr(backend, "read_versions") or transaction.get_connection(using).in_atomic_block:
        return None
    return backend


def _read_database(names, using=None):
    rows = CacheVersion.objects.using(using).filter(name__in=names).values_list("name", "value", "stamp")
    found = {name: f"{value}.{stamp}" for name, value, stamp in rows}
    return {name: found.get(name, "0") for name in names}


def current(name):
    """The version of `name`'s data as this connection sees it, a string for cache keys."""
    return current_many([name])[name]


def current_many(names):
    """The versions of several names in one query (the page cache reads every name it may need at once)."""
    memo = getattr(_state, "memo", None)
    missing = [name for name in names if memo is None or name not in memo]
    found = {}
    if missing:
        mirror = _mirror()
        shared = mirror.read_versions(MIRROR_KEY) if mirror is not None else None
        if shared is not None and all(name in shared for name in missing):
            found = {name: shared[name] for name in missing}
        else:
            found = _read_database(missing)
            if shared is not None:  # the mirror answered: Redis is there, so tell it what it lacked
                mirror.raise_versions(MIRROR_KEY, found, MIRROR_SECONDS)
    versions = {}
    for name in names:
        if memo is not None and name in memo:
            versions[name] = memo[name]
        else:
            versions[name] = found.get(name, "0")
            if memo is not None:
                memo[name] = versions[name]
    return versions


def bump(name, using=None):
    """Give `name` a new version in the current transaction: other connections see it when that commits."""
    stamp = secrets.token_hex(8)
    versions = CacheVersion.objects.using(using)
    if not versions.filter(name=name).update(value=F("value") + 1, stamp=stamp):
        try:
            with transaction.atomic(using=using):
                versions.create(name=name, value=1, stamp=stamp)
        except IntegrityError:
            # Another transaction created the row meanwhile (the insert waited for it to commit).
            versions.filter(name=name).update(value=F("value") + 1, stamp=stamp)
    memo = getattr(_state, "memo", None)
    if memo is not None:
        memo.pop(name, None)
    _publish_after_commit(name, using)


def _publisher(using):
    """A callback raising the shared mirror to the versions its transaction bumped, once that has committed
    (read back then: a bump undone with its savepoint is not published)."""
    names = set()

    def publish_versions():
        backend = caches["default"]
        backend.raise_versions(MIRROR_KEY, _read_database(sorted(names), using), MIRROR_SECONDS)

    publish_versions.names = names
    return publish_versions


def _publish_after_commit(name, using):
    if not hasattr(caches["default"], "raise_versions"):
        return
    connection = transaction.get_connection(using)
    publisher = getattr(connection, PENDING, None)
    # One publisher per transaction (a bulk edit bumps once per row). A rolled-back transaction drops its
    # callbacks: the publisher kept on the connection is then stale, and this transaction makes its own.
    if publisher is None or not any(entry[1] is publisher for entry in connection.run_on_commit):
        publisher = _publisher(using)
        setattr(connection, PENDING, publisher)
        publisher.names.add(name)
        # robust: the change is committed whatever happens to the mirror (which expires anyway). Outside a
        # transaction this runs at once.
        transaction.on_commit(publisher, using=using, robust=True)
    else:
        publisher.names.add(name)


def _quiet():
    if getattr(_state, "quiet", None) is None:
        _state.quiet = {}
    return _state.quiet


@contextmanager
def bulk_change(name, using=None):
    """For bulk writes: one bump at the end, in the writes' transaction, instead of one per row signal
    (bulk_create and QuerySet.update send no signal at all, so they need this bump)."""
    quiet = _quiet()
    with transaction.atomic(using=using):
        quiet[name] = quiet.get(name, 0) + 1
        try:
            yield
        finally:
            quiet[name] -= 1
        # At the end rather than first: a read made by the writes themselves must not file a half-written
        # state under the version that the commit publishes.
        bump(name, using)


def bump_on_change(name, models=(), relations=()):
    """Bump `name` whenever a row of `models` is saved or deleted, or a many-to-many relation of
    `relations` (their through models) changes.

    Inside a transaction the bump comes before the write (pre_ signals): every writer locks the version row
    before the rows it changes, always in that order, so two concurrent writers queue instead of
    deadlocking; the version still changes only at the commit. In autocommit the bump comes after the write
    (post_ signals), so no reader ever sees the new version with the old data."""

    def bump_if(using, before):
        if not _quiet().get(name) and transaction.get_connection(using).in_atomic_block == before:
            bump(name, using)

    def before(sender, using, **kwargs):
        bump_if(using, before=True)

    def after(sender, using, **kwargs):
        bump_if(using, before=False)

    def relation_changed(sender, using, action, **kwargs):
        bump_if(using, before=action.startswith("pre_"))

    # weak=False: the receivers are closures that nothing else keeps alive.
    for model in models:
        label = f"{name}-{model._meta.label}"
        pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"version-pre-save-{label}")
        post_save.connect(after, sender=model, weak=False, dispatch_uid=f"version-post-save-{label}")
        pre_delete.connect(before, sender=model, weak=False, dispatch_uid=f"version-pre-delete-{label}")
        post_delete.connect(after, sender=model, weak=False, dispatch_uid=f"version-post-delete-{label}")
    for through in relations:
        m2m_changed.connect(
            relation_changed,
            sender=through,
            weak=False,
            dispatch_uid=f"version-m2m-{name}-{through._meta.label}",
        )


def _start_request(**kwargs):
    _state.memo = {}


def _end_request(**kwargs):
    _state.memo = None


request_started.connect(_start_request, dispatch_uid="cache-versions-request-started")
request_finished.connect(_end_request, dispatch_uid="cache-versions-request-finished")
