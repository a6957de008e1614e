"""Markdown from the model becomes safe HTML: formatting survives, nothing in it can run, load or navigate."""

from __future__ import annotations

import re

import pytest

from app.render import COPY_SCHEME, render_markdown, safe_link, split_blocks

REPLY = """# Setting up

Here is how:
1. Install it with `pip install hearth`.
2. Run it:
  - on Linux, from a terminal
  - on Windows, from the Start menu

| Model | Size |
|:------|-----:|
| 20b   | 12 GB |

```python
def greet(name: str) -> str:
    return f"Hello, {name} <3"
```

Done, see https://example.com/docs.
"""


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_headings_lists_tables_and_code_are_rendered() -> None:
    html = render_markdown(REPLY).html
    assert re.search(r"<h1[^>]*>Setting up</h1>", html)
    # A list right after a line of text, nested by two spaces, as models write them.
    assert "<ol>" in html and "<li>Install it" in html
    assert re.search(r"<li>Run it:\s*<ul>\s*<li>on Linux", html)
    assert "<table" in html and "<th" in html and ">12 GB</td>" in html
    assert re.search(r"<code[^>]*>pip install hearth</code>", html)
    assert "<pre" in html and "greet" in html and "&lt;3" in html
    assert '<a href="https://example.com/docs">' in html  # a bare address becomes a link


def test_code_is_highlighted_with_inline_styles() -> None:
    html = render_markdown("```python\ndef f():\n    return 1\n```").html
    assert re.search(r'<span style="[^"]*color[^"]*">def</span>', html)
    assert "class=" not in html  # QTextDocument has no style sheet to resolve classes against


def test_each_code_block_has_a_copy_link_and_its_raw_code() -> None:
    rendered = render_markdown("a\n\n```sh\necho 'x' > out\n```\n\nb\n\n```\n<tag> & more\n```\n")
    assert rendered.code_blocks == ("echo 'x' > out", "<tag> & more")
    assert [h for h in hrefs(rendered.html) if h.startswith(COPY_SCHEME)] == [
        "hearth-copy:0",
        "hearth-copy:1",
    ]
    assert ">sh<" in rendered.html  # the language is named above the block
    assert "&lt;tag&gt; &amp; more" in rendered.html


def test_copy_numbers_run_on_across_parts() -> None:
    text = "```\none\n```\n\nmiddle\n\n```\ntwo\n```"
    rendered = render_markdown(text)
    assert len(rendered.parts) == 3
    assert "".join(rendered.parts) == rendered.html
    assert "hearth-copy:1" in rendered.parts[2]


def test_an_unfinished_fence_renders_as_code() -> None:
    rendered = render_markdown("Try this:\n\n```python\nfor i in range(3):\n    print(i")
    assert rendered.code_blocks == ("for i in range(3):\n    print(i",)
    assert "<pre" in rendered.html and "```" not in rendered.html


def test_a_fence_inside_a_list_item_stays_in_the_item() -> None:
    rendered = render_markdown("1. Run:\n   ```bash\n   make\n   ```\n2. Wait")
    assert rendered.code_blocks == ("make",)
    assert re.search(r"<li>Run:.*<pre.*</li>\s*<li>Wait</li>", rendered.html, re.S)


def test_split_blocks_never_cuts_inside_a_fence_or_a_list() -> None:
    text = "intro\n\n```\ncode\n\nmore code\n```\n\n- a\n\n- b\n\n  still b\n\nend"
    assert split_blocks(text) == ["intro", "```\ncode\n\nmore code\n```", "- a\n\n- b\n\n  still b", "end"]


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="http://evil/"></iframe>',
    "<!-- hidden -->",
    "<div onclick=alert(1)>\nblock\n</div>",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("attack", HOSTILE)
def test_raw_html_is_shown_as_text(attack: str) -> None:
    html = render_markdown(f"before {attack} after").html
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<style" not in html and "<div" not in html and "<!--" not in html
    assert "javascript:" not in "".join(hrefs(html))
    assert "onerror" not in html or "&lt;img" in html  # only as visible text
    assert "before" in html and "after" in html


def test_entities_are_shown_as_typed() -> None:
    html = render_markdown("&lt;b&gt; and &copy; and &#60;").html
    assert "&amp;lt;b&amp;gt;" in html and "&amp;copy;" in html and "&amp;#60;" in html


@pytest.mark.parametrize(
    "link",
    ["[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](file:///etc/passwd)", "[x](/relative)"],
)
def test_only_http_links_stay_links(link: str) -> None:
    html = render_markdown(f"see {link} now").html
    assert hrefs(html) == []
    assert "see x now" in html


def test_images_never_load() -> None:
    html = render_markdown("![a chart](http://evil/x.png) and ![b](data:image/png;base64,AAAA)").html
    assert "<img" not in html
    assert "[image: a chart]" in html and "[image: b]" in html
    assert hrefs(html) == ["http://evil/x.png"]  # shown as a link, opened only on click and confirmation


def test_dark_code_style_differs() -> None:
    text = "```python\nx = 1  # note\n```"
    light, dark = render_markdown(text).html, render_markdown(text, dark=True).html
    assert light != dark
    assert "x" in dark and "note" in dark


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1#c", "https://example.com/a?b=1#c"),
        ("HTTP://Example.com", "http://Example.com"),
        ("  https://example.com  ", "https://example.com"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("file:///etc/passwd", None),
        ("ftp://example.com", None),
        ("//example.com", None),
        ("https://", None),
        ("http://exa mple.com", None),
        ("http:\\\\evil.com", None),
        ("http://[::1", None),
        ("", None),
    ],
)
def test_safe_link(url: str, expected: str | None) -> None:
    assert safe_link(url) == expected


def test_long_reply_renders() -> None:
    rendered = render_markdown(REPLY * 40)
    assert len(rendered.code_blocks) == 40
    assert rendered.html.count("<table") == 80  # 40 markdown tables + 40 code cards
