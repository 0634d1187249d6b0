"""The project's own rows: background workers announce they are alive, so a task a dead
worker was running can be told from a task a live worker is still busy with."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One per running `cyan worker`, refreshed every few seconds; deleted on a clean exit."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
