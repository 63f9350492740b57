"""Remembering a pure function's recent results for the same frames.

The data of a day is one cut (``CcmData.as_at``): frames that nothing changes once made. A page, the
deck, the brief and the JSON of one day ask the same questions of the same cut (the deadlines table, the
report statuses) several times over; :func:`same_frames` answers a repeat from memory. A call is a repeat
when every frame argument is the very object of an earlier call (checked through a weak reference, so a
frame that is gone is never mistaken for a new one with the same ``id``) and every other argument is equal
and of the same type. A frame answered from memory is a shallow copy (pandas' copy-on-write): a caller
that changes it changes its own copy only.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd

_FRAMES = (pd.DataFrame, pd.Series)


def _token(value):
    """Part of a call's key: a frame by identity, anything else by type and value (TypeError if unhashable)."""
    if isinstance(value, _FRAMES):
        return ("frame", id(value))
    hash(value)
    return (type(value), value)


def same_frames(maxsize: int = 32) -> Callable:
    """Decorate a pure function of frames and plain values: its last ``maxsize`` results are remembered."""

    def decorate(fn: Callable) -> Callable:
        cache: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def remembered(*args, **kwargs):
            try:
                key = (tuple(_token(a) for a in args), tuple(sorted((k, _token(v)) for k, v in kwargs.items())))
            except TypeError:  # an unhashable argument: computed each time
                return fn(*args, **kwargs)
            with lock:
                hit = cache.get(key)
                if hit is not None and all(ref() is not None for ref in hit[0]):
                    cache.move_to_end(key)
                    return _handed_out(hit[1])
            result = fn(*args, **kwargs)
            refs = tuple(weakref.ref(v) for v in (*args, *kwargs.values()) if isinstance(v, _FRAMES))
            with lock:
                cache[key] = (refs, result)
                cache.move_to_end(key)
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return _handed_out(result)

        remembered.cache_clear = cache.clear  # for tests and benchmarks
        return remembered

    return decorate


def _handed_out(result):
    return result.copy(deep=False) if isinstance(result, _FRAMES) else result
