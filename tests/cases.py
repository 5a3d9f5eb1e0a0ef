"""Shared case tables for the tests: network architectures that make sense.

Every (output activation, cost) pair the rule table accepts, with hidden layers
cycling through every activation, depth 1 to 4, widths 1 to 4 and m = 1 to 3.
The list is deterministic (seeded), so a failure names a reproducible case.
"""

from __future__ import annotations

import random

from symbp.rules import ACTIVATIONS, COSTS

BUILTIN_ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]
BUILTIN_COSTS = ["half_sse", "sse", "mse", "mae", "binary_cross_entropy", "cross_entropy"]


def valid_pairs() -> list[tuple[str, str]]:
    """(output activation, cost) pairs that the cost table supports."""
    pairs = []
    for cost in BUILTIN_COSTS:
        allowed = COSTS[cost].output_activations
        for act in BUILTIN_ACTIVATIONS:
            if allowed is None or act in allowed:
                pairs.append((act, cost))
    return pairs


def architectures(seed: int = 20261124) -> list[tuple[tuple[int, ...], tuple[str, ...], str, int]]:
    """One architecture per valid (output activation, cost) pair, varied in depth, width, hidden activations, m."""
    rng = random.Random(seed)
    cases = []
    hidden_cycle = 0
    for k, (out_act, cost) in enumerate(valid_pairs()):
        depth = 1 + k % 4
        widths = [rng.randint(1, 4) for _ in range(depth + 1)]
        hidden = []
        for _ in range(depth - 1):
            hidden.append(BUILTIN_ACTIVATIONS[hidden_cycle % len(BUILTIN_ACTIVATIONS)])
            hidden_cycle += 1
        acts = (*hidden, out_act)
        for layer, act in enumerate(acts, start=1):
            if ACTIVATIONS[act].kind == "vector":
                widths[layer] = max(widths[layer], 2)
        # Keep the biggest cases small enough for a fast suite.
        if depth == 4:
            widths = [min(w, 3) for w in widths]
        cases.append((tuple(widths), acts, cost, 1 + k % 3))
    return cases
