"""`make soak`: the parsers, readers, renderer and importers under many more examples than the suite runs.

Each target gets a share of the budget (--soak-minutes) and checks the same promises the suite's
property tests make, on wider inputs. The summary at the end says what each one covered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from app.documents.document import DocumentError
from app.documents.isolation import read_document
from app.engine.harmony import HarmonyParser
from app.engine.think import CLOSE, OPEN, ThinkParser
from app.errors import UserError
from app.render import BUDGET_S, forget_renders, render_markdown
from app.store import HistoryStore
from app.transfer.api import export, import_file
from tests.documents import test_extract_fuzz as fuzz
from tests.engine import test_harmony
from tests.engine import test_think_parser as think_tests
from tests.fixtures.hostile_documents import SMALL_HOSTILE_FILES, Hostile
from tests.render.html_checks import active_parts, missing_words
from tests.render.strategies import MARKDOWNISH, hostile_markdown
from tests.soak.driver import Coverage, soak
from tests.soak.json_mutations import mutated_json
from tests.transfer import chatgpt_builder
from tests.transfer.test_hearth_json import build_history

# Shares of the budget: what costs more per example, or hides more, gets more of it.
SHARES = {"renderer": 3, "harmony": 1, "think": 1, "readers": 3, "hostile documents": 2, "importers": 2}

Budget = Callable[[str], float]


@pytest.fixture(scope="session")
def budget(request: pytest.FixtureRequest) -> Budget:
    minutes = float(request.config.getoption("--soak-minutes"))
    return lambda target: minutes * 60 * SHARES[target] / sum(SHARES.values())


def _cuts(text: str, cuts: list[int]) -> list[str]:
    return test_harmony.split_at(text, [cut % (len(text) + 1) for cut in cuts])


_CUTS = st.lists(st.integers(0, 10_000), max_size=40)


def test_renderer(budget: Budget) -> None:
    # The suite's hostile markdown, deeper and longer, with and without the time budget running out.
    cases = st.tuples(
        hostile_markdown(max_depth=3_000, max_times=30_000) | MARKDOWNISH, st.booleans(), st.booleans()
    )

    def check(case: tuple[str, bool, bool], coverage: Coverage) -> None:
        text, dark, out_of_time = case
        if out_of_time:
            forget_renders()
        rendered = render_markdown(text, dark=dark, budget_s=0 if out_of_time else BUDGET_S)
        assert "".join(rendered.parts) == rendered.html
        assert active_parts(rendered.html) == []
        assert missing_words(text, rendered.html) == set()
        coverage.saw("plain fallback" if out_of_time else "rendered", len(text))

    soak("renderer", cases, check, seconds=budget("renderer"))


def test_harmony_parser(budget: Budget) -> None:
    valid = st.tuples(test_harmony.valid_stream(), _CUTS)
    # The suite's garbage is up to 30 fragments; here also long streams, where bounded buffers matter.
    long_garbage = st.lists(
        st.sampled_from(test_harmony._FRAGMENTS) | st.text(max_size=50), min_size=50, max_size=400
    )
    garbage = st.tuples(
        (test_harmony.garbage | long_garbage.map("".join)).map(lambda text: (text, None)), _CUTS
    )

    def check(case: tuple[tuple[str, Any], list[int]], coverage: Coverage) -> None:
        (stream, expected), cuts = case
        whole = test_harmony.harmony(stream)
        if expected is not None:
            assert whole == expected
        assert all(piece.text for piece in whole)
        assert test_harmony.feed_all(HarmonyParser(), _cuts(stream, cuts)) == whole
        kinds = "+".join(sorted({piece.kind for piece in whole})) or "nothing shown"
        coverage.saw(("valid: " if expected is not None else "garbage: ") + kinds, len(stream))

    soak("harmony parser", st.one_of(valid, garbage), check, seconds=budget("harmony"))


def test_think_parser(budget: Budget) -> None:
    cases = st.tuples(think_tests.streams, _CUTS, st.booleans(), st.booleans())

    def check(case: tuple[str, list[int], bool, bool], coverage: Coverage) -> None:
        text, cuts, in_thought, cut_short = case
        whole = think_tests.think(text, in_thought=in_thought, cut_short=cut_short)
        split = think_tests.feed_all(
            ThinkParser(in_thought=in_thought), _cuts(text, cuts), cut_short=cut_short
        )
        assert split == whole
        for piece in whole:
            assert piece.text and OPEN not in piece.text and CLOSE not in piece.text
        coverage.saw("tags" if OPEN in text or CLOSE in text else "no tags", len(text))

    soak("think parser", cases, check, seconds=budget("think"))


def test_document_readers(budget: Budget, tmp_path: Path) -> None:
    suffixes = st.sampled_from(fuzz.SUFFIXES)
    random_bytes = st.tuples(suffixes, st.binary(max_size=65_536), st.just("random bytes"))
    damaged = suffixes.flatmap(
        lambda suffix: st.tuples(st.just(suffix), fuzz.mutated(fuzz.valid_bytes(suffix)), st.just("damaged"))
    )
    text = st.tuples(
        st.sampled_from(fuzz.TEXT_SUFFIXES),
        st.text(max_size=20_000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.just("random text"),
    )
    bad_xml = st.tuples(st.just(".docx"), fuzz.docx_with_mutated_xml(), st.just("damaged Word XML"))

    def check(case: tuple[str, bytes, str], coverage: Coverage) -> None:
        suffix, data, kind = case
        fuzz.check(tmp_path, suffix, data)
        coverage.saw(f"{kind} {suffix}", len(data))

    soak(
        "document readers", st.one_of(random_bytes, damaged, text, bad_xml), check, seconds=budget("readers")
    )


def test_hostile_documents_at_any_size(budget: Budget, tmp_path: Path) -> None:
    # The suite reads each hostile file at one size past the readers' limits; here at sizes around it,
    # through the window's path: the child, under its memory limit.
    cases = st.tuples(st.sampled_from(SMALL_HOSTILE_FILES), st.floats(0.01, 1.5))

    def check(case: tuple[Hostile, float], coverage: Coverage) -> None:
        hostile, scale = case
        assert hostile.small is not None
        path = hostile.write(tmp_path / hostile.name, max(1, int(hostile.small * scale)))
        try:
            document = read_document(path)
        except DocumentError as error:
            message = str(error)
            assert "\n" not in message and hostile.name in message
            coverage.saw(f"{hostile.name}: refused", path.stat().st_size)
        else:
            assert document.text.strip()
            cut = any("Only the first" in note for note in document.notes)
            coverage.saw(f"{hostile.name}: {'cut' if cut else 'read whole'}", path.stat().st_size)
        finally:
            path.unlink()

    soak("hostile documents", cases, check, seconds=budget("hostile documents"))


def test_importers(budget: Budget, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "source.sqlite3") as source:
        build_history(source)
        hearth_export = json.loads(export(source, None, "json"))
    chatgpt_export = [chatgpt_builder.trip(), chatgpt_builder.recipe()]
    archive = chatgpt_builder.write_zip(tmp_path / "export.zip", chatgpt_export).read_bytes()
    cases = st.one_of(
        st.tuples(st.just("Hearth export"), mutated_json(hearth_export)),
        st.tuples(st.just("ChatGPT export"), mutated_json(chatgpt_export)),
        st.tuples(st.just("ChatGPT .zip"), fuzz.mutated(archive)),
    )
    store = HistoryStore(tmp_path / "history.sqlite3")

    def check(case: tuple[str, Any], coverage: Coverage) -> None:
        kind, data = case
        if isinstance(data, bytes):
            path = tmp_path / "import.zip"
            path.write_bytes(data)
        else:
            path = tmp_path / "import.json"
            # NaN and Infinity are not JSON; written anyway, as a user's damaged file could hold them.
            path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
        before = store.list_conversations(limit=100_000)
        try:
            summary = import_file(store, path)
        except UserError as error:
            message = str(error)
            assert message and "\n" not in message and "Traceback" not in message
            assert store.list_conversations(limit=100_000) == before, "a refused import changed the history"
            coverage.saw(f"{kind}: refused", len(path.read_bytes()))
        else:
            after = store.list_conversations(limit=100_000)
            assert len(after) == len(before) + len(summary.conversation_ids)
            for conversation_id in summary.conversation_ids:
                store.delete_conversation(conversation_id)
            coverage.saw(f"{kind}: imported", len(path.read_bytes()))

    try:
        soak("importers", cases, check, seconds=budget("importers"))
    finally:
        store.close()
