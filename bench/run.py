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
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from atlas.aid.models import AidDeclaration, AidLine  # noqa: E402
from atlas.bourse.models import BoursePage, BourseProject  # noqa: E402
from atlas.campaigns import demo as campaigns_demo  # noqa: E402
from atlas.campaigns.models import UpdateCampaign  # noqa: E402
from atlas.campaigns.services import open_campaign  # noqa: E402
from atlas.models import Authority, Cooperation, Country, PartnerAuthority, Project  # noqa: E402
from pages.models import RubricPage  # noqa: E402
from portal.funding.instruction_seed import bench_pages  # noqa: E402
from tourism.models import ExperiencePage  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
THREADS, SECONDS, MAX_REQUESTS = 8, 5.0, 3000
SEQUENTIAL, WARMUP = 30, 3
# Pages behind a login (the Délégation's dossiers): path -> (user, session cookie).
SIGNED_IN = {}


def get(conn, path, fresh=True):
    """A request as a browser makes it: gzip accepted (WhiteNoise and the map endpoint honour it). `fresh`:
    as a hard reload, "Cache-Control: no-cache", which the anonymous page cache answers without looking up
    or storing (portal/core/page_cache.py): the rows measure the pages' own rendering."""
    headers = {"Host": "localhost", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    if fresh:
        headers["Cache-Control"] = "no-cache"
    if path in SIGNED_IN:
        headers["Cookie"] = SIGNED_IN[path][1]
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    LAST_PAGE_CACHE[0] = response.getheader("X-Page-Cache")
    if response.getheader("Content-Encoding") != "gzip":
        body = gzip.compress(body, 6)
    return response.status, body


# What the page cache said of the last answer (hit, miss, bypass), for the `cached` rows.
LAST_PAGE_CACHE = [None]


def rps(path, fresh=True):
    done, lock, deadline = [0], threading.Lock(), time.monotonic() + SECONDS

    def worker():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if done[0] >= MAX_REQUESTS:
                    return
                done[0] += 1
            try:
                get(conn, path, fresh)
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


def latency(path, fresh=True):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    for _ in range(WARMUP):
        status, _body = get(conn, path, fresh)
    timings = []
    for _ in range(SEQUENTIAL):
        started = time.perf_counter()
        status, body = get(conn, path, fresh)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return status, round(statistics.median(timings), 1), round(p95, 1), len(body)


def queries(path):
    client = Client(raise_request_exception=False, HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    if path in SIGNED_IN:
        client.force_login(SIGNED_IN[path][0])
    with CaptureQueriesContext(connection) as captured:
        client.get(path, headers={"Cache-Control": "no-cache"})
    return len(captured)


def campaign_paths():
    """The update campaign's national dashboard, with progress for every authority of the seed, signed in as
    a Délégation administrator (the demo's superuser)."""
    campaign = campaigns_demo.load_bench()
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if campaign is None or user is None:
        return []
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    path = reverse("campaigns:dashboard", args=[campaign.pk])
    SIGNED_IN[path] = (user, cookie)
    return [("campaign_dashboard", path)]


def campaign_open_seconds():
    """Opening a campaign for every authority, as the Délégation's form does: its sendings created and the
    mailing task queued (the database task queue here: a worker sends them). Undone afterwards."""
    far = datetime(2099, 1, 1, tzinfo=UTC)
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    started = time.monotonic()
    campaign = open_campaign(
        year=2099, opens_at=far, closes_at=far + timedelta(days=30), message="bench", user=user
    )
    seconds = round(time.monotonic() - started, 2)
    sendings = campaign.sendings.count()
    UpdateCampaign.objects.filter(pk=campaign.pk).delete()
    return {"seconds": seconds, "sendings": sendings}


def paths():
    largest = Authority.objects.annotate(n=Count("cooperations__projects")).order_by("-n", "pk").first()
    country = (
        Country.objects.annotate(n=Count("partners__cooperations__projects")).order_by("-n", "pk").first()
    )
    project = Project.objects.order_by("pk").first()
    return [
        ("atlas_home", "/atlas/"),
        ("map_data", "/donnees/atlas/carte.json"),
        # The map's own requests once the user moves it (atlas/queries.py MapView): France at zoom 6, and
        # Paris at zoom 11 (clusters or markers, whichever the view's count allows).
        ("map_view_france", "/donnees/atlas/carte.json?bbox=-5.6250,40.7813,9.8438,51.3281&zoom=6"),
        ("map_view_paris", "/donnees/atlas/carte.json?bbox=2.1973,48.7793,2.5049,48.9551&zoom=11"),
        ("authority_largest", f"/atlas/collectivites/{largest.slug if largest else 'none'}/"),
        ("project", f"/atlas/projets/{project.pk if project else 0}/"),
        ("country", f"/atlas/pays/{country.slug if country else 'none'}/"),
        ("search_keyword", "/atlas/recherche/?q=eau"),
        ("search_filters", "/atlas/recherche/?region=84&theme=eau-et-assainissement&status=ongoing"),
        ("search_all", "/atlas/recherche/"),
    ]


def funding_paths():
    """The Délégation's dossier list and one dossier page at 2,000 dossiers (issue 13), signed in."""
    user, cookie, pages = bench_pages(2000)
    for _name, path in pages:
        SIGNED_IN[path] = (user, cookie)
    return pages


def aid_paths():
    """The national development aid views (e-APD) over the seeded declarations, signed in as a Délégation
    administrator (the demo's superuser)."""
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        return []
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    pages = [
        ("aid_national", reverse("aid_national")),
        ("aid_declarers", reverse("aid_national_declarers")),
    ]
    for _name, path in pages:
        SIGNED_IN[path] = (user, cookie)
    return pages


def cached_paths():
    """The pages the anonymous page cache serves (issue 14): the home, a rubric feature, the Atlas home, an
    authority page, a Bourse project and a tourism experience."""
    rubric = RubricPage.objects.live().filter(locale__language_code="fr").first()
    feature = rubric.get_children().live().first() if rubric else None
    bourse = BoursePage.objects.live().filter(locale__language_code="fr").first()
    bourse_project = BourseProject.objects.visible().order_by("pk").first() if bourse else None
    experience = ExperiencePage.objects.live().filter(locale__language_code="fr").order_by("pk").first()
    largest = Authority.objects.annotate(n=Count("cooperations__projects")).order_by("-n", "pk").first()
    candidates = [
        ("home", "/"),
        ("rubric_feature", feature.url if feature else None),
        ("atlas_home", "/atlas/"),
        ("authority_largest", f"/atlas/collectivites/{largest.slug}/" if largest else None),
        ("bourse_project", bourse.url_for("project", bourse_project.pk) if bourse_project else None),
        ("tourism_experience", experience.url if experience else None),
    ]
    return [(name, path) for name, path in candidates if path]


def cached_rows(static_path):
    """Each page served from the page cache to anonymous visitors, its throughput compared with the static
    file's measured just before it (the machine's load drifts during a run; side by side, it cancels out)."""
    rows = []
    for name, path in cached_paths():
        status, _p50, p95, _size = latency(path, fresh=False)
        static_rps = rps(static_path)
        row = {
            "name": name,
            "rps": rps(path, fresh=False),
            "p95_ms": p95,
        }
        row["ratio_to_static"] = round(row["rps"] / static_rps, 2) if static_rps else None
        if status != 200 or LAST_PAGE_CACHE[0] != "hit":
            row["status"], row["page_cache"] = status, LAST_PAGE_CACHE[0]
        rows.append(row)
    return rows


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
        "aid_declarations_filed": AidDeclaration.objects.filter(status=AidDeclaration.Status.FILED).count(),
        "aid_lines": AidLine.objects.count(),
    }
    rows = []
    for name, path in paths() + funding_paths() + aid_paths() + campaign_paths():
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
        "scale": os.environ.get("SCALE", "full"),
        # The shared cache the portal ran with (scripts/bench.sh): redis, as in production, or one per worker.
        "cache": os.environ.get("BENCH_CACHE", "locmem"),
        "counts": counts,
        "seed_seconds": float(os.environ["SEED_SECONDS"]) if os.environ.get("SEED_SECONDS") else None,
        "static_rps": rps(os.environ.get("BENCH_STATIC", "/static/css/portal.css")),
        "pdf_500_seconds": pdf_seconds(),
        "campaign_open": campaign_open_seconds(),
        "rows": rows,
    }
    result["cached"] = cached_rows(os.environ.get("BENCH_STATIC", "/static/css/portal.css"))
    # The report is this script's output (read by scripts/bench.sh's caller), hence stdout, not logging.
    out = sys.stdout
    out.write(f"{'name':<20} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'gzip B':>9}  status\n")
    for row in rows:
        out.write(
            f"{row['name']:<20} {row['rps']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['queries']:>8} "
            f"{row['gzip_bytes']:>9}  {row.get('status', 200)}\n"
        )
    for row in result["cached"]:
        out.write(
            f"cached {row['name']:<20} {row['rps']:>7} rps, p95 {row['p95_ms']} ms, "
            f"{row['ratio_to_static']} x static {row.get('page_cache') or ''}\n"
        )
    summary = {key: value for key, value in result.items() if key not in ("rows", "cached")}
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    output = Path(os.environ.get("BENCH_JSON", "bench/latest.json"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    out.write(f"-> {output}\n")


if __name__ == "__main__":
    main()
