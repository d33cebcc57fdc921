"""Retry policies: bounded tenacity retries built from a `retry:` section of the config.

A policy retries only transient failures (timeouts, dropped connections, 5xx, 429), backs off
exponentially with jitter, and gives up after a number of attempts or a total deadline,
whichever comes first. Probes never use a policy: they report.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from archivist.domain import logcontext
from archivist.domain.metrics import Metrics, NoMetrics

T = TypeVar("T")
log = logging.getLogger("archivist.retry")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Call a function, retrying transient errors within bounds."""

    name: str
    attempts: int = 3
    backoff: float = 0.5
    max_backoff: float = 5.0
    deadline: float = 30.0
    is_transient: Callable[[BaseException], bool] = lambda exc: isinstance(exc, (TimeoutError, ConnectionError))
    metrics: Metrics = field(default_factory=NoMetrics)

    def __call__(self, fn: Callable[[], T]) -> T:
        import tenacity  # deferred: the web process imports this module on its hot path

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, self.attempts))
            | tenacity.stop_after_delay(self.deadline),
            wait=tenacity.wait_exponential_jitter(multiplier=self.backoff, max=self.max_backoff),
            retry=tenacity.retry_if_exception(self.is_transient),
            before_sleep=self._log_retry,
            reraise=True,
        )
        with logcontext.bound(gateway=self.name):
            try:
                return retrying(fn)
            except Exception as exc:
                # A transient failure that outlived every retry (or the deadline) is a give-up;
                # anything else was never worth retrying and is the caller's to report.
                if self.is_transient(exc):
                    self.metrics.gateway_gave_up(self.name)
                raise

    def _log_retry(self, state: Any) -> None:
        exc = state.outcome.exception() if state.outcome else None
        self.metrics.gateway_retried(self.name)
        # The warning names the kind of failure only: a driver's text can hold hosts, user
        # names and multi-line hints, so it is logged at INFO (shown with -v) for whoever digs.
        log.warning("retrying", extra={"gateway": self.name, "attempt": state.attempt_number,
                                       "error": type(exc).__name__ if exc else "none"})
        log.info("retry detail", extra={"gateway": self.name, "attempt": state.attempt_number,
                                        "detail": " ".join(str(exc).split()) if exc else ""})


def policy(name: str, section: dict[str, Any],
           is_transient: Callable[[BaseException], bool] | None = None,
           metrics: Metrics | None = None) -> RetryPolicy:
    """Build the policy for one gateway from its config `retry:` mapping."""
    kwargs: dict[str, Any] = {k: section[k] for k in ("attempts", "backoff", "max_backoff", "deadline") if k in section}
    if is_transient is not None:
        kwargs["is_transient"] = is_transient
    if metrics is not None:
        kwargs["metrics"] = metrics
    return RetryPolicy(name=name, **kwargs)


# Errors a network mount gives while it reconnects; other OS errors are not worth retrying.
_TRANSIENT_ERRNOS = frozenset({errno.ESTALE, errno.EIO, errno.ETIMEDOUT, errno.EAGAIN,
                               errno.EHOSTDOWN, errno.EHOSTUNREACH, errno.ENOTCONN})


def is_transient_io(exc: BaseException) -> bool:
    """Transient for mounted storage (recordings, model folders): timeouts and stale mounts."""
    return isinstance(exc, TimeoutError) or (
        isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS)
