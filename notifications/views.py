"""Preferences → Notifications (thin: the rules are in notifications.services)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.decorators import studio_required
from notifications import services
from notifications.forms import NotificationSettingsForm


@studio_required
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = services.settings_for(request.studio)
    form = NotificationSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.update_settings(studio=request.studio, **form.cleaned_data)
        messages.success(request, "Notification preferences saved.")
        return redirect("notifications:preferences")
    context = {
        "form": form,
        "tab": "notifications",
        "default_address": services.recipient(request.studio) if not prefs.email else "",
    }
    return render(request, "notifications/preferences.html", context)
