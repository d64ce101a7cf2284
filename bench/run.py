"""Measures the Atlas served by gunicorn on loopback: throughput, latency, SQL queries, gzipped size.

Run by scripts/bench.sh with DJANGO_SETTINGS_MODULE=portal.settings.production and the bench database.
"""

import gzip
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from atlas.models import Authority, Cooperation, Country, PartnerAuthority, Project  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
THREADS, SECONDS, MAX_REQUESTS = 8, 5.0, 3000
SEQUENTIAL, WARMUP = 30, 3


def get(conn, path):
    """A request as a browser makes it: gzip accepted (WhiteNoise and the map endpoint honour it)."""
    headers = {"Host": "localhost", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.getheader("Content-Encoding") != "gzip":
        body = gzip.compress(body, 6)
    return response.status, body


def rps(path):
    done, lock, deadline = [0], threading.Lock(), time.monotonic() + SECONDS

    def worker():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if done[0] >= MAX_REQUESTS:
                    return
                done[0] += 1
            try:
                get(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(done[0] / (time.monotonic() - started), 1)


def latency(path):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    for _ in range(WARMUP):
        status, _body = get(conn, path)
    timings = []
    for _ in range(SEQUENTIAL):
        started = time.perf_counter()
        status, body = get(conn, path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return status, round(statistics.median(timings), 1), round(p95, 1), len(body)


def queries(path):
    client = Client(raise_request_exception=False, HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def paths():
    largest = Authority.objects.annotate(n=Count("cooperations__projects")).order_by("-n", "pk").first()
    country = (
        Country.objects.annotate(n=Count("partners__cooperations__projects")).order_by("-n", "pk").first()
    )
    project = Project.objects.order_by("pk").first()
    return [
        ("atlas_home", "/atlas/"),
        ("map_data", "/donnees/atlas/carte.json"),
        ("authority_largest", f"/atlas/collectivites/{largest.slug if largest else 'none'}/"),
        ("project", f"/atlas/projets/{project.pk if project else 0}/"),
        ("country", f"/atlas/pays/{country.slug if country else 'none'}/"),
        ("search_keyword", "/atlas/recherche/?q=eau"),
        ("search_filters", "/atlas/recherche/?region=84&theme=eau-et-assainissement&status=ongoing"),
        ("search_all", "/atlas/recherche/"),
    ]


def pdf_seconds():
    try:
        from atlas.exports.pdf import render_projects_pdf
        from atlas.filters import project_queryset
    except ImportError:
        return None
    started = time.monotonic()
    try:
        render_projects_pdf(project_queryset()[:500], [], "Atlas – 500 projets")
    except Exception as error:  # A broad catch: the bench records what it can.
        sys.stderr.write(f"pdf: {error!r}\n")
        return None
    return round(time.monotonic() - started, 2)


def main():
    counts = {
        "authorities": Authority.objects.count(),
        "partner_authorities": PartnerAuthority.objects.count(),
        "countries": Country.objects.filter(partners__isnull=False).distinct().count(),
        "projects": Project.objects.filter(cooperation__kind=Cooperation.Kind.COOPERATION).count(),
        "external_action_projects": Project.objects.filter(
            cooperation__kind=Cooperation.Kind.EXTERNAL_ACTION
        ).count(),
    }
    rows = []
    for name, path in paths():
        status, p50, p95, gzip_bytes = latency(path)
        row = {
            "name": name,
            "path": path,
            "rps": rps(path),
            "p50_ms": p50,
            "p95_ms": p95,
            "queries": queries(path),
            "gzip_bytes": gzip_bytes,
        }
        if status != 200:
            row["status"] = status
        rows.append(row)
    result = {
        "counts": counts,
        "seed_seconds": float(os.environ["SEED_SECONDS"]) if os.environ.get("SEED_SECONDS") else None,
        "static_rps": rps(os.environ.get("BENCH_STATIC", "/static/css/portal.css")),
        "pdf_500_seconds": pdf_seconds(),
        "rows": rows,
    }
    # The report is this script's output (read by scripts/bench.sh's caller), hence stdout, not logging.
    out = sys.stdout
    out.write(f"{'name':<20} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'gzip B':>9}  status\n")
    for row in rows:
        out.write(
            f"{row['name']:<20} {row['rps']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['queries']:>8} "
            f"{row['gzip_bytes']:>9}  {row.get('status', 200)}\n"
        )
    summary = {key: value for key, value in result.items() if key != "rows"}
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    output = Path(os.environ.get("BENCH_JSON", "bench/latest.json"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    out.write(f"-> {output}\n")


if __name__ == "__main__":
    main()
