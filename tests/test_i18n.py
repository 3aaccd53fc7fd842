import datetime as dt

from planner.i18n import STRINGS, fmt_date, fmt_datetime, fmt_int, fmt_month, fmt_num, fmt_pct, fmt_points, fmt_rupiah, t


def test_indonesian_number_formats():
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_int(999) == "999"
    assert fmt_int(-1500) == "-1.500"
    assert fmt_num(1234.56, 2) == "1.234,56"
    assert fmt_pct(0.162) == "16,2%"
    assert fmt_rupiah(16800) == "Rp 16.800"
    assert fmt_int(float("nan")) == "–"


def test_dates_use_indonesian_month_names():
    assert fmt_date(dt.date(2026, 8, 17)) == "17 Agu 2026"
    assert fmt_date("2025-05-01", "en") == "1 May 2025"
    assert fmt_month("2026-08") == "Agu 2026" and fmt_month("2026-10-31", "en") == "Oct 2026"
    assert fmt_month(dt.date(2027, 5, 1)) == "Mei 2027" and fmt_month(None) == "–"


def test_points_are_signed_with_a_true_minus():
    assert fmt_points(-0.047) == "\u22124,7 poin" and fmt_points(0.031, "en") == "+3,1 pts"
    assert fmt_points(0.0012) == "+0,12 poin" and fmt_points(0.0) == "0,0000 poin"


def test_every_string_has_both_languages_and_same_placeholders():
    import string

    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}
    for key, entry in STRINGS.items():
        assert set(entry) == {"id", "en"}, key
        assert fields(entry["id"]) == fields(entry["en"]), key


def test_t_falls_back_and_fills_params():
    assert t("impor.ok", "en", rows="3", inserted="1", updated="1", unchanged="1").startswith("3 rows")
    assert t("nav.peluang") == "Peluang"
    assert t("no.such.key") == "no.such.key"


def test_timestamps_are_shown_in_western_indonesian_time():
    assert fmt_datetime("2026-11-29T22:40:11+00:00") == "30 Nov 2026 05:40 WIB"  # UTC+7, the next day
    assert fmt_datetime("2026-08-17T03:00:09+00:00", seconds=True) == "17 Agu 2026 10:00:09 WIB"
    assert fmt_datetime("2026-08-17T03:00:00+00:00", "en") == "17 Aug 2026 10:00 WIB"
    assert fmt_datetime("2026-01-01T09:30:00+08:00") == "1 Jan 2026 08:30 WIB"  # WITA -> WIB
    naive = dt.datetime(2026, 5, 1, 12, 0)  # no zone: the server's own clock
    assert fmt_datetime(naive) == fmt_datetime(naive.astimezone(dt.timezone.utc))
    assert fmt_datetime(None) == "–" and fmt_datetime("") == "–"
