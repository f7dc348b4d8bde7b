#!/usr/bin/env python3
"""statusq side by side with what users replace, on the same pages, in one run (issue 15).

    cargo build --release
    pip install requests feedparser statuspage-prometheus-exporter==2.6.0
    python3 benches/compare.py [PAGES] [LATENCY_MS] [identity]   # default 500 pages, 100 ms

One fast loopback server (asyncio, keep-alive, ETag/304, gzip for clients that ask for it, as
real status pages do; `identity` turns gzip off) answers every request after LATENCY.
Each page serves real payloads from tests/fixtures: the status.claude.com summary with an open
incident, an incidents.json of two real GitHub incidents, status.claude.com's maintenances, and
GitHub's history.atom for the feed readers. Measured with GNU time(1) (wall, CPU, peak RSS of
the measured process alone) and the server's request count:

  - statusq fetch, declared providers, defaults
  - statusq fetch, the same pages as typed URLs: first run (detection) and second (remembered)
  - statusq fetch --cache, an unchanged poll (requests and bytes)
  - statusq fetch of 10x the pages
  - the simple tracker's approach: requests + feedparser, one page after the other (50 pages,
    scaled to PAGES)
  - statuspage-prometheus-exporter 2.6.0 (PyPI), RUN_MODE=once, on the same summaries
"""

import asyncio
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
STATUSQ = ROOT / "target" / "release" / "statusq"


def payloads():
    summary = (FIXTURES / "statuspage/claude-summary-active-incident.json").read_bytes()
    page = json.loads(summary)["page"]
    a = json.loads((FIXTURES / "statuspage/github-incident-smdz34v7j8q0.json").read_bytes())
    b = json.loads((FIXTURES / "statuspage/github-incident-gqx5l06jjxhp.json").read_bytes())
    incidents = json.dumps({"page": page, "incidents": [a["incident"], b["incident"]]}).encode()
    maintenances = (FIXTURES / "statuspage/claude-scheduled-maintenances.json").read_bytes()
    atom = (FIXTURES / "atom/github-2025-05-26-upcoming-maintenance.atom").read_bytes()
    return {
        "summary.json": summary,
        "incidents.json": incidents,
        "scheduled-maintenances.json": maintenances,
        "history.atom": atom,
    }


class Server:
    """asyncio HTTP/1.1 with keep-alive; counts requests and body bytes."""

    def __init__(self, latency, gzip_bodies=True):
        self.latency = latency
        self.docs = payloads()
        # Like real status pages, bodies are gzip-compressed for clients that ask for it.
        self.gzipped = {k: gzip.compress(v, 6) for k, v in self.docs.items()} if gzip_bodies else {}
        self.requests = 0
        self.bytes = 0
        self.port = None
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0, backlog=4096)
        )
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()

    async def _client(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)
                }
                self.requests += 1
                await asyncio.sleep(self.latency)
                name = path.rsplit("/", 1)[-1]
                body = self.docs.get(name)
                if body is None:
                    status, body, extra = "404 Not Found", b"not found", ""
                else:
                    etag = '"%d-%d"' % (len(name), len(body))
                    if headers.get("if-none-match") == etag:
                        status, body, extra = "304 Not Modified", b"", "ETag: %s\r\n" % etag
                    else:
                        status, extra = "200 OK", "ETag: %s\r\n" % etag
                        if name in self.gzipped and "gzip" in headers.get("accept-encoding", ""):
                            body, extra = self.gzipped[name], extra + "Content-Encoding: gzip\r\n"
                kind = "application/atom+xml" if name.endswith(".atom") else "application/json"
                self.bytes += len(body)
                writer.write(
                    (
                        "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n"
                        % (status, kind, len(body), extra)
                    ).encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)


def measured(label, argv, server, env=None, stdin=None, scale=1.0):
    """Runs argv under time(1): (label, wall, cpu, rss MB, requests, bytes), wall/requests
    multiplied by `scale` for runs over a sample of the pages."""
    out = tempfile.NamedTemporaryFile(delete=False)
    before = (server.requests, server.bytes)
    started = time.monotonic()
    subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", "-o", out.name] + argv,
        env={**os.environ, **(env or {})},
        stdin=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.monotonic() - started
    _, user, system, rss = open(out.name).read().split()[-4:]
    os.unlink(out.name)
    requests = server.requests - before[0]
    sent = server.bytes - before[1]
    row = (label, wall * scale, float(user) + float(system), int(rss) / 1024, requests * scale, sent * scale)
    print("  %-44s %7.2f s  %6.2f s CPU  %6.1f MB  %7d requests  %8.1f KB" % (row[0], row[1], row[2] * scale, row[3], row[4], row[5] / 1e3))
    sys.stdout.flush()
    return row


def main():
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    latency = (int(sys.argv[2]) if len(sys.argv) > 2 else 100) / 1000
    if not STATUSQ.exists():
        sys.exit("build first: cargo build --release")
    server = Server(latency, gzip_bodies="identity" not in sys.argv[3:])
    work = Path(tempfile.mkdtemp())
    ids = ["p%05d" % n for n in range(pages * 10)]

    def config(n):
        path = work / ("config-%d.toml" % n)
        path.write_text(
            "".join(
                '[providers.%s]\nurl = "%s"\n' % (i, server.url("/" + i)) for i in ids[:n]
            )
        )
        return str(path)

    empty = work / "empty.toml"
    empty.write_text("")
    print(
        "%d pages, %d ms a response, one loopback server (asyncio, keep-alive, %s)"
        % (pages, latency * 1000, "gzip" if server.gzipped else "identity")
    )
    print("  %-44s %9s  %12s  %9s  %16s  %11s" % ("", "wall", "CPU", "peak RSS", "", "body bytes"))
    rows = {}
    base = {"XDG_CACHE_HOME": str(work / "no-cache"), "XDG_CONFIG_HOME": str(work)}
    rows["statusq"] = measured(
        "statusq fetch (declared, defaults)",
        [str(STATUSQ), "--config", config(pages), "fetch"] + ids[:pages],
        server,
        base,
    )
    typed = {**base, "XDG_CACHE_HOME": str(work / "typed-cache")}
    urls = [server.url("/" + i) for i in ids[:pages]]
    measured("statusq fetch (typed URLs, first run)", [str(STATUSQ), "--config", str(empty), "fetch"] + urls, server, typed)
    rows["typed"] = measured("statusq fetch (typed URLs, second run)", [str(STATUSQ), "--config", str(empty), "fetch"] + urls, server, typed)
    cached = [str(STATUSQ), "--config", config(pages), "fetch", "--cache", str(work / "cache")] + ids[:pages]
    measured("statusq fetch --cache (first poll)", cached, server, base)
    rows["unchanged"] = measured("statusq fetch --cache (unchanged poll)", cached, server, base)
    rows["scale"] = measured(
        "statusq fetch (%d pages)" % (pages * 10),
        [str(STATUSQ), "--config", config(pages * 10), "fetch"] + ids,
        server,
        base,
    )

    # The simple tracker: requests + feedparser, one page after the other.
    sample = min(50, pages)
    simple = work / "simple.py"
    simple.write_text(
        "import sys, requests, feedparser\n"
        "for url in sys.argv[1:]:\n"
        "    feed = feedparser.parse(requests.get(url, timeout=10).text)\n"
        "    for entry in feed.entries: entry.get('title')\n"
    )
    rows["simple"] = measured(
        "requests + feedparser, sequential (x%d)" % (pages // sample),
        [sys.executable, str(simple)] + [server.url("/%s/history.atom" % i) for i in ids[:sample]],
        server,
        scale=pages / sample,
    )

    # statuspage-prometheus-exporter, run once on the same summaries.
    exporter = shutil.which("statuspage-prometheus-exporter")
    if exporter:
        services = work / "services.json"
        services.write_text(
            json.dumps(
                {i: {"url": server.url("/%s/api/v2/summary.json" % i), "name": i} for i in ids[:pages]}
            )
        )
        cwd = work / "exporter"
        cwd.mkdir()
        os.chdir(cwd)
        rows["exporter"] = measured(
            "statuspage-prometheus-exporter 2.6.0 (once)",
            [exporter],
            server,
            {"SERVICES_JSON_PATH": str(services), "RUN_MODE": "once", "CLEAR_CACHE": "1"},
        )
    else:
        print("  (statuspage-prometheus-exporter not installed: pip install statuspage-prometheus-exporter==2.6.0)")

    s = rows["statusq"]
    print()
    print("statusq (declared) is %.0fx faster than the simple approach" % (rows["simple"][1] / s[1]))
    if "exporter" in rows:
        e = rows["exporter"]
        print(
            "statusq is %.1fx faster than the exporter reading 3 documents a page to its 1, in %.0f%% of its memory"
            % (e[1] / s[1], 100 * s[3] / e[3])
        )
    print("typed URLs, remembered: %.2fx the declared time" % (rows["typed"][1] / s[1]))
    print(
        "unchanged poll: %d requests, %.1f KB of bodies" % (rows["unchanged"][4], rows["unchanged"][5] / 1e3)
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
