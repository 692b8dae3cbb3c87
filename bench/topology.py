"""Benchmark: the production topology on one machine, every piece its own process, as README's "Deployment" runs it.

Usage: python -m bench.topology [--pushes 300] [--kill-after 100] [--leader-check-seconds 5] [--admin-url URL]
`bench/cluster.py` starts the backend (`ipoteka api --workers 2`) on a new PostgreSQL database (made on
`--admin-url`'s server, dropped after), Redis on a free port, 2 bot replicas in webhook mode (`ipoteka bot`) behind one
alternating address, 2 schedulers (`ipoteka scheduler`, SCHEDULER_LEADER_CHECK_SECONDS as given, a lease of 10 s) and
the fake Bot API (30 messages/s overall, strict). Then, in one run (`bench/scenes.py`):
1. the baseline: a demo borrower links a chat and applies for a payment holiday with only replica 1 behind the proxy;
2. the same conversation for another demo borrower with the updates alternating between the two replicas;
3. again for a third, the replica that took the latest update killed (SIGKILL) mid-wizard, the survivor finishing;
4. the schedulers: `--pushes` due reminders added to the outbox, the leader killed (SIGKILL) after `--kill-after` are
   delivered; the time until the other leads (its `ipoteka_scheduler_leading`) against the check interval, until its
   first push, the duplicates and losses per chat, and the messages/s before and after against the cap.
Each conversation prints its turns (an update POSTed to the proxy until its `update_id` is marked handled in Redis),
p50/p95/max, the updates each replica took, whether the draft survived and the applications stored.
"""

import argparse
import asyncio
import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.cluster import DEFAULT_ADMIN_URL, LEASE_SECONDS, Topology
from bench.reminders import CAP, GOAL, load_average, sustained
from bench.scenes import IN_FLIGHT_SECONDS, Conversation, converse, hand_over

#: Demo borrowers (phone, second factor: the contract number's last 4 digits) with a loan a holiday may cover.
TATYANA = ("+79160000010", "4123")
SVETLANA = ("+79160000014", "3219")
IVAN = ("+79161234567", "0457")
GAP_SECONDS = 1.0


def show(label: str, value: object, note: str = "") -> None:
    print(f"  {label:26} {value}{'   ' + note if note else ''}", flush=True)


def milliseconds(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"


def show_conversation(talk: Conversation) -> None:
    show("turns", f"{len(talk.turns)}: {milliseconds(talk.turns)}", "POST to the proxy → update handled")
    show("updates per replica", ", ".join(f"{name} {count}" for name, count in sorted(talk.taken.items())))
    if talk.killed:
        show("killed mid-wizard", f"{talk.killed} (SIGKILL at HolidayWizard:mode, after the months)")
        show("draft survived", "yes" if talk.draft_survived else "NO", "the survivor finished it; stored as entered")
    stored = ", ".join(f"№ {a.id} {a.status.value}" for a in talk.applications) or "none"
    show("applications stored", f"{len(talk.applications)} ({stored})")


def split_at_gap(times: list[float]) -> tuple[list[float], list[float]]:
    """The arrivals before and after the longest pause of over a second (the wait for the dead leader's leases)."""
    gaps = [(later - earlier, n) for n, (earlier, later) in enumerate(itertools.pairwise(times), start=1)]
    longest, at = max(gaps, default=(0.0, len(times)))
    return (times[:at], times[at:]) if longest > GAP_SECONDS else (times, [])


async def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-topology-"))
    print(f"topology bench: {os.cpu_count()} cores, load {load_average()}; logs in {tmp}")
    began = time.monotonic()
    async with Topology(tmp, admin_url=args.admin_url, leader_check_seconds=args.leader_check_seconds) as topology:
        print(f"\nstarted and ready in {time.monotonic() - began:.1f} s: backend ×2 workers, 2 replicas, 2 schedulers")
        both = list(topology.proxy.upstreams)

        print("\n1. baseline: one replica behind the proxy", flush=True)
        topology.proxy.upstreams = both[:1]
        alone = await converse(topology, user_id=7010, phone=TATYANA[0], factor=TATYANA[1])
        show_conversation(alone)

        print("\n2. two replicas, the updates alternating", flush=True)
        topology.proxy.upstreams = both
        shared = await converse(topology, user_id=7014, phone=SVETLANA[0], factor=SVETLANA[1])
        show_conversation(shared)
        ratio = statistics.median(shared.turns) / statistics.median(alone.turns)
        show("p50 against the baseline", f"×{ratio:.2f}")

        print("\n3. two replicas, one killed mid-wizard", flush=True)
        killed = await converse(topology, user_id=7001, phone=IVAN[0], factor=IVAN[1], kill_mid_wizard=True)
        show_conversation(killed)
        show("passed over by the proxy", sum(topology.proxy.passed_over.values()), "requests that found it dead")

        print(f"\n4. schedulers: {args.pushes} reminders, the leader killed after {args.kill_after}", flush=True)
        handover = await hand_over(topology, pushes=args.pushes, kill_after=args.kill_after)
        check = args.leader_check_seconds
        show("killed", f"{handover.killed}, {handover.delivered_before_kill} delivered by then")
        show(
            "handover",
            f"{handover.handover_seconds:.2f} s to {handover.took_over} leading",
            f"baseline: the check interval, {check:g} s ({'within' if handover.handover_seconds <= check else 'OVER'})",
        )
        if handover.resumed_seconds is not None:
            show("first push after the kill", f"{handover.resumed_seconds:.2f} s")
        show("duplicates", handover.duplicates, "messages to a chat already told")
        show("lost", handover.lost, f"{handover.unconfirmed} unconfirmed (send under way at the kill, never repeated)")
        show(
            "all settled",
            f"{handover.settled_seconds:.1f} s after the kill",
            f"the dead leader's claims wait out the lease ({LEASE_SECONDS} s)",
        )
        before = handover.arrivals[: handover.delivered_before_kill]
        fresh, leased = split_at_gap([at for at in handover.arrivals if at > handover.killed_at + IN_FLIGHT_SECONDS])
        show("messages/s before the kill", f"{sustained(before):.2f}", f"cap {CAP:.0f}/s, goal ≥ {GOAL:.1f}")
        show("messages/s after", f"{sustained(fresh):.2f}", f"{len(fresh)} rows nobody held, from the first push on")
        show("retaken after the lease", len(leased), "rows the dead leader had claimed and not started")
        show("429s from the fake", topology.fake.count_429)
    print(f"\nwhole run {time.monotonic() - began:.0f} s; load average at the end: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=300, help="reminders pushed in phase 4 (default 300)")
    parser.add_argument("--kill-after", type=int, default=100, help="delivered before the leader is killed")
    parser.add_argument("--leader-check-seconds", type=float, default=5.0, help="SCHEDULER_LEADER_CHECK_SECONDS")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="a PostgreSQL server to make the database on")
    args = parser.parse_args()
    if not 0 < args.kill_after < args.pushes:
        parser.error("--kill-after must be between 0 and --pushes")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
