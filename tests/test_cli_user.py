"""`rpa user`: accounts of the web workspace from the command line, passwords never on it."""

from __future__ import annotations

from pathlib import Path

from conftest import run_rpa

from rpa.accounts import log_in
from rpa.config import load_settings
from rpa.store import Store


def _password_file(tmp_path: Path, text: str = "correct horse battery staple\n") -> Path:
    path = tmp_path / "password"
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_a_user_is_added_listed_and_can_log_in(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = run_rpa(
        "user",
        "add",
        "Alice",
        "--role",
        "supervisor",
        "--password-file",
        str(_password_file(tmp_path)),
        home=home,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "user alice added (supervisor)"
    listed = run_rpa("user", "list", home=home)
    assert listed.stdout.split() == ["alice", "supervisor", "active"]
    settings = load_settings(environ={"RPA_HOME": str(home)})
    with Store.open(settings) as store:
        assert (
            log_in(store, settings.web, "alice", "correct horse battery staple", None).actor.role
            == "supervisor"
        )


def test_the_password_is_asked_for_when_no_file_is_given(tmp_path: Path) -> None:
    home = tmp_path / "home"
    answer = run_rpa("user", "add", "bob", home=home, input="long enough password\nlong enough password\n")
    assert answer.returncode == 0, answer.stderr
    different = run_rpa("user", "add", "carol", home=home, input="long enough password\nanother password!!\n")
    assert different.returncode == 1 and "the two passwords differ" in different.stderr


def test_there_is_no_password_option_on_the_command_line(tmp_path: Path) -> None:
    answer = run_rpa("user", "add", "dave", "--password", "secret secret", home=tmp_path)
    assert answer.returncode == 2 and "No such option" in answer.stderr


def test_a_disabled_user_is_listed_as_such_and_a_new_password_enables_again(tmp_path: Path) -> None:
    home = tmp_path / "home"
    secret = _password_file(tmp_path)
    run_rpa("user", "add", "erin", "--password-file", str(secret), home=home)
    assert run_rpa("user", "disable", "erin", home=home).stdout.strip() == "user erin disabled"
    assert run_rpa("user", "list", home=home).stdout.split() == ["erin", "agent", "disabled"]
    changed = run_rpa(
        "user",
        "password",
        "erin",
        "--password-file",
        str(_password_file(tmp_path, "a new long password")),
        home=home,
    )
    assert changed.returncode == 0 and run_rpa("user", "list", home=home).stdout.split()[-1] == "active"


def test_a_weak_password_or_unknown_role_is_a_clear_error(tmp_path: Path) -> None:
    short = run_rpa(
        "user", "add", "fred", "--password-file", str(_password_file(tmp_path, "short")), home=tmp_path
    )
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    role = run_rpa(
        "user",
        "add",
        "fred",
        "--role",
        "boss",
        "--password-file",
        str(_password_file(tmp_path)),
        home=tmp_path,
    )
    assert role.returncode == 2 and "agent, supervisor, admin" in role.stderr
