"""Seal benchmark: SM2 sign/s and verify/s through yijianshi.licenses.sm2, against `openssl speed sm2`.

    .venv/bin/python bench/bench_seals.py [--seconds 5] [--payload 1024] [--processes N]

Measures, over a payload the size of a license's canonical JSON, one process, then N processes at once (default:
one per core) to show per-core scaling, and `openssl speed -seconds S sm2` on the same machine. Prints a Markdown
table for docs/performance.md. Target: at least half of OpenSSL's rate, sign and verify alike.
"""

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yijianshi.licenses import sm2  # noqa: E402 (after the path set-up above)


def rates(seconds: float, payload_size: int) -> tuple[float, float]:
    """Return this process's (sign/s, verify/s), each counted over `seconds`."""
    key = sm2.PrivateKey.generate()
    public = key.public_key()
    payload = os.urandom(payload_size)
    signature = key.sign(payload)
    assert public.verify(payload, signature)

    def per_second(operation) -> float:
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            for _ in range(100):
                operation()
            count += 100
        return count / elapsed

    return per_second(lambda: key.sign(payload)), per_second(lambda: public.verify(payload, signature))


def parallel_rates(processes: int, seconds: float, payload_size: int) -> tuple[float, float]:
    """Return the summed (sign/s, verify/s) of `processes` processes running at once."""
    with ProcessPoolExecutor(processes) as pool:
        results = list(pool.map(rates, [seconds] * processes, [payload_size] * processes))
    return sum(sign for sign, _ in results), sum(verify for _, verify in results)


def openssl_rates(seconds: float) -> tuple[float, float]:
    """Return (sign/s, verify/s) from `openssl speed -mr`, whose `+F7` line is `+F7:n:bits:curve:sign/s:verify/s`."""
    output = subprocess.run(
        ["openssl", "speed", "-mr", "-seconds", str(int(seconds)), "sm2"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^\+F7:\d+:\d+:[^:]+:([\d.]+):([\d.]+)$", output, re.MULTILINE)
    if match is None:
        raise SystemExit(f"Could not read openssl speed's output:\n{output}")
    return float(match[1]), float(match[2])


def print_table(heading: str, rows) -> None:
    """A benchmark's figures as the Markdown table docs/performance.md holds."""
    print(heading)
    print()
    print("| measure | workload | ours | openssl speed | ratio | target |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--payload", type=int, default=1024, help="bytes signed and verified")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    ours_sign, ours_verify = rates(args.seconds, args.payload)
    openssl_sign, openssl_verify = openssl_rates(args.seconds)
    rows = [
        ("sign, 1 process", f"{args.payload:,} B payload", f"{ours_sign:,.0f}/s", f"{openssl_sign:,.0f}/s",
         f"{ours_sign / openssl_sign:.2f}", "≥ 0.5"),
        ("verify, 1 process", f"{args.payload:,} B payload", f"{ours_verify:,.0f}/s", f"{openssl_verify:,.0f}/s",
         f"{ours_verify / openssl_verify:.2f}", "≥ 0.5"),
    ]  # fmt: skip
    if args.processes > 1:
        all_sign, all_verify = parallel_rates(args.processes, args.seconds, args.payload)
        for name, total, single in (("sign", all_sign, ours_sign), ("verify", all_verify, ours_verify)):
            rows.append((f"{name}, {args.processes} processes", f"{args.payload:,} B payload",
                         f"{total:,.0f}/s ({total / args.processes:,.0f}/s per process)", "",
                         f"{total / single:.2f}× one process", ""))  # fmt: skip

    version = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=True).stdout.strip()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    print_table(f"Seal benchmark — SM2 with SM3, {version}, commit {commit}, Python {platform.python_version()}, "
                f"{os.cpu_count()} cores", rows)  # fmt: skip


if __name__ == "__main__":
    main()
