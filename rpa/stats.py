"""What agents did with the drafts: `rpa stats`, per intent, per template and per backend.

An approved draft sent as written counts as approved unchanged; one the agent
edited first counts as approved after edit, and how much of the draft survived
is the similarity between the draft and the approved text (difflib's ratio,
1.0 when unchanged). Superseded drafts are left out; pending ones are counted
as drafts only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rpa.models import DraftStatus
from rpa.store import Store
from rpa.store.knowledge import ReviewedDraft, reviewed_drafts

__all__ = [
    "APPROVED",
    "APPROVED_EDITED",
    "APPROVED_UNCHANGED",
    "REJECTED",
    "DraftStats",
    "draft_stats",
    "format_stats",
    "group_drafts",
    "kept_share",
    "outcome",
    "similarity",
    "stats_json",
]

APPROVED = frozenset({DraftStatus.APPROVED, DraftStatus.SENDING, DraftStatus.SENT})
GROUPINGS = ("intent", "template", "backend")
# What an agent did with a draft; each is the name of a `DraftStats` counter.
APPROVED_UNCHANGED, APPROVED_EDITED, REJECTED = "approved_unchanged", "approved_edited", "rejected"


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

    def add(self, draft: ReviewedDraft, kept: float | None = None) -> None:
        """Count one draft; `kept`: its `kept_share`, when the caller has measured it already."""
        self.drafts += 1
        what = outcome(draft)
        if what is None:
            return
        setattr(self, what, getattr(self, what) + 1)
        if what != REJECTED:
            self.similarities.append(kept_share(draft) if kept is None else kept)


def outcome(draft: ReviewedDraft) -> str | None:
    """What the agent did with a draft (a `DraftStats` counter's name); None while it waits."""
    if draft.status == DraftStatus.REJECTED:
        return REJECTED
    if draft.status in APPROVED:
        return APPROVED_UNCHANGED if draft.final_body is None else APPROVED_EDITED
    return None


def kept_share(draft: ReviewedDraft) -> float | None:
    """How much of an approved draft the agent kept (1.0 when unchanged); None when not approved."""
    if draft.status not in APPROVED:
        return None
    return 1.0 if draft.final_body is None else similarity(draft.body, draft.final_body)


def similarity(draft: str, approved: str) -> float:
    return difflib.SequenceMatcher(None, draft.split(), approved.split(), autojunk=False).ratio()


def draft_stats(store: Store) -> dict[str, list[DraftStats]]:
    """For each grouping (intent, template, backend), one row per value, sorted by name."""
    return group_drafts(reviewed_drafts(store))


def group_drafts(drafts: Iterable[ReviewedDraft]) -> dict[str, list[DraftStats]]:
    """`draft_stats` of any set of drafts (the supervisors' dashboard gives those of a window).
    Each draft's similarity is measured once, not once per grouping."""
    rows: dict[str, dict[str, DraftStats]] = {grouping: {} for grouping in GROUPINGS}
    for draft in drafts:
        kept = kept_share(draft)
        for grouping, stats in rows.items():
            key = getattr(draft, grouping)
            stats.setdefault(key, DraftStats(key)).add(draft, kept)
    return {grouping: [stats[key] for key in sorted(stats)] for grouping, stats in rows.items()}


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
