"""Child processes with a one-way pipe back: started one way, and always stopped the same way.

"spawn" everywhere: forking a process that runs Qt and llama.cpp threads is unsafe, and it is what
macOS and Windows do anyway. A child that will not end by itself is terminated, then killed, so no
reader or probe outlives the work it was started for.

A child may also be given a memory limit, which it sets on itself before its work starts: an allocation
past it fails (MemoryError in Python) instead of swapping the machine to a halt. Linux enforces
RLIMIT_AS (address space, so the limit bounds resident memory too); macOS ignores RLIMIT_AS and may
enforce RLIMIT_DATA, so that is set there, as best it can; Windows puts the child in a Job Object with a
per-process memory limit.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final

SPAWN: Final = multiprocessing.get_context("spawn")
# How long a terminated child gets to end before it is killed.
TERMINATE_WAIT_S: Final = 2.0


def start_child(
    target: Callable[..., None], args: tuple[Any, ...], name: str, *, memory_limit: int | None = None
) -> tuple[BaseProcess, Connection]:
    """Start `target(*args, sender)` in a daemon child; returns it and the receiving end of its pipe.

    The parent's copy of the sending end is closed at once, so the pipe reports EOF when the child dies.
    With `memory_limit` (bytes), the child limits its own memory before it calls `target`.
    """
    receiver, sender = SPAWN.Pipe(duplex=False)
    if memory_limit is None:
        child = SPAWN.Process(target=target, args=(*args, sender), name=name, daemon=True)
    else:
        child = SPAWN.Process(
            target=_limited, args=(memory_limit, target, *args, sender), name=name, daemon=True
        )
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


def _limited(memory_limit: int, target: Callable[..., None], *args: Any) -> None:
    """The child's entry when it has a memory limit: the limit first, then the work."""
    limit_memory(memory_limit)
    target(*args)


def limit_memory(limit: int) -> bool:
    """Limits this process's memory to `limit` bytes (never raising a lower limit already set).

    Returns whether a limit the system enforces is now in place; a system that refuses it leaves the
    process as it was (the caller's time limit still holds).
    """
    if sys.platform == "win32":
        return _limit_with_a_job(limit)
    import resource

    # Linux counts every mapping against RLIMIT_AS; macOS does not enforce it, and RLIMIT_DATA is the
    # one it may honour.
    kind = resource.RLIMIT_DATA if sys.platform == "darwin" else resource.RLIMIT_AS
    try:
        soft, hard = resource.getrlimit(kind)
        wanted = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= wanted:
            return True
        resource.setrlimit(kind, (wanted, hard))
    except (ValueError, OSError):
        return False
    return sys.platform != "darwin"


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _JOB_OBJECT_EXTENDED_LIMIT_INFORMATION: Final = 9  # JOBOBJECTINFOCLASS
    _JOB_OBJECT_LIMIT_PROCESS_MEMORY: Final = 0x100

    class _BasicLimits(ctypes.Structure):
        _fields_ = (
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),  # ULONG_PTR
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
        )

    class _IoCounters(ctypes.Structure):
        _fields_ = tuple(
            (field, ctypes.c_uint64)
            for field in (
                "ReadOperationCount",
                "WriteOperationCount",
                "OtherOperationCount",
                "ReadTransferCount",
                "WriteTransferCount",
                "OtherTransferCount",
            )
        )

    class _ExtendedLimits(ctypes.Structure):
        _fields_ = (
            ("BasicLimitInformation", _BasicLimits),
            ("IoInfo", _IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        )

    # The job must outlive this function: it is kept for the life of the process.
    _jobs: list[int] = []

    def _limit_with_a_job(limit: int) -> bool:
        """Puts this process in a new Job Object whose per-process memory limit is `limit`.

        Windows 8 and later allow a process already in a job (a terminal's, say) to join a nested one.
        """
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
        kernel32.SetInformationJobObject.restype = wintypes.BOOL
        kernel32.SetInformationJobObject.argtypes = (
            wintypes.HANDLE,
            ctypes.c_int,
            ctypes.c_void_p,
            wintypes.DWORD,
        )
        kernel32.AssignProcessToJobObject.restype = wintypes.BOOL
        kernel32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)

        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            return False
        limits = _ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = _JOB_OBJECT_LIMIT_PROCESS_MEMORY
        limits.ProcessMemoryLimit = limit
        if not kernel32.SetInformationJobObject(
            job, _JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, ctypes.byref(limits), ctypes.sizeof(limits)
        ) or not kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess()):
            kernel32.CloseHandle(job)
            return False
        _jobs.append(job)
        return True
