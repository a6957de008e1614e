"""Reply stats as typed records: what is saved reads back equal, and anything stored reads without raising."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.engine import ChatStats
from app.reply_stats import DocumentUse, Passage, ReplyStats, ToolUse, remap_document_ids

FULL = ReplyStats(
    prompt_tokens=812,
    cached_tokens=800,
    completion_tokens=40,
    ttft_s=0.35,
    decode_tok_s=62.5,
    finish_reason="stop",
    dropped_messages=2,
    documents=(
        DocumentUse(7, "notes.txt", "whole"),
        DocumentUse(
            8,
            "report.pdf",
            "passages",
            passages_used=2,
            passages_total=212,
            passages=(Passage(101, "report.pdf p. 4", 4), Passage(150, "report.pdf p. 17", 17)),
        ),
    ),
)


def test_what_is_saved_reads_back_equal() -> None:
    stored = json.loads(json.dumps(FULL.to_json()))
    assert ReplyStats.from_json(stored) == FULL
    assert FULL.passage_ids() == [101, 150]
    assert FULL.context_used == 852


def test_the_stored_form_keeps_the_keys_older_versions_wrote() -> None:
    stored = FULL.to_json()
    assert set(stored) == {
        "prompt_tokens",
        "cached_tokens",
        "completion_tokens",
        "ttft_s",
        "decode_tok_s",
        "finish_reason",
        "dropped_messages",
        "documents",
    }
    assert stored["documents"][1]["passages"][0] == {"chunk_id": 101, "label": "report.pdf p. 4", "page": 4}
    assert ReplyStats(documents=()).to_json() == {"dropped_messages": 0}


def test_tool_figures_are_stored_only_when_a_tool_was_used() -> None:
    assert "tool_calls" not in FULL.to_json() and "tool_tokens" not in FULL.to_json()
    assert "tools" not in FULL.to_json()
    uses = (
        ToolUse("search", "Searched the documents for “deposit”: 2 results", "【0†Page 2†lease.pdf】…", 0.01),
        ToolUse("python", "Ran Python, 0.3 s", "print(6 * 7)\n42", 0.3),
    )
    with_tools = replace(FULL, tool_calls=3, tool_tokens=1_200, tools=uses)
    stored = json.loads(json.dumps(with_tools.to_json()))
    assert (stored["tool_calls"], stored["tool_tokens"]) == (3, 1_200)
    assert stored["tools"][1] == {
        "kind": "python",
        "summary": "Ran Python, 0.3 s",
        "detail": "print(6 * 7)\n42",
        "seconds": 0.3,
    }
    assert ReplyStats.from_json(stored) == with_tools
    damaged = {
        **stored,
        "tools": [None, {"kind": "open"}, {"kind": "open", "summary": "Opened a.pdf", "seconds": "x"}],
    }
    assert ReplyStats.from_json(damaged).tools == (ToolUse("open", "Opened a.pdf"),)


def test_every_engine_figure_has_a_place_in_the_stored_stats() -> None:
    # The turn builds ReplyStats(**chat_stats.as_dict(), ...): a new engine figure must be stored too.
    assert {f.name for f in fields(ChatStats)} <= {f.name for f in fields(ReplyStats)}


def test_old_and_damaged_rows_load_what_they_can() -> None:
    old = {"prompt_tokens": 10, "completion_tokens": 5, "ttft_s": 1, "finish_reason": "length"}
    assert ReplyStats.from_json(old) == ReplyStats(
        prompt_tokens=10, completion_tokens=5, ttft_s=1.0, finish_reason="length"
    )
    damaged: dict[str, Any] = {
        "prompt_tokens": "812",
        "decode_tok_s": True,
        "dropped_messages": None,
        "documents": [
            "not an entry",
            {"attachment_id": 1, "name": "ok.pdf", "mode": "passages", "passages": [{"chunk_id": "x"}, 3]},
            {"attachment_id": "2", "name": "bad id.pdf", "mode": "whole"},
            {"attachment_id": 3, "name": "bad mode.pdf", "mode": "sideways"},
        ],
    }
    assert ReplyStats.from_json(damaged) == ReplyStats(documents=(DocumentUse(1, "ok.pdf", "passages"),))
    nothings: list[object] = [None, [], "stats", 3]
    for nothing in nothings:
        assert ReplyStats.from_json(nothing) == ReplyStats()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=6)
    ),
    max_leaves=30,
)
stats_like = st.fixed_dictionaries(
    {},
    optional={
        "prompt_tokens": json_values,
        "finish_reason": json_values,
        "documents": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "attachment_id": json_values,
                    "name": json_values,
                    "mode": st.sampled_from(["whole", "passages", "other"]) | json_values,
                    "passages": st.lists(
                        st.fixed_dictionaries({}, optional={"chunk_id": json_values, "label": json_values})
                        | json_values,
                        max_size=3,
                    ),
                },
            )
            | json_values,
            max_size=3,
        ),
    },
)


@given(st.one_of(json_values, stats_like))
def test_anything_stored_reads_without_raising_and_round_trips(raw: object) -> None:
    stats = ReplyStats.from_json(raw)
    assert ReplyStats.from_json(json.loads(json.dumps(stats.to_json()))) == stats
    for use in stats.documents:
        assert use.describe()


def test_document_ids_are_remapped_and_the_unmappable_left_out() -> None:
    stored = ReplyStats(
        completion_tokens=4,
        documents=(
            DocumentUse(
                3, "a.pdf", "passages", 2, 9, (Passage(30, "a.pdf p. 1", 1), Passage(31, "a.pdf p. 2", 2))
            ),
            DocumentUse(4, "b.txt", "whole"),
        ),
    ).to_json()
    stored["newer_field"] = "kept"
    moved = remap_document_ids(stored, {3: 103}, {31: 131})
    assert moved["newer_field"] == "kept" and moved["completion_tokens"] == 4
    assert ReplyStats.from_json(moved).documents == (
        DocumentUse(103, "a.pdf", "passages", 2, 9, (Passage(131, "a.pdf p. 2", 2),)),
    )
    assert "documents" not in remap_document_ids(stored, {}, {})
    assert remap_document_ids({"ttft_s": 1.0}, {}, {}) == {"ttft_s": 1.0}
