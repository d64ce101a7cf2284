"""A Redis cache that degrades to misses when Redis cannot be reached (issue 14: "Redis stopped: pages still
served, logins still work").

Django's RedisCache raises on a connection error, so a stopped Redis would turn every page into a 500. This
subclass answers such a call as a miss (reads give the default, writes are dropped) and logs it once per
outage. After an error it leaves Redis alone for RETRY_AFTER seconds (a circuit breaker), so that pages do not
each wait for a timeout while Redis is away.

A purge that was dropped (delete, delete_many, incr, clear) could leave a stale entry behind if Redis kept its
data meanwhile (a network cut rather than a stop): a page shown after its edit, or a session alive after its
logout. The first call that reaches Redis again therefore empties the cache's database before anything else,
so the cache needs a Redis database of its own (redis://host:6379/1).
"""

import logging
import time

from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from . import versions_copy

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a redis.Redis object at every call (a fifth of a page-cache hit's time); one per
    connection pool does (it is thread-safe, and takes its connections from the pool)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_reused_clients", {})
        kept = clients.get(id(pool))
        if kept is None or kept[0] is not pool:
            kept = clients[id(pool)] = (pool, self._client(connection_pool=pool))
        return kept[1]


class DegradingRedisCache(RedisCache):
    """RedisCache whose calls become misses while Redis is unreachable (see the module's docstring).

    OPTIONS may set RETRY_AFTER (seconds, default 5) besides redis-py's connection options; short socket
    timeouts are the default so that a Redis that hangs costs a page a fraction of a second at most."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        # redis-py retries a failed command with a backoff by default: while Redis is away each call would
        # then wait several times over. One try: the caller has its answer (a miss) at once.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._purge_lost = False

    def _call(self, method, default, *args, purge=False, **kwargs):
        if time.monotonic() < self._down_until:
            self._purge_lost = self._purge_lost or purge
            return default
        try:
            if self._purge_lost:
                super().clear()
                self._purge_lost = False
                logger.warning("Redis cache back: emptied, since purges were lost while it was away")
            result = method(*args, **kwargs)
        except UNREACHABLE as error:
            if not self._down_until:
                logger.warning("Redis cache unreachable, answering misses: %s", error)
            self._down_until = time.monotonic() + self.retry_after
            self._purge_lost = self._purge_lost or purge
            return default
        if self._down_until:
            logger.warning("Redis cache reachable again")
            self._down_until = 0.0
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version, purge=True)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call(super().incr, None, key, delta, version, purge=True)
        if result is None:
            # What BaseCache.incr says of a key that is not there: a miss, as every other call.
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Nothing stored: every key failed, as set_many reports.
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version, purge=True)

    def clear(self):
        return self._call(self._clear, False, purge=True)

    def _clear(self):
        cleared = super().clear()
        # Every process's copy of a versions' mirror goes with it: each channel listened to on this database
        # is told that its mirror was dropped.
        client = self._cache.get_client(write=True)
        for channel in client.pubsub_channels(self._versions_channel("*")):
            client.publish(channel, versions_copy.DROPPED)
        versions_copy.forget_all()
        return cleared

    # The versions' mirror (portal/core/cache_versions.py): a hash of {name: "value.stamp"} that only moves
    # forward, so that a late writer never lowers what an earlier one published. Each process keeps a copy,
    # told of every change by pub/sub (portal/core/versions_copy.py), so that reading it costs no round trip.

    def read_versions(self, key):
        """{name: version} as mirrored ({} when the mirror is empty), or None when Redis cannot answer: this
        process's copy while its listener keeps it current, else the mirror in Redis (reloading the copy)."""
        if time.monotonic() < self._down_until:
            return None
        copy = self._versions_copy(key)
        versions = copy.read()
        if versions is not None:
            return versions
        return copy.reload_from(lambda: self.shared_versions(key))

    def shared_versions(self, key):
        """The mirror as Redis holds it (one round trip), or None when Redis cannot answer."""
        return self._call(self._read_versions, None, key)

    def raise_versions(self, key, versions, timeout):
        # purge: a raise that was lost leaves the mirror behind; the cache is emptied when Redis is back.
        published = self._call(self._raise_versions, None, key, versions, timeout, purge=True)
        if published is not None:  # this process's copy has its own change at once
            self._versions_copy(key).apply(versions_copy.decode(published))

    def _versions_channel(self, full_key):
        # Channels are shared by a server's databases: the database's number is part of the name.
        db = self._cache._get_connection_pool(True).connection_kwargs.get("db", 0)
        return f"{full_key}@{db}"

    def _versions_copy(self, key):
        # Looked up at every page-cache hit: found once per backend (one per thread) and key.
        copies = self.__dict__.setdefault("_copies", {})
        if key not in copies:
            full_key = self.make_and_validate_key(key)
            copies[key] = versions_copy.copy_for(self._servers[0], self._versions_channel(full_key))
        return copies[key]

    def _read_versions(self, key):
        key = self.make_and_validate_key(key)
        mirrored = self._cache.get_client(key).hgetall(key)
        return {name.decode(): version.decode() for name, version in mirrored.items()}

    def _raise_versions(self, key, versions, timeout):
        """What the script published: the versions it raised ("name=version" lines), "-" if it dropped the
        mirror."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        arguments = [int(timeout), self._versions_channel(key)]
        for name, version in sorted(versions.items()):
            arguments += [name, version]
        published = client.eval(RAISE_VERSIONS, 1, key, *arguments)
        return published.decode() if isinstance(published, bytes) else published


# Atomic in Redis: each name is set when absent or when its value (the number before the dot) is higher. The
# same value with another stamp means the database was restored or reset: the mirror is dropped, and the
# readers fall back on the database. A mirror made here expires (ARGV[1] seconds), so that even a restore that
# lowered the versions is seen within that delay. What changed is published on the channel ARGV[2] in the same
# step ("name=version" lines, or "-" for a drop), for every process's copy (portal/core/versions_copy.py), and
# returned.
RAISE_VERSIONS = """
local made = redis.call('EXISTS', KEYS[1]) == 0
local raised = {}
for i = 3, #ARGV, 2 do
  local name, version = ARGV[i], ARGV[i + 1]
  local mirrored = redis.call('HGET', KEYS[1], name)
  local new = tonumber(string.match(version, '^%d+'))
  local old = mirrored and tonumber(string.match(mirrored, '^%d+'))
  if (not mirrored) or new > old then
    redis.call('HSET', KEYS[1], name, version)
    table.insert(raised, name .. '=' .. version)
  elseif new == old and version ~= mirrored then
    redis.call('DEL', KEYS[1])
    redis.call('PUBLISH', ARGV[2], '-')
    return '-'
  end
end
if made then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
local message = table.concat(raised, '\\n')
if #raised > 0 then
  redis.call('PUBLISH', ARGV[2], message)
end
return message
"""
