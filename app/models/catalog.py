"""The models Hearth knows how to fetch, and what we know about each before downloading it.

Built-in sizes are approximate (what the Hub pages show) so the catalogue works offline on first run;
`refresh_from_hub` replaces them with exact sizes and LFS sha256 hashes, and `CatalogCache` keeps those in
the data dir so the next offline start still has them.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

from app.atomic import read_json, write_json
from app.engine.gguf_info import split_name
from app.engine.memory import CacheShape
from app.errors import UserError
from app.i18n import Deferred, translate

if TYPE_CHECKING:
    from huggingface_hub.hf_api import ModelInfo

log = logging.getLogger("hearth.models")

CACHE_VERSION = 1


class CatalogError(UserError):
    """A catalogue entry cannot be used or refreshed. The message is for people."""


@dataclass(frozen=True)
class Variant:
    """One downloadable model: a repo and the file(s) that make it up (shards in order, first is loaded)."""

    id: str
    label: str
    repo: str
    files: tuple[str, ...]
    quantization: str
    size_bytes: int | None  # all files together; approximate until `exact`
    sha256: tuple[str | None, ...]  # one per file; None until known
    description: str
    recommended: bool = False
    params_b: float | None = None  # billions of parameters, for display
    cache: CacheShape | None = None  # its KV cache's layout; None when unknown
    file_sizes: tuple[int | None, ...] = ()  # exact per-file sizes once read from the Hub

    @property
    def main_file(self) -> str:
        return self.files[0]

    @property
    def exact(self) -> bool:
        """Sizes and hashes come from the Hub, not from our approximate table."""
        return (
            len(self.file_sizes) == len(self.files)
            and all(s is not None for s in self.file_sizes)
            and all(h is not None for h in self.sha256)
        )

    def kv_cache_bytes(self, n_ctx: int) -> int | None:
        return None if self.cache is None else self.cache.bytes_at(n_ctx)


def _gpt_oss_cache(n_layer: int) -> CacheShape:
    # 8 KV heads of 64 dims, K and V in f16, as an installed model's header says (app.engine.memory).
    return CacheShape(n_layer, 8 * (64 + 64) * 2)


# The built-ins' descriptions, by id. The table below is made at import, before a translator is
# installed, so it holds the English; CatalogCache.variants() puts them into the user's language.
_DESCRIPTIONS: Final = {
    "gpt-oss-20b-mxfp4": Deferred.translate(
        "Models", "The best choice for most computers with 16 GB of memory: smart, and quick to answer."
    ),
    "gpt-oss-20b-q4_k_m": Deferred.translate(
        "Models", "The same model packed a little smaller; answers are nearly identical."
    ),
    "gpt-oss-20b-q8_0": Deferred.translate(
        "Models", "The same model with less rounding of its numbers; a little larger."
    ),
    "gpt-oss-20b-f16": Deferred.translate(
        "Models", "The same model at the highest precision; the largest download of the three."
    ),
    "gpt-oss-120b-mxfp4": Deferred.translate(
        "Models", "The much larger model: smarter, but needs a computer with 64 GB of memory or more."
    ),
}


def _builtin(
    id: str,
    label: str,
    repo: str,
    files: tuple[str, ...],
    *,
    quantization: str,
    size_bytes: int,
    big: bool = False,
    recommended: bool = False,
) -> Variant:
    return Variant(
        id=id,
        label=label,
        repo=repo,
        files=files,
        quantization=quantization,
        size_bytes=size_bytes,
        sha256=(None,) * len(files),
        description=_DESCRIPTIONS[id].text,
        recommended=recommended,
        params_b=117.0 if big else 21.0,
        cache=_gpt_oss_cache(36 if big else 24),
    )


BUILTIN_VARIANTS: tuple[Variant, ...] = (
    _builtin(
        "gpt-oss-20b-mxfp4",
        "gpt-oss 20B",
        "ggml-org/gpt-oss-20b-GGUF",
        ("gpt-oss-20b-mxfp4.gguf",),
        quantization="MXFP4",
        size_bytes=12_100_000_000,
        recommended=True,
    ),
    _builtin(
        "gpt-oss-20b-q4_k_m",
        "gpt-oss 20B, Q4_K_M",
        "unsloth/gpt-oss-20b-GGUF",
        ("gpt-oss-20b-Q4_K_M.gguf",),
        quantization="Q4_K_M",
        size_bytes=11_600_000_000,
    ),
    _builtin(
        "gpt-oss-20b-q8_0",
        "gpt-oss 20B, Q8_0",
        "unsloth/gpt-oss-20b-GGUF",
        ("gpt-oss-20b-Q8_0.gguf",),
        quantization="Q8_0",
        size_bytes=12_100_000_000,
    ),
    _builtin(
        "gpt-oss-20b-f16",
        "gpt-oss 20B, F16",
        "unsloth/gpt-oss-20b-GGUF",
        ("gpt-oss-20b-F16.gguf",),
        quantization="F16",
        size_bytes=13_800_000_000,
    ),
    _builtin(
        "gpt-oss-120b-mxfp4",
        "gpt-oss 120B",
        "ggml-org/gpt-oss-120b-GGUF",
        tuple(f"gpt-oss-120b-mxfp4-{i:05d}-of-00003.gguf" for i in (1, 2, 3)),
        quantization="MXFP4",
        size_bytes=60_000_000_000,
        big=True,
    ),
)


def builtin_variant(variant_id: str) -> Variant | None:
    return next((v for v in BUILTIN_VARIANTS if v.id == variant_id), None)


def recommended_variant() -> Variant:
    return next(v for v in BUILTIN_VARIANTS if v.recommended)


def variant_for_file(filename: str, variants: Iterable[Variant] = BUILTIN_VARIANTS) -> Variant | None:
    """The variant whose first (loaded) file has this name, if any."""
    return next((v for v in variants if v.main_file == filename), None)


_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_QUANT = re.compile(r"(mxfp4|i?q\d(?:_[a-z0-9]+)*|f16|bf16|f32)", re.IGNORECASE)


def custom_variant(repo: str, filename: str) -> Variant:
    """Any GGUF on the Hub the user names. For a split model give the first part; all parts are fetched."""
    repo, filename = repo.strip().strip("/"), filename.strip()
    if not _REPO.match(repo):
        raise CatalogError(
            translate("Models", "“{repo}” does not look like a Hugging Face model name (owner/name)").format(
                repo=repo
            )
        )
    if not filename.lower().endswith(".gguf"):
        raise CatalogError(
            translate("Models", "“{name}” is not a GGUF file; Hearth can only run .gguf models").format(
                name=filename
            )
        )
    parts = filename.replace("\\", "/").split("/")
    # The name becomes a path in the models folder: no escaping it.
    if filename.startswith(("/", "\\")) or ".." in parts:
        raise CatalogError(
            translate("Models", "“{name}” is not a file name Hearth can use").format(name=filename)
        )
    split = split_name(Path(filename).name)
    if split is not None:
        folder = filename[: len(filename) - len(Path(filename).name)]
        files = tuple(f"{folder}{name}" for name in split.part_names())
    else:
        files = (filename,)
    quant = _QUANT.findall(Path(filename).stem.split("-of-")[0])
    return Variant(
        id=f"custom:{repo}/{filename}",
        label=Path(files[0]).name.removesuffix(".gguf"),
        repo=repo,
        files=files,
        quantization=quant[-1].upper() if quant else "",
        size_bytes=None,
        sha256=(None,) * len(files),
        description=_custom_description(repo),
    )


def _custom_description(repo: str) -> str:
    return translate("Models", "A model you added from {repo}.").format(repo=repo)


def _worded(variant: Variant) -> Variant:
    """The variant with its description in the user's language, as it is when shown."""
    builtin = _DESCRIPTIONS.get(variant.id)
    description = str(builtin) if builtin is not None else _custom_description(variant.repo)
    return dataclasses.replace(variant, description=description)


class HubApi(Protocol):
    """The part of huggingface_hub's HfApi the catalogue uses (a fake in tests)."""

    def model_info(
        self, repo_id: str, *, files_metadata: bool = ..., token: str | None = ...
    ) -> ModelInfo: ...


def refresh_from_hub(variant: Variant, api: HubApi, token: str | None = None) -> Variant:
    """Exact sizes and sha256 hashes from the Hub; network and auth errors are the caller's to report."""
    info = api.model_info(variant.repo, files_metadata=True, token=token)
    siblings = {s.rfilename: s for s in info.siblings or ()}
    sizes: list[int | None] = []
    hashes: list[str | None] = []
    for name in variant.files:
        sibling = siblings.get(name)
        if sibling is None:
            raise CatalogError(
                translate("Models", "{repo} has no file called {name}").format(repo=variant.repo, name=name)
            )
        sizes.append(sibling.size)
        lfs: Any = sibling.lfs
        # huggingface_hub 2.x gives a BlobLfsInfo dataclass; older releases a dict.
        sha = lfs.get("sha256") if isinstance(lfs, dict) else getattr(lfs, "sha256", None)
        hashes.append(str(sha) if sha else None)
    known = [s for s in sizes if s is not None]
    total = sum(known) if len(known) == len(sizes) else variant.size_bytes
    return dataclasses.replace(variant, file_sizes=tuple(sizes), sha256=tuple(hashes), size_bytes=total)


def cache_path(data_root: Path) -> Path:
    return data_root / "catalog.json"


class CatalogCache:
    """Refreshed Hub metadata and the user's own variants, as JSON in the data dir."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, Any]:
        # Only a cache: losing it costs one refresh, never the user's models.
        raw = read_json(self.path, {}, log=log, instead="starting the catalogue cache afresh")
        if not isinstance(raw, dict) or raw.get("version") != CACHE_VERSION:
            return {}
        return raw

    def _save(self, raw: dict[str, Any]) -> None:
        raw["version"] = CACHE_VERSION
        write_json(self.path, raw)

    def remember(self, variant: Variant) -> None:
        """Store a variant's refreshed sizes and hashes (and the variant itself when it is a custom one)."""
        raw = self._load()
        raw.setdefault("variants", {})[variant.id] = _to_json(variant)
        self._save(raw)

    def forget(self, variant_id: str) -> None:
        raw = self._load()
        if raw.get("variants", {}).pop(variant_id, None) is not None:
            self._save(raw)

    def variants(self) -> list[Variant]:
        """Built-ins (with refreshed metadata where we have it), then the user's own variants."""
        stored: dict[str, Any] = self._load().get("variants", {})
        result: list[Variant] = []
        for builtin in BUILTIN_VARIANTS:
            cached = _from_json(stored.get(builtin.id))
            # Only if the cache describes the same files: a new release may change a built-in's files.
            if cached is not None and cached.repo == builtin.repo and cached.files == builtin.files:
                refreshed = dataclasses.replace(
                    builtin, size_bytes=cached.size_bytes, sha256=cached.sha256, file_sizes=cached.file_sizes
                )
                result.append(_worded(refreshed))
            else:
                result.append(_worded(builtin))
        for variant_id, entry in stored.items():
            if builtin_variant(variant_id) is None:
                custom = _from_json(entry)
                if custom is not None:
                    result.append(_worded(custom))
        return result


def _to_json(variant: Variant) -> dict[str, Any]:
    data = dataclasses.asdict(variant)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _from_json(entry: object) -> Variant | None:
    if not isinstance(entry, dict):
        return None
    try:
        fields = {f.name for f in dataclasses.fields(Variant)}
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in entry.items() if k in fields
        }
        variant = Variant(**values)
    except TypeError:
        return None
    # A hand-edited or damaged cache must not crash the model manager: drop entries that don't add up.
    if (
        not isinstance(variant.repo, str)
        or not variant.files
        or not all(isinstance(f, str) for f in variant.files)
        or len(variant.sha256) != len(variant.files)
        or (variant.file_sizes and len(variant.file_sizes) != len(variant.files))
    ):
        return None
    return variant
