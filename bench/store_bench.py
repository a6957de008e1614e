"""P5: the history store with 10,000 conversations and 1,000,000 messages.

HistoryStore creates the file, so the schema, indexes and FTS triggers are the shipped ones. Only
the bulk load goes around it (executemany in one transaction): a million add_message calls would
take most of an hour and measure nothing P5 asks about. The text is made up but shaped like real chats:
short user questions, longer assistant replies with paragraphs and lists, hidden reasoning on some,
and per-conversation topic words, so searches hit anything from a few dozen to a million messages.
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from app.store import HistoryStore, fts_query, title_from
from app.store.search import RANKED_MATCHES, RANKED_WORD_MATCHES, fts_terms

CONVERSATIONS = 10_000
MESSAGES_PER_CONVERSATION = 100  # user and assistant turns alternate, one linear thread each
SEED = 5
RUNS = 9
LIST_GOAL_MS = 100
SEARCH_GOAL_MS = 50

# Real words at the head of the frequency curve, so a query like "the" behaves as it would.
_COMMON_TEXT = (
    "the of and to a in is it that for you this with on be as are can or not your if at by from have but "
    "will an more when use so than one some also then there these which their they its into what how would "
    "should may do each other about time only make like just need over such first because most very after "
    "any where well even way new want good those both here through much before must same while still "
    "between under never again without every might"
)
# Syllables for the rest of the vocabulary: made-up words that tokenize like real ones.
_ONSETS = (
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr",
    "sc", "sh", "sk", "sl", "sp", "st", "str", "th", "tr",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "ou")
_CODAS = ("", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng", "rt")
GENERAL_WORDS = 3_000
TOPIC_WORDS = 2_000
SENTENCE_POOL = 200_000  # messages are built from these; a few million fresh sentences would be slow
_EPOCH = datetime(2022, 1, 1, tzinfo=UTC).timestamp()
_SPAN_S = 3 * 365 * 24 * 3600  # the history covers three years
_PINNED = 12
# Each keystroke of a common word, as search-as-you-type sends it.
_AS_TYPED = ("t", "th", "the", "ther", "there")


@dataclass
class Corpus:
    """Seeded text: a Zipf vocabulary, a pool of sentences and topic words per conversation."""

    rng: random.Random
    general: list[str]  # most frequent first
    sentences: list[str]
    topics: list[str]
    topic_weights: list[float]
    # How many messages mention each topic word: picks search terms by how often they occur.
    mentions: Counter[str]


def _pseudo_word(rng: random.Random, syllables: tuple[int, ...]) -> str:
    body = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.choice(syllables)))
    return body + rng.choice(_CODAS)


def _vocabulary(rng: random.Random, size: int, syllables: tuple[int, ...], taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < size:
        word = _pseudo_word(rng, syllables)
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf(size: int) -> list[float]:
    return list(itertools.accumulate(1.0 / rank for rank in range(1, size + 1)))


def make_corpus(seed: int) -> Corpus:
    rng = random.Random(seed)
    common = _COMMON_TEXT.split()
    taken = set(common)
    general = common + _vocabulary(rng, GENERAL_WORDS - len(common), (1, 2, 2, 3), taken)
    topics = _vocabulary(rng, TOPIC_WORDS, (2, 3, 3), taken)
    general_weights = _zipf(len(general))
    sentences = [
        " ".join(rng.choices(general, cum_weights=general_weights, k=rng.randint(5, 18)))
        for _ in range(SENTENCE_POOL)
    ]
    return Corpus(rng, general, sentences, topics, _zipf(len(topics)), Counter())


def _prose(corpus: Corpus, count: int, topic: str | None, end: str = ".") -> str:
    parts = corpus.rng.choices(corpus.sentences, k=count)
    if topic is not None:
        at = corpus.rng.randrange(count)
        words = parts[at]
        cut = words.find(" ", len(words) // 2)
        parts[at] = f"{words} {topic}" if cut < 0 else f"{words[:cut]} {topic}{words[cut:]}"
    return " ".join(p[0].upper() + p[1:] + end for p in parts)


def _question(corpus: Corpus, topic: str | None) -> str:
    rng = corpus.rng
    text = _prose(corpus, rng.randint(1, 3), topic, "?" if rng.random() < 0.7 else ".")
    if topic is not None:
        corpus.mentions[topic] += 1
    return text


def _reply(corpus: Corpus, topic: str | None) -> str:
    rng = corpus.rng
    paragraphs = [
        _prose(corpus, rng.randint(1, 3), topic if i == 0 else None) for i in range(rng.randint(1, 3))
    ]
    if rng.random() < 0.25:
        paragraphs.insert(1, "\n".join("- " + _prose(corpus, 1, None) for _ in range(rng.randint(2, 5))))
    if topic is not None:
        corpus.mentions[topic] += 1
    return "\n\n".join(paragraphs)


def _stamp(seconds: float) -> str:
    # The store's own format (schema.UtcTimestamp): fixed-width ISO-8601 UTC.
    return datetime.fromtimestamp(_EPOCH + seconds, UTC).isoformat(timespec="microseconds")


def _conversation_rows(
    corpus: Corpus, cid: int, per_conversation: int, start_s: float
) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
    rng = corpus.rng
    topics = list(dict.fromkeys(rng.choices(corpus.topics, cum_weights=corpus.topic_weights, k=3)))
    effort = rng.choice(("low", "medium", "medium", "high"))
    first_id = (cid - 1) * per_conversation + 1
    messages: list[tuple[object, ...]] = []
    moment = start_s
    for turn in range(per_conversation):
        mid = first_id + turn
        parent = mid - 1 if turn else None
        topic = rng.choice(topics) if rng.random() < 0.4 else None
        moment += rng.uniform(5, 240)
        row: tuple[object, ...]
        if turn % 2 == 0:
            row = (mid, cid, parent, "user", _question(corpus, topic), "", _stamp(moment), None)
        else:
            reasoning = ""
            if rng.random() < 0.4:
                reasoning = _prose(corpus, rng.randint(2, 5), topic if rng.random() < 0.5 else None)
            tokens = rng.randint(40, 900)
            stats = (
                f'{{"prompt_tokens":{rng.randint(20, 6000)},"cached_tokens":0,"completion_tokens":{tokens},'
                f'"ttft_s":{rng.uniform(0.1, 2):.3f},"decode_tok_s":{rng.uniform(8, 40):.2f},'
                '"finish_reason":"stop"}'
            )
            row = (mid, cid, parent, "assistant", _reply(corpus, topic), reasoning, _stamp(moment), stats)
        messages.append(row)
    title = title_from(str(messages[0][4]))
    created, updated = _stamp(start_s), str(messages[-1][6])
    conversation = (cid, title, created, updated, 0, "gpt-oss-20b", effort, "{}")
    return conversation, messages


@dataclass
class Build:
    generate_s: float
    insert_s: float
    index_s: float
    size_bytes: int
    index_bytes: int
    corpus: Corpus


def build(path: Path, conversations: int, per_conversation: int, seed: int) -> Build:
    """Fill a fresh history file; returns where the time went."""
    HistoryStore(path).close()
    start = time.perf_counter()
    corpus = make_corpus(seed)
    generate_s = time.perf_counter() - start
    insert_s = 0.0
    rng = corpus.rng
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        # Safe only because a failed build is thrown away: no journal, no fsync, a big page cache.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")
        db.execute("BEGIN")
        # FTS5 indexes rows several times faster in one 'rebuild' than one by one through the
        # insert trigger, and builds the same index. The trigger goes back exactly as it was.
        trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts_insert'").fetchone()[0]
        db.execute("DROP TRIGGER messages_fts_insert")
        batch = 100
        for first in range(1, conversations + 1, batch):
            start = time.perf_counter()
            heads, rows = [], []
            for cid in range(first, min(first + batch, conversations + 1)):
                begin_s = (cid - 1) * _SPAN_S / conversations + rng.uniform(0, 3600)
                head, messages = _conversation_rows(corpus, cid, per_conversation, begin_s)
                heads.append(head)
                rows.extend(messages)
            generate_s += time.perf_counter() - start
            start = time.perf_counter()
            db.executemany(
                "INSERT INTO conversations (id, title, created_at, updated_at, pinned, model, "
                "reasoning_effort, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                heads,
            )
            db.executemany(
                "INSERT INTO messages (id, conversation_id, parent_id, role, content, reasoning, "
                "created_at, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            insert_s += time.perf_counter() - start
        start = time.perf_counter()
        pinned = rng.sample(range(1, conversations + 1), min(_PINNED, conversations))
        db.executemany("UPDATE conversations SET pinned = 1 WHERE id = ?", [(cid,) for cid in pinned])
        # The app was killed mid-reply: the next open has one reply to recover.
        db.execute("UPDATE messages SET status = 'streaming' WHERE id = (SELECT max(id) FROM messages)")
        insert_s += time.perf_counter() - start
        start = time.perf_counter()
        db.execute("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')")
        index_s = time.perf_counter() - start
        db.execute(trigger)
        db.execute("COMMIT")
        start = time.perf_counter()
        db.execute("PRAGMA journal_mode = WAL")  # back to what HistoryStore set up
        index_bytes = db.execute(
            "SELECT sum(pgsize) FROM dbstat('main', 1) WHERE name LIKE 'messages_fts%'"
        ).fetchone()[0]
    # Written without fsync: flush now, or the first commit measured below would pay for it.
    with path.open("rb+") as file:
        os.fsync(file.fileno())
    insert_s += time.perf_counter() - start
    return Build(generate_s, insert_s, index_s, path.stat().st_size, index_bytes, corpus)


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    action()  # the first call pays for statement compilation and a cold page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _nearest(mentions: Counter[str], target: int) -> str:
    return min(sorted(mentions), key=lambda word: abs(mentions[word] - target))


def search_queries(corpus: Corpus, messages: int) -> list[tuple[str, str]]:
    """(label, text) as typed into the search box: no trailing space, so the last word is a prefix."""
    rare, medium = _nearest(corpus.mentions, messages // 10_000), _nearest(corpus.mentions, messages // 100)
    # In a few percent of messages: common, but not so common that ranking gives up on it.
    everyday = corpus.general[300]
    return [
        ("rare word", rare),
        ("medium word", medium),
        ("very common word", "the"),
        ("two words", f"{medium} {everyday}"),
        ("two words, one very common", f"the {medium}"),
        ("prefix", medium[:3]),
    ]


def _matches(path: Path, text: str) -> tuple[int, str]:
    """How many messages match, and the order HistoryStore.search gives them (its rule, repeated)."""
    with closing(sqlite3.connect(path)) as db:
        sql = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?"
        counts = [
            int(db.execute(sql, (match,)).fetchone()[0]) for match in (fts_query(text), *fts_terms(text))
        ]
    total, words = counts[0], counts[1:]
    ranked = total <= RANKED_MATCHES and (len(words) == 1 or max(words) <= RANKED_WORD_MATCHES)
    return total, "best first" if ranked else "newest first"


def measure(path: Path, built: Build, conversations: int, per_conversation: int) -> None:
    start = time.perf_counter()
    HistoryStore(path).close()
    first_ms = (time.perf_counter() - start) * 1000
    opened: list[HistoryStore] = []
    open_ms = median_ms(lambda: opened.append(HistoryStore(path)))
    close_ms = median_ms(lambda: opened.pop().close(), runs=len(opened) - 1)
    print(
        f"P5 open HistoryStore (version check + crash recovery) = {open_ms:.1f} ms, close = "
        f"{close_ms:.1f} ms; first open and close, recovering one interrupted reply = {first_ms:.0f} ms"
    )

    with HistoryStore(path) as store:
        page = median_ms(lambda: store.list_conversations(limit=200))
        print(f"P5 list_conversations(limit=200) = {page:.1f} ms   (goal <= {LIST_GOAL_MS} ms)")
        middle = conversations // 2
        deep = median_ms(lambda: store.list_conversations(limit=200, offset=middle))
        print(f"P5 list_conversations(limit=200, offset={middle:,}) = {deep:.1f} ms")
        thread = median_ms(lambda: store.thread(middle))
        print(f"P5 thread() of a {per_conversation}-message conversation = {thread:.1f} ms")

        for label, text in search_queries(built.corpus, conversations * per_conversation):
            hits, order = _matches(path, text)
            took = median_ms(partial(store.search, text))
            print(
                f"P5 search {label} {text!r} ({hits:,} matches, {order}) = {took:.1f} ms   "
                f"(goal <= {SEARCH_GOAL_MS} ms)"
            )
        typed = [(text, median_ms(partial(store.search, text))) for text in _AS_TYPED]
        print("P5 search as typed: " + ", ".join(f"{text!r} {took:.1f} ms" for text, took in typed))


def main(conversations: int = CONVERSATIONS, per_conversation: int = MESSAGES_PER_CONVERSATION) -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as folder:
        path = Path(folder) / "history.db"
        built = build(path, conversations, per_conversation, SEED)
        total = built.generate_s + built.insert_s + built.index_s
        print(
            f"P5 built {conversations:,} conversations / {conversations * per_conversation:,} messages in "
            f"{total:.0f} s (text {built.generate_s:.0f} s, rows {built.insert_s:.0f} s, search index "
            f"{built.index_s:.0f} s); file {built.size_bytes / 2**20:.0f} MiB, of which search index "
            f"{built.index_bytes / 2**20:.0f} MiB"
        )
        measure(path, built, conversations, per_conversation)
