from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self) -> None:
        from galleries.linking import link_listeners

        def poll_new_link(link) -> None:  # type: ignore[no-untyped-def]
            from inbox.tasks import poll_new_link  # imported late: tasks pulls in the intake

            poll_new_link(link)

        # galleries cannot import the inbox (downstream of it); a new link's backfill is
        # the one thing it must start, so it calls what the inbox hands it here.
        link_listeners.append(poll_new_link)
