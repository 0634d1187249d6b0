"""What a gallery sells: products, discount codes, shipping methods and default tax.

Prices are written once in US dollars and converted per currency with a fixed factor,
rounded to a "shop" price (half units for two-decimal currencies, 10 yen for JPY).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import money

FACTORS: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "EUR": Decimal("0.95"),
    "GBP": Decimal("0.8"),
    "JPY": Decimal("150"),
    "AUD": Decimal("1.5"),
    "CAD": Decimal("1.35"),
    "NZD": Decimal("1.65"),
    "CHF": Decimal("0.9"),
    "SEK": Decimal("10.5"),
}


def convert(usd: Decimal, currency: str) -> int:
    """A US-dollar list price as a shop price in ``currency``'s minor units."""
    value = usd * FACTORS[currency]
    if money.exponent(currency) == 0:
        return int((value / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10)
    halves = (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(halves * 50)


def convert_exact(usd: Decimal, currency: str) -> int:
    """A US-dollar amount in ``currency``'s minor units, rounded half-up to one minor unit."""
    minor = usd * FACTORS[currency] * 10 ** money.exponent(currency)
    return int(minor.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Product:
    sku: str
    kind: str
    name: str
    usd: Decimal
    options: dict[str, str] = field(default_factory=dict)

    @property
    def digital(self) -> bool:
        return self.kind == "digital"

    def price(self, currency: str) -> int:
        return convert(self.usd, currency)


def _p(sku: str, kind: str, name: str, usd: str, **options: str) -> Product:
    return Product(sku=sku, kind=kind, name=name, usd=Decimal(usd), options=options)


PRODUCTS: tuple[Product, ...] = (
    _p("print-5x7", "print", "Fine Art Print 5x7", "12.50", size="5x7"),
    _p("print-8x10", "print", "Fine Art Print 8x10", "25.00", size="8x10"),
    _p("print-11x14", "print", "Fine Art Print 11x14", "45.00", size="11x14"),
    _p("print-16x20", "print", "Fine Art Print 16x20", "79.00", size="16x20"),
    _p("album-10x10", "album", "Layflat Album 10x10", "450.00", size="10x10", pages="30"),
    _p("album-12x12", "album", "Heirloom Layflat Album 12x12", "690.00", size="12x12", pages="40"),
    _p("canvas-16x24", "wall_art", "Gallery Canvas Wrap 16x24", "185.00", size="16x24"),
    _p("canvas-24x36", "wall_art", "Gallery Canvas Wrap 24x36", "320.00", size="24x36"),
    _p("framed-11x14", "wall_art", "Framed Print 11x14", "140.00", size="11x14"),
    _p("acrylic-8x8", "wall_art", "Acrylic Block 8x8", "95.00", size="8x8"),
    _p("digital-single", "digital", "Digital Download (single image)", "15.00", resolution="high"),
    _p(
        "digital-gallery", "digital", "Digital Download (full gallery)", "250.00", resolution="high"
    ),
    _p("package-starter", "package", "Print Package: 3x 8x10 + 10x 5x7", "99.00", prints="13"),
    _p("package-heirloom", "package", "Heirloom Collection: album + canvas", "899.00"),
)
BY_SKU: dict[str, Product] = {p.sku: p for p in PRODUCTS}

# Options a buyer picks on the order page (and that random orders vary).
PRINT_PAPERS = ("lustre", "matte", "metallic", "deep_matte")
ALBUM_COVERS = ("linen", "leather", "velvet")
FRAME_COLOURS = ("black", "white", "oak")


def with_choices(product: Product, *, paper: str = "", cover: str = "", frame: str = "") -> dict:
    """The product's fixed options plus the buyer's choices that apply to its kind."""
    options = dict(product.options)
    if product.kind == "print" and paper:
        options["paper"] = paper
    if product.kind == "album" and cover:
        options["cover"] = cover
    if product.sku.startswith("framed") and frame:
        options["frame"] = frame
    return options


@dataclass(frozen=True)
class DiscountCode:
    code: str
    description: str
    scope: str  # "items": spread over the lines before tax; "order": taken off the total
    percent: Decimal | None = None
    usd: Decimal | None = None

    def amount(self, base_minor: int, currency: str) -> int:
        """The discount on ``base_minor`` (never more than the base)."""
        if self.percent is not None:
            value = money.percent_of(base_minor, self.percent)
        else:
            value = convert(self.usd or Decimal(0), currency)
        return max(0, min(value, base_minor))


DISCOUNT_CODES: dict[str, DiscountCode] = {
    "SPRING10": DiscountCode("SPRING10", "Spring sale: 10% off", "items", percent=Decimal(10)),
    "WELCOME15": DiscountCode("WELCOME15", "Welcome offer: 15 off", "items", usd=Decimal(15)),
    "GIFT50": DiscountCode("GIFT50", "Gift card", "order", usd=Decimal(50)),
}

SHIPPING_USD: dict[str, Decimal] = {
    "Standard": Decimal("9.00"),
    "Express": Decimal("19.00"),
    "Local pickup": Decimal("0"),
    "Digital delivery": Decimal("0"),
}
DIGITAL_SHIPPING = "Digital delivery"


def shipping_price(method: str, currency: str) -> int:
    return convert(SHIPPING_USD[method], currency)


# Default sales tax per currency: (rate %, included in prices?)
TAX_DEFAULTS: dict[str, tuple[Decimal, bool]] = {
    "USD": (Decimal("8.00"), False),
    "CAD": (Decimal("13.00"), False),
    "EUR": (Decimal("19.00"), True),
    "GBP": (Decimal("20.00"), True),
    "JPY": (Decimal("10.00"), True),
    "AUD": (Decimal("10.00"), True),
    "NZD": (Decimal("15.00"), True),
    "CHF": (Decimal("8.10"), True),
    "SEK": (Decimal("25.00"), True),
}

LAB_COST_PERCENT = Decimal("35")  # of a physical line's net price
PLATFORM_FEE_PERCENT = Decimal("2.9")  # card processing when Pic-Time collects the payment
PLATFORM_FEE_FIXED_USD = Decimal("0.30")
