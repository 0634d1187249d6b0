"""Report pages and downloads: login, studio scoping, filters, empty states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PAGES = ["reports:index", "reports:segments", "reports:opportunities", "reports:sales"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_empty_studio_pages_explain_themselves(auth_client, name, frozen_today):
    response = auth_client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert "cancelled sales are excluded" in body.lower() or "Cancelled sales never count" in body
    if name == "reports:opportunities":
        assert "No opportunities right now." in body
    else:
        assert "No sales in this period." in body


def test_client_value_page_defaults_to_the_studios_currency(auth_client, sales_book):
    response = auth_client.get(reverse("reports:index"))
    body = response.content.decode()
    assert "Most important clients · GBP" in body
    assert "Most important clients · JPY" not in body
    ada = sales_book["Ada"]
    assert f'href="{reverse("contacts:detail", args=[ada.pk])}"' in body
    assert "£310.00" in body and "72.2 %" in body
    assert "Not Yours" not in body  # another studio's client
    assert "<svg" in body and "Clients by net value (GBP)" in body
    assert response.context["filters"].currency == "GBP"


def test_all_currencies_show_one_block_each(auth_client, sales_book):
    body = auth_client.get(reverse("reports:index"), {"currency": "all"}).content.decode()
    for currency in ("BHD", "GBP", "JPY"):
        assert f"Most important clients · {currency}" in body
    assert "¥12,345" in body and "BHD23.685" in body


def test_invalid_range_shows_the_error_and_default_figures(auth_client, sales_book):
    response = auth_client.get(
        reverse("reports:index"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    assert "The end date is before the start date." in response.content.decode()
    assert response.context["filters"].date_from is None


def test_sales_tab_defaults_to_the_last_twelve_months(auth_client, sales_book):
    response = auth_client.get(reverse("reports:sales"))
    filters = response.context["filters"]
    assert (filters.date_from.isoformat(), filters.date_to.isoformat()) == (
        "2025-07-01",
        "2026-06-15",
    )
    body = response.content.decode()
    assert "Sales by month and source (GBP)" in body and "Product-kind mix (GBP)" in body
    assert "date_from=2025-07-01" in body  # the download links carry the filters
    assert "1 sale (excluded)" in body  # the cancelled April sale


def test_sales_tab_empty_dates_mean_all_time(auth_client, sales_book):
    response = auth_client.get(reverse("reports:sales"), {"date_from": "", "date_to": ""})
    assert response.context["filters"].date_from is None
    assert "Jan 2023" in response.content.decode()


def test_segments_and_opportunities_pages(auth_client, sales_book, unordered_gallery):
    body = auth_client.get(reverse("reports:segments")).content.decode()
    assert "Segments · GBP" in body and "Champions (1)" in body and "Ada Tester" in body
    gallery_shoot = unordered_gallery()
    body = auth_client.get(reverse("reports:opportunities")).content.decode()
    assert "Galleries with no order yet" in body
    assert "Shoot completed 30 days ago; its Pic-Time gallery has no order yet." in body
    assert f'href="{reverse("shoots:detail", args=[gallery_shoot.pk])}"' in body


def test_download_csv_and_xlsx(auth_client, sales_book):
    url = reverse("reports:download", args=["client-value", "csv"])
    response = auth_client.get(url, {"currency": "JPY"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="cyan-client-value-start-to-2026-06-15-JPY.csv"'
    )
    lines = response.content.decode().splitlines()
    assert len(lines) == 2 and lines[1].startswith(
        f"JPY,{sales_book['Ada'].pk},Ada Tester,1,12345,"
    )
    url = reverse("reports:download", args=["sales-by-kind", "xlsx"])
    response = auth_client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_unknown_download_is_404(auth_client, frozen_today):
    assert auth_client.get(reverse("reports:download", args=["nope", "csv"])).status_code == 404
    assert auth_client.get(reverse("reports:download", args=["segments", "pdf"])).status_code == 404


def test_home_page_summary(auth_client, sales_book, studio):
    from inbox.models import InboxItem
    from testkit.factories import line, make_sale

    make_sale(studio, sales_book["Jo"], dt.date(2026, 6, 2), "GBP", [line("print", 5000)])

    for index, state in enumerate(["new", "new", "imported"]):
        InboxItem.objects.create(
            studio=studio, source="pictime", external_id=f"o{index}", state=state, raw_payload="{}"
        )
    body = auth_client.get(reverse("home")).content.decode()
    assert "This month" in body
    assert "£50.00</strong> net from 1 sale" in body  # June so far: Jo's print
    assert "2 new Inbox orders" in body.replace("<strong>", "").replace("</strong>", "")
    assert "Top clients · GBP" in body
    assert body.index("Ada Tester") < body.index("Grace Tester")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("query", [{}, {"date_from": "", "date_to": ""}])
def test_the_currency_select_shows_the_currency_the_report_uses(
    auth_client, sales_book, name, query
):
    """The studio (GBP) also sells in BHD and JPY, which sort first: the select still
    shows GBP, and GBP comes first, whether or not the form was bound by dates."""
    response = auth_client.get(reverse(name), query)
    form = response.context["form"]
    assert response.context["filters"].currency == "GBP"
    assert [code for code, _ in form.fields["currency"].choices][:1] == ["GBP"]
    assert '<option value="GBP" selected>' in response.content.decode()
