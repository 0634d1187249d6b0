"""Server-side SVG charts (pygal): they need no JavaScript, no network, and print well.

pygal embeds a small configuration <script> and, by default, links its tooltip script
from the web; both are removed (js=[] and the tree is cleaned), as are its comments and
its hidden tooltip, so the SVG is plain drawing and one <style> element, safe to inline
in the page (the template gives that <style> the request's CSP nonce).
"""

from __future__ import annotations

from xml.etree import ElementTree

import pygal
from pygal.style import Style

from core.money import currency_exponent
from reports.selectors import KindBlock, MonthBlock, ValueBand
from reports.selectors.sales import SOURCE_LABELS
from sales.models import Sale

CYAN_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2937",
    foreground_strong="#1f2937",
    foreground_subtle="#6b7280",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    colors=("#0e7490", "#f59e0b", "#7c3aed", "#16a34a", "#dc2626", "#64748b"),
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
)


def _config(title: str, **options) -> pygal.Config:
    config = pygal.Config(
        js=[],
        disable_xml_declaration=True,
        style=CYAN_STYLE,
        title=title,
        width=800,
        height=380,
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        margin=16,
    )
    for key, value in options.items():
        setattr(config, key, value)
    return config


def render_svg(chart: pygal.graph.graph.Graph, label: str) -> str:
    """The chart as an inline <svg> string with no script and no comments."""
    root = chart.render_tree()
    for parent in root.iter():
        for child in list(parent):
            if _dropped(child):
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", label)
    return ElementTree.tostring(root, encoding="unicode")


def _dropped(element: ElementTree.Element) -> bool:
    """Scripts, comments, and the tooltip pygal hides with an inline style (it is shown
    only by the script that is removed; the page's CSP allows no inline style)."""
    if element.tag == "script" or element.tag is ElementTree.Comment:
        return True
    return "style" in element.attrib


def _major(minor: int, currency: str) -> float:
    return minor / 10 ** currency_exponent(currency)


def _amount_formatter(currency: str):
    decimals = currency_exponent(currency)
    return lambda value: f"{value:,.{decimals}f}"


def sales_by_month_chart(block: MonthBlock) -> str:
    """Gross of active sales per month, stacked by source."""
    title = f"Sales by month and source ({block.currency})"
    chart = pygal.StackedBar(
        _config(
            title,
            value_formatter=_amount_formatter(block.currency),
            x_label_rotation=-45 if len(block.months) > 12 else 0,
            show_minor_x_labels=len(block.months) <= 24,
        )
    )
    chart.x_labels = [f"{row.month:%b %Y}" for row in block.months]
    if len(block.months) > 24:
        chart.x_labels_major = [
            f"{row.month:%b %Y}" for row in block.months if row.month.month == 1
        ]
    for source in block.sources or [Sale.Source.MANUAL]:
        chart.add(
            SOURCE_LABELS.get(source, source),
            [
                _major(row.by_source[source].gross_minor, block.currency)
                if source in row.by_source
                else None
                for row in block.months
            ],
        )
    return render_svg(chart, title)


def product_kind_chart(block: KindBlock) -> str:
    """Each product kind's share of the line totals."""
    title = f"Product-kind mix ({block.currency})"
    chart = pygal.Pie(
        _config(title, inner_radius=0.45, value_formatter=_amount_formatter(block.currency))
    )
    for row in block.rows:
        if row.total_minor > 0:
            chart.add(f"{row.label} ({row.share:.1f} %)", _major(row.total_minor, block.currency))
    return render_svg(chart, title)


def band_label(band: ValueBand) -> str:
    if band.high is None:
        return f"{band.low:,}+"
    return f"{band.low:,}–{band.high:,}"


def client_value_chart(bands: list[ValueBand], currency: str) -> str:
    """How many clients have a net value in each band."""
    title = f"Clients by net value ({currency})"
    chart = pygal.Bar(
        _config(title, show_legend=False, x_title=f"Net value ({currency})", y_title="Clients")
    )
    chart.x_labels = [band_label(band) for band in bands]
    # Whole clients on the axis (pygal would draw 0.1 steps for small counts).
    top = max((band.clients for band in bands), default=0)
    step = max(1, -(-top // 5))
    chart.y_labels = list(range(0, top + step, step))
    chart.add("Clients", [band.clients for band in bands])
    return render_svg(chart, title)
