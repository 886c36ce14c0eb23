"""HTTP API speed and memory against a real ``duetto serve`` process on 127.0.0.1 (issue 7).

1. Metadata reads (work list, tree, show): p50 / p95 / max latency of N concurrent clients
   (default 50, one keep-alive connection each), three ways: one client alone (the baseline),
   N people each pausing 0.5 s on average before a request (the target's load: every person
   clicking twice a second), and N clients never pausing (what the server can take at most).
   Target: p95 ≤ 30 ms for the people.
2. Painter revision round trip: POST revise (202 + job) until the finished job is seen, once by
   polling ``GET /api/jobs/{id}`` every 10 ms and once over ``WS /api/jobs/{id}/events``;
   baseline: the same revisions done in-process by the studio. Target: p95 ≤ 0.5 s.
3. Server memory (VmRSS): after start-up and after the runs plus 2 s idle, against a Python
   that only imports ``duetto.api.app`` and one that does nothing.

The clients run in this process on the same machine, so on few cores they compete with the
server for CPU: the figures are an upper bound of what a remote client would see. The
metadata clients speak plain HTTP/1.1 over asyncio streams so that they cost little.
Prints figures only (no timed asserts). Run: python benchmarks/bench_api.py [--clients 50] ...
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from websockets.sync.client import connect

from duetto.api.server import Server
from duetto.settings import Settings
from duetto.studio import operations

FEEDBACK = ["更温暖一些，线条少一点", "calmer, more blue, bigger shapes", "slightly more energetic",
            "不要红色", "much denser", "cooler and darker"]
PROJECT = "bench"
METADATA_TARGET_MS, REVISE_TARGET_S = 30.0, 0.5
DONE = ("done", "failed", "cancelled", "interrupted")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    """Resident memory of a process from /proc (Linux), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def python_rss(code: str) -> float:
    """VmRSS of a fresh interpreter after running ``code``, read by that interpreter itself."""
    probe = (f"{code}\nfrom pathlib import Path\n"
             "print(next(l.split()[1] for l in Path('/proc/self/status').read_text().splitlines()"
             " if l.startswith('VmRSS:')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


# -- the studio the server will serve -----------------------------------------------------------

class Prepared:
    """What the benchmarks need from the home made before the server starts."""

    def __init__(self, token: str, work: str, versions: list[str], base: str, inproc: list[float]) -> None:
        self.token, self.work, self.versions, self.base, self.inproc = token, work, versions, base, inproc


def prepare(home: Path, size: int, history: int, rounds: int) -> Prepared:
    """An admin (so nobody is offered a setup link), a token-only painter who owns the project,
    a painting work with ``history`` revisions, and the in-process revise baseline."""
    server = Server(Settings(home=home, user="painter", project=PROJECT))
    try:
        accounts = server.accounts
        accounts.create_user("bench-admin", password="bench admin password", is_admin=True)
        painter = accounts.create_user("painter")
        pid = server.repo.ensure_project(PROJECT, painter.id)
        accounts.grant(pid, painter.id, "owner")
        token = accounts.create_token(painter.id, "bench")[1]
        studio = server.studio_for(painter.name, painter.id, pid)
        made = operations.new(studio, operations.NewRequest(
            brief="an abstract painting, calm blue sea at dawn", variants=4, seed=1,
            params={"width": size, "height": size}))
        versions = [v.id for v in made.versions]
        base = versions[0]
        for i in range(history):
            base = operations.revise(studio, operations.ReviseRequest(
                version=base, feedback=FEEDBACK[i % len(FEEDBACK)])).versions[0].id
            versions.append(base)
        inproc, head = [], base
        for i in range(rounds):  # the baseline chain starts where the API chains will start
            t0 = time.perf_counter()
            head = operations.revise(studio, operations.ReviseRequest(
                version=head, feedback=FEEDBACK[i % len(FEEDBACK)])).versions[0].id
            inproc.append(time.perf_counter() - t0)
        return Prepared(token, made.work.id, versions, base, inproc)
    finally:
        server.close()


def start_server(home: Path, port: int, log: Path, token: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "duetto", "serve", "--home", str(home), "--port", str(port)],
                                stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=2)
            if r.status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the server did not answer within 90 s:\n{log.read_text()[-2000:]}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- 1. metadata endpoints ----------------------------------------------------------------------

class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads whole answers.

    Written out (about 30 lines) because the load generator must cost far less CPU than the
    server it measures: on a 2-core machine httpx spends about as long per request as the
    server does, and its waits would be counted as the server's latency."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.head = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        """The answer's status; its body is read (and dropped) so the next request can go."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\n{self.head}".encode())
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" not in fields:
            raise RuntimeError(f"GET {path}: the answer has no Content-Length: {fields}")
        await self.reader.readexactly(int(fields["content-length"]))
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
            self.reader = self.writer = None


async def hammer(base: str, token: str, paths: Callable[[int], str], total: int, clients: int,
                 think: float = 0.0) -> tuple[list[float], int, float]:
    """``total`` GETs shared by ``clients`` concurrent clients: latencies (ms) of the 200s, the
    number of errors (other statuses or transport failures), and the wall time (s).

    With ``think`` > 0 each client waits a random pause (exponential, that mean, in s) before
    each request, as a person reading the page does; 0 sends the next request the moment the
    last answer arrives (a closed loop: it measures how much the server can take, and each
    latency is then mostly the wait behind the other clients' requests)."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    host, _, port = base.removeprefix("http://").partition(":")

    async def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        conn = Connection(host, int(port), token)
        try:
            for i in counter:
                if think > 0:
                    await asyncio.sleep(rng.expovariate(1 / think))
                t0 = time.perf_counter()
                try:
                    ok = await conn.get(paths(i)) == 200
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                    await conn.close()
                if ok:
                    latencies.append((time.perf_counter() - t0) * 1000)
                else:
                    errors += 1
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(seed) for seed in range(clients)))
    return latencies, errors, time.perf_counter() - t0


def bench_metadata(base: str, prep: Prepared, server_pid: int, clients: int, total: int, alone: int,
                   think: float) -> list[str]:
    """Each endpoint three ways: one client alone (the baseline), ``clients`` people each
    pausing ``think`` s on average between requests (the target's load), and the same clients
    never pausing (the server's capacity)."""
    endpoints: dict[str, Callable[[int], str]] = {
        "me": lambda i: "/api/me",  # not a target: the floor, token check only
        "list": lambda i: f"/api/works?project={PROJECT}",
        "tree": lambda i: f"/api/works/{prep.work}/tree",
        "show": lambda i: f"/api/versions/{prep.versions[i % len(prep.versions)]}",
    }
    asyncio.run(hammer(base, prep.token, endpoints["show"], 50, 5))  # warm the server's paths
    loads = {"alone": (1, alone, 0.0), "people": (clients, total, think), "flat out": (clients, total, 0.0)}
    print(f"\n1. metadata GETs (ms). alone: 1 client, {alone} requests back to back (the baseline); "
          f"people: {clients} clients, {total} requests, each client pausing {think:g} s on average "
          f"before each (the target's load); flat out: the same {clients} clients never pausing. "
          "CPU: ms per request of the server and of the clients")
    print(f"{'endpoint':<9} {'load':<9} {'p50':>7} {'p95':>7} {'max':>7} {'req/s':>7} {'errors':>6} "
          f"{'srv cpu':>7} {'cli cpu':>7}")
    misses = []
    for name, paths in endpoints.items():
        p95s = {}
        for load, (n, count, pause) in loads.items():
            server_cpu, client_cpu = cpu_s(server_pid), time.process_time()
            lat, errors, wall = asyncio.run(hammer(base, prep.token, paths, count, n, pause))
            server_cpu, client_cpu = cpu_s(server_pid) - server_cpu, time.process_time() - client_cpu
            p95s[load] = pct(lat, 0.95)
            print(f"{name:<9} {load:<9} {statistics.median(lat):>7.1f} {p95s[load]:>7.1f} {max(lat):>7.1f} "
                  f"{count / wall:>7.0f} {errors:>6} {server_cpu / count * 1000:>7.2f} {client_cpu / count * 1000:>7.2f}")
        if name == "me":
            continue
        p95 = p95s["people"]
        print(f"{name:<9} p95 {p95:.1f} ms for {clients} people = {p95 / p95s['alone']:.1f}x one client's; "
              f"target ≤ {METADATA_TARGET_MS:g} ms: {verdict(p95, METADATA_TARGET_MS)}")
        if p95 > METADATA_TARGET_MS:
            misses.append(name)
    return misses


# -- 2. revision round trip ---------------------------------------------------------------------

def revise_by_polling(http: httpx.Client, version: str, feedback: str) -> str:
    r = http.post(f"/api/versions/{version}/revise", json={"feedback": feedback})
    if r.status_code != 202:
        raise RuntimeError(f"revise answered {r.status_code}: {r.text}")
    job = r.json()["job"]
    while True:
        record = http.get(f"/api/jobs/{job}").json()
        if record["status"] in DONE:
            break
        time.sleep(0.01)
    if record["status"] != "done":
        raise RuntimeError(f"job {job} ended {record['status']}: {record.get('error')}")
    return str(record["result"]["versions"][0])


def revise_by_websocket(http: httpx.Client, ws_base: str, token: str, version: str, feedback: str) -> str:
    r = http.post(f"/api/versions/{version}/revise", json={"feedback": feedback})
    if r.status_code != 202:
        raise RuntimeError(f"revise answered {r.status_code}: {r.text}")
    accepted = r.json()
    with connect(f"{ws_base}{accepted['events']}?token={token}") as ws:
        while True:
            event = json.loads(ws.recv(timeout=60))
            if "error" in event and "status" not in event:
                raise RuntimeError(f"websocket refused: {event}")
            if event["status"] in DONE:
                break
    if event["status"] != "done":
        raise RuntimeError(f"job {accepted['job']} ended {event['status']}: {event.get('error')}")
    return str(event["versions"][0])


def bench_revise(base: str, prep: Prepared, rounds: int, size: int) -> bool:
    ws_base = base.replace("http://", "ws://")
    print(f"\n2. painter revise round trip, {size}x{size}, {rounds} rounds each (s)")
    print(f"{'how':<28} {'p50':>7} {'p95':>7} {'max':>7}")
    rows = {"in-process studio (baseline)": prep.inproc}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {prep.token}"}, timeout=60) as http:
        t0 = time.perf_counter()
        revise_by_polling(http, prep.base, FEEDBACK[0])  # the server's first job loads the engine
        print(f"{'(first job after start-up)':<28} {time.perf_counter() - t0:>7.3f}  not counted")
        for how, one in (("API, poll GET /api/jobs 10ms", lambda v, f: revise_by_polling(http, v, f)),
                         ("API, websocket events", lambda v, f: revise_by_websocket(http, ws_base, prep.token, v, f))):
            times, head = [], prep.base
            for i in range(rounds):
                t0 = time.perf_counter()
                head = one(head, FEEDBACK[i % len(FEEDBACK)])
                times.append(time.perf_counter() - t0)
            rows[how] = times
    base_p95 = pct(prep.inproc, 0.95)
    worst = 0.0
    for how, times in rows.items():
        ratio = "" if times is prep.inproc else f"  {pct(times, 0.95) / base_p95:.2f}x baseline p95"
        print(f"{how:<28} {statistics.median(times):>7.3f} {pct(times, 0.95):>7.3f} {max(times):>7.3f}{ratio}")
        if times is not prep.inproc:
            worst = max(worst, pct(times, 0.95))
    print(f"API overhead at the median: poll {statistics.median(rows['API, poll GET /api/jobs 10ms']) - statistics.median(prep.inproc):+.3f} s, "
          f"websocket {statistics.median(rows['API, websocket events']) - statistics.median(prep.inproc):+.3f} s; "
          f"target p95 ≤ {REVISE_TARGET_S:g} s: {verdict(worst, REVISE_TARGET_S)}")
    return worst <= REVISE_TARGET_S


# -- main -----------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50, choices=range(1, 201), metavar="1..200")
    ap.add_argument("--requests", type=int, default=1500, choices=range(50, 20001), metavar="50..20000",
                    help="requests per endpoint and load with all clients")
    ap.add_argument("--think", type=float, default=0.5,
                    help="seconds each client pauses on average before a request in the 'people' load")
    ap.add_argument("--alone", type=int, default=200, choices=range(10, 5001), metavar="10..5000",
                    help="requests per endpoint with one client (the baseline)")
    ap.add_argument("--rounds", type=int, default=20, choices=range(2, 201), metavar="2..200",
                    help="revise rounds per way of waiting")
    ap.add_argument("--size", type=int, default=512, choices=range(64, 2049), metavar="64..2048",
                    help="painting width and height (the web studio's suggested size)")
    ap.add_argument("--history", type=int, default=8, choices=range(0, 201), metavar="0..200",
                    help="revisions in the work before measuring (tree and show have real data)")
    args = ap.parse_args()
    if not 0.01 <= args.think <= 10:
        ap.error(f"--think is a mean pause in seconds between 0.01 and 10, not {args.think:g}")

    print(f"duetto API benchmark on 127.0.0.1 ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
    bare, imported = python_rss("pass"), python_rss("import duetto.api.app")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "studio"
        t0 = time.perf_counter()
        prep = prepare(home, args.size, args.history, args.rounds)
        print(f"studio prepared in {time.perf_counter() - t0:.1f} s: 1 work, {len(prep.versions)} versions")
        # Preparing loaded the whole studio into this process too; the clients' latencies must
        # not include the collector walking it (60-90 ms a time), so it is set aside for good.
        gc.collect()
        gc.freeze()
        port = free_port()
        proc = start_server(home, port, Path(tmp) / "server.log", prep.token)
        try:
            started = rss_mib(proc.pid)
            base = f"http://127.0.0.1:{port}"
            bench_metadata(base, prep, proc.pid, args.clients, args.requests, args.alone, args.think)
            after_reads = rss_mib(proc.pid)
            bench_revise(base, prep, args.rounds, args.size)
            time.sleep(2)
            idle = rss_mib(proc.pid)
        finally:
            stop_server(proc)
    print("\n3. memory (VmRSS, MiB)")
    print(f"python doing nothing            {bare:>7.1f}")
    print(f"python importing duetto.api.app {imported:>7.1f}")
    print(f"server after start-up           {started:>7.1f}  ({started / imported:.2f}x the import alone)")
    print(f"server after the metadata GETs  {after_reads:>7.1f}  ({after_reads - started:+.1f} since start-up)")
    print(f"server idle after the revisions {idle:>7.1f}  ({idle - after_reads:+.1f}: the painter engine, loaded by the first job)")


if __name__ == "__main__":
    main()
