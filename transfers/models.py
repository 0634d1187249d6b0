"""An import is a batch: the file, how its columns map to Cyan's fields, and what each
row did (so the batch can be previewed, resumed after a crash, and undone)."""

from __future__ import annotations

from django.db import models

from accounts.models import StudioOwned


class Kind(models.TextChoices):
    CONTACTS = "contacts", "Contacts"
    SHOOTS = "shoots", "Shoots"
    SALES = "sales", "Sales"


class ImportBatch(StudioOwned):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWING = "previewing", "Preparing the preview"
        PREVIEWED = "previewed", "Previewed"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    class BadRows(models.TextChoices):
        SKIP = "skip", "Leave bad rows out and import the rest"
        REFUSE = "refuse", "Refuse the whole import if any row has a problem"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    # The file as uploaded: re-read for preview, run and resume (a few MB at most).
    file_bytes = models.BinaryField()
    file_format = models.CharField(max_length=10)  # csv / xlsx / vcf
    headers = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict)  # column index (as str) → field name
    # date_order ("dmy"/"mdy"/""), bad_rows (BadRows), dry_run (bool)
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    counts = models.JSONField(default=dict)  # outcome → rows
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # What undo could not revert, in words (one line each).
    undo_report = models.JSONField(default=list)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["studio", "created_at"])]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.kind}, {self.file_name})"


class ImportRow(StudioOwned):
    """One data row of the file: what the preview said, then what the run did."""

    class Outcome(models.TextChoices):
        NEW = "new", "New"
        MERGE = "merge", "Merge"
        PROBLEM = "problem", "Problem"
        SKIPPED = "skipped", "Skipped"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()  # line (CSV/XLSX row, vCard card) as the file counts
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    label = models.CharField(max_length=300, blank=True)  # who or what the row is, for lists
    # True once the run has written this row (in the same transaction): resume skips it.
    done = models.BooleanField(default=False)
    created_ids = models.JSONField(default=dict)  # model label → [ids] the row created
    merged_contact_id = models.BigIntegerField(null=True, blank=True)
    # The merged contact's fields and detail ids before this row touched it (for undo).
    before = models.JSONField(default=dict)

    class Meta:
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint("batch", "line", name="uniq_import_row_per_line"),
        ]
        indexes = [models.Index(fields=["batch", "outcome", "line"])]


class SavedMapping(StudioOwned):
    """A studio's named column → field mapping (by header name, so it fits the next
    export of the same tool whatever the column order)."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    fields_by_header = models.JSONField(default=dict)  # folded header → field name
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("studio", "kind", "name", name="uniq_saved_mapping_name"),
        ]

    def __str__(self) -> str:
        return self.name
