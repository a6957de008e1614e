"""Diagnostics for a bug report (`hearth doctor`, and Help > Copy diagnostics in the window): plain text that
anyone can paste, with what decides how a model runs here. It names folders and the model's file but
holds no conversation, no document and no token."""

from __future__ import annotations

import platform
import shutil
from datetime import UTC, datetime
from pathlib import Path

import psutil

from app import __version__
from app.config import Paths, Settings
from app.engine import Engine, ModelInfo, gpu_offload_available, llama_bridge, runtime_description
from app.errors import UserError
from app.units import format_bytes


def _devices() -> list[str]:
    found = llama_bridge.devices()
    if not found:
        return ["  (llama.cpp listed none)"]
    return [
        f"  {d.name} ({d.type}) {d.display_name}: "
        f"{format_bytes(d.free_bytes)} free of {format_bytes(d.total_bytes)}"
        for d in found
    ]


def _model_lines(settings: Settings, loaded: ModelInfo | None) -> list[str]:
    if loaded is not None:
        return [
            f"Model: {loaded.path} (loaded)",
            f"  {loaded.architecture}, trained for {loaded.n_ctx_train:,} tokens, "
            f"reasoning: {loaded.reasoning_style}",
            f"  context {loaded.n_ctx:,} tokens (setting: {settings.n_ctx}); {loaded.placement}",
            f"  needs about {format_bytes(loaded.memory.total_bytes)}"
            + (f"; {loaded.offload_note}" if loaded.offload_note else ""),
        ]
    if not settings.active_model:
        return ["Model: none chosen"]
    path = Path(settings.active_model)
    try:
        plan = Engine().plan_load(path, settings.n_ctx, settings.n_threads, settings.n_gpu_layers)
    except UserError as exc:
        return [f"Model: {path} (cannot be planned: {exc})"]
    header = plan.header
    return [
        f"Model: {path} (not loaded; what loading it would do)",
        f"  {header.architecture}, trained for {header.context_length:,} tokens",
        f"  context {plan.n_ctx:,} tokens (setting: {settings.n_ctx}); {plan.placement}",
        f"  GPU: {plan.offload.reason}",
    ]


def diagnostics(paths: Paths, settings: Settings, loaded: ModelInfo | None = None) -> str:
    """The report. Reads the model's header (not its weights) when none is loaded; a few milliseconds."""
    memory = psutil.virtual_memory()
    disk = shutil.disk_usage(paths.root) if paths.root.exists() else None
    lines = [
        f"Hearth {__version__} diagnostics, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"System: {platform.platform()} ({platform.machine()}), Python {platform.python_version()}",
        f"Model runtime: {runtime_description()}",
        f"GPU offload in this build: {'yes' if gpu_offload_available() else 'no'}",
        "Devices:",
        *_devices(),
        f"Memory: {format_bytes(memory.total)} total, {format_bytes(memory.available)} free",
        f"Processor: {psutil.cpu_count(logical=False) or '?'} cores, {psutil.cpu_count() or '?'} threads",
        *_model_lines(settings, loaded),
        f"Settings: context {settings.n_ctx}, GPU layers {settings.n_gpu_layers}, "
        f"threads {settings.n_threads or 'auto'}, language {settings.language}",
        f"Data folder: {paths.root}" + (f" ({format_bytes(disk.free)} free)" if disk else " (missing)"),
        f"Logs: {paths.log_dir}",
    ]
    return "\n".join(lines) + "\n"
