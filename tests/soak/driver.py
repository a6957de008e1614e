"""Soaking a property: as many examples as a time budget holds, and a record of what they covered.

The suite's property tests run a few hundred examples each; `make soak` runs the same kind of checks for
about ten minutes in all. Hypothesis has no time limit of its own, so a target first runs a few examples to
learn what one costs, then as many as its share of the budget holds. Examples get bigger as a run goes on,
so a run that overshoots its share stops doing the work (generating an example is cheap; checking it is
what costs) rather than run on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

T = TypeVar("T")

# Examples that tell what one costs before the budget is shared out.
_CALIBRATION: Final = 25
# A run may go this far past its share before it stops checking.
_OVERSHOOT: Final = 1.25
_ROUNDS: Final = 8


@dataclass
class Coverage:
    """What one target's examples were: how many, how big, and which kinds of input and outcome."""

    name: str
    examples: int = 0
    seconds: float = 0.0
    largest: int = 0
    features: Counter[str] = field(default_factory=Counter)

    def saw(self, feature: str, size: int = 0) -> None:
        self.features[feature] += 1
        self.largest = max(self.largest, size)

    def line(self) -> str:
        kinds = ", ".join(f"{name} {count:,}" for name, count in sorted(self.features.items()))
        return (
            f"{self.name}: {self.examples:,} examples in {self.seconds:.0f} s, "
            f"largest {self.largest:,}; {kinds or 'no features recorded'}"
        )


REPORT: list[Coverage] = []


def soak(
    name: str, strategy: st.SearchStrategy[T], check: Callable[[T, Coverage], None], *, seconds: float
) -> Coverage:
    """Check `strategy`'s examples with `check` for about `seconds`; a failure is Hypothesis's, shrunk."""
    coverage = Coverage(name)
    REPORT.append(coverage)
    started = time.monotonic()
    stop_at = started + seconds * _OVERSHOOT

    def body(example: T) -> None:
        if time.monotonic() > stop_at:
            return
        coverage.examples += 1
        check(example, coverage)

    _run(strategy, body, _CALIBRATION)
    # Hypothesis may end a run before its count (a small search space, many filtered examples): the
    # budget is then spent in further runs, each sized by what an example has cost so far.
    for _ in range(_ROUNDS):
        spent = time.monotonic() - started
        if spent >= seconds:
            break
        each = spent / max(1, coverage.examples)
        _run(strategy, body, max(_CALIBRATION, int((seconds - spent) / max(each, 1e-4))))
    coverage.seconds = time.monotonic() - started
    return coverage


def _run(strategy: st.SearchStrategy[T], body: Callable[[T], None], examples: int) -> None:
    # No example database: every soak run explores afresh instead of replaying the last one's finds.
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(example: T) -> None:
        body(example)

    prop()
