"""Full-text search: ranking, snippets, index upkeep, and queries that must never fail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import SNIPPET_END, SNIPPET_START, HistoryStore, fts_query, search
from app.store.search import MAX_TERMS, fts_terms


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path_factory.mktemp("search") / "history.db") as history:
        cid = history.create_conversation("Everything")
        history.add_message(cid, "user", 'Quotes " and (brackets), NEAR AND OR NOT * ^ - + : {x}')
        history.add_message(cid, "assistant", "Ünïcödé café, 中文 text, emoji 🔥 and ﬁligree")
        yield history


def test_finds_words_marks_them_and_reports_where(store: HistoryStore) -> None:
    cid = store.create_conversation("Baking")
    question = store.add_message(cid, "user", "How long should sourdough bread rise?")
    store.add_message(cid, "assistant", "Let the dough rise overnight in the fridge.", parent_id=question)

    hits = store.search("sourdough")
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.conversation_id, hit.message_id, hit.conversation_title, hit.role) == (
        cid,
        question,
        "Baking",
        "user",
    )
    assert f"{SNIPPET_START}sourdough{SNIPPET_END}" in hit.snippet
    assert hit.created_at.tzinfo is not None


def test_every_word_must_match_and_the_last_is_a_prefix(store: HistoryStore) -> None:
    cid = store.create_conversation()
    store.add_message(cid, "user", "bread flour and water")
    store.add_message(cid, "user", "bread and butter")
    assert len(store.search("bread")) == 2
    assert len(store.search("bread flo")) == 1
    assert store.search("bread flo ") == []  # a finished word is not a prefix
    assert len(store.search("BREAD Water")) == 1


def test_accents_do_not_matter(store: HistoryStore) -> None:
    cid = store.create_conversation()
    store.add_message(cid, "user", "Un café crème à Zürich")
    assert len(store.search("cafe creme zurich")) == 1
    assert len(store.search("CAFÉ")) == 1


def test_ranks_by_bm25_and_prefers_answers_to_reasoning(store: HistoryStore) -> None:
    cid = store.create_conversation()
    diluted = store.add_message(
        cid,
        "assistant",
        "A kettle is mentioned once among many other words about tea cups saucers and spoons",
    )
    focused = store.add_message(cid, "assistant", "kettle kettle kettle")
    in_reasoning = store.add_message(cid, "assistant", "Boiling water for tea", reasoning="use the kettle")
    in_answer = store.add_message(cid, "assistant", "use the kettle", reasoning="Boiling water for tea")

    ranked = [hit.message_id for hit in store.search("kettle")]
    assert ranked.index(focused) < ranked.index(diluted)
    assert ranked.index(in_answer) < ranked.index(in_reasoning)
    assert len(store.search("kettle", limit=2)) == 2
    assert store.search("kettle", limit=0) == []


def test_a_very_common_word_lists_the_newest_matches(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)
    cid = store.create_conversation()
    focused = store.add_message(cid, "assistant", "kettle kettle kettle")
    others = [store.add_message(cid, "user", f"a kettle and {n} other words to dilute it") for n in range(4)]
    ranked_pair = [store.add_message(cid, "user", w) for w in ("teapot teapot", "teapot among more words")]

    hits = store.search("kettle", limit=3)
    assert [hit.message_id for hit in hits] == others[::-1][:3]  # newest first, not bm25's focused
    assert all(f"{SNIPPET_START}kettle{SNIPPET_END}" in hit.snippet for hit in hits)
    assert focused in [hit.message_id for hit in store.search("kettle", limit=10)]
    # Few enough matches are still ranked, best first.
    assert [hit.message_id for hit in store.search("teapot")] == ranked_pair


def test_a_very_common_word_among_others_lists_the_newest_matches(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "RANKED_WORD_MATCHES", 3)
    cid = store.create_conversation()
    focused = store.add_message(cid, "user", "the kettle kettle kettle")
    diluted = store.add_message(cid, "user", "the kettle among many other words to dilute it")
    for n in range(3):
        store.add_message(cid, "user", f"the filler {n}")

    def found(query: str) -> list[int]:
        return [hit.message_id for hit in store.search(query)]

    assert found("kettle") == [focused, diluted]  # one word: only the number of matches counts
    assert found("kettle kettle") == [focused, diluted]
    assert found("the kettle") == [diluted, focused]  # "the" is in more than 3 messages
    assert found("kettle the ") == [diluted, focused]


def test_snippet_comes_from_reasoning_when_only_it_matches(store: HistoryStore) -> None:
    cid = store.create_conversation()
    store.add_message(cid, "assistant", "Paris.", reasoning="The capital of France is Paris")
    (hit,) = store.search("capital")
    assert f"{SNIPPET_START}capital{SNIPPET_END}" in hit.snippet


def test_long_messages_get_a_short_snippet(store: HistoryStore) -> None:
    cid = store.create_conversation()
    store.add_message(cid, "assistant", " ".join(["filler"] * 500 + ["needle"] + ["filler"] * 500))
    (hit,) = store.search("needle")
    assert f"{SNIPPET_START}needle{SNIPPET_END}" in hit.snippet
    assert len(hit.snippet) < 200
    assert hit.snippet.startswith("…")


def test_index_follows_updates_and_deletes(store: HistoryStore) -> None:
    cid = store.create_conversation()
    mid = store.add_message(cid, "assistant", "first draft about owls", status="streaming")
    store.update_message(mid, content="final text about hawks")
    assert store.search("owls") == []
    assert [hit.message_id for hit in store.search("hawks")] == [mid]

    store.update_message(mid, reasoning="thinking about eagles")
    assert [hit.message_id for hit in store.search("eagles")] == [mid]
    store.update_message(mid, status="done", stats={"completion_tokens": 4})  # no text change
    assert [hit.message_id for hit in store.search("hawks")] == [mid]

    store.delete_conversation(cid)
    assert store.search("hawks") == []
    assert store.search("eagles") == []


def test_search_sees_new_titles(store: HistoryStore) -> None:
    cid = store.create_conversation()
    store.add_message(cid, "user", "pangolin facts")
    store.rename_conversation(cid, "Scaly friends")
    assert [hit.conversation_title for hit in store.search("pangolin")] == ["Scaly friends"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '""',
        'say "hi',
        "AND OR",
        "AND",
        "NOT",
        "*",
        "**",
        "NEAR(",
        "NEAR(a b, 2)",
        "(",
        ")",
        "^",
        "-",
        "+",
        ":",
        "content:",
        "reasoning: x",
        "{content reasoning}: x",
        "a*b",
        "' OR 1=1 --",
        "\x00",
        "a\x00b",
        "\ud800",
        "🔥",
        "中文",
        "ﬁ",
        "x" * 10_000,
        " ".join(["word"] * 5_000),
        "\u200b",
        "\u0301",
    ],
)
def test_hostile_queries_never_raise(shared_store: HistoryStore, query: str) -> None:
    assert isinstance(shared_store.search(query), list)


def test_operator_words_are_plain_text(shared_store: HistoryStore) -> None:
    assert len(shared_store.search("NEAR AND OR NOT")) == 1
    assert len(shared_store.search('"Quotes')) == 1
    assert len(shared_store.search("(brackets)")) == 1
    assert len(shared_store.search("中文")) == 1
    assert len(shared_store.search("Unicode")) == 1
    assert shared_store.search("🔥") == []  # emoji are separators to the tokenizer


_ANY_CHAR = st.characters(exclude_categories=())  # lone surrogates and NUL included
_NEAR_MISSES = st.lists(
    st.sampled_from(["café", "Quotes", "AND", "NEAR(", '"', "*", "^", ":", "{x}", "中文", "ﬁ"])
    | st.text(_ANY_CHAR, max_size=4),
    max_size=8,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(query=st.text(_ANY_CHAR, max_size=60) | _NEAR_MISSES)
def test_any_text_is_a_safe_query(shared_store: HistoryStore, query: str) -> None:
    hits = shared_store.search(query)
    assert all(hit.snippet for hit in hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  \n\t", None),
        ("* ( ) ^ :", None),
        ("hello", '"hello"*'),
        ("hello ", '"hello"'),
        ('say "hi there', '"say" """hi" "there"*'),
        ("AND or NEAR(", '"AND" "or" "NEAR("*'),
        ("a\x00b", '"ab"*'),
    ],
)
def test_fts_query_quotes_every_word(text: str, expected: str | None) -> None:
    assert fts_query(text) == expected


def test_fts_terms_are_the_phrases_of_the_query() -> None:
    assert fts_terms('say "hi there') == ['"say"', '"""hi"', '"there"*']
    assert fts_terms("hello ") == ['"hello"']
    assert fts_terms(" * ") == []


def test_fts_query_caps_the_number_of_words() -> None:
    query = fts_query(" ".join(f"w{i}" for i in range(MAX_TERMS + 10)))
    assert query is not None
    assert query.count('"w') == MAX_TERMS
    assert not query.endswith("*")


def test_a_conversation_found_by_its_title_alone_comes_first(store: HistoryStore) -> None:
    renamed = store.create_conversation()
    first = store.add_message(renamed, "user", "What should I pack?")
    edited = store.add_message(renamed, "user", "What should I pack for a week?")  # an edit: a second root
    store.add_message(renamed, "assistant", "A raincoat.", parent_id=edited)
    store.rename_conversation(renamed, "Holiday in Zürich")
    other = store.create_conversation()
    store.add_message(other, "user", "Is zurich expensive?")

    hits = store.search("zurich")
    assert [(h.conversation_id, h.role) for h in hits] == [(renamed, "title"), (other, "user")]
    title_hit = hits[0]
    # It leads to the first message of the branch on screen, not the older branch's root.
    assert title_hit.message_id == edited != first
    assert title_hit.conversation_title == "Holiday in Zürich"
    assert title_hit.snippet == f"Holiday in {SNIPPET_START}Zürich{SNIPPET_END}"
    assert store.search("zurich", limit=1) == [title_hit]


def test_a_title_made_from_the_first_question_does_not_repeat_its_hit(store: HistoryStore) -> None:
    cid = store.create_conversation()
    question = store.add_message(cid, "user", "How do otters sleep?")
    assert [(h.message_id, h.role) for h in store.search("otters")] == [(question, "user")]


def test_an_empty_conversation_is_not_a_hit_and_renames_are_followed(store: HistoryStore) -> None:
    store.create_conversation("Walrus notes")  # nothing to open yet
    cid = store.create_conversation("Walrus trivia")
    store.add_message(cid, "user", "hello")
    assert [h.conversation_id for h in store.search("walrus")] == [cid]
    store.rename_conversation(cid, "Seals")
    assert store.search("walrus") == []
    assert [h.role for h in store.search("seal")] == ["title"]
    store.delete_conversation(cid)
    assert store.search("seal") == []


def test_titles_take_at_most_half_the_places_when_messages_match(store: HistoryStore) -> None:
    for n in range(4):
        titled = store.create_conversation(f"Kettle notes {n}")
        store.add_message(titled, "user", "nothing to see")
    for n in range(4):
        store.add_message(store.create_conversation(f"Chat {n}"), "user", f"the kettle {n}")
    assert [h.role for h in store.search("kettle", limit=4)] == ["title", "title", "user", "user"]
    assert [h.role for h in store.search("kettle", limit=3)] == ["title", "title", "user"]
    assert [h.role for h in store.search("kettle")].count("title") == 4
