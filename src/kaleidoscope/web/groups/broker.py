"""Live notifications and shared counters for group sessions.

Two backends with one interface:

- ``LocalBroker`` (default, one server process): publishers are page views on the WSGI
  thread pool; subscribers are server-sent-event streams on the event loop. A publish
  hands the message to each subscriber's loop with ``call_soon_threadsafe``.
- ``RedisBroker`` (``REDIS_URL`` set, several processes): a publish goes to Redis
  (``PUBLISH``, and the latest state under a key); each process runs ONE listener task
  (a pattern subscription) that fans messages out to its local streams. Rate limits are
  Redis counters, so every process sees the same count.

Messages are JSON text with an integer ``rev``; a "kept" message is the channel's latest
state, given to a stream when it connects (newer revisions only replace older ones).
Durable state (sessions, votes) lives in the database, never only here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "kaleidoscope:group:"
KEEP_SECONDS = 6 * 3600  # longer than a session's idle expiry
QUEUE_SIZE = 32
CLOSE = "\x00close"  # put in a subscriber's queue: end the stream


def _rev(payload: str) -> int:
    try:
        value = json.loads(payload).get("rev", -1)
    except (ValueError, AttributeError):
        return -1
    return value if isinstance(value, int) else -1


class _Fanout:
    """Local subscribers: channel -> queues, each queue bound to its event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]]] = {}

    def add(self, channels: list[str], queue: asyncio.Queue[str]) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            for channel in channels:
                self._subs.setdefault(channel, set()).add((loop, queue))

    def remove(self, channels: list[str], queue: asyncio.Queue[str]) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            for channel in channels:
                subs = self._subs.get(channel)
                if subs is not None:
                    subs.discard((loop, queue))
                    if not subs:
                        del self._subs[channel]

    def close_all(self) -> None:
        """Tell every local subscriber to end (the server is stopping)."""
        with self._lock:
            subs = {sub for subs in self._subs.values() for sub in subs}
        for loop, queue in subs:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_put_all, [queue], CLOSE)

    def count(self, channel: str) -> int:
        with self._lock:
            return len(self._subs.get(channel, ()))

    def deliver(self, channel: str, payload: str) -> None:
        """Hand ``payload`` to every local subscriber of ``channel`` (any thread)."""
        with self._lock:
            subs = list(self._subs.get(channel, ()))
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Queue[str]]] = {}
        for loop, queue in subs:
            by_loop.setdefault(loop, []).append(queue)
        for loop, queues in by_loop.items():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                _put_all(queues, payload)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_put_all, queues, payload)


def _put_all(queues: list[asyncio.Queue[str]], payload: str) -> None:
    for queue in queues:
        if queue.full():  # a stalled reader: it only needs the newest news
            while not queue.empty():
                queue.get_nowait()
        queue.put_nowait(payload)


class Broker:
    """The interface (and the in-process implementation)."""

    name = "local"

    def __init__(self) -> None:
        self.fanout = _Fanout()
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, str]] = {}
        self._hits: dict[str, tuple[float, int]] = {}

    # --- publishing (sync: called from page views) -------------------------------------
    def publish(self, channel: str, payload: str, keep: bool = False) -> None:
        if keep:
            self.keep(channel, payload)
        self.fanout.deliver(channel, payload)

    def keep(self, channel: str, payload: str) -> None:
        """Store ``payload`` as the channel's latest state (if newer), telling nobody."""
        now = time.monotonic()
        with self._lock:
            if len(self._kept) > 1000:  # forget expired states now and then
                self._kept = {k: v for k, v in self._kept.items() if v[0] > now}
            old = self._kept.get(channel)
            if old is None or _rev(old[1]) < _rev(payload):
                self._kept[channel] = (now + KEEP_SECONDS, payload)

    def kept(self, channel: str) -> str | None:
        with self._lock:
            entry = self._kept.get(channel)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._kept[channel]
                return None
            return entry[1]

    async def akept(self, channel: str) -> str | None:
        return self.kept(channel)

    def hit(self, key: str, limit: int, window: int) -> bool:
        """Count one event under ``key``; False once more than ``limit`` in ``window`` s."""
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > 10_000:  # forget expired windows now and then
                self._hits = {k: v for k, v in self._hits.items() if v[0] > now}
            ends, count = self._hits.get(key, (0.0, 0))
            if ends <= now:
                ends, count = now + window, 0
            count += 1
            self._hits[key] = (ends, count)
            return count <= limit

    # --- subscribing (async: called from event streams) --------------------------------
    async def ready(self) -> None:
        """Wait until published messages reach this process's subscribers."""

    @asynccontextmanager
    async def subscribe(self, channels: list[str]) -> AsyncIterator[asyncio.Queue[str]]:
        await self.ready()
        queue: asyncio.Queue[str] = asyncio.Queue(QUEUE_SIZE)
        self.fanout.add(channels, queue)
        try:
            yield queue
        finally:
            self.fanout.remove(channels, queue)

    def close(self) -> None:
        pass


LocalBroker = Broker

# Keep the newest state: set only if this revision is newer than the one kept; then
# publish it (ARGV[4] == "1") or not.
_KEEP_NEWER = """
local old = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[2]) > old then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
end
if ARGV[4] == "1" then
  return redis.call('PUBLISH', KEYS[1], ARGV[1])
end
return 0
"""


class RedisBroker(Broker):
    """Pub/sub and keys in a real Redis, shared by every server process."""

    name = "redis"

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self.url = url
        self.sync = redis.Redis.from_url(url, health_check_interval=30)
        self._keep_newer = self.sync.register_script(_KEEP_NEWER)
        self._listener: asyncio.Task[None] | None = None
        self._listening: asyncio.Event | None = None
        self._aclient: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish(self, channel: str, payload: str, keep: bool = False) -> None:
        key = PREFIX + channel
        if keep:
            self._keep_newer(
                keys=[key, key + ":rev"], args=[payload, _rev(payload), KEEP_SECONDS, "1"]
            )
        else:
            self.sync.publish(key, payload)

    def keep(self, channel: str, payload: str) -> None:
        key = PREFIX + channel
        self._keep_newer(keys=[key, key + ":rev"], args=[payload, _rev(payload), KEEP_SECONDS, "0"])
        super().keep(channel, payload)

    def kept(self, channel: str) -> str | None:
        value = self.sync.get(PREFIX + channel)
        return value.decode() if isinstance(value, bytes) else value

    async def akept(self, channel: str) -> str | None:
        """The latest state: from this process's copy (kept up to date by the listener
        while it stays subscribed), else from Redis."""
        await self.ready()
        local = super().kept(channel)
        if local is not None:
            return local
        value = await self._aclient.get(PREFIX + channel)
        if value is None:
            return None
        text = value.decode() if isinstance(value, bytes) else str(value)
        super().keep(channel, text)
        return text

    def hit(self, key: str, limit: int, window: int) -> bool:
        full = PREFIX + "rate:" + key
        pipe = self.sync.pipeline()
        pipe.incr(full)
        pipe.expire(full, window, nx=True)
        count, _ = pipe.execute()
        return int(count) <= limit

    async def ready(self) -> None:
        loop = asyncio.get_running_loop()
        if self._listener is None or self._loop is not loop or self._listener.done():
            import redis.asyncio as aioredis

            self._loop = loop
            self._listening = asyncio.Event()
            # A blocking pool: a burst of streams opening waits for a connection
            # instead of failing with "too many connections".
            pool = aioredis.BlockingConnectionPool.from_url(
                self.url, max_connections=32, timeout=20, health_check_interval=30
            )
            self._aclient = aioredis.Redis(connection_pool=pool)
            self._listener = loop.create_task(self._listen(self._listening))
        assert self._listening is not None
        await self._listening.wait()

    async def _listen(self, listening: asyncio.Event) -> None:
        """One pattern subscription per process; reconnects if Redis goes away."""
        import redis.asyncio as aioredis

        while True:
            client = aioredis.Redis.from_url(self.url)
            pubsub = client.pubsub()
            try:
                await pubsub.psubscribe(PREFIX + "*")
                while True:
                    message = await pubsub.get_message(timeout=30)
                    if message is None:
                        continue
                    if message["type"] == "psubscribe":
                        # Anything kept locally may have missed messages while we were
                        # not subscribed: from now on, copies are complete again.
                        with self._lock:
                            self._kept.clear()
                        listening.set()
                    elif message["type"] == "pmessage":
                        channel = message["channel"].decode()[len(PREFIX) :]
                        payload = message["data"].decode()
                        if channel.endswith(":state"):
                            super().keep(channel, payload)
                        self.fanout.deliver(channel, payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis restarted or unreachable: retry
                log.warning("group sessions: Redis subscription lost (%s); retrying", type(exc))
                await asyncio.sleep(1)
            finally:
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:
                    pass

    def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
        self.sync.close()


_brokers: dict[str, Broker] = {}
_brokers_lock = threading.Lock()


def get_broker() -> Broker:
    """The process's broker: Redis when ``settings.REDIS_URL`` is set, else in-process."""
    from django.conf import settings

    url = getattr(settings, "REDIS_URL", "") or ""
    with _brokers_lock:
        broker = _brokers.get(url)
        if broker is None:
            broker = RedisBroker(url) if url else Broker()
            _brokers[url] = broker
        return broker
