"""Charts are self-contained SVG: valid XML, the expected series, no script, no links."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from reports.charts import client_value_chart, product_kind_chart, sales_by_month_chart
from reports.selectors import (
    ReportFilters,
    client_value_distribution,
    sales_by_month,
    sales_by_product_kind,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def assert_self_contained(svg: str) -> None:
    assert "<script" not in svg
    assert "<!--" not in svg
    # The only URL is the SVG namespace itself: no scripts, stylesheets or fonts to fetch.
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= {"http://www.w3.org/2000/svg"}
    assert "xml-stylesheet" not in svg and "googleapis" not in svg
    # The page's Content-Security-Policy allows no inline style attribute.
    assert not [e.tag for e in ElementTree.fromstring(svg).iter() if "style" in e.attrib]


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text for element in root.iter() if element.text and element.text.strip()]


def test_sales_by_month_chart_is_stacked_by_source(studio, sales_book):
    [block] = sales_by_month(studio=studio, filters=ReportFilters(currency="GBP"))
    svg = sales_by_month_chart(block)
    assert_self_contained(svg)
    root = parse(svg)
    labels = texts(root)
    assert "Sales by month and source (GBP)" in labels
    for series in ("Manual", "Pic-Time", "API"):
        assert series in labels
    assert "ShootProof" not in labels  # no ShootProof sales in GBP
    assert root.get("role") == "img"


def test_product_kind_chart_lists_kinds_with_shares(studio, sales_book):
    [block] = sales_by_product_kind(studio=studio, filters=ReportFilters(currency="BHD"))
    svg = product_kind_chart(block)
    assert_self_contained(svg)
    assert "Prints (100.0 %)" in texts(parse(svg))


def test_client_value_chart_has_one_bar_per_band(studio, sales_book):
    bands = client_value_distribution(
        studio=studio, filters=ReportFilters(), currency="GBP", exponent=2
    )
    svg = client_value_chart(bands, "GBP")
    assert_self_contained(svg)
    labels = texts(parse(svg))
    assert "Clients by net value (GBP)" in labels
    assert "200+" in labels and "0–2" in labels
    bars = [rect for rect in parse(svg).iter(f"{SVG}rect") if "rect" in (rect.get("class") or "")]
    assert len(bars) == len(bands) == 8
