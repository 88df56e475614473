"""The `rpa` command as a user runs it: a real process, a real store, real files."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_mail, run_rpa

from rpa.cli import app

COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "claim.eml").write_bytes(
        make_mail(
            "Bonjour,\n\nJe déclare un dégât des eaux survenu le 14 mars 2025 dans ma cuisine.\n"
            "Mon contrat n° HAB-20931874.\n\nCordialement,\nJean Dupont\n06 12 34 56 78\n",
            message_id="<claim-1@example.fr>",
        )
    )
    (folder / "ooo.eml").write_bytes(
        make_mail(
            "Je suis absent jusqu'au 24 mars.",
            subject="Réponse automatique : absent du bureau",
            message_id="<ooo-1@example.fr>",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    (folder / "notes.md").write_text("not a mail: ignored in a folder walk")
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_every_command_has_help_and_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        assert (command.callback.__doc__ or "").strip(), f"{command.name} has no help text"
    for name in COMMANDS:
        assert re.search(rf"\brpa {name}\b", readme), f"`rpa {name}` is not in the README"


def test_process_json_prints_one_contract_object_per_message(inbox: Path, home: Path) -> None:
    result = run_rpa("process", str(inbox), "--json", home=home)
    assert result.returncode == 0, result.stderr
    claim, ooo = json_lines(result.stdout)
    assert set(claim) >= {
        "source",
        "message_id",
        "language",
        "intent",
        "intent_confidence",
        "fields",
        "attachments",
        "draft",
        "flags",
        "errors",
    }
    assert claim["source"].endswith("claim.eml") and claim["message_id"] == "<claim-1@example.fr>"
    assert (claim["language"], claim["intent"]) == ("fr", "claim_new")
    assert claim["fields"]["policy_number"]["value"] == "HAB-20931874"
    assert claim["fields"]["incident_date"] == {
        **claim["fields"]["incident_date"],
        "value": "2025-03-14",
        "source": "body",
    }
    assert claim["draft"]["subject"] == "Re: Déclaration de sinistre"
    assert claim["draft"]["status"] == "pending_review"
    assert (ooo["intent"], ooo["draft"]) == ("auto_reply", None)
    assert "auto_reply" in ooo["flags"]


def test_processing_again_creates_no_second_draft_unless_asked(inbox: Path, home: Path) -> None:
    first = json_lines(run_rpa("process", str(inbox), "--json", home=home).stdout)
    again = json_lines(run_rpa("process", str(inbox), "--json", home=home).stdout)
    assert [m["draft"] and m["draft"]["id"] for m in again] == [
        m["draft"] and m["draft"]["id"] for m in first
    ]
    assert all("already_processed" in m["flags"] for m in again)
    forced = json_lines(
        run_rpa("process", str(inbox / "claim.eml"), "--json", "--reprocess", home=home).stdout
    )
    assert forced[0]["draft"]["id"] != first[0]["draft"]["id"]
    queue = json_lines(run_rpa("queue", "--status", "all", "--json", home=home).stdout)
    assert len(queue) == 2


def test_process_without_json_prints_a_summary(inbox: Path, home: Path) -> None:
    result = run_rpa("process", str(inbox), home=home)
    assert result.returncode == 0, result.stderr
    assert "2 processed, 0 already in the store, 0 failed" in result.stdout
    assert "claim_new" in result.stdout and "auto_reply" in result.stdout


def test_a_missing_path_is_a_clear_error(home: Path, tmp_path: Path) -> None:
    result = run_rpa("process", str(tmp_path / "nowhere"), home=home)
    assert result.returncode == 1
    assert "error:" in result.stderr and "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


def test_queue_show_approve_with_edit(inbox: Path, home: Path, tmp_path: Path) -> None:
    run_rpa("process", str(inbox), home=home)
    queue = json_lines(run_rpa("queue", "--json", home=home).stdout)
    assert [(e["status"], e["intent"]) for e in queue] == [("pending_review", "claim_new")]
    message_id = str(queue[0]["id"])
    shown = run_rpa("show", message_id, home=home).stdout
    for expected in ("HAB-20931874", "2025-03-14", "Re: Déclaration de sinistre", "Bonjour Jean Dupont"):
        assert expected in shown
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\np = sys.argv[1]\ntext = open(p).read()\n"
        "open(p, 'w').write(text.replace('Bonjour', 'Bonsoir'))\n"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    approved = run_rpa(
        "approve",
        message_id,
        "--edit",
        "--agent",
        "alice",
        home=home,
        env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""},
    )
    assert approved.returncode == 0, approved.stderr
    assert "approved with your edit" in approved.stdout
    detail = json.loads(run_rpa("show", message_id, "--json", home=home).stdout)
    assert detail["draft"]["status"] == "approved" and detail["draft"]["body"].startswith("Bonsoir")
    assert "alice" in run_rpa("show", message_id, home=home).stdout


def test_reject_needs_a_reason(inbox: Path, home: Path) -> None:
    run_rpa("process", str(inbox), home=home)
    assert run_rpa("reject", "1", home=home).returncode == 2
    result = run_rpa("reject", "1", "--reason", "wrong customer", "--agent", "bob", home=home)
    assert result.returncode == 0, result.stderr
    assert json_lines(run_rpa("queue", "--status", "rejected", "--json", home=home).stdout)[0]["id"] == 1
    again = run_rpa("approve", "1", home=home)
    assert again.returncode == 1 and "rejected: cannot be approved" in again.stderr


def test_show_of_an_unknown_id_is_a_clear_error(home: Path) -> None:
    result = run_rpa("show", "999", home=home)
    assert result.returncode == 1 and "no message with id 999" in result.stderr


def test_export_csv_and_json_list_the_fields_per_message(inbox: Path, home: Path) -> None:
    run_rpa("process", str(inbox), home=home)
    rows = list(csv.DictReader(io.StringIO(run_rpa("export", "--format", "csv", home=home).stdout)))
    assert [r["intent"] for r in rows] == ["claim_new", "auto_reply"]
    assert rows[0]["policy_number"] == "HAB-20931874" and rows[0]["phone"] == "+33612345678"
    exported = json.loads(run_rpa("export", "--format", "json", home=home).stdout)
    assert exported[0]["fields"]["incident_date"] == "2025-03-14"


def test_init_writes_a_commented_config_once(home: Path) -> None:
    assert run_rpa("init", home=home).returncode == 0
    assert "[ocr]" in (home / "config.toml").read_text()
    assert run_rpa("init", home=home).returncode == 1
    assert run_rpa("init", "--force", home=home).returncode == 0


def test_a_broken_config_file_is_reported_not_a_traceback(home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text("[ocr]\ndpi = 'high'\n")
    result = run_rpa("queue", home=home)
    assert result.returncode == 1 and "expected int" in result.stderr and "Traceback" not in result.stderr


def test_doctor_reports_both_ocr_engines_and_the_database(home: Path) -> None:
    result = run_rpa("doctor", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"ok\s+tesseract .*fra", result.stdout)
    assert re.search(r"ok\s+rapidocr\s+rapidocr 3\.\d+.*onnxruntime", result.stdout)
    assert re.search(r"ok\s+database", result.stdout)


def test_eval_scores_a_labelled_folder(inbox: Path, home: Path) -> None:
    (inbox / "claim.expected.json").write_text(
        json.dumps(
            {
                "intent": "claim_new",
                "language": "fr",
                "draft": True,
                "fields": {
                    "policy_number": "HAB-20931874",
                    "incident_date": "2025-03-14",
                    "phone": "+33612345678",
                    "customer_name": "Jean Dupont",
                },
            }
        )
    )
    result = run_rpa("eval", str(inbox), "--min-fields", "0.95", "--min-intent", "0.95", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 labelled case(s), 1 unlabelled input(s) skipped" in result.stdout
    assert "fields exactly right: 100.0% of 4" in result.stdout
    (inbox / "claim.expected.json").write_text(json.dumps({"intent": "complaint", "fields": {}}))
    failed = run_rpa("eval", str(inbox), "--min-intent", "0.95", home=home)
    assert failed.returncode == 1 and "intent: expected complaint, got claim_new" in failed.stdout
