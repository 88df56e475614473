"""Reviewing a draft by hand: the agent's own editor on the reply text."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from rpa.errors import RpaError

__all__ = ["edit_text"]


def edit_text(text: str, editor: str) -> str | None:
    """Open `text` in `editor` (a command line, as in $EDITOR); return the saved text.

    Returns None when the agent quits without saving, so that closing the
    editor is never mistaken for approving the draft as it was.
    """
    with tempfile.TemporaryDirectory(prefix="rpa-edit-") as folder:
        path = Path(folder) / "reply.txt"
        path.write_text(text, encoding="utf-8")
        before = os.stat(path).st_mtime_ns
        try:
            completed = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise RpaError(f"cannot start the editor {editor!r}: {exc} (set $EDITOR)") from exc
        if completed.returncode != 0:
            raise RpaError(f"the editor {editor!r} exited with status {completed.returncode}")
        if os.stat(path).st_mtime_ns == before:
            return None
        return path.read_text(encoding="utf-8")
