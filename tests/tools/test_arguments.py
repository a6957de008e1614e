"""Calls as a small model writes them: wrong types, missing or extra fields, no JSON, made-up functions,
web addresses. Each gets an answer the model can read, never an exception."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.tools import Toolbox, ToolCall
from app.store import HistoryStore
from app.tools import NO_INTERNET, Browser, StoreSources
from tests.tools.library import allow_past_conversations, browser_for, call, make_library


@pytest.fixture
def browser(store: HistoryStore) -> Browser:
    return browser_for(make_library(store))


@pytest.mark.parametrize(
    "arguments",
    [
        '{"query": "notice period"}',
        '{"query": "notice period", "topn": "3", "source": "web", "extra": [1, 2]}',
        '{"query": ["notice", "period"], "topn": 3.0}',
        '"notice period"',
        "notice period",
        '{"query": "notice period"}}\n',  # a stray brace after the object
        '{"q": "notice period", "top_n": 50}',
    ],
)
def test_search_understands_what_it_can(browser: Browser, arguments: str) -> None:
    result = call(browser, "browser.search", arguments)
    assert result.activity.kind == "search"
    assert "【0†Page 2†lease.pdf】" in result.text


@pytest.mark.parametrize(
    ("recipient", "arguments", "answer"),
    [
        (
            "browser.search",
            "{}",
            '`query` is missing: say what to look for, for example {"query": "notice period"}.',
        ),
        ("browser.search", '{"query": "   "}', "`query` is missing"),
        ("browser.search", '{"query": {"text": "x"}}', '`query` should be text, not `{"text": "x"}`.'),
        ("browser.search", '{"query": "x", "topn": "many"}', "`topn` should be a whole number, not `many`."),
        ("browser.search", '{"query": "notice", ', "Invalid function arguments: write them as a JSON object"),
        ("browser.search", "[1, 2]", "Invalid function arguments"),
        ("browser.search", "true", "Invalid function arguments"),
        ("browser.open", '{"id": 0}', "No pages to access! Search first, or open a document by its name."),
        ("browser.open", '{"id": "lease.pdf", "loc": 99}', "Invalid location parameter: `99`. Cannot exceed"),
        ("browser.open", '{"id": "contract.pdf"}', "There is no document `contract.pdf` here. Only the"),
        ("browser.open", '{"id": "attachment://999/x.pdf"}', "That document is not attached here."),
        ("browser.open", '{"id": "conversation://1"}', "That conversation cannot be opened here."),
        ("browser.find", '{"pattern": "rent"}', "No pages to access!"),
        ("browser.find", '{"cursor": 0}', "`pattern` is missing"),
        ("browser.click", '{"id": 3}', "Unknown function: `click`. The browser has search, open and find."),
        ("python", "print(1)", "There is no tool `python` here."),
    ],
)
def test_bad_calls_get_plain_answers(browser: Browser, recipient: str, arguments: str, answer: str) -> None:
    result = call(browser, recipient, arguments)
    assert result.text.startswith(answer)
    assert result.activity.kind == "refused"
    assert result.activity.detail == result.text
    assert result.activity.summary


def test_unknown_functions_and_addresses_are_named_for_people(browser: Browser) -> None:
    assert call(browser, "browser.click", "{}").activity.summary == (
        "The model asked for a browser action that does not exist: browser.click"
    )
    for recipient, arguments in (
        ("browser.open", '{"id": "https://example.com/lease"}'),
        ("browser.open", '"http://intranet/x"'),
        ("browser.search", '{"query": "https://www.gov.uk/notice"}'),
        ("browser.open", '{"id": "www.example.com"}'),
    ):
        result = call(browser, recipient, arguments)
        assert result.text == NO_INTERNET
        assert result.activity.kind == "refused"
        assert result.activity.summary.endswith(": Hearth does not go online")


def test_cursors_and_links_are_checked(browser: Browser) -> None:
    call(browser, "browser.search", '{"query": "lease"}')
    assert (
        call(browser, "browser.open", '{"id": 7}').text
        == "Invalid link id `7`. Links on this page go from 0 to 1."
    )
    assert call(browser, "browser.open", '{"cursor": 5}').text == (
        "Cursor `5` is out of range. Available cursor indices: [0 - 0]."
    )
    assert call(browser, "browser.open", '{"cursor": -7}').text.startswith("Cursor `-7` is out of range.")
    opened = call(browser, "browser.open", '{"id": "1", "cursor": "0"}')  # numbers written as text
    assert opened.activity.kind == "open"
    assert call(browser, "browser.open", '{"id": 0}').text == (
        "Invalid link id `0`. This page has no links; to move in it, use `loc`."
    )
    # A failed call opens no page: the next one gets the next cursor.
    assert call(browser, "browser.open", '{"loc": 0}').text.startswith("[2] lease.pdf")
    huge = call(browser, "browser.open", '{"loc": 1e300, "num_lines": 99999999999999999999}')
    assert huge.text.startswith("Invalid location parameter")


def test_a_cancelled_call_does_nothing(browser: Browser) -> None:
    cancel = threading.Event()
    cancel.set()
    result = browser.run(ToolCall("browser.search", "analysis", "json", '{"query": "lease"}'), cancel)
    assert result.activity.kind == "refused"
    assert result.activity.summary == "Stopped before the browser was used"
    assert call(browser, "browser.open", '{"loc": 0}').text.startswith("No pages to access!")


def test_the_browser_is_a_toolbox_that_declares_itself_for_the_template(browser: Browser) -> None:
    toolbox: Toolbox = browser  # checked by mypy: the engine's contract, as it is written
    assert toolbox.names == ("browser",)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
_FIELDS = st.dictionaries(
    st.sampled_from(
        ["query", "topn", "id", "cursor", "loc", "num_lines", "pattern", "source", "view_source"]
    ),
    _JSON,
    max_size=5,
)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreSources]:
    """One history for every example (hypothesis runs them all within one test); browsing only reads it."""
    with HistoryStore(tmp_path_factory.mktemp("browse") / "history.sqlite3") as store:
        library = make_library(store)
        allow_past_conversations(library)
        yield StoreSources.for_conversation(store, library.conversation_id)


@given(
    calls=st.lists(
        st.tuples(
            st.sampled_from(
                ["browser.search", "browser.open", "browser.find", "browser.", "browser.open.x", ""]
            ),
            st.one_of(_FIELDS.map(json.dumps), st.text(max_size=40)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_arguments_get_an_answer_and_never_an_exception(
    sources: StoreSources, calls: list[tuple[str, str]]
) -> None:
    browser = Browser(sources)
    for recipient, arguments in calls:
        result = call(browser, recipient, arguments)
        assert result.text
        assert result.activity.summary
        assert result.activity.kind in {"search", "open", "find", "refused"}
        # The last resort for bugs (logged with their stack) is never what a model's call reaches.
        assert not result.text.startswith("The browser failed")
