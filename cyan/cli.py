"""The `cyan` command: Django's manage.py plus `serve`, `worker`, `scheduler` and `up`.

`cyan up` is what `make run` calls: it migrates, loads the demo on first run and
supervises Cyan's web server, its background worker, its scheduler and the Pic-Time and
ShootProof stand-ins.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from cyan.supervise import Supervisor

ROOT = Path(__file__).resolve().parent.parent
STANDIN_MANAGE = ROOT / "sandbox" / "pictime" / "manage.py"
SHOOTPROOF_MANAGE = ROOT / "sandbox" / "shootproof" / "manage.py"
DEMO_EMAIL = os.environ.get("CYAN_DEMO_EMAIL", "demo@cyan.test")
DEMO_PASSWORD = os.environ.get("CYAN_DEMO_PASSWORD", "cyan-demo")


def manage(*args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cyan", *args])


def serve_command(port: int, workers: int = 2) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "cyan.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", "4",
        "--access-logfile", "-", "--chdir", str(ROOT), "--no-control-socket",
    ]  # fmt: skip


def worker_command(*options: str) -> list[str]:
    """One worker; `--processes N` among `options` runs N, supervised."""
    return [sys.executable, str(ROOT / "manage.py"), "worker", "--interval", "1", *options]


def scheduler_command(*options: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "scheduler", *options]


def standin_command(port: int) -> list[str]:
    return [sys.executable, str(STANDIN_MANAGE), "serve", "--port", str(port)]


def shootproof_command(port: int) -> list[str]:
    return [sys.executable, str(SHOOTPROOF_MANAGE), "serve", "--port", str(port)]


def up() -> int:
    cyan_port = int(os.environ.get("CYAN_PORT", "8000"))
    pictime_port = int(os.environ.get("PICTIME_PORT", "8001"))
    env = {**os.environ, "CYAN_PORT": str(cyan_port), "PICTIME_PORT": str(pictime_port)}
    env.setdefault(
        "PICTIME_REDIRECT_URIS",
        f"http://127.0.0.1:{cyan_port}/galleries/pictime/callback/ "
        f"http://localhost:{cyan_port}/galleries/pictime/callback/",
    )
    shootproof_port = shootproof_env(env, cyan_port)
    env["PROMETHEUS_MULTIPROC_DIR"] = fresh_metrics_dir(env)  # /metrics sees every process
    os.environ.update(env)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    demo = os.environ.get("CYAN_DEMO", "true").strip().lower() not in {"0", "false", "no", "off"}
    if demo:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "demo", "--if-empty"], check=True)
    commands = {
        "web": serve_command(cyan_port),
        "worker": worker_command(),
        "scheduler": scheduler_command(),
    }
    if STANDIN_MANAGE.exists():
        commands["pictime"] = standin_command(pictime_port)
    if SHOOTPROOF_MANAGE.exists():
        commands["shootproof"] = shootproof_command(shootproof_port)
    supervisor = Supervisor(commands, env=env)
    supervisor.handle_signals()
    supervisor.start_all()
    if demo and "pictime" in commands:
        place_demo_orders(f"http://127.0.0.1:{pictime_port}")
    if demo and "shootproof" in commands:
        place_shootproof_demo_orders(f"http://127.0.0.1:{shootproof_port}")
    print(
        f"\nCyan:     http://127.0.0.1:{cyan_port}   log in as {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        f"Pic-Time: http://127.0.0.1:{pictime_port}   (stand-in) photographer@pictime.test / "
        "pictime-demo\n"
        f"ShootProof: http://127.0.0.1:{shootproof_port}   (stand-in) "
        "photographer@shootproof.test / shootproof-demo\nPress Ctrl-C to stop.\n",
        flush=True,
    )
    return supervisor.run()


def fresh_metrics_dir(env: dict[str, str]) -> str:
    """Where every Cyan process writes its Prometheus counts (multiprocess mode), emptied
    of the last run's: a directory's files are only valid for processes started after."""
    default = Path(env.get("CYAN_VAR_DIR", ROOT / "var")) / "metrics"
    directory = Path(env.get("PROMETHEUS_MULTIPROC_DIR") or default)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return str(directory)


def place_demo_orders(pictime_url: str) -> None:
    """Once per demo: orders at the stand-in, three of them from clients who are already
    contacts in the Cyan demo, so Import Order has certain matches to show after linking."""
    import json
    import urllib.request

    marker = Path(os.environ.get("CYAN_VAR_DIR", ROOT / "var")) / ".demo-orders-placed"
    if marker.exists() or not _wait_until_healthy(f"{pictime_url}/health"):
        return
    token = os.environ.get("PICTIME_CONTROL_TOKEN", "standin-control")
    # Priced in the demo studio's currency, so imported orders show in the default reports.
    bodies = [{"count": 5, "seed": 11}] + [{"client": client} for client in _demo_clients(3)]
    bodies = [{**body, "currency": "GBP"} for body in bodies]
    for body in bodies:
        request = urllib.request.Request(
            f"{pictime_url}/control/orders",
            data=json.dumps({"account_email": "photographer@pictime.test", **body}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30):
                pass
        except OSError as exc:  # the demo still runs without them
            print(f"Could not place a demo order at the stand-in: {exc}", flush=True)
            return
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    print("Placed demo orders at the Pic-Time stand-in (they reach the Inbox once linked).")


def shootproof_env(env: dict[str, str], cyan_port: int) -> int:
    """The ShootProof stand-in's port, and Cyan's callback registered with it."""
    port = int(env.get("SHOOTPROOF_PORT", "8002"))
    env["SHOOTPROOF_PORT"] = str(port)
    env.setdefault(
        "SHOOTPROOF_REDIRECT_URIS",
        f"http://127.0.0.1:{cyan_port}/galleries/shootproof/callback/ "
        f"http://localhost:{cyan_port}/galleries/shootproof/callback/",
    )
    return port


def place_shootproof_demo_orders(shootproof_url: str) -> None:
    """Once per demo: a few orders in pounds (the demo studio's currency) at the ShootProof
    stand-in's first brand, one from a demo contact the Pic-Time orders did not use."""
    import json
    import urllib.request

    marker = Path(os.environ.get("CYAN_VAR_DIR", ROOT / "var")) / ".demo-shootproof-orders-placed"
    if marker.exists() or not _wait_until_healthy(f"{shootproof_url}/health"):
        return
    token = os.environ.get("SHOOTPROOF_CONTROL_TOKEN", "standin-control")
    bodies = [{"count": 3, "seed": 21}] + [{"client": c} for c in _demo_clients(4)[3:]]
    for body in bodies:
        payload = {"account_email": "photographer@shootproof.test", "currency": "GBP", **body}
        request = urllib.request.Request(
            f"{shootproof_url}/control/orders",
            data=json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30):
                pass
        except OSError as exc:  # the demo still runs without them
            print(f"Could not place a demo order at the ShootProof stand-in: {exc}", flush=True)
            return
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    print("Placed demo orders at the ShootProof stand-in (polled into the Inbox once linked).")


def _wait_until_healthy(url: str, seconds: float = 90) -> bool:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def _demo_clients(count: int) -> list[dict[str, str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    import django

    django.setup()
    from contacts.models import Contact

    contacts = Contact.objects.filter(emails__isnull=False).order_by("id")[:count]
    return [
        {"first_name": c.first_name, "last_name": c.last_name, "email": c.emails.first().email}
        for c in contacts
    ]


def main() -> None:
    args = sys.argv[1:]
    if not args:
        manage("help")
        return
    command, rest = args[0], args[1:]
    os.chdir(ROOT)
    if command == "up":
        sys.exit(up())
    if command == "serve":
        port = (
            rest[rest.index("--port") + 1]
            if "--port" in rest
            else os.environ.get("CYAN_PORT", "8000")
        )
        os.execv(sys.executable, serve_command(int(port)))
    if command == "worker":
        os.execv(sys.executable, worker_command(*rest))
    if command == "scheduler":
        os.execv(sys.executable, scheduler_command(*rest))
    manage(command.replace("-", "_"), *rest)


if __name__ == "__main__":
    main()
