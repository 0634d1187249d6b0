#!/usr/bin/env python
"""The ShootProof stand-in's manage.py: works from any working directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    # Forced, not setdefault: Cyan's own DJANGO_SETTINGS_MODULE may be in the environment.
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
        "SHOOTPROOF_SETTINGS_MODULE", "shootproof_site.settings"
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
