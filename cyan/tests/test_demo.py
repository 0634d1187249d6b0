"""The demo studio looks like a real one: shoots in working hours on the studio's clock,
past shoots done (or called off), future ones booked or asked about."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cyan.demo import load_demo
from shoots.models import Shoot


@pytest.mark.django_db
def test_demo_shoots_are_in_working_hours_and_past_ones_are_completed():
    studio = load_demo(email="demo-check@example.test", password="a-long-demo-password-1")
    zone = ZoneInfo(studio.time_zone)
    shoots = list(Shoot.objects.filter(studio=studio))
    assert len(shoots) == 80
    now = timezone.now()
    for shoot in shoots:
        local = shoot.starts_at.astimezone(zone)
        assert 9 <= local.hour <= 17 and local.minute == 0, local
        expected = {"completed", "cancelled"} if shoot.starts_at < now else {"confirmed", "enquiry"}
        assert shoot.status in expected, (local, shoot.status)
    statuses = {shoot.status for shoot in shoots}
    assert {"completed", "confirmed"} <= statuses
    assert any(s.starts_at > datetime.now(tz=zone) for s in shoots)
