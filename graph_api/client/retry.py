"""When to retry a request, and how long to wait between attempts.

Waits grow exponentially up to a cap, with "equal jitter": half of each wait is fixed and
half random, so clients that failed together (a server restart) do not retry in lockstep,
yet no wait collapses to zero. Only idempotent requests are retried; every write the SDK
sends is idempotent (it carries an externalId, or it is an upsert by key), so a retried
write whose first attempt did commit writes nothing new.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

#: HTTP statuses a proxy or a server answers while it cannot serve for a moment.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Retry `attempts - 1` times; the i-th wait is `min(max_delay, initial * multiplier**i)`
    with equal jitter, and all waits together stay under `deadline` seconds."""

    attempts: int = 10
    initial: float = 0.2
    multiplier: float = 2.0
    max_delay: float = 5.0
    deadline: float = 60.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.initial < 0 or self.max_delay < 0 or self.multiplier < 1:
            raise ValueError("delays must be non-negative and multiplier at least 1")

    def ceiling(self, retry: int) -> float:
        """The longest wait before retry number `retry` (0-based), before jitter."""
        return min(self.max_delay, self.initial * self.multiplier ** retry)

    def delays(self) -> Iterator[float]:
        """The waits between attempts: `attempts - 1` of them, or fewer at the deadline."""
        total = 0.0
        for retry in range(self.attempts - 1):
            ceiling = self.ceiling(retry)
            delay = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
            if total + delay > self.deadline:
                return
            total += delay
            yield delay


NO_RETRY = RetryPolicy(attempts=1)
