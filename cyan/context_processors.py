from django.http import HttpRequest

NAVIGATION = [
    ("inbox", "Inbox", "inbox:list"),
    ("contacts", "Contacts", "contacts:list"),
    ("shoots", "Shoots", "shoots:list"),
    ("sales", "Sales", "sales:list"),
    ("reports", "Reports", "reports:index"),
    ("preferences", "Preferences", "accounts:preferences"),
]


def navigation(request: HttpRequest) -> dict:
    """The top navigation; the current section is the first part of the URL path."""
    section = request.path.strip("/").split("/", 1)[0]
    if section in {"accounts", "galleries"}:
        section = "preferences"
    return {"nav_items": NAVIGATION, "nav_section": section}
