"""A rule kind: too many vessels berthed in one port at once."""

from django.utils.translation import gettext_lazy as _
from pydantic import Field

from toancanh.packs.api import Evaluator, RuleKind, RuleParams


class CrowdedParams(RuleParams):
    capacity: int = Field(..., gt=0, le=10_000, description="vessels the port can berth")


class Crowded(Evaluator):
    """Fires when a port's reported berth count exceeds its capacity; clears when it is back under."""

    p: CrowdedParams

    def observe(self, state, e):
        berthed = e.field("berthed")
        if berthed is None:
            return None
        if berthed > self.p.capacity:
            return self.fire(state, e.subject, f"{int(berthed)} tàu neo đậu, sức chứa {self.p.capacity}", e)
        return self.clear(state, e.subject, "số tàu neo đậu trong sức chứa", e)


RULE_KINDS = [
    RuleKind(
        "harbour_crowded",
        _("Harbour over capacity"),
        CrowdedParams,
        Crowded,
        _("more vessels berthed than the port holds"),
    )
]
