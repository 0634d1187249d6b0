from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self) -> None:
        from django.db import transaction

        import inbox.importing  # noqa: F401  (registers the importer's hooks)
        from galleries.linking import link_listeners
        from inbox.tasks import poll_link_task

        def backfill(link) -> None:  # type: ignore[no-untyped-def]
            # The first poll of a new link fetches the last 90 days (inbox.sync.BACKFILL).
            transaction.on_commit(lambda: poll_link_task.enqueue(link.pk))

        link_listeners.append(backfill)
