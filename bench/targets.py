"""The verdict printed beside each measured ratio, so that a rerun reads at a glance."""

from __future__ import annotations


def verdict(value: float, comparison: str, target: float) -> str:
    """« (objectif ≤ 1.5 : PASS) » when `value comparison target` holds (comparison is « ≤ »
    or « ≥ »), FAIL otherwise."""
    met = value <= target if comparison == "≤" else value >= target
    return f"(objectif {comparison} {target} : {'PASS' if met else 'FAIL'})"
