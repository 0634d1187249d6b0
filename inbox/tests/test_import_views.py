import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import create_contact
from inbox.models import InboxItem
from sales.models import Sale
from testkit.factories import make_shoot as shoot
from testkit.factories import receive


@pytest.mark.django_db
def test_window_shows_the_match_its_reason_and_preselects_the_recent_shoot(
    auth_client, studio, ada
):
    shoot(studio, ada, "Spring portraits", datetime(2026, 3, 1, tzinfo=UTC))
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    detail = auth_client.get(reverse("inbox:detail", args=[item.pk])).content.decode()
    assert "Import Order" in detail
    body = auth_client.get(reverse("inbox:import", args=[item.pk])).content.decode()
    assert "Matched to <strong>Ada Lovelace</strong>" in body and "same email" in body
    assert f'value="{recent.pk}" checked' in body
    assert "Spring portraits" in body and "Don't link to a shoot" in body
    assert "New phone: +44 20 7946 0958" in body


@pytest.mark.django_db
def test_import_post_creates_the_sale_and_goes_to_it(auth_client, studio, ada):
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    response = auth_client.post(
        reverse("inbox:import", args=[item.pk]),
        {"contact": ada.pk, "shoot": recent.pk, "add_details": ["phone"]},
    )
    sale = Sale.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "sales:detail", args=[sale.pk]
    )
    assert (sale.contact, sale.shoot) == (ada, recent)
    assert ada.phones.exists()


@pytest.mark.django_db
def test_unknown_client_without_the_option_is_refused_with_a_message(auth_client, studio):
    studio.create_contact_on_import = False
    studio.save()
    item = receive(studio, first_name="Zed", last_name="Quux", email="zed@example.org")
    page = auth_client.get(reverse("inbox:import", args=[item.pk])).content.decode()
    assert "No contact matches this client" in page
    checkbox = re.search(r'<input[^>]*name="create_contact"[^>]*>', page).group(0)
    assert "checked" not in checkbox
    response = auth_client.post(reverse("inbox:import", args=[item.pk]), {"contact": ""})
    assert response.status_code == 200 and "Create a new contact" in response.content.decode()
    assert not Sale.objects.exists()
    auth_client.post(
        reverse("inbox:import", args=[item.pk]), {"contact": "", "create_contact": "on"}
    )
    assert Contact.objects.get().last_name == "Quux" and Sale.objects.count() == 1


@pytest.mark.django_db
def test_none_of_these_with_create_makes_a_new_contact_even_when_one_matches(
    auth_client, studio, ada
):
    item = receive(studio)
    auth_client.post(
        reverse("inbox:import", args=[item.pk]), {"contact": "", "create_contact": "on"}
    )
    assert Contact.objects.count() == 2 and Sale.objects.get().contact != ada


@pytest.mark.django_db
def test_search_lists_other_contacts(auth_client, studio, ada):
    create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    item = receive(studio)
    body = auth_client.get(
        reverse("inbox:import", args=[item.pk]), {"q": "Hopper"}
    ).content.decode()
    assert "Grace Hopper" in body and "(search result)" in body


@pytest.mark.django_db
def test_unimport_asks_then_deletes_the_sale(auth_client, studio, ada):
    item = receive(studio)
    auth_client.post(reverse("inbox:import", args=[item.pk]), {"contact": ada.pk})
    assert (
        "The sale is deleted"
        in auth_client.get(reverse("inbox:unimport", args=[item.pk])).content.decode()
    )
    auth_client.post(reverse("inbox:unimport", args=[item.pk]))
    assert not Sale.objects.exists() and InboxItem.objects.get().state == "new"


@pytest.mark.django_db
def test_bulk_import_from_the_list(auth_client, studio, ada):
    certain = receive(studio, 1)
    unknown = receive(studio, 2, first_name="Zed", last_name="Quux", email="zed@example.org")
    response = auth_client.post(
        reverse("inbox:bulk_import"),
        {"items": [certain.pk, unknown.pk], "filters": "state=new&q=&source=pictime&after=9"},
    )
    assert response["Location"] == reverse("inbox:list") + "?state=new&source=pictime"
    body = auth_client.get(response["Location"]).content.decode()
    assert "Imported 1 order with a certain contact match." in body
    assert "1 order was left for review: the reason is on its row." in body
    assert body.count("Left for review:") == 1
    assert "Left for review: no matching contact: import it and create a new contact." in body
    # Said once: a reload shows the rows without the reasons.
    assert "Left for review:" not in auth_client.get(response["Location"]).content.decode()
    assert InboxItem.objects.get(pk=certain.pk).state == "imported"
    assert InboxItem.objects.get(pk=unknown.pk).state == "new"


@pytest.mark.django_db
def test_duplicate_contacts_revealed_by_the_match_can_be_merged_from_the_window(
    auth_client, studio, ada
):
    twin = create_contact(
        studio=studio, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
    )
    item = receive(studio)
    body = auth_client.get(reverse("inbox:import", args=[item.pk])).content.decode()
    merge_url = reverse("contacts:merge_with", args=[ada.pk, twin.pk])
    assert "look like the same person" in body
    assert f"{merge_url}?next=/inbox/{item.pk}/import/" in body


def window(auth_client, item, **params) -> str:
    return auth_client.get(reverse("inbox:import", args=[item.pk]), params).content.decode()


@pytest.mark.django_db
def test_none_of_these_clears_the_banner_the_shoots_and_the_missing_details(
    auth_client, studio, ada
):
    family = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    matched = window(auth_client, item)
    assert "Matched to <strong>Ada Lovelace</strong>" in matched
    assert f'id="shoot-{family.pk}"' in matched and "New phone" in matched

    none = window(auth_client, item, contact="none", choices="1", create_contact="on")
    assert "Matched to" not in none
    assert f'id="shoot-{family.pk}"' not in none and "shoot is offered" not in none
    assert "lacks these" not in none and "New phone" not in none
    assert 'id="contact-none" checked' in none or 'value="none" checked' in none
    assert "A new contact will be created" in none


@pytest.mark.django_db
@pytest.mark.parametrize("choose_other", [False, True])
def test_import_refuses_a_shoot_that_is_not_the_chosen_contacts(
    auth_client, studio, ada, choose_other
):
    """A stale window (or a forged post) must not put the sale on someone else's shoot."""
    family = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    grace = create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    item = receive(studio)
    choice = {"contact": grace.pk} if choose_other else {"contact": "", "create_contact": "on"}
    response = auth_client.post(
        reverse("inbox:import", args=[item.pk]), {**choice, "shoot": family.pk}
    )
    assert response.status_code == 200
    assert "Family day is not a shoot of" in response.content.decode()
    assert not Sale.objects.exists() and Contact.objects.count() == 2
    assert InboxItem.objects.get().state == "new"


@pytest.mark.django_db
def test_namesakes_are_shown_with_what_tells_them_apart_and_no_scores(auth_client, studio):
    london = create_contact(
        studio=studio,
        first_name="Ava",
        last_name="Evans",
        emails=["ava.e@example.com"],
        phones=["+44 20 7946 0000"],
        addresses=[{"line1": "2 Low Rd", "city": "London", "postcode": "E1 6AN"}],
    )
    leeds = create_contact(
        studio=studio,
        first_name="Ava",
        last_name="Evans",
        emails=["evans.ava@example.org"],
        addresses=[{"line1": "9 Hill St", "city": "Leeds", "postcode": "LS1 4AP"}],
    )
    shoot(studio, leeds, "Leeds headshots", datetime(2025, 11, 2, tzinfo=UTC))
    receive(studio, 7, first_name="Ava", last_name="Evans", email="ava@elsewhere.example")
    first = InboxItem.objects.get()
    auth_client.post(
        reverse("inbox:import", args=[first.pk]), {"contact": london.pk, "shoot": "none"}
    )
    item = receive(studio, 8, first_name="Ava", last_name="Evans", email="ava@elsewhere.example")

    body = window(auth_client, item)
    assert "ava.e@example.com" in body and "evans.ava@example.org" in body
    assert "+44 20 7946 0000" in body
    assert "London" in body and "E1 6AN" in body and "Leeds" in body and "LS1 4AP" in body
    assert "Leeds headshots" in body and "2 Nov 2025" in body
    assert "Last sale" in body and "1 May 2026" in body
    assert "same name" in body or "same first name" in body
    assert not re.search(r"\b0\.\d\d\b", body), "a raw score is shown"


@pytest.mark.django_db
def test_the_search_is_a_form_of_its_own_without_the_csrf_token(auth_client, studio, ada):
    body = window(auth_client, receive(studio))
    search = re.search(r'<form[^>]*id="contact-search"[^>]*>(.*?)</form>', body, re.S)
    assert search and 'method="get"' in search.group(0)
    assert "csrfmiddlewaretoken" not in search.group(1)
    assert 'formmethod="get"' not in body
    assert 'id="q" name="q" form="contact-search"' in body
    import_form = re.search(r'<form[^>]*id="import-form".*?</form>', body, re.S).group(0)
    import_form = re.sub(r"<noscript>.*?</noscript>", "", import_form, flags=re.S)
    # Enter (implicit submission) presses the form's first own submit button: Import.
    own_buttons = [b for b in re.findall(r"<button[^>]*>", import_form) if "form=" not in b]
    assert 'name="import"' in own_buttons[0]


@pytest.mark.django_db
def test_a_non_http_gallery_url_still_imports_and_is_kept_but_not_linked(auth_client, studio, ada):
    def odd_url(payload):
        payload["gallery"]["url"] = "javascript:alert(document.domain)"

    item = receive(studio, change=odd_url)
    response = auth_client.post(
        reverse("inbox:import", args=[item.pk]), {"contact": ada.pk, "shoot": "none"}
    )
    sale = Sale.objects.get()
    assert response.status_code == 302 and sale.gallery_url == ""
    assert sale.gallery_name == "Smith Wedding"
    item.refresh_from_db()
    assert item.normalized["gallery"]["url"] == "javascript:alert(document.domain)"
    assert "javascript:alert" in item.raw_payload


def test_window_errors_name_the_field_they_are_about():
    from inbox.import_views import error_lines

    lines = error_lines(
        {
            "shipping_method": ["Ensure this value has at most 100 characters (it has 150)."],
            "contact_id": [
                "Choose a contact (no contact matches), or tick 'Create a new contact'."
            ],
            "__all__": ["Something about the whole sale."],
        }
    )
    assert "The order's shipping method: Ensure this value has at most 100 characters" in lines[0]
    assert lines[1].startswith("Choose a contact") and lines[2] == "Something about the whole sale."


@pytest.mark.django_db
def test_without_javascript_the_refresh_button_shows_the_chosen_contacts_shoots(
    auth_client, studio, ada
):
    grace = create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    navy = shoot(studio, grace, "Navy portraits", datetime(2026, 2, 1, tzinfo=UTC))
    item = receive(studio)
    response = auth_client.post(
        reverse("inbox:import", args=[item.pk]), {"contact": grace.pk, "refresh": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Sale.objects.exists()
    assert f'id="shoot-{navy.pk}"' in body and "but you chose <strong>Grace Hopper" in body


@pytest.mark.django_db
@pytest.mark.parametrize("choice", [{}, {"contact": "none", "choices": "1"}, {"q": "Love"}])
def test_the_window_needs_no_inline_script_or_style(auth_client, studio, ada, choice):
    """Runs under a strict Content-Security-Policy (no 'unsafe-inline')."""
    shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    body = window(auth_client, receive(studio), **choice)
    start, end = body.index('<main class="page"'), body.index("</main>")
    own = body[start:end]
    assert " style=" not in own and "<style" not in own
    assert not re.search(r"<script(?![^>]*\ssrc=)", own)
    assert not re.search(r"\son[a-z]+\s*=", own)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["contact", "shoot"])
@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "1.5"])
def test_an_odd_contact_or_shoot_in_the_import_form_is_refused_not_a_500(
    auth_client, studio, ada, field, value
):
    """str.isdigit() is true for '²', which int() refuses: it was a server error."""
    item = receive(studio)
    auth_client.raise_request_exception = False
    data = {"contact": ada.pk, "shoot": "none", field: value}
    response = auth_client.post(reverse("inbox:import", args=[item.pk]), data)
    assert response.status_code in (200, 302), response.status_code
    item.refresh_from_db()
    assert Sale.objects.filter(shoot__isnull=False).count() == 0
