"""Conversations as one self-contained HTML page, for reading on screen (light or dark) and printing.

Nothing in the page can run, load or submit anything: replies and reasoning go through app.render (raw
HTML shown as text, only http(s) links, images as "[image: …]" text, code coloured with inline styles),
the user's messages are escaped plain text as the window shows them, every title and name is escaped,
the style sheet is inline and fetches nothing (no @import, no url()), and a Content-Security-Policy
forbids scripts, remote loads and forms even to a browser that met something this code missed.

app.render writes light colours inline (they suit a page and paper); on a dark screen the style sheet
overrides the ones that would clash and leaves code blocks as light cards, which stay readable.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from app.render import render_markdown
from app.store import ExportedConversation, ExportedMessage
from app.transfer.reading import attachment_line, stats_lines, status_note, title_of, when, who

# Belt and braces: the markup below holds nothing active; this tells the browser to refuse it anyway.
_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"
)

_STYLE: Final = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #57606a; --line: #d0d7de;
  --mine: #f3f5f7; --link: #0969da; --code: #eceff2; --head: #f3f5f7; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181c; --fg: #e6e6e6; --muted: #9da5b4; --line: #4a505c; --mine: #22262d;
    --link: #58a6ff; --code: #3a3f4b; --head: #2f343d; }
}
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.3rem; }
article + article { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 2rem; }
a { color: var(--link); }
.about, .who time, .stats, .note, .attachments, summary { color: var(--muted); font-size: 0.875rem; }
.prompt { border-left: 3px solid var(--line); padding: 0.25rem 0.75rem; margin: 1rem 0; }
.message { margin: 1.25rem 0; padding: 0.6rem 1rem; border-radius: 10px; }
.message.user { background: var(--mine); }
.who { font-weight: 600; margin-bottom: 0.35rem; }
.who time { font-weight: normal; margin-left: 0.4rem; }
.plain { white-space: pre-wrap; overflow-wrap: anywhere; }
.reasoning { margin-bottom: 0.6rem; }
.reasoning .text { border-left: 3px solid var(--line); padding-left: 0.75rem; color: var(--muted); }
.attachments { padding-left: 1.2rem; margin: 0.4rem 0; }
.stats, .note { margin: 0.4rem 0 0; }
pre { overflow-x: auto; font: 0.875rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.text code { background-color: var(--code) !important; border-radius: 4px; padding: 0 0.2em; }
.text blockquote { color: var(--muted) !important; border-left: 3px solid var(--line);
  margin-left: 0 !important; padding-left: 0.75rem; }
.text th { background-color: var(--head); }
.text th, .text td { border-color: var(--line) !important; }
nav ol { padding-left: 1.2rem; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #bbbbbb; --mine: #f3f3f3; --link: #000000; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .message { break-inside: avoid; }
  article + article { break-before: page; border-top: none; }
  .text a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; }
}
"""


def document(
    conversations: Sequence[ExportedConversation], *, exported_at: datetime, reasoning: bool, stats: bool
) -> str:
    page_title = (
        title_of(conversations[0].record.title) if len(conversations) == 1 else "Hearth conversations"
    )
    body = [_contents(conversations)] if len(conversations) > 1 else []
    body += [_conversation(conversation, exported_at, reasoning, stats) for conversation in conversations]
    if not conversations:
        body.append("<p>There are no conversations in this export.</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta name="generator" content="Hearth">\n<title>{_text(page_title)}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _text(text: str) -> str:
    return html.escape(text, quote=True)


def _time(moment: datetime) -> str:
    stamp = moment.astimezone(UTC).isoformat(timespec="seconds")
    return f'<time datetime="{_text(stamp)}">{_text(when(moment))}</time>'


def _contents(conversations: Sequence[ExportedConversation]) -> str:
    items = "".join(
        f'<li><a href="#conversation-{c.record.id}">{_text(title_of(c.record.title))}</a></li>'
        for c in conversations
    )
    return f'<nav aria-label="Conversations"><ol>{items}</ol></nav>'


def _conversation(
    conversation: ExportedConversation, exported_at: datetime, reasoning: bool, stats: bool
) -> str:
    record = conversation.record
    about = f"Started {_time(record.created_at)} · exported from Hearth {_time(exported_at)}"
    if record.model:
        about += f" · model {_text(record.model)}"
    parts = [
        f'<article id="conversation-{record.id}">',
        f"<h1>{_text(title_of(record.title))}</h1>",
        f'<p class="about">{about}</p>',
    ]
    if record.system_prompt:
        parts.append(
            '<div class="prompt"><div class="who">System prompt</div>'
            f'<div class="plain">{_text(record.system_prompt)}</div></div>'
        )
    parts += [_message(message, reasoning, stats) for message in conversation.thread_on_screen()]
    parts.append("</article>")
    return "\n".join(parts)


def _message(message: ExportedMessage, reasoning: bool, stats: bool) -> str:
    record = message.record
    role = record.role if record.role in ("user", "assistant", "system") else "other"
    parts = [
        f'<section class="message {role}" id="message-{record.id}">',
        f'<div class="who">{_text(who(record.role))}{_time(record.created_at)}</div>',
    ]
    if reasoning and record.reasoning.strip():
        # Open, so the reasoning asked for is printed too; a reader can still fold it away.
        parts.append(
            '<details class="reasoning" open><summary>Reasoning</summary>'
            f'<div class="text">{_rendered(record.reasoning)}</div></details>'
        )
    if record.content.strip():
        # The window shows what people typed as plain text and renders only the model's Markdown.
        body = _rendered(record.content) if record.role == "assistant" else _text(record.content)
        css = "text" if record.role == "assistant" else "plain"
        parts.append(f'<div class="{css}">{body}</div>')
    if message.attachments:
        items = []
        for attachment in message.attachments:
            name, description = attachment_line(attachment.content)
            items.append(f"<li>{_text(name)} <span>({_text(description)})</span></li>")
        parts.append(f'<ul class="attachments" aria-label="Attached">{"".join(items)}</ul>')
    if note := status_note(record):
        parts.append(f'<p class="note">{_text(note)}</p>')
    if stats and (figures := stats_lines(record)):
        parts.append(f'<p class="stats">{"<br>".join(_text(line) for line in figures)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _rendered(markdown_text: str) -> str:
    # No copy links: their hearth-copy: scheme means something to the window only. No time budget: an
    # export runs off the window's thread and should hold every reply rendered, not its plain-text
    # fallback; the renderer's size guards bound the work anyway (a hostile megabyte takes about 0.5 s).
    return render_markdown(markdown_text, copy_links=False, budget_s=math.inf).html
