"""Partners and staff written from the Mitra & staf forms: add, change, deactivate, each
with one audit entry holding what changed before and after, and none when nothing did."""

from __future__ import annotations

import json

from planner import auth, resources

MANAGER = auth.User("manajer", "manager", (), "Manajer")


def entries(db) -> list[tuple]:
    return [(a, k, json.loads(b) if b else None, json.loads(c) if c else None)
            for a, k, b, c in db.execute("SELECT action, entity_key, before, after FROM audit_log WHERE action LIKE 'partner.%' "
                                         "OR action LIKE 'staff.%' ORDER BY id")]


def test_partner_and_staff_writes_are_audited_once_per_change(ref_db):
    db = ref_db
    partner = {"partner_id": "M16-1", "name": "Koperasi Maju", "type": "koperasi", "regency_code": "16.71", "capacity_per_month": 4,
               "venue_capacity": 50, "cost_per_event": 2_500_000, "available_weekdays": "1;2;3"}
    assert resources.save_partner(db, MANAGER, partner) == "added"
    assert resources.save_partner(db, MANAGER, partner) == "unchanged"
    assert resources.save_partner(db, MANAGER, {**partner, "venue_capacity": 80}) == "updated"
    resources.set_partner_active(db, MANAGER, "M16-1", False)
    resources.set_partner_active(db, MANAGER, "M16-1", False)  # already inactive: nothing to record
    staff = {"staff_id": "S16-9", "name": "Budi", "province_code": "16", "max_events_per_week": 3}
    assert resources.save_staff(db, MANAGER, staff) == "added"
    assert resources.save_staff(db, MANAGER, {**staff, "max_events_per_week": 4}) == "updated"
    resources.set_staff_active(db, MANAGER, "S16-9", False)
    resources.set_staff_active(db, MANAGER, "S16-9", True)

    log = entries(db)
    assert [(a, k) for a, k, _, _ in log] == [
        ("partner.add", "M16-1"), ("partner.update", "M16-1"), ("partner.disable", "M16-1"),
        ("staff.add", "S16-9"), ("staff.update", "S16-9"), ("staff.disable", "S16-9"), ("staff.enable", "S16-9"),
    ]
    assert log[0][2] is None and log[0][3]["name"] == "Koperasi Maju" and log[0][3]["active"] == 1
    assert log[1][2:] == ({"venue_capacity": 50}, {"venue_capacity": 80})
    assert log[2][2:] == ({"active": 1}, {"active": 0})
    assert log[4][2:] == ({"max_events_per_week": 3}, {"max_events_per_week": 4})
    assert log[6][2:] == ({"active": 0}, {"active": 1})
    assert db.execute("SELECT venue_capacity, active FROM partners WHERE partner_id = 'M16-1'").fetchone() == (80, 0)
    assert db.execute("SELECT max_events_per_week, active FROM staff WHERE staff_id = 'S16-9'").fetchone() == (4, 1)
