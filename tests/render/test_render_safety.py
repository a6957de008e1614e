"""Whatever the model writes, the rendered HTML holds nothing that can run, load or navigate, and renders
in reasonable time: hostile text is tried by hypothesis, and pathological text by hand."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.render import Labels, render_markdown
from tests.render.html_checks import active_parts
from tests.render.strategies import MARKDOWNISH


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
