"""A reader process (see `extractors.readers.readerpool`), run by path: ``python -I readerworker.py``.

Its first message is rpa's `sys.path`. It then serves documents until its standard input
ends. It imports nothing ahead: a reader's module is imported when the first request for it
is unpickled, and the package the reader reads with inside its first `read` (python-docx
0.25 s, openpyxl 0.15 s), so that a process holds what its documents needed and no more:
about 12 MB waiting for its first document, 35 MB after a Word document, where importing
every reader and its package took 70 MB in each process. Answers go out on what was its
standard output; what a library prints goes to standard error instead, so that it cannot
garble an answer.
"""

import os
import pickle
import sys

_LENGTH = 8


def main() -> None:
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    sys.path[:] = pickle.loads(requests.read(int.from_bytes(requests.read(_LENGTH), "big")))
    from extractors.readers.readerpool import serve

    serve(requests, answers)


if __name__ == "__main__":
    main()
