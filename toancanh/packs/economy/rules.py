"""Default alert rules of the economy: budget revenue falling behind its target."""

from toancanh.packs.api import DefaultRule

DEFAULT_RULES = [
    DefaultRule(
        "budget-revenue-off-target", "Thu ngân sách chậm tiến độ", "indicator_off_target", sector="economy",
        severity="Minor", params={"indicator": "BUDGET_REVENUE"}, order=70,
    ),
]  # fmt: skip
