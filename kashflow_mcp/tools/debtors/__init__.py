"""Who owes what: the aged debtors report. Declared here as the model sees it; the handler
is in ``ageing``."""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import PAYMENTS

DEBTOR_TOOLS = (
    ToolSpec(
        name="aged_debtors",
        title="Aged debtors",
        description="Who owes what at a date, per customer: not yet due, then by how long "
        "overdue. In GBP (KashFlow's ledger currency; foreign invoices at their rate).",
        runs="debtors.ageing:aged_debtors",
        toolset=PAYMENTS,
        kind=Kind.READ,
        operations=("GetAgedDebtors",),
    ),
)
