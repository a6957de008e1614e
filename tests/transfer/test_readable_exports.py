"""Markdown and HTML exports: the branch on screen, who said what and when, optional reasoning and figures;
the HTML holds nothing that can run, load or submit anything, whatever the stored text says."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.documents.document import Anchor, Document
from app.documents.retrieval import to_new_attachment
from app.store import HistoryStore
from app.transfer import TransferError, export

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "</style><script>alert(2)</script>",
    "[click](javascript:alert(3)) [data](data:text/html,<script>alert(4)</script>)",
    "![tracker](http://evil.example/pixel.png)",
    '<iframe src="http://evil.example"></iframe><object data="x"></object>',
    '<form action="http://evil.example"><input name="q"></form>',
    '<a href="http://ok.example/" onclick="steal()">x</a> <svg onload="alert(5)"></svg>',
    "<style>@import url(http://evil.example/x.css); body{background:url(http://evil.example/b.png)}</style>",
    "<base href='http://evil.example/'><meta http-equiv='refresh' content='0;url=http://evil.example'>",
    "[fine](https://ok.example/page)",
]


def hostile_history(store: HistoryStore) -> int:
    text = "\n\n".join(HOSTILE)
    cid = store.create_conversation("</title><script>alert('title')</script>", system_prompt=HOSTILE[1])
    document = Document(
        name='<img src=x onerror="alert(6)">.pdf',
        kind="PDF",
        mime="application/pdf",
        size=2_300_000,
        sha256="ef" * 32,
        text="page one\n\npage two\n\n",
        anchors=(Anchor(0, 1), Anchor(10, 2)),
        page_count=2,
    )
    question = store.add_message(cid, "user", text, attachments=[to_new_attachment(document)])
    store.add_message(
        cid,
        "assistant",
        text + "\n\n```python\nprint('</pre><script>alert(7)</script>')\n```",
        parent_id=question,
        reasoning=text,
        stats={"completion_tokens": 2, "decode_tok_s": 10.0, "finish_reason": "stop"},
    )
    return cid


ACTIVE_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "form", "input", "img", "svg", "base", "link"}
)


class Audit(HTMLParser):
    """Everything in a page that could run, load, submit or navigate somewhere other than an http(s) link
    or an anchor in the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.links: list[str] = []
        self._in_style = False
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" and value == "refresh" for name, value in attrs):
            self.found.append("<meta refresh>")
        self._in_style = tag == "style"
        for name, raw in attrs:
            value = raw or ""
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if name in ("src", "srcset", "data", "action", "formaction", "poster", "background"):
                self.found.append(f"{name}={value}")
            if name == "href":
                self.links.append(value)
                if not (value.startswith(("http://", "https://")) or re.fullmatch(r"#[\w-]+", value)):
                    self.found.append(f"href={value}")
            if name == "style" and ("url(" in value.lower() or "expression(" in value.lower()):
                self.found.append(f"style={value}")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def audit(page: str) -> Audit:
    checker = Audit()
    checker.feed(page)
    checker.close()
    return checker


def test_the_html_page_holds_nothing_active(store: HistoryStore) -> None:
    cid = hostile_history(store)
    page = export(store, [cid], "html", reasoning=True, stats=True)
    checked = audit(page)
    assert checked.found == []
    assert "@import" not in checked.style and "url(" not in checked.style.lower()
    # The hostile text is there to read, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;</title>" in page
    assert "&lt;img src=x onerror=&quot;alert(6)&quot;&gt;.pdf" in page
    # Links: only the http(s) ones, never javascript: or data:.
    assert "https://ok.example/page" in checked.links
    assert not any(link.startswith(("javascript:", "data:", "hearth-copy:")) for link in checked.links)
    assert "default-src 'none'" in page  # the Content-Security-Policy, should anything slip through


def test_the_audit_sees_what_an_unsafe_page_would_hold() -> None:
    checked = audit(
        '<p onclick="x"><img src="y"><a href="javascript:z">a</a><a href="#top">b</a></p>'
        '<style>@import "x.css";</style><div style="background:url(x)"></div>'
    )
    assert checked.found == ["onclick=", "<img>", "src=y", "href=javascript:z", "style=background:url(x)"]
    assert "@import" in checked.style


def test_the_html_page_reads_like_the_conversation(store: HistoryStore) -> None:
    cid = store.create_conversation("Bread", model="tiny.gguf")
    question = store.add_message(cid, "user", "How long\nshould it rise?")
    first = store.add_message(
        cid, "assistant", "**Overnight.**", parent_id=question, reasoning="Think of yeast."
    )
    store.add_message(cid, "assistant", "Two hours.", parent_id=question)
    store.show_branch(first)
    page = export(store, [cid], "html")
    assert "<h1>Bread</h1>" in page
    assert '<div class="plain">How long\nshould it rise?</div>' in page  # typed text stays plain
    assert "<strong>Overnight.</strong>" in page  # replies are rendered
    assert "Two hours." not in page  # only the branch on screen
    assert "Think of yeast." not in page and "tok/s" not in page
    with_reasoning = export(store, [cid], "html", reasoning=True)
    assert '<details class="reasoning" open><summary>Reasoning</summary>' in with_reasoning
    assert "prefers-color-scheme: dark" in page and "@media print" in page

    both = export(store, None, "html")
    assert both.count("<article") == 1 and "<nav" not in both
    other = store.create_conversation("Soup")
    store.add_message(other, "user", "Lentils?")
    both = export(store, None, "html")
    assert both.count("<article") == 2 and f'href="#conversation-{other}"' in both
    assert both.index(f'id="conversation-{other}"') < both.index(f'id="conversation-{cid}"')  # sidebar order


def test_markdown_shows_the_branch_on_screen_with_names_and_dates(store: HistoryStore) -> None:
    cid = store.create_conversation("Lease *draft* [v2]", system_prompt="Be brief.")
    document = Document(
        name="lease_v2.pdf",
        kind="PDF",
        mime="application/pdf",
        size=2_300_000,
        sha256="ab" * 32,
        text="The termination fee.",
        page_count=12,
    )
    question = store.add_message(cid, "user", "What is the fee?", attachments=[to_new_attachment(document)])
    answer = store.add_message(
        cid,
        "assistant",
        "Three months.\n\n- rent\n- deposit",
        parent_id=question,
        reasoning="Page 4.\n\nThe fee clause.",
        stats={"completion_tokens": 812, "decode_tok_s": 62.34, "ttft_s": 0.35, "finish_reason": "stop"},
    )
    store.add_message(cid, "assistant", "An older idea.", parent_id=question)
    store.show_branch(answer)
    stopped = store.add_message(cid, "user", "And the deposit?", parent_id=answer)
    cut = store.add_message(cid, "assistant", "One month", parent_id=stopped, status="stopped")
    store.update_message(cut, status="stopped")
    text = export(store, [cid], "md")

    when = store.thread(cid)[0].created_at.strftime("%Y-%m-%d %H:%M UTC")
    assert text.startswith("# Lease \\*draft\\* \\[v2\\]\n\n*Started ")
    assert "> **System prompt**\n>\n> Be brief." in text
    assert (
        f"## You · {when}\n\nWhat is the fee?\n\nAttached:\n- lease\\_v2.pdf (PDF · 2.3 MB · 12 pages)"
        in text
    )
    assert "## Assistant · " in text and "Three months.\n\n- rent\n- deposit" in text
    assert "An older idea." not in text
    assert "*Stopped before the end.*" in text
    assert "Reasoning" not in text and "tok/s" not in text and "The termination fee" not in text

    full = export(store, [cid], "md", reasoning=True, stats=True)
    assert "> **Reasoning**\n>\n> Page 4.\n>\n> The fee clause.\n\nThree months." in full
    assert "*62.3 tok/s · first token 0.35 s · 812 tokens · done*" in full


def test_an_unknown_conversation_is_a_plain_error(store: HistoryStore) -> None:
    cid = store.create_conversation("Here")
    with pytest.raises(TransferError, match=r"^There is no conversation with id 99\.$"):
        export(store, [cid, 99], "md")
    with pytest.raises(TransferError, match=r"^There are no conversations with ids 98, 99\.$"):
        export(store, [98, 99], "html")


def test_an_empty_history_exports_an_empty_document(store: HistoryStore) -> None:
    assert export(store, None, "md") == ""
    assert audit(export(store, None, "html")).found == []
    assert '"conversations": []' in export(store, None, "json")
