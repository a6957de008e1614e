"""Markdown from the model -> a safe HTML fragment in the subset QTextDocument understands. No Qt.

Model output is untrusted. Nothing in it may run, load or link anywhere on its own:
- raw HTML, comments and entities are shown as the text they are (the HTML parsers are removed and
  the serializer escapes every '&' and '<');
- only http/https links stay clickable, and the view still asks before opening one;
- images never become <img>: they are shown as "[image: alt]", so nothing remote is fetched.

serializer.py is the single place where HTML is written, and it only writes tags and attributes it
knows; pipeline.py configures Python-Markdown (blocks.py, block_rules.py, inline.py), renders a reply
piece by piece (pieces.py) within a time budget and caches what it rendered (memo.py); highlight.py
colours code and themes.py holds the light and dark colours. The few words the HTML shows of its own
come in as Labels, so the window can translate them without this package importing Qt.

Every message is always shown, whatever its text: no input makes rendering raise, recurse without bound
or take much longer than BUDGET_S; what is too big, too deep or too late to format is shown less deep,
cut up, or as plain text, never left out.
"""

from app.render.blocks import split_blocks
from app.render.pipeline import BUDGET_S, Rendered, forget_renders, render_markdown, warm_up
from app.render.serializer import COPY_SCHEME, Labels, safe_link

__all__ = [
    "BUDGET_S",
    "COPY_SCHEME",
    "Labels",
    "Rendered",
    "forget_renders",
    "render_markdown",
    "safe_link",
    "split_blocks",
    "warm_up",
]
