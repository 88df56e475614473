"""The paths given to `rpa process`: mail files, folders, mbox files, Maildirs, documents."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest
from conftest import make_mail

from extractors.sources import RawInput, iter_inputs
from rpa.errors import InputError


def write(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def sources(paths: list[Path]) -> list[str]:
    return [raw.source for raw in iter_inputs(paths)]


def test_eml_file_is_one_mail_input(tmp_path: Path) -> None:
    data = make_mail("Bonjour")
    path = write(tmp_path / "claim.eml", data)
    assert list(iter_inputs([path])) == [RawInput(str(path), data, "mail", "claim.eml")]


def test_documents_are_document_inputs_whatever_the_case_of_their_suffix(tmp_path: Path) -> None:
    paths = [write(tmp_path / name) for name in ("a.PDF", "b.png", "c.JPG", "d.jpeg", "e.tif", "f.TIFF")]
    assert [(raw.kind, raw.filename) for raw in iter_inputs(paths)] == [
        ("document", path.name) for path in paths
    ]


def test_folder_is_walked_recursively_in_name_order(tmp_path: Path) -> None:
    for name in ("b.eml", "a/z.EML", "a/y.pdf", "c/d/e.eml"):
        write(tmp_path / name)
    expected = ("a/y.pdf", "a/z.EML", "b.eml", "c/d/e.eml")
    assert sources([tmp_path]) == [str(tmp_path / name) for name in expected]


def test_folder_walk_ignores_files_of_other_types(tmp_path: Path) -> None:
    write(tmp_path / "claim.eml")
    for name in ("claim.expected.json", "notes.md", "script.py", "README", ".hidden.eml"):
        write(tmp_path / name)
    assert sources([tmp_path]) == [str(tmp_path / "claim.eml")]


def test_mbox_gives_one_mail_per_message_numbered_from_one(tmp_path: Path) -> None:
    path = tmp_path / "export.mbox"
    box = mailbox.mbox(path)
    for subject in ("First", "Second", "Third"):
        box.add(make_mail("Bonjour", subject=subject))
    box.close()
    inputs = list(iter_inputs([path]))
    assert [raw.source for raw in inputs] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert all(raw.kind == "mail" and raw.data.startswith(b"From: Jean Dupont") for raw in inputs)
    assert b"Subject: Third" in inputs[2].data


def test_maildir_messages_in_new_and_cur_are_mail_whatever_their_names(tmp_path: Path) -> None:
    maildir = tmp_path / "Maildir"
    write(maildir / "new" / "1712000000.M1P1.host")
    write(maildir / "cur" / "1711000000.M2P2.host:2,S")
    write(maildir / "tmp" / "1713000000.M3P3.host")  # still being delivered
    assert sources([maildir]) == [
        str(maildir / "new" / "1712000000.M1P1.host"),
        str(maildir / "cur" / "1711000000.M2P2.host:2,S"),
    ]


def test_maildir_inside_a_walked_folder_is_read_as_a_maildir(tmp_path: Path) -> None:
    write(tmp_path / "archive" / "Maildir" / "cur" / "1711000000.M2P2.host:2,S")
    (tmp_path / "archive" / "Maildir" / "new").mkdir()
    (tmp_path / "archive" / "Maildir" / "tmp").mkdir()
    assert [raw.kind for raw in iter_inputs([tmp_path])] == ["mail"]


def test_explicit_message_file_of_a_maildir_is_mail(tmp_path: Path) -> None:
    for part in ("new", "tmp"):
        (tmp_path / part).mkdir()
    path = write(tmp_path / "cur" / "1711000000.M2P2.host:2,S")
    assert [raw.kind for raw in iter_inputs([path])] == ["mail"]


def test_file_named_mbox_without_messages_raises_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "export.mbox", make_mail("no From_ line before me"))
    with pytest.raises(InputError, match="no messages found"):
        list(iter_inputs([path]))


def test_explicit_file_of_an_unknown_type_raises_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "claim.expected.json")
    with pytest.raises(InputError, match=r"claim\.expected\.json: cannot read '\.json' files"):
        list(iter_inputs([path]))


def test_missing_path_raises_input_error_before_anything_is_read(tmp_path: Path) -> None:
    good = write(tmp_path / "a.eml")
    inputs = iter_inputs([good, tmp_path / "missing.eml"])
    with pytest.raises(InputError, match="missing.eml: no such file or folder"):
        next(inputs)


def test_inputs_are_read_one_at_a_time(tmp_path: Path) -> None:
    first, second = write(tmp_path / "1.eml", b"first"), write(tmp_path / "2.eml", b"old")
    inputs = iter_inputs([tmp_path])
    assert next(inputs).data == b"first"
    second.write_bytes(b"new")  # not read yet: the change is seen
    assert next(inputs).data == b"new"
    assert first.exists()
