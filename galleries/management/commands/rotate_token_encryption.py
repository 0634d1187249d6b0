"""Re-encrypt every stored provider secret under the newest CYAN_FERNET_KEYS key.

Rotation: put the new key first in CYAN_FERNET_KEYS (keeping the old ones after it),
restart, run this command, then drop the old keys."""

from django.core.management.base import BaseCommand

from galleries.services import rotate_token_encryption


class Command(BaseCommand):
    help = "Re-encrypt gallery tokens and webhook secrets with the newest CYAN_FERNET_KEYS key."

    def handle(self, *args: object, **options: object) -> None:
        rewritten = rotate_token_encryption()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the secrets of {rewritten} link(s)."))
