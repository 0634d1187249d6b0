"""Order arithmetic, in integer minor units (see docs/pictime-standin.md, "Order totals").

Per line:   gross = quantity * unit_price
            net   = gross - discount
            tax   = round(net * rate / 100)                       (tax added on top)
                  = net - round(net * 100 / (100 + rate))         (tax included in prices)
            total = net + tax  (tax on top)  |  net  (tax included)
Per order:  subtotal = sum(net); tax = sum(line tax)
            total    = subtotal + (tax unless included) + shipping - order-level discounts
                     = sum(line total) + shipping - order-level discounts
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import catalog, money


@dataclass(frozen=True)
class LineInput:
    kind: str
    product: str
    quantity: int
    unit_price: int
    options: dict = field(default_factory=dict)
    sku: str = ""
    digital: bool = False


@dataclass(frozen=True)
class PricedLine:
    line: LineInput
    gross: int
    discount: int
    tax: int
    total: int


@dataclass(frozen=True)
class AppliedDiscount:
    code: str
    description: str
    scope: str
    amount: int


@dataclass(frozen=True)
class Quote:
    lines: list[PricedLine]
    subtotal: int
    items_discount: int
    tax: int
    shipping: int
    order_discount: int
    total: int
    discounts: list[AppliedDiscount]
    lab_cost: int
    platform_fee: int


def allocate(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` over ``weights`` proportionally; the parts add up exactly
    (largest remainder; ties go to the earlier line)."""
    total = sum(weights)
    if amount == 0 or total == 0:
        return [0] * len(weights)
    exact = [(amount * w, i) for i, w in enumerate(weights)]
    parts = [q // total for q, _ in exact]
    leftover = amount - sum(parts)
    by_remainder = sorted(exact, key=lambda qi: (-(qi[0] % total), qi[1]))
    for _, i in by_remainder[:leftover]:
        parts[i] += 1
    return parts


def line_tax(net: int, rate: Decimal, included: bool) -> int:
    if included:
        excl = (Decimal(net) * 100 / (100 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return net - int(excl)
    return money.percent_of(net, rate)


def quote(
    lines: list[LineInput],
    *,
    currency: str,
    code: catalog.DiscountCode | None,
    shipping: int,
    tax_rate: Decimal,
    tax_included: bool,
    collected_by: str,
) -> Quote:
    grosses = [ln.quantity * ln.unit_price for ln in lines]
    item_code = code if code and code.scope == "items" else None
    items_discount = item_code.amount(sum(grosses), currency) if item_code else 0
    priced = []
    for ln, gross, disc in zip(lines, grosses, allocate(items_discount, grosses), strict=True):
        tax = line_tax(gross - disc, tax_rate, tax_included)
        total = gross - disc + (0 if tax_included else tax)
        priced.append(PricedLine(line=ln, gross=gross, discount=disc, tax=tax, total=total))
    before_credit = sum(p.total for p in priced) + shipping
    order_code = code if code and code.scope == "order" else None
    order_discount = order_code.amount(before_credit, currency) if order_code else 0
    total = before_credit - order_discount
    applied = []
    if code:
        amount = items_discount if item_code else order_discount
        applied.append(AppliedDiscount(code.code, code.description, code.scope, amount))
    return Quote(
        lines=priced,
        subtotal=sum(p.gross - p.discount for p in priced),
        items_discount=items_discount,
        tax=sum(p.tax for p in priced),
        shipping=shipping,
        order_discount=order_discount,
        total=total,
        discounts=applied,
        lab_cost=lab_cost(priced),
        platform_fee=platform_fee(total, currency, collected_by),
    )


def lab_cost(priced: list[PricedLine]) -> int:
    return sum(
        money.percent_of(p.gross - p.discount, catalog.LAB_COST_PERCENT)
        for p in priced
        if not p.line.digital
    )


def platform_fee(total: int, currency: str, collected_by: str) -> int:
    if collected_by != "pictime" or total == 0:
        return 0
    fixed = catalog.convert_exact(catalog.PLATFORM_FEE_FIXED_USD, currency)
    return money.percent_of(total, catalog.PLATFORM_FEE_PERCENT) + fixed
