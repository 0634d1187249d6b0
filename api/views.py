"""Preferences → Integrations → "API & Zapier": generate, rotate and revoke API keys.

After Generate or Rotate the browser is redirected (so a reload never posts again), and
the new key's plaintext waits for that one page view in the session, Fernet-encrypted
(the session is stored in the database): the page takes it out as it shows it, so a
reload, the back button or another tab cannot show it again.
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
from galleries.crypto import InvalidToken, decrypt_secret, encrypt_secret

NEW_KEY_SESSION = "api_new_key"


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


def _hand_over_once(request: HttpRequest, api_key: ApiKey, raw: str) -> HttpResponse:
    """Keep the new key for the next page view only, then redirect (post/redirect/get)."""
    request.session[NEW_KEY_SESSION] = {"id": api_key.pk, "key": encrypt_secret(raw)}
    return redirect("api_keys:index")


def _take_new_key(request: HttpRequest) -> tuple[str, ApiKey | None]:
    handed = request.session.pop(NEW_KEY_SESSION, None)
    if not isinstance(handed, dict):
        return "", None
    try:
        raw = decrypt_secret(str(handed.get("key", "")))
    except InvalidToken:  # the encryption keys changed meanwhile: rotate to get a new key
        return "", None
    key = api_keys_for_studio(studio=request.studio).filter(pk=handed.get("id")).first()
    return (raw, key) if key is not None else ("", None)


@never_cache
@studio_required
def api_keys(request: HttpRequest) -> HttpResponse:
    raw, api_key = _take_new_key(request)
    return _keys_page(request, new_key=raw, new_key_object=api_key)


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
    return _hand_over_once(request, api_key, raw)


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
    return _hand_over_once(request, new_key, raw)


@studio_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = get_api_key(studio=request.studio, pk=pk)
    if request.method != "POST":
        return _confirm_page(request, api_key, "revoke")
    revoke_api_key(api_key=api_key)
    messages.success(
        request,
        f"The key “{api_key.name}” was revoked: requests made with it are now refused. "
        "Your linked online galleries are not affected.",
    )
    return redirect("api_keys:index")
