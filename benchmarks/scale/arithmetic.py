"""From a simulation run's per-request CPU costs to the cores and machines N studios need
(the arithmetic in docs/scaling.md), so the page can be refreshed after any run:

    .venv/bin/python benchmarks/scale/arithmetic.py var/bench/scale/run-….json \
        [--studios 100000] [--utilisation 0.6] [--cores-per-machine 8] [--polls-per-hour 12]

Assumptions (stated in the output): every studio at its busy-hour mix at once (an upper
bound: studios in other time zones are not all busy together); CPU per request as
measured alone on this machine; machines run at most `--utilisation` busy at that peak.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mix

PARTS = ("web", "worker", "postgres")


def cost_per_studio_hour(calibration: dict, per_hour: dict[str, float]) -> dict[str, dict]:
    """CPU ms per studio-hour of each part, kind by kind."""
    return {
        kind: {part: count * calibration[kind]["cpu_ms_per_request"][part] for part in PARTS}
        for kind, count in per_hour.items()
    }


def sizing(run: dict, studios: int, utilisation: float, cores_per_machine: int,
           polls_per_hour: float) -> dict:  # fmt: skip
    per_hour = dict(mix.PER_STUDIO_HOUR) | {"poll": polls_per_hour}
    by_kind = cost_per_studio_hour(run["calibration"], per_hour)
    per_part_ms = {part: sum(kind[part] for kind in by_kind.values()) for part in PARTS}
    cores = {part: studios * ms / 1000 / 3600 for part, ms in per_part_ms.items()}
    requests_per_s = {kind: studios * n / 3600 for kind, n in per_hour.items()}
    machines = {
        part: max(1, math.ceil(used / utilisation / cores_per_machine))
        for part, used in cores.items()
    }
    return {"per_hour": per_hour, "by_kind_ms": by_kind, "per_studio_hour_ms": per_part_ms,
            "cores": cores, "requests_per_s": requests_per_s, "machines": machines}  # fmt: skip


def render(result: dict, args: argparse.Namespace, run: dict) -> str:
    lines = [
        f"{args.studios:,} studios, busy-hour mix {result['per_hour']}, all busy at once;",
        f"CPU per request from {args.run.name} (load average before "
        f"{run['load_average_before'][0]:.2f}); machines at most {args.utilisation:.0%} busy, "
        f"{args.cores_per_machine} cores each.",
        "",
        "| kind | per second | web ms/studio-h | worker ms/studio-h | PostgreSQL ms/studio-h |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, parts in result["by_kind_ms"].items():
        lines.append(
            f"| {kind} | {result['requests_per_s'][kind]:,.0f} | {parts['web']:.1f} | "
            f"{parts['worker']:.1f} | {parts['postgres']:.1f} |"
        )
    per = result["per_studio_hour_ms"]
    lines.append(
        f"| **total** | | **{per['web']:.0f}** | **{per['worker']:.0f}** | "
        f"**{per['postgres']:.0f}** |"
    )
    lines += ["", "| part | cores busy | machines |", "|---|---:|---:|"]
    for part in PARTS:
        lines.append(
            f"| {part} | {result['cores'][part]:.1f} | {result['machines'][part]} × "
            f"{args.cores_per_machine} cores |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--studios", type=int, default=100_000)
    parser.add_argument("--utilisation", type=float, default=0.6)
    parser.add_argument("--cores-per-machine", type=int, default=8)
    parser.add_argument("--polls-per-hour", type=float, default=mix.PER_STUDIO_HOUR["poll"])
    args = parser.parse_args()
    run = json.loads(args.run.read_text())
    result = sizing(run, args.studios, args.utilisation, args.cores_per_machine,
                    args.polls_per_hour)  # fmt: skip
    print(render(result, args, run))


if __name__ == "__main__":
    main()
