"""The shared words of the domain: partner types, size classes, segments, programmes,
and the rules that follow from them (which segment a business is in, which programmes
it must join). Migrations keep frozen copies of their own; everything else imports
from here."""

from __future__ import annotations

PARTNER_TYPES = (
    "dinas_koperasi",
    "koperasi",
    "asosiasi_ritel",
    "bank",
    "perisai",
    "pemda",
    "oss_ptsp",
    "ecommerce",
    "asosiasi_industri",
)
SIZE_CLASSES = ("mikro", "kecil", "menengah")
SEGMENTS = ("PU", "BPU")
PROGRAMMES = ("JKK", "JKM", "JHT", "JP")  # in the order the agency writes them

# Perpres 109/2013 Pasal 6 ayat (3): the programmes an employer of each size class must
# join (data/programme_rules.csv, rule group "phasing").
MANDATORY = {
    "mikro": ("JKK", "JKM"),
    "kecil": ("JKK", "JKM", "JHT"),
    "menengah": ("JKK", "JKM", "JHT", "JP"),
}
# An informal (BPU) worker registers JKK and JKM at least, may add JHT, and has no JP.
BPU_MANDATORY = ("JKK", "JKM")
BPU_EXCLUDED = ("JP",)


def segment_of(workers: int | None) -> str:
    """A one-person business is an informal worker who registers alone (BPU); a business
    with more workers is an employer whose workers join as wage earners (PU)."""
    return "BPU" if int(workers or 0) <= 1 else "PU"


SEGMENT_SQL = "CASE WHEN {workers} <= 1 THEN 'BPU' ELSE 'PU' END"


def mandatory_programmes(size_class: str, workers: int | None) -> tuple[str, ...]:
    """The programmes a registration of this business must include."""
    if segment_of(workers) == "BPU":
        return BPU_MANDATORY
    return MANDATORY.get(size_class, MANDATORY["mikro"])


def excluded_programmes(workers: int | None) -> tuple[str, ...]:
    return BPU_EXCLUDED if segment_of(workers) == "BPU" else ()


def parse_programmes(text: str) -> tuple[list[str], list[str]]:
    """``'JKK;JKM'`` (also ``,``, spaces or ``/`` between) -> (known in canonical order,
    unknown as written)."""
    parts = [p.strip().upper() for p in str(text or "").replace(",", ";").replace("/", ";").replace(" ", ";").split(";")]
    parts = [p for p in parts if p]
    unknown = [p for p in parts if p not in PROGRAMMES]
    return [p for p in PROGRAMMES if p in parts], unknown


def parse_weekdays(text: str | None) -> frozenset[int]:
    """A partner's ``available_weekdays`` as stored (``'1;2;3;4;5'``, ISO 1 = Monday … 7 =
    Sunday) -> the set of weekdays; anything else in the text is ignored. The one reading of
    that column: the scheduler's instance, the audit trail's words and the partner form."""
    return frozenset(int(x) for x in str(text or "").split(";") if x.strip().isdigit() and 1 <= int(x) <= 7)
