"""The catalogue: built-in gpt-oss variants, exact metadata from a fake Hub, the offline cache, own models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huggingface_hub.hf_api import HfApi, ModelInfo

from app.models.catalog import (
    BUILTIN_VARIANTS,
    CatalogCache,
    CatalogError,
    HubApi,
    builtin_variant,
    cache_path,
    custom_variant,
    recommended_variant,
    refresh_from_hub,
    variant_for_file,
)

MIB = 1024**2


class FakeHub:
    """Answers model_info like HfApi does, from a table, and records what was asked."""

    def __init__(self, files: dict[str, dict[str, tuple[int, str | None]]]) -> None:
        self.files = files
        self.calls: list[tuple[str, bool, str | None]] = []

    def model_info(
        self, repo_id: str, *, files_metadata: bool = False, token: str | None = None
    ) -> ModelInfo:
        self.calls.append((repo_id, files_metadata, token))
        siblings = [
            {"rfilename": name, "size": size}
            | ({"lfs": {"size": size, "sha256": sha, "pointerSize": 134}} if sha else {})
            for name, (size, sha) in self.files[repo_id].items()
        ]
        # ModelInfo takes **kwargs (the Hub's JSON), so its constructor is untyped.
        return ModelInfo(id=repo_id, siblings=siblings)  # type: ignore[no-untyped-call]


def sha(n: int) -> str:
    return f"{n:064x}"


def test_builtins_follow_the_design() -> None:
    ids = [v.id for v in BUILTIN_VARIANTS]
    assert len(set(ids)) == len(ids)
    default = recommended_variant()
    assert (default.repo, default.files) == ("ggml-org/gpt-oss-20b-GGUF", ("gpt-oss-20b-mxfp4.gguf",))
    assert [v.recommended for v in BUILTIN_VARIANTS].count(True) == 1
    big = builtin_variant("gpt-oss-120b-mxfp4")
    assert big is not None
    assert big.main_file == "gpt-oss-120b-mxfp4-00001-of-00003.gguf"
    assert len(big.files) == len(big.sha256) == 3
    unsloth = {v.main_file for v in BUILTIN_VARIANTS if v.repo == "unsloth/gpt-oss-20b-GGUF"}
    assert unsloth == {"gpt-oss-20b-Q4_K_M.gguf", "gpt-oss-20b-Q8_0.gguf", "gpt-oss-20b-F16.gguf"}
    for variant in BUILTIN_VARIANTS:
        assert variant.description and "\n" not in variant.description
        assert variant.size_bytes and not variant.exact


def test_kv_cache_matches_gpt_oss_layout() -> None:
    small, big = recommended_variant(), builtin_variant("gpt-oss-120b-mxfp4")
    assert big is not None
    assert small.kv_cache_bytes(1) == 48 * 1024
    assert small.kv_cache_bytes(8192) == 384 * MIB
    assert big.kv_cache_bytes(8192) == 576 * MIB  # 36 layers instead of 24


def test_refresh_reads_exact_sizes_and_hashes() -> None:
    big = builtin_variant("gpt-oss-120b-mxfp4")
    assert big is not None
    hub = FakeHub(
        {big.repo: {name: (1000 + i, sha(i)) for i, name in enumerate(big.files)} | {"README.md": (5, None)}}
    )
    refreshed = refresh_from_hub(big, hub, token="hf_secret")
    assert hub.calls == [(big.repo, True, "hf_secret")]
    assert refreshed.file_sizes == (1000, 1001, 1002)
    assert refreshed.size_bytes == 3003
    assert refreshed.sha256 == (sha(0), sha(1), sha(2))
    assert refreshed.exact
    assert (refreshed.id, refreshed.files, refreshed.description) == (big.id, big.files, big.description)


def test_refresh_without_lfs_keeps_hash_unknown() -> None:
    variant = custom_variant("someone/tiny-GGUF", "tiny.gguf")
    refreshed = refresh_from_hub(variant, FakeHub({variant.repo: {"tiny.gguf": (42, None)}}))
    assert refreshed.size_bytes == 42
    assert refreshed.sha256 == (None,)
    assert not refreshed.exact


def test_refresh_names_a_missing_file() -> None:
    variant = recommended_variant()
    with pytest.raises(CatalogError, match=r"has no file called gpt-oss-20b-mxfp4\.gguf"):
        refresh_from_hub(variant, FakeHub({variant.repo: {"other.gguf": (1, sha(1))}}))


def test_cache_keeps_refreshed_metadata_offline(tmp_path: Path) -> None:
    cache = CatalogCache(cache_path(tmp_path))
    assert [v.id for v in cache.variants()] == [v.id for v in BUILTIN_VARIANTS]
    default = recommended_variant()
    hub = FakeHub({default.repo: {default.main_file: (12_109_565_632, sha(7))}})
    cache.remember(refresh_from_hub(default, hub))
    custom = custom_variant("someone/tiny-GGUF", "tiny-Q4_0.gguf")
    cache.remember(custom)

    again = CatalogCache(cache_path(tmp_path)).variants()  # a new start, no network
    by_id = {v.id: v for v in again}
    assert by_id[default.id].size_bytes == 12_109_565_632
    assert by_id[default.id].sha256 == (sha(7),)
    assert by_id[default.id].exact
    assert by_id[custom.id] == custom
    assert list(tmp_path.iterdir()) == [cache_path(tmp_path)]  # no temp files left over

    CatalogCache(cache_path(tmp_path)).forget(custom.id)
    assert custom.id not in {v.id for v in CatalogCache(cache_path(tmp_path)).variants()}


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", json.dumps({"version": 999, "variants": {}})],
)
def test_damaged_cache_falls_back_to_builtins(tmp_path: Path, content: str) -> None:
    path = cache_path(tmp_path)
    path.write_text(content, encoding="utf-8")
    assert CatalogCache(path).variants() == list(BUILTIN_VARIANTS)


def test_cache_ignores_stale_or_malformed_entries(tmp_path: Path) -> None:
    default = recommended_variant()
    stale = {"id": default.id, "repo": default.repo, "files": ["renamed.gguf"], "sha256": [sha(1)]}
    broken = {"id": "custom:x", "repo": "a/b", "files": [], "sha256": []}
    data = {"version": 1, "variants": {default.id: stale, "custom:x": broken, "custom:y": "nonsense"}}
    cache_path(tmp_path).write_text(json.dumps(data), encoding="utf-8")
    assert CatalogCache(cache_path(tmp_path)).variants() == list(BUILTIN_VARIANTS)


def test_custom_variant_single_file() -> None:
    variant = custom_variant(" bartowski/Llama-3.2-3B-Instruct-GGUF ", "Llama-3.2-3B-Instruct-Q4_K_M.gguf")
    assert variant.repo == "bartowski/Llama-3.2-3B-Instruct-GGUF"
    assert variant.files == ("Llama-3.2-3B-Instruct-Q4_K_M.gguf",)
    assert variant.quantization == "Q4_K_M"
    assert variant.size_bytes is None
    assert variant.id.startswith("custom:")
    assert not variant.recommended


def test_custom_variant_split_model_fetches_every_part() -> None:
    variant = custom_variant("org/big-GGUF", "Q8_0/big-Q8_0-00001-of-00002.gguf")
    assert variant.files == ("Q8_0/big-Q8_0-00001-of-00002.gguf", "Q8_0/big-Q8_0-00002-of-00002.gguf")
    assert variant.label == "big-Q8_0-00001-of-00002"
    assert variant.quantization == "Q8_0"


@pytest.mark.parametrize(
    ("repo", "filename", "message"),
    [
        ("not a repo", "x.gguf", "does not look like"),
        ("org/model", "weights.safetensors", "not a GGUF"),
        ("org/model", "../escape.gguf", "not a file name"),
        ("org/model", "/abs.gguf", "not a file name"),
    ],
)
def test_custom_variant_refuses_nonsense(repo: str, filename: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        custom_variant(repo, filename)


def test_variant_for_file() -> None:
    assert variant_for_file("gpt-oss-20b-F16.gguf") == builtin_variant("gpt-oss-20b-f16")
    assert variant_for_file("gpt-oss-120b-mxfp4-00002-of-00003.gguf") is None  # only the loaded part
    assert variant_for_file("mystery.gguf") is None


def test_the_real_client_fits_the_protocol() -> None:
    # The point is the type check (mypy compares HfApi.model_info with HubApi); no request is made.
    api: HubApi = HfApi(endpoint="http://127.0.0.1:9")
    assert callable(api.model_info)
