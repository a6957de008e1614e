"""The light and dark colours of rendered replies.

They are written into the HTML as inline colours, because QTextDocument has no style sheet to resolve
classes against; a change of theme therefore means rendering again (the chunk cache keys on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Theme:
    pygments_style: str
    code_text: str
    code_bg: str
    code_header_bg: str
    code_header_text: str
    inline_code_bg: str
    table_border: str
    table_header_bg: str
    quote: str


LIGHT: Final = Theme(
    pygments_style="default",
    code_text="#1f2328",
    code_bg="#f6f8fa",
    code_header_bg="#e8ebef",
    code_header_text="#57606a",
    inline_code_bg="#eceff2",
    table_border="#d0d7de",
    table_header_bg="#f3f5f7",
    quote="#57606a",
)
DARK: Final = Theme(
    pygments_style="one-dark",
    code_text="#abb2bf",
    code_bg="#282c34",
    code_header_bg="#21252b",
    code_header_text="#9da5b4",
    inline_code_bg="#3a3f4b",
    table_border="#4a505c",
    table_header_bg="#2f343d",
    quote="#9da5b4",
)
