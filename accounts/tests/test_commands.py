import pytest
from django.core.management import CommandError, call_command

from accounts.models import Studio, User


@pytest.mark.django_db
def test_create_studio_command_creates_a_studio_and_owner_who_can_log_in(client):
    call_command("create_studio", name="Field & Frame", email="Owner@Field.test",
                 password="a-long-password-1", currency="EUR", country="IE")  # fmt: skip
    studio = Studio.objects.get(name="Field & Frame")
    assert (studio.default_currency, studio.country) == ("EUR", "IE")
    owner = User.objects.get(studio=studio)
    assert owner.email == "owner@field.test" and owner.is_studio_owner
    assert client.login(username="owner@field.test", password="a-long-password-1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"email": "not-an-email"}, "valid email"),
        ({"currency": "XYZ"}, "Unknown currency"),
    ],
)
def test_create_studio_command_refuses_bad_input_and_saves_nothing(options, message):
    args = {"name": "X", "email": "x@example.test", "password": "pw-long-enough-1", **options}
    with pytest.raises(CommandError, match=message):
        call_command("create_studio", **args)
    assert not Studio.objects.exists()


@pytest.mark.django_db
def test_create_studio_command_refuses_an_existing_email(owner):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_studio", name="Dup", email=owner.email, password="pw-long-enough-1")
    assert Studio.objects.count() == 1
