"""Reading a document in a child process, under the time limit (`limits.document_seconds`).

Readers whose library or program can loop or swell on a hostile file (catdoc for .doc,
xlrd for .xls) run it in a child process, so that the limits end it without harming rpa.
"""

from __future__ import annotations

import subprocess

from rpa.errors import ExtractionError

__all__ = ["run_child"]


def run_child(
    command: list[str], data: bytes, seconds: int, label: str, tool: str
) -> subprocess.CompletedProcess:
    """`command` run on `data` (its standard input), its output captured; raises
    `ExtractionError` naming the document (`label`) when it takes longer than `seconds`
    or `tool` does not start."""
    try:
        return subprocess.run(command, input=data, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(
            f"the {label} took longer than {seconds} s to read (limits.document_seconds)"
        ) from exc
    except OSError as exc:
        raise ExtractionError(f"the {label} could not be read: {tool} did not start ({exc})") from exc
