"""Preferences → Integrations → Online Galleries, and the OAuth round trip to the provider.
Thin: the rules live in galleries.services and galleries.selectors."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import studio_required
from galleries import choosing, providers, selectors, services
from galleries.linking import AccountChoice
from galleries.models import GalleryLink

# What runs once a link is stored (galleries.urls.gallery_urls hands it in).
AfterLink = Callable[[GalleryLink], None]


def _integrations_context(**extra: object) -> dict:
    return {"tab": "integrations", "subtab": "galleries", **extra}


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@studio_required
def gallery_settings(request: HttpRequest) -> HttpResponse:
    studio = request.studio
    return render(
        request,
        "galleries/settings.html",
        _integrations_context(
            cards=[
                {"provider": p, "link": selectors.link_for_studio(studio=studio, provider=p.name)}
                for p in providers.all()
            ],
            has_api_key=selectors.studio_has_active_api_key(studio=studio),
        ),
    )


@studio_required
@require_GET
def connect(request: HttpRequest, provider: str) -> HttpResponse:
    """The studio's account page with the link that authorises Cyan at the provider."""
    if not selectors.studio_has_active_api_key(studio=request.studio):
        messages.warning(request, "Generate an API key first, then link your online gallery.")
        return redirect("galleries:settings")
    return render(
        request,
        "galleries/connect.html",
        _integrations_context(
            provider=provider,
            provider_label=providers.get(provider).label,
            has_webhooks=providers.get(provider).has_webhooks,
            chooses_account=providers.get(provider).chooses_account,
            link=selectors.active_link_for_studio(studio=request.studio, provider=provider),
        ),
    )


@studio_required
@require_POST
def authorise(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        url = services.start_authorisation(
            studio=request.studio, user=request.user, provider=provider
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("galleries:settings")
    return redirect(url)


@studio_required
@require_GET
def callback(
    request: HttpRequest, provider: str, after_link: AfterLink | None = None
) -> HttpResponse:
    """Where the provider sends the photographer back, with a code or an error; once the
    link is stored, `after_link` (the Inbox's first poll, handed in by the project)."""
    try:
        result = services.complete_authorisation(
            studio=request.studio,
            user=request.user,
            provider=provider,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
            error_description=request.GET.get("error_description", ""),
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("galleries:connect", provider=provider)
    if isinstance(result, AccountChoice):  # several accounts: the photographer picks one
        request.session[choosing.SESSION_KEY] = choosing.seal(
            result, studio=request.studio, user=request.user
        )
        return redirect("galleries:choose", provider=provider)
    return _linked(request, result, after_link)


def _linked(request: HttpRequest, link: GalleryLink, after_link: AfterLink | None) -> HttpResponse:
    if after_link is not None:
        after_link(link)
    label = providers.get(link.provider).label
    messages.success(
        request,
        f"Your {label} account {link.account_name} is linked. "
        "New gallery orders will now arrive in your Inbox.",
    )
    return redirect("galleries:settings")


@studio_required
@require_http_methods(["GET", "POST"])
def choose(
    request: HttpRequest, provider: str, after_link: AfterLink | None = None
) -> HttpResponse:
    """ "Choose the brand": which of the login's accounts this studio links; once linked,
    `after_link` (the Inbox's first poll, handed in by the project)."""
    label = providers.get(provider).label
    try:
        choice = choosing.unseal(
            request.session.get(choosing.SESSION_KEY),
            studio=request.studio,
            user=request.user,
            provider=provider,
        )
    except ValidationError as exc:
        request.session.pop(choosing.SESSION_KEY, None)
        messages.error(request, _error_text(exc))
        return redirect("galleries:connect", provider=provider)
    if request.method == "POST":
        if "cancel" in request.POST:
            request.session.pop(choosing.SESSION_KEY, None)
            choosing.abandon(choice)
            messages.info(request, f"Nothing was linked; Cyan's access to {label} was revoked.")
            return redirect("galleries:settings")
        try:
            link = choosing.choose_account(
                studio=request.studio, choice=choice, account_id=request.POST.get("account", "")
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            if not choosing.still_open(exc):  # linking failed and revoked the tokens
                request.session.pop(choosing.SESSION_KEY, None)
                return redirect("galleries:connect", provider=provider)
        else:
            request.session.pop(choosing.SESSION_KEY, None)
            return _linked(request, link, after_link)
    return render(
        request,
        "galleries/choose_account.html",
        _integrations_context(provider=provider, provider_label=label, accounts=choice.accounts),
    )


@studio_required
@require_http_methods(["GET", "POST"])
def unlink(request: HttpRequest, provider: str) -> HttpResponse:
    link = selectors.active_link_for_studio(studio=request.studio, provider=provider)
    if link is None:
        messages.info(request, f"No {providers.get(provider).label} account is linked.")
        return redirect("galleries:settings")
    if request.method == "POST":
        try:
            warnings = services.unlink(studio=request.studio, provider=provider)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                f"Your {link.get_provider_display()} account {link.account_name} was unlinked.",
            )
            for warning in warnings:
                messages.warning(request, warning)
        return redirect("galleries:settings")
    return render(request, "galleries/unlink_confirm.html", _integrations_context(link=link))
