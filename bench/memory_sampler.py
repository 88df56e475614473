"""Memory read from /proc: of this process (`resident_kb`, `reset_peak`), and of a
process tree sampled while it runs (`TreeMemory`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["TreeMemory", "reset_peak", "resident_kb"]


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""  # the process has just ended


def _kb(text: str, key: str) -> int:
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


# --- This process ---------------------------------------------------------------


def resident_kb(key: str = "VmRSS") -> int:
    """This process's resident size (VmRSS) or its high-water mark (VmHWM), in kB."""
    return _kb(Path("/proc/self/status").read_text(), key)


def reset_peak() -> None:
    """Start this process's high-water mark again from its current resident size."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # the peak of the input is then the process's peak so far


# --- A process tree ---------------------------------------------------------------


class TreeMemory:
    """Peak memory of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_kb = 0  # sum over the tree at one sample
        self.peak_pss_kb = 0
        self.peak_process_kb = 0  # the largest VmHWM of any one process
        self.processes = set()
        self.at_peak: list[tuple[str, int, int]] = []  # (process, RSS kB, PSS kB) at the PSS peak

    def sample(self) -> None:
        tree = self._tree()
        self.processes |= tree
        held = []
        for pid in sorted(tree):
            status = _read(f"/proc/{pid}/status")
            self.peak_process_kb = max(self.peak_process_kb, _kb(status, "VmHWM"))
            held.append(
                (self._name(pid), _kb(status, "VmRSS"), _kb(_read(f"/proc/{pid}/smaps_rollup"), "Pss"))
            )
        rss, pss = sum(kb for _, kb, _ in held), sum(kb for _, _, kb in held)
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        if pss > self.peak_pss_kb:
            self.peak_pss_kb, self.at_peak = pss, held

    def _name(self, pid: int) -> str:
        """The process's part in the run: the run itself, a fork of it, or the program it runs."""
        if pid == self.pid:
            return "main"
        words = _read(f"/proc/{pid}/cmdline").split("\0")
        script = next((Path(word).stem for word in words[1:] if word.endswith(".py")), "")
        if script == "corpora":  # the bench's own command line: a fork of the run
            return "fork of main"
        return script or Path(words[0]).name or "?"

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _read(f"/proc/{entry}/stat")
                if stat:  # "pid (name) state ppid ...": the name may hold spaces and parentheses
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, grew = {self.pid}, True
        while grew:
            found = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= found
            grew = bool(found)
        return tree
