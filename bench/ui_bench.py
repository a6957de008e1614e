"""P3: the window stays responsive while a long markdown reply streams in, and a render costs as much
at the end of the reply as at its start.

A real ChatView in a shown window, themed as the app is, gets 2,000 token-sized pieces of a markdown
reply (headings, lists, fenced python code, two tables) from a timer, the way the inference worker's
queued signals reach it: at a steady rate in wall-clock time, with the event loop running in between,
and with the tokens that fell due during a stall delivered together afterwards. The stall watchdog the
app itself installs measures how late the event loop got; ReplyWidget.render_now is wrapped to time
each throttled re-render.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from PySide6.QtCore import QEventLoop, QMessageLogContext, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMainWindow

from app.reply_stats import ReplyStats
from app.ui.chat_view import ChatView
from app.ui.reply_widget import RENDER_INTERVAL_MS, ReplyWidget
from app.ui.theme import apply_theme
from app.ui.watchdog import install_stall_watchdog

TOKENS = 2000
# About what a fast model on a laptop produces (~80 tok/s): several tokens per render.
TOKEN_INTERVAL_MS = 12
# Renders in the first and in the last this many tokens are compared.
EDGE_TOKENS = 200
WATCHDOG_INTERVAL_MS = 5
STALL_GOAL_MS = 50
WINDOW_SIZE = (1100, 800)
SEED = 7

_PROSE = (
    "A cache only helps when the same request comes back often enough to pay for the memory it holds.",
    "The simplest version keeps responses in a dictionary keyed by the URL and never forgets anything.",
    "That works in a script, but a long-running service needs a limit, or memory grows without bound.",
    "An **LRU** policy drops the entry that was used least recently once the cache is full.",
    "Python ships one in `functools.lru_cache`, which is enough for pure functions with hashable arguments.",
    "HTTP responses are different: they expire, and the server tells you when through `Cache-Control`.",
    "So each entry needs a timestamp, and a lookup must check it before returning the stored body.",
    "Reading the clock costs almost nothing compared with a network round trip, so check it every time.",
    "Use `time.monotonic()` rather than `time.time()`, because the wall clock can jump when it is synced.",
    "If two requests for the same URL arrive together, both may miss and both fetch; that is usually fine.",
    "When it is not, keep one in-flight *future* per key and let the second caller await the first.",
    "Errors should not be cached by default, or a brief outage turns into a long one.",
    "A short negative cache, a few seconds at most, still protects the upstream from a retry storm.",
    "Measure the hit rate before tuning anything else; below about 30% the cache is mostly overhead.",
    "Keep the keys small: a hash of the method, the URL and the headers that change the response.",
    "The `Vary` header names those request headers, and ignoring it serves the wrong language or encoding.",
    "Compression is worth it for large JSON bodies, which often shrink to a fifth of their size.",
    "For anything shared between processes, a local cache will disagree with its neighbours for a while.",
    "That is acceptable for read-mostly data such as configuration, prices updated hourly, or avatars.",
    "It is not acceptable for balances or permissions, which should always go to the source of truth.",
    "Log every eviction at debug level at first; the pattern tells you whether the size limit is right.",
    "Tests should use a fake clock, so expiry can be checked without sleeping in the test suite.",
    "Finally, give the cache a `clear()` method, because someone will need it during an incident.",
    "The numbers below come from a laptop, so treat them as a rough guide, not a promise.",
)

_CODE = (
    '''from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class Entry:
    body: bytes
    expires_at: float


class ResponseCache:
    """An LRU cache of HTTP bodies that honours max-age."""

    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._max_entries = max_entries

    def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or entry.expires_at < time.monotonic():
            return None
        self._entries.move_to_end(key)
        return entry.body''',
    """    def put(self, key: str, body: bytes, max_age: float) -> None:
        self._entries[key] = Entry(body, time.monotonic() + max_age)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            oldest, _ = self._entries.popitem(last=False)
            log.debug("evicted %s", oldest)""",
    '''import re

_MAX_AGE = re.compile(r"max-age=(\\d+)")


def max_age(headers: dict[str, str]) -> float:
    """Seconds the response may be reused; 0 when the server says not to store it."""
    value = headers.get("cache-control", "").lower()
    if "no-store" in value or "private" in value:
        return 0.0
    match = _MAX_AGE.search(value)
    return float(match.group(1)) if match else 0.0''',
    """import asyncio

_in_flight: dict[str, asyncio.Future[bytes]] = {}


async def fetch_once(key: str, fetch: Callable[[], Awaitable[bytes]]) -> bytes:
    if (cached := cache.get(key)) is not None:
        return cached
    if key in _in_flight:
        return await _in_flight[key]
    future = asyncio.get_running_loop().create_future()
    _in_flight[key] = future
    try:
        body = await fetch()
        future.set_result(body)
        return body
    except Exception as exc:
        future.set_exception(exc)
        raise
    finally:
        del _in_flight[key]""",
    """class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(time, "monotonic", clock)
    cache = ResponseCache()
    cache.put("a", b"body", max_age=60)
    clock.now += 59
    assert cache.get("a") == b"body"
    clock.now += 2
    assert cache.get("a") is None""",
)

_LATENCY_TABLE = """| Strategy | p50 latency | p99 latency | Memory | Hit rate |
|:---------|------------:|------------:|-------:|---------:|
| No cache | 84 ms | 310 ms | 0 MB | 0% |
| Dict, no limit | 0.3 ms | 1.1 ms | 1,920 MB | 71% |
| LRU, 512 entries | 0.4 ms | 1.3 ms | 96 MB | 64% |
| LRU + max-age | 0.4 ms | 1.4 ms | 88 MB | 61% |
| LRU + max-age + in-flight | 0.4 ms | 1.2 ms | 88 MB | 62% |"""

_HEADER_TABLE = """| Header | Meaning | What the cache does |
|--------|---------|---------------------|
| `Cache-Control: max-age=N` | reusable for N seconds | stores it with an expiry |
| `Cache-Control: no-store` | never store | skips it |
| `Cache-Control: private` | for one user only | skips it in a shared cache |
| `Vary: Accept-Language` | differs by language | adds the header to the key |
| `ETag` | a version tag | can revalidate instead of refetching |"""

_LIST_ITEMS = (
    "**Keying**: hash the method, the URL and the headers named by `Vary`.",
    "**Expiry**: store `time.monotonic() + max_age` next to the body.",
    "**Eviction**: drop the least recently used entry once the cache is full.",
    "**Errors**: never store them, or only for a few seconds.",
    "**Concurrency**: share one in-flight request per key.",
    "**Observability**: count hits, misses and evictions.",
    "**Tests**: drive expiry with a fake clock instead of `sleep()`.",
)


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.sample(_PROSE, sentences))


def _code(index: int) -> str:
    return f"```python\n{_CODE[index % len(_CODE)]}\n```"


def reply_markdown(rng: random.Random) -> str:
    """A long answer shaped like a model's: prose between headings, lists, code and two tables.

    It ends with the same EDGE_TOKENS tokens it starts with, so comparing the renders at its two ends
    compares the same markdown at two lengths of reply, not two different kinds of block.
    """
    blocks = [
        _paragraph(rng, 2),
        "## A small response cache",
        "\n".join(f"- {item}" for item in _LIST_ITEMS[:3]),
        _code(2),
        _paragraph(rng, 2),
        _code(0),
        _code(1),
        "### Reading the server's instructions",
        _paragraph(rng, 3),
        _HEADER_TABLE,
        _paragraph(rng, 2),
        "## Two callers, one request",
        _paragraph(rng, 2),
        "\n".join(f"{n}. {item}" for n, item in enumerate(_LIST_ITEMS[2:6], start=1)),
        _code(3),
        "## How much it helps",
        _paragraph(rng, 2),
        _LATENCY_TABLE,
        _paragraph(rng, 3),
        "## Testing it",
        _paragraph(rng, 2),
        _code(4),
        _paragraph(rng, 4),
        _paragraph(rng, 4),
    ]
    opening = "".join(split_tokens("\n\n".join(blocks))[:EDGE_TOKENS])
    # Whole blocks while they fit before the repeated opening, then prose to make exactly TOKENS.
    room = TOKENS - EDGE_TOKENS - 2  # the blank line before the opening is two tokens
    body = blocks[0]
    for block in blocks[1:]:
        if len(split_tokens(f"{body}\n\n{block}")) > room - 10:
            break
        body = f"{body}\n\n{block}"
    filler = split_tokens(_paragraph(rng, 12))
    body += "\n\n" + "".join(filler[: room - len(split_tokens(body)) - 2])
    text = f"{body}\n\n{opening}"
    assert len(split_tokens(text)) == TOKENS, "the generated reply must be exactly TOKENS tokens"
    return text


# A word with its leading space, a number, one punctuation mark, a newline, or a run of indentation:
# about the size of a model's tokens.
_TOKEN = re.compile(r"\n| ?[A-Za-z]+| ?\d{1,3}| ?[^\sA-Za-z\d]| +")


def split_tokens(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    assert "".join(tokens) == text, "the token pattern must cover every character"
    return tokens


@dataclass
class Run:
    renders: list[tuple[int, float]] = field(default_factory=list)  # (tokens fed, seconds)
    finish_s: float = 0.0
    stream_s: float = 0.0
    longest_stall_ms: float = 0.0
    first_edge_stall_ms: float = 0.0
    last_edge_stall_ms: float = 0.0


class _Feeder:
    """Appends the tokens that are due, the way queued signals from the inference thread would."""

    def __init__(self, reply: ReplyWidget, tokens: list[str], on_token: Callable[[int], None]) -> None:
        self.fed = 0
        self._reply = reply
        self._tokens = tokens
        self._on_token = on_token
        self._start = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TOKEN_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.done = QEventLoop()

    def start(self) -> None:
        self._start = time.perf_counter()
        self._timer.start()
        self._tick()

    def _tick(self) -> None:
        # Due by the clock, not by the number of ticks: a model keeps generating while the UI stalls.
        elapsed_ms = (time.perf_counter() - self._start) * 1000
        due = min(len(self._tokens), int(elapsed_ms // TOKEN_INTERVAL_MS) + 1)
        while self.fed < due:
            self._reply.append_answer(self._tokens[self.fed])
            self.fed += 1
            self._on_token(self.fed)
        if self.fed == len(self._tokens):
            self._timer.stop()
            self.done.quit()


def _qt_message(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    # The offscreen platform says this about every window it shows; it is noise, not a finding.
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _run_events(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def stream_once(app: QApplication, tokens: list[str]) -> Run:
    run = Run()
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    view = ChatView(window, dark=False)
    window.setCentralWidget(view)
    window.show()
    view.add_user_message(1, "How would I cache HTTP responses in a Python service?")
    # Its longest stall is read here; its per-stall log warning (the threshold) is for the app, not this.
    watchdog = install_stall_watchdog(app, threshold_ms=10_000, interval_ms=WATCHDOG_INTERVAL_MS)
    feeder: _Feeder | None = None
    original = ReplyWidget.render_now

    def timed_render(reply: ReplyWidget) -> None:
        before, start = reply.render_count, time.perf_counter()
        original(reply)
        if reply.render_count > before and feeder is not None:
            run.renders.append((feeder.fed, time.perf_counter() - start))

    def on_token(fed: int) -> None:
        # The watchdog keeps only a maximum: read and reset it where the compared stretches begin and end.
        if fed == EDGE_TOKENS:
            run.first_edge_stall_ms = watchdog.longest_stall_ms
        if fed == len(tokens) - EDGE_TOKENS:
            run.longest_stall_ms = watchdog.longest_stall_ms
            watchdog.reset()

    # Patched on the class before the reply exists: its render timer connects to the method then.
    with mock.patch.object(ReplyWidget, "render_now", timed_render):
        _run_events(300)  # the window is exposed and painted, and the renderer warmed up (as in the app)
        reply = view.begin_reply(2)
        feeder = _Feeder(reply, tokens, on_token)
        watchdog.reset()
        started = time.perf_counter()
        feeder.start()
        feeder.done.exec()
        run.stream_s = time.perf_counter() - started
        renders_while_streaming = len(run.renders)
        reply.finish("done", ReplyStats(completion_tokens=len(tokens)))
        if len(run.renders) > renders_while_streaming:
            run.finish_s = run.renders.pop()[1]
        _run_events(RENDER_INTERVAL_MS * 3)  # the last layout and paint count as part of the stream
    run.last_edge_stall_ms = watchdog.longest_stall_ms
    run.longest_stall_ms = max(run.longest_stall_ms, run.last_edge_stall_ms)
    watchdog.stop()
    watchdog.deleteLater()
    window.close()
    return run


def main() -> None:
    # The bench runs on machines without a display; Qt must know before the application exists.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    apply_theme(app, "light")
    tokens = split_tokens(reply_markdown(random.Random(SEED)))
    previous_handler = qInstallMessageHandler(_qt_message)
    try:
        run = stream_once(app, tokens)
    finally:
        qInstallMessageHandler(previous_handler)

    first = [seconds for fed, seconds in run.renders if fed <= EDGE_TOKENS]
    last = [seconds for fed, seconds in run.renders if fed > TOKENS - EDGE_TOKENS]
    first_ms, last_ms = statistics.mean(first) * 1000, statistics.mean(last) * 1000
    all_ms = [seconds * 1000 for _, seconds in run.renders]
    print(
        f"P3 streaming: {TOKENS} tokens ({len(''.join(tokens))} characters), one due every "
        f"{TOKEN_INTERVAL_MS} ms, streamed in {run.stream_s:.1f} s ({TOKENS / run.stream_s:.0f} tok/s); "
        f"{len(run.renders)} renders, mean {statistics.mean(all_ms):.1f} ms, longest {max(all_ms):.1f} ms; "
        f"final render on finish {run.finish_s * 1000:.1f} ms"
    )
    print(
        f"P3 longest UI stall while streaming {TOKENS:,} tokens = {run.longest_stall_ms:.0f} ms   "
        f"(goal <= {STALL_GOAL_MS} ms; first {EDGE_TOKENS} tokens {run.first_edge_stall_ms:.0f} ms, "
        f"last {EDGE_TOKENS} tokens {run.last_edge_stall_ms:.0f} ms)"
    )
    print(
        f"P3 render cost: first {EDGE_TOKENS} tokens {first_ms:.1f} ms/render ({len(first)} renders), "
        f"last {EDGE_TOKENS} tokens {last_ms:.1f} ms/render ({len(last)} renders), "
        f"ratio end/start = {last_ms / first_ms:.2f}   (goal: flat)"
    )
