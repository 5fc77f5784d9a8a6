"""A small map of what a process keeps between requests, forgetting the least recently used past its size."""

import threading
from collections import OrderedDict
from collections.abc import Hashable

MISSING = object()


class Lru:
    """Thread-safe: a process's threads share it. Keys must say everything the value depends on (a version, a
    count, the bytes themselves), so that an entry is never stale, only forgotten."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default=None):
        with self._lock:
            value = self._entries.get(key, MISSING)
            if value is MISSING:
                return default
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
