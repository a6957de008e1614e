"""gpt-oss's `browser` tool over the user's own documents: search, open and find, offline.

One Browser serves one reply. Every call opens a page with the next cursor number, exactly as the model
was trained to expect (see the shapes in app.tools.lines and app.tools.pages); the pages stay, so the
model's citations of their lines can be mapped back to documents and pages (map_citations).

What a document says is only ever text to show: the browser never follows an instruction in it, never
fetches anything, and answers a web address with "there is no internet here".
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Final
from urllib.parse import unquote

from app.engine.tools import ToolActivity, ToolCall, ToolResult
from app.store import AttachmentContent, StoreError, without_snippet_marks
from app.tools import activity
from app.tools.arguments import Arguments, BrowserError, integer, looks_like_address, parse, shown, text
from app.tools.citations import CitationStream, cited_places, map_citations
from app.tools.lines import MAX_VIEW_CHARS, Place, render_view, view_size
from app.tools.pages import (
    CONVERSATION_SCHEME,
    DOCUMENT_SCHEME,
    Link,
    Page,
    Result,
    conversation_page,
    document_page,
    find_page,
    passage_line,
    results_page,
)
from app.tools.sources import Sources

log = logging.getLogger("hearth.tools")

NO_INTERNET: Final = "There is no internet here; only the attached documents can be opened."
# The reference browser lists up to 20 results, 10 unless asked.
DEFAULT_RESULTS: Final = 10
MAX_RESULTS: Final = 20
# A view opened at a passage starts this many lines above it, for the context before it.
LINES_ABOVE: Final = 4

_FUNCTIONS: Final = ("search", "open", "find")
_EXAMPLES: Final = {
    "search": '{"query": "notice period"}',
    "open": '{"id": 0}',
    "find": '{"pattern": "deposit"}',
}
_WORD: Final = re.compile(r"\w+")
# Words too common to tell passages apart; bm25 ranks them low anyway, but each one makes the search
# score every passage that holds it. Kept short: the model writes keywords more than sentences.
_COMMON_WORDS: Final = frozenset(
    """a an and are as at be by for from in is it of on or that the this to was what when where which
    who with""".split()  # noqa: SIM905 (a word list reads better as prose)
)


def search_words(query: str) -> list[str]:
    """The words of a query worth searching for, in order, without repeats."""
    words = list(dict.fromkeys(word.lower() for word in _WORD.findall(query)))
    kept = [word for word in words if word not in _COMMON_WORDS]
    return (kept or words)[:32]


class Browser:
    """The browser part of a Toolbox (names, run), over `sources`. Not thread-safe: one reply's calls
    come one after another."""

    def __init__(self, sources: Sources) -> None:
        self._sources = sources
        self._pages: list[Page] = []  # by cursor; scrolling a page opens it again under a new cursor
        # Laid out once per reply: a long document takes a tenth of a second to read and wrap.
        self._documents: dict[int, tuple[Page, AttachmentContent]] = {}
        self._conversations: dict[tuple[int, int | None], Page] = {}

    @property
    def names(self) -> tuple[str, ...]:
        return ("browser",)

    # -- the calls -------------------------------------------------------------------------------

    def run(self, call: ToolCall, cancel: threading.Event) -> ToolResult:
        """Answer one call; never raises for anything the model wrote."""
        started = time.perf_counter()
        try:
            if cancel.is_set():
                raise BrowserError("The request was cancelled.", activity.stopped())
            answer, done = self._run(call)
        except BrowserError as error:
            answer = str(error)
            done = activity.refused(error.summary, answer)
        except StoreError as error:
            answer = "The documents could not be read just now. Answer with what you have."
            done = activity.refused(str(error), answer)
        except Exception:
            # A bug, whatever the model wrote: logged with its stack, and the reply goes on without it.
            log.exception("the browser failed on %r", call.recipient)
            answer = "The browser failed on this request. Answer with what you have."
            done = activity.refused(None, answer)
        return ToolResult(answer, replace(done, seconds=time.perf_counter() - started))

    def _run(self, call: ToolCall) -> tuple[str, ToolActivity]:
        name = call.recipient.strip().removeprefix("functions.")
        if not name.startswith("browser."):
            raise BrowserError(f"There is no tool `{shown(name)}` here.", activity.unknown_action(name))
        function = name.removeprefix("browser.")
        if function not in _FUNCTIONS:
            raise BrowserError(
                f"Unknown function: `{shown(function)}`. The browser has search, open and find.",
                activity.unknown_action(name),
            )
        main = {"search": "query", "open": "id", "find": "pattern"}[function]
        arguments = parse(call.arguments, main, _EXAMPLES[function])
        if function == "search":
            return self._search(arguments)
        if function == "open":
            return self._open(arguments)
        return self._find(arguments)

    def _search(self, arguments: Arguments) -> tuple[str, ToolActivity]:
        query = (text(arguments, "query", "q") or "").strip()
        if not query:
            raise BrowserError(
                f"`query` is missing: say what to look for, for example {_EXAMPLES['search']}."
            )
        if looks_like_address(query):
            raise BrowserError(NO_INTERNET, activity.no_internet(query))
        top = integer(arguments, "topn", integer(arguments, "top_n", DEFAULT_RESULTS))
        top = max(1, min(top, MAX_RESULTS))
        if not self._sources.documents and not self._sources.past_conversations:
            raise BrowserError(
                "No documents are attached to this conversation, so there is nothing to search."
            )
        results = self._results(query, top)
        page = results_page(query, results, self._nothing_found())
        view, _ = self._show(page, 0, -1)
        return view, activity.searched(query, len(results), self._sources.past_conversations, view)

    def _results(self, query: str, top: int) -> list[Result]:
        words = search_words(query)
        passages = self._sources.passages(words, top) if words else []
        found = self._sources.conversations(" ".join(words), top) if words else []
        # Documents first (they are what this conversation is about), but other conversations that
        # match keep a third of the places.
        keep = min(len(found), max(top - len(passages), top // 3 if passages else top))
        results = [
            Result(
                Link(attachment_id=hit.chunk.attachment_id, chunk=hit.chunk),
                _part(hit.chunk.page, hit.chunk.heading, hit.chunk.ordinal),
                hit.chunk.attachment_name,
                without_snippet_marks(hit.snippet),
                Place(
                    hit.chunk.attachment_name,
                    attachment_id=hit.chunk.attachment_id,
                    page=hit.chunk.page,
                    heading=hit.chunk.heading,
                ),
            )
            for hit in passages[: top - keep]
        ]
        results += [
            Result(
                Link(conversation_id=hit.conversation_id, message_id=hit.message_id),
                hit.conversation_title.strip() or "Untitled conversation",
                "past conversation",
                without_snippet_marks(hit.snippet),
                Place(
                    hit.conversation_title.strip() or "Untitled conversation",
                    conversation_id=hit.conversation_id,
                ),
            )
            for hit in found[:keep]
        ]
        return results

    def _nothing_found(self) -> str:
        names = ", ".join(record.name for record in self._sources.documents)
        if names:
            return f"Nothing found. Try other words, or open a document by its name: {names}."
        return "Nothing found. Try other words."

    def _open(self, arguments: Arguments) -> tuple[str, ToolActivity]:
        target = arguments.get("id")
        cursor = integer(arguments, "cursor", -1)
        loc = integer(arguments, "loc", -1)
        num_lines = integer(arguments, "num_lines", -1)
        line: int | None = None
        if isinstance(target, str) and not re.fullmatch(r"\s*-?\d+\s*", target):
            page, line = self._address(target)
        else:
            number = integer(arguments, "id", -1)
            current = self._page_at(cursor)
            if number >= 0:
                link = current.links.get(number)
                if link is None:
                    raise BrowserError(f"Invalid link id `{number}`." + _links_hint(current))
                page, line = self._follow(link)
            else:
                page = current  # no id: the same page again, at `loc`
        if loc < 0:
            loc = max(line - LINES_ABOVE, 0) if line is not None else 0
        view, shown_from = self._show(page, loc, num_lines)
        where = line if line is not None and 0 <= line < len(page.lines) else shown_from
        place = None
        if page.kind != "results":
            # A blank line between messages or matches shows nothing: name the page by what it holds.
            place = page.places[where] or next((p for p in page.places if p is not None), None)
        return view, activity.opened(place, view)

    def _find(self, arguments: Arguments) -> tuple[str, ToolActivity]:
        pattern = text(arguments, "pattern", "query") or ""
        if not pattern.strip():
            raise BrowserError(f"`pattern` is missing: say what to find, for example {_EXAMPLES['find']}.")
        page = self._page_at(integer(arguments, "cursor", -1))
        if page.kind in ("results", "find"):
            raise BrowserError(
                "Cannot run `find` on search results page or find results page. "
                "Open a result first, then find in it."
            )
        found = find_page(page, pattern)
        view, _ = self._show(found, 0, -1)
        return view, activity.found(pattern, len(found.links), page.title, view)

    # -- pages -------------------------------------------------------------------------------------

    def _page_at(self, cursor: int) -> Page:
        if not self._pages:
            raise BrowserError("No pages to access! Search first, or open a document by its name.")
        if cursor == -1:
            return self._pages[-1]
        if 0 <= cursor < len(self._pages):
            return self._pages[cursor]
        raise BrowserError(
            f"Cursor `{cursor}` is out of range. Available cursor indices: [0 - {len(self._pages) - 1}]."
        )

    def _show(self, page: Page, loc: int, num_lines: int) -> tuple[str, int]:
        """Open `page` under a new cursor at line `loc`: the view's text and its first line."""
        last = len(page.lines) - 1
        if loc > last:
            raise BrowserError(f"Invalid location parameter: `{loc}`. Cannot exceed page maximum of {last}.")
        most = view_size(page.lines, loc, MAX_VIEW_CHARS)
        count = min(num_lines, most) if num_lines > 0 else view_size(page.lines, loc)
        self._pages.append(page)
        cursor = len(self._pages) - 1
        return render_view(page.title, page.url, cursor, page.lines, loc=loc, end=loc + count), loc

    def _follow(self, link: Link) -> tuple[Page, int]:
        """The page a link leads to, and the line to show it from."""
        if link.page is not None:
            return link.page, link.line
        if link.attachment_id is not None:
            page, content = self._document_with_text(link.attachment_id)
            if link.chunk is None:
                return page, 0
            return page, passage_line(page, content, link.chunk)
        if link.conversation_id is not None:
            page = self._conversation(link.conversation_id, link.message_id)
            return page, page.message_lines.get(link.message_id or -1, 0)
        raise BrowserError("That link leads nowhere.")

    def _address(self, address: str) -> tuple[Page, int]:
        """A page by its address or a document by its name (the model may write either)."""
        address = address.strip()
        if looks_like_address(address):
            raise BrowserError(NO_INTERNET, activity.no_internet(address))
        for scheme in (DOCUMENT_SCHEME, CONVERSATION_SCHEME):
            number = address.removeprefix(scheme).split("/", 1)[0].split("?", 1)[0]
            if address.startswith(scheme) and number.isdigit():
                if scheme == DOCUMENT_SCHEME:
                    return self._document(int(number)), 0
                return self._conversation(int(number)), 0
        name = unquote(address.rsplit("/", 1)[-1]).strip().casefold()
        matches = [r for r in self._sources.documents if r.name.casefold() == name]
        if len(matches) == 1:
            return self._document(matches[0].id), 0
        raise BrowserError(f"There is no document `{shown(address)}` here. " + self._documents_hint())

    def _documents_hint(self) -> str:
        names = ", ".join(f"`{record.name}`" for record in self._sources.documents)
        if names:
            return f"Only the attached documents can be opened: {names}."
        return "No documents are attached to this conversation."

    def _document(self, attachment_id: int) -> Page:
        return self._document_with_text(attachment_id)[0]

    def _document_with_text(self, attachment_id: int) -> tuple[Page, AttachmentContent]:
        laid_out = self._documents.get(attachment_id)
        if laid_out is None:
            content = self._sources.content(attachment_id)
            if content is None:
                raise BrowserError("That document is not attached here. " + self._documents_hint())
            laid_out = self._documents[attachment_id] = (document_page(content), content)
        return laid_out

    def _conversation(self, conversation_id: int, message_id: int | None = None) -> Page:
        key = (conversation_id, message_id)
        page = self._conversations.get(key)
        if page is None:
            conversation = self._sources.conversation(conversation_id, message_id)
            if conversation is None:
                raise BrowserError("That conversation cannot be opened here.")
            page = self._conversations[key] = conversation_page(conversation)
        return page

    # -- citations ---------------------------------------------------------------------------------

    def line_places(self, cursor: int) -> Sequence[Place | None] | None:
        """What each line of the page at `cursor` shows; None for a cursor never opened."""
        return self._pages[cursor].places if 0 <= cursor < len(self._pages) else None

    def map_citations(self, text: str) -> str:
        """A finished answer with its `【cursor†Lx-Ly】` citations as "[report.pdf p. 4]" labels."""
        return map_citations(text, self.line_places)

    def cited_places(self, text: str) -> list[Place]:
        """The documents' pages (and past conversations) an answer's citations point to, for linking."""
        return cited_places(text, self.line_places)

    def citation_stream(self) -> CitationStream:
        """For mapping an answer as it streams in (see CitationStream)."""
        return CitationStream(self.line_places)


def _part(page: int | None, heading: str, ordinal: int) -> str:
    """How a search result names where in its document it is."""
    if page is not None:
        return f"Page {page}"
    if heading:
        return f"Section: {heading}"
    return f"Part {ordinal + 1}"


def _links_hint(page: Page) -> str:
    if not page.links:
        return " This page has no links; to move in it, use `loc`."
    return f" Links on this page go from 0 to {max(page.links)}."
