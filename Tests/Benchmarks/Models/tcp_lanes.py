#!/usr/bin/env python3
"""Input->ack latency over TCP through `arbiter-bench link`'s loss model, with 1 to 3 parallel
connections ("lanes") that each carry every Input and every Snapshot (the first copy wins).

A model, not a measurement: it asks whether opening more TCP connections could bring the issue-12
target (input->ack p99 <= ~240 ms at 150 ms RTT, sigma 20 ms jitter, 1 % loss each way) within
reach without an unordered transport. It uses the conditioner's rules (Sources/ArbiterBench/
LinkSchedule.swift): per segment a one-way delay of RTT/2 + normal jitter, released in stream order;
a lost segment holds its direction for the gap to the next segment plus an RTT (fast retransmit),
at most the 200 ms RTO. The server takes Inputs by Protocol/README.md 5.1 (T = 3) and sends a
Snapshot every `--snapshot-interval` ticks. Jitter is drawn once per packet for all lanes (one
path: queueing delay is shared) while losses are independent per lane (the most a lane can win).
The model's one-lane figures match the measured ones (Tests/Benchmarks/RESULTS.md, "Netcode on a
bad link": p50/p99 201/254 ms without loss, 209/386 with it).

    python3 Tests/Benchmarks/Models/tcp_lanes.py [--seeds 6] [--seconds 20]
"""
import argparse
import random


def link(times, jitter, rng, rtt, loss, rto=200.0):
    out, last = [], float("-inf")
    for i, t in enumerate(times):
        due = t + max(0.0, rtt / 2 + jitter[i])
        if rng.random() < loss:
            gap = times[i + 1] - t if i + 1 < len(times) else rto
            due += min(rto, gap + rtt)
        last = max(last, due)
        out.append(last)
    return out


def run(lanes, seed, seconds, loss, interval, rtt=150.0, sigma=20.0, tick_rate=60, T=3):
    rng = random.Random(seed)
    tick = 1000.0 / tick_rate
    n = int(seconds * 1000 / tick)
    sends = [i * tick for i in range(n)]
    up_jitter = [sigma * rng.gauss(0, 1) for _ in range(n)]
    arrive = [min(col) for col in zip(*(link(sends, up_jitter, rng, rtt, loss) for _ in range(lanes)))]
    taken, acked, snaps = 0, 0, []
    for j in range(n + 200):
        now = j * tick
        waiting = 0
        while taken + waiting < n and arrive[taken + waiting] <= now:
            waiting += 1
        take = 0 if waiting == 0 else (1 if waiting - 1 <= T else min(waiting, 1 + min(3, 1 + (waiting - 1 - T) // T)))
        taken += take
        if take:
            acked = taken
        if j % interval == 0:
            snaps.append((now, acked))
    down_jitter = [sigma * rng.gauss(0, 1) for _ in snaps]
    snap_times = [s[0] for s in snaps]
    down = [min(col) for col in zip(*(link(snap_times, down_jitter, rng, rtt, loss) for _ in range(lanes)))]
    latencies, s = [], 0
    for i in range(n):
        while s < len(snaps) and snaps[s][1] <= i:
            s += 1
        if s >= len(snaps):
            break
        latencies.append(down[s] - sends[i])
    latencies.sort()
    return latencies[len(latencies) // 2], latencies[int(0.99 * len(latencies))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    print("lanes  loss  snapshot every  input->ack p50 / p99 ms, one run per seed")
    for interval in (2, 1):
        for lanes in (1, 2, 3):
            for loss in (0.0, 0.01):
                runs = [run(lanes, seed, args.seconds, loss, interval) for seed in range(args.seeds)]
                figures = "  ".join(f"{p50:.0f}/{p99:.0f}" for p50, p99 in runs)
                print(f"{lanes:5}  {loss * 100:3.0f} %  {interval} ticks         {figures}")


if __name__ == "__main__":
    main()
