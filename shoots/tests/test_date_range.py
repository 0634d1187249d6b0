"""Shoot dates outside 1900-01-01 … 2200-12-31 are refused by the form and, as the last
guard, by the services; nothing is stored and no page crashes (#10.2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shoots.models import Shoot
from shoots.services import create_shoot, update_shoot
from shoots.tests.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def los_angeles(studio):
    studio.time_zone = "America/Los_Angeles"
    studio.save()
    return studio


@pytest.mark.parametrize(
    ("day", "time"),
    [
        ("9999-12-31", "23:59"),
        ("0001-01-01", "00:00"),
        ("1899-12-31", "12:00"),
        ("2201-01-01", "00:00"),
    ],
)
def test_the_form_refuses_a_date_outside_the_range(auth_client, los_angeles, day, time):
    response = auth_client.post(reverse("shoots:create"), form_data(date=day, time=time))
    assert response.status_code == 200
    assert "outside the dates Cyan accepts (1900-01-01 to 2200-12-31)" in response.content.decode()
    assert not Shoot.objects.exists()


def test_the_last_evening_of_the_range_in_los_angeles_is_refused(auth_client, los_angeles):
    """2200-12-31 23:59 in Los Angeles is already 2201 in UTC: refused with the reason (it
    crashed the form on 9999-12-31 23:59)."""
    response = auth_client.post(
        reverse("shoots:create"), form_data(date="2200-12-31", time="23:59")
    )
    assert response.status_code == 200
    assert "in some time zone" in response.content.decode()
    assert not Shoot.objects.exists()


def test_a_shoot_near_the_end_of_the_range_is_listed(auth_client, los_angeles):
    response = auth_client.post(
        reverse("shoots:create"), form_data(date="2200-12-30", time="12:00")
    )
    assert response.status_code == 302
    shoot = Shoot.objects.get()
    assert auth_client.get(reverse("shoots:detail", args=[shoot.pk])).status_code == 200
    listed = auth_client.get(reverse("shoots:list"), {"date_from": "2200-12-30"})
    assert "Smith wedding" in listed.content.decode()


def test_the_list_filter_refuses_a_date_outside_the_range(auth_client, los_angeles, make_shoot):
    make_shoot(title="Still listed")
    response = auth_client.get(reverse("shoots:list"), {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "outside the dates Cyan accepts" in response.content.decode()
    assert "Still listed" in response.content.decode()


@pytest.mark.parametrize(
    "starts_at",
    [
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=20))),
    ],
)
def test_the_services_refuse_an_unstorable_start(studio, starts_at):
    with pytest.raises(ValidationError) as info:
        create_shoot(studio=studio, title="Lee", shoot_type="wedding", starts_at=starts_at)
    assert "starts_at" in info.value.message_dict
    shoot = create_shoot(
        studio=studio,
        title="Lee",
        shoot_type="wedding",
        starts_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError):
        update_shoot(shoot=shoot, starts_at=starts_at)
    assert Shoot.objects.get().starts_at.year == 2026
