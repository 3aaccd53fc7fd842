"""Retention: first contribution and still paying after three months, per event, partner
type, staff and plan; unknown months are not counted as lapses."""

from __future__ import annotations

import datetime as dt

import pytest

from planner import auth
from planner.db import connect
from planner.reporting import reports as rp
from planner.reporting import retention
from planner.vocabulary import mandatory_programmes
from tests.conftest import copy_db

STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
OTHER = auth.User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def registered(published_file, tmp_path):
    path, plan_id, _ = published_file
    db = connect(copy_db(path, tmp_path / "r.db"))
    eid, date = db.execute("SELECT e.event_id, e.event_date FROM events e WHERE e.plan_id = ? AND "
                           "(SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id) >= 3 ORDER BY e.event_date LIMIT 1", [plan_id]).fetchone()
    inv = db.execute("SELECT i.business_id, b.size_class, b.workers FROM invitations i JOIN businesses b USING (business_id) "
                     "WHERE i.event_id = ? ORDER BY i.business_id LIMIT 3", [eid]).fetchall()
    rows = [rp.RawRow({"business_id": b, "registered": "1", "workers_registered": "1", "programmes": ";".join(mandatory_programmes(s, w))}, i + 2)
            for i, (b, s, w) in enumerate(inv)]
    rp.save(db, STAFF, [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "9"}, rows, row=2)], on=TODAY)
    yield db, plan_id, eid, date, [b for b, _, _ in inv]
    db.conn.close()


def month(date: str, k: int) -> str:
    d = dt.date.fromisoformat(date[:8] + "01")
    y, m = divmod(d.month - 1 + k, 12)
    return f"{d.year + y}-{m + 1:02d}"


def test_first_contribution_and_three_months_later(registered):
    db, plan_id, eid, date, (a, b, c) = registered
    pay = [(a, month(date, 0), 1), (a, month(date, 1), 1), (a, month(date, 3), 1), (b, month(date, 1), 1), (b, month(date, 3), 0)]
    db.conn.executemany("INSERT INTO payments (business_id, period, paid, amount) VALUES (?, ?, ?, 16800)", pay)
    by_event = retention.summary(db, STAFF, "event", plan_id=plan_id).set_index("key")
    row = by_event.loc[eid]
    assert (row["registrations"], row["first_paid"], row["known_3m"], row["paying_3m"]) == (3, 2, 3, 1)
    assert row["first_paid_rate"] == pytest.approx(2 / 3) and row["paying_3m_rate"] == pytest.approx(1 / 3)
    assert retention.summary(db, STAFF, "partner_type", plan_id=plan_id)["registrations"].sum() == 3
    assert retention.summary(db, OTHER, "event").empty  # another province's
    f = retention.funnel(db, STAFF, plan_id)
    assert f["registered"] == 3 and f["attended"] == 3 and f["invited"] >= 3 and f["first_paid"] == 2 and f["paying_3m"] == 1


def test_a_third_month_not_yet_in_the_data_is_unknown_not_a_lapse(registered):
    db, plan_id, eid, date, (a, b, c) = registered
    db.conn.executemany("INSERT INTO payments (business_id, period, paid, amount) VALUES (?, ?, 1, 16800)", [(a, month(date, 0)), (b, month(date, 1))])
    row = retention.summary(db, STAFF, "event", plan_id=plan_id).set_index("key").loc[eid]
    assert row["first_paid"] == 2 and row["known_3m"] == 0 and row["paying_3m"] == 0
    assert row["paying_3m_rate"] != row["paying_3m_rate"]  # NaN: not known yet
