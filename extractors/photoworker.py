"""The photo reader's process (see `extractors.photoservice`), run by path: ``python -I photoworker.py``.

Its first message is rpa's `sys.path`, the `[ocr]` settings and the socket to listen on. It
then imports rpa's RapidOCR, says "ready" on its standard output and answers photos until its
standard input ends. What a library prints goes to standard error.
"""

import os
import pickle
import sys


def main() -> None:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    control = sys.stdin.buffer
    length = int.from_bytes(control.read(8), "big")
    path, settings, address = pickle.loads(control.read(length))
    sys.path[:] = path
    from extractors.photoservice import serve

    serve(settings, address, control, out)


if __name__ == "__main__":
    main()
