"""The rule engine: matches events to the active rules and lets each decide from its persisted state.

Rules are indexed by (sector, event type) and then by the unit path of their scope, so an event
meets only the rules that can concern it. What each rule remembers per key lives in
``RuleState`` rows, loaded (and, on PostgreSQL, locked) for the keys a batch touches and stored
again, changed ones only, in the same transaction as the alerts. So the engine object of a
process holds only the compiled rules: a restart, a second worker or an edit of another rule
loses nothing. Saving a rule reloads that rule alone (each process notices its ``updated_at``).

The engine decides; :mod:`toancanh.operations.services` writes the alerts.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from toancanh.core.sql import dump_json, load_json, marks, upsert_many
from toancanh.operations.models import AlertRule
from toancanh.operations.rules import CLEAR, FIRE, Evaluator, EventView, Signal, evaluator_for

StateKey = tuple[int, str]
# A state being worked on, a copy as it was stored (None: never stored), and its stored text.
Entry = tuple[dict[str, Any], dict[str, Any] | None, Any]


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
    version: Any = None


def _prefixes(path: str) -> list[str]:
    """'/a/b/c/' -> ['/a/', '/a/b/', '/a/b/c/']: the scopes an event at that path falls in."""
    parts = path.strip("/").split("/") if path else []
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _snapshot(state: dict[str, Any]) -> dict[str, Any]:
    """A copy of a state good enough to notice changes: its values, and the items of lists and
    dicts among them (evaluators replace deeper values rather than change them in place)."""
    return {k: v.copy() if isinstance(v, list | dict) else v for k, v in state.items()}


class StateStore:
    """Rule states in the database: one query to load a batch's keys, one statement to store what
    changed (raw SQL: this is the hot path of every event)."""

    CHUNK = 400
    TABLE = "operations_rulestate"
    CACHE_MAX = 100_000

    def __init__(self) -> None:
        # The states this process last read or wrote, by the text stored: a state whose stored
        # text is still that text needs no decoding. Taken out while a batch works on it, so a
        # batch that fails leaves nothing behind that the database does not hold.
        self._cache: dict[StateKey, tuple[str, dict[str, Any]]] = {}

    def _decode(self, sk: StateKey, value: Any) -> Entry:
        """The state to work on, a copy as stored (to tell later whether it changed), its text."""
        known = self._cache.pop(sk, None)
        if known is not None and known[0] == value:
            state = known[1]
        else:
            state = value if isinstance(value, dict) else load_json(value)
        return state, _snapshot(state), value

    def _remember(self, sk: StateKey, text: Any, state: dict[str, Any]) -> None:
        if isinstance(text, str) and len(self._cache) < self.CACHE_MAX:
            self._cache[sk] = (text, state)

    def _select(self, where: str, params: list[Any]) -> dict[StateKey, Entry]:
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        out = {}
        # As text on every database: decoded here (orjson), or not at all when this process knows it.
        state = "state::text" if connection.vendor == "postgresql" else "state"
        sql = f"SELECT rule_id, key, {state} FROM {self.TABLE} WHERE {where} ORDER BY rule_id, key{lock}"  # noqa: S608
        with connection.cursor() as cur:
            cur.execute(sql, params)
            for rule_id, key, raw in cur.fetchall():
                out[(rule_id, key)] = self._decode((rule_id, key), raw)
        return out

    def load(self, keys: set[StateKey]) -> dict[StateKey, Entry]:
        """States of these keys, each with its stored copy (keys never seen are absent). On
        PostgreSQL the rows are locked until the transaction ends, so two workers that meet the
        same key take turns; SQLite's IMMEDIATE transactions already serialize writers."""
        out: dict[StateKey, Entry] = {}
        rule_ids = sorted({r for r, _k in keys})
        names = sorted({k for _r, k in keys})
        for i in range(0, len(names), self.CHUNK):
            part = names[i : i + self.CHUNK]
            found = self._select(
                f"rule_id IN ({marks(len(rule_ids))}) AND key IN ({marks(len(part))})", [*rule_ids, *part]
            )
            out.update((k, v) for k, v in found.items() if k in keys)
        return out

    def load_rules(self, rule_ids: list[int]) -> dict[StateKey, Entry]:
        return self._select(f"rule_id IN ({marks(len(rule_ids))})", list(rule_ids))

    def save(self, states: dict[StateKey, Entry]) -> int:
        """Store the states that changed (not the empty ones of keys never seen, nor those as stored)."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = []
        for (rule_id, key), (st, stored, text) in states.items():
            if st != stored if stored is not None else st:
                text = dump_json(st)
                rows.append((rule_id, key, text, now))
            self._remember((rule_id, key), text, st)
        # One statement per few hundred states (a batch's keys are distinct), not one per state.
        return upsert_many(self.TABLE, ["rule_id", "key", "state", "updated_at"], rows, unique=["rule_id", "key"],
                           update=["state", "updated_at"], chunk=self.CHUNK)  # fmt: skip


class RuleEngine:
    """The compiled active rules of this process, indexed for quick matching."""

    def __init__(self) -> None:
        self.rules: dict[int, RuleRuntime] = {}
        self.index: dict[tuple[str, str], dict[str, list[RuleRuntime]]] = defaultdict(lambda: defaultdict(list))
        self.lock = threading.Lock()
        self.store = StateStore()
        self._prefix_cache: dict[str, list[str]] = {}
        # The rules an event of a (sector, type, unit path) meets, found once while the rules stay
        # as they are (emptied whenever a rule is compiled or dropped).
        self._candidates: dict[tuple[str, str, str], list[RuleRuntime]] = {}

    # --- rules ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Bring the compiled rules up to date: only rules added, changed, disabled or deleted since
        the last look are rebuilt (one cheap query of ids and change times).

        Two threads of a process refresh at once (a worker's batches and its job runner's tick):
        what to rebuild is decided under the lock, against the rules as the other left them, and a
        rule is dropped from the index before it goes in, so it is never there twice (twice, each
        event would meet it twice and its alert would count each reading twice: issue 7)."""
        current = dict(AlertRule.objects.filter(active=True).values_list("id", "updated_at"))
        with self.lock:
            stale = [rid for rid, rt in self.rules.items() if current.get(rid) != rt.version]
            fresh = [rid for rid, at in current.items() if rid not in self.rules or self.rules[rid].version != at]
            if not stale and not fresh:
                return
            self._candidates = {}
            for rid in stale:
                self._drop(rid)
            for r in AlertRule.objects.filter(pk__in=fresh).select_related("unit"):
                self._drop(r.pk)
                rt = RuleRuntime(
                    r.pk, r.name, r.sector_id, r.event_type, r.unit.path, r.severity, r.clear_after_seconds,
                    evaluator_for(r.kind, r.params, r.unit_id), r.updated_at,
                )  # fmt: skip
                self.rules[r.pk] = rt
                self.index[(r.sector_id or "*", r.event_type or "*")][r.unit.path].append(rt)

    def _drop(self, rule_id: int) -> None:
        rt = self.rules.pop(rule_id, None)
        if rt is not None:
            bucket = self.index[(rt.sector or "*", rt.event_type or "*")][rt.unit_path]
            bucket[:] = [x for x in bucket if x.rule_id != rule_id]

    def candidates(self, e: EventView) -> list[RuleRuntime]:
        found = self._candidates.get((e.sector, e.type, e.unit_path))
        if found is None:
            found = self._candidates[(e.sector, e.type, e.unit_path)] = self._find(e)
            if len(self._candidates) > 100_000:  # event types without end: start again
                self._candidates = {}
        return found

    def _find(self, e: EventView) -> list[RuleRuntime]:
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

    # --- evaluation (inside the caller's transaction) -----------------------------------------------
    def process(self, events: list[EventView]) -> list[tuple[RuleRuntime, Signal]]:
        """Decide on a batch of events (in time order). Loads and stores the states it touches."""
        with self.lock:
            touched: list[tuple[RuleRuntime, StateKey, EventView]] = []
            add = touched.append
            for e in events:
                for rt in self.candidates(e):
                    key = rt.evaluator.key(e)
                    if key is not None:
                        add((rt, (rt.rule_id, key[:200]), e))
            if not touched:
                return []
            states = self.store.load({sk for _rt, sk, _e in touched})
            out = []
            for rt, sk, e in touched:
                entry = states.get(sk)
                if entry is None:
                    entry = states[sk] = ({}, None, None)
                st = entry[0]
                signal = rt.evaluator.observe(st, e)
                if signal is not None:
                    if signal.kind == FIRE and rt.clear_after:
                        st["quiet_from"] = max(st.get("quiet_from", 0), e.ts)
                    out.append((rt, signal))
            self.store.save(states)
            return out

    def tick(self, now: dt.datetime) -> list[tuple[RuleRuntime, Signal]]:
        """Conditions that arise from time passing: silence, windows emptying, quiet alerts clearing."""
        with self.lock:
            timed = [rt for rt in self.rules.values() if rt.evaluator.ticks or rt.clear_after]
            if not timed:
                return []
            states = self.store.load_rules([rt.rule_id for rt in timed])
            for rt in timed:
                for key in rt.evaluator.fixed_keys():
                    states.setdefault((rt.rule_id, key), ({}, None, None))
            by_rule: dict[int, list[StateKey]] = defaultdict(list)
            for sk in states:
                by_rule[sk[0]].append(sk)
            out = []
            for rt in timed:
                for sk in by_rule.get(rt.rule_id, []):
                    st = states[sk][0]
                    signal = rt.evaluator.tick(sk[1], st, now) if rt.evaluator.ticks else None
                    quiet = (
                        rt.clear_after
                        and st.get("on")
                        and now.timestamp() - st.get("quiet_from", 1e18) >= rt.clear_after
                    )
                    if signal is None and quiet:
                        st.pop("on", None)
                        signal = Signal(CLEAR, sk[1], "yên ổn trở lại", None)
                    if signal is not None:
                        if signal.kind == CLEAR:
                            st.pop("quiet_from", None)
                        out.append((rt, signal))
            self.store.save(states)
            return out


_engine: RuleEngine | None = None
_engine_lock = threading.Lock()


def engine() -> RuleEngine:
    """This process's engine, with the rules as they are now."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = RuleEngine()
    _engine.refresh()
    return _engine


def reset() -> None:
    """Forget the compiled rules (tests; the states stay in the database)."""
    global _engine
    _engine = None
