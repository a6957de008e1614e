"""A new conversation's title written by the real model after its first reply, kept clean, never over
the user's own title, and given up the moment something else is asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.auto_title import clean_title, write_title
from app.engine import Engine
from app.store import HistoryStore, title_from
from app.turn import add_question, reply_to
from tests.fixtures.tiny_models import TinyModel


@pytest.fixture(scope="module")
def engine(plain_model: TinyModel) -> Iterator[Engine]:
    loaded = Engine()
    loaded.load(plain_model.path, n_ctx=1024)
    yield loaded
    loaded.unload()


def answered(engine: Engine, store: HistoryStore, question: str) -> int:
    conversation = store.create_conversation()
    reply_to(engine, store, conversation, add_question(store, conversation, question))
    return conversation


@pytest.mark.parametrize(
    ("reply", "title"),
    [
        ("Caching HTTP responses", "Caching HTTP responses"),
        ('Title: "Planting tomatoes in spring."', "Planting tomatoes in spring"),
        ("**Lisbon trip plans**\n\nHere is why: …", "Lisbon trip plans"),
        ("one two three four five six seven eight nine ten", "one two three four five six seven eight…"),
        ("  \n\n ", None),
        ('""', None),
        ("Zeile\x1b[31m rot", "Zeile[31m rot"),
    ],
)
def test_clean_title(reply: str, title: str | None) -> None:
    assert clean_title(reply) == title


def test_the_model_titles_a_new_conversation(
    engine: Engine, store: HistoryStore, plain_model: TinyModel
) -> None:
    conversation = answered(engine, store, "Where should we stay in Lisbon for a week in May?")
    title = write_title(engine, store, conversation, threading.Event())
    assert title == clean_title(plain_model.expected_answer)
    stored = store.get_conversation(conversation)
    assert stored is not None and stored.title == title


def test_a_title_the_user_chose_is_kept(engine: Engine, store: HistoryStore) -> None:
    conversation = answered(engine, store, "Where should we stay in Lisbon?")
    store.rename_conversation(conversation, "Holiday")
    assert write_title(engine, store, conversation, threading.Event()) is None
    stored = store.get_conversation(conversation)
    assert stored is not None and stored.title == "Holiday"


def test_a_cancelled_title_leaves_the_first_words(engine: Engine, store: HistoryStore) -> None:
    question = "Where should we stay in Lisbon?"
    conversation = answered(engine, store, question)
    cancel = threading.Event()
    cancel.set()
    assert write_title(engine, store, conversation, cancel) is None
    stored = store.get_conversation(conversation)
    assert stored is not None and stored.title == title_from(question)


def test_no_title_before_a_reply(engine: Engine, store: HistoryStore) -> None:
    conversation = store.create_conversation()
    add_question(store, conversation, "Hello?")
    assert write_title(engine, store, conversation, threading.Event()) is None


def test_retitle_only_replaces_the_title_it_expects(store: HistoryStore) -> None:
    conversation = store.create_conversation("First words")
    assert not store.retitle(conversation, "Model's", replacing="Something else")
    assert store.retitle(conversation, "Model's", replacing="First words")
    stored = store.get_conversation(conversation)
    assert stored is not None and stored.title == "Model's"
