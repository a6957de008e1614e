"""Command line: `hearth` opens the app, `hearth ask …` chats from a terminal; `hearth models …` and
`hearth export|import|search …` live in cli_models.py and cli_history.py."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from app import __version__
from app.cli_ask import (
    add_ask_arguments,
    print_after_answer,
    read_attachments,
    result_json,
    set_tool_switches,
    tool_line,
)
from app.cli_history import HISTORY_COMMANDS, add_history_parsers, run_history, terminal_safe
from app.cli_models import add_models_parser, run_models
from app.config import Paths, Settings, default_paths, load_settings
from app.documents.document import Document
from app.engine import ChatEvent, Engine
from app.errors import UserError
from app.logs import current_log_file, say_on_terminal
from app.startup import EXIT_CANNOT_START, command_line_words, one_line, open_data_folder, record_problem
from app.store import HistoryStore
from app.tools.tool_sessions import ToolSessions
from app.turn import TurnResult, add_question, reply_to

log = logging.getLogger("hearth.cli")

EXIT_OK = 0
EXIT_ERROR = EXIT_CANNOT_START  # one status for every failure, a start that failed included
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
COMMANDS = ("ask", "models", "doctor", *HISTORY_COMMANDS)


class CliError(UserError):
    """A problem the user can fix; printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Private, offline chat with local AI models.",
        epilog=(
            "hearth FILE... opens the window with the files: a .gguf model is imported and loaded, "
            "other files are attached to a new message. "
            f"Exit status: {EXIT_OK} done; {EXIT_ERROR} failed, with one line on stderr saying why "
            "(also when Hearth cannot start: its data folder, its log or the window cannot be used); "
            f"{EXIT_USAGE} wrong usage; {EXIT_INTERRUPTED} interrupted. "
            "HEARTH_HOME, when set, names the data folder."
        ),
    )
    parser.add_argument("--version", action="version", version=f"Hearth {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this copy of Hearth works on this computer (no display or network needed)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("doctor", help="print what decides how models run on this computer, for a bug report")
    add_ask_arguments(commands.add_parser("ask", help="ask a model one question and print the answer"))
    add_models_parser(commands)
    add_history_parsers(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    files = _opened_files(argv)
    args = build_parser().parse_args([] if files else argv)
    if args.self_test:
        return _self_test()
    if args.command is None:
        return _open_window(files)
    paths: Paths | None = None
    try:
        paths = default_paths()
        open_data_folder(paths)
    except UserError as problem:
        record_problem(problem, paths)  # a folder Hearth cannot use may still take a log
        return _fail(command_line_words(problem))
    log_file = current_log_file()
    try:
        if args.command == "models":
            return run_models(args, paths)
        if args.command == "doctor":
            from app.diagnostics import diagnostics

            sys.stdout.write(diagnostics(paths, load_settings(paths.settings_file)))
            return EXIT_OK
        if args.command in HISTORY_COMMANDS:
            return run_history(args, paths)
        return _ask(args, paths)
    except UserError as exc:
        log.warning("`hearth %s` stopped: %s", args.command, exc)
        return _fail(str(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`hearth ask … | head`): nothing more to say to it, and not a failure of ours.
        with contextlib.suppress(OSError):
            sys.stdout = _discard()  # so the interpreter's own flush at exit does not complain
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EFBIG):
            log.exception("unexpected failure in `hearth %s`", args.command)
            return _fail(f"something went wrong; the details are in {log_file}")
        # Output redirected to a file on a full disk: the history is saved apart from it.
        log.warning("`hearth %s` could not write its output: %s", args.command, exc)
        return _fail("the disk is full, so the output could not be written; free up some space and try again")
    except Exception:
        log.exception("unexpected failure in `hearth %s`", args.command)
        return _fail(f"something went wrong; the details are in {log_file}")


def _self_test() -> int:
    from app.selftest import self_test

    try:
        paths = default_paths()
    except UserError as problem:  # HEARTH_HOME names no folder at all; the checks could not even begin
        return _fail(command_line_words(problem))
    return self_test(paths, sys.stdout or _discard())


def _open_window(files: Sequence[Path]) -> int:
    try:
        from app.ui.app import run_gui  # Qt is imported only when the window is wanted
    except ImportError as error:
        # A part of Qt or of the system's graphics is missing (libGL on a server, a broken install).
        problem = CliError(
            f"cannot open the window: a part it needs is missing ({one_line(str(error))}); "
            "the command line still works (hearth --help)"
        )
        paths: Paths | None = None
        with contextlib.suppress(UserError):
            paths = default_paths()
            open_data_folder(paths)
        record_problem(problem, paths)
        return _fail(str(problem))
    return run_gui(files=files)


def _opened_files(argv: Sequence[str]) -> list[Path]:
    """Files the desktop asked Hearth to open (`Exec=hearth %F`, a double-clicked .gguf): arguments
    that are neither options nor a command."""
    if not argv or argv[0].startswith("-") or argv[0] in COMMANDS:
        return []
    return [Path(arg) for arg in argv]


def _discard() -> TextIO:
    # A windowed Windows build has no standard output at all; the exit status still tells.
    return open(os.devnull, "w", encoding="utf-8")


def _fail(message: str) -> int:
    say_on_terminal(f"hearth: error: {message}")
    return EXIT_ERROR


def _ask(args: argparse.Namespace, paths: Paths) -> int:
    settings = load_settings(paths.settings_file)
    if not args.prompt.strip() and not args.attach:
        raise CliError("the message is empty")
    documents = read_attachments(args.attach)
    store = HistoryStore(paths.history_db)
    try:
        existing = None
        if args.conversation is not None:
            existing = store.get_conversation(args.conversation)
            if existing is None:
                raise CliError(f"there is no conversation with id {args.conversation}")
        effort = args.effort or (existing and existing.reasoning_effort) or settings.reasoning_effort
        # The model first: a model that cannot load must leave the history exactly as it was.
        engine = Engine()
        engine.load(
            args.model,
            n_ctx=args.n_ctx or settings.n_ctx,
            n_threads=settings.n_threads,
            n_gpu_layers=settings.n_gpu_layers,
        )
        conversation_id = (
            existing.id
            if existing is not None
            else store.create_conversation(model=args.model.name, reasoning_effort=effort)
        )
        set_tool_switches(store, conversation_id, args, engine.info)
        # One notebook for this one reply: the next `hearth ask` is another process.
        with ToolSessions(paths.sandbox_dir) as tools:
            result = _run_interruptibly(
                engine,
                store,
                conversation_id,
                args,
                effort,
                documents=documents,
                settings=settings,
                tools=tools,
            )
    finally:
        store.close()
    if args.json:
        print(json.dumps(result_json(result, args.model), ensure_ascii=False))
    else:
        print_after_answer(result, sys.stderr)
    return EXIT_INTERRUPTED if result.status == "stopped" else EXIT_OK


def _run_interruptibly(
    engine: Engine,
    store: HistoryStore,
    conversation_id: int,
    args: argparse.Namespace,
    effort: str,
    *,
    documents: Sequence[Document],
    settings: Settings,
    tools: ToolSessions,
) -> TurnResult:
    """Run the turn with Ctrl+C wired to the engine's cancel, so an interrupted reply is still saved."""
    cancel = threading.Event()

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        cancel.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    printer = _StreamPrinter(sys.stdout, sys.stderr, quiet=args.json, show_reasoning=args.show_reasoning)
    try:
        return reply_to(
            engine,
            store,
            conversation_id,
            add_question(store, conversation_id, args.prompt, documents),
            reasoning_effort=effort,
            # The command line's choices, else the ones made in the window's Settings.
            max_tokens=args.max_tokens or settings.max_tokens,
            temperature=args.temperature,
            top_p=settings.top_p,
            default_temperature=settings.temperature,
            thinking=args.think,
            cancel=cancel,
            on_event=printer.on_event,
            tools=tools,
        )
    except BaseException:
        printer.end_line()  # what went wrong is said next, on stderr: on a terminal, on a line of its own
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
        engine.unload()


class _StreamPrinter:
    """Streams a reply to the terminal. The model's text is made safe for a terminal (escape sequences
    and control characters shown, not acted on); written to a file or a pipe it stays exact."""

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool, show_reasoning: bool) -> None:
        self._out, self._err = out, err
        self._quiet, self._show_reasoning = quiet, show_reasoning
        self._answer_started = False
        self._open_line: TextIO | None = None  # the stream whose last line is not ended yet

    def _write(self, stream: TextIO, text: str) -> None:
        stream.write(terminal_safe(text, keep_lines=True) if stream.isatty() else text)
        stream.flush()
        self._open_line = None if text.endswith("\n") else stream

    def end_line(self) -> None:
        """End the line a reply cut short stopped in."""
        if self._open_line is None:
            return
        with contextlib.suppress(OSError, ValueError):  # the stream itself may be what failed
            self._open_line.write("\n")
            self._open_line.flush()
        self._open_line = None

    def on_event(self, event: ChatEvent) -> None:
        if self._quiet:
            return
        if event.kind == "reasoning" and self._show_reasoning:
            self._write(self._err, event.text)
        elif event.kind == "tool" and self._show_reasoning and event.activity is not None:
            if self._open_line is self._err:
                self._err.write("\n")
            self._write(self._err, tool_line(event.activity))
        elif event.kind == "answer":
            if not self._answer_started and self._show_reasoning:
                self._err.write("\n\n")
            self._answer_started = True
            self._write(self._out, event.text)
        elif event.kind == "done" and self._answer_started:
            self._out.write("\n")
            self._out.flush()
            self._open_line = None
