"""Memo: a least-recently-used cache bounded by a count and by a total size, shared between threads.

The renderer's caches hold text and HTML, whose size varies a thousandfold between a one-line reply and a
megabyte-long one, so a count alone bounds neither memory nor what one huge reply evicts. The window's
pool threads pre-render what the UI thread then shows, so both use the same caches, under a lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, *, max_entries: int, max_size: int, size_of: Callable[[K, V], int]) -> None:
        self._max_entries = max_entries
        self._max_size = max_size
        self._size_of = size_of
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: K, value: V) -> None:
        size = self._size_of(key, value)
        if size > self._max_size:
            return  # it would evict everything else and still not fit
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (value, size)
            self._size += size
            while len(self._entries) > self._max_entries or self._size > self._max_size:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)
