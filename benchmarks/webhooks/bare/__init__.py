"""The ceiling: a bare Django project with one webhook-shaped view, served like Cyan."""
