"""Target lists: scored businesses filtered and sorted for staff to act on.

A business's segment follows who registers: a business with more than one worker is
an employer whose workers join as wage earners (PU); a one-person business is an
informal worker who registers and pays alone (BPU).
"""

from __future__ import annotations

import pandas as pd
import sqlite_utils

from planner.errors import PlannerError
from planner.i18n import t
from planner.vocabulary import SEGMENT_SQL as VOCABULARY_SEGMENT_SQL
from planner.vocabulary import SEGMENTS

SORTS = ("uplift", "p_enroll", "expected_additional")
SEGMENT_SQL = VOCABULARY_SEGMENT_SQL.format(workers="b.workers")  # the segment rule of planner.vocabulary
COLUMNS = [
    "business_id", "name", "province", "regency", "regency_code", "sector", "size_class", "workers",
    "segment", "p_enroll", "uplift", "expected_additional", "reasons",
]


def targets(
    db: sqlite_utils.Database,
    *,
    province: str | None = None,
    regency: str | None = None,
    sectors: list[str] | None = None,
    sizes: list[str] | None = None,
    segment: str | None = None,
    sort: str = "uplift",
    limit: int | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Scored businesses not yet enrolled, best first. ``expected_additional`` is the
    extra workers an invitation is expected to bring in (uplift x workers; p_enroll x
    workers where no uplift model exists). ``reasons`` are in ``lang`` (Indonesian or
    English) and explain the uplift where there is one."""
    where, params = _filters(province=province, regency=regency, sectors=sectors, sizes=sizes, segment=segment, sort=sort, lang=lang)
    order = {
        "uplift": "COALESCE(s.uplift, s.p_enroll) DESC",
        "p_enroll": "s.p_enroll DESC",
        "expected_additional": "COALESCE(s.uplift, s.p_enroll) * b.workers DESC",
    }[sort]
    sql = f"""SELECT b.business_id, b.name, p.name_common AS province, r.name AS regency, b.regency_code,
                b.sector, b.size_class, b.workers, {SEGMENT_SQL} AS segment, s.p_enroll, s.uplift,
                COALESCE(s.uplift, s.p_enroll) * b.workers AS expected_additional,
                {"COALESCE(s.reasons_en, s.reasons)" if lang == "en" else "s.reasons"} AS reasons
            FROM scores s
            JOIN businesses b ON b.business_id = s.business_id
            JOIN regencies r ON r.code = b.regency_code
            JOIN provinces p ON p.code = r.province_code
            WHERE {' AND '.join(where)}
            ORDER BY {order}, b.business_id
            {'LIMIT ' + str(int(limit)) if limit else ''}"""
    return pd.DataFrame(db.execute(sql, params).fetchall(), columns=COLUMNS)


def _filters(*, province, regency, sectors, sizes, segment, sort, lang: str = "id") -> tuple[list[str], list]:
    """The WHERE clauses (over scores s, businesses b, regencies r) of a target list."""
    if sort not in SORTS:
        raise PlannerError(t("targets.sort_unknown", lang, value=sort, choices=", ".join(SORTS)))
    if segment is not None and segment not in SEGMENTS:
        raise PlannerError(t("targets.segment_unknown", lang, value=segment))
    where, params = ["b.enrolled = 0"], []
    if regency:
        where.append("b.regency_code = ?")
        params.append(regency)
    elif province:
        where.append("r.province_code = ?")
        params.append(province)
    if sectors:
        where.append(f"b.sector IN ({','.join('?' * len(sectors))})")
        params += list(sectors)
    if sizes:
        where.append(f"b.size_class IN ({','.join('?' * len(sizes))})")
        params += list(sizes)
    if segment:
        where.append(f"{SEGMENT_SQL} = ?")
        params.append(segment)
    return where, params


def count_filtered(db: sqlite_utils.Database, lang: str = "id", **filters) -> int:
    """How many rows ``targets(db, **filters)`` returns, counted in SQL."""
    where, params = _filters(**{"province": None, "regency": None, "sectors": None, "sizes": None, "segment": None, "sort": "uplift", **filters}, lang=lang)
    sql = ("SELECT COUNT(*) FROM scores s JOIN businesses b ON b.business_id = s.business_id "
           f"JOIN regencies r ON r.code = b.regency_code WHERE {' AND '.join(where)}")
    return db.execute(sql, params).fetchone()[0]


def target_page(db: sqlite_utils.Database, actor, *, limit: int, lang: str = "id", **filters) -> tuple[int, pd.DataFrame]:
    """What the Sasaran page draws: how many targets match, and the first ``limit`` of
    them (the table shows no more; the downloads take every row from ``targets``). Staff
    see their own provinces only: a filter outside them, or none, is refused."""
    if actor.role == "staff":
        from planner.reads import check_province

        check_province(actor, filters.get("province") or (filters.get("regency") or "")[:2] or None, lang)
    return count_filtered(db, lang, **filters), targets(db, limit=limit, lang=lang, **filters)
