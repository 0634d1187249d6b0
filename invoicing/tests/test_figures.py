from hypothesis import given
from hypothesis import strategies as st

from invoicing.figures import Figures, LineFigures, share_of, tax_rate_bp


def test_rates_are_rounded_to_a_tenth_of_a_percent():
    assert tax_rate_bp(net_minor=10000, tax_minor=2000) == 2000
    assert tax_rate_bp(net_minor=83, tax_minor=17) == 2050  # 20.48 % → 20.5 %
    assert tax_rate_bp(net_minor=0, tax_minor=0) == 0


def _doc(*parts):
    lines = tuple(
        LineFigures("x", "print", 1, net + tax, 0, net, tax, net + tax, rate)
        for rate, net, tax in parts
    )
    total = sum(n + t for _, n, t in parts)
    return Figures("GBP", False, total, 0, 0, sum(t for *_, t in parts), total, lines)


@given(
    amount=st.integers(min_value=1, max_value=10**9),
    net=st.integers(min_value=1, max_value=10**7),
)
def test_a_share_adds_up_to_the_amount_exactly(amount, net):
    figures = share_of(_doc((2000, net, net // 5), (0, 700, 0)), amount, "Refund")
    assert figures.total_minor == amount
    assert sum(ln.net_minor + ln.tax_minor for ln in figures.lines) == amount
