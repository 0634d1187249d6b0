from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self) -> None:
        from django.db import transaction

        from galleries.linking import link_listeners

        def backfill(link) -> None:  # type: ignore[no-untyped-def]
            from inbox.tasks import poll_link_task

            # The first poll of a new link fetches the last 90 days (inbox.sync.BACKFILL).
            transaction.on_commit(lambda: poll_link_task.enqueue(link.pk))

        link_listeners.append(backfill)
