"""The words a rendered reply shows of its own come from the caller, so the window can translate them."""

from __future__ import annotations

from app.render import Labels, render_markdown

GERMAN = Labels(copy="Kopieren", image="Bild", image_text="[Bild: {alt}]")
TEXT = "```sh\nls\n```\n\n![](http://e/x.png) ![a chart](http://e/y.png)"


def test_english_by_default() -> None:
    html = render_markdown(TEXT).html
    assert ">Copy</a>" in html and "[image: image]" in html and "[image: a chart]" in html


def test_labels_are_used_and_escaped() -> None:
    html = render_markdown(TEXT, labels=GERMAN).html
    assert ">Kopieren</a>" in html and "[Bild: Bild]" in html and "[Bild: a chart]" in html
    odd = render_markdown(TEXT, labels=Labels(copy="<b>&", image_text="<{alt}>")).html
    assert ">&lt;b&gt;&amp;</a>" in odd and "&lt;a chart&gt;" in odd


def test_a_change_of_labels_is_not_served_from_the_cache() -> None:
    english, german, again = (
        render_markdown(TEXT, labels=labels).html for labels in (Labels(), GERMAN, Labels())
    )
    assert "Kopieren" in german and "Kopieren" not in english and again == english


def test_a_page_for_a_browser_has_no_copy_links() -> None:
    html = render_markdown(TEXT, copy_links=False).html
    assert "hearth-copy" not in html and "Copy" not in html and ">sh<" in html
