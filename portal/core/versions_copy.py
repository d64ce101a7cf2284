"""Each process's own copy of the cache versions' mirror in Redis, kept current by Redis pub/sub, so that a
page-cache hit makes no network call at all (issue 14: a hit at 0.8 x a static file; the mirror's HGETALL
was half of a hit's time).

How it stays true
- Every change of the mirror is made by one Lua script (portal/core/cache_backends.py) that publishes, in
  the same atomic step, what it raised (or that it dropped the mirror). A thread of each process listens and
  applies those messages to its copy, forward only, as the mirror itself.
- The copy is used only while that thread is subscribed and has heard from Redis within HEARD_SECONDS (it
  pings Redis every PING_SECONDS): a connection cut silently stops being trusted within that delay, and the
  readers go back to the mirror. A lost connection empties the copy; the thread subscribes again.
- It is reloaded from the mirror at most every RELOAD_SECONDS (replaced, not merged, so that a restore that
  lowered the versions, seen by the mirror when it expires, reaches the copy too). A message received
  while a reload was reading is kept.
- The process that raises the mirror applies its own change at once, without waiting for its message: its
  next request sees its own edit.
Between a commit and the message's arrival in another process (a fraction of a millisecond on loopback),
that process may still serve the page as it was just before, as with the mirror alone.
"""

import logging
import os
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

DROPPED = "-"  # the message saying the mirror was dropped (a restore): every copy empties itself
PING_SECONDS = 1.0
HEARD_SECONDS = 3.0
RELOAD_SECONDS = 5.0
RETRY_SECONDS = 1.0


def number(version):
    return int(version.split(".", 1)[0])


def decode(message):
    """The changes a message holds ("name=version" lines, as the Lua script writes them), None for a drop."""
    if message == DROPPED:
        return None
    return dict(line.split("=", 1) for line in message.split("\n") if line)


class VersionsCopy:
    """The copy of one mirror (a hash in Redis, published on the channel of the same name) in this process."""

    def __init__(self, url, channel):
        self.url = url
        self.channel = channel
        self.lock = threading.Lock()
        self.versions = {}  # replaced, never changed in place: readers take it without the lock
        self.generation = 0  # counts the messages applied, so that a reload does not undo one
        self.reloaded_at = float("-inf")
        self.heard_at = float("-inf")
        self.subscribed = False
        self.subscription = 0  # counts the subscriptions: a reload is trusted only if made within one
        self.failing = False  # since the listener's last error, until it subscribes again
        self.pid = None
        self.thread = None

    # Readers ------------------------------------------------------------------------------------------------

    def read(self):
        """The copy, when it can be trusted without asking Redis; else None."""
        self.ensure_listening()
        now = time.monotonic()
        if (
            self.subscribed
            and now - self.heard_at < HEARD_SECONDS
            and now - self.reloaded_at < RELOAD_SECONDS
        ):
            return self.versions
        return None

    def reload_from(self, read_mirror):
        """Replace the copy with the mirror as `read_mirror()` returns it (None: Redis did not answer)."""
        with self.lock:
            generation, listening = self.generation, self.subscribed and self.subscription
        mirrored = read_mirror()
        if mirrored is None:
            return None
        with self.lock:
            if self.generation == generation:
                self.versions = dict(mirrored)
            else:  # a message came meanwhile: it may be newer than what was read
                self.versions = merged(self.versions, mirrored)
            # Trusted until the next reload only if the listener was subscribed before the mirror was read
            # (a change published before the subscription would be missing) and still is.
            if listening and self.subscribed and self.subscription == listening:
                self.reloaded_at = time.monotonic()
            else:
                self.reloaded_at = float("-inf")
        return mirrored

    # Writers ------------------------------------------------------------------------------------------------

    def apply(self, changes):
        """Changes published by any process (this one's own too): raise the copy, or empty it (None)."""
        with self.lock:
            self.generation += 1
            if changes is None:
                self.versions = {}
                self.reloaded_at = float("-inf")
            else:
                self.versions = merged(self.versions, changes)

    def forget(self):
        with self.lock:
            self.generation += 1
            self.versions = {}
            self.reloaded_at = float("-inf")

    # The listening thread -----------------------------------------------------------------------------------

    def ensure_listening(self):
        # After a fork (gunicorn --preload, a test runner's workers) the parent's thread is not there.
        if self.pid == os.getpid() and self.thread is not None and self.thread.is_alive():
            return
        with self.lock:
            if self.pid == os.getpid() and self.thread is not None and self.thread.is_alive():
                return
            self.pid = os.getpid()
            self.subscribed = False
            self.versions = {}
            self.reloaded_at = float("-inf")
            self.thread = threading.Thread(target=self.listen, name="cache-versions-listener", daemon=True)
            self.thread.start()

    def listen(self):
        while True:
            try:
                self.listen_once()
            except Exception as error:  # whatever broke, the copy stops being trusted
                if not self.failing:  # once per outage, not at every retry
                    logger.warning("Cache versions listener cut, reading the mirror meanwhile: %s", error)
                self.failing = True
            with self.lock:
                self.subscribed = False
                self.versions = {}
                self.reloaded_at = float("-inf")
            time.sleep(RETRY_SECONDS)

    def listen_once(self):
        # No silent reconnection (redis-py's retries): a new connection must go through a new subscription.
        client = redis.Redis.from_url(
            self.url,
            socket_connect_timeout=0.25,
            socket_timeout=HEARD_SECONDS,
            retry=Retry(NoBackoff(), 0),
        )
        pubsub = client.pubsub()
        try:
            pubsub.subscribe(self.channel)
            pinged_at = float("-inf")
            while True:
                if time.monotonic() - pinged_at >= PING_SECONDS:
                    pubsub.ping()
                    pinged_at = time.monotonic()
                message = pubsub.get_message(timeout=PING_SECONDS)
                if message is None:
                    continue
                kind = message["type"]
                if kind == "subscribe":
                    if self.failing:
                        logger.warning("Cache versions listener subscribed again")
                        self.failing = False
                    # Changes published before this may have been missed: reloaded before it is trusted.
                    with self.lock:
                        self.subscribed = True
                        self.subscription += 1
                        self.versions = {}
                        self.reloaded_at = float("-inf")
                        self.heard_at = time.monotonic()
                elif kind == "pong":
                    self.heard_at = time.monotonic()
                elif kind == "message":
                    self.heard_at = time.monotonic()
                    data = message["data"]
                    self.apply(decode(data.decode() if isinstance(data, bytes) else data))
        finally:
            pubsub.close()
            client.close()


def merged(versions, changes):
    """`versions` raised by `changes`, forward only; the same number with another stamp empties it (as the
    mirror does on a restore)."""
    result = dict(versions)
    for name, version in changes.items():
        kept = result.get(name)
        if kept is None or number(version) > number(kept):
            result[name] = version
        elif number(version) == number(kept) and version != kept:
            return {}
    return result


_copies = {}
_copies_lock = threading.Lock()


def copy_for(url, channel):
    with _copies_lock:
        copy = _copies.get((url, channel))
        if copy is None:
            copy = _copies[(url, channel)] = VersionsCopy(url, channel)
        return copy


def forget_all():
    """Empty every copy in this process (the tests, whose flushes take versions back)."""
    with _copies_lock:
        copies = list(_copies.values())
    for copy in copies:
        copy.forget()
