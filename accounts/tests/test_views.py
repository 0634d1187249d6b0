import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
def test_login_by_email_case_insensitive_then_home(client, owner):
    from testkit.fixtures import DEMO_PASSWORD

    response = client.post(
        reverse("accounts:login"), {"username": owner.email.upper(), "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("accounts:login"), {"username": owner.email, "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2(owner):
    stored = User.objects.get(pk=owner.pk).password
    assert identify_hasher(stored).algorithm == "argon2"


@pytest.mark.django_db
def test_pages_require_login(client):
    response = client.get(reverse("contacts:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_preferences_saves_valid_and_refuses_unknown_currency(auth_client, studio):
    url = reverse("accounts:preferences")
    data = {
        "name": "New Name",
        "default_currency": "JPY",
        "country": "JP",
        "time_zone": "Asia/Tokyo",
    }
    assert auth_client.post(url, data).status_code == 302
    studio.refresh_from_db()
    assert (studio.name, studio.default_currency, studio.country) == ("New Name", "JPY", "JP")

    response = auth_client.post(url, {**data, "default_currency": "XYZ", "name": "Other"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    studio.refresh_from_db()
    assert studio.name == "New Name"


@pytest.mark.django_db
def test_password_change(auth_client, owner):
    from testkit.fixtures import DEMO_PASSWORD

    response = auth_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Zq9!long-new-pass",
            "new_password2": "Zq9!long-new-pass",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Zq9!long-new-pass")


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_session(auth_client):
    assert auth_client.post(reverse("accounts:logout")).status_code == 302
    assert auth_client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_preferences_offer_current_currencies_and_keep_the_studios_own(auth_client, studio):
    from accounts.models import Studio

    Studio.objects.filter(pk=studio.pk).update(default_currency="BGN")
    body = auth_client.get(reverse("accounts:preferences")).content.decode()
    assert '<option value="BGN" selected>' in body  # the studio's own, though retired
    assert '<option value="EUR"' in body and '<option value="DEM"' not in body
