"""The scheduler in-process on the real test database (PostgreSQL advisory locks on
their own connections, or SQLite's file locks): one leader among copies, a standby that
takes over, the heartbeat contract, jobs at their intervals, and the worker's fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cyan.scheduler import (
    HEARTBEAT_KEY,
    Job,
    Scheduler,
    enqueue_unless_waiting,
    holder_name,
    seed_rounds_unless_a_scheduler_runs,
)
from cyan.tasks import prune_finished_task_results, prune_task_results
from inbox.tasks import poll_all_links

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_cache")]


@pytest.fixture(autouse=True)
def database_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    settings.VAR_DIR = tmp_path  # SQLite's file locks


@pytest.fixture
def schedulers():
    made: list[Scheduler] = []

    def make(jobs=None) -> Scheduler:
        made.append(Scheduler(beat=1, jobs=jobs if jobs is not None else []))
        return made[-1]

    yield make
    for scheduler in made:
        scheduler.lock.release()


def test_one_copy_leads_and_a_standby_takes_over_when_it_goes(schedulers):
    first, second, third = schedulers(), schedulers(), schedulers()
    assert [first.step(), second.step(), third.step()] == [True, False, False]
    assert [first.step(), second.step()] == [True, False]  # leading is kept, not re-won
    first.lock.release()  # what dying does: PostgreSQL ends the session, the kernel the flock
    assert [second.step(), third.step()] == [True, False]
    assert [third.step(), second.step()] == [False, True]


def test_the_leader_writes_the_heartbeat_obs_reads(schedulers):
    leader = schedulers()
    assert leader.step(now=1_000.5)
    assert cache.get(HEARTBEAT_KEY) == {"holder": holder_name(), "at": 1_000.5}
    standby = schedulers()
    standby.step(now=2_000.0)
    assert cache.get(HEARTBEAT_KEY)["at"] == 1_000.5  # only the leader beats


def test_jobs_run_at_their_interval_and_a_new_leader_keeps_the_cadence(schedulers):
    runs: list[str] = []
    jobs = [
        Job("often", 10, lambda: runs.append("often")),
        Job("rare", 100, lambda: runs.append("rare")),
    ]
    leader = schedulers(jobs)
    leader.step(now=0.0)
    leader.step(now=5.0)
    leader.step(now=10.0)
    assert runs == ["often", "rare", "often"]
    leader.lock.release()
    successor = schedulers(jobs)
    successor.step(now=12.0)  # elected: "often" ran at 10, "rare" at 0; neither is due
    successor.step(now=101.0)
    assert runs == ["often", "rare", "often", "often", "rare"]


def test_a_failing_job_does_not_stop_the_others(schedulers):
    runs: list[str] = []
    jobs = [Job("broken", 1, lambda: 1 / 0), Job("fine", 1, lambda: runs.append("fine"))]
    assert schedulers(jobs).step(now=0.0)
    assert runs == ["fine"]


def test_a_periodic_task_is_not_piled_up_while_one_waits():
    assert enqueue_unless_waiting(prune_task_results)
    assert not enqueue_unless_waiting(prune_task_results)
    DBTaskResult.objects.filter(task_path=prune_task_results.module_path).update(
        status="SUCCESSFUL"
    )
    assert enqueue_unless_waiting(prune_task_results)


def test_the_default_jobs_seed_the_rounds_and_enqueue_the_housekeeping(schedulers):
    leader = Scheduler(beat=1)
    try:
        assert leader.step()
    finally:
        leader.lock.release()
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {
        "inbox.tasks.poll_all_links",
        "events.tasks.sweep_deliveries",
        "api.tasks.purge_idempotency_records",
        "cyan.tasks.prune_task_results",
        "galleries.tasks.refresh_tokens",
    } <= paths


def test_workers_seed_the_rounds_only_while_no_scheduler_runs(schedulers):
    leader = schedulers()
    assert leader.step()
    assert not seed_rounds_unless_a_scheduler_runs()
    assert not DBTaskResult.objects.filter(task_path=poll_all_links.module_path).exists()
    leader.lock.release()
    assert seed_rounds_unless_a_scheduler_runs()
    assert DBTaskResult.objects.filter(task_path=poll_all_links.module_path).count() == 1


def test_pruning_deletes_only_results_finished_long_ago():
    old, recent, waiting = (prune_task_results.enqueue() for _ in range(3))
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(
        status="SUCCESSFUL", finished_at=now - timedelta(days=30)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status="FAILED", finished_at=now - timedelta(days=1)
    )
    assert prune_finished_task_results(older_than=timedelta(days=14)) == 1
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {recent.id, waiting.id}


def test_a_cache_outage_does_not_end_the_leader(schedulers, settings):
    leader = schedulers()
    assert leader.step(now=0.0)
    working = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    try:
        assert leader.step(now=1.0)  # logged, still leading, still holding the lock
        assert leader.lock.held()
    finally:
        settings.CACHES = working
