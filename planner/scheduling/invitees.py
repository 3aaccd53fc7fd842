"""From CP-SAT's answer to events: staff matched to the day's events and invitees seated at
the event of their regency that suits them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from planner.scheduling.instance import AFFINITY, AFFINITY_BITS, Instance, PlannedEvent

def _events_from(inst: Instance, results: list[tuple[list[str], dict]]) -> list[PlannedEvent]:
    """Turn chosen slots, staff-days and invitees into events: staff matched to the day's
    events (locked events keep theirs, then home regency first), invitees seated at the
    event of their regency that suits them (see AFFINITY), best first."""
    rules = inst.rules
    fixed_by_slot = {(f.partner_id, f.date): f for f in inst.fixed}
    events: list[PlannedEvent] = []
    for _, chosen in results:
        if not chosen:
            continue
        staff_by_pd: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
        for sid, d, prov in chosen["staff_days"]:
            staff_by_pd[(prov, d)].append(sid)
        slots_by_pd: dict[tuple[str, dt.date], list[tuple[str, dt.date]]] = defaultdict(list)
        for pid, d in chosen["slots"]:
            slots_by_pd[(inst.partner(pid).province, d)].append((pid, d))
        assigned: dict[tuple[str, dt.date], str | None] = {}
        for key, slots in slots_by_pd.items():
            free = sorted(staff_by_pd.get(key, []))
            rest = []
            for slot in sorted(slots):
                f = fixed_by_slot.get(slot)
                if f is not None and f.staff_id in free:
                    assigned[slot] = f.staff_id
                    free.remove(f.staff_id)
                else:
                    rest.append(slot)
            for slot in rest:  # same home regency first, else the first free
                reg = inst.partner(slot[0]).regency
                pick = next((s for s in free if inst.staff_member(s).home_regency == reg), free[0] if free else None)
                assigned[slot] = pick
                if pick is not None:
                    free.remove(pick)
        # invitees
        by_regency: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
        for slot in chosen["slots"]:
            by_regency[inst.partner(slot[0]).regency].append(slot)
        seated: dict[tuple[str, dt.date], list[int]] = {}
        for r, slots in by_regency.items():
            pool = inst.pools.get(r)
            idx = sorted(chosen["invited"].get(r, []))
            if pool is None:
                for s in slots:
                    seated[s] = []
                continue
            remaining = list(idx)  # best first (pools are sorted)
            # locked events first (they keep their invitees and fill only the seats left)
            for slot in sorted(slots, key=lambda s: (s not in fixed_by_slot, s[1], s[0])):
                p = inst.partner(slot[0])
                cap = inst.seats(p) - (len(fixed_by_slot[slot].invitees) if slot in fixed_by_slot else 0)
                if cap <= 0:
                    seated[slot] = []
                    continue
                bit = AFFINITY_BITS.get(AFFINITY.get(p.type, ""), 0)
                pick = [i for i in remaining if bit and pool.affinity[i] & bit][:cap] if bit else []
                if len(pick) < cap:
                    chosen_set = set(pick)
                    pick += [i for i in remaining if i not in chosen_set][: cap - len(pick)]
                taken = set(pick)
                remaining = [i for i in remaining if i not in taken]
                seated[slot] = sorted(pick)
        for slot in chosen["slots"]:
            pid, d = slot
            p = inst.partner(pid)
            sid = assigned.get(slot)
            travel = rules.travel_cost if sid and inst.staff_member(sid).province != p.province else 0
            f = fixed_by_slot.get(slot)
            rate = inst.attendance_rate.get(p.regency, inst.default_attendance)
            pool = inst.pools.get(p.regency)
            ids = seated.get(slot, [])
            if pool is not None and ids:
                ix = np.array(ids, dtype=int)
                inv = tuple(pool.business_ids[ix].tolist())
                add = float(pool.value[ix].sum())
                enr = float((pool.p_enroll[ix] * pool.workers[ix]).sum())
            else:
                inv, add, enr = (), 0.0, 0.0
            if f is not None:
                inv, add, enr = f.invitees + inv, f.value + add, f.enrollments + enr
            events.append(PlannedEvent(f.event_id if f else None, d, p.regency, pid, sid, inv, round(len(inv) * rate, 1), enr, add, p.cost, travel, f is not None))
    events.sort(key=lambda e: (e.date, e.regency, e.partner_id))
    return events
