"""What agents did with the drafts: `rpa stats`, per intent, per template and per backend.

An approved draft sent as written counts as approved unchanged; one the agent
edited first counts as approved after edit, and how much of the draft survived
is the similarity between the draft and the approved text (difflib's ratio,
1.0 when unchanged). Superseded drafts are left out; pending ones are counted
as drafts only.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from rpa.models import DraftStatus
from rpa.store import Store
from rpa.store.knowledge import ReviewedDraft, reviewed_drafts

__all__ = ["DraftStats", "draft_stats", "format_stats", "stats_json"]

_APPROVED = frozenset({DraftStatus.APPROVED, DraftStatus.SENDING, DraftStatus.SENT})
GROUPINGS = ("intent", "template", "backend")


@dataclass
class DraftStats:
    key: str
    drafts: int = 0
    approved_unchanged: int = 0
    approved_edited: int = 0
    rejected: int = 0
    similarities: list[float] = field(default_factory=list)

    @property
    def mean_similarity(self) -> float | None:
        return sum(self.similarities) / len(self.similarities) if self.similarities else None

    def add(self, draft: ReviewedDraft) -> None:
        self.drafts += 1
        if draft.status == DraftStatus.REJECTED:
            self.rejected += 1
        elif draft.status in _APPROVED:
            edited = draft.final_body is not None
            self.approved_edited += edited
            self.approved_unchanged += not edited
            self.similarities.append(similarity(draft.body, draft.final_body) if edited else 1.0)


def similarity(draft: str, approved: str) -> float:
    return difflib.SequenceMatcher(None, draft.split(), approved.split(), autojunk=False).ratio()


def draft_stats(store: Store) -> dict[str, list[DraftStats]]:
    """For each grouping (intent, template, backend), one row per value, sorted by name."""
    drafts = reviewed_drafts(store)
    result: dict[str, list[DraftStats]] = {}
    for grouping in GROUPINGS:
        rows: dict[str, DraftStats] = {}
        for draft in drafts:
            key = getattr(draft, grouping)
            rows.setdefault(key, DraftStats(key)).add(draft)
        result[grouping] = [rows[key] for key in sorted(rows)]
    return result


def stats_json(stats: dict[str, Sequence[DraftStats]]) -> dict:
    return {
        grouping: [
            {
                "key": row.key,
                "drafts": row.drafts,
                "approved_unchanged": row.approved_unchanged,
                "approved_edited": row.approved_edited,
                "rejected": row.rejected,
                "mean_similarity": None if row.mean_similarity is None else round(row.mean_similarity, 3),
            }
            for row in rows
        ]
        for grouping, rows in stats.items()
    }


def format_stats(stats: dict[str, Sequence[DraftStats]]) -> str:
    lines = []
    for grouping, rows in stats.items():
        width = max([len(grouping), *(len(row.key) for row in rows)])
        lines.append(f"{grouping:<{width}}  drafts  unchanged  edited  rejected  similarity")
        for row in rows:
            mean = "-" if row.mean_similarity is None else f"{row.mean_similarity:.2f}"
            lines.append(
                f"{row.key:<{width}}  {row.drafts:>6}  {row.approved_unchanged:>9}  "
                f"{row.approved_edited:>6}  {row.rejected:>8}  {mean:>10}"
            )
        if not rows:
            lines.append("(no drafts)")
        lines.append("")
    return "\n".join(lines)
