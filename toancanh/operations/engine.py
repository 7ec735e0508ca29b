"""The rule engine: matches events to the active rules and keeps each rule's state in memory.

One engine per worker process. Rules are indexed by (sector, event type), and a rule sees only
events inside its unit subtree. The engine decides; :mod:`toancanh.operations.services` writes
the alerts (and decides who hears of them).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from toancanh.operations.models import AlertRule
from toancanh.operations.rules import CLEAR, Evaluator, EventView, Signal, evaluator_for


@dataclass
class RuleRuntime:
    rule_id: int
    name: str
    sector: str | None
    event_type: str
    unit_path: str
    severity: str
    clear_after: int
    evaluator: Evaluator
    last_fire: dict[str, tuple[dt.datetime, Signal]] = field(default_factory=dict)


def _prefixes(path: str) -> list[str]:
    """'/a/b/c/' -> ['/a/', '/a/b/', '/a/b/c/']: the scopes an event at that path falls in."""
    parts = path.strip("/").split("/") if path else []
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class RuleEngine:
    """Rules indexed by (sector, event type) and then by the unit path of their scope, so an event
    meets only the rules that can concern it: those of its kind, in its unit or above."""

    def __init__(self) -> None:
        self.rules: dict[int, RuleRuntime] = {}
        self.index: dict[tuple[str, str], dict[str, list[RuleRuntime]]] = defaultdict(lambda: defaultdict(list))
        self.version: tuple | None = None
        self.lock = threading.Lock()
        self._prefix_cache: dict[str, list[str]] = {}

    # --- rules ------------------------------------------------------------------------------------
    def load(self, rules: list[AlertRule] | None = None) -> None:
        rules = list(AlertRule.objects.filter(active=True).select_related("unit")) if rules is None else rules
        self.rules, self.index = {}, defaultdict(lambda: defaultdict(list))
        for r in rules:
            rt = RuleRuntime(
                r.pk, r.name, r.sector_id, r.event_type, r.unit.path, r.severity, r.clear_after_seconds,
                evaluator_for(r.kind, r.params, r.unit_id),
            )  # fmt: skip
            self.rules[r.pk] = rt
            self.index[(r.sector_id or "*", r.event_type or "*")][r.unit.path].append(rt)

    def refresh(self) -> None:
        """Reload the rules when an administrator changed them (cheap check: count and last change)."""
        version = tuple(AlertRule.objects.aggregate(n=Max("id"), t=Max("updated_at")).values()) + (
            AlertRule.objects.count(),
        )
        if version != self.version:
            with self.lock:
                self.load()
                self.version = version

    def candidates(self, e: EventView) -> list[RuleRuntime]:
        prefixes = self._prefix_cache.get(e.unit_path)
        if prefixes is None:
            prefixes = self._prefix_cache[e.unit_path] = _prefixes(e.unit_path)
        out: list[RuleRuntime] = []
        for key in ((e.sector, e.type), (e.sector, "*"), ("*", e.type), ("*", "*")):
            by_unit = self.index.get(key)
            if by_unit:
                for prefix in prefixes:
                    found = by_unit.get(prefix)
                    if found:
                        out.extend(found)
        return out

    # --- evaluation -------------------------------------------------------------------------------
    def process(self, events: list[EventView]) -> list[tuple[RuleRuntime, Signal]]:
        out = []
        with self.lock:
            for e in events:
                for rt in self.candidates(e):
                    signal = rt.evaluator.observe(e)
                    if signal is not None:
                        if signal.kind != CLEAR:
                            rt.last_fire[signal.key] = (e.at, signal)
                        out.append((rt, signal))
        return out

    def tick(self, now: dt.datetime) -> list[tuple[RuleRuntime, Signal]]:
        """Conditions that arise from time passing: silence, windows emptying, quiet alerts clearing."""
        out = []
        with self.lock:
            for rt in self.rules.values():
                out.extend((rt, s) for s in rt.evaluator.tick(now))
                if rt.clear_after:
                    for key, (at, signal) in list(rt.last_fire.items()):
                        if (now - at).total_seconds() >= rt.clear_after:
                            del rt.last_fire[key]
                            out.append((rt, Signal(CLEAR, key, "quiet again", signal.event)))
        return out


_engine: RuleEngine | None = None


def engine() -> RuleEngine:
    """This process's engine, with the rules as they are now."""
    global _engine
    if _engine is None:
        _engine = RuleEngine()
    _engine.refresh()
    return _engine


def reset() -> None:
    """Forget all rule state (tests, and workers that restart)."""
    global _engine
    _engine = None
