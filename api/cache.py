"""A small thread-safe LRU cache of serialised responses, held in the app's state.

Route answers are deterministic for a given network and request, so a repeated query is served
from here.  Size 0 disables it (``CORRIDORS_RESPONSE_CACHE_SIZE``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ResponseCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        if self.size <= 0:
            return compute()
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return body
            self.misses += 1
        body = compute()  # outside the lock: errors propagate and nothing is stored
        with self._lock:
            self._items[key] = body
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return body
