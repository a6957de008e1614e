"""Child processes with a one-way pipe back: started one way, and always stopped the same way.

"spawn" everywhere: forking a process that runs Qt and llama.cpp threads is unsafe, and it is what
macOS and Windows do anyway. A child that will not end by itself is terminated, then killed, so no
reader or probe outlives the work it was started for.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final

SPAWN: Final = multiprocessing.get_context("spawn")
# How long a terminated child gets to end before it is killed.
TERMINATE_WAIT_S: Final = 2.0


def start_child(
    target: Callable[..., None], args: tuple[Any, ...], name: str
) -> tuple[BaseProcess, Connection]:
    """Start `target(*args, sender)` in a daemon child; returns it and the receiving end of its pipe.

    The parent's copy of the sending end is closed at once, so the pipe reports EOF when the child dies.
    """
    receiver, sender = SPAWN.Pipe(duplex=False)
    child = SPAWN.Process(target=target, args=(*args, sender), name=name, daemon=True)
    child.start()
    sender.close()
    return child, receiver


def stop_child(child: BaseProcess, *, grace_s: float) -> int | None:
    """Wait up to `grace_s` for the child to end, then terminate it, then kill it; returns its exit code."""
    child.join(timeout=grace_s)
    if child.is_alive():
        child.terminate()
        child.join(timeout=TERMINATE_WAIT_S)
    if child.is_alive():
        child.kill()
        child.join()
    code = child.exitcode
    child.close()
    return code
