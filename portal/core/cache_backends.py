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
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


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
        return self._call(super().clear, False, purge=True)

    # The versions' mirror (portal/core/cache_versions.py): a hash of {name: "value.stamp"} that only moves
    # forward, so that a late writer never lowers what an earlier one published.

    def read_versions(self, key):
        """{name: version} as mirrored ({} when the mirror is empty), or None when Redis cannot answer."""
        return self._call(self._read_versions, None, key)

    def raise_versions(self, key, versions, timeout):
        # purge: a raise that was lost leaves the mirror behind; the cache is emptied when Redis is back.
        self._call(self._raise_versions, None, key, versions, timeout, purge=True)

    def _read_versions(self, key):
        key = self.make_and_validate_key(key)
        mirrored = self._cache.get_client(key).hgetall(key)
        return {name.decode(): version.decode() for name, version in mirrored.items()}

    def _raise_versions(self, key, versions, timeout):
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        arguments = [int(timeout)]
        for name, version in sorted(versions.items()):
            arguments += [name, version]
        client.eval(RAISE_VERSIONS, 1, key, *arguments)


# Atomic in Redis: each name is set when absent or when its value (the number before the dot) is higher. The
# same value with another stamp means the database was restored or reset: the mirror is dropped, and the
# readers fall back on the database. A mirror made here expires (ARGV[1] seconds), so that even a restore that
# lowered the versions is seen within that delay.
RAISE_VERSIONS = """
local made = redis.call('EXISTS', KEYS[1]) == 0
for i = 2, #ARGV, 2 do
  local name, version = ARGV[i], ARGV[i + 1]
  local mirrored = redis.call('HGET', KEYS[1], name)
  if not mirrored then
    redis.call('HSET', KEYS[1], name, version)
  else
    local old = tonumber(string.match(mirrored, '^%d+'))
    local new = tonumber(string.match(version, '^%d+'))
    if new > old then
      redis.call('HSET', KEYS[1], name, version)
    elseif new == old and version ~= mirrored then
      redis.call('DEL', KEYS[1])
      return 0
    end
  end
end
if made then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return 1
"""
