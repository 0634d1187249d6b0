import pytest
from django.urls import reverse

from galleries.providers.pictime.orders import map_order
from inbox import selectors
from inbox.intake import take_in_normalized
from inbox.models import InboxItem
from testkit.payloads import order_json


def add_order(studio, n, **kwargs):
    payload = order_json(order_id=f"ord_{n:05d}", **kwargs)
    return take_in_normalized(
        studio=studio,
        order=map_order(payload),
        raw_payload="{}",
        channel="webhook",
        delivery_key=f"msg_{n}",
    ).item


@pytest.mark.django_db
def test_empty_inbox_explains_how_orders_arrive(auth_client):
    body = auth_client.get(reverse("inbox:list")).content.decode()
    assert "Your Inbox is empty" in body and "Link your Pic-Time account" in body


@pytest.mark.django_db
def test_list_shows_items_and_unread_count_in_navigation(auth_client, studio):
    add_order(studio, 1, first_name="Grace", last_name="Hopper", email="grace@example.com")
    add_order(studio, 2)
    body = auth_client.get(reverse("inbox:list")).content.decode()
    assert "Grace Hopper" in body and "$72.60" in body
    assert 'title="new orders">2<' in body


@pytest.mark.django_db
def test_opening_an_item_marks_it_read_and_shows_every_detail(auth_client, studio):
    item = add_order(studio, 1, discount=300, refunds=[500])
    body = auth_client.get(reverse("inbox:detail", args=[item.pk])).content.decode()
    for expected in [
        "Ada Lovelace",
        "ada@example.com",
        "N1 9GU",
        "Smith Wedding",
        "Fine Art Print 8x10",
        "size: 8x10",
        "SPRING",
        "Standard",
        "damaged print",
        "Raw payload",
        "Webhook",
    ]:
        assert expected in body, expected
    assert selectors.unread_count(studio=studio) == 0


@pytest.mark.django_db
def test_filters_and_search(auth_client, studio):
    add_order(studio, 1, first_name="Grace", last_name="Hopper", email="grace@example.com")
    add_order(studio, 2, first_name="Alan", last_name="Turing", email="alan@example.com")
    InboxItem.objects.filter(customer_name="Alan Turing").update(state="dismissed")

    def names(**params):
        body = auth_client.get(reverse("inbox:list"), params).content.decode()
        return {n for n in ("Grace Hopper", "Alan Turing") if n in body}

    assert names() == {"Grace Hopper", "Alan Turing"}
    assert names(state="dismissed") == {"Alan Turing"}
    assert names(q="grace@example.com") == {"Grace Hopper"}
    assert names(q="Turing") == {"Alan Turing"}
    assert names(q="PT-0001") == {"Grace Hopper"}
    assert names(source="api") == set()


@pytest.mark.django_db
def test_keyset_pages_cover_every_item_once(studio):
    ids = {add_order(studio, n).pk for n in range(7)}
    seen, before = [], None
    while True:
        page = selectors.inbox_page(studio=studio, before=before, size=3)
        seen += [item.pk for item in page.items]
        if page.next_before is None:
            break
        before = page.next_before
    assert sorted(seen, reverse=True) == seen and set(seen) == ids and len(seen) == 7
    back = selectors.inbox_page(studio=studio, after=seen[5], size=3)
    assert [item.pk for item in back.items] == seen[2:5]


@pytest.mark.django_db
def test_dismiss_and_restore_buttons(auth_client, studio):
    item = add_order(studio, 1)
    auth_client.post(reverse("inbox:dismiss", args=[item.pk]))
    assert InboxItem.objects.get().state == "dismissed"
    auth_client.post(reverse("inbox:restore", args=[item.pk]))
    assert InboxItem.objects.get().state == "new"


@pytest.mark.django_db
def test_sync_now_without_a_link_says_so(auth_client):
    response = auth_client.post(reverse("inbox:sync"), follow=True)
    assert "No online gallery is linked yet" in response.content.decode()
