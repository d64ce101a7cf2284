"""`make load`: 50 clients for 60 s against the stack (scripts/stack.sh), then three faults (issue 14).

Run by `scripts/stack.sh load`, which starts the stack and gives its address (STACK_URL) and folder
(STACK_DIR); loopback only, bounded in time, stopping by itself. The load mixes anonymous reads (home, Atlas,
authority, Bourse, feature), searches, exports (CSV and PDF) and the demo authority agent's edits and filings
(its Atlas record, its e-APD declaration saved, its funding dossier draft saved) through the forms, as a
browser posts them. Every answer is checked: a status >= 500, or one the action does not expect, is an
error. A 503 with Retry-After (the database away: portal/core/db_outage.py) is waited for and, for a form,
answered as a person would: the outage page's "Renvoyer" form is posted.

Faults, each in its own phase: (a) PostgreSQL stopped for a few seconds and started again in the middle of
the load; (b) Redis stopped: pages still served, logins still work; (c) the task worker killed (SIGKILL)
during a PDF export: the job is picked up again and finishes. Writes `load` into BENCH_JSON
(bench/latest.json by default), keeping its other keys. LOAD_CLIENTS, LOAD_SECONDS change the load's size.
"""

import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import requests
from urllib3.exceptions import InsecureRequestWarning

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from atlas.aid.models import AidWindow  # noqa: E402
from atlas.bourse.models import BoursePage, BourseProject  # noqa: E402
from atlas.models import Authority, ExportJob, Project  # noqa: E402
from pages.models import TestimonyPage  # noqa: E402
from portal.accounts.scope import scope_for  # noqa: E402
from portal.funding.models import Application  # noqa: E402

URL = os.environ.get("STACK_URL", "https://127.0.0.1:8780")
assert re.match(r"https://(127\.0\.0\.1|localhost)(:\d+)?$", URL), "loopback only"
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
EDITORS = max(1, CLIENTS // 10)  # clients logged in as the demo authority agent
AGENT, PASSWORD = "demo.authority.agent", "demo-portail-2026"
LOGIN_PAGE = re.compile(r"/compte/connexion/|/admin/login/")
OTHER_ACCOUNTS = ["demo.member", "demo.embassy.agent", "demo.prefecture.agent", "demo.ministry.agent"]
warnings.simplefilter("ignore", InsecureRequestWarning)  # the stack's throw-away certificate


def say(*parts):
    sys.stdout.write(" ".join(["[load]", *map(str, parts)]) + "\n")
    sys.stdout.flush()


def fault(name):
    subprocess.run(["bash", str(ROOT / "scripts" / "stack.sh"), "fault", name], check=True)  # noqa: S603,S607


# Forms as a browser posts them ------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The post forms of a page: [{"action", "fields": [(name, value)]}], the values a browser would send
    (checked boxes, selected options, textareas), buttons left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None
        self.templates = 0  # inside <template>: a formset's empty form, which a browser never posts

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self.templates += 1
        if self.templates:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self.form)
        if self.form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.form["fields"].append(
                (name, a.get("value") or ("on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in a, "chosen": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.templates -= 1
        if self.form is None or self.templates:
            return
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or (
                [] if self.select["multiple"] else [self.select["first"] or ""]
            )
            self.form["fields"] += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["fields"].append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def post_forms(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


def main_form(html, path):
    """The page's form that posts to the page itself (or the largest post form)."""
    forms = post_forms(html)
    own = [form for form in forms if form["action"] in ("", path)]
    return max(own or forms, key=lambda form: len(form["fields"]), default=None)


# Measures ---------------------------------------------------------------------------------------------------


class Record:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)  # kind -> seconds of each answered request
        self.errors = defaultdict(list)  # kind -> descriptions
        self.waits = defaultdict(int)  # kind -> 503 answers waited for (the database away)
        self.resent = 0  # forms posted again from the outage page

    def add(self, kind, seconds=None, error=None, waited=0, resent=0):
        with self.lock:
            if seconds is not None:
                self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)
            self.waits[kind] += waited
            self.resent += resent

    def requests(self):
        return sum(len(times) for times in self.times.values()) + sum(map(len, self.errors.values()))

    def error_count(self):
        return sum(map(len, self.errors.values()))

    @staticmethod
    def p95(times):
        if len(times) < 2:
            return round(1000 * times[0], 1) if times else None
        return round(1000 * statistics.quantiles(times, n=20)[-1], 1)

    def summary(self):
        kinds = sorted(set(self.times) | set(self.errors))
        return {
            kind: {
                "requests": len(self.times[kind]) + len(self.errors[kind]),
                "errors": len(self.errors[kind]),
                "p95_ms": self.p95(self.times[kind]),
                **({"waited_503": self.waits[kind]} if self.waits[kind] else {}),
            }
            for kind in kinds
        }

    def print(self, title):
        say(title)
        for kind, row in self.summary().items():
            say(
                f"  {kind:<16} {row['requests']:>6} requests {row['errors']:>3} errors p95 {row['p95_ms']} ms"
                + (f"  ({row['waited_503']} × 503 waited)" if row.get("waited_503") else "")
            )
        for kind, errors in self.errors.items():
            for error in errors[:5]:
                say(f"  ! {kind}: {error}")


def session():
    s = requests.Session()
    s.trust_env = False  # no proxy of the environment, no other CA bundle: loopback, the stack's certificate
    certificate = Path(os.environ.get("STACK_DIR", "/nonexistent")) / "tls" / "cert.pem"
    s.verify = str(certificate) if certificate.exists() else False
    s.headers["User-Agent"] = "portal-load/1 (make load)"
    return s


def call(record, kind, s, method, path, data=None, expect=(200,), deadline=60.0):
    """One request, as a person makes it: a 503 with Retry-After is waited for and, for a post, its page's
    form sent again ("Renvoyer"); passwords, which that page does not keep, are typed again in the form that
    follows. Returns the final response, or None after recording an error."""
    started, waited, resent = time.monotonic(), 0, 0
    items = list(data.items()) if isinstance(data, dict) else list(data or [])
    passwords = {name: value for name, value in items if "password" in name.lower()}
    while True:
        begun = time.monotonic()
        try:
            response = s.request(
                method,
                URL + path,
                data=data,
                allow_redirects=False,
                timeout=120,
                headers={"Referer": URL + path} if method == "POST" else None,
            )
        except requests.RequestException as error:
            record.add(kind, error=f"{method} {path}: {type(error).__name__}: {error}"[:300], waited=waited)
            return None
        if response.status_code == 503 and response.headers.get("Retry-After", "").isdigit():
            waited += 1
            if time.monotonic() - started > deadline:
                record.add(kind, error=f"{method} {path}: still 503 after {deadline:.0f} s", waited=waited)
                return None
            if method == "POST":
                form = main_form(response.text, path)
                if form is None or not form["fields"]:
                    record.add(kind, error=f"POST {path}: 503 page without the typed form", waited=waited)
                    return None
                data, path = form["fields"], unescape(form["action"]) or path
                resent += 1
            time.sleep(min(int(response.headers["Retry-After"]), 2))
            continue
        if method == "POST" and response.status_code == 200 and resent and passwords:
            form = main_form(response.text, path)
            if form is not None and passwords.keys() - {name for name, value in form["fields"] if value}:
                data = [(name, passwords.get(name, value)) for name, value in form["fields"]]
                data += [(name, value) for name, value in passwords.items() if name not in dict(data)]
                passwords = {}
                continue
        if response.status_code not in expect:
            record.add(kind, error=f"{method} {path}: {response.status_code}", waited=waited, resent=resent)
            return None
        if LOGIN_PAGE.search(response.headers.get("Location", "")):
            record.add(kind, error=f"{method} {path}: sent to the login page", waited=waited, resent=resent)
            return None
        record.add(kind, seconds=time.monotonic() - begun, waited=waited, resent=resent)
        return response


def log_in(record, s, username):
    page = call(record, "login", s, "GET", "/compte/connexion/")
    if page is None:
        return False
    form = main_form(page.text, "/compte/connexion/")
    data = dict(form["fields"]) if form else {}
    data.update(username=username, password=PASSWORD)
    return call(record, "login", s, "POST", "/compte/connexion/", data, expect=(302,)) is not None


# What the clients do ----------------------------------------------------------------------------------------


def discover():
    agent = get_user_model().objects.get(username=AGENT)
    authority = Authority.objects.get(pk=min(scope_for(agent).authority_ids))
    largest = Authority.objects.annotate(n=Count("cooperations__projects")).order_by("-n", "pk").first()
    bourse = BoursePage.objects.live().filter(locale__language_code="fr").first()
    project = BourseProject.objects.visible().order_by("pk").first()
    feature = TestimonyPage.objects.live().filter(locale__language_code="fr").order_by("path").first()
    window = AidWindow.objects.filter(opens_at__lte=timezone.now(), closes_at__gte=timezone.now()).first()
    draft = Application.objects.filter(organisation__memberships__user=agent, state="draft").first()
    country = (
        Project.objects.values("cooperation__partner__country__slug").annotate(n=Count("pk")).order_by("n")
    )
    small_country = next((row["cooperation__partner__country__slug"] for row in country if row["n"] >= 3), "")
    places = {
        "reads": [
            "/",
            "/atlas/",
            f"/atlas/collectivites/{largest.slug}/",
            f"/atlas/collectivites/{authority.slug}/",
            bourse.url if bourse else "/",
            (bourse.url + f"projets/{project.pk}/") if bourse and project else "/",
            feature.url if feature else "/",
        ],
        "searches": [
            "/recherche/?q=eau",
            "/recherche/?q=sant%C3%A9",
            "/atlas/recherche/?q=jeunesse",
            "/atlas/recherche/?theme=eau-et-assainissement&status=ongoing",
        ],
        "csv": "/donnees/atlas/projets.csv?theme=eau-et-assainissement",
        "pdf": f"/donnees/atlas/projets.pdf?country={small_country}",
        "record": reverse("wagtailsnippets_atlas_authority:edit", args=[authority.pk]),
        "aid": reverse("aid_declaration", args=[authority.pk, window.year]) if window else None,
        "dossier": reverse("wagtailsnippets_funding_application:edit", args=[draft.pk]) if draft else None,
        "dossier_pk": draft.pk if draft else None,
    }
    connection.close()
    return places


class Editing:
    """The agent's three forms; one person edits one form at a time (a lock each), as in real life two tabs
    saving the same declaration would conflict. The dossier's title carries a mark: nothing may be lost."""

    def __init__(self):
        self.locks = {"record": threading.Lock(), "aid": threading.Lock(), "dossier": threading.Lock()}
        self.last_title = None

    def save(self, record, s, places, kind):
        path = places[kind]
        if not path or not self.locks[kind].acquire(blocking=False):
            return False
        try:
            page = call(record, f"{kind}_form", s, "GET", path)
            if page is None:
                return True
            form = main_form(page.text, path)
            if form is None:
                record.add(f"{kind}_save", error=f"no form on {path}")
                return True
            fields = list(form["fields"])
            title = None
            if kind == "aid":
                # The lines proposed from the Atlas's projects wait for the amount the agent types.
                chosen = {
                    name[: -len("country")] for name, value in fields if name.endswith("-country") and value
                }
                fields = [
                    (
                        name,
                        "15000"
                        if name[: -len("amount")] in chosen and name.endswith("-amount") and not value
                        else value,
                    )
                    for name, value in fields
                ]
                fields.append(("intent", "save"))
            if kind == "dossier":
                title = f"Coopération autour de l’eau — brouillon {uuid.uuid4().hex[:8]}"
                fields = [(name, title if name == "title" else value) for name, value in fields]
            saved = call(
                record, f"{kind}_save", s, "POST", unescape(form["action"]) or path, fields, expect=(302,)
            )
            if saved is not None and title:
                self.last_title = title
            return True
        finally:
            self.locks[kind].release()


def client(number, stop, record, places, editing):
    s = session()
    editor = number < EDITORS
    if editor and not log_in(record, s, AGENT):
        return
    rng = random.Random(number)
    while not stop.is_set():
        roll = rng.random()
        if (
            editor
            and roll < 0.5
            and editing.save(record, s, places, rng.choice(["record", "aid", "dossier"]))
        ):
            continue
        if roll < 0.55:
            call(record, "read", s, "GET", rng.choice(places["reads"]))
        elif roll < 0.8:
            call(record, "search", s, "GET", rng.choice(places["searches"]))
        elif roll < 0.88:
            call(record, "map_data", s, "GET", "/donnees/atlas/carte.json")
        elif roll < 0.97:
            call(record, "export_csv", s, "GET", places["csv"])
        else:
            call(record, "export_pdf", s, "GET", places["pdf"], expect=(200, 303))


def run_load(places, seconds, events=(), editing=None):
    """CLIENTS clients for `seconds`; `events` are (at_seconds, function) run meanwhile."""
    record, editing, stop = Record(), editing or Editing(), threading.Event()
    threads = [
        threading.Thread(target=client, args=(n, stop, record, places, editing), daemon=True)
        for n in range(CLIENTS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for at, event in events:
        time.sleep(max(0.0, started + at - time.monotonic()))
        event()
    time.sleep(max(0.0, started + seconds - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    return record, editing, time.monotonic() - started


# Faults -----------------------------------------------------------------------------------------------------


def postgres_restart(places):
    say("(a) PostgreSQL stopped and started again in the middle of the load")
    timeline, outage = {}, Record()
    editor = session()
    log_in(outage, editor, AGENT)
    form_page = call(outage, "dossier_form", editor, "GET", places["dossier"])

    def restart():
        timeline["stopped"] = time.monotonic()
        fault("pg-restart")
        timeline["back"] = time.monotonic()
        say(f"    PostgreSQL back after {timeline['back'] - timeline['stopped']:.1f} s")

    def post_during_outage(editing):
        """A person who opened the dossier before the restart saves it while the database is away."""
        with editing.locks["dossier"]:
            threading.Thread(target=restart, daemon=True).start()
            time.sleep(1)
            form = main_form(form_page.text, places["dossier"])
            title = f"Saisi pendant le redémarrage {uuid.uuid4().hex[:8]}"
            fields = [(name, title if name == "title" else value) for name, value in form["fields"]]
            if call(outage, "dossier_save", editor, "POST", places["dossier"], fields, expect=(302,)):
                editing.last_title = title
            while "back" not in timeline:
                time.sleep(0.2)

    editing = Editing()
    record, editing, _elapsed = run_load(
        places, 30, events=[(10, lambda: post_during_outage(editing))], editing=editing
    )
    record.print("    during the restart:")
    outage.print("    the dossier saved while PostgreSQL was stopped:")
    title = Application.objects.filter(pk=places["dossier_pk"]).values_list("title", flat=True).first()
    connection.close()
    kept = editing.last_title is not None and title == editing.last_title
    record.errors.update({f"outage_{kind}": errors for kind, errors in outage.errors.items()})
    record.resent += outage.resent
    say(f"    forms sent again from the outage page: {record.resent}; last dossier title saved: {kept}")
    return {
        "requests": record.requests(),
        "errors": record.error_count(),
        "waited_503": sum(record.waits.values()),
        "forms_resent": record.resent,
        "last_save_kept": kept,
        "ok": record.error_count() == 0 and kept,
    }


def redis_stopped(places):
    say("(b) Redis stopped")
    fault("redis-stop")
    try:
        record, _editing, _elapsed = run_load(places, 15)
        logins = Record()
        fresh = [session() for _ in OTHER_ACCOUNTS]
        logged = [log_in(logins, s, username) for s, username in zip(fresh, OTHER_ACCOUNTS, strict=True)]
        spaces = [call(logins, "dashboard", s, "GET", "/compte/") is not None for s in fresh]
    finally:
        fault("redis-start")
    record.print("    with Redis stopped:")
    say(f"    logins with Redis stopped: {sum(logged)}/{len(logged)}, their space shown: {sum(spaces)}")
    return {
        "requests": record.requests(),
        "errors": record.error_count() + logins.error_count(),
        "logins": f"{sum(logged)}/{len(logged)}",
        "ok": record.error_count() == 0 and all(logged) and all(spaces),
    }


def worker_killed():
    say("(c) the task worker killed during a PDF export")
    record, s = Record(), session()
    if Project.objects.count() <= 200:
        say("    fewer than 201 projects: the PDF is built within the request, no job (run with SCALE=small)")
        return {"ok": False, "why": "no background export at this scale"}
    answer = call(record, "export_pdf", s, "GET", "/donnees/atlas/projets.pdf", expect=(303,))
    if answer is None:
        record.print("    export:")
        return {"ok": False, "why": "export refused"}
    job_id = answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + 300
    while ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, progress__gt=10).count() == 0:
        if time.monotonic() > deadline:
            return {"ok": False, "why": "the job never started"}
        time.sleep(0.2)
    fault("worker-kill")
    killed = time.monotonic()
    progress = ExportJob.objects.get(pk=job_id).progress
    say(f"    worker killed at {progress} %")
    status_page = answer.headers["Location"]
    while True:
        job = ExportJob.objects.get(pk=job_id)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    connection.close()
    page = call(record, "export_status", s, "GET", status_page)
    download = call(record, "export_file", s, "GET", status_page + "fichier/")
    ok = job.status == ExportJob.Status.DONE and download is not None and download.content.startswith(b"%PDF")
    say(f"    job {job.status} {time.monotonic() - killed:.1f} s after the kill; PDF downloaded: {ok}")
    return {"ok": ok and page is not None, "seconds_after_kill": round(time.monotonic() - killed, 1)}


def main():
    places = discover()
    say(f"{CLIENTS} clients ({EDITORS} logged in as {AGENT}) for {SECONDS:.0f} s against {URL}")
    record, editing, elapsed = run_load(places, SECONDS)
    record.print(f"load: {record.requests()} requests in {elapsed:.0f} s, {record.error_count()} errors")
    every = [t for times in record.times.values() for t in times]
    load = {
        "clients": CLIENTS,
        "seconds": round(SECONDS),
        "requests": record.requests(),
        "errors": record.error_count(),
        "p95_ms": Record.p95(every),
        "kinds": record.summary(),
    }
    faults = {}
    if os.environ.get("LOAD_FAULTS", "1") == "1":
        faults = {"postgres_restart": postgres_restart(places), "redis_stopped": redis_stopped(places)}
        faults["worker_killed"] = worker_killed()
        load["faults"] = faults
    target = Path(os.environ.get("BENCH_JSON", ROOT / "bench" / "latest.json"))
    bench = json.loads(target.read_text()) if target.exists() else {}
    bench["load"] = load
    target.write_text(json.dumps(bench, ensure_ascii=False, indent=2) + "\n")
    say(f"written: {target} (load)")
    failed = load["errors"] > 0 or not all(result["ok"] for result in faults.values())
    say("FAILED" if failed else "all good: 0 errors, every fault recovered")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
