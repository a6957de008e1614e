"""Reading GGUF headers without llama.cpp: what we learn before loading, and what we refuse."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.gguf_info import (
    GGUFFormatError,
    GGUFInfo,
    MissingPartsError,
    SplitName,
    read_gguf_info,
    shard_paths,
    split_name,
)
from app.engine.memory import estimate_memory, kv_cache_bytes
from app.engine.sampling import GENERIC_SAMPLING, GPT_OSS_SAMPLING, default_sampling
from tests.fixtures.tiny_models import TinyModel, write_not_a_gguf, write_truncated_copy


def test_reads_the_facts_we_need(plain_model: TinyModel, gpt_oss_model: TinyModel) -> None:
    info = read_gguf_info(plain_model.path)
    assert info.architecture == "llama"
    assert info.context_length == plain_model.n_ctx_train
    assert "<|assistant|>" in info.chat_template
    assert info.expected_file_size == info.file_size == plain_model.path.stat().st_size
    assert info.tensor_count > 0
    oss = read_gguf_info(gpt_oss_model.path)
    assert oss.architecture == "gpt-oss"
    assert "reasoning_effort" in oss.chat_template


def test_truncated_file_reports_how_much_is_there(tmp_path: Path, plain_model: TinyModel) -> None:
    cut = write_truncated_copy(plain_model.path, tmp_path / "cut.gguf", keep_fraction=0.9)
    with pytest.raises(GGUFFormatError, match=r"incomplete: it has [\d,]+ of [\d,]+ bytes"):
        read_gguf_info(cut)


@pytest.mark.parametrize("keep", [0.0005, 0.002, 0.02])
def test_cut_inside_the_header_is_refused(tmp_path: Path, plain_model: TinyModel, keep: float) -> None:
    cut = write_truncated_copy(plain_model.path, tmp_path / "cut.gguf", keep_fraction=keep)
    with pytest.raises(GGUFFormatError):
        read_gguf_info(cut)


def test_other_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GGUFFormatError, match="not a GGUF"):
        read_gguf_info(write_not_a_gguf(tmp_path / "x.gguf"))
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    with pytest.raises(GGUFFormatError, match="too small"):
        read_gguf_info(empty)
    wrong_version = tmp_path / "v9.gguf"
    wrong_version.write_bytes(b"GGUF" + (9).to_bytes(4, "little") + bytes(32))
    with pytest.raises(GGUFFormatError, match="version 9"):
        read_gguf_info(wrong_version)


def test_memory_estimate_counts_weights_and_kv_cache(plain_model: TinyModel) -> None:
    info = read_gguf_info(plain_model.path)
    small, large = estimate_memory(info, 1024), estimate_memory(info, 4096)
    assert small.weights_bytes == plain_model.path.stat().st_size
    assert large.kv_cache_bytes == 4 * small.kv_cache_bytes > 0
    assert large.total_bytes > small.total_bytes


def fake_info(metadata: dict[str, object], path: Path = Path("m.gguf")) -> GGUFInfo:
    return GGUFInfo(path, 3, metadata, 0, 0, 0, 0)  # type: ignore[arg-type]


def test_gpt_oss_20b_kv_cache_matches_the_published_figure() -> None:
    # gpt-oss-20b: 24 layers, 8 KV heads of 64 dims: 48 KiB per token with a full cache, 384 MiB at 8k.
    info = fake_info(
        {
            "general.architecture": "gpt-oss",
            "gpt-oss.block_count": 24,
            "gpt-oss.embedding_length": 2880,
            "gpt-oss.attention.head_count": 64,
            "gpt-oss.attention.head_count_kv": 8,
            "gpt-oss.attention.key_length": 64,
            "gpt-oss.attention.value_length": 64,
        }
    )
    assert kv_cache_bytes(info, 8192) == 384 * 1024**2


def test_split_models_need_every_part(tmp_path: Path) -> None:
    first = tmp_path / "big-00001-of-00003.gguf"
    for i in (1, 2, 3):
        (tmp_path / f"big-{i:05d}-of-00003.gguf").write_bytes(b"x" * i)
    assert [p.name for p in shard_paths(first)] == [f"big-{i:05d}-of-00003.gguf" for i in (1, 2, 3)]
    # Any part finds the whole model, first part first.
    assert shard_paths(tmp_path / "big-00003-of-00003.gguf") == shard_paths(first)
    (tmp_path / "big-00002-of-00003.gguf").unlink()
    with pytest.raises(GGUFFormatError, match=r"3 parts and big-00002-of-00003\.gguf is missing") as missing:
        shard_paths(first)
    assert isinstance(missing.value, MissingPartsError)
    assert (missing.value.count, missing.value.missing) == (3, ["big-00002-of-00003.gguf"])
    single = tmp_path / "one.gguf"
    assert shard_paths(single) == [single]


def test_split_model_names() -> None:
    split = split_name("gpt-oss-120b-mxfp4-00002-of-00003.gguf")
    assert split == SplitName("gpt-oss-120b-mxfp4", 2, 3)
    assert split.part_names() == [f"gpt-oss-120b-mxfp4-{i:05d}-of-00003.gguf" for i in (1, 2, 3)]
    assert split.part_name(1) == "gpt-oss-120b-mxfp4-00001-of-00003.gguf"
    for single in (
        "model.gguf",
        "big-0001-of-0003.gguf",
        "big-00001-of-00003.gguf.part",
        "-00001-of-00003.gguf",
    ):
        assert split_name(single) is None


def test_sampling_defaults() -> None:
    assert default_sampling(fake_info({"general.architecture": "gpt-oss"})) == GPT_OSS_SAMPLING
    assert GPT_OSS_SAMPLING.top_k == 0 and GPT_OSS_SAMPLING.min_p == 0.0
    assert GPT_OSS_SAMPLING.temperature == 1.0 and GPT_OSS_SAMPLING.top_p == 1.0
    assert default_sampling(fake_info({"general.architecture": "llama"})) == GENERIC_SAMPLING
    tuned = default_sampling(
        fake_info(
            {"general.architecture": "qwen3", "general.sampling.temp": 0.6, "general.sampling.top_k": 20}
        )
    )
    assert tuned.temperature == pytest.approx(0.6)
    assert (tuned.top_k, tuned.top_p) == (20, GENERIC_SAMPLING.top_p)
    assert tuned.overridden(temperature=0.0).temperature == 0.0
    assert tuned.overridden(top_p=0.5) == dataclasses.replace(tuned, top_p=0.5)
    assert tuned.overridden() == tuned


@given(data=st.data())
def test_damaged_headers_fail_in_plain_words(
    data: st.DataObject, plain_model: TinyModel, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Flip, cut or splice bytes anywhere in a real header: the reader either succeeds or says why."""
    original = plain_model.path.read_bytes()
    header_end = 24_000  # the tiny models' header and tensor table fit well inside this
    blob = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(4, header_end))
        blob[at : at + 8] = data.draw(st.binary(min_size=1, max_size=8))
    cut = data.draw(st.integers(4, len(blob)))
    path = tmp_path_factory.mktemp("fuzz") / "damaged.gguf"
    path.write_bytes(bytes(blob[:cut]))
    try:
        info = read_gguf_info(path)
    except GGUFFormatError as exc:
        message = str(exc)
        assert message, "every refusal says why"
        return
    assert info.expected_file_size <= info.file_size
