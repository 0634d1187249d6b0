import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from galleries.crypto import InvalidToken, decrypt_secret, encrypt_secret, reencrypt_secret


def test_round_trip_and_ciphertext_hides_the_secret():
    ciphertext = encrypt_secret("at_super_secret")
    assert "at_super_secret" not in ciphertext
    assert decrypt_secret(ciphertext) == "at_super_secret"
    assert encrypt_secret("at_super_secret") != ciphertext  # random IV each time


def test_empty_stays_empty():
    assert encrypt_secret("") == ""
    assert decrypt_secret("") == ""


def test_rotation_new_key_first_old_still_decrypts_then_old_key_dropped(settings):
    old = settings.CYAN_FERNET_KEYS[0]
    ciphertext = encrypt_secret("rt_refresh")
    new = Fernet.generate_key().decode()
    settings.CYAN_FERNET_KEYS = [new, old]
    assert decrypt_secret(ciphertext) == "rt_refresh"
    rotated = reencrypt_secret(ciphertext)
    settings.CYAN_FERNET_KEYS = [new]
    assert decrypt_secret(rotated) == "rt_refresh"
    with pytest.raises(InvalidToken):
        decrypt_secret(ciphertext)


def test_missing_or_bad_keys_are_a_configuration_error(settings):
    settings.CYAN_FERNET_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        encrypt_secret("x")
    settings.CYAN_FERNET_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        encrypt_secret("x")
