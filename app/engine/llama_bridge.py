"""The one place that touches llama-cpp-python beyond its documented high-level API.

Hearth needs a few things the high-level `Llama` class does not offer: an abort callback (to
interrupt a long prompt evaluation), token pieces longer than its fixed 32-byte buffer (harmony
headers can be longer), end-of-generation checks for every EOG token (gpt-oss has several), and
explicit control of KV-cache prefix reuse so we can report how many tokens were reused. Keeping
all of that here means a llama-cpp-python upgrade is checked in one file.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import threading
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import ClassVar

import llama_cpp
from llama_cpp import llama_cpp as llama_lib
from llama_cpp._ctypes_extensions import load_shared_library

from app.engine.devices import Device, DeviceType
from app.engine.sampling import Sampling

_MARKER_ATTRS = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL | llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED
_llama_log = logging.getLogger("hearth.llama")
# ggml's levels (ggml.h): 1 debug, 2 info, 3 warn, 4 error, 5 "continues the previous line". Its warnings
# are routine for us (every gpt-oss load warns about re-typed header tokens), and so are its errors
# after a cancel ("failed to compute graph"); real failures surface as exceptions that the engine
# logs and explains itself. So llama.cpp never raises our log above INFO.
_GGML_LEVELS = {1: logging.DEBUG, 2: logging.DEBUG, 3: logging.INFO, 4: logging.INFO}
_last_level = logging.DEBUG


def _forward_llama_log(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
    """Send llama.cpp's messages to our log file instead of the user's terminal.

    llama-cpp-python's own callback prints some of them (e.g. "decode: removing memory module
    entries" after an abort) to stderr even with verbose=False, which garbles `hearth ask` output.
    """
    global _last_level  # noqa: PLW0603 - a continuation line needs the previous line's level
    _last_level = _GGML_LEVELS.get(level, _last_level)
    message = text.decode("utf-8", errors="replace").rstrip()
    if message:
        _llama_log.log(_last_level, message)


# Module-level so the ctypes callback object lives as long as the library may call it.
_LOG_CALLBACK = llama_cpp.llama_log_callback(_forward_llama_log)
llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


def runtime_description() -> str:
    """Which llama.cpp this is, for the About box: the binding's version and the CPU features built in."""
    features = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    # "CPU : SSE3 = 1 | AVX2 = 1 | ..." -> SSE3, AVX2, ...
    flags = [part.strip() for part in features.split("|")]
    enabled = [flag.split("=")[0].split(":")[-1].strip() for flag in flags if flag.endswith("= 1")]
    return f"llama-cpp-python {llama_cpp.__version__}" + (f" ({', '.join(enabled)})" if enabled else "")


def supports_gpu_offload() -> bool:
    return bool(llama_cpp.llama_supports_gpu_offload())


# enum ggml_backend_dev_type in ggml-backend.h of the pinned llama.cpp. Older ggml had no IGPU (ACCEL was
# 2 then); "meta" (4, a wrapper for tensor parallelism) is no place of its own, so it is left out.
_DEVICE_TYPES: dict[int, DeviceType] = {0: "cpu", 1: "gpu", 2: "igpu", 3: "accel"}


class _DeviceApi:
    """ggml's device functions, found in the very libraries llama_cpp loaded.

    llama-cpp-python binds none of them. ggml_backend_dev_count/_get live in libggml and the per-device
    ones in libggml-base; each is looked up in both because Windows (unlike dlsym) does not search a
    library's dependencies.
    """

    _SIGNATURES: ClassVar[dict[str, tuple[list[type], type | None]]] = {
        "ggml_backend_dev_count": ([], ctypes.c_size_t),
        "ggml_backend_dev_get": ([ctypes.c_size_t], ctypes.c_void_p),
        "ggml_backend_dev_name": ([ctypes.c_void_p], ctypes.c_char_p),
        "ggml_backend_dev_description": ([ctypes.c_void_p], ctypes.c_char_p),
        "ggml_backend_dev_type": ([ctypes.c_void_p], ctypes.c_int),
        "ggml_backend_dev_memory": (
            [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_size_t)],
            None,
        ),
    }

    def __init__(self, libraries: Sequence[ctypes.CDLL]) -> None:
        self.functions: dict[str, ctypes._NamedFuncPointer] = {}
        for symbol, (argtypes, restype) in self._SIGNATURES.items():
            function = next((getattr(lib, symbol) for lib in libraries if hasattr(lib, symbol)), None)
            if function is None:
                raise LookupError(symbol)
            function.argtypes = argtypes
            function.restype = restype
            self.functions[symbol] = function

    def devices(self) -> list[Device]:
        call = self.functions
        found = []
        for index in range(call["ggml_backend_dev_count"]()):
            dev = call["ggml_backend_dev_get"](index)
            kind = _DEVICE_TYPES.get(call["ggml_backend_dev_type"](dev))
            if kind is None:
                continue
            free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
            call["ggml_backend_dev_memory"](dev, ctypes.byref(free), ctypes.byref(total))
            found.append(
                Device(
                    name=(call["ggml_backend_dev_name"](dev) or b"").decode("utf-8", "replace"),
                    description=(call["ggml_backend_dev_description"](dev) or b"").decode("utf-8", "replace"),
                    type=kind,
                    free_bytes=int(free.value),
                    total_bytes=int(total.value),
                )
            )
        return found


@functools.cache
def _device_api() -> _DeviceApi | None:
    # llama_cpp's own loader and folder (LLAMA_CPP_LIB_PATH included): loading a library again hands
    # back the copy already in the process, whose device registry is the one llama.cpp uses.
    libraries = []
    for name in ("ggml", "ggml-base"):
        try:
            libraries.append(load_shared_library(name, llama_lib._base_path))
        except (OSError, RuntimeError) as exc:
            _llama_log.info("no %s library next to llama.cpp: %s", name, exc)
    try:
        return _DeviceApi(libraries)
    except LookupError as exc:
        _llama_log.info("this llama.cpp build has no device API (%s); GPU offload sees no devices", exc)
        return None


def devices() -> list[Device]:
    """Every device llama.cpp can use, with its free and total memory now; [] if the build cannot say."""
    api = _device_api()
    if api is None:
        return []
    # Builds with loadable backends register them on this first call (a no-op for bundled ones).
    supports_gpu_offload()
    return api.devices()


def open_llama(
    path: Path,
    *,
    n_ctx: int,
    n_threads: int,
    n_gpu_layers: int,
    n_batch: int,
    main_gpu: int | None = None,
) -> llama_cpp.Llama:
    """Open a model. `main_gpu` (an index among the GPUs llama.cpp uses) keeps every offloaded layer on
    that one GPU; without it llama.cpp spreads the layers over all GPUs by their free memory."""
    split = llama_cpp.LLAMA_SPLIT_MODE_LAYER if main_gpu is None else llama_cpp.LLAMA_SPLIT_MODE_NONE
    return llama_cpp.Llama(
        model_path=str(path),
        n_ctx=n_ctx,
        n_threads=n_threads,
        n_gpu_layers=n_gpu_layers,
        split_mode=split,
        main_gpu=main_gpu or 0,
        n_batch=n_batch,
        n_ubatch=min(n_batch, 512),
        logits_all=False,
        verbose=False,
    )


class Vocab:
    """Token text and end-of-generation facts for a loaded model."""

    def __init__(self, llm: llama_cpp.Llama) -> None:
        self._vocab = llm._model.vocab
        self._pieces: dict[tuple[int, bool], bytes] = {}
        self._buffer = ctypes.create_string_buffer(256)

    def piece(self, token: int, *, special: bool) -> bytes:
        key = (token, special)
        cached = self._pieces.get(key)
        if cached is not None:
            return cached
        size = len(self._buffer)
        n = llama_cpp.llama_token_to_piece(self._vocab, token, self._buffer, size, 0, special)
        if n < 0:
            # A negative result is the size the piece needs.
            self._buffer = ctypes.create_string_buffer(-n)
            n = llama_cpp.llama_token_to_piece(self._vocab, token, self._buffer, -n, 0, special)
        piece = self._buffer.raw[:n]
        self._pieces[key] = piece
        return piece

    def is_end_of_generation(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self._vocab, token))

    def text(self, token: int) -> str:
        return bytes(llama_cpp.llama_vocab_get_text(self._vocab, token)).decode("utf-8", errors="replace")

    @property
    def adds_bos(self) -> bool:
        return bool(llama_cpp.llama_vocab_get_add_bos(self._vocab))

    def special_text(self, token: int) -> str:
        return "" if token < 0 else self.text(token)

    def marker_texts(self) -> list[str]:
        """Texts of control tokens that look like markup (`<|end|>`, `<s>`, `[INST]`)."""
        return list(self.markers())

    def markers(self) -> dict[str, int]:
        """Control tokens that look like markup (`<|end|>`, `<s>`, `[INST]`), by text, with their ids.

        User-defined tokens count too because llama.cpp re-types harmony's header tokens as
        user-defined; plain words that some vocabularies mark user-defined are left alone.
        """
        found: dict[str, int] = {}
        for token in range(llama_cpp.llama_vocab_n_tokens(self._vocab)):
            if llama_cpp.llama_vocab_get_attr(self._vocab, token) & _MARKER_ATTRS:
                text = self.text(token)
                if len(text) > 1 and (text[0], text[-1]) in {("<", ">"), ("[", "]")}:
                    found.setdefault(text, token)
        return found


class AbortSwitch:
    """llama.cpp's abort callback, armed only while a cancel can be waiting on llama.cpp.

    The callback runs on the thread inside llama_decode, between graph nodes, so a cancel set from
    the UI thread interrupts even a long prompt evaluation. It is a C-to-Python call per graph node
    (hundreds per token), which cost ~10% of decode speed when left on, so the engine arms it for
    prompt evaluation only; between generated tokens it checks the cancel event itself.
    """

    def __init__(self, llm: llama_cpp.Llama) -> None:
        self._ctx = llm._ctx.ctx
        self._event: threading.Event | None = None
        self._callback = llama_cpp.ggml_abort_callback(self._should_abort)
        self._no_callback = llama_cpp.ggml_abort_callback()  # a NULL function pointer: llama.cpp skips it

    def _should_abort(self, _data: object) -> bool:
        event = self._event
        return event is not None and event.is_set()

    def arm(self, event: threading.Event) -> None:
        self._event = event
        llama_cpp.llama_set_abort_callback(self._ctx, self._callback, None)

    def disarm(self) -> None:
        llama_cpp.llama_set_abort_callback(self._ctx, self._no_callback, None)
        self._event = None


def reuse_prefix(llm: llama_cpp.Llama, tokens: Sequence[int]) -> int:
    """Keep the KV cache of the longest common prefix with the last call; return how many tokens it holds.

    Same rule as Llama.generate's own reuse, done here so the count is known and reported: one
    token is always left to evaluate, because sampling needs fresh logits.
    """
    previous = llm.input_ids[: llm.n_tokens]
    common = 0
    for old, new in zip(previous, tokens, strict=False):
        if old != new:
            break
        common += 1
    common = min(common, len(tokens) - 1)
    if common > 0 and llm._ctx.kv_cache_seq_rm(-1, common, -1):
        llm.n_tokens = common
        return common
    # Some caches (e.g. a sliding-window one) cannot drop a suffix: start over.
    llm.reset()  # type: ignore[no-untyped-call]
    return 0


def sample_tokens(
    llm: llama_cpp.Llama, new_tokens: Sequence[int], sampling: Sampling
) -> Generator[int, None, None]:
    """Sampled tokens, one per step; the caller stops when it has enough (the cache stays consistent)."""
    for token in llm.generate(
        list(new_tokens),
        top_k=sampling.top_k,
        top_p=sampling.top_p,
        min_p=sampling.min_p,
        temp=sampling.temperature,
        repeat_penalty=sampling.repeat_penalty,
        reset=False,
    ):
        yield int(token)
