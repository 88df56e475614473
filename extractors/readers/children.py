"""Running a program on a document in a child process, within `limits.document_seconds`
and `document_mb`.

The `.doc` and `.xls` readers hand the document to a program (catdoc; xlrd in
`xlsworker.py`) as its standard input: `run_child` gives it up after `document_seconds`,
and `limited_command` puts it under `prlimit`'s address-space limit where util-linux is
installed. Readers whose own Python code reads the document run in a reader process
instead (`extractors.readers.readerpool`).
"""

from __future__ import annotations

import shutil
import subprocess

from extractors.readers.deadline import took_too_long
from rpa.errors import ExtractionError

__all__ = ["limited_command", "run_child"]

_MB = 1024 * 1024


def limited_command(command: list[str], megabytes: int) -> list[str]:
    """`command` run under an address-space limit of `megabytes`, by util-linux's `prlimit`."""
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        return command
    return [prlimit, f"--as={megabytes * _MB}", "--", *command]


def run_child(
    command: list[str], data: bytes, seconds: int, label: str, tool: str
) -> subprocess.CompletedProcess:
    """`command` run on `data` (its standard input), its output captured; raises
    `ExtractionError` naming the document (`label`) when it takes longer than `seconds`
    or `tool` does not start."""
    try:
        return subprocess.run(command, input=data, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        raise took_too_long(label, seconds) from exc
    except OSError as exc:
        raise ExtractionError(f"the {label} could not be read: {tool} did not start ({exc})") from exc
