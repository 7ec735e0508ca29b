"""What the environment pack keeps of its own: each gauge's flood state, so that crossings are
judged against the last reading taken whatever process stores the next one, and survive restarts."""

from __future__ import annotations

from django.db import models


class GaugeState(models.Model):
    """A river gauge's class against its alarm levels (0 below I … 3 at III, 4 above the historic peak)
    as of its last level reading taken, and the warning drafted for its current rise, if any."""

    station = models.CharField(max_length=40, unique=True)
    state = models.JSONField(default=dict, help_text="floods.level_event's state: at, level_m, alarm")
    warning_id = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.station}: {self.state.get('alarm', 0)}"
