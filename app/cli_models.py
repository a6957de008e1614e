"""`hearth models list|pull|rm|import`: the model manager from a terminal."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

from app.config import Paths, fit_context, load_settings
from app.errors import UserError
from app.models import (
    DownloadPaused,
    DownloadProgress,
)
from app.models.catalog import (
    CatalogCache,
    Variant,
    builtin_variant,
    cache_path,
    custom_variant,
)
from app.models.hardware import assess_fit, detect_hardware
from app.models.library import InstalledModel, delete_model, import_model, scan
from app.models.pull import pull_variant
from app.models.secrets import get_token
from app.units import MB, format_bytes

EXIT_PAUSED = 130


class ModelsCliError(UserError):
    """A problem the user can fix; printed as one line."""


def add_models_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = commands.add_parser("models", help="list, download, import or remove models")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    actions.add_parser(
        "list", help="the catalogue with how well each fits this computer, and installed models"
    )
    pull = actions.add_parser("pull", help="download a model (resumes an interrupted download)")
    pull.add_argument(
        "repo", help="a catalogue id (see `hearth models list`) or a Hugging Face repo owner/name"
    )
    pull.add_argument("file", nargs="?", help="the .gguf file in that repo (not needed for a catalogue id)")
    remove = actions.add_parser("rm", help="delete an installed model")
    remove.add_argument("name", help="the model's file name, as `hearth models list` shows it")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    imported = actions.add_parser("import", help="copy a .gguf file into Hearth's models folder")
    imported.add_argument("path", help="the .gguf file (for a split model, any of its parts)")


def run_models(args: argparse.Namespace, paths: Paths) -> int:
    # Catalogue and library problems are UserErrors: the caller prints them as one line.
    if args.models_command == "list":
        return _list(paths, sys.stdout)
    if args.models_command == "pull":
        return _pull(args.repo, args.file, paths)
    if args.models_command == "rm":
        return _remove(args.name, paths, confirmed=args.yes)
    return _import(args.path, paths)


def _list(paths: Paths, out: TextIO) -> int:
    n_ctx = fit_context(load_settings(paths.settings_file).n_ctx)
    hardware = detect_hardware(paths.models_dir)
    out.write(f"Catalogue (fit at a {n_ctx:,}-token context):\n")
    for variant in CatalogCache(cache_path(paths.root)).variants():
        size = format_bytes(variant.size_bytes) if variant.size_bytes else "size unknown"
        fit = assess_fit(variant, hardware, n_ctx)
        label = f"{variant.label} (recommended)" if variant.recommended else variant.label
        out.write(f"  {variant.id:<22} {size:>9}  {fit.verdict:<10} {label}\n")
    installed = scan(paths.models_dir)
    out.write("Installed:\n" if installed else "Installed: none yet\n")
    for model in installed:
        out.write(f"  {_describe(model)}\n")
    return 0


def _describe(model: InstalledModel) -> str:
    state = "verified" if model.verified else "not verified"
    if not model.usable:
        state = f"unusable: {model.problem}"
    return f"{model.name:<40} {format_bytes(model.size_bytes):>9}  {state}"


def _variant(repo: str, filename: str | None) -> Variant:
    if filename is None:
        variant = builtin_variant(repo)
        if variant is None:
            raise ModelsCliError(f"“{repo}” is not in the catalogue; give a repo and a file name instead")
        return variant
    return custom_variant(repo, filename)


def _pull(repo: str, filename: str | None, paths: Paths) -> int:
    variant = _variant(repo, filename)
    pause = threading.Event()

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        pause.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        pull_variant(
            variant,
            models_dir=paths.models_dir,
            data_root=paths.root,
            endpoint=os.environ.get("HF_ENDPOINT") or None,
            token=get_token(),
            pause=pause,
            on_progress=_ProgressLine(sys.stderr),
        )
    except DownloadPaused:
        sys.stderr.write("\nPaused. Run the same command again to resume where it stopped.\n")
        return EXIT_PAUSED
    finally:
        signal.signal(signal.SIGINT, previous)
    sys.stderr.write("\n")
    print(f"Downloaded and verified {', '.join(variant.files)} into {paths.models_dir}")
    return 0


class _ProgressLine:
    """One line on the terminal, rewritten in place: percent, size, speed, time left."""

    def __init__(self, err: TextIO) -> None:
        self._err = err

    def __call__(self, progress: DownloadProgress) -> None:
        total = progress.total_bytes or 0
        percent = f"{100 * progress.done_bytes / total:5.1f}%" if total else "  ?  "
        eta = (
            f", {progress.eta_s / 60:.0f} min left"
            if progress.eta_s is not None and progress.eta_s >= 60
            else ""
        )
        speed = progress.bytes_per_s / MB
        self._err.write(
            f"\r{percent}  {format_bytes(progress.done_bytes)} of {format_bytes(total)}"
            f"  {speed:.1f} MB/s{eta}   "
        )
        self._err.flush()


def _find(name: str, paths: Paths) -> InstalledModel:
    for model in scan(paths.models_dir):
        if name in (model.name, model.path.name):
            return model
    raise ModelsCliError(f"no installed model is called “{name}” (see `hearth models list`)")


def _remove(name: str, paths: Paths, *, confirmed: bool) -> int:
    model = _find(name, paths)
    if not confirmed:
        if not sys.stdin.isatty():
            raise ModelsCliError("add --yes to delete without a question")
        answer = input(f"Delete {model.name} ({format_bytes(model.size_bytes)})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 0
    delete_model(model)
    print(f"Deleted {model.name}.")
    return 0


def _import(path: str, paths: Paths) -> int:
    model = import_model(Path(path).expanduser().resolve(), paths.models_dir)
    print(f"Imported {model.name} ({format_bytes(model.size_bytes)}) into {paths.models_dir}")
    return 0
