"""Engine: one loaded GGUF model behind load / chat / unload.

The engine owns a single `llama_cpp.Llama` per loaded model and feeds it full prompts every
turn; llama.cpp keeps the longest common token prefix, so a follow-up turn only evaluates the new
tokens. It is not thread-safe except for cancelling: the GUI runs it on one worker thread and sets
the cancel event from the UI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from app.config import AUTO_CONTEXTS, REASONING_EFFORTS
from app.engine import llama_bridge, reasoning
from app.engine.base_model import check_gguf
from app.engine.devices import Device
from app.engine.errors import ModelLoadError, NoModelLoaded, PromptError
from app.engine.gguf_info import GGUFFormatError, GGUFInfo, read_gguf_info
from app.engine.memory import MemoryEstimate, choose_context, estimate_memory, layer_sizes
from app.engine.model_info import (
    ChatEvent,
    ModelInfo,
    available_memory,
    default_threads,
    gpu_offload_available,
    reply_reserve,
    total_memory,
)
from app.engine.offload import OffloadPlan, load_with_fallback, memory_split, placement_text, plan_offload
from app.engine.prompt import ChatMessage, PromptBuilder
from app.engine.sampling import default_sampling
from app.engine.streaming import LoadedModel, stream_reply
from app.engine.tool_calls import ToolMessages, declares_builtin_tools
from app.engine.tool_loop import ToolSession
from app.engine.tools import Toolbox
from app.i18n import format_number, translate
from app.units import format_bytes

log = logging.getLogger("hearth.engine")


def _unusable(path: Path, problem: GGUFFormatError) -> ModelLoadError:
    return ModelLoadError(
        translate("Engine", "“{name}” cannot be used: {problem}.").format(name=path.name, problem=problem)
    )


@dataclass(frozen=True)
class LoadPlan:
    header: GGUFInfo
    n_ctx: int
    n_threads: int
    offload: OffloadPlan

    @property
    def placement(self) -> str:
        return placement_text(self.offload, self.header.arch_int("block_count"), self.n_threads)


class Engine:
    def __init__(
        self,
        *,
        memory_available: Callable[[], int] = available_memory,
        memory_total: Callable[[], int] = total_memory,
        devices: Callable[[], list[Device]] | None = None,
    ) -> None:
        """The callables stand in for this computer in tests: its memory, and the devices llama.cpp
        sees (by default asked of llama.cpp when its build can offload at all)."""
        self._memory_available = memory_available
        self._memory_total = memory_total
        self._devices = devices
        self._loaded: LoadedModel | None = None

    # -- loading ---------------------------------------------------------------------------

    @property
    def info(self) -> ModelInfo | None:
        return self._loaded.info if self._loaded else None

    @property
    def is_loaded(self) -> bool:
        return self._loaded is not None

    def load(
        self,
        path: str | Path,
        n_ctx: int | Literal["auto"] = 8192,
        n_threads: int | None = None,
        n_gpu_layers: int | Literal["auto"] = 0,
        *,
        n_batch: int = 512,
    ) -> ModelInfo:
        """Load a GGUF model, replacing any loaded one. Raises ModelLoadError in plain words."""
        path = Path(path).expanduser()
        planned = self.plan_load(path, n_ctx, n_threads, n_gpu_layers)
        header, n_ctx, n_threads, plan = planned.header, planned.n_ctx, planned.n_threads, planned.offload
        n_ctx_train = header.context_length or n_ctx
        estimate = self._check_memory(header, n_ctx, plan)
        self.unload()
        started = time.perf_counter()

        def open_with(chosen: OffloadPlan) -> Any:
            return llama_bridge.open_llama(
                path,
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_gpu_layers=chosen.n_gpu_layers,
                n_batch=n_batch,
                main_gpu=chosen.main_gpu,
            )

        try:
            # Out of device memory on the GPU: once more on the CPU, and the user is told why.
            llm, plan, offload_note = load_with_fallback(open_with, plan)
        except (ValueError, RuntimeError, OSError) as exc:
            log.warning("llama.cpp refused %s: %s", path, exc)
            raise ModelLoadError(
                translate(
                    "Engine",
                    "“{name}” could not be opened by the model runtime. The file may be damaged, "
                    "or it may need a newer version of Hearth.",
                ).format(name=path.name)
            ) from exc
        try:
            vocab = llama_bridge.Vocab(llm)
            markers = vocab.markers()
            prompts = PromptBuilder(
                header.chat_template,
                bos_token=vocab.special_text(llm.token_bos()),
                eos_token=vocab.special_text(llm.token_eos()),
                tokenize=lambda text: self._tokenize(llm, vocab, text),
                special_texts=markers,
            )
        except PromptError as exc:
            llm.close()
            # A PromptError is a whole sentence of its own, so this one has no full stop.
            raise ModelLoadError(
                translate("Engine", "“{name}” cannot be used: {problem}").format(name=path.name, problem=exc)
            ) from exc
        tags = reasoning.tag_tokens(
            lambda text: list(llm.tokenize(text.encode(), add_bos=False, special=True))
        )
        reasoning_format = reasoning.detect(
            architecture=header.architecture,
            template=header.chat_template,
            prompts=prompts,
            vocab_tags=tags,
        )
        tool_messages = (
            ToolMessages.for_model(llm, markers, prompts.neutralize)
            if reasoning_format.style == "harmony" and declares_builtin_tools(header.chat_template)
            else None
        )
        info = ModelInfo(
            path=path,
            name=header.name,
            architecture=header.architecture,
            n_ctx=llm.n_ctx(),
            n_ctx_train=n_ctx_train,
            n_threads=n_threads,
            n_gpu_layers=plan.n_gpu_layers,
            sampling=default_sampling(header),
            memory=estimate,
            reasoning=reasoning_format,
            placement=replace(planned, offload=plan).placement,
            offload_note=offload_note,
            base_model=check_gguf(header).looks_base,
            builtin_tools=tool_messages is not None,
        )
        think_tokens = frozenset(tags.values()) if info.reasoning_style == "think" else frozenset()
        self._loaded = LoadedModel(
            llm,
            info,
            vocab,
            prompts,
            llama_bridge.AbortSwitch(llm),
            think_tokens=think_tokens,
            tool_messages=tool_messages,
        )
        log.info(
            "loaded %s (%s, n_ctx=%d, %s) in %.2fs: %s",
            path.name,
            info.architecture,
            info.n_ctx,
            info.placement,
            time.perf_counter() - started,
            plan.reason,
        )
        return info

    def plan_load(
        self,
        path: Path,
        n_ctx: int | Literal["auto"],
        n_threads: int | None,
        n_gpu_layers: int | Literal["auto"],
    ) -> LoadPlan:
        """What loading `path` with these settings would do, decided from its header alone: the
        context, the threads and the layers on a GPU. Raises ModelLoadError for an unusable file."""
        header = self._check_file(path)
        chosen_ctx = self._context_length(header, n_ctx)
        threads = n_threads or default_threads()
        return LoadPlan(header, chosen_ctx, threads, self._offload_plan(header, chosen_ctx, n_gpu_layers))

    def _check_file(self, path: Path) -> GGUFInfo:
        if not path.exists():
            raise ModelLoadError(
                translate(
                    "Engine", "The model file “{name}” was not found. It may have been moved or deleted."
                ).format(name=path.name)
            )
        if not path.is_file():
            raise ModelLoadError(
                translate("Engine", "“{name}” is a folder, not a model file.").format(name=path.name)
            )
        try:
            return read_gguf_info(path)
        except GGUFFormatError as exc:
            raise _unusable(path, exc) from exc
        except OSError as exc:
            raise ModelLoadError(
                translate("Engine", "“{name}” could not be read ({reason}).").format(
                    name=path.name, reason=exc.strerror or exc
                )
            ) from exc

    def _context_length(self, header: GGUFInfo, setting: int | Literal["auto"]) -> int:
        """The context to open: the setting, within what the model was trained for; "auto" picks the
        longest of 8k to 64k that fits this computer beside the model (app.engine.memory)."""
        if setting != "auto":
            return max(256, min(setting, header.context_length or setting))
        # The model being replaced gives its memory back first, as in _check_memory.
        free = self._memory_available() + (self._loaded.info.memory.total_bytes if self._loaded else 0)
        try:
            chosen = choose_context(
                lambda n_ctx: estimate_memory(header, n_ctx).total_bytes,
                header.context_length or AUTO_CONTEXTS[-1],
                self._memory_total(),
                free,
            )
        except GGUFFormatError as exc:
            raise _unusable(header.path, exc) from exc
        log.info("chose a %d-token context for %s (%d MB free)", chosen, header.path.name, free // 10**6)
        return chosen

    def _offload_plan(self, header: GGUFInfo, n_ctx: int, setting: int | Literal["auto"]) -> OffloadPlan:
        """How many layers go to a GPU (app.engine.offload): none on a build without a GPU backend."""
        devices = self._devices() if self._devices is not None else llama_bridge.devices()
        if self._devices is None and not gpu_offload_available():
            devices = []
        try:
            sizes = layer_sizes(header, n_ctx)
        except GGUFFormatError as exc:
            raise _unusable(header.path, exc) from exc
        return plan_offload(sizes, devices, setting, system_free=self._memory_available())

    def _check_memory(self, header: GGUFInfo, n_ctx: int, plan: OffloadPlan) -> MemoryEstimate:
        try:
            estimate = estimate_memory(header, n_ctx)
        except GGUFFormatError as exc:
            raise _unusable(header.path, exc) from exc
        # The model being replaced gives its memory back before the new one loads. Layers on a GPU
        # with memory of its own need no RAM.
        free = self._memory_available() + (self._loaded.info.memory.total_bytes if self._loaded else 0)
        in_ram = memory_split(estimate, plan)[0]
        if in_ram > free:
            needed, free_text = format_bytes(in_ram), format_bytes(free)
            raise ModelLoadError(
                translate(
                    "Engine",
                    "“{name}” needs about {needed} of memory with a {context}-token context, but only "
                    "{free} is free. Close other programs, choose a shorter context, or pick a smaller "
                    "model.",
                ).format(name=header.path.name, needed=needed, context=format_number(n_ctx), free=free_text)
            )
        return estimate

    def unload(self) -> None:
        loaded, self._loaded = self._loaded, None
        if loaded is not None:
            loaded.llm.close()

    # -- chatting --------------------------------------------------------------------------

    @staticmethod
    def _tokenize(llm: Any, vocab: llama_bridge.Vocab, text: str) -> list[int]:
        bos = vocab.special_text(llm.token_bos())
        # Templates that write the BOS text themselves would otherwise get two.
        add_bos = vocab.adds_bos and not (bos and text.startswith(bos))
        return list(llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True))

    def _require_loaded(self) -> LoadedModel:
        if self._loaded is None:
            raise NoModelLoaded()
        return self._loaded

    def count_tokens(
        self,
        messages: Sequence[ChatMessage],
        reasoning_effort: str = "medium",
        *,
        thinking: bool | None = None,
        toolbox: Toolbox | None = None,
    ) -> int:
        """Prompt size of a conversation, for a context meter; with a Toolbox, as chat() would render it
        (the tools' descriptions take about a thousand tokens)."""
        loaded = self._require_loaded()
        return loaded.prompts.count_tokens(
            messages, reasoning_effort, thinking=thinking, builtin_tools=_tool_names(loaded, toolbox)
        )

    def count_text_tokens(self, text: str) -> int:
        """Tokens a piece of text (a document, a passage) takes in the prompt."""
        return self._require_loaded().prompts.count_text_tokens(text)

    def chat(
        self,
        messages: Sequence[ChatMessage],
        reasoning_effort: str = "medium",
        max_tokens: int | None = None,
        temperature: float | None = None,
        cancel: threading.Event | None = None,
        *,
        top_p: float | None = None,
        thinking: bool | None = None,
        toolbox: Toolbox | None = None,
    ) -> Iterator[ChatEvent]:
        """Stream the reply to `messages` as reasoning/answer events, then one "done" event with stats.

        Earlier assistant messages may carry "reasoning" (or "thinking") next to "content", which holds
        the answer alone. `thinking` turns a template's thinking switch (`info.thinks_by_switch`) on or
        off; None leaves the template's default, and models without a switch ignore it.
        `toolbox`: the built-in tools the model may call in this reply, for a model that has them
        (`info.builtin_tools`; others ignore it). The prompt then declares them, each call is answered
        within the bounds of app.engine.tool_loop, and a "tool" event says what each call did.
        Raises PromptError if even the newest message alone does not fit the context.
        """
        loaded = self._require_loaded()
        if reasoning_effort not in REASONING_EFFORTS:
            raise ValueError(f"reasoning_effort must be one of {REASONING_EFFORTS}")
        cancel = cancel if cancel is not None else threading.Event()
        started = time.perf_counter()
        n_ctx = loaded.info.n_ctx
        reserve = reply_reserve(n_ctx, max_tokens)
        tools = _tool_names(loaded, toolbox)
        prompt = loaded.prompts.fit(
            messages, reasoning_effort, n_ctx - reserve, thinking=thinking, builtin_tools=tools
        )
        session = None
        if toolbox is not None and tools and loaded.tool_messages is not None:
            session = ToolSession(toolbox, loaded.tool_messages, n_ctx=n_ctx, reserve=reserve)
        return stream_reply(
            loaded,
            tokens=prompt.tokens,
            dropped=prompt.dropped_messages,
            room=n_ctx - len(prompt.tokens),
            max_tokens=max_tokens,
            sampling=loaded.info.sampling.overridden(temperature=temperature, top_p=top_p),
            cancel=cancel,
            started=started,
            in_thought=reasoning.ends_in_open_thought(prompt.text),
            tools=session,
        )


def _tool_names(loaded: LoadedModel, toolbox: Toolbox | None) -> tuple[str, ...]:
    """The built-in tools to declare: the toolbox's, for a model that can use them; none otherwise."""
    if toolbox is None or loaded.tool_messages is None:
        return ()
    return tuple(toolbox.names)
