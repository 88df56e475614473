"""A reader process (see `extractors.readers.readerpool`), run by path: ``python -I readerworker.py``.

Its first message is rpa's `sys.path`. It then imports the readers and the packages they
import when they read (`_PRELOAD`), so that no document's time is spent importing them,
and serves documents until its standard input ends. Answers go out on what was its
standard output; what a library prints goes to standard error instead, so that it
cannot garble an answer.
"""

import importlib
import os
import pickle
import sys

_LENGTH = 8
# What the readers import inside `read` (see extractors/readers/*.py); one missing is only
# imported, and said missing, when a document needs it.
_PRELOAD = (
    "extractors.readers.registry",
    *("docx", "docx.table", "openpyxl", "defusedxml.ElementTree", "olefile", "inscriptis", "striprtf"),
)


def main() -> None:
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    sys.path[:] = pickle.loads(requests.read(int.from_bytes(requests.read(_LENGTH), "big")))
    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    from extractors.readers.readerpool import serve

    serve(requests, answers)


if __name__ == "__main__":
    main()
