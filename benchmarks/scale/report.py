"""The simulation's figures: CPU per request from a phase's CPU (less the idle baseline),
and the summary table printed at the end of a run."""

from __future__ import annotations

SERVER_PARTS = ("web", "worker", "postgres")  # Cyan's own cost; the stand-in is Pic-Time's


def per_request(phase: dict, baseline: dict, requests: int) -> dict:
    """CPU ms per request of each part over `phase`, less what that part burns idle
    (the workers' idle polls, the database's background) for as long as the phase ran."""
    seconds = phase["seconds"]
    idle_rate = {part: used / baseline["seconds"] for part, used in baseline["cpu_s"].items()}
    net = {
        part: max(0.0, used - idle_rate.get(part, 0.0) * seconds)
        for part, used in phase["cpu_s"].items()
        if part != "generator"
    }
    per = {part: 1000 * used / max(requests, 1) for part, used in net.items()}
    return {
        "phase": phase,
        "cpu_ms_per_request": per,
        "cyan_cpu_ms_per_request": sum(per[part] for part in SERVER_PARTS),
        "generator_cpu_ms_per_request": 1000 * phase["cpu_s"]["generator"] / max(requests, 1),
    }


def short(result: dict) -> str:
    per = result["cpu_ms_per_request"]
    return (
        f"{result['ok']}/{result['sent']} ok, {result['per_s']:.1f}/s, Cyan CPU "
        f"{result['cyan_cpu_ms_per_request']:.1f} ms/req (web {per['web']:.1f}, worker "
        f"{per['worker']:.1f}, postgres {per['postgres']:.1f}; stand-in {per['standin']:.1f})"
    )


def table(data: dict) -> str:
    lines = [
        f"\nload average before {fmt_load(data['load_average_before'])}, after "
        f"{fmt_load(data['load_average_after'])}; cache: "
        f"{'Redis' if data['redis'] else 'database (no redis package)'}",
        "\nEach kind alone (closed loop, 4 connections; polls: all links at once, 2 workers,"
        " p50/p99 = a poll's run time)",
        f"{'kind':<14}{'n':>6}{'/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'web':>7}{'worker':>8}"
        f"{'pg':>7}{'Cyan':>7}{'stand-in':>10}   (CPU ms per request)",
    ]
    for kind, r in data["calibration"].items():
        per = r["cpu_ms_per_request"]
        lines.append(
            f"{kind:<14}{r['sent']:>6}{r['per_s']:>8.1f}{r.get('p50_ms', 0):>9.1f}"
            f"{r.get('p99_ms', 0):>9.1f}{per['web']:>7.2f}{per['worker']:>8.2f}"
            f"{per['postgres']:>7.2f}{r['cyan_cpu_ms_per_request']:>7.2f}{per['standin']:>10.2f}"
        )
    ceiling = data["queue_ceiling"]
    if ceiling:
        per = ceiling["cpu_ms_per_request"]
        lines.append(
            f"\nQueue ceiling: {ceiling['tasks']} near-empty tasks drained by 2 workers at "
            f"{ceiling['tasks_per_s']:.0f} tasks/s; CPU per task: worker {per['worker']:.2f} ms,"
            f" postgres {per['postgres']:.2f} ms"
        )
    m = data["mixed"]
    plan = data["plan"]
    lines += [
        f"\nThe mix: {data['args']['studios']} studios, {m['seconds']:.0f} s = "
        f"{plan['simulated_hours'] * 60:.0f} simulated minutes (open loop, latency from due "
        f"time)",
        f"{'kind':<14}{'planned':>8}{'sent':>7}{'ok':>7}{'/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}  errors",
    ]
    for kind, r in m["kinds"].items():
        lines.append(
            f"{kind:<14}{plan.get(kind, 0):>8}{r['sent']:>7}{r['ok']:>7}{r['per_s']:>8.2f}"
            f"{r.get('p50_ms', 0):>9.1f}{r.get('p99_ms', 0):>9.1f}{r.get('max_ms', 0):>9.1f}  "
            f"{r.get('errors') or '-'}{' dropped ' + str(r['dropped']) if r.get('dropped') else ''}"
        )
    lag = m["queue_lag"]
    lines.append(
        f"\nQueue lag (oldest ready task, sampled each second): p50 "
        f"{lag['oldest_ready_age_p50_s']:.2f} s, p99 {lag['oldest_ready_age_p99_s']:.2f} s, "
        f"max {lag['oldest_ready_age_max_s']:.2f} s; ready tasks mean "
        f"{lag['ready_tasks_mean']:.1f}, max {lag['ready_tasks_max']}"
    )
    for task, t in m["tasks"].items():
        lines.append(
            f"  {task:<28} {t['started']:>6} started, wait p50 {t['wait_p50_s']:.2f} s, p99 "
            f"{t['wait_p99_s']:.2f} s, max {t['wait_max_s']:.2f} s; run p50 "
            f"{t['run_p50_s'] * 1000:.0f} ms; failed {t['failed']}, errors {t['returned_error']}"
        )
    cpu = m["cpu_s"]
    predicted = predicted_cpu(data)
    lines.append(
        f"\nCPU in the mix: web {cpu['web']:.1f} s, worker {cpu['worker']:.1f} s, postgres "
        f"{cpu['postgres']:.1f} s, stand-in {cpu['standin']:.1f} s, generator "
        f"{cpu['generator']:.1f} s, other processes {m['other_cpu_s']:.1f} s; machine "
        f"{m['machine_busy_pct']:.0f}% busy. Cyan {sum(cpu[p] for p in SERVER_PARTS):.1f} s "
        f"against {predicted:.1f} s predicted from the per-kind costs (+ idle baseline)"
    )
    totals, expected = data["totals"], data["totals"].get("expected", {})
    stored = all(totals[k] == expected.get(k) for k in ("inbox_items", "inbox_deliveries", "sales"))
    lines.append(
        f"Stored: {totals['inbox_items']} Inbox items, {totals['inbox_deliveries']} deliveries, "
        f"{totals['sales']} sales, {totals['items_with_errors']} with errors; expected "
        f"{expected.get('inbox_items')}, {expected.get('inbox_deliveries')}, "
        f"{expected.get('sales')}: {'PASS' if stored else 'FAIL'} (every order once)"
    )
    return "\n".join(lines)


def predicted_cpu(data: dict) -> float:
    """Cyan CPU seconds the mix should cost: each kind's count × its cost alone, plus
    what the processes burn idle over the phase."""
    m, base = data["mixed"], data["idle_baseline"]
    work = sum(
        r["ok"] * data["calibration"][kind]["cyan_cpu_ms_per_request"] / 1000
        for kind, r in m["kinds"].items()
        if kind in data["calibration"]
    )
    idle = sum(base["cpu_s"][p] for p in SERVER_PARTS) / base["seconds"] * m["seconds"]
    return work + idle


def fmt_load(load: list[float] | tuple[float, ...]) -> str:
    return " ".join(f"{value:.2f}" for value in load)
