"""UI text in Bahasa Indonesia (default) and English, and Indonesian number/date formats.

Numbers, rupiah and dates are always written the Indonesian way (1.234.567; Rp 16.800;
21 Nov 2026), whichever language the text is in.
"""

from __future__ import annotations

import datetime as _dt
import math

LANGS = ("id", "en")
DEFAULT_LANG = "id"

_MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def fmt_int(value: float | int | None) -> str:
    """1234567 -> '1.234.567' (negative numbers keep their sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    n = int(round(value))
    s = f"{abs(n):,}".replace(",", ".")
    return f"-{s}" if n < 0 else s


def fmt_num(value: float | None, decimals: int = 1) -> str:
    """1234.56 -> '1.234,6'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    s = f"{value:,.{decimals}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(share: float | None, decimals: int = 1) -> str:
    """0.162 -> '16,2%'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return fmt_num(share * 100, decimals) + "%"


def fmt_rupiah(value: float | int | None) -> str:
    """16800 -> 'Rp 16.800'."""
    if value is None:
        return "–"
    return "Rp " + fmt_int(value)


_SCALE_WORDS = {"id": ("triliun", "miliar", "juta"), "en": ("trillion", "billion", "million")}


def fmt_rupiah_short(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    """16800 -> 'Rp 16.800'; 21400000 -> 'Rp 21,4 juta' ('Rp 21,4 million' in English);
    1250000000 -> 'Rp 1,25 miliar' (for headline numbers that must fit a narrow space).
    The digits are Indonesian-style in both languages."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    tri, bil, mil = _SCALE_WORDS.get(lang, _SCALE_WORDS[DEFAULT_LANG])
    if abs(v) >= 1e12:
        return "Rp " + fmt_num(v / 1e12, 2).rstrip("0").rstrip(",") + " " + tri
    if abs(v) >= 1e9:
        return "Rp " + fmt_num(v / 1e9, 2).rstrip("0").rstrip(",") + " " + bil
    if abs(v) >= 1e6:
        return "Rp " + fmt_num(v / 1e6, 1).rstrip("0").rstrip(",") + " " + mil
    return fmt_rupiah(v)


def fmt_date(value: _dt.date | str | None, lang: str = DEFAULT_LANG) -> str:
    """date(2026, 11, 21) -> '21 Nov 2026' ('21 Agu 2026' in August, Indonesian)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    months = _MONTHS.get(lang, _MONTHS[DEFAULT_LANG])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def fmt_month(value: str | _dt.date | None, lang: str = DEFAULT_LANG) -> str:
    """'2026-10' (or any date in it) -> 'Okt 2026' ('Oct 2026' in English)."""
    if value is None or value == "":
        return "–"
    text = value.isoformat() if isinstance(value, _dt.date) else str(value)
    try:
        year, month = int(text[:4]), int(text[5:7])
    except ValueError:
        return text
    if not 1 <= month <= 12:
        return text
    return f"{_MONTHS.get(lang, _MONTHS[DEFAULT_LANG])[month - 1]} {year}"


def fmt_share(value: float | None, versus: float | None = None) -> str:
    """A share as a percentage with as many decimals (1 to 4) as it takes to differ from
    ``versus`` where they differ at all: 0.16230 vs 0.16231 -> '16,231%', so that a plan
    that moves coverage by a hundredth of a point is said plainly, not rounded away."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    for d in range(1, 5):
        if versus is None or versus != versus or fmt_pct(value, d) != fmt_pct(versus, d) or d == 4:
            return fmt_pct(value, d)
    return fmt_pct(value, 4)


def fmt_points(delta: float | None, lang: str = DEFAULT_LANG) -> str:
    """A difference of shares in percentage points, signed, with two significant digits
    below one point: 0.0012 -> '+0,12 poin'; 0.031 -> '+3,1 poin'; -0.047 -> '−4,7 poin'."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    pts = delta * 100
    a = abs(pts)
    d = 1 if a >= 1 else 2 if a >= 0.1 else 3 if a >= 0.01 else 4
    sign = "+" if pts > 0 and fmt_num(a, d) != fmt_num(0, d) else "−" if pts < 0 and fmt_num(a, d) != fmt_num(0, d) else ""
    return sign + fmt_num(a, d) + (" pts" if lang == "en" else " poin")  # a true minus sign, as in print


WIB = _dt.timezone(_dt.timedelta(hours=7), "WIB")


def fmt_datetime(value: _dt.datetime | str | None, lang: str = DEFAULT_LANG, *, seconds: bool = False) -> str:
    """A stored timestamp in Western Indonesian Time, the agency's reference clock:
    '2026-11-29T22:40:11+00:00' -> '30 Nov 2026 05:40 WIB'. A timestamp without a zone is
    the server's local time."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value)
    local = value.astimezone(WIB)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{fmt_date(local.date(), lang)} {clock} WIB"


STRINGS: dict[str, dict[str, str]] = {
    # --- app shell
    "app.title": {"id": "Jangkau", "en": "Jangkau"},
    "app.tagline": {
        "id": "Perencana sosialisasi BPJS Ketenagakerjaan",
        "en": "Outreach planner for BPJS Ketenagakerjaan",
    },
    "app.language": {"id": "Bahasa", "en": "Language"},
    "app.demo_banner": {
        "id": "Data demo: semua usaha, mitra, staf dan riwayat kontak di sini dibuat otomatis "
        "(dikalibrasi ke angka nasional 2025). Impor data Anda sendiri di halaman Impor.",
        "en": "Demo data: every business, partner, staff member and contact here is generated "
        "(calibrated to the 2025 national figures). Import your own data on the Import page.",
    },
    "app.demo_banner_read": {
        "id": "Data demo: semua usaha, mitra, staf dan riwayat kontak di sini dibuat otomatis "
        "(dikalibrasi ke angka nasional 2025).",
        "en": "Demo data: every business, partner, staff member and contact here is generated "
        "(calibrated to the 2025 national figures).",
    },
    "app.first_run": {
        "id": "Menyiapkan basis data demo untuk pertama kali (sekitar setengah menit)…",
        "en": "Creating the demo database for the first time (about half a minute)…",
    },
    "app.db": {"id": "Basis data", "en": "Database"},
    "nav.peluang": {"id": "Peluang", "en": "Opportunity"},
    "nav.impor": {"id": "Impor data", "en": "Import data"},
    "nav.sasaran": {"id": "Sasaran", "en": "Targets"},
    "nav.section.plan": {"id": "Perencanaan", "en": "Planning"},
    "nav.section.data": {"id": "Data", "en": "Data"},
    # --- opportunity page
    "peluang.title": {"id": "Peluang: di mana kesenjangan kepesertaan terbesar?", "en": "Opportunity: where is the coverage gap largest?"},
    "peluang.intro": {
        "id": "Belum terdaftar = pekerja layak − pekerja terlindungi. Skor peluang menggabungkan "
        "komponen di bawah dengan bobot yang dapat Anda ubah.",
        "en": "Uncovered = eligible − covered workers. The opportunity score combines the "
        "components below with weights you can change.",
    },
    "peluang.level": {"id": "Tingkat wilayah", "en": "Region level"},
    "peluang.by": {"id": "Kelompokkan menurut", "en": "Group by"},
    "peluang.segment": {"id": "Segmen", "en": "Segment"},
    "peluang.province_filter": {"id": "Provinsi", "en": "Province"},
    "peluang.all_provinces": {"id": "Semua provinsi", "en": "All provinces"},
    "peluang.top": {"id": "Tampilkan teratas", "en": "Show top"},
    "peluang.weights": {"id": "Bobot skor", "en": "Score weights"},
    "peluang.sort": {"id": "Urutkan menurut", "en": "Sort by"},
    "peluang.chart": {"id": "Pekerja belum terdaftar", "en": "Uncovered workers"},
    "peluang.chart_note": {"id": "{n} teratas menurut skor", "en": "top {n} by score"},
    "peluang.map": {"id": "Peta provinsi (ukuran = belum terdaftar, warna = cakupan)", "en": "Province map (size = uncovered, colour = coverage)"},
    "peluang.download": {"id": "Unduh CSV", "en": "Download CSV"},
    "peluang.totals": {"id": "Total dalam pilihan", "en": "Total in selection"},
    "peluang.rows": {"id": "baris", "en": "rows"},
    "level.province": {"id": "Provinsi", "en": "Province"},
    "level.regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
    "by.region": {"id": "Wilayah", "en": "Region"},
    "by.sector": {"id": "Sektor (KBLI)", "en": "Sector (KBLI)"},
    "by.region-sector": {"id": "Wilayah × sektor", "en": "Region × sector"},
    "segment.all": {"id": "Semua (PU + BPU)", "en": "All (PU + BPU)"},
    "segment.PU": {"id": "PU (penerima upah)", "en": "PU (wage earners)"},
    "segment.BPU": {"id": "BPU (bukan penerima upah)", "en": "BPU (informal)"},
    "col.code": {"id": "Kode", "en": "Code"},
    "col.name": {"id": "Nama", "en": "Name"},
    "col.eligible": {"id": "Pekerja layak", "en": "Eligible"},
    "col.covered": {"id": "Terlindungi", "en": "Covered"},
    "col.uncovered": {"id": "Belum terdaftar", "en": "Uncovered"},
    "col.coverage_rate": {"id": "Cakupan", "en": "Coverage"},
    "col.score": {"id": "Skor", "en": "Score"},
    "col.rank": {"id": "Peringkat", "en": "Rank"},
    "comp.uncovered": {"id": "Potensi belum terdaftar", "en": "Uncovered potential"},
    "comp.vulnerable": {"id": "Pekerja rentan (desil 1–4)", "en": "Vulnerable workers (decile 1–4)"},
    "comp.density": {"id": "Kepadatan usaha", "en": "Business density"},
    "comp.partners": {"id": "Kehadiran mitra", "en": "Partner presence"},
    "comp.conversion": {"id": "Konversi sebelumnya", "en": "Past conversion"},
    "comp.help": {
        "id": "Setiap komponen bernilai 0–1 (1 = tertinggi dalam pilihan); skor = 100 × rata-rata berbobot.",
        "en": "Each component is 0–1 (1 = highest in the selection); score = 100 × weighted mean.",
    },
    # --- import page
    "impor.title": {"id": "Impor data", "en": "Import data"},
    "impor.intro": {
        "id": "Unggah CSV (pemisah , atau ;, UTF-8) atau XLSX. Seluruh berkas diperiksa dulu; "
        "jika ada satu kesalahan, tidak ada yang disimpan. Mengimpor ulang berkas yang sama tidak mengubah apa pun.",
        "en": "Upload a CSV (, or ; separated, UTF-8) or an XLSX file. The whole file is checked "
        "first; if there is any error nothing is saved. Re-importing the same file changes nothing.",
    },
    "impor.kind": {"id": "Jenis data", "en": "Kind of data"},
    "impor.file": {"id": "Berkas", "en": "File"},
    "impor.run": {"id": "Periksa dan impor", "en": "Check and import"},
    "impor.columns": {"id": "Kolom wajib", "en": "Required columns"},
    "impor.optional": {"id": "Kolom pilihan", "en": "Optional columns"},
    "impor.extras": {
        "id": "Kolom lain di berkas disimpan sebagai atribut usaha/mitra/staf dan ikut dipakai model.",
        "en": "Any other columns in the file are kept as attributes and used by the model.",
    },
    "impor.no_file": {"id": "Pilih berkas CSV atau XLSX dulu.", "en": "Choose a CSV or XLSX file first."},
    "impor.generated": {"id": "(dibuat otomatis)", "en": "(generated)"},
    "hist.imported_at": {"id": "Waktu", "en": "Time"},
    "hist.actor": {"id": "Oleh", "en": "By"},
    "hist.generated_by": {"id": "Jangkau (data demo)", "en": "Jangkau (demo data)"},
    "hist.cli": {"id": "baris perintah ({user})", "en": "command line ({user})"},
    "hist.kind": {"id": "Jenis", "en": "Kind"},
    "hist.filename": {"id": "Berkas", "en": "File"},
    "hist.rows": {"id": "Baris", "en": "Rows"},
    "hist.inserted": {"id": "Baru", "en": "New"},
    "hist.updated": {"id": "Diperbarui", "en": "Updated"},
    "hist.unchanged": {"id": "Tidak berubah", "en": "Unchanged"},
    "impor.template": {"id": "Unduh templat CSV", "en": "Download CSV template"},
    "impor.ok": {
        "id": "{rows} baris diimpor: {inserted} baru, {updated} diperbarui, {unchanged} tidak berubah.",
        "en": "{rows} rows imported: {inserted} new, {updated} updated, {unchanged} unchanged.",
    },
    "impor.failed": {
        "id": "Berkas ditolak: {n} kesalahan. Tidak ada data yang disimpan. Perbaiki lalu unggah lagi.",
        "en": "File rejected: {n} errors. Nothing was saved. Fix them and upload again.",
    },
    "impor.history": {"id": "Riwayat impor", "en": "Import history"},
    "impor.counts": {"id": "Isi basis data", "en": "Database contents"},
    "impor.counts_own": {"id": "Isi basis data di provinsi Anda", "en": "Database contents in your provinces"},
    "kind.potentials": {"id": "Potensi kepesertaan", "en": "Coverage potentials"},
    "kind.businesses": {"id": "Usaha", "en": "Businesses"},
    "kind.contacts": {"id": "Riwayat kontak", "en": "Contacts"},
    "kind.partners": {"id": "Mitra", "en": "Partners"},
    "kind.staff": {"id": "Staf", "en": "Staff"},
    "err.row": {"id": "Baris", "en": "Row"},
    "err.column": {"id": "Kolom", "en": "Column"},
    "err.value": {"id": "Nilai", "en": "Value"},
    "err.problem": {"id": "Masalah", "en": "Problem"},
    "err.fix": {"id": "Perbaikan", "en": "Fix"},
}


def t(_key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The text for ``_key`` in ``lang`` (falling back to Indonesian), with ``{params}`` filled."""
    entry = STRINGS.get(_key)
    if entry is None:
        return _key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**params) if params else text


# Import problems and fixes: each ``imp.<problem>`` has a matching ``fix.<problem>``.
STRINGS.update(
    {
        "imp.empty_file": {"id": "berkas kosong", "en": "the file is empty"},
        "fix.empty_file": {"id": "ekspor ulang data dengan baris judul kolom dan minimal satu baris data", "en": "export the data again with a header row and at least one data row"},
        "imp.no_header": {"id": "baris pertama kosong, padahal harus berisi nama kolom", "en": "the first row is empty but must hold the column names"},
        "fix.no_header": {"id": "taruh nama kolom di baris pertama, mis. unduh templat CSV", "en": "put the column names in the first row, e.g. download the CSV template"},
        "imp.no_rows": {"id": "berkas hanya berisi judul kolom, tanpa baris data", "en": "the file has a header but no data rows"},
        "fix.no_rows": {"id": "tambahkan baris data di bawah judul kolom", "en": "add data rows below the header"},
        "imp.encoding": {"id": "berkas bukan teks UTF-8 (byte tidak sah pada baris ini)", "en": "the file is not UTF-8 text (invalid byte on this row)"},
        "fix.encoding": {"id": "simpan ulang sebagai 'CSV UTF-8 (Comma delimited)' atau sebagai XLSX", "en": "save again as 'CSV UTF-8 (Comma delimited)' or as XLSX"},
        "imp.not_table": {"id": "berkas tidak dapat dibaca sebagai CSV atau XLSX: {detail}", "en": "the file cannot be read as CSV or XLSX: {detail}"},
        "fix.not_table": {"id": "unggah CSV (pemisah , atau ;) atau XLSX dengan judul kolom pada baris pertama", "en": "upload a CSV (, or ; separated) or an XLSX with column names in the first row"},
        "imp.field_count": {"id": "jumlah sel ({found}) tidak sama dengan jumlah kolom judul ({expected})", "en": "the row has {found} cells but the header has {expected} columns"},
        "fix.field_count": {"id": "periksa pemisah atau tanda kutip pada baris ini; teks yang memuat pemisah harus diapit tanda kutip \"...\"", "en": "check the separators and quotes on this row; text containing the separator must be quoted \"...\""},
        "imp.missing_column": {"id": "kolom wajib tidak ada", "en": "a required column is missing"},
        "fix.missing_column": {"id": "tambahkan kolom '{column}' pada baris judul", "en": "add a '{column}' column to the header"},
        "imp.duplicate_column": {"id": "nama kolom muncul lebih dari sekali", "en": "the column name appears more than once"},
        "fix.duplicate_column": {"id": "hapus atau ganti nama salah satu kolom '{column}'", "en": "delete or rename one of the '{column}' columns"},
        "imp.blank_column": {"id": "kolom tanpa nama berisi data", "en": "a column without a name holds data"},
        "fix.blank_column": {"id": "beri nama kolom itu pada baris judul atau hapus kolomnya", "en": "name that column in the header or delete it"},
        "imp.required": {"id": "nilai wajib diisi", "en": "a value is required"},
        "fix.required": {"id": "isi kolom '{column}'", "en": "fill in '{column}'"},
        "imp.too_long": {"id": "teks terlalu panjang ({length} karakter, maksimum {max})", "en": "text too long ({length} characters, at most {max})"},
        "fix.too_long": {"id": "persingkat teks menjadi paling banyak {max} karakter", "en": "shorten the text to at most {max} characters"},
        "imp.not_int": {"id": "bukan bilangan bulat", "en": "not a whole number"},
        "fix.not_int": {"id": "tulis angka bulat tanpa titik ribuan, mis. 1250", "en": "write a whole number without thousands separators, e.g. 1250"},
        "imp.below_min": {"id": "nilai lebih kecil dari {min}", "en": "the value is below {min}"},
        "fix.below_min": {"id": "tulis angka {min} atau lebih", "en": "write a number of at least {min}"},
        "imp.above_max": {"id": "nilai lebih besar dari {max}", "en": "the value is above {max}"},
        "fix.above_max": {"id": "tulis angka paling besar {max}", "en": "write a number of at most {max}"},
        "imp.not_share": {"id": "bukan proporsi antara 0 dan 1", "en": "not a share between 0 and 1"},
        "fix.not_share": {"id": "tulis proporsi sebagai desimal, mis. 0.35 (bukan 35 atau 35%)", "en": "write the share as a decimal, e.g. 0.35 (not 35 or 35%)"},
        "imp.not_flag": {"id": "bukan 0 atau 1", "en": "not 0 or 1"},
        "fix.not_flag": {"id": "tulis 1 untuk ya dan 0 untuk tidak", "en": "write 1 for yes and 0 for no"},
        "imp.not_date": {"id": "bukan tanggal YYYY-MM-DD yang sah", "en": "not a valid YYYY-MM-DD date"},
        "fix.not_date": {"id": "tulis tanggal sebagai tahun-bulan-hari, mis. 2025-03-07", "en": "write the date as year-month-day, e.g. 2025-03-07"},
        "imp.not_choice": {"id": "nilai tidak dikenal", "en": "unknown value"},
        "fix.not_choice": {"id": "gunakan salah satu dari: {choices}", "en": "use one of: {choices}"},
        "imp.unknown_regency": {"id": "kode kabupaten/kota Kemendagri tidak dikenal", "en": "unknown Kemendagri regency code"},
        "fix.unknown_regency": {"id": "gunakan kode Kemendagri seperti 16.71 (Kota Palembang); format kolom sebagai Teks agar 16.10 tidak menjadi 16.1", "en": "use a Kemendagri code such as 16.71 (Kota Palembang); format the column as Text so 16.10 does not become 16.1"},
        "imp.unknown_province": {"id": "kode provinsi Kemendagri tidak dikenal", "en": "unknown Kemendagri province code"},
        "fix.unknown_province": {"id": "gunakan kode provinsi dua angka seperti 16 (Sumatera Selatan)", "en": "use a two-digit province code such as 16 (Sumatera Selatan)"},
        "imp.unknown_sector": {"id": "bagian KBLI 2020 tidak dikenal", "en": "unknown KBLI 2020 section"},
        "fix.unknown_sector": {"id": "gunakan huruf bagian KBLI 2020 A sampai U, mis. G untuk perdagangan", "en": "use a KBLI 2020 section letter A to U, e.g. G for trade"},
        "imp.unknown_business": {"id": "business_id tidak ada di data usaha", "en": "business_id is not among the businesses"},
        "fix.unknown_business": {"id": "impor usaha ini dulu (jenis 'businesses') atau perbaiki business_id", "en": "import this business first (kind 'businesses') or correct the business_id"},
        "imp.not_weekdays": {"id": "bukan daftar hari ISO 1–7", "en": "not a list of ISO weekdays 1–7"},
        "fix.not_weekdays": {"id": "tulis nomor hari dipisah titik koma, 1 = Senin … 7 = Minggu, mis. 1;2;3;4;5", "en": "write weekday numbers separated by semicolons, 1 = Monday … 7 = Sunday, e.g. 1;2;3;4;5"},
        "imp.duplicate_key": {"id": "kunci ganda: sama dengan baris {first}", "en": "duplicate key: same as row {first}"},
        "fix.duplicate_key": {"id": "hapus salah satu baris atau perbaiki {key}", "en": "delete one of the rows or correct {key}"},
        "imp.covered_gt_eligible": {"id": "covered_workers lebih besar dari eligible_workers", "en": "covered_workers is larger than eligible_workers"},
        "fix.covered_gt_eligible": {"id": "pekerja terlindungi tidak boleh melebihi pekerja layak; periksa kedua angka", "en": "covered workers cannot exceed eligible workers; check both numbers"},
        "imp.workers_not_enrolled": {"id": "workers_enrolled lebih dari 0 padahal enrolled = 0", "en": "workers_enrolled is above 0 while enrolled = 0"},
        "fix.workers_not_enrolled": {"id": "isi enrolled = 1 atau kosongkan workers_enrolled", "en": "set enrolled = 1 or leave workers_enrolled empty"},
        "imp.home_outside_province": {"id": "kabupaten/kota asal tidak berada di province_code staf ini", "en": "the home regency is not in this staff member's province_code"},
        "fix.home_outside_province": {"id": "pilih kabupaten/kota di provinsi staf (dua angka pertama kodenya sama dengan province_code) atau kosongkan", "en": "pick a regency in the staff member's province (its code starts with the province_code) or leave it empty"},
        "imp.future_date": {"id": "tanggal di masa depan", "en": "the date is in the future"},
        "fix.future_date": {"id": "riwayat kontak hanya untuk kontak yang sudah terjadi; periksa tahunnya", "en": "contacts are for outreach that already happened; check the year"},
        "imp.unknown_kind": {"id": "jenis impor tidak dikenal: {kind}", "en": "unknown import kind: {kind}"},
        "fix.unknown_kind": {"id": "gunakan salah satu dari: {choices}", "en": "use one of: {choices}"},
        "imp.too_many_rows": {"id": "berkas terlalu besar ({rows} baris, maksimum {max})", "en": "the file is too large ({rows} rows, at most {max})"},
        "fix.too_many_rows": {"id": "pecah berkas menjadi beberapa bagian", "en": "split the file into parts"},
        "imp.errors_more": {"id": "… dan {n} kesalahan lain", "en": "… and {n} more errors"},
        "imp.line": {"id": "Baris {row}, kolom {column}, nilai '{value}': {problem}. Perbaikan: {fix}.", "en": "Row {row}, column {column}, value '{value}': {problem}. Fix: {fix}."},
        "imp.rejected": {"id": "Impor {kind} ditolak: {n} kesalahan. Tidak ada data yang disimpan.", "en": "Import of {kind} rejected: {n} errors. Nothing was saved."},
    }
)


STRINGS.update(
    {
        "sasaran.title": {"id": "Sasaran: usaha mana yang diundang?", "en": "Targets: which businesses to invite?"},
        "sasaran.intro": {
            "id": "Peluang daftar = kemungkinan usaha mendaftar bila diundang. Uplift = tambahan peluang yang "
            "disebabkan undangan (yang tetap mendaftar tanpa diundang dan yang tidak akan mendaftar mendapat uplift rendah). "
            "Tambahan pekerja = uplift × jumlah pekerja.",
            "en": "Enrol chance = how likely a business enrols when invited. Uplift = the extra chance the invitation "
            "causes (sure things and lost causes get a low uplift). Extra workers = uplift × workers.",
        },
        "sasaran.no_scores": {
            "id": "Belum ada skor. Latih model dari riwayat kontak lalu nilai semua usaha dengan tombol di bawah.",
            "en": "No scores yet. Train the model on the contact history and score every business with the button below.",
        },
        "sasaran.retrain": {"id": "Latih ulang dan nilai ulang", "en": "Retrain and rescore"},
        "sasaran.retrain_help": {
            "id": "Pakai setelah hasil baru diimpor atau dicatat. Model lama tetap tersimpan.",
            "en": "Use after new outcomes were imported or logged. Older models are kept.",
        },
        "sasaran.training": {"id": "Melatih model…", "en": "Training the model…"},
        "sasaran.scoring": {"id": "Menilai usaha: {done} dari {total}", "en": "Scoring businesses: {done} of {total}"},
        "sasaran.scoring_bg": {"id": "Menilai setiap usaha dengan model baru…", "en": "Scoring every business with the new model…"},
        "sasaran.done": {"id": "Selesai: {n} usaha dinilai dengan model {version}.", "en": "Done: {n} businesses scored with model {version}."},
        "sasaran.regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "sasaran.all_regencies": {"id": "Semua kabupaten/kota", "en": "All regencies"},
        "sasaran.sectors": {"id": "Sektor", "en": "Sectors"},
        "sasaran.any": {"id": "Semua", "en": "All"},
        "sasaran.sizes": {"id": "Skala usaha", "en": "Business size"},
        "sasaran.segment": {"id": "Segmen", "en": "Segment"},
        "sasaran.segment_any": {"id": "Semua", "en": "All"},
        "sasaran.sort": {"id": "Urutkan menurut", "en": "Sort by"},
        "sort.uplift": {"id": "Uplift", "en": "Uplift"},
        "sort.p_enroll": {"id": "Peluang daftar", "en": "Enrol chance"},
        "sort.expected_additional": {"id": "Tambahan pekerja", "en": "Extra workers"},
        "sasaran.count": {"id": "{n} usaha cocok; {shown} teratas ditampilkan.", "en": "{n} businesses match; top {shown} shown."},
        "sasaran.export_csv": {"id": "Unduh CSV", "en": "Download CSV"},
        "sasaran.export_xlsx": {"id": "Unduh XLSX", "en": "Download XLSX"},
        "sasaran.model": {"id": "Kartu model", "en": "Model card"},
        "sasaran.model_line": {
            "id": "Model aktif {version} ({kind}), dilatih {created} dari {rows} kontak diundang ({positives} mendaftar); scikit-learn {sk}.",
            "en": "Active model {version} ({kind}), trained {created} on {rows} invited contacts ({positives} enrolled); scikit-learn {sk}.",
        },
        "sasaran.cold": {"id": "Model cadangan (data belum cukup): {reason}.", "en": "Fallback model (not enough data): {reason}."},
        "sasaran.metrics": {"id": "Evaluasi", "en": "Evaluation"},
        "sasaran.calibration": {"id": "Kalibrasi: prediksi vs teramati", "en": "Calibration: predicted vs observed"},
        "sasaran.qini": {"id": "Kurva Qini (uplift)", "en": "Qini curve (uplift)"},
        "sasaran.changes": {"id": "Perubahan dari versi sebelumnya ({old})", "en": "Changes from the previous version ({old})"},
        "sasaran.features": {"id": "Fitur", "en": "Features"},
        "sasaran.no_uplift": {"id": "Tanpa model uplift: {reason}.", "en": "No uplift model: {reason}."},
        "col.business_id": {"id": "ID usaha", "en": "Business ID"},
        "col.province": {"id": "Provinsi", "en": "Province"},
        "col.regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "col.sector": {"id": "Sektor", "en": "Sector"},
        "col.size_class": {"id": "Skala", "en": "Size"},
        "col.workers": {"id": "Pekerja", "en": "Workers"},
        "col.segment": {"id": "Segmen", "en": "Segment"},
        "col.p_enroll": {"id": "Peluang daftar", "en": "Enrol chance"},
        "col.uplift": {"id": "Uplift", "en": "Uplift"},
        "col.expected_additional": {"id": "Tambahan pekerja", "en": "Extra workers"},
        "col.reasons": {"id": "Alasan", "en": "Reasons"},
        "metric.validation": {"id": "Validasi", "en": "Validation"},
        "metric.who": {"id": "Model", "en": "Model"},
        "val.cv": {"id": "Lipatan per kabupaten", "en": "Folds by regency"},
        "val.time_split": {"id": "80/20 menurut waktu", "en": "80/20 by time"},
        "who.model": {"id": "Model", "en": "Model"},
        "who.baseline": {"id": "Baseline wilayah × sektor", "en": "Region × sector baseline"},
        "qini.random": {"id": "acak", "en": "random"},
        "qini.x": {"id": "bagian yang diundang", "en": "share invited"},
        "qini.y": {"id": "tambahan pendaftar", "en": "extra enrolments"},
        "cal.observed": {"id": "teramati", "en": "observed"},
        "sasaran.diff_line": {
            "id": "Kontak berlabel: {old_rows} → {new_rows}; fitur baru: {added}; fitur hilang: {removed}.",
            "en": "Labelled contacts: {old_rows} → {new_rows}; features added: {added}; removed: {removed}.",
        },
    }
)


STRINGS.update(
    {
        "login.title": {"id": "Masuk", "en": "Sign in"},
        "login.username": {"id": "Nama pengguna", "en": "User name"},
        "login.password": {"id": "Kata sandi", "en": "Password"},
        "login.submit": {"id": "Masuk", "en": "Sign in"},
        "login.role": {"id": "Peran", "en": "Role"},
        "login.name": {"id": "Nama", "en": "Name"},
        "login.fail.wrong": {
            "id": "Nama pengguna atau kata sandi salah, atau akun sedang dikunci atau dinonaktifkan. "
            "Setelah {failures} kali salah, akun dikunci {minutes} menit; admin dapat membukanya.",
            "en": "Wrong user name or password, or the account is locked or disabled. "
            "After {failures} wrong passwords an account is locked for {minutes} minutes; an admin can unlock it.",
        },
        "login.fail.busy": {
            "id": "Banyak orang sedang masuk bersamaan; coba lagi sebentar.",
            "en": "Many people are signing in at once; try again shortly.",
        },
        "login.demo_title": {"id": "Akun demo", "en": "Demo accounts"},
        "login.demo_text": {
            "id": "Basis data ini berisi data demo. Semua akun demo memakai kata sandi {password}.",
            "en": "This database holds demo data. Every demo account uses the password {password}.",
        },
        "login.no_users": {
            "id": "Belum ada pengguna. Buat admin dulu: python -m planner users add admin --role admin",
            "en": "No users yet. Create an admin first: python -m planner users add admin --role admin",
        },
        "login.prompt": {"id": "Silakan masuk untuk memakai Jangkau.", "en": "Please sign in to use Jangkau."},
        "login.go": {"id": "Masuk", "en": "Sign in"},
        "login.logout": {"id": "Keluar", "en": "Sign out"},
        "login.as": {"id": "Masuk sebagai {name} ({role}{provinces})", "en": "Signed in as {name} ({role}{provinces})"},
        "login.denied": {
            "id": "Halaman ini tidak tersedia untuk peran {role}.",
            "en": "This page is not available to the {role} role.",
        },
        "role.admin": {"id": "admin", "en": "admin"},
        "role.manager": {"id": "manajer", "en": "manager"},
        "role.staff": {"id": "staf", "en": "staff"},
        "role.leadership": {"id": "pimpinan", "en": "leadership"},
        "nav.pengguna": {"id": "Pengguna", "en": "Users"},
        "nav.audit": {"id": "Jejak audit", "en": "Audit trail"},
        "nav.section.admin": {"id": "Administrasi", "en": "Administration"},
        "users.username": {"id": "Nama pengguna", "en": "User name"},
        "users.display_name": {"id": "Nama", "en": "Name"},
        "users.role": {"id": "Peran", "en": "Role"},
        "users.provinces": {"id": "Provinsi", "en": "Provinces"},
        "users.active": {"id": "Aktif", "en": "Active"},
        "users.failed_logins": {"id": "Gagal masuk", "en": "Failed sign-ins"},
        "users.locked_until": {"id": "Terkunci sampai", "en": "Locked until"},
        "users.last_login": {"id": "Terakhir masuk", "en": "Last sign-in"},
        "users.created_at": {"id": "Dibuat", "en": "Created"},
        "users.pick": {"id": "Pilih pengguna", "en": "Choose a user"},
        "users.pick_first": {"id": "Pilih dulu pengguna yang akan diubah.", "en": "Choose the user to change first."},
        "users.add": {"id": "Tambah pengguna", "en": "Add user"},
        "users.list": {"id": "Semua akun", "en": "All accounts"},
        "users.added": {"id": "Pengguna {username} dibuat.", "en": "User {username} created."},
        "users.change": {"id": "Ubah pengguna", "en": "Change a user"},
        "users.action": {"id": "Tindakan", "en": "Action"},
        "users.disable": {"id": "Nonaktifkan", "en": "Disable"},
        "users.enable": {"id": "Aktifkan", "en": "Enable"},
        "users.passwd": {"id": "Ganti kata sandi", "en": "Set password"},
        "users.new_password": {"id": "Kata sandi baru (untuk ganti kata sandi)", "en": "New password (to set a password)"},
        "users.apply": {"id": "Terapkan", "en": "Apply"},
        "users.applied": {"id": "Perubahan untuk {username} disimpan.", "en": "Change for {username} saved."},
        "users.password_help": {"id": "Minimal 10 karakter.", "en": "At least 10 characters."},
        "audit.text": {"id": "Cari", "en": "Search"},
        "audit.text_help": {"id": "kunci, nilai atau catatan", "en": "key, value or note"},
        "audit.who": {"id": "Oleh", "en": "By"},
        "audit.action": {"id": "Tindakan", "en": "Action"},
        "audit.since": {"id": "Sejak", "en": "Since"},
        "audit.count": {"id": "{n} entri (terbaru dulu).", "en": "{n} entries (newest first)."},
        "audit.count_more": {"id": "{n} entri terbaru ditampilkan; unduhan berisi semua yang cocok.",
                             "en": "The newest {n} entries are shown; the downloads hold every match."},
        "audit.col.id": {"id": "No", "en": "No"},
        "audit.col.at": {"id": "Waktu", "en": "Time"},
        "audit.col.actor": {"id": "Oleh", "en": "By"},
        "audit.col.role": {"id": "Peran", "en": "Role"},
        "audit.col.action": {"id": "Tindakan", "en": "Action"},
        "audit.col.entity": {"id": "Tabel", "en": "Table"},
        "audit.col.entity_key": {"id": "Kunci", "en": "Key"},
        "audit.col.before": {"id": "Sebelum", "en": "Before"},
        "audit.col.after": {"id": "Sesudah", "en": "After"},
        "audit.col.detail": {"id": "Catatan", "en": "Note"},
    }
)



STRINGS.update(
    {
        # --- navigation
        "nav.jadwal": {"id": "Jadwal", "en": "Schedule"},
        "nav.mitra": {"id": "Mitra & staf", "en": "Partners & staff"},
        # --- shared columns
        "col.date": {"id": "Tanggal", "en": "Date"},
        "col.event": {"id": "Acara", "en": "Event"},
        "col.partner": {"id": "Mitra", "en": "Partner"},
        "col.staff": {"id": "Staf", "en": "Staff"},
        "col.invitees": {"id": "Undangan", "en": "Invited"},
        "col.attendance": {"id": "Perkiraan hadir", "en": "Expected to attend"},
        "col.expected_enrollments": {"id": "Pekerja terdaftar", "en": "Workers enrolled"},
        "col.cost": {"id": "Biaya (Rp)", "en": "Cost (Rp)"},
        # --- partner types
        "ptype.dinas_koperasi": {"id": "Dinas Koperasi", "en": "Cooperative office"},
        "ptype.koperasi": {"id": "Koperasi", "en": "Cooperative"},
        "ptype.asosiasi_ritel": {"id": "Asosiasi ritel/pedagang", "en": "Retail association"},
        "ptype.bank": {"id": "Bank mitra / penyalur KUR", "en": "Partner bank / KUR lender"},
        "ptype.perisai": {"id": "Agen Perisai", "en": "Perisai agent"},
        "ptype.pemda": {"id": "Pemda / kelurahan", "en": "Local government"},
        "ptype.oss_ptsp": {"id": "OSS / DPMPTSP", "en": "OSS / one-stop service desk"},
        "ptype.ecommerce": {"id": "E-commerce / pembayaran", "en": "E-commerce / payments"},
        "ptype.asosiasi_industri": {"id": "Asosiasi industri", "en": "Industry association"},
        # --- plan states and solver states
        "plan.draft": {"id": "draf", "en": "draft"},
        "plan.published": {"id": "terbit", "en": "published"},
        "plan.archived": {"id": "arsip", "en": "archived"},
        "solve.OPTIMAL": {"id": "Optimal", "en": "Optimal"},
        "solve.FEASIBLE": {"id": "Layak", "en": "Feasible"},
        # --- Jadwal
        "jadwal.title": {"id": "Jadwal sosialisasi", "en": "Outreach schedule"},
        "jadwal.intro": {
            "id": "Jangkau menyusun acara (mitra, staf, tanggal) dan daftar undangannya agar tambahan pekerja terdaftar sebanyak mungkin, "
            "dengan aturan hari libur dan cuti bersama, kapasitas mitra, batas staf, anggaran dan jarak antaracara. Kunci acara yang sudah pasti, lalu susun ulang di sekitarnya.",
            "en": "Jangkau proposes events (partner, staff, date) and their invitation lists to win the most additional enrolled workers, "
            "within holidays and joint leave, partner capacity, staff limits, the budget and the gap between events. Lock the events that are settled and solve again around them.",
        },
        "jadwal.new": {"id": "Rencana baru", "en": "New plan"},
        "jadwal.no_scores": {"id": "Usaha belum dinilai, jadi belum ada yang bisa diundang. Latih model dan nilai usaha dulu di halaman Sasaran (tombol «Latih ulang dan nilai ulang»).",
                             "en": "Businesses are not scored yet, so there is nobody to invite. Train the model and score businesses first on the Targets page («Retrain and rescore»)."},
        "jadwal.to_sasaran": {"id": "Ke halaman Sasaran", "en": "Go to Targets"},
        "jadwal.name": {"id": "Nama rencana", "en": "Plan name"},
        "jadwal.name_placeholder": {"id": "mis. Sosialisasi Sumsel Q1 2027", "en": "e.g. Sumsel outreach Q1 2027"},
        "jadwal.start": {"id": "Mulai", "en": "Start"},
        "jadwal.end": {"id": "Selesai", "en": "End"},
        "jadwal.budget": {"id": "Anggaran (Rp)", "en": "Budget (Rp)"},
        "jadwal.budget_juta": {"id": "Anggaran (Rp juta)", "en": "Budget (Rp million)"},
        "jadwal.budget_help": {"id": "Biaya acara + perjalanan staf, dalam juta rupiah (40 = Rp 40.000.000). 0 = tanpa batas. Sekarang: {now}.",
                               "en": "Event cost + staff travel, in millions of rupiah (40 = Rp 40.000.000). 0 = no limit. Now: {now}."},
        "jadwal.no_budget": {"id": "tanpa batas", "en": "no limit"},
        "jadwal.provinces": {"id": "Provinsi", "en": "Provinces"},
        "jadwal.all_provinces": {"id": "Semua provinsi", "en": "All provinces"},
        "jadwal.gap": {"id": "Jarak minimal antaracara (hari)", "en": "Minimum days between events"},
        "jadwal.gap_help": {"id": "Dua acara di satu kabupaten/kota berjarak paling sedikit sekian hari. 0 = tanpa aturan.",
                            "en": "Two events in one regency are at least this many days apart. 0 = no rule."},
        "jadwal.min_regency": {"id": "Minimal acara per kab/kota", "en": "Minimum events per regency"},
        "jadwal.min_regency_help": {"id": "Di setiap kabupaten/kota yang punya mitra aktif.", "en": "In every regency with an active partner."},
        "jadwal.time_limit": {"id": "Batas waktu (detik)", "en": "Time limit (seconds)"},
        "jadwal.time_limit_help": {"id": "Penyusunan berhenti paling lambat setelah sekian detik dengan jadwal terbaik yang ditemukan.",
                                   "en": "Solving stops after this many seconds at the latest, with the best schedule found."},
        "jadwal.weekends": {"id": "Boleh akhir pekan", "en": "Allow weekends"},
        "jadwal.ramadan": {"id": "Tanpa acara saat Ramadan & Idul Fitri", "en": "No events in Ramadan & Idul Fitri"},
        "jadwal.ramadan_help": {"id": "Dari 1 Ramadan sampai sepekan setelah Idul Fitri.", "en": "From 1 Ramadan to a week after Idul Fitri."},
        "jadwal.travel": {"id": "Staf boleh ke provinsi lain", "en": "Staff may travel to other provinces"},
        "jadwal.travel_help": {"id": "Antarprovinsi dalam rencana ini, dengan biaya perjalanan per acara.", "en": "Between the plan's provinces, at a travel cost per event."},
        "jadwal.advanced": {"id": "Lanjutan: biaya perjalanan, penalti, undangan", "en": "Advanced: travel cost, penalties, invitations"},
        "jadwal.travel_cost": {"id": "Biaya perjalanan per acara", "en": "Travel cost per event"},
        "jadwal.penalty_friday": {"id": "Penalti Jumat", "en": "Friday penalty"},
        "jadwal.penalty_weekend": {"id": "Penalti akhir pekan", "en": "Weekend penalty"},
        "jadwal.penalty_workload": {"id": "Penalti beban staf", "en": "Workload penalty"},
        "jadwal.penalty_help": {"id": "Dalam perkiraan pekerja: berapa tambahan pekerja yang rela dikorbankan untuk menghindarinya.",
                                "en": "In expected workers: how many additional workers it is worth giving up to avoid it."},
        "jadwal.max_invitees": {"id": "Undangan per acara (0 = kapasitas tempat)", "en": "Invitations per event (0 = venue capacity)"},
        "jadwal.max_invitees_help": {"id": "Batas undangan per acara bila lebih kecil dari kapasitas tempat mitra.", "en": "A cap on invitations per event below the venue capacity."},
        "jadwal.save_rules": {"id": "Simpan rencana", "en": "Save plan"},
        "jadwal.no_plans": {"id": "Belum ada rencana. Buat rencana baru di atas.", "en": "No plan yet. Create a new plan above."},
        "jadwal.no_published": {"id": "Belum ada jadwal terbit untuk wilayah Anda.", "en": "No published schedule for your region yet."},
        "jadwal.plan": {"id": "Rencana", "en": "Plan"},
        "jadwal.solve": {"id": "Susun jadwal", "en": "Solve schedule"},
        "jadwal.solve_help": {"id": "Acara yang dikunci tetap; acara lain disusun ulang.", "en": "Locked events stay; the others are planned again."},
        "jadwal.publish": {"id": "Terbitkan ke staf", "en": "Publish to staff"},
        "jadwal.reopen": {"id": "Buka kembali sebagai draf", "en": "Reopen as draft"},
        "jadwal.archive": {"id": "Arsipkan", "en": "Archive"},
        "jadwal.edit_rules": {"id": "Ubah aturan rencana", "en": "Change the plan's rules"},
        "jadwal.progress": {"id": "Menyusun… rencana terbaik {objective} pekerja, batas atas {bound} {message}",
                            "en": "Solving… best plan {objective} workers, upper bound {bound} {message}"},
        "jadwal.stop": {"id": "Hentikan (simpan yang terbaik)", "en": "Stop (keep the best)"},
        "jadwal.failed": {"id": "Penyusunan gagal: {error}", "en": "Solving failed: {error}"},
        "jadwal.infeasible": {"id": "Permintaan ini tidak mungkin dipenuhi. Aturan yang bertentangan:", "en": "This request cannot be met. The conflicting rules:"},
        "jadwal.not_solved": {"id": "Rencana ini belum disusun: tekan «Susun jadwal».", "en": "This plan has not been solved yet: press «Solve schedule»."},
        "jadwal.no_events": {"id": "Tidak ada acara di rencana ini.", "en": "This plan has no events."},
        "jadwal.m_events": {"id": "Acara", "en": "Events"},
        "jadwal.m_additional": {"id": "Tambahan pekerja", "en": "Additional workers"},
        "jadwal.m_additional_help": {"id": "Perkiraan pekerja yang terdaftar karena acara (uplift × pekerja).", "en": "Expected workers enrolled because of the events (uplift × workers)."},
        "jadwal.m_enrollments": {"id": "Pekerja terdaftar", "en": "Workers enrolled"},
        "jadwal.m_enrollments_help": {"id": "Perkiraan pekerja yang terdaftar di antara undangan (peluang daftar × pekerja), termasuk yang tetap mendaftar tanpa acara.",
                                      "en": "Expected workers enrolled among the invitees (enrol chance × workers), including those who would enrol anyway."},
        "jadwal.m_cost": {"id": "Biaya (Rp juta)", "en": "Cost (Rp million)"},
        "jadwal.week_empty": {"id": "Tidak ada acara minggu ini.", "en": "No events this week."},
        "jadwal.m_budget_share": {"id": "{share} anggaran", "en": "{share} of budget"},
        "jadwal.m_quality": {"id": "Mutu solusi", "en": "Solution quality"},
        "jadwal.m_gap": {"id": "selisih {gap} dari batas", "en": "{gap} from the bound"},
        "jadwal.m_quality_help": {"id": "Tujuan {objective} pekerja; batas atas terbukti {bound}; {seconds} detik.",
                                  "en": "Objective {objective} workers; proven upper bound {bound}; {seconds} seconds."},
        "jadwal.why": {"id": "Mengapa jadwal ini: aturan yang membatasi", "en": "Why this schedule: the rules that bind"},
        "jadwal.why_help": {"id": "Merah: aturan yang membatasi jadwal ini (melonggarkannya dapat menambah pendaftaran). Abu-abu: keterangan.",
                            "en": "Red: rules that limit this schedule (loosening them can add enrolments). Grey: information."},
        "jadwal.changed_since": {"id": "Acara diubah setelah penyusunan terakhir: angka di atas menghitung acara saat ini, penjelasan aturan berasal "
                                       "dari penyusunan itu. Susun ulang untuk mengisi sisa kalender.",
                                 "en": "Events changed since the last solve: the figures above count the current events, the explanations come from "
                                       "that solve. Solve again to fill the rest of the calendar."},
        "jadwal.violations": {"id": "Jadwal saat ini melanggar aturan:", "en": "The current schedule breaks rules:"},
        "jadwal.tab_calendar": {"id": "Kalender mingguan", "en": "Week calendar"},
        "jadwal.tab_staff": {"id": "Agenda staf", "en": "Staff agenda"},
        "jadwal.tab_events": {"id": "Acara & undangan", "en": "Events & invitations"},
        "jadwal.tab_export": {"id": "Ekspor", "en": "Export"},
        "jadwal.week_of": {"id": "Minggu mulai", "en": "Week of"},
        "jadwal.week": {"id": "Minggu", "en": "Week"},
        "jadwal.region": {"id": "Wilayah", "en": "Region"},
        "jadwal.grid_help": {"id": "Setiap acara: mitra · staf · perkiraan tambahan pekerja terdaftar. 🔒 = terkunci.", "en": "Each event: partner · staff · expected additional enrolled workers. 🔒 = locked."},
        "jadwal.staff": {"id": "Staf", "en": "Staff member"},
        "jadwal.ics": {"id": "Unduh kalender (.ics)", "en": "Download calendar (.ics)"},
        "jadwal.event": {"id": "Pilih acara", "en": "Choose an event"},
        "jadwal.locked": {"id": "terkunci", "en": "locked"},
        "jadwal.lock": {"id": "Kunci acara", "en": "Lock event"},
        "jadwal.unlock": {"id": "Buka kunci", "en": "Unlock"},
        "jadwal.cancel": {"id": "Batalkan acara", "en": "Cancel event"},
        "jadwal.cancel_note": {"id": "Alasan (opsional)", "en": "Reason (optional)"},
        "jadwal.cancel_confirm": {"id": "Ya, batalkan", "en": "Yes, cancel"},
        "jadwal.move": {"id": "Pindahkan: tanggal, mitra, staf", "en": "Move: date, partner, staff"},
        "jadwal.move_save": {"id": "Pindahkan dan kunci", "en": "Move and lock"},
        "jadwal.moved_ok": {"id": "Acara dipindahkan dan dikunci; jadwal tetap memenuhi semua aturan.", "en": "Event moved and locked; the schedule still keeps every rule."},
        "jadwal.moved_broken": {"id": "Acara dipindahkan dan dikunci, tetapi sekarang ada aturan yang dilanggar (lihat di atas).",
                                "en": "Event moved and locked, but now rules are broken (see above)."},
        "jadwal.invitations": {"id": "Undangan ({n} usaha)", "en": "Invitations ({n} businesses)"},
        "jadwal.owner": {"id": "Pemilik", "en": "Owner"},
        "jadwal.whatsapp": {"id": "WhatsApp", "en": "WhatsApp"},
        "jadwal.send": {"id": "kirim", "en": "send"},
        "jadwal.message_for": {"id": "Pesan WhatsApp untuk", "en": "WhatsApp message for"},
        "jadwal.messages_csv": {"id": "Unduh semua pesan (CSV)", "en": "Download all messages (CSV)"},
        "jadwal.events_csv": {"id": "Acara (CSV)", "en": "Events (CSV)"},
        "jadwal.events_xlsx": {"id": "Acara (XLSX)", "en": "Events (XLSX)"},
        "jadwal.invitations_csv": {"id": "Undangan (CSV)", "en": "Invitations (CSV)"},
        "jadwal.export_help": {"id": "Kalender per staf (.ics) ada di tab Agenda staf.", "en": "Per-staff calendars (.ics) are on the Staff agenda tab."},
        # --- Mitra & staf
        "mitra.title": {"id": "Mitra & staf", "en": "Partners & staff"},
        "mitra.intro": {"id": "Mitra penyelenggara sosialisasi dan staf yang memimpin acara, dengan ketersediaannya: hari, kapasitas bulanan, tempat, biaya, batas mingguan dan cuti.",
                        "en": "The partners who host outreach events and the staff who lead events, with their availability: weekdays, monthly capacity, venue, cost, weekly limit and leave."},
        "mitra.tab_partners": {"id": "Mitra", "en": "Partners"},
        "mitra.tab_staff": {"id": "Staf", "en": "Staff"},
        "mitra.tab_leave": {"id": "Cuti staf", "en": "Staff leave"},
        "mitra.type": {"id": "Jenis", "en": "Type"},
        "mitra.status": {"id": "Status", "en": "Status"},
        "mitra.active": {"id": "Aktif", "en": "Active"},
        "mitra.inactive": {"id": "Nonaktif", "en": "Inactive"},
        "mitra.active_help": {"id": "Mitra nonaktif tidak dijadwalkan lagi; datanya tetap tersimpan.", "en": "An inactive partner is no longer scheduled; its data is kept."},
        "mitra.count": {"id": "{n} mitra", "en": "{n} partners"},
        "mitra.partner_id": {"id": "Kode mitra", "en": "Partner ID"},
        "mitra.partner_id_help": {"id": "Kode unik, mis. M16-120.", "en": "A unique code, e.g. M16-120."},
        "mitra.per_month": {"id": "Acara/bulan", "en": "Events/month"},
        "mitra.seats": {"id": "Kursi", "en": "Seats"},
        "mitra.cost": {"id": "Biaya/acara (Rp)", "en": "Cost/event (Rp)"},
        "mitra.weekdays": {"id": "Hari tersedia", "en": "Available days"},
        "mitra.edit_partner": {"id": "Tambah atau ubah mitra", "en": "Add or change a partner"},
        "mitra.pick_partner": {"id": "Mitra", "en": "Partner"},
        "mitra.new_partner": {"id": "— mitra baru —", "en": "— new partner —"},
        "mitra.save": {"id": "Simpan", "en": "Save"},
        "mitra.rejected": {"id": "Tidak disimpan. Perbaiki isian berikut:", "en": "Not saved. Correct the following:"},
        "mitra.added": {"id": "{id} ditambahkan.", "en": "{id} added."},
        "mitra.updated": {"id": "{id} diperbarui.", "en": "{id} updated."},
        "mitra.unchanged": {"id": "{id} tidak berubah.", "en": "{id} unchanged."},
        "mitra.staff_id": {"id": "Kode staf", "en": "Staff ID"},
        "mitra.home": {"id": "Kab/kota asal", "en": "Home regency"},
        "mitra.per_week": {"id": "Maks. acara/minggu", "en": "Max events/week"},
        "mitra.leave_periods": {"id": "Periode cuti", "en": "Leave periods"},
        "mitra.edit_staff": {"id": "Tambah atau ubah staf", "en": "Add or change a staff member"},
        "mitra.pick_staff": {"id": "Staf", "en": "Staff member"},
        "mitra.new_staff": {"id": "— staf baru —", "en": "— new staff member —"},
        "mitra.leave_intro": {"id": "Hari-hari ketika staf tidak dapat memimpin acara (cuti, pelatihan, sakit). Penyusun jadwal menghormatinya.",
                              "en": "Days a staff member cannot lead events (leave, training, sick). The scheduler respects them."},
        "mitra.no_leave": {"id": "Tidak ada cuti yang akan datang.", "en": "No upcoming leave."},
        "mitra.from": {"id": "Dari", "en": "From"},
        "mitra.to": {"id": "Sampai", "en": "To"},
        "mitra.reason": {"id": "Alasan", "en": "Reason"},
        "mitra.add_leave": {"id": "Catat cuti", "en": "Record leave"},
        "mitra.delete_leave": {"id": "Hapus cuti", "en": "Delete leave"},
        "mitra.delete": {"id": "Hapus", "en": "Delete"},
    }
)


# --- hardening: sign-in, forced password change, incidents
STRINGS.update(
    {
        "app.incident": {
            "id": "Maaf, terjadi kesalahan di server. Tidak ada yang hilang dari data yang sudah tersimpan. "
            "Coba lagi; bila terulang, sampaikan nomor kejadian {number} kepada admin.",
            "en": "Sorry, something went wrong on the server. Nothing already saved was lost. "
            "Try again; if it happens again, give the admin incident number {number}.",
        },
        "cli.incident": {
            "id": "Kesalahan tak terduga (nomor kejadian {number}); tidak ada data yang setengah tersimpan. Rinciannya ada di {log}.",
            "en": "Unexpected error (incident number {number}); nothing was half-saved. The details are in {log}.",
        },
        "job.unknown_kind": {"id": "Jenis pekerjaan '{kind}' tidak dikenal.", "en": "Unknown kind of job '{kind}'."},
        "job.unknown": {"id": "Pekerjaan {job} tidak ada.", "en": "Job {job} does not exist."},
        "job.already_running": {
            "id": "{kind} Anda yang lain masih berjalan (pekerjaan {job}); tunggu sampai selesai atau batalkan dulu.",
            "en": "Another {kind} of yours is still running (job {job}); wait for it or cancel it first.",
        },
        "job.died": {
            "id": "Proses berhenti tanpa hasil (mis. server dimulai ulang); tidak ada yang setengah tersimpan. Jalankan lagi.",
            "en": "The process stopped without a result (e.g. the server restarted); nothing was half-saved. Run it again.",
        },
        "job.kind.import": {"id": "Impor", "en": "Import"},
        "job.kind.train": {"id": "Pelatihan model", "en": "Model training"},
        "impor.job_running": {"id": "Mengimpor {file}: {step}…", "en": "Importing {file}: {step}…"},
        "impor.step.read": {"id": "membaca berkas", "en": "reading the file"},
        "impor.step.check": {"id": "memeriksa setiap sel", "en": "checking every cell"},
        "impor.step.write": {"id": "menyimpan", "en": "saving"},
        "impor.job_cancel": {"id": "Batalkan impor", "en": "Cancel the import"},
        "impor.job_cancelled": {
            "id": "Impor {file} dibatalkan; tidak ada yang disimpan.",
            "en": "The import of {file} was cancelled; nothing was saved.",
        },
        "pw.title": {"id": "Ganti kata sandi demo", "en": "Change the demo password"},
        "pw.why": {
            "id": "Basis data ini sekarang memuat data yang diimpor, tetapi Anda masuk dengan kata sandi demo yang diketahui semua orang. "
            "Pilih kata sandi baru sebelum melanjutkan.",
            "en": "This database now holds imported data, but you signed in with the demo password that everyone knows. "
            "Choose a new password before you go on.",
        },
        "pw.new": {"id": "Kata sandi baru", "en": "New password"},
        "pw.again": {"id": "Ulangi kata sandi baru", "en": "New password again"},
        "pw.save": {"id": "Simpan kata sandi", "en": "Save password"},
        "pw.differ": {"id": "Kedua kata sandi tidak sama; ketik ulang.", "en": "The two passwords differ; type them again."},
        "pw.changed": {
            "id": "Kata sandi diganti. Masuk lagi dengan kata sandi baru.",
            "en": "Password changed. Sign in again with the new password.",
        },
        "pw.not_demo": {
            "id": "Kata sandi demo tidak boleh dipakai sebagai kata sandi baru; pilih yang lain (minimal 10 karakter).",
            "en": "The demo password cannot be a new password; choose another (at least 10 characters).",
        },
    }
)


# --- field work: event reports (rep.<problem> with its rfix.<problem>), cancel reasons
STRINGS.update(
    {
        "kind.reports": {"id": "laporan acara", "en": "event reports"},
        "rep.event_missing": {"id": "kode acara kosong", "en": "the event id is empty"},
        "rfix.event_missing": {"id": "isi {field} seperti di Agenda, mis. E3-0012", "en": "fill in {field} as shown on the Agenda, e.g. E3-0012"},
        "rep.event_unknown": {"id": "acara ini tidak ada", "en": "there is no such event"},
        "rfix.event_unknown": {"id": "salin kode acara dari Agenda atau dari templat laporan", "en": "copy the event id from the Agenda or the report template"},
        "rep.event_draft": {"id": "acara ini milik rencana {plan} yang belum diterbitkan", "en": "this event belongs to plan {plan}, which is not published"},
        "rfix.event_draft": {"id": "laporan hanya untuk acara rencana terbit; minta manajer menerbitkan rencananya", "en": "reports are for events of published plans only; ask a manager to publish the plan"},
        "rep.event_cancelled_in_plan": {"id": "acara ini dibatalkan di rencana", "en": "this event was cancelled in the plan"},
        "rfix.event_cancelled_in_plan": {"id": "pilih acara lain, atau minta manajer memulihkannya", "en": "choose another event, or ask a manager to restore it"},
        "rep.event_other_province": {"id": "acara ini di provinsi {province}, bukan provinsi Anda ({mine})", "en": "this event is in province {province}, not yours ({mine})"},
        "rfix.event_other_province": {"id": "laporkan hanya acara provinsi Anda; staf provinsi {province} yang melaporkannya", "en": "report only your province's events; staff of province {province} report this one"},
        "rep.event_twice": {"id": "acara ini sudah dilaporkan di baris {first} berkas yang sama", "en": "this event is already reported on row {first} of the same file"},
        "rfix.event_twice": {"id": "satu laporan per acara: gabungkan barisnya (status, tanggal dan hadir sama)", "en": "one report per event: merge the rows (same status, date and attendance)"},
        "rep.submission_twice": {"id": "kiriman ini muncul dua kali", "en": "this submission appears twice"},
        "rfix.submission_twice": {"id": "hapus baris ganda dari ekspor", "en": "remove the duplicate rows from the export"},
        "rep.submission_other_event": {"id": "kiriman ini sebelumnya tercatat untuk acara {event}", "en": "this submission was recorded for event {event} before"},
        "rfix.submission_other_event": {"id": "periksa pilihan acara di formulir; satu kiriman untuk satu acara", "en": "check the event chosen on the form; one submission is for one event"},
        "rep.conflict": {"id": "laporan ini sudah diubah oleh {who} pukul {when}", "en": "this report was changed by {who} at {when}"},
        "rfix.conflict": {"id": "muat ulang halaman, periksa perubahan itu, lalu simpan lagi", "en": "reload the page, check that change, then save again"},
        "rep.conflict_deleted": {"id": "laporan yang Anda ubah sudah tidak ada", "en": "the report you were editing no longer exists"},
        "rfix.conflict_deleted": {"id": "muat ulang halaman lalu isi lagi", "en": "reload the page and fill it in again"},
        "rep.status": {"id": "status harus held (diadakan) atau cancelled (batal)", "en": "status must be held or cancelled"},
        "rfix.status": {"id": "tulis salah satu dari: {choices}", "en": "write one of: {choices}"},
        "rep.too_long": {"id": "teks terlalu panjang", "en": "the text is too long"},
        "rfix.too_long": {"id": "persingkat sampai paling banyak {max} karakter", "en": "shorten it to at most {max} characters"},
        "rep.cancel_reason": {"id": "alasan batal tidak dikenal", "en": "unknown cancellation reason"},
        "rfix.cancel_reason": {"id": "pilih salah satu dari: {choices}", "en": "choose one of: {choices}"},
        "rep.cancel_note": {"id": "acara batal perlu keterangan", "en": "a cancelled event needs an explanation"},
        "rfix.cancel_note": {"id": "tulis singkat apa yang terjadi di {field}", "en": "write briefly what happened in {field}"},
        "rep.cancelled_with_rows": {"id": "acara batal tidak boleh punya usaha yang hadir", "en": "a cancelled event cannot have businesses present"},
        "rfix.cancelled_with_rows": {"id": "kosongkan daftar hadir, atau ubah {status} menjadi held (diadakan)", "en": "empty the list of businesses present, or set {status} to held"},
        "rep.held_on_missing": {"id": "tanggal pelaksanaan kosong", "en": "the date held is empty"},
        "rfix.held_on_missing": {"id": "isi {field} (YYYY-MM-DD), mis. tanggal rencana {planned}", "en": "fill in {field} (YYYY-MM-DD), e.g. the planned date {planned}"},
        "rep.held_on_format": {"id": "tanggal tidak berbentuk YYYY-MM-DD", "en": "the date is not YYYY-MM-DD"},
        "rfix.held_on_format": {"id": "tulis tanggal seperti 2026-11-23", "en": "write the date like 2026-11-23"},
        "rep.held_on_future": {"id": "tanggal pelaksanaan di masa depan", "en": "the date held is in the future"},
        "rfix.held_on_future": {"id": "laporkan setelah acara berlangsung (paling lambat hari ini, {today})", "en": "report after the event took place (today, {today}, at the latest)"},
        "rep.held_on_range": {"id": "tanggal terlalu jauh dari tanggal rencana {planned}", "en": "the date is too far from the planned date {planned}"},
        "rfix.held_on_range": {"id": "tanggal pelaksanaan harus antara {first} dan {last}; periksa kode acaranya", "en": "the date held must be between {first} and {last}; check the event id"},
        "rep.attendance": {"id": "jumlah hadir harus bilangan bulat 0 atau lebih", "en": "attendance must be a whole number, 0 or more"},
        "rfix.attendance": {"id": "isi jumlah orang yang hadir, mis. 34", "en": "fill in how many people came, e.g. 34"},
        "rep.attendance_below_present": {"id": "jumlah hadir lebih kecil dari {present} usaha yang tercatat hadir", "en": "attendance is below the number of businesses recorded as present ({present})"},
        "rfix.attendance_below_present": {"id": "naikkan jumlah hadir atau hapus usaha yang tidak hadir", "en": "raise attendance or remove businesses that did not come"},
        "rep.registrations_above_present": {"id": "pendaftaran lebih banyak dari usaha yang hadir", "en": "more registrations than businesses present"},
        "rfix.registrations_above_present": {"id": "setiap pendaftaran harus dari usaha yang hadir", "en": "every registration must be of a business present"},
        "rep.business_unknown": {"id": "usaha ini tidak ada di basis data", "en": "this business is not in the database"},
        "rfix.business_unknown": {"id": "periksa business_id, atau catat sebagai usaha baru: isi name, regency_code, sector, size_class dan workers", "en": "check business_id, or record a new business: fill in name, regency_code, sector, size_class and workers"},
        "rep.walk_in_field": {"id": "usaha baru (datang tanpa undangan) perlu {field}", "en": "a new business (walk-in) needs {field}"},
        "rfix.walk_in_field": {"id": "isi {field}, atau isi business_id bila usaha itu sudah terdaftar di Jangkau", "en": "fill in {field}, or fill in business_id if the business is already in Jangkau"},
        "rep.regency": {"id": "kode kabupaten/kota tidak dikenal", "en": "unknown regency code"},
        "rfix.regency": {"id": "pakai kode Kemendagri, mis. 16.71 untuk Kota Palembang", "en": "use the Kemendagri code, e.g. 16.71 for Kota Palembang"},
        "rep.regency_province": {"id": "kabupaten/kota ini di luar provinsi acara ({province})", "en": "this regency is outside the event's province ({province})"},
        "rfix.regency_province": {"id": "pakai kabupaten/kota tempat usaha itu berada di provinsi {province}", "en": "use the business's regency in province {province}"},
        "rep.sector": {"id": "sektor KBLI tidak dikenal", "en": "unknown KBLI sector"},
        "rfix.sector": {"id": "tulis satu huruf kategori KBLI A–U, mis. G untuk perdagangan", "en": "write one KBLI category letter A–U, e.g. G for trade"},
        "rep.size_class": {"id": "kelas usaha tidak dikenal", "en": "unknown size class"},
        "rfix.size_class": {"id": "tulis salah satu dari: {choices}", "en": "write one of: {choices}"},
        "rep.workers": {"id": "jumlah pekerja harus bilangan bulat 1 atau lebih", "en": "workers must be a whole number, 1 or more"},
        "rfix.workers": {"id": "isi jumlah pekerja usaha itu termasuk pemilik (paling banyak {max})", "en": "fill in the business's workers including the owner (at most {max})"},
        "rep.phone": {"id": "nomor telepon tidak sah", "en": "not a valid phone number"},
        "rfix.phone": {"id": "tulis nomor seperti 081234567890", "en": "write the number like 081234567890"},
        "rep.business_id_format": {"id": "kode usaha baru memuat tanda yang tidak boleh", "en": "the new business id holds characters that are not allowed"},
        "rfix.business_id_format": {"id": "pakai huruf, angka, titik, minus atau garis miring; atau kosongkan agar Jangkau membuatnya", "en": "use letters, digits, dots, dashes or slashes; or leave it empty for Jangkau to make one"},
        "rep.row_twice": {"id": "usaha ini sudah tercatat di baris {first} untuk acara yang sama", "en": "this business is already recorded on row {first} for the same event"},
        "rfix.row_twice": {"id": "satu baris per usaha yang hadir: hapus baris ganda", "en": "one row per business present: remove the duplicate"},
        "rep.flag": {"id": "{field} harus 0 atau 1", "en": "{field} must be 0 or 1"},
        "rfix.flag": {"id": "tulis 1 untuk ya, 0 untuk tidak", "en": "write 1 for yes, 0 for no"},
        "rep.programme_unknown": {"id": "program tidak dikenal", "en": "unknown programme"},
        "rfix.programme_unknown": {"id": "tulis program dari {choices}, dipisah titik koma, mis. JKK;JKM", "en": "write programmes from {choices}, separated by semicolons, e.g. JKK;JKM"},
        "rep.workers_registered_missing": {"id": "usaha yang mendaftar perlu jumlah pekerja yang didaftarkan (1 atau lebih)", "en": "a business that registered needs the number of workers registered (1 or more)"},
        "rfix.workers_registered_missing": {"id": "isi {field}, mis. 1 untuk pekerja mandiri", "en": "fill in {field}, e.g. 1 for a self-employed worker"},
        "rep.workers_registered_max": {"id": "pekerja didaftarkan lebih banyak dari {workers} pekerja usaha ini", "en": "more workers registered than the business's {workers} workers"},
        "rfix.workers_registered_max": {"id": "kurangi jumlahnya, atau perbarui jumlah pekerja usaha di kolom {workers_column}", "en": "lower the number, or update the business's workers in column {workers_column}"},
        "rep.programme_mandatory": {"id": "program belum lengkap untuk {who}: kurang {lacking}", "en": "programmes incomplete for {who}: missing {lacking}"},
        "rfix.programme_mandatory": {"id": "daftarkan paling sedikit {need} (Perpres 109/2013)", "en": "register at least {need} (Perpres 109/2013)"},
        "rep.who.mikro": {"id": "usaha mikro", "en": "a micro business"},
        "rep.who.kecil": {"id": "usaha kecil", "en": "a small business"},
        "rep.who.menengah": {"id": "usaha menengah", "en": "a medium business"},
        "rep.who.bpu": {"id": "pekerja mandiri (BPU)", "en": "a self-employed (BPU) worker"},
        "rep.programme_bpu_jp": {"id": "pekerja mandiri (BPU) tidak bisa ikut JP", "en": "a self-employed (BPU) worker cannot join JP"},
        "rfix.programme_bpu_jp": {"id": "hapus JP; BPU ikut JKK, JKM dan boleh JHT", "en": "remove JP; BPU joins JKK, JKM and may add JHT"},
        "rep.follow_up_registered": {"id": "usaha yang sudah mendaftar tidak perlu ditindaklanjuti", "en": "a business that registered needs no follow-up"},
        "rfix.follow_up_registered": {"id": "kosongkan {field} (0) untuk usaha ini", "en": "clear {field} (0) for this business"},
        "rep.workers_not_registered": {"id": "ada pekerja didaftarkan padahal usaha tidak mendaftar", "en": "workers registered although the business did not register"},
        "rfix.workers_not_registered": {"id": "tandai {registered} (1), atau kosongkan {field}", "en": "mark {registered} (1), or empty {field}"},
        "rep.programmes_not_registered": {"id": "ada program padahal usaha tidak mendaftar", "en": "programmes given although the business did not register"},
        "rfix.programmes_not_registered": {"id": "tandai {registered} (1), atau kosongkan {field}", "en": "mark {registered} (1), or empty {field}"},
        "rep.line_held": {
            "id": "Diadakan {date}: {attendance} hadir, {present} usaha tercatat, {registrations} mendaftar ({workers} pekerja). Diubah {who}, {when}.",
            "en": "Held {date}: attendance {attendance}; businesses recorded {present}; registered {registrations} (workers: {workers}). Changed by {who}, {when}.",
        },
        "rep.line_cancelled": {"id": "Batal ({reason}). Diubah {who}, {when}.", "en": "Cancelled ({reason}). Changed by {who}, {when}."},
        "cancel.weather": {"id": "cuaca buruk", "en": "bad weather"},
        "cancel.partner": {"id": "mitra membatalkan", "en": "the partner cancelled"},
        "cancel.staff": {"id": "staf berhalangan", "en": "staff unavailable"},
        "cancel.turnout": {"id": "peserta terlalu sedikit", "en": "too few participants"},
        "cancel.venue": {"id": "tempat tidak tersedia", "en": "venue not available"},
        "cancel.disaster": {"id": "bencana atau keadaan darurat", "en": "disaster or emergency"},
        "cancel.other": {"id": "lainnya", "en": "other"},
    }
)


# --- field work: who I am (accounts linked to staff records)
STRINGS.update(
    {
        "users.staff_unknown": {"id": "Staf {staff} tidak ada; lihat daftar di Mitra & staf.", "en": "Staff {staff} does not exist; see the list on Partners & staff."},
        "users.staff_province": {
            "id": "Staf {staff} bertugas di provinsi {province}, di luar provinsi akun ({provinces}); tambahkan provinsi {province} ke akun.",
            "en": "Staff {staff} works in province {province}, outside the account's provinces ({provinces}); add province {province} to the account.",
        },
        "users.staff_taken": {
            "id": "Staf {staff} sudah terhubung dengan akun {other}; lepaskan dulu dari akun itu.",
            "en": "Staff {staff} is already linked to account {other}; unlink it there first.",
        },
        "users.staff_id": {"id": "Staf", "en": "Staff"},
        "users.no_staff": {"id": "(bukan staf lapangan)", "en": "(not field staff)"},
        "users.staff_help": {
            "id": "Akun staf lapangan: pilih catatan stafnya, agar agenda dan laporannya adalah milik staf itu.",
            "en": "A field staff account: choose its staff record, so that its agenda and reports are that staff member's.",
        },
        "users.link": {"id": "Hubungkan ke staf", "en": "Link to staff"},
        "users.link_to": {"id": "Staf (untuk hubungkan)", "en": "Staff (to link)"},
    }
)


# Backup and restore (planner/backup.py) and the database lock (planner/db.py).
STRINGS.update(
    {
        "backup.missing": {"id": "Basis data {path} tidak ada; periksa --db atau PLANNER_DB.",
                           "en": "The database {path} does not exist; check --db or PLANNER_DB."},
        "backup.same": {"id": "Berkas cadangan {path} tidak boleh sama dengan basis datanya; pilih nama berkas lain.",
                        "en": "The backup file {path} must not be the database itself; choose another file name."},
        "backup.failed_check": {"id": "Cadangan gagal pemeriksaan integritas ({detail}); tidak ada berkas yang ditulis. Jalankan backup lagi.",
                                "en": "The backup failed the integrity check ({detail}); no file was written. Run the backup again."},
        "restore.missing": {"id": "Berkas cadangan {path} tidak ada; periksa nama dan folder berkasnya (mis. ls {folder}). Basis data tidak diubah.",
                            "en": "The backup file {path} does not exist; check the file name and folder (e.g. ls {folder}). The database was not changed."},
        "restore.not_file": {"id": "{path} adalah folder, bukan berkas cadangan; sebutkan berkas .db di dalamnya. Basis data tidak diubah.",
                             "en": "{path} is a folder, not a backup file; name the .db file inside it. The database was not changed."},
        "restore.unreadable": {"id": "Berkas cadangan {path} tidak dapat dibaca ({detail}); periksa izin berkasnya. Basis data tidak diubah.",
                               "en": "The backup file {path} cannot be read ({detail}); check its permissions. The database was not changed."},
        "restore.empty": {"id": "Berkas cadangan {path} kosong (0 bita); pilih berkas yang dibuat dengan `python -m planner backup`. Basis data tidak diubah.",
                          "en": "The backup file {path} is empty (0 bytes); choose a file made with `python -m planner backup`. The database was not changed."},
        "restore.not_sqlite": {"id": "{path} bukan basis data SQLite (tidak diawali 'SQLite format 3'); pilih berkas yang dibuat dengan `python -m planner backup`. Basis data tidak diubah.",
                               "en": "{path} is not a SQLite database (it does not start with 'SQLite format 3'); choose a file made with `python -m planner backup`. The database was not changed."},
        "restore.damaged": {"id": "Berkas cadangan {path} rusak dan tidak dapat dibaca ({detail}); pilih cadangan lain. Basis data tidak diubah.",
                            "en": "The backup file {path} is damaged and cannot be read ({detail}); choose another backup. The database was not changed."},
        "restore.integrity": {"id": "Berkas cadangan {path} gagal pemeriksaan integritas SQLite ({detail}); pilih cadangan lain. Basis data tidak diubah.",
                              "en": "The backup file {path} failed SQLite's integrity check ({detail}); choose another backup. The database was not changed."},
        "restore.foreign": {"id": "{path} adalah basis data SQLite, tetapi bukan basis data Jangkau ({detail}); pilih cadangan Jangkau. Basis data tidak diubah.",
                            "en": "{path} is a SQLite database but not a Jangkau database ({detail}); choose a Jangkau backup. The database was not changed."},
        "restore.no_migrations": {"id": "tidak ada catatan migrasi 'jangkau' di tabel _sqlite_migrations",
                                  "en": "no 'jangkau' migrations recorded in the _sqlite_migrations table"},
        "restore.no_tables": {"id": "tabel inti tidak ada: {tables}", "en": "core tables missing: {tables}"},
        "restore.newer": {"id": "Berkas cadangan {path} dibuat oleh Jangkau yang lebih baru (migrasi yang tidak dikenal versi ini: {names}); perbarui Jangkau dulu, lalu pulihkan lagi. Basis data tidak diubah.",
                          "en": "The backup file {path} was made by a newer Jangkau (migrations this version does not know: {names}); update Jangkau first, then restore again. The database was not changed."},
        "restore.same": {"id": "{path} adalah basis data itu sendiri; pilih berkas cadangan lain. Basis data tidak diubah.",
                         "en": "{path} is the database itself; choose a backup file. The database was not changed."},
        "restore.current_error": {"id": "Basis data {path} tidak dapat dibuka untuk dipulihkan ({detail}); periksa jalur dan izinnya, lalu coba lagi.",
                                  "en": "The database {path} cannot be opened for the restore ({detail}); check its path and permissions, then try again."},
        "restore.result_damaged": {"id": "Hasil pemulihan {path} gagal pemeriksaan integritas ({detail}); data sebelumnya dikembalikan (salinannya: {kept}). Coba cadangan lain.",
                                   "en": "The restored {path} failed the integrity check ({detail}); the previous data was put back (its copy: {kept}). Try another backup."},
        "restore.kept": {"id": "Salinan basis data sebelum pemulihan disimpan di {path}",
                         "en": "The database as it was before the restore is kept at {path}"},
        "restore.kept_unreadable": {"id": "Basis data lama tidak dapat dibaca SQLite; berkasnya (dengan -wal/-shm-nya) dipindahkan ke {path}",
                                    "en": "SQLite could not read the old database; its file (with its -wal/-shm) was moved to {path}"},
        "restore.done": {"id": "{path} dipulihkan dari {file} ({pages} halaman, pemeriksaan integritas ok).",
                         "en": "{path} restored from {file} ({pages} pages, integrity check ok)."},
        "restore.older": {"id": "Cadangan memakai skema lama; {n} migrasi ({names}) dijalankan saat basis data dibuka berikutnya.",
                          "en": "The backup has an older schema; {n} migrations ({names}) run when the database is next opened."},
        "db.in_use": {"id": "Basis data {path} sedang dipakai proses lain ({pids}); hentikan aplikasinya dulu (Ctrl+C di terminalnya, atau `systemctl stop jangkau`) dan tunggu penyusunan jadwal di latar belakang selesai, lalu coba lagi. Basis data tidak diubah.",
                      "en": "The database {path} is in use by another process ({pids}); stop the app first (Ctrl+C in its terminal, or `systemctl stop jangkau`) and let any background schedule solve finish, then try again. The database was not changed."},
        "db.pids": {"id": "pid {pids}", "en": "pid {pids}"},
        "db.pid_unknown": {"id": "pid tidak diketahui", "en": "pid unknown"},
        "db.restoring": {"id": "Basis data {path} sedang dipulihkan dari cadangan (masih terkunci setelah {seconds} detik); tunggu sampai pemulihan selesai, lalu coba lagi.",
                         "en": "The database {path} is being restored from a backup (still locked after {seconds} seconds); wait until the restore has finished, then try again."},
    }
)


# --- invitations (WhatsApp) and calendar entries
STRINGS.update(
    {
        "wa.invitation": {
            "id": "Yth. Bapak/Ibu {who} ({business}),\n\n"
            "BPJS Ketenagakerjaan bersama {partner} mengundang Anda ke sosialisasi perlindungan jaminan sosial ketenagakerjaan "
            "pada hari {when} di {place}.\n\n"
            "Perlindungan kecelakaan kerja dan kematian {programmes}. "
            "Pendaftaran bisa langsung di tempat: bawa KTP (dan NIB bila ada).\n\n"
            "Mohon konfirmasi kehadiran dengan membalas pesan ini. Narahubung: {contact}. Terima kasih.",
            "en": "Dear {who} ({business}),\n\n"
            "BPJS Ketenagakerjaan and {partner} invite you to an information session on workers' social security "
            "on {when} at {place}.\n\n"
            "Protection against work accidents and death {programmes}. "
            "You can register on the spot: bring your KTP (and NIB if you have one).\n\n"
            "Please reply to confirm. Contact: {contact}. Thank you.",
        },
        "wa.at_time": {"id": "pukul {time} {zone}", "en": "at {time} {zone}"},
        "wa.and": {"id": " dan ", "en": " and "},
        "wa.programmes_bpu": {
            "id": "sebagai peserta Bukan Penerima Upah (BPU): JKK dan JKM mulai Rp16.800 per bulan",
            "en": "as an informal-worker (BPU) participant: JKK and JKM from Rp 16.800 a month",
        },
        "wa.programmes_pu": {"id": "untuk pekerja usaha Anda: program {programmes}", "en": "for your workers: {programmes}"},
        "ics.summary": {"id": "Sosialisasi BPJS Ketenagakerjaan – {partner}", "en": "BPJS Ketenagakerjaan outreach – {partner}"},
        "ics.description": {
            "id": "Acara {event}. Undangan: {invitees} usaha; perkiraan hadir {attendance}; perkiraan tambahan pekerja terdaftar {additional}. "
            "Kontak mitra: {contact}. Biaya {cost}.",
            "en": "Event {event}. Invited: {invitees} businesses; expected attendance {attendance}; expected additional workers enrolled {additional}. "
            "Partner contact: {contact}. Cost {cost}.",
        },
    }
)


# --- field work: agenda
STRINGS.update(
    {
        "agenda.not_yours": {"id": "Acara {event} bukan acara provinsi Anda.", "en": "Event {event} is not an event of your province."},
        "agenda.bad_time": {"id": "Jam mulai '{value}' tidak berbentuk JJ:MM; tulis mis. 09:00.", "en": "Start time '{value}' is not HH:MM; write e.g. 09:00."},
        "agenda.bad_duration": {"id": "Lama acara {value} menit di luar 15–720 menit.", "en": "Duration {value} minutes is outside 15–720 minutes."},
    }
)


# --- field work: the Agenda and Laporan pages
STRINGS.update(
    {
        "nav.section.field": {"id": "Lapangan", "en": "Field work"},
        "nav.agenda": {"id": "Agenda", "en": "Agenda"},
        "nav.laporan": {"id": "Laporan", "en": "Reports"},
        "col.business": {"id": "Usaha", "en": "Business"},
        "size.mikro": {"id": "mikro", "en": "micro"},
        "size.kecil": {"id": "kecil", "en": "small"},
        "size.menengah": {"id": "menengah", "en": "medium"},
        "agenda.title": {"id": "Agenda: acara saya", "en": "Agenda: my events"},
        "agenda.title_others": {"id": "Agenda staf", "en": "Staff agendas"},
        "agenda.intro": {
            "id": "Acara sosialisasi dari rencana yang sudah terbit: kapan dan di mana, siapa yang diundang, dan apa yang perlu dilaporkan. "
            "Pilih satu acara di tabel untuk rinciannya.",
            "en": "Outreach events of published plans: when and where, who is invited, and what still needs a report. "
            "Pick an event in the table for its details.",
        },
        "agenda.staff": {"id": "Staf", "en": "Staff member"},
        "agenda.all_staff": {"id": "Semua staf provinsi", "en": "All staff of the province"},
        "agenda.me": {"id": " — saya", "en": " — me"},
        "agenda.window": {"id": "Tampilkan", "en": "Show"},
        "agenda.upcoming": {"id": "Akan datang", "en": "Upcoming"},
        "agenda.recent": {"id": "Sudah lewat", "en": "Past"},
        "agenda.none_upcoming": {"id": "Tidak ada acara yang akan datang di rencana terbit.", "en": "No upcoming events in published plans."},
        "agenda.none_recent": {"id": "Tidak ada acara dalam 90 hari terakhir.", "en": "No events in the last 90 days."},
        "agenda.to_report": {"id": "Acara yang sudah lewat dan belum dilaporkan: {n} (lihat \"Sudah lewat\").", "en": "Past events without a report: {n} (see \"Past\")."},
        "agenda.col.date": {"id": "Tanggal dan jam", "en": "Date and time"},
        "agenda.col.partner": {"id": "Mitra", "en": "Partner"},
        "agenda.col.regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "agenda.col.staff": {"id": "Staf", "en": "Staff"},
        "agenda.col.invitees": {"id": "Undangan", "en": "Invited"},
        "agenda.col.report": {"id": "Laporan", "en": "Report"},
        "agenda.col.owner": {"id": "Pemilik", "en": "Owner"},
        "agenda.col.phone": {"id": "Telepon", "en": "Phone"},
        "agenda.status.held": {"id": "✓ dilaporkan: diadakan", "en": "✓ reported: held"},
        "agenda.status.cancelled": {"id": "✓ dilaporkan: batal", "en": "✓ reported: cancelled"},
        "agenda.status.due": {"id": "⚠ perlu laporan", "en": "⚠ needs a report"},
        "agenda.status.planned": {"id": "terjadwal", "en": "scheduled"},
        "agenda.event_title": {"id": "{partner}, {date}", "en": "{partner}, {date}"},
        "agenda.m_time": {"id": "Mulai", "en": "Starts"},
        "agenda.m_time_help": {"id": "Lama acara {minutes} menit.", "en": "Lasts {minutes} minutes."},
        "agenda.m_invitees": {"id": "Usaha diundang", "en": "Businesses invited"},
        "agenda.m_attendance": {"id": "Perkiraan hadir", "en": "Expected to come"},
        "agenda.m_attendance_help": {
            "id": "Berapa usaha yang diundang diperkirakan datang, dari tingkat kehadiran di kabupaten/kota ini.",
            "en": "How many invited businesses are expected to come, from the attendance rate in this regency.",
        },
        "agenda.m_enrol": {"id": "Perkiraan pekerja terdaftar", "en": "Expected workers enrolled"},
        "agenda.m_enrol_help": {
            "id": "Jumlah pekerja dari usaha yang diundang yang diperkirakan mendaftar (peluang daftar × pekerja).",
            "en": "Workers of the invited businesses expected to enrol (chance to enrol × workers).",
        },
        "agenda.where": {"id": "Tempat", "en": "Place"},
        "agenda.no_address": {"id": "(alamat belum dicatat; tanyakan ke kontak mitra)", "en": "(no address recorded; ask the partner's contact)"},
        "agenda.partner_contact": {"id": "Kontak mitra", "en": "Partner contact"},
        "agenda.staff_contact": {"id": "Staf BPJS Ketenagakerjaan", "en": "BPJS Ketenagakerjaan staff"},
        "agenda.reported": {"id": "Acara ini sudah dilaporkan ({status}).", "en": "This event has been reported ({status})."},
        "agenda.go_report": {"id": "Laporkan acara ini", "en": "Report this event"},
        "agenda.invitations": {"id": "Daftar undangan ({n} usaha)", "en": "Invitation list ({n} businesses)"},
        "agenda.send": {"id": "Kirim", "en": "Send"},
        "agenda.message_example": {"id": "Contoh teks undangan WhatsApp", "en": "Example of the WhatsApp invitation"},
        "agenda.ics": {"id": "Kalender (.ics)", "en": "Calendar (.ics)"},
        "agenda.sheet": {"id": "Daftar hadir (PDF)", "en": "Attendance sheet (PDF)"},
        "agenda.template": {"id": "Templat laporan (XLSX)", "en": "Report template (XLSX)"},
        "agenda.change_time": {"id": "Ubah jam", "en": "Change time"},
        "agenda.start_time": {"id": "Jam mulai", "en": "Start time"},
        "agenda.duration": {"id": "Lama (menit)", "en": "Duration (minutes)"},
        "agenda.save_time": {"id": "Simpan jam", "en": "Save time"},
    }
)


STRINGS.update(
    {
        "laporan.title": {"id": "Laporan acara", "en": "Event report"},
        "laporan.intro": {
            "id": "Catat apa yang terjadi di acara: diadakan atau batal, siapa yang datang, siapa yang mendaftar dan siapa yang perlu ditindaklanjuti. "
            "Laporan inilah yang melatih model dan mengukur rencana.",
            "en": "Record what happened at the event: held or cancelled, who came, who registered and who needs follow-up. "
            "These reports train the model and measure the plan.",
        },
        "laporan.intro_read": {
            "id": "Apa yang terjadi di acara rencana terbit, seperti yang dilaporkan staf.",
            "en": "What happened at the events of published plans, as staff reported it.",
        },
        "laporan.read_none": {"id": "Acara ini belum dilaporkan.", "en": "This event has not been reported yet."},
        "laporan.read_how": {"id": "Datang sebagai", "en": "Came as"},
        "laporan.read_invited": {"id": "undangan", "en": "invitee"},
        "laporan.read_walk_in": {"id": "tanpa undangan", "en": "walk-in"},
        "laporan.no_events": {"id": "Belum ada acara dari rencana terbit untuk dilaporkan.", "en": "No events of published plans to report yet."},
        "laporan.event": {"id": "Acara", "en": "Event"},
        "laporan.not_yet": {
            "id": "Acara ini dijadwalkan {date}; laporan bisa diisi setelah acara berlangsung.",
            "en": "This event is scheduled for {date}; the report can be filled in once it has taken place.",
        },
        "laporan.tab_form": {"id": "Isi di sini", "en": "Fill in here"},
        "laporan.tab_file": {"id": "Unggah laporan luring", "en": "Upload offline reports"},
        "laporan.status": {"id": "Status acara", "en": "Event status"},
        "laporan.status.held": {"id": "Diadakan", "en": "Held"},
        "laporan.status.cancelled": {"id": "Batal", "en": "Cancelled"},
        "laporan.held_on": {"id": "Tanggal pelaksanaan", "en": "Date held"},
        "laporan.held_on_help": {
            "id": "Hari acara benar-benar diadakan; boleh berbeda dari tanggal rencana bila acara bergeser.",
            "en": "The day the event was actually held; it may differ from the planned date if the event moved.",
        },
        "laporan.attendance": {"id": "Jumlah hadir (orang)", "en": "Attendance (people)"},
        "laporan.attendance_help": {
            "id": "Semua orang yang datang, termasuk beberapa orang dari satu usaha; paling sedikit sebanyak usaha yang dicentang hadir.",
            "en": "Everyone who came, several people of one business included; at least as many as the businesses ticked present.",
        },
        "laporan.invitees": {"id": "Usaha yang diundang ({n})", "en": "Businesses invited ({n})"},
        "laporan.invitees_help": {
            "id": "Centang Hadir untuk yang datang; Daftar untuk yang mendaftar di tempat, dengan jumlah pekerja dan programnya.",
            "en": "Tick Came for those who came; Registered for those who registered on the spot, with the number of workers and the programmes.",
        },
        "laporan.workers_help": {
            "id": "Ubah bila jumlah pekerja usaha ternyata berbeda; pekerja yang didaftarkan tidak boleh melebihinya.",
            "en": "Change it if the business turns out to have another number of workers; workers registered cannot exceed it.",
        },
        "laporan.programmes_help": {
            "id": "Dipisah titik koma. Wajib: usaha mikro JKK;JKM, kecil JKK;JKM;JHT, menengah JKK;JKM;JHT;JP; pekerja mandiri (BPU) JKK;JKM, boleh JHT, tanpa JP.",
            "en": "Separated by semicolons. Required: micro JKK;JKM, small JKK;JKM;JHT, medium JKK;JKM;JHT;JP; self-employed (BPU) JKK;JKM, may add JHT, no JP.",
        },
        "laporan.follow_up_help": {
            "id": "Usaha yang tertarik tetapi belum mendaftar: masuk daftar tindak lanjut staf acara, jatuh tempo seminggu setelah acara.",
            "en": "A business that is interested but did not register: goes on the event's staff member's follow-up list, due a week after the event.",
        },
        "laporan.walk_ins": {"id": "Datang tanpa undangan", "en": "Walk-ins"},
        "laporan.walk_ins_help": {
            "id": "Usaha yang datang tanpa undangan: tambah baris dengan nama, kabupaten/kota, sektor, skala dan pekerja; "
            "usaha yang sudah ada di Jangkau bisa dicari di bawah.",
            "en": "Businesses that came without an invitation: add a line with name, regency, sector, size and workers; "
            "a business already in Jangkau can be found below.",
        },
        "laporan.walk_id_help": {
            "id": "Kosongkan untuk usaha baru; Jangkau membuat kodenya.",
            "en": "Leave empty for a new business; Jangkau makes its id.",
        },
        "laporan.cancel_reason": {"id": "Alasan batal", "en": "Reason for cancelling"},
        "laporan.cancel_note": {"id": "Keterangan", "en": "What happened"},
        "laporan.note": {"id": "Catatan acara", "en": "Notes on the event"},
        "laporan.save": {"id": "Simpan laporan", "en": "Save the report"},
        "laporan.saved": {"id": "Laporan disimpan: {rows} usaha tercatat, {registrations} mendaftar.", "en": "Report saved: {rows} businesses recorded, {registrations} registered."},
        "laporan.rejected": {
            "id": "Laporan belum disimpan: {n} hal perlu diperbaiki (baris = nomor baris di tabel).",
            "en": "The report was not saved: {n} things to fix (row = line of the table).",
        },
        "laporan.find_business": {"id": "Cari usaha yang sudah ada di Jangkau", "en": "Find a business already in Jangkau"},
        "laporan.find": {"id": "Nama atau kode usaha", "en": "Business name or id"},
        "laporan.find_placeholder": {"id": "mis. Warung Sari", "en": "e.g. Warung Sari"},
        "laporan.found": {"id": "Ditemukan", "en": "Found"},
        "laporan.found_none": {"id": "Tidak ada usaha yang cocok di provinsi ini.", "en": "No matching business in this province."},
        "laporan.add_walk_in": {"id": "Tambahkan sebagai yang datang tanpa undangan", "en": "Add as a walk-in"},
        "laporan.col.business_id": {"id": "Kode usaha", "en": "Business id"},
        "laporan.col.name": {"id": "Nama usaha", "en": "Business name"},
        "laporan.col.owner_name": {"id": "Pemilik", "en": "Owner"},
        "laporan.col.phone": {"id": "Telepon", "en": "Phone"},
        "laporan.col.size_class": {"id": "Skala", "en": "Size"},
        "laporan.col.workers": {"id": "Pekerja", "en": "Workers"},
        "laporan.col.present": {"id": "Hadir", "en": "Came"},
        "laporan.col.registered": {"id": "Daftar", "en": "Registered"},
        "laporan.col.workers_registered": {"id": "Pekerja didaftarkan", "en": "Workers registered"},
        "laporan.col.programmes": {"id": "Program", "en": "Programmes"},
        "laporan.col.follow_up": {"id": "Tindak lanjut", "en": "Follow up"},
        "laporan.col.note": {"id": "Catatan", "en": "Note"},
        "laporan.col.regency_code": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "laporan.col.sector": {"id": "Sektor", "en": "Sector"},
        "laporan.file_intro": {
            "id": "Tanpa sinyal di lokasi? Unduh templat laporan (XLSX) atau formulir ODK/KoboCollect, isi di mana saja, lalu unggah di sini. "
            "Mengunggah berkas yang sama lagi memperbarui, tidak menggandakan.",
            "en": "No signal at the venue? Download the report template (XLSX) or the ODK/KoboCollect form, fill it in anywhere, then upload it here. "
            "Uploading the same file again updates, it never duplicates.",
        },
        "laporan.file_intro_cli": {
            "id": "Laporan yang diisi di luar jaringan (templat XLSX atau formulir ODK/KoboCollect) diunggah di sini, atau dengan python -m planner import reports BERKAS. "
            "Mengunggah berkas yang sama lagi memperbarui, tidak menggandakan.",
            "en": "Reports filled offline (the XLSX template or the ODK/KoboCollect form) are uploaded here, or with python -m planner import reports FILE. "
            "Uploading the same file again updates, it never duplicates.",
        },
        "laporan.template_all": {"id": "Templat laporan ({n} acara)", "en": "Report template ({n} events)"},
        "laporan.xlsform": {"id": "Formulir ODK/Kobo (XLSForm)", "en": "ODK/Kobo form (XLSForm)"},
        "laporan.xlsform_help": {
            "id": "Unggah ke ODK Central atau KoboToolbox, isi di ponsel dengan ODK Collect/KoboCollect tanpa sinyal, lalu unggah ekspor CSV kirimannya di sini.",
            "en": "Upload it to ODK Central or KoboToolbox, fill it in on a phone with ODK Collect/KoboCollect offline, then upload the submissions' CSV export here.",
        },
        "laporan.upload": {"id": "Templat terisi atau ekspor kiriman ODK/Kobo (CSV, XLSX atau ZIP)", "en": "Filled template or ODK/Kobo submissions export (CSV, XLSX or ZIP)"},
        "laporan.upload_go": {"id": "Periksa dan simpan", "en": "Check and save"},
    }
)


# --- Jadwal: what happened next to what was expected
STRINGS.update(
    {
        "jadwal.a_reported": {"id": "Acara dilaporkan", "en": "Events reported"},
        "jadwal.a_cancelled": {"id": "{n} batal", "en": "{n} cancelled"},
        "jadwal.a_attendance": {"id": "Hadir (aktual)", "en": "Attended (actual)"},
        "jadwal.a_expected": {"id": "perkiraan {value}", "en": "expected {value}"},
        "jadwal.a_registrations": {"id": "Usaha mendaftar (aktual)", "en": "Businesses registered (actual)"},
        "jadwal.a_workers": {"id": "Pekerja terdaftar (aktual)", "en": "Workers registered (actual)"},
        "jadwal.a_workers_help": {
            "id": "Pekerja yang didaftarkan di acara yang dilaporkan, termasuk pendaftaran kemudian yang dikreditkan ke acaranya; "
            "dibandingkan dengan perkiraan pekerja terdaftar di acara yang diadakan.",
            "en": "Workers registered at the reported events, later registrations credited to their event included; "
            "compared with the expected workers enrolled at the events held.",
        },
        "jadwal.a_col_attendance": {"id": "Hadir (aktual)", "en": "Attended (actual)"},
        "jadwal.a_col_registrations": {"id": "Daftar (aktual)", "en": "Registered (actual)"},
        "jadwal.a_col_workers": {"id": "Pekerja terdaftar (aktual)", "en": "Workers registered (actual)"},
    }
)


# --- follow-up
STRINGS.update(
    {
        "fu.unknown": {"id": "Tindak lanjut {id} tidak ada.", "en": "Follow-up {id} does not exist."},
        "fu.status": {"id": "Status '{value}' tidak dikenal; pilih salah satu dari: {choices}.", "en": "Unknown status '{value}'; choose one of: {choices}."},
        "fu.due": {"id": "Tanggal jatuh tempo '{value}' bukan tanggal YYYY-MM-DD.", "en": "Due date '{value}' is not a YYYY-MM-DD date."},
        "fu.note_long": {"id": "Catatan paling panjang 1.000 karakter.", "en": "A note holds at most 1.000 characters."},
        "agenda.tab_events": {"id": "Acara", "en": "Events"},
        "agenda.tab_leads": {"id": "Tindak lanjut ({n}, {late} terlambat)", "en": "Follow-up ({n}, {late} overdue)"},
        "fu.none": {"id": "Tidak ada usaha yang perlu ditindaklanjuti.", "en": "No businesses to follow up."},
        "fu.intro": {
            "id": "Usaha yang tertarik di acara tetapi belum mendaftar; yang terlambat di atas. Ubah status, tanggal atau catatan lalu simpan. "
            "Status 'sudah mendaftar' mencatat pendaftarannya (isi pekerja didaftarkan dan program) dan mengkreditkannya ke acara.",
            "en": "Businesses interested at an event but not registered; overdue ones first. Change the status, date or note and save. "
            "The status 'registered' records the registration (fill in workers registered and programmes) and credits it to the event.",
        },
        "fu.overdue_help": {"id": "⚠ = lewat jatuh tempo", "en": "⚠ = past its due date"},
        "fu.col.event": {"id": "Acara", "en": "Event"},
        "fu.col.status": {"id": "Status", "en": "Status"},
        "fu.col.due": {"id": "Jatuh tempo", "en": "Due"},
        "fu.status_help": {
            "id": "perlu dihubungi → sudah dihubungi → berjanji mendaftar → sudah mendaftar, atau menolak",
            "en": "to contact → contacted → promised to register → registered, or declined",
        },
        "fu.workers_help": {"id": "Hanya untuk status 'sudah mendaftar'.", "en": "Only for the status 'registered'."},
        "fu.save": {"id": "Simpan tindak lanjut", "en": "Save follow-up"},
        "fu.saved": {"id": "{n} tindak lanjut disimpan.", "en": "{n} follow-ups saved."},
        "fu.status.to_contact": {"id": "perlu dihubungi", "en": "to contact"},
        "fu.status.contacted": {"id": "sudah dihubungi", "en": "contacted"},
        "fu.status.promised": {"id": "berjanji mendaftar", "en": "promised to register"},
        "fu.status.registered": {"id": "sudah mendaftar", "en": "registered"},
        "fu.status.declined": {"id": "menolak", "en": "declined"},
    }
)
# Import limits: hostile or implausible files (size, zip, sheet shape, digits, future
# dates, extra columns) and the import page's note on them.
STRINGS.update(
    {
        "imp.file_too_large": {"id": "berkas terlalu besar ({size}, maksimum {max})", "en": "the file is too large ({size}, at most {max})"},
        "fix.file_too_large": {
            "id": "pecah berkas menjadi beberapa bagian yang masing-masing di bawah {max}, lalu impor satu per satu",
            "en": "split the file into parts of less than {max} each and import them one by one",
        },
        "imp.too_many_columns": {"id": "terlalu banyak kolom ({n}, maksimum {max})", "en": "too many columns ({n}, at most {max})"},
        "fix.too_many_columns": {
            "id": "hapus kolom yang tidak diperlukan; periksa juga pemisahnya (, atau ;)",
            "en": "delete the columns that are not needed; also check the separator (, or ;)",
        },
        "imp.zip_members": {
            "id": "berkas (XLSX atau zip) berisi terlalu banyak bagian ({n}, maksimum {max}); ini bukan buku kerja atau ekspor biasa",
            "en": "the file (XLSX or zip) holds too many parts ({n}, at most {max}); this is not an ordinary workbook or export",
        },
        "fix.zip_members": {
            "id": "buka buku kerja di Excel atau LibreOffice dan simpan ulang sebagai XLSX (atau CSV UTF-8); unduh ulang ekspor ODK tanpa lampiran media",
            "en": "open a workbook in Excel or LibreOffice and save it again as XLSX (or CSV UTF-8); download an ODK export again without media attachments",
        },
        "imp.zip_too_large": {
            "id": "XLSX akan mengembang menjadi {size} saat dibuka (maksimum {max})",
            "en": "the XLSX would unpack to {size} (at most {max})",
        },
        "fix.zip_too_large": {
            "id": "pecah data menjadi beberapa berkas, atau ekspor lembarnya sebagai CSV UTF-8",
            "en": "split the data into several files, or export the sheet as CSV UTF-8",
        },
        "imp.zip_ratio": {
            "id": "bagian {member} di XLSX dipadatkan {ratio}:1, tidak wajar untuk lembar kerja (maksimum {max}:1)",
            "en": "part {member} of the XLSX is compressed {ratio}:1, implausible for a worksheet (at most {max}:1)",
        },
        "fix.zip_ratio": {
            "id": "buka berkas di Excel atau LibreOffice dan simpan ulang sebagai XLSX, atau ekspor lembarnya sebagai CSV UTF-8",
            "en": "open the file in Excel or LibreOffice and save it again as XLSX, or export the sheet as CSV UTF-8",
        },
        "imp.xlsx_row_order": {
            "id": "XLSX rusak: baris {number} tersimpan setelah baris {previous}",
            "en": "damaged XLSX: row {number} is stored after row {previous}",
        },
        "fix.xlsx_row_order": {
            "id": "buka berkas di Excel atau LibreOffice dan simpan ulang sebagai XLSX",
            "en": "open the file in Excel or LibreOffice and save it again as XLSX",
        },
        "imp.xlsx_far_column": {
            "id": "sel berisi nilai di kolom ke-{n}, di luar batas {max} kolom",
            "en": "a cell holds a value in column {n}, beyond the limit of {max} columns",
        },
        "fix.xlsx_far_column": {
            "id": "hapus isi sel di kanan tabel (pilih kolom-kolom kosong di kanan data, Hapus), lalu simpan ulang",
            "en": "clear the cells to the right of the table (select the empty columns right of the data, Delete), then save again",
        },
        "imp.xlsx_far_row": {
            "id": "sel berisi nilai di baris ke-{n}, di luar batas {max} baris",
            "en": "a cell holds a value in row {n}, beyond the limit of {max} rows",
        },
        "fix.xlsx_far_row": {
            "id": "hapus isi sel di bawah tabel, atau pecah berkas menjadi beberapa bagian",
            "en": "clear the cells below the table, or split the file into parts",
        },
        "imp.wide_digits": {
            "id": "memuat angka selain 0–9 (mis. angka lebar penuh ２ dari papan ketik Jepang/Cina)",
            "en": "holds digits other than 0–9 (e.g. fullwidth ２ from a Japanese/Chinese keyboard)",
        },
        "fix.wide_digits": {
            "id": "ketik ulang nilainya dengan angka biasa 0–9",
            "en": "type the value again with ordinary digits 0–9",
        },
        "imp.future_year": {"id": "tahun di masa depan (setelah {year})", "en": "a year in the future (after {year})"},
        "fix.future_year": {
            "id": "tulis tahun berdiri yang sudah lewat, paling besar {year}; periksa tahunnya",
            "en": "write the year the business was founded, at most {year}; check the year",
        },
        "imp.future_as_of": {"id": "tanggal di masa depan (setelah {today})", "en": "the date is in the future (after {today})"},
        "fix.future_as_of": {
            "id": "as_of adalah tanggal data potensi itu diambil, paling lambat hari ini; periksa tahunnya",
            "en": "as_of is the date the potential figures were taken, today at the latest; check the year",
        },
        "imp.column_name_long": {
            "id": "nama kolom tambahan terlalu panjang ({length} karakter, maksimum {max})",
            "en": "the extra column's name is too long ({length} characters, at most {max})",
        },
        "fix.column_name_long": {
            "id": "persingkat nama kolom di baris judul menjadi paling banyak {max} karakter, atau hapus kolomnya",
            "en": "shorten the column's name in the header to at most {max} characters, or delete the column",
        },
        "imp.column_name_control": {
            "id": "nama kolom memuat karakter kendali atau tak terlihat",
            "en": "the column's name holds control or invisible characters",
        },
        "fix.column_name_control": {
            "id": "ketik ulang nama kolom di baris judul dengan huruf, angka dan spasi saja",
            "en": "type the column's name in the header again with letters, digits and spaces only",
        },
        "imp.too_many_extras": {
            "id": "terlalu banyak kolom tambahan ({n}, maksimum {max})",
            "en": "too many extra columns ({n}, at most {max})",
        },
        "fix.too_many_extras": {
            "id": "simpan hanya kolom tambahan yang diperlukan (disimpan sebagai atribut); hapus yang lain",
            "en": "keep only the extra columns that are needed (they are stored as attributes); delete the others",
        },
        "imp.attribute_long": {
            "id": "nilai kolom tambahan terlalu panjang ({length} karakter, maksimum {max})",
            "en": "the extra column's value is too long ({length} characters, at most {max})",
        },
        "fix.attribute_long": {
            "id": "persingkat nilainya menjadi paling banyak {max} karakter; teks panjang (catatan, dokumen) tidak disimpan di sini",
            "en": "shorten the value to at most {max} characters; long text (notes, documents) is not kept here",
        },
        "impor.limits": {
            "id": "Batas: berkas unggahan paling besar {upload} MB; paling banyak {rows} baris dan {columns} kolom; "
            "paling banyak {extras} kolom tambahan, nilainya paling panjang {chars} karakter; tanggal dan tahun tidak boleh di masa depan. "
            "Berkas yang lebih besar (sampai {file_max}) diimpor lewat baris perintah: `python -m planner import JENIS BERKAS`.",
            "en": "Limits: an upload of at most {upload} MB; at most {rows} rows and {columns} columns; "
            "at most {extras} extra columns, with values of at most {chars} characters; dates and years cannot be in the future. "
            "Larger files (up to {file_max}) are imported from the command line: `python -m planner import KIND FILE`.",
        },
    }
)

# Enrolment model files: checked against the hashes recorded when Jangkau trained them.
STRINGS.update(
    {
        "model.retrain": {
            "id": "Latih ulang model: python -m planner train, atau tombol «Latih ulang dan nilai ulang» di halaman Sasaran.",
            "en": "Retrain the model: python -m planner train, or the «Retrain and rescore» button on the Targets page.",
        },
        "model.no_hashes": {
            "id": "Versi model {version} dilatih sebelum Jangkau mencatat sidik SHA-256 berkas model, jadi berkasnya tidak dapat diperiksa dan tidak dimuat.",
            "en": "Model version {version} was trained before Jangkau recorded the SHA-256 of model files, so its files cannot be checked and are not loaded.",
        },
        "model.file_unrecorded": {
            "id": "Berkas {file} tidak tercatat sebagai berkas yang ditulis Jangkau untuk versi {version}; berkas ditolak.",
            "en": "File {file} is not recorded as written by Jangkau for version {version}; the file is refused.",
        },
        "model.file_missing": {
            "id": "Berkas model {file} tidak ada.",
            "en": "Model file {file} does not exist.",
        },
        "model.file_changed": {
            "id": "Berkas model {file} tidak cocok dengan yang ditulis Jangkau saat pelatihan: SHA-256 tercatat {expected}…, ditemukan {found}…; berkas diubah atau diganti dan ditolak.",
            "en": "Model file {file} does not match the one Jangkau wrote when training: recorded SHA-256 {expected}…, found {found}…; the file was changed or replaced and is refused.",
        },
        "model.not_a_model": {
            "id": "Berkas {file} bukan model yang ditulis Jangkau ({error}).",
            "en": "File {file} is not a model written by Jangkau ({error}).",
        },
        "model.foreign_types": {
            "id": "Berkas {file} memuat tipe yang tidak ditulis Jangkau: {types}; berkas ditolak tanpa dimuat.",
            "en": "File {file} holds types Jangkau does not write: {types}; the file is refused without loading it.",
        },
        "model.unreadable": {
            "id": "Berkas {file} tidak dapat dibaca sebagai model ({error}).",
            "en": "File {file} cannot be read as a model ({error}).",
        },
        "model.absent_columns": {
            "id": "Model {version} memakai kolom {columns}, tetapi tidak ada usaha terbuka yang memilikinya; kolom itu dinilai sebagai kosong. Impor usaha dengan kolom itu, atau latih ulang model agar tidak memakainya.",
            "en": "Model {version} uses the column(s) {columns}, but no open business has them; they were scored as missing. Import businesses with those columns, or retrain the model so that it does not use them.",
        },
    }
)


# --- leadership: projection
STRINGS.update(
    {
        "plan.control_share": {
            "id": "Kelompok kontrol {value} di luar 0–{max}; tulis mis. 0,1 untuk 10%.",
            "en": "Control group {value} is outside 0–{max}; write e.g. 0.1 for 10%.",
        },
        "proj.need_invitations": {"id": "--events butuh --invitations (berkas undangan dari schedule).", "en": "--events needs --invitations (the invitations file from schedule)."},
        "proj.events_file": {"id": "{file} bukan berkas acara dari schedule (kolom event_id tidak ada atau kosong).", "en": "{file} is not an events file from schedule (no event_id column, or empty)."},
        "proj.events_unknown": {
            "id": "Acara di {file} bukan acara satu rencana yang tersimpan; tulis ulang dengan schedule atau pakai --plan.",
            "en": "The events in {file} are not the events of one stored plan; write it again with schedule or use --plan.",
        },
        "proj.invitations_differ": {
            "id": "{file} tidak sama dengan undangan rencana {plan} ({missing} kurang, {extra} lebih); rencana berubah sejak berkas ditulis — tulis ulang dengan schedule atau pakai --plan.",
            "en": "{file} differs from plan {plan}'s invitations ({missing} missing, {extra} extra); the plan changed since the file was written — write it again with schedule or use --plan.",
        },
        "proj.cli_headline": {
            "id": "Rencana {plan}: {events} acara, biaya Rp {cost}. Perkiraan pekerja baru terdaftar {workers} (80%: {p10}–{p90}; 95%: {p2_5}–{p97_5}); "
            "tambahan karena undangan {additional}; usaha mendaftar {businesses}.",
            "en": "Plan {plan}: {events} events, cost Rp {cost}. Expected newly enrolled workers {workers} (80%: {p10}–{p90}; 95%: {p2_5}–{p97_5}); "
            "additional because of the invitations {additional}; businesses enrolling {businesses}.",
        },
        "proj.cli_month": {"id": "bulan", "en": "month"},
        "proj.cli_expected": {"id": "perkiraan", "en": "expected"},
        "proj.cli_no_reports": {"id": "Rencana {plan} belum punya laporan acara yang diadakan.", "en": "Plan {plan} has no reports of events held yet."},
        "proj.cli_actual": {
            "id": "Rencana {plan}: {held} acara diadakan; {registered} undangan mendaftar, diperkirakan {expected} (80%: {p10}–{p90}; 95%: {p2_5}–{p97_5}); "
            "ditambah {walk_ins} yang datang tanpa undangan.",
            "en": "Plan {plan}: {held} events held; {registered} invitees registered, expected {expected} (80%: {p10}–{p90}; 95%: {p2_5}–{p97_5}); "
            "plus {walk_ins} walk-ins.",
        },
        "proj.cli_by_month": {"id": "per bulan (daftar, perkiraan, rentang 95%):", "en": "by month (registered, expected, 95% range):"},
        "proj.cli_by_province": {"id": "per provinsi:", "en": "by province:"},
        "proj.cli_by_partner_type": {"id": "per jenis mitra:", "en": "by partner type:"},
        "proj.flag_below": {"id": "di bawah rentang", "en": "below the range"},
        "proj.flag_above": {"id": "di atas rentang", "en": "above the range"},
        "proj.no_plan": {"id": "Rencana {plan} tidak ada; lihat daftar rencana di halaman Jadwal.", "en": "Plan {plan} does not exist; see the plans on the Schedule page."},
    }
)


# --- field work: offline reports (planner/reporting/forms.py): report template, XLSForm,
# submissions exports, attendance sheet; frm.<problem> with its ffix.<problem>
STRINGS.update(
    {
        "frm.column_twice": {"id": "kolom {column} ada dua kali", "en": "column {column} appears twice"},
        "ffix.column_twice": {"id": "hapus salah satu kolom {column}", "en": "delete one of the {column} columns"},
        "frm.column_missing": {"id": "kolom {column} tidak ada", "en": "column {column} is missing"},
        "ffix.column_missing": {"id": "tambahkan kolom {column} (atau unduh templat laporan lagi)", "en": "add column {column} (or download the report template again)"},
        "frm.not_report_file": {"id": "berkas ini bukan templat laporan maupun ekspor kiriman formulir (tidak ada kolom yang dikenal)", "en": "this file is neither a report template nor a form submissions export (no known column)"},
        "ffix.not_report_file": {"id": "unggah templat laporan yang diisi (kolom {columns}) atau ekspor CSV/XLSX dari ODK Central/KoboToolbox", "en": "upload a filled report template (columns {columns}) or the CSV/XLSX export from ODK Central/KoboToolbox"},
        "frm.too_many_rows": {"id": "berkas berisi {n} baris, lebih dari batas {max}", "en": "the file has {n} rows, more than the limit of {max}"},
        "ffix.too_many_rows": {"id": "bagi laporan menjadi beberapa berkas", "en": "split the reports into several files"},
        "frm.event_missing": {"id": "kode acara kosong padahal baris ini berisi data", "en": "the event id is empty although the row holds data"},
        "ffix.event_missing": {"id": "isi event_id seperti di Agenda, mis. E3-0012, atau kosongkan barisnya", "en": "fill in event_id as on the Agenda, e.g. E3-0012, or clear the row"},
        "frm.disagree": {
            "id": "{column} acara {event} berbeda dengan baris {first}: '{a}' lawan '{b}'",
            "en": "{column} of event {event} differs from row {first}: '{a}' versus '{b}'",
        },
        "ffix.disagree": {"id": "tulis nilai yang sama di setiap baris acara itu, atau hanya di baris pertamanya", "en": "write the same value on every row of that event, or only on its first row"},
        "frm.present": {"id": "{column} harus 1 (hadir) atau 0/kosong (tidak hadir)", "en": "{column} must be 1 (came) or 0/empty (did not come)"},
        "ffix.present": {"id": "tulis 1 bila usaha itu hadir", "en": "write 1 if the business came"},
        "frm.present_zero_with_data": {"id": "{column} berisi 0 padahal baris ini berisi data usaha hadir atau pendaftaran", "en": "{column} is 0 although the row holds a walk-in's details or a registration"},
        "ffix.present_zero_with_data": {"id": "tulis 1 bila usaha itu hadir, atau kosongkan data lain di baris ini", "en": "write 1 if the business came, or clear the row's other cells"},
        "frm.row_without_business": {"id": "usaha hadir tanpa {column} dan tanpa data usaha baru", "en": "a business present without {column} and without a new business's details"},
        "ffix.row_without_business": {"id": "isi business_id, atau untuk usaha baru: name, regency_code, sector, size_class dan workers", "en": "fill in business_id, or for a new business: name, regency_code, sector, size_class and workers"},
        "frm.nothing_reported": {"id": "berkas tidak berisi laporan: tidak ada acara dengan status, tanggal atau usaha hadir", "en": "the file holds no report: no event with a status, date or business present"},
        "ffix.nothing_reported": {"id": "isi status (held/cancelled) dan kolom lain untuk acara yang dilaporkan", "en": "fill in status (held/cancelled) and the other columns for the events you report"},
        "frm.zip_member": {"id": "berkas {file} di dalam zip rusak ({detail})", "en": "the file {file} inside the zip is damaged ({detail})"},
        "ffix.zip_member": {"id": "unduh ekspor lagi dari ODK Central/KoboToolbox", "en": "download the export again from ODK Central/KoboToolbox"},
        "frm.zip_no_csv": {"id": "berkas zip tidak berisi CSV", "en": "the zip holds no CSV file"},
        "ffix.zip_no_csv": {"id": "unggah ekspor CSV (zip) dari ODK Central, atau CSV/XLSX dari KoboToolbox", "en": "upload the CSV export (zip) from ODK Central, or the CSV/XLSX from KoboToolbox"},
        "frm.export_no_main": {"id": "tidak ditemukan tabel kiriman dengan kolom event_id", "en": "no table of submissions with an event_id column was found"},
        "ffix.export_no_main": {"id": "ekspor kiriman formulir Jangkau dengan nilai dan judul XML (bukan label), atau unggah templat laporan", "en": "export the Jangkau form's submissions with XML values and headers (not labels), or upload a report template"},
        "frm.export_no_instance": {"id": "ekspor tidak punya kolom kode kiriman (meta/instanceID, _uuid atau KEY)", "en": "the export has no submission id column (meta/instanceID, _uuid or KEY)"},
        "ffix.export_no_instance": {"id": "ekspor lagi dengan semua kolom metadata", "en": "export again with all metadata columns"},
        "frm.submission_no_id": {"id": "kiriman tanpa kode (instanceID)", "en": "a submission without an id (instanceID)"},
        "ffix.submission_no_id": {"id": "ekspor lagi dengan kolom metadata; jangan ubah ekspornya", "en": "export again with the metadata columns; do not edit the export"},
        "frm.submission_time": {"id": "waktu kiriman tidak terbaca", "en": "the submission time cannot be read"},
        "ffix.submission_time": {"id": "jangan ubah kolom waktu kiriman; ekspor lagi", "en": "do not edit the submission time column; export again"},
        "frm.repeat_orphan": {"id": "baris {table} tidak punya kiriman induk di tabel utama", "en": "a row of {table} has no parent submission in the main table"},
        "ffix.repeat_orphan": {"id": "unggah tabel utama dan tabel ulangan dari ekspor yang sama (satu zip)", "en": "upload the main and repeat tables of the same export (one zip)"},
        "frm.no_events": {"id": "Tidak ada acara yang dipilih; pilih satu atau lebih acara dari Agenda.", "en": "No event chosen; choose one or more events on the Agenda."},
        "frm.events_refused": {"id": "{n} acara tidak dapat dilaporkan oleh Anda:", "en": "{n} events cannot be reported by you:"},
        "frm.plan_or_staff": {"id": "Sebutkan satu rencana atau satu staf (tidak keduanya).", "en": "Name one plan or one staff member (not both)."},
        "frm.plan_unknown": {"id": "Rencana {plan} tidak ada; lihat daftar rencana di halaman Jadwal.", "en": "Plan {plan} does not exist; see the plans on the Schedule page."},
        "frm.plan_draft": {"id": "Rencana {plan} belum diterbitkan; formulir hanya untuk rencana terbit. Minta manajer menerbitkannya.", "en": "Plan {plan} is not published; forms are for published plans only. Ask a manager to publish it."},
        "frm.staff_unknown": {"id": "Staf {staff} tidak ada; lihat daftar di Mitra & staf.", "en": "Staff member {staff} does not exist; see the list on Partners & staff."},
        "frm.no_events_for": {"id": "Tidak ada acara rencana terbit yang bisa Anda laporkan untuk {what}.", "en": "No event of a published plan that you may report for {what}."},
        "frm.format": {"id": "Format templat '{fmt}' tidak dikenal; pilih xlsx atau csv.", "en": "Unknown template format '{fmt}'; choose xlsx or csv."},
        "frm.weekdays": {"id": "Senin,Selasa,Rabu,Kamis,Jumat,Sabtu,Minggu", "en": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday"},
        "frm.months": {
            "id": "Januari,Februari,Maret,April,Mei,Juni,Juli,Agustus,September,Oktober,November,Desember",
            "en": "January,February,March,April,May,June,July,August,September,October,November,December",
        },
        "frm.sheet.report": {"id": "laporan", "en": "report"},
        "frm.sheet.help": {"id": "petunjuk", "en": "instructions"},
        "frm.sheet.lists": {"id": "daftar pilihan", "en": "choices"},
        "frm.meaning": {"id": "arti", "en": "meaning"},
        "frm.status.held": {"id": "diadakan", "en": "held"},
        "frm.status.cancelled": {"id": "batal", "en": "cancelled"},
        "frm.yes": {"id": "ya", "en": "yes"},
        "frm.no": {"id": "tidak", "en": "no"},
        "frm.size.mikro": {"id": "usaha mikro", "en": "micro business"},
        "frm.size.kecil": {"id": "usaha kecil", "en": "small business"},
        "frm.size.menengah": {"id": "usaha menengah", "en": "medium business"},
        "frm.programme.JKK": {"id": "JKK – Jaminan Kecelakaan Kerja", "en": "JKK – work accident insurance"},
        "frm.programme.JKM": {"id": "JKM – Jaminan Kematian", "en": "JKM – death benefit"},
        "frm.programme.JHT": {"id": "JHT – Jaminan Hari Tua", "en": "JHT – old-age savings"},
        "frm.programme.JP": {"id": "JP – Jaminan Pensiun", "en": "JP – pension"},
        "frm.dv_title": {"id": "Nilai tidak sah", "en": "Invalid value"},
        "frm.dv_list": {"id": "Pilih nilai {column} dari daftar.", "en": "Choose a value of {column} from the list."},
        "frm.dv_whole": {"id": "{column} harus bilangan bulat {low} atau lebih.", "en": "{column} must be a whole number, {low} or more."},
        "frm.help.title": {"id": "Cara mengisi laporan acara", "en": "How to fill in the event report"},
        "frm.help.rows": {
            "id": "Satu baris = satu usaha yang hadir. Baris undangan sudah terisi (event_id, business_id, name); tulis 1 di kolom present bila usaha itu hadir, biarkan kosong bila tidak.",
            "en": "One row = one business present. The invitees' rows are filled in (event_id, business_id, name); write 1 in the present column if the business came, leave it empty if not.",
        },
        "frm.help.present": {
            "id": "Isi status, held_on (YYYY-MM-DD) dan attendance (jumlah orang hadir) cukup di baris pertama acara (atau di setiap baris dengan nilai yang sama).",
            "en": "Fill in status, held_on (YYYY-MM-DD) and attendance (people who came) on the event's first row only (or on every row, with the same value).",
        },
        "frm.help.walk_in": {
            "id": "Usaha yang datang tanpa undangan: pakai baris kosong di akhir acara (event_id sudah terisi); isi business_id bila usaha itu sudah ada di Jangkau, atau name, regency_code, sector, size_class, workers (dan phone) untuk usaha baru.",
            "en": "A business that came uninvited: use an empty row at the end of the event (event_id is filled in); fill in business_id if the business is already in Jangkau, or name, regency_code, sector, size_class, workers (and phone) for a new business.",
        },
        "frm.help.cancelled": {
            "id": "Acara batal: tulis status cancelled, pilih cancel_reason dari daftar dan jelaskan singkat di cancel_note; biarkan kolom present kosong.",
            "en": "A cancelled event: write status cancelled, choose cancel_reason from the list and explain briefly in cancel_note; leave present empty.",
        },
        "frm.help.twice": {
            "id": "Mengunggah berkas yang sama lagi memperbarui laporan, tidak menggandakannya. Acara yang tidak diisi sama sekali tidak dilaporkan.",
            "en": "Uploading the same file again updates the reports, it never duplicates them. Events left entirely empty are not reported.",
        },
        "frm.help.upload": {
            "id": "Unggah berkas ini di halaman Laporan (atau: python -m planner import reports BERKAS). Seluruh berkas diperiksa dulu; bila ada kesalahan, tidak ada yang disimpan dan setiap kesalahan disebut baris dan kolomnya.",
            "en": "Upload this file on the Report page (or: python -m planner import reports FILE). The whole file is checked first; if anything is wrong nothing is saved and every problem is named by row and column.",
        },
        "frm.help.columns": {"id": "Kolom", "en": "Columns"},
        "frm.help.programmes": {"id": "Program wajib (Perpres 109/2013)", "en": "Mandatory programmes (Perpres 109/2013)"},
        "frm.help.programme_rule": {"id": "{who} yang mendaftar: paling sedikit {need}", "en": "{who} registering: at least {need}"},
        "frm.help.programme_bpu": {
            "id": "pekerja mandiri (usaha 1 orang, BPU): paling sedikit {need}, boleh JHT, tidak bisa {no}",
            "en": "a self-employed worker (one-person business, BPU): at least {need}, may add JHT, cannot join {no}",
        },
        "frm.col.event_id": {"id": "kode acara (jangan diubah)", "en": "the event's id (do not change)"},
        "frm.col.status": {"id": "held (diadakan) atau cancelled (batal)", "en": "held or cancelled"},
        "frm.col.held_on": {"id": "tanggal acara diadakan, YYYY-MM-DD (paling lambat hari ini)", "en": "the date the event was held, YYYY-MM-DD (today at the latest)"},
        "frm.col.attendance": {"id": "jumlah orang yang hadir (termasuk yang tidak tercatat per usaha)", "en": "how many people came (including those not recorded by business)"},
        "frm.col.cancel_reason": {"id": "alasan batal: weather, partner, staff, turnout, venue, disaster, other", "en": "why it was cancelled: weather, partner, staff, turnout, venue, disaster, other"},
        "frm.col.cancel_note": {"id": "keterangan singkat bila batal", "en": "a short explanation when cancelled"},
        "frm.col.note": {"id": "catatan tentang acara", "en": "a note on the event"},
        "frm.col.business_id": {"id": "kode usaha (undangan sudah terisi; kosongkan untuk usaha baru)", "en": "the business's id (filled in for invitees; empty for a new business)"},
        "frm.col.name": {"id": "nama usaha (wajib untuk usaha baru)", "en": "the business's name (required for a new business)"},
        "frm.col.present": {"id": "1 bila usaha itu hadir", "en": "1 if the business came"},
        "frm.col.registered": {"id": "1 bila mendaftar BPJS Ketenagakerjaan di acara, 0 bila tidak", "en": "1 if it registered with BPJS Ketenagakerjaan at the event, 0 if not"},
        "frm.col.workers_registered": {"id": "jumlah pekerja yang didaftarkan (bila registered 1)", "en": "workers registered (when registered is 1)"},
        "frm.col.programmes": {"id": "program yang didaftarkan, dipisah titik koma, mis. JKK;JKM (lihat aturan di bawah)", "en": "programmes registered, separated by semicolons, e.g. JKK;JKM (see the rule below)"},
        "frm.col.follow_up": {"id": "1 bila belum mendaftar tetapi perlu dihubungi lagi", "en": "1 if it did not register but should be contacted again"},
        "frm.col.row_note": {"id": "catatan tentang usaha ini", "en": "a note on this business"},
        "frm.col.regency_code": {"id": "usaha baru: kode kabupaten/kota Kemendagri, mis. 16.71", "en": "new business: Kemendagri regency code, e.g. 16.71"},
        "frm.col.sector": {"id": "usaha baru: huruf kategori KBLI A–U, mis. G", "en": "new business: KBLI category letter A–U, e.g. G"},
        "frm.col.size_class": {"id": "usaha baru: mikro, kecil atau menengah", "en": "new business: mikro, kecil or menengah"},
        "frm.col.workers": {"id": "jumlah pekerja termasuk pemilik (usaha baru wajib; usaha undangan: isi bila berubah)", "en": "workers including the owner (required for a new business; for an invitee: fill in if it changed)"},
        "frm.col.phone": {"id": "usaha baru: nomor telepon, mis. 081234567890", "en": "new business: phone number, e.g. 081234567890"},
        "frm.x.title_plan": {"id": "Laporan acara – {plan}", "en": "Event report – {plan}"},
        "frm.x.title_staff": {"id": "Laporan acara – {staff}", "en": "Event report – {staff}"},
        "frm.x.event": {"id": "Acara", "en": "Event"},
        "frm.x.event_hint": {"id": "Tanggal, jam, mitra, kabupaten/kota", "en": "Date, time, partner, regency"},
        "frm.x.status": {"id": "Apakah acara diadakan?", "en": "Was the event held?"},
        "frm.x.held_on": {"id": "Tanggal diadakan", "en": "Date held"},
        "frm.x.held_on_hint": {"id": "Paling lambat hari ini", "en": "Today at the latest"},
        "frm.x.held_on_future": {"id": "Tanggal tidak boleh setelah hari ini", "en": "The date cannot be after today"},
        "frm.x.attendance": {"id": "Jumlah orang hadir", "en": "People who came"},
        "frm.x.attendance_hint": {"id": "Semua orang yang hadir, juga yang tidak tercatat per usaha", "en": "Everyone who came, also those not recorded by business"},
        "frm.x.not_negative": {"id": "Tidak boleh negatif", "en": "Cannot be negative"},
        "frm.x.cancel_reason": {"id": "Alasan batal", "en": "Why was it cancelled?"},
        "frm.x.cancel_note": {"id": "Keterangan", "en": "Explanation"},
        "frm.x.present": {"id": "Undangan yang hadir", "en": "Invitees who came"},
        "frm.x.present_hint": {"id": "Centang setiap usaha undangan yang hadir", "en": "Tick every invited business that came"},
        "frm.x.invitee": {"id": "Usaha undangan yang hadir", "en": "Invited business present"},
        "frm.x.business_note": {"id": "Usaha: ${business_label}", "en": "Business: ${business_label}"},
        "frm.x.registered": {"id": "Mendaftar BPJS Ketenagakerjaan?", "en": "Registered with BPJS Ketenagakerjaan?"},
        "frm.x.workers_registered": {"id": "Jumlah pekerja yang didaftarkan", "en": "Workers registered"},
        "frm.x.at_least_one": {"id": "Paling sedikit 1", "en": "At least 1"},
        "frm.x.workers_registered_range": {"id": "Antara 1 dan jumlah pekerja usaha", "en": "Between 1 and the business's workers"},
        "frm.x.programmes": {"id": "Program", "en": "Programmes"},
        "frm.x.programmes_hint": {
            "id": "Mikro: JKK+JKM; kecil: +JHT; menengah: +JHT+JP; pekerja mandiri (BPU): JKK+JKM (tanpa JP)",
            "en": "Micro: JKK+JKM; small: +JHT; medium: +JHT+JP; self-employed (BPU): JKK+JKM (no JP)",
        },
        "frm.x.follow_up": {"id": "Perlu dihubungi lagi?", "en": "Contact again?"},
        "frm.x.row_note": {"id": "Catatan tentang usaha ini", "en": "Note on this business"},
        "frm.x.walkin_count": {"id": "Berapa usaha datang tanpa undangan?", "en": "How many businesses came uninvited?"},
        "frm.x.walkin_count_hint": {"id": "0 bila tidak ada", "en": "0 if none"},
        "frm.x.walkin_count_range": {"id": "Antara 0 dan 200", "en": "Between 0 and 200"},
        "frm.x.walkin": {"id": "Usaha tanpa undangan", "en": "Uninvited business"},
        "frm.x.name": {"id": "Nama usaha", "en": "Business name"},
        "frm.x.regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "frm.x.sector": {"id": "Sektor (KBLI)", "en": "Sector (KBLI)"},
        "frm.x.size_class": {"id": "Kelas usaha", "en": "Size class"},
        "frm.x.workers": {"id": "Jumlah pekerja", "en": "Workers"},
        "frm.x.workers_hint": {"id": "Termasuk pemilik", "en": "Including the owner"},
        "frm.x.phone": {"id": "Nomor telepon", "en": "Phone number"},
        "frm.x.phone_format": {"id": "Tulis nomor seperti 081234567890", "en": "Write the number like 081234567890"},
        "frm.x.note": {"id": "Catatan tentang acara", "en": "Note on the event"},
        "frm.x.nobody": {"id": "(tidak ada undangan)", "en": "(no invitees)"},
        "frm.xlsform_invalid": {"id": "XLSForm tidak dapat diubah menjadi XForm oleh pyxform: {detail}", "en": "pyxform cannot convert the XLSForm to an XForm: {detail}"},
        "frm.superseded": {
            "id": "Baris {row}: kiriman {submission} untuk acara {event} tidak dipakai; kiriman lebih baru {by} (baris {by_row}) menggantikannya.",
            "en": "Row {row}: submission {submission} for event {event} was left out; the newer submission {by} (row {by_row}) replaces it.",
        },
        "frm.skipped_rejected": {"id": "Baris {row}: kiriman {submission} ditolak di server dan tidak dipakai.", "en": "Row {row}: submission {submission} was rejected on the server and left out."},
        "frm.result": {
            "id": "{reports} laporan disimpan ({created} baru, {updated} diperbarui): {rows} usaha hadir, {registrations} mendaftar, {new} usaha baru.",
            "en": "{reports} reports saved ({created} new, {updated} updated): {rows} businesses present, {registrations} registered, {new} new businesses.",
        },
        "frm.pdf.org": {"id": "Jangkau · BPJS Ketenagakerjaan", "en": "Jangkau · BPJS Ketenagakerjaan"},
        "frm.pdf.title": {"id": "Daftar hadir sosialisasi", "en": "Attendance sheet"},
        "frm.pdf.when": {"id": "Waktu", "en": "When"},
        "frm.pdf.partner": {"id": "Mitra", "en": "Partner"},
        "frm.pdf.address": {"id": "Alamat", "en": "Address"},
        "frm.pdf.staff": {"id": "Petugas", "en": "Staff"},
        "frm.pdf.no": {"id": "No.", "en": "No."},
        "frm.pdf.business": {"id": "Nama usaha", "en": "Business"},
        "frm.pdf.owner": {"id": "Pemilik", "en": "Owner"},
        "frm.pdf.phone": {"id": "Telepon", "en": "Phone"},
        "frm.pdf.present": {"id": "Hadir", "en": "Came"},
        "frm.pdf.registered": {"id": "Daftar", "en": "Registered"},
        "frm.pdf.signature": {"id": "Tanda tangan", "en": "Signature"},
        "frm.pdf.walk_ins": {"id": "Usaha yang datang tanpa undangan", "en": "Businesses that came uninvited"},
        "frm.pdf.page": {"id": "Halaman {page} dari {n}", "en": "Page {page} of {n}"},
        "frm.pdf.sign": {"id": "Petugas: {staff}            Tanda tangan: ____________________", "en": "Staff: {staff}            Signature: ____________________"},
    }
)

# --- payments and registrations imports; the demo field history
STRINGS.update(
    {
        "kind.payments": {"id": "Pembayaran iuran", "en": "Contribution payments"},
        "kind.registrations": {"id": "Pendaftaran", "en": "Registrations"},
        "imp.not_period": {"id": "bukan bulan YYYY-MM yang sah", "en": "not a valid YYYY-MM month"},
        "fix.not_period": {"id": "tulis bulan sebagai tahun-bulan dengan angka 0–9, mis. 2026-03 (bulan 01–12)",
                           "en": "write the month as year-month with digits 0–9, e.g. 2026-03 (month 01–12)"},
        "imp.future_period": {"id": "bulan di masa depan (setelah {month})", "en": "a month in the future (after {month})"},
        "fix.future_period": {"id": "pembayaran hanya untuk bulan yang sudah berjalan, paling lambat {month}; periksa tahunnya",
                              "en": "payments are for months already begun, {month} at the latest; check the year"},
        "imp.future_registration": {"id": "tanggal pendaftaran di masa depan (setelah {today})", "en": "the registration date is in the future (after {today})"},
        "fix.future_registration": {"id": "catat pendaftaran yang sudah terjadi, paling lambat hari ini; periksa tahunnya",
                                    "en": "record registrations that already happened, today at the latest; check the year"},
        "imp.amount_not_paid": {"id": "amount lebih dari 0 padahal paid = 0", "en": "amount is above 0 while paid = 0"},
        "fix.amount_not_paid": {"id": "isi paid = 1 bila iuran bulan itu dibayar, atau amount = 0", "en": "set paid = 1 if that month's contribution was paid, or amount = 0"},
        "imp.programme_unknown": {"id": "program tidak dikenal: {unknown}", "en": "unknown programme: {unknown}"},
        "fix.programme_unknown": {"id": "tulis program dari {choices}, dipisah titik koma, mis. JKK;JKM",
                                  "en": "write programmes from {choices}, separated by semicolons, e.g. JKK;JKM"},
        "imp.programme_mandatory": {"id": "program belum lengkap untuk {who}: kurang {lacking}", "en": "programmes incomplete for {who}: missing {lacking}"},
        "fix.programme_mandatory": {"id": "daftarkan paling sedikit {need} (Perpres 109/2013)", "en": "register at least {need} (Perpres 109/2013)"},
        "imp.programme_bpu_jp": {"id": "pekerja mandiri (BPU, usaha satu orang) tidak bisa ikut JP", "en": "a self-employed (BPU, one-person business) worker cannot join JP"},
        "fix.programme_bpu_jp": {"id": "hapus JP; BPU ikut JKK, JKM dan boleh JHT", "en": "remove JP; BPU joins JKK, JKM and may add JHT"},
        "imp.workers_registered_max": {"id": "pekerja didaftarkan lebih banyak dari {workers} pekerja usaha ini",
                                       "en": "more workers registered than the business's {workers} workers"},
        "fix.workers_registered_max": {"id": "kurangi jumlahnya, atau perbarui dulu jumlah pekerja usaha itu (impor jenis 'businesses')",
                                       "en": "lower the number, or first update the business's workers (import kind 'businesses')"},
        "imp.unknown_event": {"id": "event_id tidak ada di rencana mana pun", "en": "event_id is not an event of any plan"},
        "fix.unknown_event": {"id": "salin kode acara dari Agenda atau Jadwal (mis. E3-0012), atau kosongkan agar Jangkau mengkreditkan acaranya sendiri",
                              "en": "copy the event id from the Agenda or Schedule (e.g. E3-0012), or leave it empty for Jangkau to credit the event itself"},
        "imp.registered_before_event": {"id": "tanggal pendaftaran sebelum acara {event} ({date})", "en": "registered before event {event} ({date})"},
        "fix.registered_before_event": {"id": "periksa registered_on atau event_id: pendaftaran hanya dikreditkan ke acara pada hari itu atau sebelumnya",
                                        "en": "check registered_on or event_id: a registration is credited only to an event on or before its day"},
        "impor.credited": {"id": "{credited} dari {rows} pendaftaran dikreditkan ke acara yang mendatangkan usahanya; tindak lanjutnya ditutup.",
                           "en": "{credited} of {rows} registrations credited to the event that brought the business in; their leads are closed."},
        "cli.import.done": {"id": "{kind}: {rows} baris ({inserted} baru, {updated} diperbarui, {unchanged} tidak berubah) dalam {secs} detik.",
                            "en": "{kind}: {rows} rows ({inserted} new, {updated} updated, {unchanged} unchanged) in {secs} s."},
        "cli.field.done": {
            "id": "Riwayat lapangan dibuat dalam {secs} detik: rencana {plan} ({events} acara, {past} sudah lewat), {reported} laporan "
                  "({cancelled} batal, {unreported} belum dilaporkan), {registrations} pendaftaran di acara dan {later} sesudahnya, "
                  "{leads} tindak lanjut terbuka, {payments} baris pembayaran.",
            "en": "Field history built in {secs} s: plan {plan} ({events} events, {past} past), {reported} reports "
                  "({cancelled} cancelled, {unreported} not yet reported), {registrations} registrations at events and {later} later, "
                  "{leads} open leads, {payments} payment rows.",
        },
        "cli.field.exists": {"id": "Dunia demo dengan riwayat lapangannya (rencana {plan}) sudah ada; tidak dibuat lagi. Untuk yang baru, pakai --db BERKAS lain.",
                             "en": "The demo world with its field history (plan {plan}) already exists; not built again. For a new one, use another --db FILE."},
        "cli.field.needs_demo": {"id": "--field hanya bersama --demo (riwayat lapangan dibuat di atas dunia demo).",
                                 "en": "--field only with --demo (the field history is built on the demo world)."},
        "cli.status.field": {
            "id": "  riwayat lapangan: rencana {plan}, {reports} laporan, {registrations} pendaftaran susulan, {payments} baris pembayaran",
            "en": "  field history: plan {plan}, {reports} reports, {registrations} later registrations, {payments} payment rows",
        },
        "field.not_demo": {"id": "Riwayat lapangan hanya untuk basis data demo; basis data ini berisi data sungguhan.",
                           "en": "The field history is for a demo database only; this database holds real data."},
        "field.future_today": {"id": "Tanggal acuan {today} setelah hari ini ({now}); riwayat lapangan hanya untuk yang sudah terjadi.",
                               "en": "The reference date {today} is after today ({now}); the field history is only of what already happened."},
        "field.plan_name": {"id": "Sosialisasi demo {start} – {end}", "en": "Demo outreach {start} – {end}"},
        "field.no_events": {"id": "Rencana riwayat lapangan tidak menghasilkan acara ({status}); periksa mitra, staf dan skor usaha.",
                            "en": "The field-history plan produced no events ({status}); check partners, staff and business scores."},
    }
)


# --- the first start's background work
STRINGS.update(
    {
        "app.demo_building": {
            "id": "Menyiapkan dunia demo di latar belakang: {step}. Halaman sudah bisa dipakai; skor, rencana dan laporan muncul setelah selesai.",
            "en": "Preparing the demo world in the background: {step}. The pages work already; scores, a plan and reports appear when it is done.",
        },
        "app.demo_step.train": {"id": "melatih model dan menilai usaha", "en": "training the model and scoring businesses"},
        "app.demo_step.plan": {"id": "menyusun dan menerbitkan rencana", "en": "planning and publishing a plan"},
        "app.demo_step.reports": {"id": "mencatat laporan acara yang sudah lewat", "en": "recording reports of past events"},
        "app.demo_step.registrations": {"id": "mencatat pendaftaran kemudian", "en": "recording later registrations"},
        "app.demo_step.payments": {"id": "mencatat pembayaran iuran", "en": "recording contributions paid"},
        "app.demo_step.done": {"id": "selesai", "en": "done"},
    }
)


# --- leadership: the Proyeksi page and the brief
STRINGS.update(
    {
        "nav.proyeksi": {"id": "Proyeksi", "en": "Projection"},
        "proj.title": {"id": "Proyeksi: berapa pekerja yang akan dibawa rencana ini?", "en": "Projection: how many workers will this plan bring in?"},
        "proj.intro": {
            "id": "Perkiraan dari peluang daftar setiap usaha yang diundang (peluang daftar = kemungkinan usaha itu mendaftar bila diundang), "
            "dengan rentang yang mencakup untung-untungan hasil dan ketidakpastian model sendiri.",
            "en": "Estimated from each invited business's chance to enrol (chance to enrol = how likely the business is to register when invited), "
            "with ranges that include both the luck of the outcomes and the model's own uncertainty.",
        },
        "proj.no_plans": {"id": "Belum ada rencana dengan acara. Susun rencana di halaman Jadwal.", "en": "No plan with events yet. Make one on the Schedule page."},
        "proj.plan": {"id": "Rencana", "en": "Plan"},
        "proj.computing": {"id": "Menghitung proyeksi dan rentangnya…", "en": "Computing the projection and its ranges…"},
        "proj.range": {"id": "80%: {lo}–{hi} · 95%: {lo95}–{hi95}", "en": "80%: {lo}–{hi} · 95%: {lo95}–{hi95}"},
        "proj.m_workers": {"id": "Pekerja baru terdaftar", "en": "Newly enrolled workers"},
        "proj.m_workers_help": {
            "id": "Perkiraan jumlah pekerja dari usaha yang diundang yang akan terdaftar. Rentang 80%: 8 dari 10 kemungkinan hasil ada di dalamnya; 95%: 19 dari 20.",
            "en": "Expected workers of the invited businesses who will be enrolled. The 80% range holds 8 of 10 possible outcomes; the 95% range 19 of 20.",
        },
        "proj.m_additional": {"id": "Tambahan karena undangan", "en": "Added by the invitations"},
        "proj.m_additional_help": {
            "id": "Bagian yang disebabkan rencana: pekerja yang terdaftar karena diundang, di luar yang akan mendaftar juga tanpa undangan (uplift).",
            "en": "The part the plan causes: workers enrolled because they were invited, beyond those who would have enrolled anyway (uplift).",
        },
        "proj.no_uplift": {
            "id": "Model uplift belum ada (riwayat tanpa kelompok yang tidak diundang), jadi bagian yang disebabkan rencana belum bisa diperkirakan.",
            "en": "No uplift model yet (a history without a group left uninvited), so the part the plan causes cannot be estimated.",
        },
        "proj.m_cost_worker": {"id": "Biaya per pekerja", "en": "Cost per worker"},
        "proj.m_cost_help": {"id": "Biaya rencana {cost} dibagi pekerja baru terdaftar yang diperkirakan.", "en": "The plan's cost {cost} divided by the expected newly enrolled workers."},
        "proj.cost_range": {"id": "80%: {lo}–{hi} · per pekerja tambahan {add}", "en": "80%: {lo}–{hi} · per added worker {add}"},
        "proj.m_contrib": {"id": "Iuran per bulan", "en": "Contributions a month"},
        "proj.m_contrib_help": {
            "id": "Iuran bulanan pekerja yang terdaftar: BPU JKK 1% dari penghasilan Rp 1.000.000 ditambah JKM Rp 6.800; PU tarif program dari upah minimum provinsi 2025.",
            "en": "Monthly contributions of the enrolled workers: BPU JKK 1% of an income of Rp 1.000.000 plus JKM Rp 6.800; PU programme rates of the 2025 provincial minimum wage.",
        },
        "proj.contrib_range": {"id": "80%: {lo}–{hi}", "en": "80%: {lo}–{hi}"},
        "proj.sentence": {
            "id": "{events} acara mengundang {invitations} usaha; {businesses} usaha diperkirakan mendaftar (80%: {blo}–{bhi}). "
            "Rentang dari {sims} simulasi atas {members} versi model yang sama-sama masuk akal.",
            "en": "{events} events invite {invitations} businesses; {businesses} are expected to enrol (80%: {blo}–{bhi}). "
            "Ranges from {sims} simulations over {members} equally plausible versions of the model.",
        },
        "proj.calibrated": {
            "id": "Peluang daftar usaha {classes} dikoreksi: pada riwayat, perkiraannya berbeda dari yang terjadi lebih dari kebetulan.",
            "en": "The chance to enrol of {classes} businesses was corrected: in the history its estimate differed from what happened by more than chance.",
        },
        "proj.by_month": {"id": "Per bulan", "en": "By month"},
        "proj.month": {"id": "Bulan", "en": "Month"},
        "proj.expected": {"id": "Perkiraan", "en": "Expected"},
        "proj.chart_help": {
            "id": "Batang: perkiraan. Garis tebal: rentang 80%. Garis tipis: rentang 95%.",
            "en": "Bars: expected. Thick line: 80% range. Thin line: 95% range.",
        },
        "proj.meaning": {"id": "Apa artinya", "en": "What it means"},
        "proj.cov_BPU": {"id": "Cakupan BPU nasional setelah rencana", "en": "National BPU coverage after the plan"},
        "proj.cov_PU": {"id": "Cakupan PU nasional setelah rencana", "en": "National PU coverage after the plan"},
        "proj.cov_help": {"id": "Sekarang {now}; rentang 95% setelah rencana {lo}–{hi}.", "en": "Now {now}; 95% range after the plan {lo}–{hi}."},
        "proj.target": {"id": "Target cakupan BPU nasional (%)", "en": "National BPU coverage target (%)"},
        "proj.target_help": {"id": "Pilih target untuk melihat seberapa jauh rencana ini membawa ke sana (tidak disimpan).", "en": "Choose a target to see how far this plan takes you (not saved)."},
        "proj.target_line": {
            "id": "Untuk mencapai cakupan BPU {target}% (sekarang {now}) perlu {needed} pekerja BPU lagi; rencana ini diperkirakan membawa {plan}, yaitu {share} dari kebutuhan itu.",
            "en": "Reaching {target}% BPU coverage (now {now}) needs {needed} more BPU workers; this plan is expected to bring {plan}, {share} of that.",
        },
        "proj.col_now": {"id": "Cakupan sekarang", "en": "Coverage now"},
        "proj.col_after": {"id": "Setelah rencana", "en": "After the plan"},
        "proj.col_change": {"id": "Perubahan", "en": "Change"},
        "proj.col_workers": {"id": "Pekerja (perkiraan)", "en": "Workers (expected)"},
        "proj.col_range80": {"id": "Rentang 80%", "en": "80% range"},
        "proj.col_range95": {"id": "Rentang 95%", "en": "95% range"},
        "proj.col_additional": {"id": "Tambahan karena undangan", "en": "Added by invitations"},
        "proj.col_businesses": {"id": "Usaha (perkiraan)", "en": "Businesses (expected)"},
        "proj.breakdowns": {"id": "Rinciannya", "en": "In detail"},
        "proj.tab_province": {"id": "Provinsi", "en": "Province"},
        "proj.tab_regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "proj.tab_sector": {"id": "Sektor", "en": "Sector"},
        "proj.tab_segment": {"id": "Segmen", "en": "Segment"},
        "proj.tab_partner_type": {"id": "Jenis mitra", "en": "Partner type"},
        "proj.tab_month": {"id": "Bulan", "en": "Month"},
        "proj.actual": {"id": "Rencana dibanding kenyataan", "en": "Plan against actual"},
        "proj.no_actual": {
            "id": "Belum ada laporan acara yang diadakan ({reported} laporan). Bagian ini terisi begitu staf melaporkan acaranya.",
            "en": "No reports of events held yet ({reported} reports). This part fills in as staff report their events.",
        },
        "proj.actual_ok": {
            "id": "{held} acara diadakan: {registered} undangan mendaftar, sesuai perkiraan {expected} (rentang 95% {lo}–{hi}); ditambah {walk_ins} yang datang tanpa undangan.",
            "en": "{held} events held: {registered} invitees registered, in line with the expected {expected} (95% range {lo}–{hi}); plus {walk_ins} walk-ins.",
        },
        "proj.actual_below": {
            "id": "{held} acara diadakan: {registered} undangan mendaftar, di bawah rentang 95% perkiraan ({lo}–{hi}, perkiraan {expected}); periksa acara yang tertinggal di bawah. Ditambah {walk_ins} yang datang tanpa undangan.",
            "en": "{held} events held: {registered} invitees registered, below the 95% range ({lo}–{hi}, expected {expected}); check the lagging events below. Plus {walk_ins} walk-ins.",
        },
        "proj.actual_above": {
            "id": "{held} acara diadakan: {registered} undangan mendaftar, di atas rentang 95% perkiraan ({lo}–{hi}, perkiraan {expected}). Ditambah {walk_ins} yang datang tanpa undangan.",
            "en": "{held} events held: {registered} invitees registered, above the 95% range ({lo}–{hi}, expected {expected}). Plus {walk_ins} walk-ins.",
        },
        "proj.actual_by": {"id": "Menurut", "en": "By"},
        "proj.col_events": {"id": "Acara", "en": "Events"},
        "proj.col_registered": {"id": "Mendaftar", "en": "Registered"},
        "proj.col_expected": {"id": "Perkiraan", "en": "Expected"},
        "proj.col_flag": {"id": "Sesuai?", "en": "On track?"},
        "proj.col_walk_ins": {"id": "Tanpa undangan", "en": "Walk-ins"},
        "proj.funnel_invited": {"id": "Diundang", "en": "Invited"},
        "proj.funnel_attended": {"id": "Hadir", "en": "Came"},
        "proj.funnel_registered": {"id": "Mendaftar", "en": "Registered"},
        "proj.funnel_first_paid": {"id": "Membayar iuran pertama", "en": "Paid the first contribution"},
        "proj.funnel_paying_3m": {"id": "Masih membayar 3 bulan kemudian", "en": "Still paying three months on"},
        "proj.funnel_n": {"id": "Usaha", "en": "Businesses"},
        "proj.funnel_help": {
            "id": "Langkah terakhir hanya menghitung pendaftaran yang bulan ketiganya sudah ada di data pembayaran ({known}).",
            "en": "The last step counts only registrations whose third month is in the payment data already ({known}).",
        },
        "proj.works": {"id": "Apa yang berhasil", "en": "What works"},
        "proj.no_works": {"id": "Belum ada acara yang dilaporkan diadakan.", "en": "No events reported as held yet."},
        "proj.col_type": {"id": "Jenis mitra", "en": "Partner type"},
        "proj.col_per_event": {"id": "Pendaftaran per acara (rentang 80%)", "en": "Registrations per event (80% range)"},
        "proj.col_per_juta": {"id": "Pendaftaran per Rp 1 juta (rentang 80%)", "en": "Registrations per Rp 1 million (80% range)"},
        "proj.works_help": {
            "id": "Angka setiap jenis mitra ditarik ke rata-rata semua jenis sebanding dengan sedikitnya acara, supaya dua acara yang kebetulan bagus tidak langsung menjadi juara.",
            "en": "Each partner type's figures are pulled towards the overall average the fewer events it has, so that two lucky events do not put a type first.",
        },
        "proj.col_channel": {"id": "Saluran (riwayat kontak)", "en": "Channel (contact history)"},
        "proj.col_contacts": {"id": "Diundang", "en": "Invited"},
        "proj.col_rate": {"id": "Tingkat daftar (rentang 80%)", "en": "Enrolment rate (80% range)"},
        "proj.lift": {"id": "Dampak terukur", "en": "Measured lift"},
        "proj.lift_draft": {
            "id": "Rencana ini belum terbit. Saat diterbitkan, sebagian kecil usaha pilihannya (biasanya 10%) ditahan acak sebagai kelompok pembanding, supaya dampaknya bisa diukur.",
            "en": "This plan is not published yet. When it is, a small random share of the businesses it chose (usually 10%) is held back for comparison, so its effect can be measured.",
        },
        "proj.lift_zero": {
            "id": "Rencana ini diterbitkan tanpa kelompok pembanding, jadi dampaknya tidak bisa diukur, hanya diperkirakan.",
            "en": "This plan was published without a comparison group, so its effect cannot be measured, only estimated.",
        },
        "proj.lift_wait": {
            "id": "Kelompok pembanding {share} ditahan; dampak terukur muncul setelah acaranya dilaporkan.",
            "en": "A comparison group of {share} is held back; the measured effect appears once its events are reported.",
        },
        "proj.lift_measured": {"id": "Dampak terukur", "en": "Measured lift"},
        "proj.lift_help": {
            "id": "Tingkat daftar usaha yang diundang dikurangi tingkat daftar kelompok pembanding yang ditahan acak (tidak diundang). Rentang 95%.",
            "en": "The enrolment rate of the invited businesses minus that of the comparison group held back at random (not invited). 95% range.",
        },
        "proj.lift_range": {"id": "95%: {lo} sampai {hi}", "en": "95%: {lo} to {hi}"},
        "proj.lift_predicted": {"id": "Yang diperkirakan model", "en": "What the model predicted"},
        "proj.lift_groups": {"id": "Daftar: diundang / pembanding", "en": "Enrolled: invited / comparison"},
        "proj.lift_groups_help": {"id": "{invited} diundang, {controls} pembanding (seed {seed}).", "en": "{invited} invited, {controls} in the comparison group (seed {seed})."},
        "proj.col_invited": {"id": "Diundang", "en": "Invited"},
        "proj.lift_none": {"id": "– (belum ada pembanding)", "en": "– (no comparison yet)"},
        "proj.col_controls": {"id": "Pembanding", "en": "Comparison"},
        "proj.pdf": {"id": "Ringkasan PDF", "en": "PDF brief"},
        "proj.xlsx": {"id": "Semua tabel (XLSX)", "en": "All tables (XLSX)"},
        "brief.title": {"id": "Proyeksi rencana: {plan}", "en": "Plan projection: {plan}"},
        "brief.subtitle": {"id": "{start} – {end} · {status} · dibuat {today}", "en": "{start} – {end} · {status} · made {today}"},
        "brief.answer": {"id": "Jawabannya", "en": "The answer"},
        "brief.headline": {
            "id": "Rencana ini ({events} acara, {invitations} usaha diundang, biaya {cost}) diperkirakan membawa {workers} pekerja baru terdaftar "
            "(80%: {lo}–{hi}; 95%: {lo95}–{hi95}) dari {businesses} usaha.",
            "en": "This plan ({events} events, {invitations} businesses invited, cost {cost}) is expected to bring {workers} newly enrolled workers "
            "(80%: {lo}–{hi}; 95%: {lo95}–{hi95}) from {businesses} businesses.",
        },
        "brief.additional": {
            "id": "Dari jumlah itu, {additional} (80%: {lo}–{hi}) terdaftar karena undangan — yang lain akan mendaftar juga tanpa undangan. Biaya per pekerja tambahan {per}.",
            "en": "Of these, {additional} (80%: {lo}–{hi}) enrol because of the invitations — the others would have enrolled anyway. Cost per added worker {per}.",
        },
        "brief.cost": {
            "id": "Biaya per pekerja terdaftar {per} (80%: {lo}–{hi}). Iuran bulanan pekerja itu {contrib} (80%: {clo}–{chi}).",
            "en": "Cost per enrolled worker {per} (80%: {lo}–{hi}). Their monthly contributions {contrib} (80%: {clo}–{chi}).",
        },
        "brief.coverage": {
            "id": "Cakupan BPU nasional: dari {now} menjadi {after} ({change}).",
            "en": "National BPU coverage: from {now} to {after} ({change}).",
        },
        "brief.intervals": {
            "id": "Rentang 80% memuat 8 dari 10 kemungkinan hasil, 95% memuat 19 dari 20; keduanya mencakup untung-untungan hasil dan ketidakpastian model.",
            "en": "The 80% range holds 8 of 10 possible outcomes, the 95% range 19 of 20; both include the luck of outcomes and the model's uncertainty.",
        },
        "brief.provinces": {"id": "Per provinsi", "en": "By province"},
        "brief.col_bpu_change": {"id": "Cakupan BPU", "en": "BPU coverage"},
        "brief.lift": {
            "id": "Dampak terukur (diundang dikurangi pembanding): {lift} (95%: {lo} sampai {hi}); model memperkirakan {predicted}. {invited} diundang, {controls} pembanding.",
            "en": "Measured lift (invited minus comparison): {lift} (95%: {lo} to {hi}); the model predicted {predicted}. {invited} invited, {controls} in comparison.",
        },
        "brief.footer": {
            "id": "Jangkau · halaman {page} dari {n} · model {model} · {sims} simulasi, {members} versi model",
            "en": "Jangkau · page {page} of {n} · model {model} · {sims} simulations, {members} model versions",
        },
        "brief.sheet_total": {"id": "ringkasan", "en": "summary"},
        "brief.sheet_month": {"id": "per bulan", "en": "by month"},
        "brief.sheet_province": {"id": "per provinsi", "en": "by province"},
        "brief.sheet_regency": {"id": "per kabupaten-kota", "en": "by regency"},
        "brief.sheet_sector": {"id": "per sektor", "en": "by sector"},
        "brief.sheet_segment": {"id": "per segmen", "en": "by segment"},
        "brief.sheet_partner_type": {"id": "per jenis mitra", "en": "by partner type"},
        "brief.sheet_province_segment": {"id": "provinsi x segmen", "en": "province x segment"},
        "brief.sheet_coverage": {"id": "cakupan", "en": "coverage"},
        "brief.sheet_actual_by_month": {"id": "kenyataan per bulan", "en": "actual by month"},
        "brief.sheet_actual_by_province": {"id": "kenyataan per provinsi", "en": "actual by province"},
        "brief.sheet_actual_by_partner_type": {"id": "kenyataan per mitra", "en": "actual by partner type"},
        "brief.sheet_works_partner_types": {"id": "berhasil per mitra", "en": "works by partner type"},
        "brief.sheet_works_channels": {"id": "berhasil per saluran", "en": "works by channel"},
        "brief.sheet_lift": {"id": "dampak terukur", "en": "measured lift"},
        "brief.sheet_lift_types": {"id": "dampak per mitra", "en": "lift by partner type"},
    }
)


# --- publishing with a control group
STRINGS.update(
    {
        "jadwal.control_share": {"id": "Kelompok pembanding (%)", "en": "Comparison group (%)"},
        "jadwal.control_help": {
            "id": "Bagian usaha pilihan rencana yang ditahan acak (tidak diundang) agar dampak rencana bisa diukur: tingkat daftar yang diundang dikurangi yang ditahan.",
            "en": "The share of the businesses the plan chose that is held back at random (not invited) so that the plan's effect can be measured: the invited's enrolment rate minus the held-back's.",
        },
        "jadwal.control_zero": {
            "id": "Tanpa kelompok pembanding, dampak rencana ini tidak bisa diukur, hanya diperkirakan.",
            "en": "Without a comparison group this plan's effect cannot be measured, only estimated.",
        },
        "jadwal.start_time": {"id": "Jam mulai acara", "en": "Events start at"},
        "jadwal.start_time_help": {
            "id": "Jam mulai setiap acara di waktu setempat (WIB, WITA atau WIT); bisa diubah per acara di Agenda.",
            "en": "Every event's start in local time (WIB, WITA or WIT); it can be changed per event on the Agenda.",
        },
        "jadwal.publish_go": {"id": "Terbitkan sekarang", "en": "Publish now"},
        "jadwal.published": {
            "id": "Rencana diterbitkan; {controls} usaha ({share}) ditahan sebagai kelompok pembanding (seed {seed}).",
            "en": "Plan published; {controls} businesses ({share}) held back as the comparison group (seed {seed}).",
        },
    }
)


# --- scenarios (Proyeksi)
STRINGS.update(
    {
        "scen.title": {"id": "Skenario: bagaimana jika…", "en": "Scenarios: what if…"},
        "scen.intro": {
            "id": "Rencana ini di samping variannya yang disusun ulang oleh penjadwal: anggaran lebih kecil atau lebih besar, staf tambahan, provinsi ditambah atau dikurangi. Angka dalam kurung adalah rentang 80%: 8 dari 10 kemungkinan hasil ada di dalamnya.",
            "en": "This plan next to its variants, re-solved by the scheduler: a smaller or larger budget, more staff, a province added or removed. Figures in brackets are 80% ranges: 8 in 10 possible outcomes fall inside.",
        },
        "scen.setup": {"id": "Hitung skenario", "en": "Compute scenarios"},
        "scen.kinds": {"id": "Varian yang dihitung", "en": "Variants to compute"},
        "scen.add_province": {"id": "Provinsi yang ditambah", "en": "Province to add"},
        "scen.drop_province": {"id": "Provinsi yang dikurangi", "en": "Province to remove"},
        "scen.extra_staff": {"id": "Staf tambahan per provinsi", "en": "Extra staff per province"},
        "scen.start": {"id": "Hitung di latar belakang", "en": "Compute in the background"},
        "scen.start_help": {
            "id": "Setiap varian disusun seperti rencana biasa, di proses terpisah; halaman tetap bisa dipakai. Skenario sebelumnya untuk rencana ini diganti.",
            "en": "Each variant is solved like a plan, in a separate process; the page stays usable. The plan's previous scenarios are replaced.",
        },
        "scen.started": {"id": "{n} skenario sedang disusun.", "en": "{n} scenarios are being solved."},
        "scen.none": {"id": "Belum ada skenario untuk rencana ini.", "en": "No scenarios for this plan yet."},
        "scen.none_leader": {
            "id": "Belum ada skenario untuk rencana ini; manajer kampanye dapat menghitungnya di halaman ini.",
            "en": "No scenarios for this plan yet; a campaign manager can compute them on this page.",
        },
        "scen.solving": {"id": "Menyusun skenario: {done} dari {n} selesai…", "en": "Solving scenarios: {done} of {n} done…"},
        "scen.stale": {
            "id": "Sebagian skenario dihitung dari versi rencana yang lebih lama (ditandai *); hitung ulang agar sebanding.",
            "en": "Some scenarios were computed from an earlier version of the plan (marked *); compute them again to compare like with like.",
        },
        "scen.base": {"id": "Rencana ini", "en": "This plan"},
        "scen.kind_budget_down": {"id": "Anggaran −20% ({budget})", "en": "Budget −20% ({budget})"},
        "scen.kind_budget_up": {"id": "Anggaran +20% ({budget})", "en": "Budget +20% ({budget})"},
        "scen.kind_more_staff": {"id": "+{staff} staf per provinsi", "en": "+{staff} staff per province"},
        "scen.kind_add_province": {"id": "Tambah {province}", "en": "Add {province}"},
        "scen.kind_drop_province": {"id": "Tanpa {province}", "en": "Without {province}"},
        "scen.kindname_budget_down": {"id": "Anggaran −20%", "en": "Budget −20%"},
        "scen.kindname_budget_up": {"id": "Anggaran +20%", "en": "Budget +20%"},
        "scen.kindname_more_staff": {"id": "Staf tambahan", "en": "More staff"},
        "scen.kindname_add_province": {"id": "Tambah satu provinsi", "en": "Add a province"},
        "scen.kindname_drop_province": {"id": "Kurangi satu provinsi", "en": "Remove a province"},
        "scen.col_scenario": {"id": "Skenario", "en": "Scenario"},
        "scen.col_state": {"id": "Keadaan", "en": "State"},
        "scen.col_events": {"id": "Acara", "en": "Events"},
        "scen.col_cost": {"id": "Biaya", "en": "Cost"},
        "scen.col_workers": {"id": "Pekerja terdaftar", "en": "Workers enrolled"},
        "scen.col_additional": {"id": "Tambahan karena undangan", "en": "Added by the invitation"},
        "scen.col_per_additional": {"id": "Biaya per tambahan", "en": "Cost per added worker"},
        "scen.col_changes": {"id": "Yang berubah dibanding rencana ini", "en": "What changed against this plan"},
        "scen.state_ready": {"id": "siap", "en": "ready"},
        "scen.state_optimal": {"id": "siap · terbukti terbaik", "en": "ready · proven best"},
        "scen.state_gap": {"id": "siap · paling jauh {gap} dari yang terbaik", "en": "ready · at most {gap} from the best"},
        "scen.state_solving": {"id": "disusun… {progress}", "en": "solving… {progress}"},
        "scen.state_infeasible": {"id": "tidak ada jadwal yang memenuhi aturan", "en": "no schedule meets the rules"},
        "scen.state_failed": {"id": "gagal", "en": "failed"},
        "scen.chart_title": {"id": "Tambahan pekerja karena undangan, per skenario", "en": "Workers added by the invitation, per scenario"},
        "scen.chart_workers": {"id": "Pekerja terdaftar", "en": "Workers enrolled"},
        "scen.chart_help": {
            "id": "Titik: perkiraan; garis: rentang 80%. Skenario yang garisnya tumpang tindih belum tentu berbeda hasilnya.",
            "en": "Dot: the estimate; line: the 80% range. Scenarios whose lines overlap may not differ in outcome.",
        },
        "scen.ch_events": {"id": "{n} acara, biaya {cost}", "en": "{n} events, cost {cost}"},
        "scen.ch_gained": {"id": "{n} kab/kota baru: {names}", "en": "{n} new regencies: {names}"},
        "scen.ch_lost": {"id": "{n} kab/kota hilang: {names}", "en": "{n} regencies dropped: {names}"},
        "scen.ch_more": {"id": " dan {n} lagi", "en": " and {n} more"},
        "scen.ch_extra_staff": {"id": "{n} acara dipimpin staf tambahan", "en": "{n} events led by the extra staff"},
        "scen.ch_same_regencies": {"id": "kab/kota sama", "en": "same regencies"},
        "scen.no_publish": {
            "id": "Ini skenario dari rencana {plan} dan tidak bisa diterbitkan; ubah aturan rencana {plan} di Jadwal bila skenario ini yang dipilih.",
            "en": "This is a scenario of plan {plan} and cannot be published; change plan {plan}'s rules on Jadwal if this scenario is the one to run.",
        },
        "scen.no_budget": {
            "id": "Rencana ini tanpa anggaran dan tanpa biaya acara; varian anggaran tidak bisa dihitung. Tetapkan anggaran di Jadwal.",
            "en": "This plan has no budget and no event cost; budget variants cannot be computed. Set a budget on Jadwal.",
        },
        "scen.bad_add": {"id": "Provinsi '{province}' sudah ada di rencana atau tidak dikenal; pilih provinsi di luar rencana.", "en": "Province '{province}' is already in the plan or unknown; choose a province outside the plan."},
        "scen.bad_drop": {"id": "Provinsi '{province}' tidak bisa dikurangi: pilih salah satu provinsi rencana (rencana perlu minimal dua provinsi).", "en": "Province '{province}' cannot be removed: choose one of the plan's provinces (the plan needs at least two)."},
        "scen.bad_kind": {"id": "Varian '{kind}' tidak dikenal; pilih dari: {kinds}.", "en": "Unknown variant '{kind}'; choose from: {kinds}."},
        "scen.bad_staff": {"id": "Staf tambahan {value} per provinsi di luar 1–20.", "en": "Extra staff {value} per province is outside 1–20."},
        "scen.of_scenario": {"id": "Ini sendiri skenario dari rencana {plan}; hitung skenario dari rencana {plan}.", "en": "This is itself a scenario of plan {plan}; compute scenarios from plan {plan}."},
        "scen.archived": {"id": "Rencana {plan} sudah diarsipkan.", "en": "Plan {plan} is archived."},
        "scen.unsolved": {"id": "Rencana ini belum punya acara; susun jadwalnya dulu di Jadwal, lalu hitung skenario.", "en": "This plan has no events yet; solve it on Jadwal first, then compute scenarios."},
        "scen.none_chosen": {"id": "Pilih minimal satu varian.", "en": "Choose at least one variant."},
        "scen.busy": {"id": "Skenario rencana ini masih disusun; tunggu sampai selesai.", "en": "This plan's scenarios are still being solved; wait until they finish."},
        "scen.sheet": {"id": "skenario", "en": "scenarios"},
    }
)


# --- serve: the app on every core (python -m planner serve)
STRINGS.update(
    {
        "serve.no_haproxy": {
            "id": "HAProxy tidak terpasang (dicari di PATH, /usr/sbin dan /sbin); `python -m planner serve` memakainya sebagai proxy di depan proses Streamlit. Pasang dengan: {command}",
            "en": "HAProxy is not installed (looked on PATH, in /usr/sbin and /sbin); `python -m planner serve` uses it as the proxy in front of the Streamlit processes. Install it with: {command}",
        },
        "serve.bad_processes": {
            "id": "--processes {value} tidak bisa dipakai; beri 1 sampai {max} (biasanya jumlah inti, nilai bawaan).",
            "en": "--processes {value} cannot be used; give 1 to {max} (usually the number of cores, the default).",
        },
        "serve.bad_port": {
            "id": "--port {value} bukan port; beri 1 sampai 65535 (bawaan 8501).",
            "en": "--port {value} is not a port; give 1 to 65535 (default 8501).",
        },
        "serve.port_busy": {
            "id": "Port {port} di {address} sudah dipakai (mungkin oleh `streamlit run` atau serve lain); hentikan program itu atau pilih port lain dengan --port.",
            "en": "Port {port} on {address} is already in use (perhaps by `streamlit run` or another serve); stop that program or choose another port with --port.",
        },
        "serve.already": {
            "id": "`python -m planner serve` sudah berjalan untuk database di {folder} (pid {pid}); hentikan dulu (Ctrl+C di terminalnya atau kill -TERM {pid}), atau mulai ulang prosesnya dengan kill -HUP {pid}.",
            "en": "`python -m planner serve` already runs for the database in {folder} (pid {pid}); stop it first (Ctrl+C in its terminal or kill -TERM {pid}), or restart its processes with kill -HUP {pid}.",
        },
        "serve.bad_config": {
            "id": "HAProxy menolak konfigurasi {path}: {detail}. Periksa --address dan versi HAProxy (perlu 2.2 atau lebih baru).",
            "en": "HAProxy refused the configuration {path}: {detail}. Check --address and the HAProxy version (2.2 or newer is needed).",
        },
        "serve.child_failed": {
            "id": "Proses Streamlit {name} tidak menjawab {url} dalam {seconds} detik; sebabnya ada di {log}.",
            "en": "Streamlit process {name} did not answer {url} within {seconds} seconds; its log {log} says why.",
        },
        "serve.proxy_failed": {
            "id": "HAProxy tidak melayani {url}; sebabnya ada di {log}.",
            "en": "HAProxy does not serve {url}; its log {log} says why.",
        },
        "serve.starting": {
            "id": "Memulai {n} proses Streamlit atas {db}; tiap proses memeriksa {slots} kata sandi sekaligus (paling banyak {mib} MiB untuk semua, PLANNER_ARGON2_SLOTS).",
            "en": "Starting {n} Streamlit processes over {db}; each checks {slots} passwords at once (at most {mib} MiB for all, PLANNER_ARGON2_SLOTS).",
        },
        "serve.child_started": {"id": "{name} (pid {pid}) dimulai di 127.0.0.1:{port}", "en": "{name} (pid {pid}) started on 127.0.0.1:{port}"},
        "serve.proxy_started": {"id": "HAProxy (pid {pid}) dimulai di {url}", "en": "HAProxy (pid {pid}) started on {url}"},
        "serve.ready": {
            "id": "Jangkau siap di {url} dengan {n} proses. Log gabungan: {log} (python -m planner serve --logs). kill -HUP {pid} memulai ulang proses satu per satu; Ctrl+C atau kill -TERM {pid} menghentikan semuanya.",
            "en": "Jangkau is ready on {url} with {n} processes. Combined log: {log} (python -m planner serve --logs). kill -HUP {pid} restarts the processes one by one; Ctrl+C or kill -TERM {pid} stops everything.",
        },
        "serve.exited": {
            "id": "{name} (pid {pid}) berhenti tanpa diminta (status {status}); dimulai lagi dalam {delay} detik.",
            "en": "{name} (pid {pid}) stopped without being asked to (status {status}); starting it again in {delay} s.",
        },
        "serve.reloading": {
            "id": "SIGHUP: memuat ulang HAProxy dan memulai ulang proses Streamlit satu per satu.",
            "en": "SIGHUP: reloading HAProxy and restarting the Streamlit processes one by one.",
        },
        "serve.reloaded": {"id": "Semua proses sudah dimulai ulang.", "en": "Every process has been restarted."},
        "serve.stopped": {"id": "HAProxy dan semua proses Streamlit berhenti.", "en": "HAProxy and every Streamlit process have stopped."},
        "serve.no_logs": {
            "id": "Belum ada log {path}: serve belum pernah berjalan untuk database ini (mulai dengan python -m planner serve).",
            "en": "There is no log {path} yet: serve has never run for this database (start it with python -m planner serve).",
        },
    }
)


# --- pages in plain words: the audit trail in words, sector names, the province tile map,
# tables that fit a 1440-pixel screen (Peluang, Jadwal, Agenda, Laporan, Mitra & staf,
# Jejak audit, Pengguna, Impor)
STRINGS.update(
    {
        # actions (planner/audit.py action_text); kinds fill the four templates
        "audit.action.login": {"id": "Masuk", "en": "Signed in"},
        "audit.action.login.failed": {"id": "Gagal masuk (kata sandi salah)", "en": "Sign-in failed (wrong password)"},
        "audit.action.login.refused": {"id": "Masuk ditolak (akun terkunci)", "en": "Sign-in refused (account locked)"},
        "audit.action.user.add": {"id": "Pengguna ditambahkan", "en": "User added"},
        "audit.action.user.link_staff": {"id": "Akun dihubungkan ke data staf", "en": "Account linked to a staff record"},
        "audit.action.user.passwd": {"id": "Kata sandi diganti", "en": "Password changed"},
        "audit.action.user.enable": {"id": "Pengguna diaktifkan", "en": "User enabled"},
        "audit.action.user.disable": {"id": "Pengguna dinonaktifkan", "en": "User disabled"},
        "audit.action.partner.add": {"id": "Mitra ditambahkan", "en": "Partner added"},
        "audit.action.partner.update": {"id": "Mitra diubah", "en": "Partner changed"},
        "audit.action.partner.enable": {"id": "Mitra diaktifkan", "en": "Partner enabled"},
        "audit.action.partner.disable": {"id": "Mitra dinonaktifkan", "en": "Partner disabled"},
        "audit.action.staff.add": {"id": "Staf ditambahkan", "en": "Staff member added"},
        "audit.action.staff.update": {"id": "Staf diubah", "en": "Staff member changed"},
        "audit.action.staff.enable": {"id": "Staf diaktifkan", "en": "Staff member enabled"},
        "audit.action.staff.disable": {"id": "Staf dinonaktifkan", "en": "Staff member disabled"},
        "audit.action.staff.leave.add": {"id": "Cuti staf dicatat", "en": "Staff leave recorded"},
        "audit.action.staff.leave.delete": {"id": "Cuti staf dihapus", "en": "Staff leave deleted"},
        "audit.action.plan.create": {"id": "Rencana dibuat", "en": "Plan created"},
        "audit.action.plan.update": {"id": "Aturan rencana diubah", "en": "Plan rules changed"},
        "audit.action.plan.publish": {"id": "Rencana diterbitkan", "en": "Plan published"},
        "audit.action.plan.reopen": {"id": "Rencana dibuka kembali sebagai draf", "en": "Plan reopened as a draft"},
        "audit.action.plan.archive": {"id": "Rencana diarsipkan", "en": "Plan archived"},
        "audit.action.plan.solve": {"id": "Jadwal disusun", "en": "Schedule solved"},
        "audit.action.plan.solve.start": {"id": "Penyusunan jadwal dimulai", "en": "Schedule solve started"},
        "audit.action.plan.solve.cancel": {"id": "Penyusunan jadwal dihentikan", "en": "Schedule solve stopped"},
        "audit.action.plan.scenarios": {"id": "Skenario rencana dihitung", "en": "Plan scenarios computed"},
        "audit.action.model.exclude": {"id": "Kolom dikeluarkan dari model", "en": "Columns kept out of the model"},
        "audit.action.event.lock": {"id": "Acara dikunci", "en": "Event locked"},
        "audit.action.event.unlock": {"id": "Kunci acara dibuka", "en": "Event unlocked"},
        "audit.action.event.move": {"id": "Acara dipindah", "en": "Event moved"},
        "audit.action.event.cancel": {"id": "Acara dibatalkan", "en": "Event cancelled"},
        "audit.action.event.time": {"id": "Jam acara diubah", "en": "Event time changed"},
        "audit.action.report.create": {"id": "Laporan acara dibuat", "en": "Event report created"},
        "audit.action.report.update": {"id": "Laporan acara diubah", "en": "Event report changed"},
        "audit.action.followup.update": {"id": "Tindak lanjut diperbarui", "en": "Follow-up updated"},
        "audit.action.registration.add": {"id": "Pendaftaran dicatat", "en": "Registration recorded"},
        "audit.action.business.workers": {"id": "Jumlah pekerja usaha dikoreksi", "en": "Business's workers corrected"},
        "audit.action.import.registrations.credit": {"id": "Pendaftaran dikaitkan ke acara", "en": "Registrations credited to events"},
        "audit.action.demo.real_data": {"id": "Data nyata pertama diimpor (akun demo tidak lagi ditampilkan)",
                                        "en": "First real data imported (demo accounts no longer listed)"},
        "audit.action.model.train": {"id": "Model dilatih", "en": "Model trained"},
        "audit.action.model.activate": {"id": "Model diaktifkan", "en": "Model activated"},
        "audit.action.scores.refresh": {"id": "Skor usaha diperbarui", "en": "Business scores refreshed"},
        "audit.action.import_file": {"id": "Berkas diimpor: {kind}", "en": "File imported: {kind}"},
        "audit.action.import_update": {"id": "Baris diubah oleh impor: {kind}", "en": "Row changed by an import: {kind}"},
        "audit.action.job_start": {"id": "Tugas latar dimulai: {kind}", "en": "Background job started: {kind}"},
        "audit.action.job_cancel": {"id": "Tugas latar dibatalkan: {kind}", "en": "Background job cancelled: {kind}"},
        "audit.job.demo_history": {"id": "Menyiapkan data demo", "en": "Preparing the demo"},
        # tables
        "audit.entity.users": {"id": "Pengguna", "en": "Users"},
        "audit.entity.followups": {"id": "Tindak lanjut", "en": "Follow-ups"},
        "audit.entity.events": {"id": "Acara", "en": "Events"},
        "audit.entity.plans": {"id": "Rencana", "en": "Plans"},
        "audit.entity.solve_runs": {"id": "Penyusunan jadwal", "en": "Schedule solves"},
        "audit.entity.registrations": {"id": "Pendaftaran", "en": "Registrations"},
        "audit.entity.businesses": {"id": "Usaha", "en": "Businesses"},
        "audit.entity.meta": {"id": "Pengaturan", "en": "Settings"},
        "audit.entity.model_runs": {"id": "Model", "en": "Models"},
        "audit.entity.scores": {"id": "Skor usaha", "en": "Business scores"},
        "audit.entity.staff_leave": {"id": "Cuti staf", "en": "Staff leave"},
        "audit.entity.jobs": {"id": "Tugas latar", "en": "Background jobs"},
        "audit.entity.partners": {"id": "Mitra", "en": "Partners"},
        "audit.entity.staff": {"id": "Staf", "en": "Staff"},
        "audit.entity.event_reports": {"id": "Laporan acara", "en": "Event reports"},
        "audit.entity.potentials": {"id": "Potensi kepesertaan", "en": "Coverage potentials"},
        "audit.entity.contacts": {"id": "Riwayat kontak", "en": "Contacts"},
        "audit.entity.payments": {"id": "Pembayaran iuran", "en": "Contribution payments"},
        # fields
        "audit.field.role": {"id": "Peran", "en": "Role"},
        "audit.field.provinces": {"id": "Provinsi", "en": "Provinces"},
        "audit.field.display_name": {"id": "Nama", "en": "Name"},
        "audit.field.staff_id": {"id": "Staf", "en": "Staff"},
        "audit.field.active": {"id": "Aktif", "en": "Active"},
        "audit.field.must_change_password": {"id": "Wajib ganti kata sandi", "en": "Must change password"},
        "audit.field.failures": {"id": "Gagal berturut-turut", "en": "Failed attempts"},
        "audit.field.locked": {"id": "Terkunci", "en": "Locked"},
        "audit.field.locked_until": {"id": "Terkunci sampai", "en": "Locked until"},
        "audit.field.start_time": {"id": "Jam mulai", "en": "Start time"},
        "audit.field.duration_minutes": {"id": "Durasi (menit)", "en": "Duration (minutes)"},
        "audit.field.date": {"id": "Tanggal", "en": "Date"},
        "audit.field.partner_id": {"id": "Mitra", "en": "Partner"},
        "audit.field.regency_code": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "audit.field.status": {"id": "Status", "en": "Status"},
        "audit.field.invitees": {"id": "Undangan", "en": "Invited"},
        "audit.field.expected_additional": {"id": "Tambahan pekerja (perkiraan)", "en": "Extra workers (expected)"},
        "audit.field.invitations_removed": {"id": "Undangan dihapus", "en": "Invitations removed"},
        "audit.field.note": {"id": "Catatan", "en": "Note"},
        "audit.field.due_on": {"id": "Jatuh tempo", "en": "Due"},
        "audit.field.enrolled": {"id": "Sudah terdaftar", "en": "Enrolled"},
        "audit.field.workers_registered": {"id": "Pekerja didaftarkan", "en": "Workers registered"},
        "audit.field.programmes": {"id": "Program", "en": "Programmes"},
        "audit.field.event_id": {"id": "Acara", "en": "Event"},
        "audit.field.source": {"id": "Sumber", "en": "Source"},
        "audit.field.business_id": {"id": "ID usaha", "en": "Business ID"},
        "audit.field.name": {"id": "Nama", "en": "Name"},
        "audit.field.sector": {"id": "Sektor", "en": "Sector"},
        "audit.field.size_class": {"id": "Skala", "en": "Size"},
        "audit.field.workers": {"id": "Pekerja", "en": "Workers"},
        "audit.field.founded_year": {"id": "Tahun berdiri", "en": "Year founded"},
        "audit.field.has_nib": {"id": "Punya NIB", "en": "Has NIB"},
        "audit.field.kur_recipient": {"id": "Penerima KUR", "en": "KUR recipient"},
        "audit.field.coop_member": {"id": "Anggota koperasi", "en": "Cooperative member"},
        "audit.field.digital_payments": {"id": "Pembayaran digital", "en": "Digital payments"},
        "audit.field.held_on": {"id": "Tanggal pelaksanaan", "en": "Date held"},
        "audit.field.attendance": {"id": "Jumlah hadir", "en": "Attendance"},
        "audit.field.present": {"id": "Usaha hadir", "en": "Businesses present"},
        "audit.field.registrations": {"id": "Usaha mendaftar", "en": "Businesses registered"},
        "audit.field.cancel_reason": {"id": "Alasan batal", "en": "Reason cancelled"},
        "audit.field.cancel_note": {"id": "Keterangan batal", "en": "Cancellation note"},
        "audit.field.version": {"id": "Versi", "en": "Version"},
        "audit.field.rows": {"id": "Baris", "en": "Rows"},
        "audit.field.type": {"id": "Jenis", "en": "Type"},
        "audit.field.capacity_per_month": {"id": "Acara/bulan", "en": "Events/month"},
        "audit.field.venue_capacity": {"id": "Kursi", "en": "Seats"},
        "audit.field.cost_per_event": {"id": "Biaya/acara", "en": "Cost/event"},
        "audit.field.available_weekdays": {"id": "Hari tersedia", "en": "Available days"},
        "audit.field.address": {"id": "Alamat", "en": "Address"},
        "audit.field.contact_name": {"id": "Kontak mitra", "en": "Partner contact"},
        "audit.field.contact_phone": {"id": "Telepon kontak", "en": "Contact phone"},
        "audit.field.province_code": {"id": "Provinsi", "en": "Province"},
        "audit.field.max_events_per_week": {"id": "Maks. acara/minggu", "en": "Max events/week"},
        "audit.field.home_regency": {"id": "Kab/kota asal", "en": "Home regency"},
        "audit.field.phone": {"id": "Telepon", "en": "Phone"},
        "audit.field.start_date": {"id": "Dari", "en": "From"},
        "audit.field.end_date": {"id": "Sampai", "en": "To"},
        "audit.field.reason": {"id": "Alasan", "en": "Reason"},
        "audit.field.kind": {"id": "Jenis", "en": "Kind"},
        "audit.field.filename": {"id": "Berkas", "en": "File"},
        "audit.field.start": {"id": "Mulai", "en": "Start"},
        "audit.field.end": {"id": "Selesai", "en": "End"},
        "audit.field.budget": {"id": "Anggaran", "en": "Budget"},
        "audit.field.allow_weekends": {"id": "Boleh akhir pekan", "en": "Weekends allowed"},
        "audit.field.ramadan_blackout": {"id": "Tanpa acara saat Ramadan", "en": "No events in Ramadan"},
        "audit.field.min_gap_days": {"id": "Jarak minimal (hari)", "en": "Minimum gap (days)"},
        "audit.field.allow_travel": {"id": "Staf boleh ke kab/kota lain", "en": "Staff may travel"},
        "audit.field.travel_cost": {"id": "Biaya perjalanan", "en": "Travel cost"},
        "audit.field.max_invitees": {"id": "Maks. undangan per acara", "en": "Max invitees per event"},
        "audit.field.min_events_per_regency": {"id": "Min. acara per kab/kota", "en": "Min. events per regency"},
        "audit.field.time_limit": {"id": "Batas waktu penyusunan (detik)", "en": "Solve time limit (seconds)"},
        "audit.field.relative_gap": {"id": "Selisih yang diterima", "en": "Accepted gap"},
        "audit.field.penalty_friday": {"id": "Penalti Jumat", "en": "Friday penalty"},
        "audit.field.penalty_weekend": {"id": "Penalti akhir pekan", "en": "Weekend penalty"},
        "audit.field.penalty_workload": {"id": "Penalti beban staf", "en": "Workload penalty"},
        "audit.field.extra_staff": {"id": "Staf tambahan", "en": "Extra staff"},
        "audit.field.scenario_of": {"id": "Skenario dari rencana", "en": "Scenario of plan"},
        "audit.field.scenario": {"id": "Skenario", "en": "Scenario"},
        "audit.field.events": {"id": "Acara", "en": "Events"},
        "audit.field.control_share": {"id": "Kelompok pembanding", "en": "Comparison group"},
        "audit.field.control_seed": {"id": "Angka acak pembanding", "en": "Comparison seed"},
        "audit.field.controls": {"id": "Usaha pembanding", "en": "Comparison businesses"},
        "audit.field.controls_invited_again": {"id": "Pembanding diundang lagi", "en": "Comparison businesses invited again"},
        "audit.field.cost": {"id": "Biaya", "en": "Cost"},
        "audit.field.gap": {"id": "Selisih dari batas", "en": "Gap to the bound"},
        "audit.field.seconds": {"id": "Lama (detik)", "en": "Time (seconds)"},
        "audit.field.plan_id": {"id": "Rencana", "en": "Plan"},
        "audit.field.scenarios": {"id": "Skenario", "en": "Scenarios"},
        "audit.field.kinds": {"id": "Varian", "en": "Variants"},
        "audit.field.active_model": {"id": "Model aktif", "en": "Active model"},
        "audit.field.roc_auc": {"id": "ROC AUC", "en": "ROC AUC"},
        "audit.field.files": {"id": "Berkas", "en": "Files"},
        "audit.field.scored_version": {"id": "Model penilai", "en": "Scoring model"},
        "audit.field.inserted": {"id": "Baru", "en": "New"},
        "audit.field.updated": {"id": "Diperbarui", "en": "Updated"},
        "audit.field.unchanged": {"id": "Tidak berubah", "en": "Unchanged"},
        "audit.field.new_keys": {"id": "Kunci baru", "en": "New keys"},
        "audit.field.new_keys_first_last": {"id": "Kunci baru (pertama, terakhir)", "en": "New keys (first, last)"},
        "audit.field.sha256": {"id": "SHA-256 berkas", "en": "File SHA-256"},
        "audit.field.credited": {"id": "Dikaitkan ke acara", "en": "Credited to an event"},
        "audit.field.contacted_on": {"id": "Tanggal kontak", "en": "Contact date"},
        "audit.field.channel": {"id": "Saluran", "en": "Channel"},
        "audit.field.invited": {"id": "Diundang", "en": "Invited"},
        "audit.field.attended": {"id": "Hadir", "en": "Attended"},
        "audit.field.workers_enrolled": {"id": "Pekerja terdaftar", "en": "Workers enrolled"},
        "audit.field.period": {"id": "Periode", "en": "Period"},
        "audit.field.paid": {"id": "Dibayar", "en": "Paid"},
        "audit.field.amount": {"id": "Jumlah", "en": "Amount"},
        "audit.field.segment": {"id": "Segmen", "en": "Segment"},
        "audit.field.eligible_workers": {"id": "Pekerja layak", "en": "Eligible workers"},
        "audit.field.covered_workers": {"id": "Pekerja terlindungi", "en": "Covered workers"},
        "audit.field.vulnerable_share": {"id": "Bagian pekerja rentan", "en": "Vulnerable share"},
        "audit.field.as_of": {"id": "Per tanggal", "en": "As of"},
        "audit.field.registered_on": {"id": "Tanggal daftar", "en": "Registered on"},
        "audit.field.real_data": {"id": "Data nyata", "en": "Real data"},
        "audit.field.first_import": {"id": "Impor pertama", "en": "First import"},
        # values
        "audit.yes": {"id": "ya", "en": "yes"},
        "audit.no": {"id": "tidak", "en": "no"},
        "audit.rows": {"id": "{n} baris", "en": "{n} rows"},
        "audit.list_more": {"id": "{items} … ({n} seluruhnya)", "en": "{items} … ({n} in all)"},
        "audit.cli": {"id": "baris perintah ({user})", "en": "command line ({user})"},
        "audit.source.form": {"id": "diisi di aplikasi", "en": "filled in the app"},
        "audit.source.upload": {"id": "templat diunggah", "en": "uploaded template"},
        "audit.source.odk": {"id": "formulir ODK/Kobo", "en": "ODK/Kobo form"},
        "audit.source.followup": {"id": "tindak lanjut", "en": "follow-up"},
        "audit.source.walk_in": {"id": "datang tanpa undangan", "en": "walk-in"},
        # the Jejak audit page
        "audit.col.changes": {"id": "Perubahan", "en": "Changes"},
        "audit.pick": {"id": "Pilih satu baris untuk membaca semua nilai sebelum dan sesudahnya.",
                       "en": "Choose a row to read all its values before and after."},
        "audit.detail_meta": {"id": "Entri {n} · oleh {actor} ({role}) · {entity} {entity_key} · catatan: {note}",
                              "en": "Entry {n} · by {actor} ({role}) · {entity} {entity_key} · note: {note}"},
        "audit.no_values": {"id": "Tidak ada nilai yang dicatat untuk tindakan ini.", "en": "No values were recorded for this action."},
        "audit.group.all": {"id": "Semua tindakan", "en": "All actions"},
        "audit.group.login": {"id": "Masuk", "en": "Sign-ins"},
        "audit.group.user": {"id": "Pengguna", "en": "Users"},
        "audit.group.import": {"id": "Impor", "en": "Imports"},
        "audit.group.plan": {"id": "Rencana dan jadwal", "en": "Plans and schedules"},
        "audit.group.event": {"id": "Acara", "en": "Events"},
        "audit.group.report": {"id": "Laporan acara", "en": "Event reports"},
        "audit.group.followup": {"id": "Tindak lanjut", "en": "Follow-ups"},
        "audit.group.registration": {"id": "Pendaftaran", "en": "Registrations"},
        "audit.group.business": {"id": "Usaha", "en": "Businesses"},
        "audit.group.partner": {"id": "Mitra", "en": "Partners"},
        "audit.group.staff": {"id": "Staf dan cuti", "en": "Staff and leave"},
        "audit.group.model": {"id": "Model", "en": "Models"},
        "audit.group.scores": {"id": "Skor usaha", "en": "Business scores"},
        "audit.group.job": {"id": "Tugas latar", "en": "Background jobs"},
        # Peluang: the bar chart and the tile map
        "peluang.chart_sorted": {"id": "{n} teratas menurut skor, diurutkan menurut jumlah belum terdaftar; warna = skor",
                                 "en": "top {n} by score, in order of uncovered workers; colour = score"},
        "peluang.tiles_title": {"id": "Peta provinsi", "en": "Province map"},
        "peluang.measure": {"id": "Warna menurut", "en": "Colour by"},
        "peluang.measure.uncovered": {"id": "Pekerja belum terdaftar", "en": "Uncovered workers"},
        "peluang.measure.score": {"id": "Skor peluang", "en": "Opportunity score"},
        "peluang.measure.coverage_rate": {"id": "Cakupan (makin gelap makin rendah)", "en": "Coverage (darker = lower)"},
        "peluang.tiles_help": {
            "id": "Satu kotak per provinsi, disusun seperti peta: Aceh di kiri atas, Papua di kanan. Kotak abu-abu berada di luar pilihan.",
            "en": "One square per province, laid out like the map: Aceh top left, Papua on the right. Grey squares are outside the selection.",
        },
        "peluang.tile_million": {"id": "{n} jt", "en": "{n} mn"},
        "peluang.tile_thousand": {"id": "{n} rb", "en": "{n} k"},
        # Jadwal: the event chosen under the events table
        "jadwal.event_numbers": {
            "id": "{invitees} usaha diundang · perkiraan hadir {attendance} · pekerja terdaftar {enrollments} (tambahan karena undangan {additional}) · biaya {cost}",
            "en": "{invitees} businesses invited · expected to attend {attendance} · workers enrolled {enrollments} ({additional} added by the invitation) · cost {cost}",
        },
        "jadwal.col_workers_short": {"id": "Pekerja (aktual)", "en": "Workers (actual)"},
        "agenda.pick_invitee": {"id": "Pilih satu usaha di tabel untuk membaca semua alasannya dan teks undangannya.",
                                "en": "Choose a business in the table to read all its reasons and its invitation text."},
    }
)


# --- the enrolment and uplift model (uplift fallback, reasons, model card)
STRINGS.update(
    {
        "uplift.why.no_control": {
            "id": "semua {invited} kontak dalam riwayat diundang; tanpa kelompok yang tidak diundang, tidak ada yang menunjukkan apa yang terjadi tanpa undangan",
            "en": "all {invited} contacts in the history were invited; without a group left uninvited nothing shows what happens without an invitation",
        },
        "uplift.why.few": {
            "id": "butuh minimal {min} kontak diundang dan {min} tidak diundang (ada {invited} dan {not_invited})",
            "en": "needs at least {min} invited and {min} uninvited contacts (there are {invited} and {not_invited})",
        },
        "uplift.why.one_outcome": {
            "id": "kelompok diundang atau tidak diundang hanya punya satu jenis hasil",
            "en": "the invited or the uninvited group has only one kind of outcome",
        },
        "uplift.why.cold": {
            "id": "model masih memakai tingkat pendaftaran wilayah × sektor (data belum cukup)",
            "en": "the model still uses region × sector enrolment rates (not enough data yet)",
        },
        "uplift.not_learned": {"id": "Model uplift belum bisa dilatih: {reason}.", "en": "No uplift model could be trained: {reason}."},
        "uplift.fallback": {
            "id": "Uplift dibiarkan kosong ({reason}). Sasaran dan jadwal memakai peluang mendaftar × pekerja sebagai gantinya, "
                  "yang juga menghitung usaha yang akan mendaftar tanpa diundang. Sisakan kelompok pembanding saat menerbitkan rencana agar uplift bisa dipelajari.",
            "en": "Uplift is left empty ({reason}). Targets and plans use enrolment chance × workers instead, which also counts "
                  "businesses that would enrol without an invitation. Hold back a comparison group when publishing a plan so that uplift can be learned.",
        },
        "model.leak": {
            "id": "Pelatihan ditolak: kolom {columns} sendiri hampir memisahkan yang mendaftar dari yang tidak (ROC AUC di atas {limit}). "
                  "Kolom seperti itu adalah hasilnya dengan nama lain atau diisi setelah kontak (nomor pendaftaran, status). "
                  "Kecualikan kolom itu dengan python -m planner train --exclude NAMA_KOLOM (berlaku juga untuk pelatihan berikutnya di aplikasi).",
            "en": "Training refused: the column {columns} on its own almost separates those who enrolled from those who did not (ROC AUC above {limit}). "
                  "Such a column is the outcome under another name or was filled in after the contact (a registration number, a status). "
                  "Exclude it with python -m planner train --exclude COLUMN_NAME (it stays out of every later training, in the app too).",
        },
        "model.excluded": {"id": "Kolom yang tidak dipakai sebagai fitur: {columns}.", "en": "Columns never used as features: {columns}."},
        # reasons: phrases for a factor that raises a business's score
        "reason.has_nib.hi": {"id": "terdaftar OSS (punya NIB)", "en": "registered with OSS (has an NIB)"},
        "reason.has_nib.lo": {"id": "belum punya NIB", "en": "no NIB yet"},
        "reason.kur_recipient.hi": {"id": "penerima KUR", "en": "KUR borrower"},
        "reason.kur_recipient.lo": {"id": "bukan penerima KUR", "en": "not a KUR borrower"},
        "reason.coop_member.hi": {"id": "anggota koperasi", "en": "cooperative member"},
        "reason.coop_member.lo": {"id": "bukan anggota koperasi", "en": "not a cooperative member"},
        "reason.digital_payments.hi": {"id": "memakai pembayaran digital", "en": "takes digital payments"},
        "reason.digital_payments.lo": {"id": "belum memakai pembayaran digital", "en": "no digital payments yet"},
        "reason.workers.hi": {"id": "pekerja banyak", "en": "many workers"},
        "reason.workers.lo": {"id": "pekerja sedikit", "en": "few workers"},
        "reason.business_age.hi": {"id": "usaha sudah lama", "en": "long-established business"},
        "reason.business_age.lo": {"id": "usaha masih baru", "en": "young business"},
        "reason.distance_km.hi": {"id": "jarak jauh dari kantor cabang", "en": "far from a branch office"},
        "reason.distance_km.lo": {"id": "dekat kantor cabang", "en": "close to a branch office"},
        "reason.owner_age.hi": {"id": "pemilik berusia lanjut", "en": "older owner"},
        "reason.owner_age.lo": {"id": "pemilik berusia muda", "en": "young owner"},
        "reason.monthly_revenue_mio.hi": {"id": "omzet tinggi", "en": "high turnover"},
        "reason.monthly_revenue_mio.lo": {"id": "omzet rendah", "en": "low turnover"},
        "reason.sector.A": {"id": "pertanian", "en": "agriculture"},
        "reason.sector.B": {"id": "pertambangan", "en": "mining"},
        "reason.sector.C": {"id": "industri pengolahan", "en": "manufacturing"},
        "reason.sector.D": {"id": "listrik dan gas", "en": "electricity and gas"},
        "reason.sector.E": {"id": "air dan limbah", "en": "water and waste"},
        "reason.sector.F": {"id": "konstruksi", "en": "construction"},
        "reason.sector.G": {"id": "perdagangan", "en": "trade"},
        "reason.sector.H": {"id": "transportasi", "en": "transport"},
        "reason.sector.I": {"id": "makan minum dan akomodasi", "en": "food and lodging"},
        "reason.sector.J": {"id": "informasi dan komunikasi", "en": "information and communication"},
        "reason.sector.K": {"id": "keuangan", "en": "finance"},
        "reason.sector.L": {"id": "real estat", "en": "real estate"},
        "reason.sector.M": {"id": "jasa profesional", "en": "professional services"},
        "reason.sector.N": {"id": "jasa persewaan", "en": "rental services"},
        "reason.sector.O": {"id": "pemerintahan", "en": "public administration"},
        "reason.sector.P": {"id": "pendidikan", "en": "education"},
        "reason.sector.Q": {"id": "kesehatan", "en": "health"},
        "reason.sector.R": {"id": "kesenian dan hiburan", "en": "arts and recreation"},
        "reason.sector.S": {"id": "jasa lainnya", "en": "other services"},
        "reason.sector.T": {"id": "rumah tangga", "en": "households"},
        "reason.sector.U": {"id": "badan internasional", "en": "international bodies"},
        "reason.num.hi": {"id": "{col} tinggi", "en": "high {col}"},
        "reason.num.lo": {"id": "{col} rendah", "en": "low {col}"},
        "reason.missing": {"id": "{col} tidak diisi", "en": "{col} not filled in"},
        "reason.cat.size_class": {"id": "usaha {v}", "en": "{v} business"},
        "reason.cat.sector": {"id": "sektor {v}", "en": "{v} sector"},
        "reason.cat.province": {"id": "wilayah {v}", "en": "region {v}"},
        "reason.cat.other": {"id": "{col} {v}", "en": "{col} {v}"},
        "reason.none": {"id": "tidak ada faktor yang menaikkan skornya di atas rata-rata", "en": "no factor raises its score above average"},
        "reason.rates": {"id": "tingkat pendaftaran wilayah × sektor", "en": "region × sector enrolment rate"},
        "reason.target.uplift": {"id": "uplift (tambahan peluang karena undangan)", "en": "the uplift (the extra chance an invitation causes)"},
        "reason.target.p_enroll": {"id": "peluang mendaftar", "en": "the chance to enrol"},
        "model.reasons_line": {
            "id": "Alasan menjelaskan {target}: hanya faktor yang menaikkan skor usaha itu di atas rata-rata usaha yang disebut. "
                  "Penjelasan ini mereproduksi {r2} dari variasi skor model (R² pada kontak yang tidak dipakai untuk menyusunnya).",
            "en": "Reasons explain {target}: only factors that raise that business's score above the average business's are named. "
                  "The explanation reproduces {r2} of the model's score variation (R² on contacts not used to build it).",
        },
        "uplift.overlap_note": {
            "id": "Riwayat kontak tidak acak: hanya {share} kontak punya peluang diundang antara 5% dan 95%. "
                  "Di {groups} hampir semua kontak diundang atau hampir tidak ada; uplift di sana diperkirakan dari usaha lain (ekstrapolasi), bukan dipelajari dari riwayat.",
            "en": "The contact history is not random: only {share} of contacts had a chance of being invited between 5% and 95%. "
                  "In {groups} nearly every contact was invited or nearly none was; uplift there is extrapolated from other businesses, not learned from the history.",
        },
        "uplift.overlap_share_only": {
            "id": "Riwayat kontak tidak acak: hanya {share} kontak punya peluang diundang antara 5% dan 95%; uplift untuk usaha lain diperkirakan (ekstrapolasi), bukan dipelajari dari riwayat.",
            "en": "The contact history is not random: only {share} of contacts had a chance of being invited between 5% and 95%; uplift for the other businesses is extrapolated, not learned from the history.",
        },
        "uplift.poor_overlap_learner": {
            "id": "Karena itu X-learner dipakai tanpa perbandingan Qini berbobot (perbandingan itu bertumpu pada segelintir kontak berbobot besar).",
            "en": "So the X-learner is used without the weighted Qini comparison (that comparison rests on a handful of heavily weighted contacts).",
        },
        "uplift.group.province": {"id": "provinsi {v}", "en": "province {v}"},
        "uplift.group.size_class": {"id": "usaha {v}", "en": "{v} businesses"},
        "uplift.group.sector": {"id": "sektor {v}", "en": "sector {v}"},
        "model.choice": {
            "id": "Model dipilih dengan validasi yang sama dari {n} kandidat: {winner} (ROC AUC {auc}; {margin} di atas kandidat berikutnya, {over_default} di atas model bawaan).",
            "en": "Model chosen by the same validation among {n} candidates: {winner} (ROC AUC {auc}; {margin} above the next candidate, {over_default} above the default).",
        },
        "model.choice_default": {
            "id": "Model dipilih dengan validasi yang sama dari {n} kandidat: model bawaan, {winner} (ROC AUC {auc}), tetap dipakai; kandidat terbaik lain, {other}, hanya {diff} lebih tinggi (batas 0,002: selisih sekecil itu hanya kebetulan).",
            "en": "Model chosen by the same validation among {n} candidates: the default, {winner} (ROC AUC {auc}), is kept; the best other, {other}, is only {diff} higher (limit 0.002: a difference that small is chance).",
        },
        "model.candidate.hgb": {"id": "gradient boosting (bawaan)", "en": "gradient boosting (default)"},
        "model.candidate.hgb_small": {"id": "gradient boosting kecil", "en": "small gradient boosting"},
        "model.candidate.hgb_large": {"id": "gradient boosting besar", "en": "large gradient boosting"},
        "model.candidate.logit": {"id": "regresi logistik (kurva per angka)", "en": "logistic regression (a curve per number)"},
        "plan.no_uplift": {
            "id": "Rencana ini disusun dengan peluang mendaftar × pekerja, bukan uplift × pekerja: model aktif tidak punya model uplift "
                  "(riwayat tanpa kelompok yang tidak diundang). Tambahan pekerja yang tertulis juga menghitung yang akan mendaftar tanpa diundang.",
            "en": "This plan was built on enrolment chance × workers, not uplift × workers: the active model has no uplift part "
                  "(a history without a group left uninvited). Its extra workers also count those who would enrol without an invitation.",
        },
    }
)


# --- scheduler: province-by-province solving, travel limit, plan-operation CLI verbs
STRINGS.update(
    {
        "sched.travel_too_large": {
            "id": "Perjalanan staf antarprovinsi untuk {provinces} provinsi terlalu besar untuk dihitung sebagai satu model "
                  "({choices} pilihan staf × provinsi × hari, paling banyak {limit}); matikan perjalanan antarprovinsi "
                  "atau pilih paling banyak {k} provinsi.",
            "en": "Staff travel between {provinces} provinces is too large to plan as one model ({choices} staff × province × "
                  "day choices, at most {limit}); turn off travel between provinces or choose at most {k} provinces.",
        },
        "plan.event_missing": {
            "id": "Acara {event} tidak ada; periksa kodenya di daftar acara rencana (halaman Jadwal, atau python -m planner export events --plan NOMOR --out acara.csv).",
            "en": "Event {event} does not exist; check its code in the plan's event list (the Schedule page, or python -m planner export events --plan NUMBER --out events.csv).",
        },
        "plan.event_not_draft": {
            "id": "Acara {event} ada di rencana {plan} yang berstatus {status}; buka kembali rencana itu sebagai draf dulu (halaman Jadwal, atau python -m planner plans reopen {plan}).",
            "en": "Event {event} belongs to plan {plan}, which is {status}; reopen that plan as a draft first (the Schedule page, or python -m planner plans reopen {plan}).",
        },
        "plan.event_cancelled": {
            "id": "Acara {event} sudah dibatalkan dan tidak bisa dikunci atau dipindah; susun ulang jadwal agar hari itu diisi acara lain.",
            "en": "Event {event} is cancelled and cannot be locked or moved; solve the plan again to fill its day with another event.",
        },
        "plan.move_bad_date": {
            "id": "Tanggal '{value}' untuk acara {event} bukan tanggal YYYY-MM-DD; tulis mis. 2027-01-06.",
            "en": "Date '{value}' for event {event} is not a YYYY-MM-DD date; write e.g. 2027-01-06.",
        },
        "plan.move_outside": {
            "id": "Tanggal {date} untuk acara {event} di luar rentang rencana ({start} – {end}); pilih tanggal di dalam rentang itu.",
            "en": "Date {date} for event {event} is outside the plan's dates ({start} – {end}); choose a date within them.",
        },
        "plan.move_partner_missing": {
            "id": "Mitra {partner} untuk acara {event} tidak ada; pilih kode mitra dari halaman Mitra & staf.",
            "en": "Partner {partner} for event {event} does not exist; choose a partner code from the Partners & staff page.",
        },
        "plan.move_partner_inactive": {
            "id": "Mitra {partner} untuk acara {event} tidak aktif; aktifkan dulu di halaman Mitra & staf atau pilih mitra lain.",
            "en": "Partner {partner} for event {event} is inactive; activate it on the Partners & staff page or choose another partner.",
        },
        "plan.move_staff_missing": {
            "id": "Staf {staff} untuk acara {event} tidak ada atau tidak aktif; pilih staf aktif dari halaman Mitra & staf.",
            "en": "Staff member {staff} for event {event} does not exist or is inactive; choose an active staff member from the Partners & staff page.",
        },
        "cli.plans_need_plan": {
            "id": "plans {action} butuh nomor rencana, mis. python -m planner plans {action} 3.",
            "en": "plans {action} needs a plan number, e.g. python -m planner plans {action} 3.",
        },
        "cli.plans_need_event": {
            "id": "plans {action} butuh kode acara, mis. python -m planner plans {action} E3-0001 (kodenya ada di daftar acara rencana).",
            "en": "plans {action} needs an event code, e.g. python -m planner plans {action} E3-0001 (the codes are in the plan's event list).",
        },
        "cli.move_nothing": {
            "id": "plans move {event} butuh --date YYYY-MM-DD, --partner KODE_MITRA atau --staff KODE_STAF.",
            "en": "plans move {event} needs --date YYYY-MM-DD, --partner PARTNER_ID or --staff STAFF_ID.",
        },
        "cli.event_locked": {
            "id": "Acara {event} dikunci; susun ulang jadwal di sekitarnya: python -m planner schedule --plan {plan} --out acara.csv",
            "en": "Event {event} locked; solve the plan again around it: python -m planner schedule --plan {plan} --out events.csv",
        },
        "cli.event_unlocked": {
            "id": "Kunci acara {event} dibuka; susunan ulang berikutnya boleh menggantinya.",
            "en": "Event {event} unlocked; the next solve may replace it.",
        },
        "cli.event_cancelled": {
            "id": "Acara {event} dibatalkan; undangannya dilepas dan mitra serta harinya tidak diusulkan lagi.",
            "en": "Event {event} cancelled; its invitations are released and its partner and day are not proposed again.",
        },
        "cli.event_moved": {
            "id": "Acara {event} dipindah ke {date}, mitra {partner}, staf {staff}, dan dikunci.",
            "en": "Event {event} moved to {date}, partner {partner}, staff {staff}, and locked.",
        },
        "cli.plan_published": {
            "id": "Rencana {plan} diterbitkan; {controls} usaha ({share}) ditahan sebagai kelompok pembanding (seed {seed}).",
            "en": "Plan {plan} published; {controls} businesses ({share}) held back as the comparison group (seed {seed}).",
        },
        "cli.plan_archived": {
            "id": "Rencana {plan} diarsipkan; tidak tampil lagi di daftar rencana.",
            "en": "Plan {plan} archived; it no longer shows in the list of plans.",
        },
        "cli.event_moved_broken": {
            "id": "Rencana {plan} kini melanggar aturan berikut; pindahkan lagi atau susun ulang (susunan ulang menolak rencana yang melanggar):",
            "en": "Plan {plan} now breaks these rules; move the event again or solve again (a solve refuses a plan that breaks a rule):",
        },
    }
)


# scheduling, model and plans texts
STRINGS.update(
    {
        "sched.conflict.unknown": {
            "id": "Permintaan tidak dapat dipenuhi, tetapi aturan penyebabnya tidak dapat dipastikan dalam batas waktu; longgarkan anggaran atau buka kunci acara.",
            "en": "The request cannot be met, but the rules causing it could not be pinned down in time; loosen the budget or unlock events.",
        },
        "sched.conflict.budget": {
            "id": "Anggaran {budget} tidak cukup",
            "en": "The budget of {budget} is not enough",
        },
        "sched.conflict.min_regency": {
            "id": "Minimal {n} acara di setiap kabupaten/kota yang punya mitra ({regencies})",
            "en": "At least {n} events in every regency with a partner ({regencies})",
        },
        "sched.conflict.staff_week": {
            "id": "Staf {staff} paling banyak {limit} acara di minggu {week}",
            "en": "Staff {staff} has at most {limit} events in week {week}",
        },
        "sched.conflict.staff_day": {
            "id": "Staf {staff} hanya bisa satu acara pada {date}",
            "en": "Staff {staff} can lead only one event on {date}",
        },
        "sched.conflict.partner_month": {
            "id": "Mitra {partner} paling banyak {limit} acara di bulan {month}",
            "en": "Partner {partner} hosts at most {limit} events in {month}",
        },
        "sched.conflict.gap": {
            "id": "Jarak minimal {days} hari antaracara di satu kabupaten/kota ({regencies})",
            "en": "At least {days} days between events in one regency ({regencies})",
        },
        "sched.conflict.staff_cover": {
            "id": "Tidak ada cukup staf {province} yang bebas pada {date}",
            "en": "Not enough free staff in {province} on {date}",
        },
        "sched.conflict.locked": {
            "id": "Acara terkunci: {events}",
            "en": "Locked events: {events}",
        },
        "sched.conflict.own_province": {
            "id": "Staf hanya bekerja di provinsinya sendiri (izinkan perjalanan untuk melonggarkan)",
            "en": "Staff work only in their own province (allow travel to loosen this)",
        },
        "sched.conflict.leave": {
            "id": "Acara {event}: staf {staff} cuti pada {date}",
            "en": "Event {event}: staff {staff} is on leave on {date}",
        },
        "sched.conflict.outside": {
            "id": 'Acara {event} pada {date} di luar rentang rencana',
            "en": "Event {event} on {date} is outside the plan's dates",
        },
        "sched.conflict.blocked": {
            "id": "Acara {event} pada {date}: hari itu tidak boleh ({reason})",
            "en": "Event {event} on {date}: no events that day ({reason})",
        },
        "sched.conflict.weekday": {
            "id": "Acara {event}: mitra {partner} tidak tersedia hari {day}",
            "en": "Event {event}: partner {partner} is not available on {day}",
        },
        "sched.conflict.partner_busy": {
            "id": "Acara {event}: mitra {partner} sudah punya acara rencana lain pada {date}",
            "en": "Event {event}: partner {partner} already has an event of another plan on {date}",
        },
        "sched.conflict.staff_busy": {
            "id": "Acara {event}: staf {staff} sudah bertugas di rencana lain pada {date}",
            "en": "Event {event}: staff {staff} already works for another plan on {date}",
        },
        "sched.conflict.partner_inactive": {
            "id": 'Acara {event}: mitra {partner} tidak aktif atau di luar provinsi rencana',
            "en": "Event {event}: partner {partner} is inactive or outside the plan's provinces",
        },
        "sched.conflict.staff_inactive": {
            "id": 'Acara {event}: staf {staff} tidak aktif atau di luar provinsi rencana',
            "en": "Event {event}: staff {staff} is inactive or outside the plan's provinces",
        },
        "sched.conflict.province": {
            "id": "Acara {event}: staf {staff} bukan staf {province} (izinkan perjalanan atau ganti staf)",
            "en": "Event {event}: staff {staff} does not work in {province} (allow travel or change staff)",
        },
        "sched.solve.no_solution": {
            "id": "Belum ada jadwal yang ditemukan dalam {seconds} detik; tambah batas waktu atau persempit rencana.",
            "en": "No schedule found within {seconds} seconds; raise the time limit or narrow the plan.",
        },
        "sched.violation.no_staff": {
            "id": "Acara {event} tanpa staf",
            "en": "Event {event} has no staff",
        },
        "sched.violation.seats": {
            "id": "Acara {event}: {n} undangan melebihi {seats} kursi",
            "en": "Event {event}: {n} invitations exceed {seats} seats",
        },
        "sched.violation.invited_twice": {
            "id": "Usaha {business} diundang dua kali ({first}, {second})",
            "en": "Business {business} is invited twice ({first}, {second})",
        },
        "sched.violation.staff_week": {
            "id": "Staf {staff}: {n} acara di minggu {week}, batasnya {limit}",
            "en": "Staff {staff}: {n} events in week {week}, the limit is {limit}",
        },
        "sched.violation.partner_month": {
            "id": "Mitra {partner}: {n} acara di bulan {month}, kapasitasnya {limit}",
            "en": "Partner {partner}: {n} events in {month}, capacity {limit}",
        },
        "sched.violation.gap": {
            "id": "{regency}: acara {a} dan {b} berjarak kurang dari {days} hari",
            "en": "{regency}: events on {a} and {b} are less than {days} days apart",
        },
        "sched.violation.budget": {
            "id": "Biaya {spent} melebihi anggaran {budget}",
            "en": "Cost {spent} exceeds the budget of {budget}",
        },
        "sched.blocked.holiday": {"id": "libur: {name}", "en": "holiday: {name}"},
        "sched.blocked.weekend": {"id": "akhir pekan", "en": "weekend"},
        "sched.blocked.ramadan": {"id": "Ramadan (tanpa acara)", "en": "Ramadan (no events)"},
        "sched.blocked.idul_fitri": {"id": "pekan Idul Fitri (tanpa acara)", "en": "Idul Fitri week (no events)"},
        "sched.blocked_kind.holiday": {"id": "libur", "en": "holidays"},
        "sched.blocked_kind.weekend": {"id": "akhir pekan", "en": "weekend days"},
        "sched.blocked_kind.ramadan": {"id": "Ramadan", "en": "Ramadan"},
        "sched.blocked_kind.idul_fitri": {"id": "pekan Idul Fitri", "en": "Idul Fitri week"},
        "sched.empty.no_days": {
            "id": "Tidak ada hari kerja dalam rentang ini ({reasons}).",
            "en": "No working day in this range ({reasons}).",
        },
        "sched.empty.no_partners": {
            "id": 'Tidak ada mitra aktif di provinsi rencana; tambahkan mitra di halaman Mitra & Staf.',
            "en": "No active partner in the plan's provinces; add partners on the Partners & Staff page.",
        },
        "sched.empty.no_staff": {
            "id": 'Tidak ada staf aktif di provinsi rencana; tambahkan staf di halaman Mitra & Staf.',
            "en": "No active staff in the plan's provinces; add staff on the Partners & Staff page.",
        },
        "sched.empty.budget": {
            "id": "Anggaran {budget} di bawah biaya acara termurah ({cheapest}).",
            "en": "The budget of {budget} is below the cheapest event ({cheapest}).",
        },
        "sched.empty.no_pool": {
            "id": "Belum ada usaha bernilai untuk diundang: latih model dan nilai usaha di halaman Sasaran.",
            "en": "No business worth inviting yet: train the model and score businesses on the Targets page.",
        },
        "sched.explain.none": {
            "id": "Tidak ada acara yang menambah pendaftaran dengan aturan ini.",
            "en": "No event adds enrolments under these rules.",
        },
        "sched.explain.budget": {
            "id": "Anggaran terpakai {used} ({spent} dari {budget})",
            "en": "Budget used {used} ({spent} of {budget})",
        },
        "sched.explain.staff_week_item": {
            "id": "{staff} minggu {week}: {n} dari {limit}",
            "en": "{staff} week {week}: {n} of {limit}",
        },
        "sched.explain.staff_week": {
            "id": "{n} minggu-staf penuh — {items}",
            "en": "Staff-weeks at their limit: {n} — {items}",
        },
        "sched.explain.more": {
            "id": " … dan {n} lagi",
            "en": " … and {n} more",
        },
        "sched.explain.staff_room": {
            "id": "Tidak ada staf yang mencapai batas mingguannya",
            "en": "No staff member reaches their weekly limit",
        },
        "sched.explain.partner_month": {
            "id": "{n} kali mitra mencapai kapasitas bulanannya — {items}",
            "en": "Partners reach their monthly capacity {n} times — {items}",
        },
        "sched.explain.gap": {
            "id": "Jarak minimal {days} hari membatasi {n} kabupaten/kota: {regencies}",
            "en": "The {days}-day minimum gap limits {n} regencies: {regencies}",
        },
        "sched.explain.pool": {
            "id": "Semua calon undangan bernilai sudah diundang di {n} kabupaten/kota: {regencies}",
            "en": "Every worthwhile invitee is already invited in {n} regencies: {regencies}",
        },
        "sched.explain.calendar": {
            "id": "{work} dari {total} hari bisa dipakai ({holidays} hari libur/cuti bersama, {blackout} hari blackout Ramadan/Idul Fitri)",
            "en": "{work} of {total} days can be used ({holidays} holidays/joint leave days, {blackout} Ramadan/Idul Fitri blackout days)",
        },
        "sched.explain.unplanned": {
            "id": "{n} provinsi belum terjadwal dalam batas waktu ({provinces}); tambah batas waktu lalu susun ulang",
            "en": "{n} provinces were not planned within the time limit ({provinces}); raise the time limit and solve again",
        },
        "sched.explain.penalty_friday": {
            "id": "Penalti Jumat: {n} acara (−{workers} pekerja)",
            "en": "Friday penalty: {n} events (−{workers} workers)",
        },
        "sched.explain.penalty_weekend": {
            "id": "Penalti akhir pekan: {n} acara (−{workers} pekerja)",
            "en": "Weekend penalty: {n} events (−{workers} workers)",
        },
        "sched.explain.penalty_workload": {
            "id": "Penalti beban staf: staf tersibuk {n} acara (−{workers} pekerja)",
            "en": "Workload penalty: the busiest staff member has {n} events (−{workers} workers)",
        },
        "sched.rules.end_before_start": {
            "id": "Tanggal akhir {end} sebelum tanggal mulai {start}; tukar keduanya.",
            "en": "The end date {end} is before the start date {start}; swap them.",
        },
        "sched.rules.too_long": {
            "id": "Rentang {days} hari terlalu panjang; paling lama {max} hari — pecah menjadi beberapa rencana.",
            "en": "A range of {days} days is too long; at most {max} days — split it into several plans.",
        },
        "sched.rules.budget_negative": {
            "id": "Anggaran {budget} negatif; tulis 0 atau lebih (rupiah), atau kosongkan untuk tanpa batas.",
            "en": "The budget {budget} is negative; write 0 or more (rupiah), or leave it empty for no limit.",
        },
        "sched.rules.gap_range": {
            "id": "Jarak minimal antaracara {days} hari di luar 0–60.",
            "en": "The minimum gap between events of {days} days is outside 0–60.",
        },
        "sched.rules.time_limit_range": {
            "id": "Batas waktu {seconds} detik di luar 1–3600.",
            "en": "The time limit of {seconds} seconds is outside 1–3600.",
        },
        "sched.rules.max_invitees": {
            "id": 'Undangan per acara {value}: minimal 1 (atau kosongkan untuk kapasitas tempat).',
            "en": "Invitations per event {value}: at least 1 (or leave it empty for the venue's capacity).",
        },
        "sched.rules.min_regency_negative": {
            "id": "Minimal acara per kabupaten/kota {value} tidak boleh negatif; tulis 0 atau lebih.",
            "en": "The minimum of {value} events per regency cannot be negative; write 0 or more.",
        },
        "sched.rules.extra_staff_range": {
            "id": "Staf tambahan {value} per provinsi di luar 0–20.",
            "en": "{value} extra staff per province is outside 0–20.",
        },
        "sched.rules.travel_negative": {
            "id": "Biaya perjalanan {value} tidak boleh negatif; tulis 0 atau lebih (rupiah).",
            "en": "The travel cost {value} cannot be negative; write 0 or more (rupiah).",
        },
        "sched.rules.start_time": {
            "id": "Jam mulai '{value}' tidak berbentuk JJ:MM (00:00–23:59); tulis mis. 09:00.",
            "en": "The start time '{value}' is not HH:MM (00:00–23:59); write e.g. 09:00.",
        },
        "sched.rules.duration_range": {
            "id": "Lama acara {value} menit di luar 15–720 menit.",
            "en": "An event length of {value} minutes is outside 15–720 minutes.",
        },
        "sched.rules.penalty_negative": {
            "id": "Bobot penalti {name} = {value} tidak boleh negatif; tulis 0 atau lebih.",
            "en": "The penalty weight {name} = {value} cannot be negative; write 0 or more.",
        },
        "sched.decompose_above": {
            "id": "PLANNER_DECOMPOSE_ABOVE='{value}' bukan bilangan bulat; tulis mis. 20000 atau hapus variabel itu.",
            "en": "PLANNER_DECOMPOSE_ABOVE='{value}' is not a whole number; write e.g. 20000 or remove the variable.",
        },
        "serve.app_exited": {
            "id": "Aplikasi di {url} berhenti dengan status {status} sebelum siap; akhir lognya:\n{log}",
            "en": "The app at {url} exited with status {status} before it was ready; the end of its log:\n{log}",
        },
        "serve.app_silent": {
            "id": "Aplikasi tidak menjawab {url} dalam {seconds} detik; akhir lognya:\n{log}",
            "en": "The app did not answer {url} within {seconds} seconds; the end of its log:\n{log}",
        },
        "plan.stale_solve": {
            "id": "Rencana diubah orang lain selama jadwal disusun; susun ulang agar perubahan itu ikut.",
            "en": "Someone else changed the plan while it was being solved; solve again so that their change is included.",
        },
        "plan.solve_running": {
            "id": "Jadwal rencana ini sedang disusun (proses {run}); tunggu atau hentikan dulu.",
            "en": "This plan is being solved (run {run}); wait for it or stop it first.",
        },
        "plan.run_missing": {
            "id": "Proses penyusunan {run} tidak ada.",
            "en": "There is no solve run {run}.",
        },
        "plan.unknown_provinces": {
            "id": "Kode provinsi tidak dikenal: {codes}; gunakan kode Kemendagri seperti 16 (Sumatera Selatan).",
            "en": "Unknown province codes: {codes}; use Kemendagri codes such as 16 (Sumatera Selatan).",
        },
        "plan.name_missing": {
            "id": "Beri nama rencana, mis. 'Sosialisasi Sumsel Q1 2027'.",
            "en": "Give the plan a name, e.g. 'Sosialisasi Sumsel Q1 2027'.",
        },
        "plan.name_too_long": {
            "id": "Nama rencana {length} karakter; paling panjang 120 karakter.",
            "en": "The plan's name has {length} characters; at most 120.",
        },
        "plan.missing": {
            "id": "Rencana {plan} tidak ada; lihat daftar rencana di halaman Jadwal.",
            "en": "There is no plan {plan}; see the list of plans on the Schedule page.",
        },
        "plan.not_visible": {
            "id": "Rencana {plan} belum diterbitkan atau bukan untuk provinsi Anda.",
            "en": "Plan {plan} is not published yet or not for your province.",
        },
        "plan.not_draft": {
            "id": "Rencana {plan} sudah {status}; buka kembali sebagai draf dulu untuk mengubahnya.",
            "en": "Plan {plan} is already {status}; reopen it as a draft first to change it.",
        },
        "plan.no_events": {
            "id": "Rencana ini belum punya acara; susun jadwal dulu.",
            "en": "This plan has no events yet; solve it first.",
        },
        "plan.invited_elsewhere": {
            "id": "{n} usaha di rencana ini sudah diundang di rencana lain yang terbit; susun ulang jadwal dulu.",
            "en": "{n} businesses of this plan are already invited by another published plan; solve it again first.",
        },
        "plan.not_published": {
            "id": "Rencana {plan} bukan rencana terbit.",
            "en": "Plan {plan} is not a published plan.",
        },
        "model.unknown_version": {
            "id": "Versi model {version} tidak dikenal; lihat daftar dengan python -m planner models.",
            "en": "Unknown model version {version}; see the list with python -m planner models.",
        },
        "model.card_broken": {
            "id": "Kartu model {path} rusak (bukan JSON); latih ulang model.",
            "en": "The model card {path} is broken (not JSON); train the model again.",
        },
        "model.none_active": {
            "id": "Belum ada model aktif; latih dulu dengan python -m planner train (atau tombol Latih ulang).",
            "en": "No active model yet; train one first with python -m planner train (or the Retrain button).",
        },
        "model.columns_missing": {
            "id": "Kolom yang dipakai model tidak ada di data: {columns}. Impor ulang data dengan kolom itu, atau latih ulang model (python -m planner train).",
            "en": "Columns the model uses are not in the data: {columns}. Import the data again with those columns, or train the model again (python -m planner train).",
        },
        "model.sklearn_version": {
            "id": "Model {version} dilatih dengan scikit-learn {trained}, sedangkan yang terpasang {installed}; latih ulang model (python -m planner train).",
            "en": "Model {version} was trained with scikit-learn {trained}, but {installed} is installed; train the model again (python -m planner train).",
        },
        "model.cold.few": {
            "id": "hanya {n} kontak berlabel (minimal {min})",
            "en": "only {n} labelled contacts (at least {min})",
        },
        "model.cold.same": {
            "id": "semua kontak punya hasil yang sama",
            "en": "every contact has the same outcome",
        },
        "model.cold.message": {
            "id": "Data belum cukup untuk melatih model ({reason}); memakai tingkat pendaftaran wilayah × sektor yang dihaluskan.",
            "en": "Not enough data to train a model ({reason}); using smoothed region × sector enrolment rates.",
        },
        "model.trained": {
            "id": "Model dilatih dari {n} kontak: ROC AUC {auc}",
            "en": "Model trained on {n} contacts: ROC AUC {auc}",
        },
        "model.trained_baseline": {
            "id": " (baseline wilayah × sektor {auc})",
            "en": " (region × sector baseline {auc})",
        },
        "model.trained_lift": {
            "id": ", lift 10% teratas {lift}×.",
            "en": ", top-10% lift {lift}×.",
        },
        "model.trained_uplift": {
            "id": " Uplift: {learner}-learner, Qini {qini}.",
            "en": " Uplift: {learner}-learner, Qini {qini}.",
        },
        "plan.run_reading": {
            "id": "membaca data",
            "en": "reading the data",
        },
        "plan.run_part": {
            "id": "bagian {part}/{parts}",
            "en": "part {part}/{parts}",
        },
        "plan.run_died": {
            "id": "proses berhenti tanpa hasil",
            "en": "the process stopped without a result",
        },
    }
)


# --- one catalogue: the command line's own words (planner/cli.py) and the domain's messages
# (auth, exports, imports, opportunity, resources, targets, backup, jobs, db, serve,
# projection, reporting)
STRINGS.update(
    {
        "cli.init.reference": {"id": "{path}: data referensi dimuat ({counts}).", "en": "{path}: reference data loaded ({counts})."},
        "cli.init.not_demo": {
            "id": "{path} sudah berisi data usaha yang bukan data demo; pilih berkas lain dengan --db.",
            "en": "{path} already holds business data that is not demo data; choose another file with --db.",
        },
        "cli.init.demo": {
            "id": "{path}: dunia demo dibuat dalam {secs} detik (seed {seed}): {potentials} potensi, {businesses} usaha, "
            "{contacts} kontak, {partners} mitra, {staff} staf.",
            "en": "{path}: demo world created in {secs} seconds (seed {seed}): {potentials} potentials, {businesses} businesses, "
            "{contacts} contacts, {partners} partners, {staff} staff.",
        },
        "cli.file_missing": {"id": "Berkas {file} tidak ada; periksa jalurnya.", "en": "File {file} does not exist; check its path."},
        "cli.file_unreadable": {
            "id": "Tidak dapat membaca berkas {file}: {reason}; periksa jalur dan izin bacanya.",
            "en": "Cannot read file {file}: {reason}; check its path and read permission.",
        },
        "cli.import.extra_columns": {
            "id": "Kolom tambahan disimpan sebagai atribut: {columns}",
            "en": "Extra columns kept as attributes: {columns}",
        },
        "cli.status.demo": {"id": "{path} (data demo)", "en": "{path} (demo data)"},
        "cli.train.score_no_activate": {
            "id": "--score menilai dengan model aktif; jangan pakai bersama --no-activate.",
            "en": "--score scores with the active model; do not use it together with --no-activate.",
        },
        "cli.train.rescored": {"id": "{n} usaha dinilai ulang dalam {secs} detik.", "en": "{n} businesses rescored in {secs} seconds."},
        "cli.train.changes": {
            "id": "Perubahan dari {old}: kontak berlabel {before} → {after}",
            "en": "Changes from {old}: labelled contacts {before} → {after}",
        },
        "cli.train.same_data": {"id": " (data sama)", "en": " (same data)"},
        "cli.train.features": {"id": "fitur baru: {added}; fitur hilang: {removed}", "en": "new features: {added}; features gone: {removed}"},
        "cli.train.validation": {"id": "validasi", "en": "validation"},
        "cli.train.calibration": {"id": "kalibrasi (prediksi → teramati, baris):", "en": "calibration (predicted → observed, rows):"},
        "cli.score.done": {
            "id": "{n} usaha dinilai dengan model {version} dalam {secs} detik.",
            "en": "{n} businesses scored with model {version} in {secs} seconds.",
        },
        "cli.score.done_no_uplift": {
            "id": "{n} usaha dinilai dengan model {version} dalam {secs} detik (tanpa model uplift).",
            "en": "{n} businesses scored with model {version} in {secs} seconds (without an uplift model).",
        },
        "cli.written": {"id": "Ditulis ke {file}.", "en": "Written to {file}."},
        "cli.models.active": {"id": "Model aktif: {version}", "en": "Active model: {version}"},
        "cli.models.none": {"id": "Belum ada model; latih dengan python -m planner train.", "en": "No model yet; train one with python -m planner train."},
        "cli.models.row": {"id": "{rows} kontak  AUC {auc}", "en": "{rows} contacts  AUC {auc}"},
        "cli.users.password": {"id": "Kata sandi: ", "en": "Password: "},
        "cli.users.password_again": {"id": "Ulangi kata sandi: ", "en": "Repeat the password: "},
        "cli.users.password_differ": {
            "id": "Kedua kata sandi tidak sama; ketik kata sandi yang sama dua kali.",
            "en": "The two passwords differ; type the same password twice.",
        },
        "cli.users.provinces": {"id": ", provinsi {provinces}", "en": ", provinces {provinces}"},
        "cli.users.staff": {"id": ", staf {staff}", "en": ", staff {staff}"},
        "cli.users.added": {"id": "Pengguna {user} ({role}{extra}) dibuat.", "en": "User {user} ({role}{extra}) created."},
        "cli.users.linked": {"id": "Pengguna {user} terhubung ke staf {staff}.", "en": "User {user} linked to staff member {staff}."},
        "cli.users.unlinked": {"id": "Pengguna {user} tidak lagi terhubung ke staf.", "en": "User {user} no longer linked to a staff member."},
        "cli.users.active": {"id": "aktif", "en": "active"},
        "cli.users.inactive": {"id": "nonaktif", "en": "disabled"},
        "cli.users.locked_until": {"id": ", terkunci s.d. {until}", "en": ", locked until {until}"},
        "cli.users.password_set": {
            "id": "Kata sandi {user} diganti; sesi lamanya diakhiri.",
            "en": "Password of {user} changed; its old sessions are ended.",
        },
        "cli.users.enabled": {"id": "Pengguna {user} diaktifkan.", "en": "User {user} enabled."},
        "cli.users.disabled": {"id": "Pengguna {user} dinonaktifkan.", "en": "User {user} disabled."},
        "cli.backup.done": {"id": "Cadangan {source} → {file} ({pages} halaman).", "en": "Backup {source} → {file} ({pages} pages)."},
        "cli.export.done": {"id": "{n} baris {kind} ditulis ke {file}.", "en": "{n} rows of {kind} written to {file}."},
        "cli.bad_date": {
            "id": "{what} '{value}' bukan tanggal YYYY-MM-DD; tulis mis. 2027-01-04.",
            "en": "{what} '{value}' is not a YYYY-MM-DD date; write e.g. 2027-01-04.",
        },
        "cli.out_suffix": {
            "id": "{option} harus berkas .csv atau .xlsx, bukan '{file}'; beri nama berakhiran .csv atau .xlsx.",
            "en": "{option} must be a .csv or .xlsx file, not '{file}'; give a name ending in .csv or .xlsx.",
        },
        "cli.bar.part": {"id": "bagian {part}/{parts}", "en": "part {part}/{parts}"},
        "cli.bar.progress": {"id": "rencana {objective}  batas {bound}", "en": "plan {objective}  bound {bound}"},
        "cli.schedule.name": {"id": "Jadwal {start} s.d. {end}", "en": "Schedule {start} to {end}"},
        "cli.schedule.no_scores": {
            "id": "Belum ada skor usaha: jalankan dulu python -m planner train --score.",
            "en": "No business scores yet: first run python -m planner train --score.",
        },
        "cli.schedule.infeasible": {
            "id": "Rencana {plan}: tidak mungkin dipenuhi. Aturan yang bertentangan:",
            "en": "Plan {plan}: cannot be met. The conflicting rules:",
        },
        "cli.schedule.unknown": {"id": "Rencana {plan}: {reasons}", "en": "Plan {plan}: {reasons}"},
        "cli.sheet.events": {"id": "acara", "en": "events"},
        "cli.sheet.invitations": {"id": "undangan", "en": "invitations"},
        "cli.schedule.done": {
            "id": "Rencana {plan}: {events} acara, perkiraan tambahan pekerja terdaftar {additional} (terdaftar di antara undangan "
            "{enrollments}), biaya Rp {cost}; status {status}, tujuan {objective}, batas terbukti {bound}, selisih {gap}, {secs} detik.",
            "en": "Plan {plan}: {events} events, expected additional workers registered {additional} (registered among invitees "
            "{enrollments}), cost Rp {cost}; status {status}, objective {objective}, proven bound {bound}, gap {gap}, {secs} seconds.",
        },
        "cli.schedule.written": {"id": "Acara ditulis ke {file}.", "en": "Events written to {file}."},
        "cli.schedule.written_both": {
            "id": "Acara ditulis ke {file}, undangan ke {invitations}.",
            "en": "Events written to {file}, invitations to {invitations}.",
        },
        "cli.schedule.published": {"id": "Rencana {plan} diterbitkan.", "en": "Plan {plan} published."},
        "cli.plans.none": {
            "id": "Belum ada rencana; buat dengan python -m planner schedule.",
            "en": "No plans yet; make one with python -m planner schedule.",
        },
        "cli.plans.row": {"id": "{events} acara  +{additional} pekerja  Rp {cost}  {name}", "en": "{events} events  +{additional} workers  Rp {cost}  {name}"},
        "cli.plans.reopened": {"id": "Rencana {plan} dibuka kembali sebagai draf.", "en": "Plan {plan} reopened as a draft."},
        "cli.plans.ics_needs": {
            "id": "plans ics butuh --staff STAFF_ID dan --out FILE.ics.",
            "en": "plans ics needs --staff STAFF_ID and --out FILE.ics.",
        },
        "cli.plans.ics_written": {"id": "Kalender {staff} ditulis ke {file}.", "en": "Calendar of {staff} written to {file}."},
        "auth.sign_in_first": {"id": "Silakan masuk dulu.", "en": "Please sign in first."},
        "auth.role_denied": {
            "id": "Peran {role} ({user}) tidak boleh melakukan ini; hanya {roles}.",
            "en": "Role {role} ({user}) may not do this; only {roles}.",
        },
        "auth.province_denied": {
            "id": "{user} hanya boleh mengubah {what} provinsi {mine}; data ini memuat provinsi {outside}.",
            "en": "{user} may only change {what} of province {mine}; this data holds province {outside}.",
        },
        "scope.data": {"id": "data", "en": "data"},
        "scope.partners": {"id": "mitra", "en": "partners"},
        "scope.staff": {"id": "staf", "en": "staff"},
        "scope.potentials": {"id": "potensi", "en": "potentials"},
        "scope.businesses": {"id": "usaha", "en": "businesses"},
        "scope.contacts": {"id": "kontak", "en": "contacts"},
        "scope.registrations": {"id": "pendaftaran", "en": "registrations"},
        "scope.payments": {"id": "pembayaran", "en": "payments"},
        "scope.reports": {"id": "laporan", "en": "reports"},
        "auth.password_short": {
            "id": "Kata sandi minimal {n} karakter; pilih yang lebih panjang.",
            "en": "A password has at least {n} characters; choose a longer one.",
        },
        "auth.role_unknown": {
            "id": "Peran '{role}' tidak dikenal; gunakan salah satu dari: {roles}.",
            "en": "Role '{role}' is unknown; use one of: {roles}.",
        },
        "auth.province_unknown": {
            "id": "Kode provinsi tidak dikenal: {codes}; gunakan kode Kemendagri seperti 16.",
            "en": "Unknown province code: {codes}; use a Kemendagri code such as 16.",
        },
        "auth.staff_needs_province": {
            "id": "Staf harus punya minimal satu provinsi (--province 16).",
            "en": "A staff account needs at least one province (--province 16).",
        },
        "auth.username_bad": {
            "id": "Nama pengguna '{value}' tidak sah: 2–40 karakter, huruf kecil, angka, titik, garis bawah atau minus.",
            "en": "Username '{value}' is not valid: 2–40 characters, lower-case letters, digits, dot, underscore or minus.",
        },
        "auth.user_exists": {
            "id": "Pengguna {user} sudah ada; pilih nama lain.",
            "en": "User {user} already exists; choose another name.",
        },
        "auth.disable_self": {
            "id": "Anda tidak dapat menonaktifkan akun Anda sendiri; minta admin lain melakukannya.",
            "en": "You cannot disable your own account; ask another admin to do it.",
        },
        "auth.last_admin": {
            "id": "'{user}' adalah admin aktif terakhir; tambahkan atau aktifkan admin lain dulu.",
            "en": "'{user}' is the last active admin; add or enable another admin first.",
        },
        "auth.user_unknown": {
            "id": "Pengguna {user} tidak ada; lihat daftar dengan python -m planner users list.",
            "en": "User {user} does not exist; see the list with python -m planner users list.",
        },
        "res.partner_unknown": {
            "id": "Mitra {partner} tidak ada; periksa kodenya di daftar mitra.",
            "en": "Partner {partner} does not exist; check its code in the list of partners.",
        },
        "res.staff_unknown": {
            "id": "Staf {staff} tidak ada; periksa kodenya di daftar staf.",
            "en": "Staff member {staff} does not exist; check the code in the list of staff.",
        },
        "res.bad_date": {
            "id": "{what} '{value}' bukan tanggal YYYY-MM-DD; tulis mis. 2026-12-01.",
            "en": "{what} '{value}' is not a YYYY-MM-DD date; write e.g. 2026-12-01.",
        },
        "res.leave_start": {"id": "Tanggal mulai", "en": "Start date"},
        "res.leave_end": {"id": "Tanggal akhir", "en": "End date"},
        "res.leave_reversed": {
            "id": "Tanggal akhir {end} sebelum tanggal mulai {start}; tukar keduanya.",
            "en": "End date {end} is before start date {start}; swap them.",
        },
        "res.leave_too_long": {
            "id": "Cuti paling lama satu tahun; pecah menjadi beberapa periode.",
            "en": "A leave lasts at most one year; split it into several periods.",
        },
        "res.leave_reason_long": {
            "id": "Alasan paling panjang 200 karakter (kini {n}); persingkat.",
            "en": "A reason has at most 200 characters (now {n}); shorten it.",
        },
        "res.leave_unknown": {
            "id": "Cuti nomor {leave} tidak ada; muat ulang daftar cuti.",
            "en": "Leave number {leave} does not exist; reload the list of leave.",
        },
        "opp.weights_bad": {
            "id": "Bobot harus angka 0 atau lebih; periksa {names}.",
            "en": "Weights must be numbers of 0 or more; check {names}.",
        },
        "opp.weights_zero": {
            "id": "Setidaknya satu bobot harus lebih dari 0; naikkan salah satunya.",
            "en": "At least one weight must be more than 0; raise one of them.",
        },
        "opp.level_unknown": {
            "id": "Tingkat '{value}' tidak dikenal; gunakan salah satu dari: {choices}.",
            "en": "Level '{value}' is unknown; use one of: {choices}.",
        },
        "opp.by_unknown": {
            "id": "Pengelompokan '{value}' tidak dikenal; gunakan salah satu dari: {choices}.",
            "en": "Grouping '{value}' is unknown; use one of: {choices}.",
        },
        "opp.segment_unknown": {
            "id": "Segmen '{value}' tidak dikenal; gunakan salah satu dari: {choices}.",
            "en": "Segment '{value}' is unknown; use one of: {choices}.",
        },
        "opp.province_unknown": {
            "id": "Kode provinsi '{value}' tidak dikenal; gunakan kode Kemendagri dua angka seperti 16.",
            "en": "Province code '{value}' is unknown; use a two-digit Kemendagri code such as 16.",
        },
        "targets.sort_unknown": {
            "id": "Urutan '{value}' tidak dikenal; gunakan salah satu dari: {choices}.",
            "en": "Sort order '{value}' is unknown; use one of: {choices}.",
        },
        "targets.segment_unknown": {
            "id": "Segmen '{value}' tidak dikenal; gunakan PU atau BPU.",
            "en": "Segment '{value}' is unknown; use PU or BPU.",
        },
        "export.kind_unknown": {
            "id": "Jenis ekspor '{kind}' tidak dikenal; gunakan salah satu dari: {choices}.",
            "en": "Export kind '{kind}' is unknown; use one of: {choices}.",
        },
        "imp.staff_kind_denied": {
            "id": "Staf tidak boleh mengimpor {kind}; hanya {kinds}. Minta manajer mengimpor berkas ini.",
            "en": "Staff may not import {kind}; only {kinds}. Ask a manager to import this file.",
        },
        "demo.businesses_range": {
            "id": "--businesses harus antara 1 dan 1.000.000, bukan {value}; pilih jumlah usaha di rentang itu.",
            "en": "--businesses must be between 1 and 1.000.000, not {value}; choose a number of businesses in that range.",
        },
    }
)


# Cheap reruns: reads scoped to the acting user (planner.reads, planner.targets.target_page)
STRINGS.update(
    {
        "reads.not_your_province": {
            "id": "Provinsi {province} bukan provinsi Anda ({mine}); pilih salah satu provinsi Anda.",
            "en": "Province {province} is not one of yours ({mine}); choose one of your provinces.",
        },
        "reads.no_event": {
            "id": "Acara {event} tidak ada (mungkin sudah dihapus); pilih acara dari daftar rencana.",
            "en": "Event {event} does not exist (it may have been deleted); choose an event from the plan's list.",
        },
    }
)
