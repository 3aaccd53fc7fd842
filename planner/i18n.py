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


def fmt_rupiah_short(value: float | int | None) -> str:
    """16800 -> 'Rp 16.800'; 21400000 -> 'Rp 21,4 juta'; 1250000000 -> 'Rp 1,25 miliar'
    (for headline numbers that must fit a narrow space)."""
    if value is None:
        return "–"
    v = float(value)
    if abs(v) >= 1e12:
        return "Rp " + fmt_num(v / 1e12, 2).rstrip("0").rstrip(",") + " triliun"
    if abs(v) >= 1e9:
        return "Rp " + fmt_num(v / 1e9, 2).rstrip("0").rstrip(",") + " miliar"
    if abs(v) >= 1e6:
        return "Rp " + fmt_num(v / 1e6, 1).rstrip("0").rstrip(",") + " juta"
    return fmt_rupiah(v)


def fmt_date(value: _dt.date | str | None, lang: str = DEFAULT_LANG) -> str:
    """date(2026, 11, 21) -> '21 Nov 2026' ('21 Agu 2026' in August, Indonesian)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    months = _MONTHS.get(lang, _MONTHS[DEFAULT_LANG])
    return f"{value.day} {months[value.month - 1]} {value.year}"


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
        "login.fail.wrong": {"id": "Nama pengguna atau kata sandi salah.", "en": "Wrong user name or password."},
        "login.fail.disabled": {"id": "Akun ini dinonaktifkan; hubungi admin.", "en": "This account is disabled; ask an admin."},
        "login.fail.locked": {
            "id": "Akun dikunci setelah {failures} kali salah kata sandi; coba lagi dalam {minutes} menit.",
            "en": "The account is locked after {failures} wrong passwords; try again in {minutes} minutes.",
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
        "jadwal.title": {"id": "Jadwal sosialisasi", "en": "Sosialisasi schedule"},
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
                               "en": "Event cost + staff travel, in millions of rupiah (40 = Rp 40,000,000). 0 = no limit. Now: {now}."},
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
        "jadwal.travel_cost": {"id": "Biaya perjalanan per acara (Rp)", "en": "Travel cost per event (Rp)"},
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
                        "en": "The partners who host sosialisasi and the staff who lead events, with their availability: weekdays, monthly capacity, venue, cost, weekly limit and leave."},
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
