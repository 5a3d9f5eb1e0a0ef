"""Test-run setup shared by the tests and the doctests: registrations do not leak between tests.

``symbp.register_activation`` and ``register_cost`` add to process-wide tables
(as they should for users); each test and doctest gets the tables back as they
were, so no result depends on the order the tests run in.
"""

from __future__ import annotations

import pytest

from symbp import rules


@pytest.fixture(autouse=True)
def _restore_rule_tables():
    activations, costs = dict(rules.ACTIVATIONS), dict(rules.COSTS)
    yield
    rules.ACTIVATIONS.clear()
    rules.ACTIVATIONS.update(activations)
    rules.COSTS.clear()
    rules.COSTS.update(costs)
