"""The arithmetic of invoices and credit notes: pure functions over a sale's figures.

Sales record each line's tax amount, not its rate, so a document line's rate is derived:
rate = tax ÷ net, rounded to the nearest 0.1 % (kept in hundredths of a percent, so
20 % is 2000). Net is the line's amount without tax: gross − tax when prices include tax,
gross otherwise. Shipping and the order discount carry no tax figure of their own; the
tax report puts them at 0 %.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sales.totals import line_gross


@dataclass(frozen=True)
class LineFigures:
    description: str
    product_kind: str
    quantity: int
    unit_price_minor: int
    discount_minor: int
    net_minor: int
    tax_minor: int
    total_minor: int
    tax_rate_bp: int


@dataclass(frozen=True)
class Figures:
    """A document's money: what an invoice freezes, what a credit note credits."""

    currency: str
    prices_include_tax: bool
    subtotal_minor: int
    order_discount_minor: int
    shipping_minor: int
    tax_minor: int
    total_minor: int
    lines: tuple[LineFigures, ...]


def tax_rate_bp(*, net_minor: int, tax_minor: int) -> int:
    """The rate in hundredths of a percent, to the nearest 0.1 % (0 without tax or net)."""
    if tax_minor <= 0 or net_minor <= 0:
        return 0
    tenths = (tax_minor * 1000 + net_minor // 2) // net_minor  # round half up
    return tenths * 10


def line_figures(line, *, prices_include_tax: bool) -> LineFigures:
    gross = line_gross(line)
    net = gross - line.tax_minor if prices_include_tax else gross
    return LineFigures(
        description=line.description,
        product_kind=line.product_kind,
        quantity=line.quantity,
        unit_price_minor=line.unit_price_minor,
        discount_minor=line.discount_minor,
        net_minor=net,
        tax_minor=line.tax_minor,
        total_minor=gross if prices_include_tax else gross + line.tax_minor,
        tax_rate_bp=tax_rate_bp(net_minor=net, tax_minor=line.tax_minor),
    )


def sale_figures(sale, lines: Iterable) -> Figures:
    include = sale.prices_include_tax
    return Figures(
        currency=sale.currency,
        prices_include_tax=include,
        subtotal_minor=sale.subtotal_minor,
        order_discount_minor=sale.order_discount_minor,
        shipping_minor=sale.shipping_minor,
        tax_minor=sale.tax_minor,
        total_minor=sale.total_minor,
        lines=tuple(line_figures(line, prices_include_tax=include) for line in lines),
    )


def by_rate(figures: Figures) -> dict[int, tuple[int, int]]:
    """rate → (net, tax) of a document; shipping and the order discount at 0 %."""
    buckets: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for line in figures.lines:
        buckets[line.tax_rate_bp][0] += line.net_minor
        buckets[line.tax_rate_bp][1] += line.tax_minor
    extra = figures.shipping_minor - figures.order_discount_minor
    if extra:
        buckets[0][0] += extra
    return {rate: (net, tax) for rate, (net, tax) in sorted(buckets.items())}


def share_of(figures: Figures, amount_minor: int, description: str) -> Figures:
    """`amount_minor` (tax included, e.g. a refund) split over the document's rates in
    proportion to each rate's gross; the last rate takes the rounding remainder, so the
    parts add up to the amount exactly."""
    rates = by_rate(figures)
    gross = {rate: net + tax for rate, (net, tax) in rates.items() if net + tax > 0}
    whole = sum(gross.values())
    lines, left = [], amount_minor
    for i, (rate, part_gross) in enumerate(gross.items()):
        last = i == len(gross) - 1
        part = left if last else amount_minor * part_gross // whole
        left -= part
        tax = (part * rate + (10000 + rate) // 2) // (10000 + rate) if rate else 0
        lines.append(_credit_line(description, rate, net=part - tax, tax=tax))
    if not lines:
        lines.append(_credit_line(description, 0, net=amount_minor, tax=0))
    return _credit_figures(figures.currency, lines)


def remainder_of(
    invoiced: Sequence[Figures], credited: Sequence[Figures], description: str
) -> Figures:
    """What these invoices still leave to credit after these credit notes, rate by rate:
    a sale's cancellation credits the rest, never what refunds or an earlier change
    credited already."""
    left: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for documents, sign in ((invoiced, 1), (credited, -1)):
        for document in documents:
            for rate, (net, tax) in by_rate(document).items():
                left[rate][0] += sign * net
                left[rate][1] += sign * tax
    lines = [
        _credit_line(description, rate, net=net, tax=tax)
        for rate, (net, tax) in sorted(left.items())
        if net or tax
    ]
    return _credit_figures(invoiced[0].currency, lines)


def _credit_line(description: str, rate: int, *, net: int, tax: int) -> LineFigures:
    suffix = f" ({rate / 100:g} % tax)" if rate else ""
    return LineFigures(
        description=f"{description}{suffix}",
        product_kind="service",
        quantity=1,
        unit_price_minor=net + tax,
        discount_minor=0,
        net_minor=net,
        tax_minor=tax,
        total_minor=net + tax,
        tax_rate_bp=rate,
    )


def _credit_figures(currency: str, lines: list[LineFigures]) -> Figures:
    net = sum(line.net_minor for line in lines)
    tax = sum(line.tax_minor for line in lines)
    return Figures(
        currency=currency,
        prices_include_tax=False,
        subtotal_minor=net,
        order_discount_minor=0,
        shipping_minor=0,
        tax_minor=tax,
        total_minor=net + tax,
        lines=tuple(lines),
    )
