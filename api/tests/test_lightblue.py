"""POST /api/lightblue: Light Blue's contact-form API, as a website form posts it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from inbox.models import InboxItem

pytestmark = pytest.mark.django_db
URL = "/api/lightblue"


def _form(raw_key, **params):
    return {"key": raw_key, "type": "contact form", **params}


def test_a_form_post_makes_one_enquiry_and_a_repeat_answers_minus_4(client, raw_key, studio):
    params = _form(
        raw_key,
        ContactNameFirst="Mary Ann",
        ContactNameLast="van der Berg",
        ContactEmail="Mary@Example.com",
        ContactPhoneMobile="07700 900123",
        Message="We marry in June — are you free?",
        ShootType="Wedding",
        ShootDate="14/06/2027",
        Source="studio-site",
        SourceAPIVersion="1",
        ID="form-881",
    )
    response = client.post(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "0"
    item = InboxItem.objects.get(studio=studio)
    assert item.kind == InboxItem.Kind.ENQUIRY
    assert item.source == "lightblue"
    assert item.customer_name == "Mary Ann van der Berg"
    assert item.normalized["email"] == "mary@example.com"
    assert item.normalized["event_date"] == "2027-06-14"
    assert item.normalized["shoot_type"] == "Wedding"
    assert "are you free" in item.normalized["message"]
    assert raw_key not in item.raw_payload  # the key is a secret: not kept
    again = client.post(URL, params)
    assert (again.status_code, again.content.decode().splitlines()[0]) == (200, "-4")
    assert InboxItem.objects.filter(studio=studio).count() == 1
    other_source = client.post(URL, {**params, "Source": "another-site"})
    assert other_source.content.decode() == "0"


def test_json_with_a_date_format_and_a_full_name(client, raw_key, studio):
    body = _form(raw_key, ContactNameFull="Ada King Lovelace", ContactEmail="ada@example.com",
                 ShootDate="06/14/2027", DateFormat="mm/dd/yyyy")  # fmt: skip
    response = client.post(URL, json.dumps(body), content_type="application/json")
    assert response.content.decode() == "0"
    item = InboxItem.objects.get(studio=studio)
    assert (item.normalized["first_name"], item.normalized["last_name"]) == ("Ada", "King Lovelace")
    assert item.normalized["event_date"] == "2027-06-14"


def test_a_timestamp_offset_is_ignored(client, raw_key, studio):
    client.post(URL, _form(raw_key, ContactEmail="a@example.com",
                           ShootDate="2027-06-14T23:30:00-08:00"))  # fmt: skip
    assert InboxItem.objects.get().normalized["event_date"] == "2027-06-14"


def test_a_date_that_does_not_read_is_kept_in_the_message(client, raw_key):
    response = client.post(URL, _form(raw_key, ContactEmail="a@example.com", ShootDate="June"))
    assert response.content.decode() == "0"
    enquiry = InboxItem.objects.get().normalized
    assert enquiry["event_date"] is None
    assert "Shoot date: June" in enquiry["message"]


def test_extra_documented_fields_go_into_the_message(client, raw_key):
    client.post(URL, _form(raw_key, ContactEmail="a@example.com", ContactPhoneWork="020 7946 0000",
                           ShootLocation="Kew Gardens"))  # fmt: skip
    message = InboxItem.objects.get().normalized["message"]
    assert "Location: Kew Gardens" in message
    assert "Work phone: 020 7946 0000" in message


@pytest.mark.parametrize(
    "params, why",
    [
        ({"type": "invoice", "ContactEmail": "a@example.com"}, "type must be"),
        ({"Unknown": "x"}, "No parameter"),
        ({"ContactNameFirst": "Ann"}, "email or a phone"),
        ({"ContactEmail": "not-an-email"}, "email"),
        (
            {"ContactEmail": "a@example.com", "DateFormat": "yy.mm.dd", "ShootDate": "1"},
            "DateFormat",
        ),
    ],
)
def test_bad_posts_answer_minus_3_with_the_reason_and_store_nothing(client, raw_key, params, why):
    response = client.post(URL, {"key": raw_key, "type": "contact form", **params})
    code, reason = response.content.decode().split("\n", 1)
    assert (response.status_code, code) == (200, "-3")
    assert why in reason
    assert not InboxItem.objects.exists()


def test_a_bad_key_is_refused(client):
    response = client.post(URL, {"key": "cyan_nope", "type": "contact form", "Message": "hi"})
    assert response.content.decode().splitlines()[0] == "-1"
    assert not InboxItem.objects.exists()


def test_plain_http_answers_minus_20_in_production(client, raw_key, settings):
    settings.CYAN_LIGHTBLUE_REQUIRE_HTTPS = True
    params = _form(raw_key, ContactEmail="a@example.com")
    assert client.post(URL, params).content.decode().splitlines()[0] == "-20"
    assert client.post(URL, params, secure=True).content.decode() == "0"


def test_without_an_id_each_post_is_an_enquiry(client, raw_key):
    params = _form(raw_key, ContactEmail="a@example.com", Message="hello")
    client.post(URL, params)
    client.post(URL, params)
    assert InboxItem.objects.count() == 2


def test_a_copy_paste_html_form_from_the_docs_posts(client, raw_key, studio):
    """The form in docs/lightblue-api.md, with its field names, as a browser sends it."""
    import re
    from pathlib import Path

    from django.conf import settings

    doc = (Path(settings.BASE_DIR) / "docs" / "lightblue-api.md").read_text()
    form = re.search(r"```html\n(.*?)```", doc, re.S).group(1)
    names = set(re.findall(r'name="([A-Za-z]+)"', form))
    assert {"key", "type", "ContactEmail", "Message", "Source", "ShootDate"} <= names
    values = {name: "x" for name in names}
    values.update(key=raw_key, type="contact form", ContactEmail="f@example.com",
                  ShootDate="01/02/2027", ID="1", DateFormat="dd/mm/yyyy")  # fmt: skip
    assert client.post(URL, values).content.decode() == "0"
    assert InboxItem.objects.get().normalized["event_date"] == str(date(2027, 2, 1))


@pytest.mark.usefixtures("shared_cache")
def test_the_keys_rate_limit_applies(client, raw_key, settings):
    settings.CYAN_API_RATE_LIMIT = "2/min"
    params = _form(raw_key, ContactEmail="a@example.com")
    assert [client.post(URL, params).content.decode()[:3] for _ in range(2)] == ["0", "0"]
    assert client.post(URL, params).content.decode().splitlines()[0] == "-29"
    assert InboxItem.objects.count() == 2
