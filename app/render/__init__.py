"""Markdown from the model -> a safe HTML fragment in the subset QTextDocument understands. No Qt.

Model output is untrusted. Nothing in it may run, load or link anywhere on its own:
- raw HTML, comments and entities are shown as the text they are (the HTML parsers are removed and
  the serializer escapes every '&' and '<');
- only http/https links stay clickable, and the view still asks before opening one;
- images never become <img>: they are shown as "[image: alt]", so nothing remote is fetched.

serializer.py is the single place where HTML is written, and it only writes tags and attributes it
knows; pipeline.py configures Python-Markdown (blocks.py, inline.py) and caches rendered chunks;
highlight.py colours code and themes.py holds the light and dark colours. The few words the HTML shows
of its own come in as Labels, so the window can translate them without this package importing Qt.
"""

from app.render.blocks import split_blocks
from app.render.pipeline import Rendered, render_markdown, warm_up
from app.render.serializer import COPY_SCHEME, Labels, safe_link

__all__ = ["COPY_SCHEME", "Labels", "Rendered", "render_markdown", "safe_link", "split_blocks", "warm_up"]
