"""Preferences → Integrations → "API & Zapier": generate, rotate and revoke API keys.

A new key's plaintext is only ever in the response to the POST that created it: it is
not put in the session or a flash message (both are stored in the database), so a
reload of the page cannot show it again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from api.forms import GenerateKeyForm
from api.models import ApiKey
from api.selectors import api_keys_for_studio, get_api_key
from api.services import generate_api_key, revoke_api_key, rotate_api_key


def _keys_page(
    request: HttpRequest,
    *,
    form: GenerateKeyForm | None = None,
    new_key: str = "",
    new_key_object: ApiKey | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "tab": "integrations",
        "subtab": "api",
        "form": form or GenerateKeyForm(),
        "api_keys": api_keys_for_studio(studio=request.studio),
        "new_key": new_key,
        "new_key_object": new_key_object,
        "docs_url": reverse("api_docs"),
    }
    return render(request, "api/keys.html", context, status=status)


@never_cache
@studio_required
def api_keys(request: HttpRequest) -> HttpResponse:
    return _keys_page(request)


@never_cache
@require_POST
@studio_required
def generate(request: HttpRequest) -> HttpResponse:
    form = GenerateKeyForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, form=form, status=400)
    api_key, raw = generate_api_key(
        studio=request.studio, name=form.cleaned_data["name"] or "API key"
    )
    return _keys_page(request, new_key=raw, new_key_object=api_key)


def _confirm_page(request: HttpRequest, api_key: ApiKey, action: str) -> HttpResponse:
    return render(
        request,
        "api/confirm_key_action.html",
        {
            "tab": "integrations",
            "subtab": "api",
            "api_key": api_key,
            "action": action,
        },
    )


@never_cache
@studio_required
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = get_api_key(studio=request.studio, pk=pk)
    if request.method != "POST":
        return _confirm_page(request, api_key, "rotate")
    try:
        new_key, raw = rotate_api_key(api_key=api_key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("api_keys:index")
    return _keys_page(request, new_key=raw, new_key_object=new_key)


@studio_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = get_api_key(studio=request.studio, pk=pk)
    if request.method != "POST":
        return _confirm_page(request, api_key, "revoke")
    revoke_api_key(api_key=api_key)
    messages.success(request, f"The key “{api_key.name}” was revoked; it no longer works.")
    return redirect("api_keys:index")
