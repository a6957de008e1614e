"""Whatever the model writes, the rendered HTML holds nothing that can run, load or navigate, and renders
in reasonable time: hostile text is tried by hypothesis, and pathological text by hand."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.render import COPY_SCHEME, Labels, render_markdown

# Every tag and attribute the serializer (and Pygments' inline-styled <span>s) can write. Widening this
# is a decision about the security boundary, so it is spelled out here rather than imported.
ALLOWED_TAGS = frozenset(
    {"a", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "pre", "s", "span"}
    | {"strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}
)
ALLOWED_ATTRIBUTES = frozenset(
    {"align", "bgcolor", "cellpadding", "cellspacing", "colspan", "href", "start", "style", "width"}
)
ACTIVE_TAGS = frozenset({"img", "script", "style", "iframe", "object", "embed", "link", "meta", "base"})
COPY_HREF = re.compile(rf"{COPY_SCHEME}:[0-9]+")

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<script>",
    "<img src=x onerror=y>",
    '<img src="http://e/x.png">',
    "[a](javascript:x)",
    "[a](JaVaScRiPt:x)",
    "[a](data:text/html,x)",
    "[a](http://e/x)",
    '[a](http://e/x "title")',
    "![i](http://e/x.png)",
    "![](javascript:x)",
    '<a href="http://e/">',
    "<a href=javascript:x>",
    "</a>",
    "<iframe src=http://e>",
    "<style>body{}</style>",
    "<div onclick=x>",
    "<!-- c -->",
    "<!DOCTYPE html>",
    "<?php ?>",
    "&lt;",
    "&amp;",
    "&#60;",
    "&#x3C;",
    "https://e/x?a=1&b=2",
    "<https://e/>",
    "hearth-copy:0",
    "```",
    "```python\n",
    "~~~",
    "`",
    "``",
    "*",
    "**",
    "_",
    "|",
    "|---|---|\n",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "  ",
    "    ",
    "\t",
    "> ",
    "# ",
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    '"',
    "'",
    "\\",
    "x",
]
MARKDOWNISH = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)


class ActiveHtml(HTMLParser):
    """Collects everything in an HTML fragment outside what the serializer may write."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS or tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name not in ALLOWED_ATTRIBUTES:
                self.found.append(f"{name}=")
            if name == "href" and not (
                (value or "").startswith(("http://", "https://")) or COPY_HREF.fullmatch(value or "")
            ):
                self.found.append(f"href={value}")
            if name == "style" and "url(" in (value or "").lower():
                self.found.append(f"style={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(f"</{tag}>")

    def handle_comment(self, data: str) -> None:
        self.found.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.found.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.found.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.found.append(f"<![{data}]>")


def active_parts(html: str) -> list[str]:
    parser = ActiveHtml()
    parser.feed(html)
    parser.close()
    return parser.found


@given(text=st.one_of(st.text(), MARKDOWNISH), dark=st.booleans())
def test_no_text_renders_anything_active(text: str, dark: bool) -> None:
    rendered = render_markdown(text, dark=dark)
    assert active_parts(rendered.html) == []
    assert "".join(rendered.parts) == rendered.html


@given(text=MARKDOWNISH, copy=st.text(max_size=12), image=st.text(max_size=12))
def test_labels_are_escaped_like_any_text(text: str, copy: str, image: str) -> None:
    labels = Labels(copy=copy, image=image, image_text="{alt} <" + image + ">")
    assert active_parts(render_markdown(text + "\n\n```\ncode\n```\n\n![](x)", labels=labels).html) == []


def test_the_checker_sees_what_an_unsafe_renderer_would_write() -> None:
    found = active_parts(
        '<p onclick="x"><img src="y"><a href="javascript:z">a</a><a href="hearth-copy:x">b</a></p><!-- c -->'
    )
    assert found == ["onclick=", "<img>", "src=", "href=javascript:z", "href=hearth-copy:x", "<!-- c -->"]


PATHOLOGICAL = {
    "10,000 backticks": "`" * 10_000,
    "a 1 MB line": "word <b>&amp; " * 71_429,
    "a list nested 500 deep": "".join("  " * i + "- x\n" for i in range(500)),
    "10,000 nested brackets": "[" * 10_000,
    "10,000 brackets closed once": "[" * 10_000 + "](http://e/)",
    "5,000 unclosed link addresses": "[a](" * 5_000,
    "5,000 unclosed images": "![" * 5_000,
    "50,000 stars": "*" * 50_000,
    "emphasis nested 2,500 deep": "*" * 5_000 + "a" + "*" * 5_000,
    "500 list markers on one line": "- " * 500 + "x",
    "a table with 2,000 columns": "|" + "a|" * 2_000 + "\n|" + "-|" * 2_000 + "\n|" + "1|" * 2_000 + "\n",
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_renders(text: str) -> None:
    rendered = render_markdown(text)
    assert rendered.html
    assert active_parts(rendered.html) == []


@pytest.mark.timeout(120)
def test_a_deep_list_keeps_every_item() -> None:
    html = render_markdown("".join("  " * i + f"- item {i}\n" for i in range(500))).html
    assert [int(n) for n in re.findall(r"<li>item (\d+)", html)] == list(range(500))


@pytest.mark.timeout(120)
def test_text_too_deeply_nested_to_parse_is_shown_as_it_is_and_rendering_goes_on() -> None:
    html = render_markdown("- " * 500 + "<b>x</b>").html
    assert "- - - " in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<li>" not in html
    # The converter that gave up is replaced, so the next reply renders as usual.
    assert re.search(r"<ul>\s*<li>a</li>\s*<li>b</li>\s*</ul>", render_markdown("- a\n- b").html)
