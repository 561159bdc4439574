"""A table as plain rows of text: what every view (terminal, Markdown, HTML) renders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableData:
    title: str
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # columns to right-align
    # (row, column) of each cell that wins its row: the lowest price, the largest window, the only Yes.
    winners: frozenset[tuple[int, int]] = frozenset()

    def wins(self, row: int, column: int) -> bool:
        return (row, column) in self.winners
