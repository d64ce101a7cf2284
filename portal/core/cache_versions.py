"""Versions of cached data, kept in the database (portal.models.CacheVersion); imports no product.

A cache key that includes the version of its data is never stale. A change bumps the version in the
change's own transaction, so every process sees the new version exactly when it can see the new data, and a
reader that reads the version before the data never files old data under the new version. Per-process caches
(LocMemCache, module dicts) are therefore correct with any number of workers; a shared cache (Redis) only
saves each process from rebuilding the same data.

Reading a version costs one small query, made once per request: the value is kept until the request ends,
and forgotten as soon as the request itself bumps it.
"""

import secrets
from contextlib import contextmanager

from asgiref.local import Local

from django.core.signals import request_finished, request_started
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from portal.models import CacheVersion

# .memo: {name: version} while a request runs (None outside requests: a task or a command that runs for hours
# must see changes). .quiet: {name: depth} inside bulk_change, where row signals do not bump.
_state = Local()


def current(name):
    """The version of `name`'s data as this connection sees it, a string for cache keys."""
    memo = getattr(_state, "memo", None)
    if memo is not None and name in memo:
        return memo[name]
    row = CacheVersion.objects.filter(name=name).values_list("value", "stamp").first()
    version = f"{row[0]}.{row[1]}" if row else "0"
    if memo is not None:
        memo[name] = version
    return version


def current_many(names):
    """The versions of several names in one query (the page cache reads every name it may need at once)."""
    memo = getattr(_state, "memo", None)
    missing = [name for name in names if memo is None or name not in memo]
    found = {}
    if missing:
        rows = CacheVersion.objects.filter(name__in=missing).values_list("name", "value", "stamp")
        found = {name: f"{value}.{stamp}" for name, value, stamp in rows}
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
