"""Time limits that nest: parsing and checking are bounded, one slow step cannot eat a claim's budget.

:func:`time_limit` raises :class:`TimeLimit` when its block runs too long
(``SIGALRM``, main thread, POSIX; elsewhere it does not limit). Limits nest:
an inner limit (a proof step) and an outer one (the whole claim) each raise
with their own ``scope``, so a block can catch its own expiry and let an
enclosing one through. Non-goals: limits in threads.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from ..errors import SymbpError

__all__ = ["TimeLimit", "time_limit", "within"]


class TimeLimit(SymbpError):
    """Parsing or checking took longer than its time limit (``scope`` names which limit)."""

    def __init__(self, message: str, scope: object = None):
        super().__init__(message)
        self.scope = scope


#: After a limit expires, it fires again this often until its block has stopped.
RETRY_SECONDS = 0.05
#: The longest limit armed (about 11.6 days): the interval timer overflows near 1e10 s, and a longer limit
#: is no limit in practice.
MAX_SECONDS = 1e6

_LIMITS: list[tuple[float, object, str]] = []  # (deadline, scope, message), outermost first
_ACTIVE = threading.local()


def _arm() -> None:
    if _LIMITS:
        remaining = min(d for d, _, _ in _LIMITS) - time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, min(max(remaining, 1e-3), MAX_SECONDS))
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _expired(signum, frame):
    now = time.monotonic()
    due = [entry for entry in _LIMITS if entry[0] <= now + 1e-4]
    if not due:
        _arm()
        return
    deadline, scope, message = due[0]  # the outermost limit that has passed wins
    # Fire again soon: library code that catches every exception (SymPy has such blocks) may swallow this one,
    # and the block must still stop. When the exception does propagate, time_limit re-arms on the way out.
    signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
    raise TimeLimit(message, scope)


@contextmanager
def time_limit(seconds: float | None, what: str = "parsing"):
    """Raise :class:`TimeLimit` if the block runs longer than ``seconds``; limits nest.

    Uses ``SIGALRM`` (main thread, POSIX); elsewhere it does not limit. The
    exception's ``scope`` is the object this context manager yields, so a block
    can tell its own limit from an enclosing one.

    Examples
    --------
    >>> with time_limit(1.0) as scope:
    ...     1 + 1
    2
    """
    scope = object()
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield scope
        return
    if not _LIMITS:
        _ACTIVE.previous = signal.signal(signal.SIGALRM, _expired)
    _LIMITS.append((time.monotonic() + seconds, scope, f"time limit: {what} took longer than {seconds:g} s"))
    try:
        _arm()  # inside the try: should arming fail, the entry and the handler are still taken back
        yield scope
    finally:
        _LIMITS.pop()
        _arm()
        if not _LIMITS:
            signal.signal(signal.SIGALRM, _ACTIVE.previous)


def within(seconds: float, what: str, compute, default=None):
    """``compute()``, or ``default`` when it runs longer than ``seconds`` (an enclosing limit still propagates).

    Examples
    --------
    >>> within(1.0, "adding", lambda: 1 + 1)
    2
    """
    try:
        with time_limit(seconds, what) as scope:
            return compute()
    except TimeLimit as exc:
        if exc.scope is not scope:
            raise
        return default
