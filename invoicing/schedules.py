"""Payment schedules: templates in Preferences, a sale's instalments, Add Payment.

Every write here is one transaction. A sale's instalments keep their rule (kind, percent
or fixed amount, due offset) and their resolved amount and due date; refresh_schedule
resolves them again when the sale's total, its invoice date or its shoot changes (called
by invoicing.services.follow_sale and create_invoice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Studio
from core.clock import studio_today, studio_zone
from invoicing import schedule_rules as rules
from invoicing.models import Instalment, Invoice, ScheduleTemplate
from sales.models import Payment, Sale
from sales.rollup import keeps_rollup
from sales.services import add_payment


def steps_of(sale: Sale) -> list[rules.Step]:
    return [
        rules.Step(i.kind, i.percent_bp, i.fixed_minor, i.due_offset, i.due_unit, i.due_relative_to)
        for i in sale.instalments.all()
    ]


def _dates(sale: Sale) -> tuple[dt.date, dt.date | None]:
    """The invoice date (the sale date until it is invoiced) and the shoot's local day."""
    invoice = Invoice.objects.filter(sale=sale, superseded=False).first()
    invoice_date = invoice.issued_on if invoice else sale.sale_date
    shoot_date = None
    if sale.shoot_id:
        shoot_date = sale.shoot.starts_at.astimezone(studio_zone(sale.studio)).date()
    return invoice_date, shoot_date


def _write(sale: Sale, steps: Sequence[rules.Step]) -> list[Instalment]:
    invoice_date, shoot_date = _dates(sale)
    amounts = rules.amounts(steps, sale.total_minor)
    dues = [rules.due_date(s, invoice_date=invoice_date, shoot_date=shoot_date) for s in steps]
    kept = {i.position: i for i in sale.instalments.all()}
    sale.instalments.all().delete()
    return Instalment.objects.bulk_create(
        Instalment(
            studio_id=sale.studio_id,
            sale=sale,
            position=n,
            kind=step.kind,
            percent_bp=step.percent_bp,
            fixed_minor=step.fixed_minor,
            due_offset=step.offset,
            due_unit=step.unit,
            due_relative_to=step.relative_to,
            amount_minor=amount,
            due_on=due,
            # A reminder already sent for the same due date is not sent again.
            reminded_before_at=_kept(kept.get(n), due, "reminded_before_at"),
            reminded_after_at=_kept(kept.get(n), due, "reminded_after_at"),
        )
        for n, (step, amount, due) in enumerate(zip(steps, amounts, dues, strict=True))
    )


def _kept(old: Instalment | None, due: dt.date, name: str) -> Any:
    return getattr(old, name) if old is not None and old.due_on == due else None


def _locked_sale(sale: Sale) -> Sale:
    # of=self: the shoot is an outer join, which PostgreSQL cannot lock (nor need to).
    locked = Sale.objects.select_for_update(of=("self",)).select_related("shoot", "studio")
    return locked.get(pk=sale.pk)


@keeps_rollup  # what the sale owes by due date (sales.owing)
@transaction.atomic
def set_schedule(*, sale: Sale, instalments: Any) -> list[Instalment]:
    """Replace the sale's schedule by these steps (the API's shape; [] removes it)."""
    locked = _locked_sale(sale)
    if instalments == []:
        locked.instalments.all().delete()
        return []
    if locked.status == Sale.Status.CANCELLED:
        raise ValidationError({"instalments": "This sale is cancelled: it needs no schedule."})
    return _write(locked, rules.parse_steps(instalments))


@keeps_rollup  # what the sale owes by due date (sales.owing)
@transaction.atomic
def apply_template(*, sale: Sale, template: ScheduleTemplate) -> list[Instalment]:
    if template.studio_id != sale.studio_id:
        raise ValidationError({"template_id": "No such schedule template in this studio."})
    return set_schedule(sale=sale, instalments=template.steps)


@keeps_rollup  # what the sale owes by due date (sales.owing)
@transaction.atomic
def refresh_schedule(*, sale: Sale) -> None:
    """Resolve the amounts and due dates again (the total, invoice date or shoot moved).
    A schedule the new total cannot hold is left as it was: the sale page shows it."""
    locked = _locked_sale(sale)
    steps = steps_of(locked)
    if not steps:
        return
    try:
        with transaction.atomic():
            _write(locked, steps)
    except ValidationError:
        return


@transaction.atomic
def save_template(
    *, studio: Studio, name: str, steps: Any, template: ScheduleTemplate | None = None
) -> tuple[ScheduleTemplate, list[str]]:
    """Create or change a template; returns it with its warnings (no remaining step)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Give the template a name (at most 100 characters)."})
    parsed = rules.parse_steps(steps)
    clash = ScheduleTemplate.objects.filter(studio=studio, name=name)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise ValidationError({"name": "A template with this name already exists."})
    template = template or ScheduleTemplate(studio=studio)
    template.name, template.steps = name, [s.as_json() for s in parsed]
    template.save()
    return template, rules.warnings(parsed)


@transaction.atomic
def delete_template(*, template: ScheduleTemplate) -> None:
    template.delete()


@dataclass(frozen=True)
class InstalmentState:
    instalment: Instalment
    paid_minor: int

    @property
    def outstanding_minor(self) -> int:
        return self.instalment.amount_minor - self.paid_minor

    def overdue_on(self, today: dt.date) -> bool:
        return self.outstanding_minor > 0 and self.instalment.due_on < today


@dataclass(frozen=True)
class ScheduleState:
    instalments: list[InstalmentState]
    credit_minor: int  # paid beyond the sale's total
    outstanding_minor: int  # the sale's balance, never below 0

    @property
    def next_due(self) -> InstalmentState | None:
        return next((s for s in self.instalments if s.outstanding_minor > 0), None)


def schedule_state(sale: Sale) -> ScheduleState:
    """The instalments with what each has received (oldest due first) and the credit."""
    ordered = sorted(sale.instalments.all(), key=lambda i: (i.due_on, i.position))
    paid = rules.allocate([i.amount_minor for i in ordered], sale.paid_minor)
    states = [InstalmentState(i, p) for i, p in zip(ordered, paid, strict=True)]
    return ScheduleState(
        instalments=states,
        credit_minor=max(-sale.balance_minor, 0),
        outstanding_minor=max(sale.balance_minor, 0),
    )


@transaction.atomic
def record_payment(
    *,
    sale: Sale,
    instalment: str | None = None,
    amount_minor: int | None = None,
    paid_on: dt.date | None = None,
    method: str = "",
    reference: str = "",
) -> Payment:
    """Add Payment: the next instalment's outstanding amount (`instalment="next"`), the
    whole outstanding balance (`"outstanding"`), or any amount."""
    locked = _locked_sale(sale)
    if (instalment is None) == (amount_minor is None):
        raise ValidationError(
            {"amount_minor": "Give an amount, or say which: the next instalment or all owed."}
        )
    if instalment == "next":
        state = schedule_state(locked).next_due
        if state is None:
            raise ValidationError({"instalment": "No instalment is outstanding."})
        amount_minor = state.outstanding_minor
    elif instalment == "outstanding":
        amount_minor = max(locked.balance_minor, 0)
        if amount_minor == 0:
            raise ValidationError({"instalment": "Nothing is outstanding on this sale."})
    elif instalment is not None:
        raise ValidationError({"instalment": "Say next or outstanding."})
    return add_payment(
        sale=locked,
        amount_minor=amount_minor,
        paid_on=paid_on or studio_today(locked.studio),
        method=method,
        reference=reference,
    )
