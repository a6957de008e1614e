"""Read a GGUF file's header without loading the model.

Hearth checks a model before handing it to llama.cpp: llama.cpp's own failures on a bad file are
a generic "failed to load model" (or worse, an abort), and it gives no way to ask how much memory
a model will need before it starts allocating. The header tells us both.
"""

from __future__ import annotations

import mmap
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import gguf

from app.i18n import format_number, translate

GGUF_MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
# Arrays longer than this (token lists, merges) are skipped rather than kept: nobody needs
# 200k token strings to decide whether a model fits.
MAX_KEPT_ARRAY = 64

_SCALAR_FORMATS: dict[int, str] = {
    gguf.GGUFValueType.UINT8: "<B",
    gguf.GGUFValueType.INT8: "<b",
    gguf.GGUFValueType.UINT16: "<H",
    gguf.GGUFValueType.INT16: "<h",
    gguf.GGUFValueType.UINT32: "<I",
    gguf.GGUFValueType.INT32: "<i",
    gguf.GGUFValueType.FLOAT32: "<f",
    gguf.GGUFValueType.BOOL: "<?",
    gguf.GGUFValueType.UINT64: "<Q",
    gguf.GGUFValueType.INT64: "<q",
    gguf.GGUFValueType.FLOAT64: "<d",
}

MetaValue = int | float | bool | str | list[int | float | bool | str]


class GGUFFormatError(Exception):
    """The file is not a GGUF, or not a complete one. The message is for people."""


def _cut_short() -> GGUFFormatError:
    return GGUFFormatError(translate("Engine", "the file ends in the middle of its header"))


def missing_parts_message(count: int, missing: list[str]) -> str:
    """What a split model lacks, in one sentence whose verb agrees with how many parts are missing."""
    if len(missing) == 1:
        text = translate("Engine", "this model comes in {count} parts and {missing} is missing")
    else:
        text = translate("Engine", "this model comes in {count} parts and {missing} are missing")
    return text.format(count=count, missing=", ".join(missing))


class MissingPartsError(GGUFFormatError):
    """A split model with some of its files absent."""

    def __init__(self, count: int, missing: list[str]) -> None:
        super().__init__(missing_parts_message(count, missing))
        self.count = count
        self.missing = missing  # file names


# llama.cpp's (and the Hub's) names for the files of a split model: "x-00001-of-00003.gguf".
_SPLIT_NAME = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$")


@dataclass(frozen=True)
class SplitName:
    """What a split model's file name says: the model's name, which part this is, and of how many."""

    stem: str
    index: int  # 1-based
    count: int

    def part_name(self, index: int) -> str:
        return f"{self.stem}-{index:05d}-of-{self.count:05d}.gguf"

    def part_names(self) -> list[str]:
        """Every part's file name, in order; the first one is the file llama.cpp loads."""
        return [self.part_name(i) for i in range(1, self.count + 1)]


def split_name(filename: str) -> SplitName | None:
    """The split-model reading of a file name (no folder), or None for a model in one file."""
    match = _SPLIT_NAME.match(filename)
    if match is None:
        return None
    return SplitName(match["stem"], int(match["index"]), int(match["count"]))


def shard_paths(path: Path) -> list[Path]:
    """Every file of the model `path` belongs to (any part of a split model), or just `path`.

    Raises MissingPartsError when a part is not next to it.
    """
    split = split_name(path.name)
    if split is None:
        return [path]
    paths = [path.with_name(name) for name in split.part_names()]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise MissingPartsError(split.count, missing)
    return paths


@dataclass(frozen=True)
class GGUFInfo:
    path: Path
    version: int
    metadata: Mapping[str, MetaValue]
    tensor_count: int
    tensor_bytes: int
    expected_file_size: int
    file_size: int

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name", "") or self.path.stem)

    def arch_int(self, key: str, default: int = 0) -> int:
        value = self.metadata.get(f"{self.architecture}.{key}", default)
        if isinstance(value, list):
            # Some models store per-layer values (e.g. head_count_kv); the largest one bounds memory.
            numbers = [int(v) for v in value if isinstance(v, int | float)]
            return max(numbers, default=default)
        return int(value) if isinstance(value, int | float) else default

    @property
    def context_length(self) -> int:
        return self.arch_int("context_length")

    @property
    def chat_template(self) -> str:
        value = self.metadata.get("tokenizer.chat_template", "")
        return value if isinstance(value, str) else ""


class _Cursor:
    def __init__(self, buf: mmap.mmap | bytes, size: int) -> None:
        self.buf = buf
        self.size = size
        self.pos = 0

    def take(self, fmt: str) -> int | float | bool:
        width = struct.calcsize(fmt)
        if self.pos + width > self.size:
            raise _cut_short()
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += width
        return value  # type: ignore[no-any-return]

    def take_int(self, fmt: str) -> int:
        return int(self.take(fmt))

    def take_str(self) -> str:
        length = self.take_int("<Q")
        if self.pos + length > self.size:
            raise _cut_short()
        raw = bytes(self.buf[self.pos : self.pos + length])
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def skip_str(self) -> None:
        length = self.take_int("<Q")
        self.pos += length

    def take_value(self, vtype: int) -> MetaValue | None:
        if vtype == gguf.GGUFValueType.STRING:
            return self.take_str()
        if vtype == gguf.GGUFValueType.ARRAY:
            item_type = self.take_int("<I")
            count = self.take_int("<Q")
            if count > MAX_KEPT_ARRAY:
                self._skip_array(item_type, count)
                return None
            items = [self.take_value(item_type) for _ in range(count)]
            return [item for item in items if item is not None and not isinstance(item, list)]
        fmt = _SCALAR_FORMATS.get(vtype)
        if fmt is None:
            raise GGUFFormatError(
                translate("Engine", "the header has an unknown value type ({type})").format(type=vtype)
            )
        return self.take(fmt)

    def _skip_array(self, item_type: int, count: int) -> None:
        fmt = _SCALAR_FORMATS.get(item_type)
        if fmt is not None:
            self.pos += struct.calcsize(fmt) * count
        elif item_type == gguf.GGUFValueType.STRING:
            for _ in range(count):
                self.skip_str()
        else:
            for _ in range(count):
                self.take_value(item_type)
        if self.pos > self.size:
            raise _cut_short()


def _tensor_nbytes(dims: list[int], type_id: int) -> int:
    try:
        block_size, type_size = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType(type_id)]
    except (ValueError, KeyError) as exc:
        raise GGUFFormatError(
            translate("Engine", "the file uses a tensor type this version does not know ({type})").format(
                type=type_id
            )
        ) from exc
    elements = 1
    for dim in dims:
        elements *= dim
    return elements // block_size * type_size


def read_gguf_info(path: Path) -> GGUFInfo:
    """Parse the header and tensor table; raise GGUFFormatError in plain words if it is not a whole GGUF."""
    file_size = path.stat().st_size
    if file_size < 24:
        raise GGUFFormatError(translate("Engine", "the file is too small to be a GGUF model"))
    with path.open("rb") as handle:
        if handle.read(4) != GGUF_MAGIC:
            raise GGUFFormatError(translate("Engine", "the file is not a GGUF model"))
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return _parse(path, buf, file_size)


def _parse(path: Path, buf: mmap.mmap, file_size: int) -> GGUFInfo:
    cur = _Cursor(buf, file_size)
    cur.pos = 4
    version = cur.take_int("<I")
    if version not in (2, 3):
        raise GGUFFormatError(
            translate("Engine", "the file is GGUF version {version}, which this version cannot read").format(
                version=version
            )
        )
    tensor_count = cur.take_int("<Q")
    kv_count = cur.take_int("<Q")
    if kv_count > 1_000_000 or tensor_count > 1_000_000:
        raise GGUFFormatError(translate("Engine", "the file's header is damaged"))
    metadata: dict[str, MetaValue] = {}
    for _ in range(kv_count):
        key = cur.take_str()
        value = cur.take_value(cur.take_int("<I"))
        if value is not None:
            metadata[key] = value
    data_end = 0
    tensor_bytes = 0
    for _ in range(tensor_count):
        cur.skip_str()
        n_dims = cur.take_int("<I")
        if n_dims > 8:
            raise GGUFFormatError(translate("Engine", "the file's tensor table is damaged"))
        dims = [cur.take_int("<Q") for _ in range(n_dims)]
        type_id = cur.take_int("<I")
        offset = cur.take_int("<Q")
        nbytes = _tensor_nbytes(dims, type_id)
        tensor_bytes += nbytes
        data_end = max(data_end, offset + nbytes)
    alignment_value = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    alignment = int(alignment_value) if isinstance(alignment_value, int) else DEFAULT_ALIGNMENT
    if alignment <= 0 or alignment & (alignment - 1):
        raise GGUFFormatError(translate("Engine", "the file's header is damaged (bad alignment)"))
    data_start = -(-cur.pos // alignment) * alignment
    expected = data_start + data_end
    if file_size < expected:
        raise GGUFFormatError(
            translate(
                "Engine",
                "the file is incomplete: it has {size} of {expected} bytes (was the download interrupted?)",
            ).format(size=format_number(file_size), expected=format_number(expected))
        )
    return GGUFInfo(
        path=path,
        version=version,
        metadata=metadata,
        tensor_count=tensor_count,
        tensor_bytes=tensor_bytes,
        expected_file_size=expected,
        file_size=file_size,
    )
