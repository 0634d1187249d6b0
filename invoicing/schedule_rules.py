"""Payment schedules as pure rules: reading steps, resolving amounts and due dates,
allocating payments. No database here (invoicing.schedules writes).

A step is {"kind": "percent"|"fixed"|"remaining", "percent"?: number (0–100],
"amount_minor"?: int > 0, "due": {"offset": int, "unit": "days"|"weeks"|"months",
"relative_to": "invoice_date"|"shoot_date"}}; a negative offset is before the date.

Amounts: a percentage of the sale's total (rounded half up to the minor unit), a fixed
amount, or — the last step only — the remaining balance (total − the other steps).
Payments are allocated to the steps oldest due date first; what is paid beyond the
sale's total is credit, shown, never lost.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

KINDS = ("percent", "fixed", "remaining")
UNITS = ("days", "weeks", "months")
RELATIVE_TO = ("invoice_date", "shoot_date")
MAX_OFFSET = 3650


@dataclass(frozen=True)
class Step:
    kind: str
    percent_bp: int | None
    fixed_minor: int | None
    offset: int
    unit: str
    relative_to: str

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": self.kind}
        if self.kind == "percent":
            body["percent"] = float(Decimal(self.percent_bp or 0) / 100)
        if self.kind == "fixed":
            body["amount_minor"] = self.fixed_minor
        body["due"] = {"offset": self.offset, "unit": self.unit, "relative_to": self.relative_to}
        return body

    def describe(self) -> str:
        what = {
            "percent": f"{Decimal(self.percent_bp or 0) / 100:g} %",
            "fixed": "fixed amount",
            "remaining": "the remaining balance",
        }[self.kind]
        when = "on" if self.offset == 0 else f"{abs(self.offset)} {self.unit}"
        side = "" if self.offset == 0 else (" before" if self.offset < 0 else " after")
        return f"{what}, due {when}{side} the {self.relative_to.replace('_', ' ')}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _one_step(raw: Any, last: bool) -> tuple[Step | None, list[str]]:
    if not isinstance(raw, dict):
        return None, ["Each instalment is an object."]
    problems: list[str] = []
    kind = raw.get("kind")
    if kind not in KINDS:
        return None, [f"kind must be one of {', '.join(KINDS)}."]
    percent_bp = fixed = None
    if kind == "percent":
        try:
            percent = Decimal(str(raw.get("percent")))
        except (InvalidOperation, ValueError):
            percent = Decimal(-1)
        if isinstance(raw.get("percent"), bool) or not (0 < percent <= 100):
            problems.append("percent must be a number above 0 and at most 100.")
        elif percent * 100 != (percent * 100).to_integral_value():
            problems.append("percent has at most two decimal places.")
        else:
            percent_bp = int(percent * 100)
    if kind == "fixed":
        fixed = raw.get("amount_minor")
        if not _is_int(fixed) or not (0 < fixed <= 10**15):
            problems.append("amount_minor must be a whole number of minor units above 0.")
    if kind == "remaining" and not last:
        problems.append("Only the last instalment can be the remaining balance.")
    due = raw.get("due")
    if not isinstance(due, dict):
        return None, [*problems, "due is an object with offset, unit and relative_to."]
    offset, unit, relative = due.get("offset"), due.get("unit"), due.get("relative_to")
    if not _is_int(offset) or abs(offset) > MAX_OFFSET:
        problems.append(f"due.offset must be a whole number from -{MAX_OFFSET} to {MAX_OFFSET}.")
    if unit not in UNITS:
        problems.append(f"due.unit must be one of {', '.join(UNITS)}.")
    if relative not in RELATIVE_TO:
        problems.append(f"due.relative_to must be one of {', '.join(RELATIVE_TO)}.")
    unknown = set(raw) - {"kind", "percent", "amount_minor", "due"}
    if unknown:
        problems.append(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if problems:
        return None, problems
    return Step(kind, percent_bp, fixed, offset, unit, relative), []


def parse_steps(raw: Any) -> list[Step]:
    """The steps, or ValidationError naming each bad step by its position (from 1)."""
    if not isinstance(raw, list) or not raw:
        raise ValidationError({"instalments": "Give at least one instalment."})
    if len(raw) > 24:
        raise ValidationError({"instalments": "At most 24 instalments."})
    steps, errors = [], []
    for i, item in enumerate(raw):
        step, problems = _one_step(item, last=i == len(raw) - 1)
        steps.append(step)
        errors += [f"Instalment {i + 1}: {p}" for p in problems]
    if errors:
        raise ValidationError({"instalments": errors})
    percent = sum(s.percent_bp or 0 for s in steps)
    if percent > 10000:
        raise ValidationError({"instalments": "The percentages add up to more than 100 %."})
    return steps  # type: ignore[return-value]


def warnings(steps: Sequence[Step]) -> list[str]:
    if steps and steps[-1].kind == "remaining":
        return []
    return [
        "This schedule has no “remaining balance” step: whatever the other steps leave "
        "of the total is not scheduled."
    ]


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due_date(step: Step, *, invoice_date: dt.date, shoot_date: dt.date | None) -> dt.date:
    base = invoice_date if step.relative_to == "invoice_date" else shoot_date
    if base is None:
        raise ValidationError(
            {"instalments": "The sale has no shoot: a step due on the shoot date needs one."}
        )
    if step.unit == "months":
        return add_months(base, step.offset)
    days = step.offset * (7 if step.unit == "weeks" else 1)
    return base + dt.timedelta(days=days)


def amounts(steps: Sequence[Step], total_minor: int) -> list[int]:
    """Each step's amount of `total_minor`; ValidationError if the steps ask for more."""
    resolved = []
    for step in steps:
        if step.kind == "percent":
            resolved.append((total_minor * (step.percent_bp or 0) + 5000) // 10000)
        elif step.kind == "fixed":
            resolved.append(step.fixed_minor or 0)
        else:
            resolved.append(total_minor - sum(resolved))
    if sum(resolved) > total_minor or any(a < 0 for a in resolved):
        raise ValidationError(
            {"instalments": "The instalments add up to more than the sale's total."}
        )
    return resolved


def allocate(amounts_due: Sequence[int], paid_minor: int) -> list[int]:
    """What of `paid_minor` each instalment has received, in the order given (oldest
    due first); whatever is left after the last is the caller's to show as credit."""
    left, paid = max(paid_minor, 0), []
    for amount in amounts_due:
        part = min(amount, left)
        paid.append(part)
        left -= part
    return paid
