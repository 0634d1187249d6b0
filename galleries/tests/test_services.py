"""Linking, re-linking, unlinking and re-encryption against the in-memory fake Pic-Time."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from galleries import linking, services
from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink, OAuthState
from testkit.fakes import DEMO_ACCOUNT
from testkit.standin.oauth import link_via_fake, state_of, validation_code

pytestmark = pytest.mark.django_db


def start(studio, owner):
    return state_of(services.start_authorisation(studio=studio, user=owner))


def test_start_needs_an_active_api_key(studio, owner, fake_pictime):
    with pytest.raises(ValidationError) as exc:
        services.start_authorisation(studio=studio, user=owner)
    assert validation_code(exc, "api_key") == "api_key_required"
    assert "API & Zapier" in exc.value.messages[0]
    assert not OAuthState.objects.exists()


def test_start_records_state_verifier_and_callback(studio, owner, api_key, fake_pictime, settings):
    settings.CYAN_BASE_URL = "https://cyan.example/"
    url = services.start_authorisation(studio=studio, user=owner)
    pending = OAuthState.objects.get()
    assert pending.state == state_of(url)
    assert (pending.studio, pending.user, pending.used_at) == (studio, owner, None)
    assert 43 <= len(pending.code_verifier) <= 128
    assert pending.redirect_uri == "https://cyan.example/galleries/pictime/callback/"
    assert parse_qs(urlsplit(url).query)["redirect_uri"] == [pending.redirect_uri]


def test_link_stores_account_tokens_encrypted_and_registers_webhook(
    studio, owner, api_key, fake_pictime, settings
):
    settings.CYAN_BASE_URL = "https://cyan.example"
    link = link_via_fake(studio, owner, fake_pictime)
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.LINKED
    assert (link.provider_account_id, link.account_name, link.account_email) == (
        DEMO_ACCOUNT.id,
        DEMO_ACCOUNT.name,
        DEMO_ACCOUNT.email,
    )
    assert link.linked_at is not None
    assert decrypt_secret(link.access_token_encrypted) in fake_pictime.access_tokens
    assert decrypt_secret(link.refresh_token_encrypted) in fake_pictime.refresh_tokens
    assert link.access_token_expires_at > timezone.now() + timedelta(minutes=50)
    assert link.scopes == "account:read orders:read webhooks:write"
    account_id, url, secret = fake_pictime.webhooks[link.webhook_subscription_id]
    assert (account_id, url) == (
        DEMO_ACCOUNT.id,
        "https://cyan.example/galleries/webhooks/pictime/",
    )
    assert decrypt_secret(link.webhook_secret_encrypted) == secret
    assert OAuthState.objects.get().used_at is not None


def test_denied_at_pictime_stores_nothing(studio, owner, api_key, fake_pictime):
    state = start(studio, owner)
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(
            studio=studio, user=owner, state=state, error="access_denied"
        )
    assert validation_code(exc, "authorisation") == "access_denied"
    assert exc.value.messages[0].startswith("You did not approve")
    assert not GalleryLink.objects.exists()
    assert OAuthState.objects.get().used_at is not None  # the state cannot be tried again


@pytest.mark.parametrize("state", ["", "not-a-state-we-issued"])
def test_missing_or_unknown_state_is_refused(studio, owner, api_key, fake_pictime, state):
    start(studio, owner)
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(
            studio=studio, user=owner, state=state, code=fake_pictime.approve()
        )
    assert validation_code(exc, "state") in {"missing", "unknown"}
    assert not GalleryLink.objects.exists()


def test_state_of_another_studio_or_user_is_refused(
    studio, owner, api_key, fake_pictime, other_studio_and_owner
):
    other_studio, other_owner = other_studio_and_owner
    state = start(studio, owner)
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(
            studio=other_studio, user=other_owner, state=state, code=fake_pictime.approve()
        )
    assert validation_code(exc, "state") == "unknown"
    assert not GalleryLink.objects.exists()
    # …and the rightful owner can still use it.
    services.complete_authorisation(
        studio=studio, user=owner, state=state, code=fake_pictime.approve()
    )
    assert GalleryLink.objects.get().studio == studio


def test_expired_state_is_refused(studio, owner, api_key, fake_pictime):
    with time_machine.travel(timezone.now() - timedelta(minutes=11)):
        state = start(studio, owner)
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(
            studio=studio, user=owner, state=state, code=fake_pictime.approve()
        )
    assert validation_code(exc, "state") == "expired"
    assert not GalleryLink.objects.exists()


def test_reused_state_is_refused_and_changes_nothing(studio, owner, api_key, fake_pictime):
    state = start(studio, owner)
    services.complete_authorisation(
        studio=studio, user=owner, state=state, code=fake_pictime.approve()
    )
    before = GalleryLink.objects.values().get()
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(
            studio=studio, user=owner, state=state, code=fake_pictime.approve()
        )
    assert validation_code(exc, "state") == "reused"
    assert GalleryLink.objects.values().get() == before


def test_code_refused_by_token_endpoint_stores_nothing(studio, owner, api_key, fake_pictime):
    state = start(studio, owner)
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(studio=studio, user=owner, state=state, code="replayed")
    assert validation_code(exc, "code") == "code_refused"
    assert not GalleryLink.objects.exists()


def test_unreachable_pictime_stores_nothing(studio, owner, api_key, fake_pictime):
    state = start(studio, owner)
    code = fake_pictime.approve()
    fake_pictime.unreachable = True
    with pytest.raises(ValidationError) as exc:
        services.complete_authorisation(studio=studio, user=owner, state=state, code=code)
    assert validation_code(exc, "provider") == "unreachable"
    assert exc.value.messages[0].startswith("Pic-Time could not be reached")
    assert not GalleryLink.objects.exists()


def test_webhook_refused_revokes_new_tokens_and_stores_nothing(
    studio, owner, api_key, fake_pictime
):
    fake_pictime.refuse_webhooks = True
    with pytest.raises(ValidationError):
        link_via_fake(studio, owner, fake_pictime)
    assert not GalleryLink.objects.exists()
    assert fake_pictime.access_tokens == {} and fake_pictime.refresh_tokens == {}


def test_account_linked_to_another_studio_is_refused(
    studio, owner, api_key, fake_pictime, other_studio_and_owner
):
    from api.services import generate_api_key

    other_studio, other_owner = other_studio_and_owner
    generate_api_key(studio=other_studio)
    link_via_fake(other_studio, other_owner, fake_pictime)
    webhooks_before = dict(fake_pictime.webhooks)

    with pytest.raises(ValidationError) as exc:
        link_via_fake(studio, owner, fake_pictime)
    assert validation_code(exc, "account") == "already_linked"
    assert "already linked to another Cyan studio" in exc.value.messages[0]
    assert GalleryLink.objects.filter(studio=studio).count() == 0
    assert fake_pictime.webhooks == webhooks_before
    assert len(fake_pictime.access_tokens) == 1  # only the other studio's token lives


def test_database_constraint_backs_the_one_studio_rule(
    studio, owner, api_key, fake_pictime, other_studio_and_owner, monkeypatch
):
    """If two studios race past the check, the partial unique constraint still refuses."""
    from api.services import generate_api_key

    other_studio, other_owner = other_studio_and_owner
    generate_api_key(studio=other_studio)
    link_via_fake(other_studio, other_owner, fake_pictime)
    monkeypatch.setattr(linking, "linked_to_another_studio", lambda **kwargs: False)
    with pytest.raises(ValidationError) as exc:
        link_via_fake(studio, owner, fake_pictime)
    assert validation_code(exc, "account") == "already_linked"
    assert GalleryLink.objects.filter(studio=studio).count() == 0
    assert len(fake_pictime.webhooks) == 1 and len(fake_pictime.access_tokens) == 1


def test_relink_replaces_tokens_and_retires_the_old_ones(studio, owner, api_key, fake_pictime):
    link = link_via_fake(studio, owner, fake_pictime)
    old_access = decrypt_secret(link.access_token_encrypted)
    old_refresh = decrypt_secret(link.refresh_token_encrypted)
    old_webhook = link.webhook_subscription_id
    relinked = link_via_fake(studio, owner, fake_pictime)
    assert relinked.pk == link.pk
    assert decrypt_secret(relinked.access_token_encrypted) != old_access
    assert old_access not in fake_pictime.access_tokens
    assert old_refresh not in fake_pictime.refresh_tokens
    assert list(fake_pictime.webhooks) == [relinked.webhook_subscription_id] != [old_webhook]


def test_relink_to_another_account_resets_its_order_history(studio, owner, api_key, fake_pictime):
    link = link_via_fake(studio, owner, fake_pictime)
    GalleryLink.objects.filter(pk=link.pk).update(
        last_order_at=timezone.now(), sync_high_water_mark=timezone.now()
    )
    fake_pictime.add_account("acc_second", "Second Studio Account")
    relinked = link_via_fake(studio, owner, fake_pictime, account_id="acc_second")
    relinked.refresh_from_db()
    assert (relinked.provider_account_id, relinked.account_name) == (
        "acc_second",
        "Second Studio Account",
    )
    assert relinked.last_order_at is None and relinked.sync_high_water_mark is None
    assert GalleryLink.objects.count() == 1


def test_unlink_revokes_deletes_webhook_and_forgets_tokens(studio, owner, api_key, fake_pictime):
    link = link_via_fake(studio, owner, fake_pictime)
    access = decrypt_secret(link.access_token_encrypted)
    assert services.unlink(studio=studio) == []
    link.refresh_from_db()
    assert link.status == GalleryLink.Status.UNLINKED and link.unlinked_at is not None
    assert link.access_token_encrypted == link.refresh_token_encrypted == ""
    assert link.webhook_secret_encrypted == link.webhook_subscription_id == ""
    assert fake_pictime.webhooks == {}
    assert access not in fake_pictime.access_tokens and fake_pictime.refresh_tokens == {}
    assert link.account_name == DEMO_ACCOUNT.name  # history stays


def test_unlink_when_pictime_is_unreachable_still_forgets_and_warns(
    studio, owner, api_key, fake_pictime
):
    link_via_fake(studio, owner, fake_pictime)
    fake_pictime.unreachable = True
    warnings = services.unlink(studio=studio)
    assert len(warnings) == 1 and "could not be told" in warnings[0]
    link = GalleryLink.objects.get()
    assert link.status == GalleryLink.Status.UNLINKED and link.refresh_token_encrypted == ""


def test_unlink_without_a_link_is_refused(studio, fake_pictime):
    with pytest.raises(ValidationError) as exc:
        services.unlink(studio=studio)
    assert validation_code(exc, "link") == "not_linked"


def test_unlinked_account_can_be_linked_by_another_studio(
    studio, owner, api_key, fake_pictime, other_studio_and_owner
):
    from api.services import generate_api_key

    link_via_fake(studio, owner, fake_pictime)
    services.unlink(studio=studio)
    other_studio, other_owner = other_studio_and_owner
    generate_api_key(studio=other_studio)
    other_link = link_via_fake(other_studio, other_owner, fake_pictime)
    assert other_link.provider_account_id == DEMO_ACCOUNT.id
    assert GalleryLink.objects.count() == 2


def test_rotate_token_encryption_command_reencrypts_under_newest_key(
    studio, owner, api_key, fake_pictime, settings
):
    link = link_via_fake(studio, owner, fake_pictime)
    old_key = settings.CYAN_FERNET_KEYS[0]
    plain = {f: decrypt_secret(getattr(link, f)) for f in services.ENCRYPTED_FIELDS}
    settings.CYAN_FERNET_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_token_encryption", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.CYAN_FERNET_KEYS = settings.CYAN_FERNET_KEYS[:1]  # the old key is gone
    link.refresh_from_db()
    for field, value in plain.items():
        assert decrypt_secret(getattr(link, field)) == value


def test_callback_and_webhook_urls_are_served_by_cyan(settings):
    from django.urls import resolve

    settings.CYAN_BASE_URL = "https://cyan.example/"
    assert services.callback_url("pictime") == "https://cyan.example/galleries/pictime/callback/"
    assert services.webhook_url("pictime") == "https://cyan.example/galleries/webhooks/pictime/"
    for url in (services.callback_url("pictime"), services.webhook_url("pictime")):
        resolve(urlsplit(url).path)  # raises Resolver404 if nothing serves it
