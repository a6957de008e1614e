"""The repetition guard: notice that a reply has fallen into a loop, so the engine can stop it.

Small models, base models and greedy sampling sometimes get stuck saying the same thing again and
again until the context is full: one sentence, a paragraph, the question, a single token. The guard
watches the text of one reply as it streams and trips once the text ends in a span repeated more
often than any real answer repeats one.

It reads text, not tokens. Text is what the user sees, and a threshold in characters means the same
for every vocabulary (the test suite's byte-level models spell a token a character, gpt-oss about
four); the harmony markers are gone by then, and the same words can come as different tokens.

What counts as a loop: the last `covered` characters equal themselves shifted by `period`, so they are
`covered / period` copies of one unit. Real answers repeat too, only less: a rule of "=" runs to 80 or
so, a laugh to a few dozen characters, a table's "| --- " a dozen times; whole lines repeat in empty
table rows, and in code or ASCII art ten or twenty times (a 16x16 matrix of zeros, the empty rows of a
game map). So the copies must cover 200 characters, 500 if the unit is whole lines of 16 characters
or more, and be at least 3 in any case; inside a fenced code block, 600 and 1,000. On SmolLM2's real
loops (tests/engine/samples) that stops a sentence after about 250 characters, two alternating list
lines after about 600, a paragraph at its third copy. Only exact repeats count: a list that counts
("Step 1 … Step 2 …") is never a loop here, however alike its items.

Cost: the text is only looked at every CHECK_EVERY characters, and then only its last WINDOW
characters. Candidate periods are the distances at which the last PROBE characters occurred before
(str.rfind, in C); each candidate is confirmed with slice comparisons. So a check costs the same at
the 100th and the 100,000th token: never quadratic in the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# The longest repeating unit looked for: a long paragraph. Longer loops end at the length limit.
MAX_PERIOD: Final = 2000
MIN_COPIES: Final = 3
# Characters kept; must hold MIN_COPIES copies of the longest unit.
WINDOW: Final = MAX_PERIOD * MIN_COPIES + 192
# The tail searched for earlier occurrences. Long enough that prose rarely repeats it by chance,
# shorter than any loop that trips, less one copy (at least 133 characters).
PROBE: Final = 32
# Distinct earlier occurrences of the probe tried per check: a table separator or a run of spaces
# can occur many times; the next check has another probe.
MAX_CANDIDATES: Final = 12
# Characters between checks (about 16 tokens of English), varied from check to check so that a loop
# whose period divides the interval cannot keep the probe on one unlucky spot.
CHECK_EVERY: Final = 64
_JITTER: Final = 29
# Lines shorter than this ("}", "| ", blank lines) are judged like a unit inside a line: real answers
# repeat whole lines of content (empty table rows, rows of a map), not stubs of lines.
SHORT_LINE: Final = 16
_FENCE: Final = "```"
# Characters of a candidate compared first.
_QUICK: Final = 128


@dataclass(frozen=True)
class Limits:
    """How many characters a repeating unit must cover before it is a loop."""

    inline: int  # a unit without a line break ("la la ", "=", a sentence), or a short one
    lines: int  # a unit of whole lines with some text in them


PROSE: Final = Limits(inline=200, lines=500)
CODE: Final = Limits(inline=600, lines=1000)


@dataclass(frozen=True)
class Loop:
    """A repeating stretch at the end of a reply. Offsets count characters of the whole reply."""

    period: int  # characters in one copy of the unit
    start: int  # where the first copy begins
    end: int  # the end of the text (the stretch runs to it)

    @property
    def copies(self) -> float:
        return (self.end - self.start) / self.period

    @property
    def keep(self) -> int:
        """Characters of the reply to keep: everything before the loop and its first copy."""
        return self.start + self.period


def needed(unit: str, limits: Limits) -> int:
    """Characters that copies of `unit` must cover to be a loop."""
    lines = "\n" in unit and len(unit) >= SHORT_LINE and not unit.isspace()
    floor = limits.lines if lines else limits.inline
    return max(floor, MIN_COPIES * len(unit))


def _periodic(tail: str, period: int, length: int) -> bool:
    """Whether the last `length` characters of `tail` repeat with this period."""
    n = len(tail)
    return tail[n - length + period :] == tail[n - length : n - period]


def _longest(tail: str, period: int, known: int) -> int:
    """The longest periodic stretch at the end of `tail`, given that `known` characters are."""
    low, high = known, len(tail)
    while low < high:
        mid = (low + high + 1) // 2
        if _periodic(tail, period, mid):
            low = mid
        else:
            high = mid - 1
    return low


def _find(tail: str, limits: Limits) -> tuple[int, int] | None:
    """(period, covered) of a loop at the end of `tail`, or None. The shortest confirmed period wins."""
    n = len(tail)
    if n < min(limits.inline, limits.lines):
        return None
    probe = tail[n - PROBE :]
    lowest = max(0, n - PROBE - MAX_PERIOD)
    end = n - 1  # occurrences wholly before the text's last character
    for _ in range(MAX_CANDIDATES):
        at = tail.rfind(probe, lowest, end)
        if at < 0:
            return None
        period = n - PROBE - at
        length = needed(tail[n - period :], limits)
        # Most wrong candidates fail on the first few characters, so those are compared first.
        quick = min(length, period + _QUICK)
        if length <= n and _periodic(tail, period, quick) and _periodic(tail, period, length):
            return period, _longest(tail, period, length)
        end = at + PROBE - 1  # the next occurrence starts before this one
        if period < PROBE:
            # The probe overlaps its own occurrence: the text ends in a run of this short period (spaces,
            # "-", "| --- ") that is too short to be a loop. A longer loop's unit holds the whole run, so
            # its earlier copy starts before the run: skip every occurrence inside it at once.
            end = n - _longest(tail, period, PROBE + period) + PROBE - 1
    return None


def _limits(fences: int) -> Limits:
    return CODE if fences % 2 else PROSE


def find_loop(text: str) -> Loop | None:
    """The loop the whole of `text` ends in, judged as the guard judges it, or None.

    A reply stopped in the middle of a character ends in U+FFFD after the decoder's final flush;
    that is not part of the loop.
    """
    text = text.rstrip("\ufffd")
    base = max(0, len(text) - WINDOW)
    found = _find(text[base:], _limits(text.count(_FENCE)))
    if found is None:
        return None
    period, covered = found
    return Loop(period=period, start=len(text) - covered, end=len(text))


def without_repetition(text: str) -> str:
    """`text` with the loop it ends in cut back to its first copy (unchanged if there is none).

    Where a copy begins depends on how far back the repetition reaches, often mid-sentence or
    mid-word ("la femme au martyr|e, la femme…"). The cut moves on, by less than a copy, to the end
    of that line (for a unit of lines), sentence or word, so the reply ends on something whole.
    """
    loop = find_loop(text)
    if loop is None:
        return text
    text = text.rstrip("\ufffd")
    return text[: _whole(text, loop)].rstrip(" \t")


_SENTENCE_END: Final = re.compile(r"[.!?](?=\s)")
_WORD_END: Final = re.compile(r"\s")


def _whole(text: str, loop: Loop) -> int:
    """Where to cut after the loop's first copy: at the next line, sentence or word end within a copy."""
    keep = loop.keep
    ahead = text[keep - 1 : keep + loop.period]
    if "\n" in text[loop.start : keep]:
        found = ahead.find("\n")
        return keep + found if found >= 0 else keep
    if ahead[0] in ".!?" or ahead[0].isspace():
        return keep
    for pattern in (_SENTENCE_END, _WORD_END):
        match = pattern.search(ahead)
        if match:
            return keep + match.start()
    return keep


class RepetitionGuard:
    """Fed the text of one reply piece by piece; `feed` says True once the reply has fallen into a loop.

    One guard per reply, and one per kind of text (reasoning and answer are separate texts). Once it
    has tripped it stays tripped; `loop` then says where the loop is.
    """

    def __init__(self, limits_outside_code: Limits = PROSE, limits_in_code: Limits = CODE) -> None:
        self._limits = (limits_outside_code, limits_in_code)
        self._pieces: list[str] = []
        self._scan = 0  # where in the kept text the search for code fences goes on
        self._total = 0  # characters fed so far
        self._pending = 0  # characters fed since the last check
        self._next_check = CHECK_EVERY
        self._checks = 0
        self._fences = 0
        self._loop: Loop | None = None

    @property
    def loop(self) -> Loop | None:
        return self._loop

    @property
    def tripped(self) -> bool:
        return self._loop is not None

    def feed(self, text: str) -> bool:
        """Take the next piece of the reply; True if the reply is looping (checked every ~64 characters)."""
        if self._loop is not None:
            return True
        self._pieces.append(text)
        self._total += len(text)
        self._pending += len(text)
        if self._pending < self._next_check:
            return False
        return self.check()

    def check(self) -> bool:
        """Look for a loop now, whatever was fed since the last look (e.g. at the end of a reply)."""
        if self._loop is not None:
            return True
        self._checks += 1
        self._pending = 0
        self._next_check = CHECK_EVERY + (self._checks * 13) % _JITTER
        tail = "".join(self._pieces)
        self._count_fences(tail)
        if len(tail) > WINDOW:
            self._scan -= len(tail) - WINDOW
            tail = tail[-WINDOW:]
        self._pieces = [tail]
        found = _find(tail, self._limits[self._fences % 2])
        if found is None:
            return False
        period, covered = found
        self._loop = Loop(period=period, start=self._total - covered, end=self._total)
        return True

    def _count_fences(self, tail: str) -> None:
        """Count the code fences that came since the last check, as str.count would over the whole reply."""
        at = tail.find(_FENCE, self._scan)
        while at >= 0:
            self._fences += 1
            self._scan = at + len(_FENCE)
            at = tail.find(_FENCE, self._scan)
        # A fence may be two characters short of complete at the end; it is counted next time.
        self._scan = max(self._scan, len(tail) - len(_FENCE) + 1)
