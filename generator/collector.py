"""The cycle collector, paused over work that builds many objects and no reference cycle."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading and checking 10,000 rows make half a million small objects and no cycle: the
    cycle collector would only walk them again and again (a fifth of the time). Usable as a
    decorator."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
