from django.http import HttpRequest

NAVIGATION = [
    ("inbox", "Inbox", "inbox:list"),
    ("contacts", "Contacts", "contacts:list"),
    ("shoots", "Shoots", "shoots:list"),
    ("sales", "Sales", "sales:list"),
    ("invoicing", "Invoices", "invoicing:list"),
    ("reports", "Reports", "reports:index"),
    ("preferences", "Preferences", "accounts:preferences"),
]
PREFERENCE_SECTIONS = {"accounts", "galleries", "preferences"}


def navigation(request: HttpRequest) -> dict:
    """The top navigation; the current section is the first part of the URL path."""
    section = request.path.strip("/").split("/", 1)[0]
    if section in PREFERENCE_SECTIONS:
        section = "preferences"
    context = {"nav_items": NAVIGATION, "nav_section": section}
    studio = getattr(request, "studio", None)
    if studio is not None:
        from inbox.selectors import waiting_to_import_count

        context["inbox_waiting"] = waiting_to_import_count(studio=studio)
    return context
