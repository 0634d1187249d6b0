"""What a ShootProof price sheet sells in the stand-in: products with USD prices
(converted for other currencies), their options, coupons and shipping."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import money


@dataclass(frozen=True)
class Product:
    code: str
    product_type: str
    name: str
    usd_cents: int
    options: dict[str, list[str]] = field(default_factory=dict)
    needs_photo: bool = True

    @property
    def physical(self) -> bool:
        return self.product_type != "digital"

    def price(self, currency: str) -> int:
        return money.convert_usd(self.usd_cents, currency)


FINISHES = ["Lustre", "Glossy", "Matte", "Metallic"]
PRODUCTS: tuple[Product, ...] = (
    Product("print-4x6", "print", "4x6 Print", 800, {"finish": FINISHES}),
    Product("print-5x7", "print", "5x7 Print", 1500, {"finish": FINISHES}),
    Product("print-8x10", "print", "8x10 Print", 2500, {"finish": FINISHES}),
    Product("print-11x14", "print", "11x14 Print", 4500, {"finish": FINISHES}),
    Product("digital-single", "digital", "Digital Download", 3500, {"resolution": ["Full"]}),
    Product("digital-gallery", "digital", "Full Gallery Download", 29900, {}, needs_photo=False),
    Product(
        "album-10x10",
        "album",
        "10x10 Lay-flat Album",
        45000,
        {"cover": ["Linen", "Leather", "Photo"]},
        needs_photo=False,
    ),
    Product(
        "canvas-16x20",
        "wall-art",
        "16x20 Gallery Canvas",
        18900,
        {"wrap": ["Gallery", "Mirror"], "depth": ["0.75in", "1.5in"]},
    ),
    Product("metal-20x30", "wall-art", "20x30 Metal Print", 27500, {"mount": ["Float", "Easel"]}),
    Product("package-family", "package", "Family Collection", 39900, {}, needs_photo=False),
    Product(
        "cards-holiday",
        "product",
        "Holiday Cards (25)",
        6500,
        {"paper": ["Pearl", "Matte"]},
        needs_photo=True,
    ),
)
BY_CODE = {p.code: p for p in PRODUCTS}
PRODUCT_TYPES = ("print", "digital", "album", "wall-art", "package", "product")
# Coupon code -> percent off the subtotal (ShootProof's "adjustment").
COUPONS = {"SPRING15": Decimal("15"), "THANKYOU10": Decimal("10"), "VIP20": Decimal("20")}
SHIPPING_USD = {"Standard": 895, "Expedited": 1995, "Pickup": 0}


def shipping_price(method: str, currency: str) -> int:
    return money.convert_usd(SHIPPING_USD[method], currency)
