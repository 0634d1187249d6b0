"""The scale simulation's generator (benchmarks/scale): it loads 127.0.0.1 only, and its
traffic is the arithmetic benchmarks/scale/README.md states. No servers start here."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH / "webhooks"))  # payloads.py, which the generator signs with
sys.path.insert(0, str(BENCH / "scale"))

import mix  # noqa: E402
from traffic import Generator, Studios  # noqa: E402


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5:8000",
        "http://192.168.1.20:8000/",
        "http://127.0.0.2:8000",
        "http://localhost:8000",
        "http://example.com",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
        "not a url",
    ],
)
def test_the_generator_refuses_a_target_that_is_not_127_0_0_1(url: str) -> None:
    studios = Studios({"session_cookie": "sessionid", "studios": []}, [])
    with pytest.raises(mix.NotLoopback):
        Generator(url, studios, "t")


def test_the_generator_takes_127_0_0_1_on_any_port() -> None:
    studios = Studios({"session_cookie": "sessionid", "studios": []}, [])
    assert Generator("http://127.0.0.1:51234/", studios, "t").base_url == "http://127.0.0.1:51234"


def test_the_default_run_is_the_readme_s_table() -> None:
    """1,000 studios, 180 s at speed 2 = 6 simulated minutes (README, "The mix")."""
    plan = mix.Plan(1000, 180, 2).check()
    assert plan.simulated_hours == pytest.approx(0.1)
    assert plan.counts() == {
        "webhook": 200,
        "page_inbox": 600,
        "page_contacts": 300,
        "page_reports": 300,
        "import": 100,
        "poll": 1200,
    }
    assert plan.resends == 20
    assert plan.rate("page_inbox") == pytest.approx(600 / 180)
    assert (plan.poll_interval_s, plan.poll_tick_s) == (150, 15)


def test_requests_per_kind_scale_with_studios_duration_and_speed() -> None:
    plan = mix.Plan(250, 600, 6).check()  # 1 simulated hour
    assert plan.counts() == {kind: round(250 * n) for kind, n in mix.PER_STUDIO_HOUR.items()}


def test_the_schedule_sends_each_planned_request_once_and_resends_after_the_original() -> None:
    plan = mix.Plan(1000, 180, 2)
    events = mix.schedule(plan, seed=7)
    kinds = Counter(event.kind for event in events)
    assert kinds == {kind: plan.count(kind) for kind in mix.SENT_KINDS}
    assert all(0 <= event.at <= plan.duration_s for event in events)
    assert [event.at for event in events] == sorted(event.at for event in events)
    webhooks: dict[int, list[mix.Event]] = {}
    for event in (e for e in events if e.kind == "webhook"):
        webhooks.setdefault(event.index, []).append(event)
    resent = [sends for sends in webhooks.values() if len(sends) == 2]
    assert len(resent) == plan.resends
    assert all(first.studio == again.studio and first.at <= again.at for first, again in resent)


def test_a_run_past_the_caps_is_refused() -> None:
    with pytest.raises(ValueError, match="cap"):
        mix.Plan(5000, 900, 60).check()
    with pytest.raises(ValueError, match="studios"):
        mix.Plan(0, 180, 2).check()
    with pytest.raises(ValueError, match="duration"):
        mix.Plan(1000, 3600, 2).check()


def test_seeded_items_cover_every_import() -> None:
    assert mix.items_per_studio(270, 1000) == 1
    assert mix.items_per_studio(2500, 1000) == 3
