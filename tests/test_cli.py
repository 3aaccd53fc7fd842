"""``python -m planner``: global --db before the verb, exit statuses, output formats."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_init_creates_reference_only_database(tmp_path, capsys):
    db = tmp_path / "empty.db"
    status, out, _ = run(capsys, "--db", str(db), "init")
    assert status == 0 and db.exists() and "514" in out
    status, out, _ = run(capsys, "--db", str(db), "status")
    assert "businesses" in out and "(data demo)" not in out


def test_planner_db_env_is_used_when_no_flag(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "env.db"))
    assert run(capsys, "init")[0] == 0
    assert (tmp_path / "env.db").exists()


def test_rank_formats(demo_db_path, capsys):
    status, out, _ = run(capsys, "--db", str(demo_db_path), "rank", "--level", "province", "--by", "region", "--segment", "all", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and len(rows) == 38
    assert list(rows[0]) == ["code", "name", "eligible", "covered", "uncovered", "coverage_rate", "score"]
    assert int(rows[0]["eligible"]) - int(rows[0]["covered"]) == int(rows[0]["uncovered"])
    status, out, _ = run(capsys, "--db", str(demo_db_path), "rank", "--level", "regency", "--by", "region-sector", "--segment", "BPU", "--top", "5", "--format", "json")
    data = json.loads(out)
    assert len(data) == 5 and "/" in data[0]["code"]
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)
    status, out, _ = run(capsys, "--db", str(demo_db_path), "rank", "--top", "3")
    lines = out.splitlines()
    assert len(lines) == 4 and lines[0].split()[:4] == ["Kode", "Nama", "Pekerja", "layak"]  # headers from the catalogue
    assert any("." in tok and tok.replace(".", "").isdigit() for tok in lines[1].split())  # 1.234.567
    status, out_en, _ = run(capsys, "--db", str(demo_db_path), "--lang", "en", "rank", "--top", "3")
    assert out_en.splitlines()[0].split()[:4] == ["Code", "Name", "Eligible", "Covered"]
    assert [ln.split() for ln in out_en.splitlines()[1:]] == [ln.split() for ln in lines[1:]]  # numbers stay Indonesian-style


def test_import_error_exits_2_and_writes_nothing(demo_db_path, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays\nP1,X,bank,16.71,4,80,abc,1;2\n", encoding="utf-8")
    before = __import__("sqlite3").connect(demo_db_path).execute("SELECT COUNT(*) FROM partners").fetchone()[0]
    status, _, err = run(capsys, "--db", str(demo_db_path), "import", "partners", str(bad))
    assert status == 2
    assert "Baris 2, kolom cost_per_event, nilai 'abc'" in err
    after = __import__("sqlite3").connect(demo_db_path).execute("SELECT COUNT(*) FROM partners").fetchone()[0]
    assert before == after


def test_import_ok_and_missing_file(demo_db_path, tmp_path, capsys):
    good = tmp_path / "staff.csv"
    good.write_text("staff_id;name;province_code;max_events_per_week\nS99;Budi;16;3\n", encoding="utf-8-sig")
    status, out, _ = run(capsys, "--db", str(demo_db_path), "import", "staff", str(good))
    assert status == 0 and "1 baru" in out
    status, out, _ = run(capsys, "--db", str(demo_db_path), "import", "staff", str(good))
    assert "1 tidak berubah" in out
    status, _, err = run(capsys, "--db", str(demo_db_path), "import", "staff", str(tmp_path / "nope.csv"))
    assert status == 2 and "tidak ada" in err


def test_init_demo_refuses_to_mix_with_real_data(tmp_path, capsys):
    db = tmp_path / "real.db"
    run(capsys, "--db", str(db), "init")
    f = tmp_path / "b.csv"
    f.write_text(
        "business_id,name,regency_code,sector,size_class,workers,founded_year,has_nib,kur_recipient,coop_member,digital_payments,enrolled\n"
        "B1,Warung,16.71,G,mikro,2,2019,0,0,0,0,0\n",
        encoding="utf-8",
    )
    assert run(capsys, "--db", str(db), "import", "businesses", str(f))[0] == 0
    status, _, err = run(capsys, "--db", str(db), "init", "--demo", "--businesses", "100")
    assert status == 2 and "bukan data demo" in err


def test_module_entry_point_runs_as_a_process(tmp_path):
    db = tmp_path / "p.db"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db), "init", "--demo", "--businesses", "500", "--seed", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "500 usaha" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "rank", "--level", "desa"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_a_bug_prints_an_incident_number_and_logs_the_traceback(tmp_path, capsys, monkeypatch):
    import planner.cli as cli

    db = tmp_path / "x.db"
    assert run(capsys, "--db", str(db), "init")[0] == 0

    def broken(args):
        raise KeyError("internal detail")

    monkeypatch.setitem(cli.VERBS, "status", broken)
    status, out, err = run(capsys, "--db", str(db), "status")
    assert status == 1 and "Traceback" not in err and "internal detail" not in err
    number = err.split("kejadian ")[1].split(")")[0]
    log = (tmp_path / "logs" / "cli.log").read_text(encoding="utf-8")
    assert f"incident {number}" in log and "Traceback" in log and "internal detail" in log
    status, _, err = run(capsys, "--db", str(db), "--lang", "en", "status")
    assert status == 1 and "incident number" in err


def test_help_lists_every_verb(capsys):
    """argparse formats help texts with %: a bare % in one of them broke --help."""
    import pytest

    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "--lang" in out
    assert "80% and 95% intervals" in out and "budget -20%/+20%" in out


@pytest.mark.parametrize("size", ["0", "-5", "1000001"])
def test_a_demo_size_out_of_range_is_refused_before_anything_is_created(tmp_path, capsys, size):
    db = tmp_path / "p.db"
    status, _, err = run(capsys, "--db", str(db), "init", "--demo", "--businesses", size)
    assert status == 2 and "1.000.000" in err and "Traceback" not in err
    assert not db.exists()  # no empty database left behind
