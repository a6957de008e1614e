"""Damaged JSON for the importers: a valid export with a few of its values replaced, removed or doubled.

Byte-level damage mostly breaks the JSON syntax, which the importers refuse in their first line of defence.
Damage to the structure gets past the parser and reaches the code that trusts shapes: a list where a
mapping was, a number for a parent id, a missing key, a huge string, NaN.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

Json = Any

json_values: st.SearchStrategy[Json] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.just("x" * 100_000),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _slots(data: Json) -> Iterator[tuple[Json, Any]]:
    """Every (container, key or index) in `data`, depth first."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield data, key
            yield from _slots(value)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield data, index
            yield from _slots(value)


@st.composite
def mutated_json(draw: st.DrawFn, original: Json) -> Json:
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        slots = list(_slots(data))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        operation = draw(st.sampled_from(["replace", "remove", "double", "retype"]))
        if operation == "replace":
            container[key] = draw(json_values)
        elif operation == "remove":
            del container[key]
        elif operation == "double" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:
            value = container[key]
            # The same content in the wrong type: "12" for 12, [x] for x, {"0": x} for a list.
            container[key] = str(value) if not isinstance(value, str) else [value]
    return data
