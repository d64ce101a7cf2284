#!/usr/bin/env python3
"""Builds static/vendor/dsfr/dsfr-portal.css: only the DSFR the portal uses.

django-dsfr links the whole DSFR (dsfr.min.css, 712 kB) and every utility (utility.min.css, 459 kB,
all the icons) on every page. This script keeps:
- the DSFR core (reset, grid, typography, spacing, colour variables for light and dark schemes);
- each component one of our templates, Python modules or scripts uses (a class the component defines
  at the start of a selector), whole, with the components it depends on (its README's tree), so a
  modifier built at render time (``fr-badge--{{ level }}``) or added by the DSFR's JS keeps its style;
- from the utilities (icons, colours), only the rules of the classes we use.

The DSFR's script stays whole (dsfr.module.min.js, deferred as a module): a build of its core and the
components used measured slower on a phone (Lighthouse's total blocking time 1.4-1.7 s against 0.26 s).

Relative URLs (fonts, icons) are rewritten to point at django-dsfr's own static files, which
collectstatic hashes as usual. The test tests/portal/test_light_pages.py imports this module to check
that every DSFR class used is styled by the bundle. Run by scripts/vendor_assets.sh (`make assets`).
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUTPUT = BASE_DIR / "static" / "vendor" / "dsfr" / "dsfr-portal.css"
OUTPUT_STATIC_DIR = "vendor/dsfr"  # the bundle's path under STATIC_URL

# The project's sources that can put a DSFR class in a page.
PROJECT_APPS = ("templates", "atlas", "pages", "portal", "search", "tourism", "static")
SOURCE_SUFFIXES = {".html", ".py", ".js", ".txt"}
SKIPPED_PARTS = {"vendor", "migrations", "__pycache__", "mail"}
# django-dsfr templates our pages render (breadcrumb, pagination, messages, form fields).
DSFR_TEMPLATES = (
    "dsfr/breadcrumb.html",
    "dsfr/pagination.html",
    "dsfr/alert.html",
    "dsfr/favicon.html",
    "dsfr/form_base.html",
    "dsfr/form_snippet.html",
    "dsfr/formset_base.html",
    "dsfr/form_field_snippets/checkbox_snippet.html",
    "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html",
    "dsfr/form_field_snippets/input_snippet.html",
    "dsfr/form_field_snippets/radioselect_snippet.html",
    "django/forms/**/*.html",
)

CLASS_RE = re.compile(r"(?<![\w/-])(fr-[a-zA-Z0-9_-]*[a-zA-Z0-9])")
SELECTOR_CLASS_RE = re.compile(r"\.(fr-[a-zA-Z0-9_-]+)")
# Core's spacing and column utilities (fr-mt-4w, fr-px-md-2v, fr-col-lg-6...): hundreds of classes,
# none of them set by the DSFR's scripts, so only those written in our sources are kept.
SPACING_GRID_RE = re.compile(r"^fr-(?:[mp][trblxy]?-|col-)")
URL_RE = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def dsfr_package_dir() -> Path:
    import dsfr  # the django-dsfr package of the virtualenv

    return Path(dsfr.__file__).resolve().parent


def dist_dir() -> Path:
    return dsfr_package_dir() / "static" / "dsfr" / "dist"


# --- classes used by the portal ---------------------------------------------------------------


def source_files():
    for app in PROJECT_APPS:
        root = BASE_DIR / app
        for path in root.rglob("*"):
            if path.suffix in SOURCE_SUFFIXES and path.is_file() and not SKIPPED_PARTS & set(path.parts):
                yield path
    templates = dsfr_package_dir() / "templates"
    for pattern in DSFR_TEMPLATES:
        yield from templates.glob(pattern)


def used_classes() -> set[str]:
    """Every ``fr-...`` token in the sources (a class written whole, or the literal head of one built
    at render time, such as ``fr-badge--`` in ``fr-badge--{{ level }}``: the head still names its
    component)."""
    classes = set()
    for path in source_files():
        classes.update(CLASS_RE.findall(path.read_text(encoding="utf-8", errors="replace")))
    return classes


# --- a small CSS reader (minified DSFR: rules, @media/@supports blocks, @font-face) ------------


def split_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs; a statement at-rule (``@charset``) has body None."""
    rules, i, n = [], 0, len(css)
    while i < n:
        if css.startswith("/*", i):
            i = css.index("*/", i) + 2
            continue
        if css[i].isspace():
            i += 1
            continue
        start = i
        while i < n and css[i] not in "{;":
            if css[i] in "\"'":
                i = css.index(css[i], i + 1)
            i += 1
        if i >= n:
            break
        prelude = css[start:i].strip()
        if css[i] == ";":
            rules.append((prelude, None))
            i += 1
            continue
        depth, j = 1, i + 1
        while depth:
            ch = css[j]
            if ch in "\"'":
                j = css.index(ch, j + 1)
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            j += 1
        rules.append((prelude, css[i + 1 : j - 1]))
        i = j
    return rules


def is_block_at_rule(prelude: str) -> bool:
    return prelude.startswith(("@media", "@supports", "@layer", "@container"))


def style_rules(css: str):
    """(selector, body) of every style rule, nested at-rules flattened."""
    for prelude, body in split_rules(css):
        if body is None:
            continue
        if is_block_at_rule(prelude):
            yield from style_rules(body)
        elif not prelude.startswith("@"):
            yield prelude, body


def defined_classes(css: str) -> set[str]:
    return {cls for selector, _ in style_rules(css) for cls in SELECTOR_CLASS_RE.findall(selector)}


def own_classes(css: str) -> set[str]:
    """Classes a stylesheet styles on their own, in a selector without combinator (``.fr-btn--close``,
    ``.fr-tile:hover``): those it is about. ``.fr-header .fr-btn`` or ``.fr-fieldset--error .fr-toggle``
    only adapt another component's class to this one."""
    own = set()
    for selector, _ in style_rules(css):
        for part in selector.split(","):
            part = re.sub(r"\([^()]*\)", "", part.strip())  # :not(.x), :is(...) arguments
            if not re.search(r"[\s>+~]", part):
                own.update(SELECTOR_CLASS_RE.findall(part))
    return own


def filter_rules(css: str, keep) -> str:
    """The rules whose selector keep() accepts; at-rule blocks kept when something is left in them."""
    out = []
    for prelude, body in split_rules(css):
        if body is None:
            continue  # @charset and the like: the bundle is UTF-8 anyway
        if is_block_at_rule(prelude):
            inner = filter_rules(body, keep)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@") or keep(prelude):
            out.append(f"{prelude}{{{body}}}")
    return "".join(out)


# --- the bundle --------------------------------------------------------------------------------


def rebase_urls(css: str, source: Path) -> str:
    """Rewrites relative url()s from the source file's folder to the bundle's folder."""
    source_dir = posixpath.join("dsfr/dist", source.parent.relative_to(dist_dir()).as_posix())

    def rebase(match):
        quote, url = match.groups()
        if url.startswith(("data:", "/", "http:", "https:", "#")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(source_dir, url))
        return f"url({quote}{posixpath.relpath(target, OUTPUT_STATIC_DIR)}{quote})"

    return URL_RE.sub(rebase, css)


def component_dependencies(name: str) -> list[str]:
    readme = dist_dir() / "component" / name / "README.md"
    if not readme.exists():
        return []
    block = re.search(r"```shell\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    return re.findall(r"└─ ([a-z-]+)", block.group(1)) if block else []


def components() -> dict[str, Path]:
    found = {}
    for path in sorted((dist_dir() / "component").glob("*/*.main.min.css")):
        found[path.parent.name] = path
    return found


def chosen_components(used: set[str]) -> list[str]:
    """The components that style one of the used classes on its own, and their dependencies, in the
    DSFR's own order (the order of dsfr.min.css, which the cascade relies on)."""
    available = components()
    wanted = set()
    for name, path in available.items():
        if own_classes(path.read_text(encoding="utf-8")) & used:
            wanted.add(name)
    pending = list(wanted)
    while pending:
        for dep in component_dependencies(pending.pop()):
            if dep in available and dep not in wanted:
                wanted.add(dep)
                pending.append(dep)
    return [name for name in dsfr_order(available) if name in wanted]


def dsfr_order(available: dict[str, Path]) -> list[str]:
    """Components in the order the full dsfr.main.min.css has them (found by each one's first rule)."""
    full = (dist_dir() / "dsfr" / "dsfr.main.min.css").read_text(encoding="utf-8")
    positions = {}
    for name, path in available.items():
        body = re.sub(r"^/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        positions[name] = full.find(body[:200]) if body else -1
    return sorted(available, key=lambda name: (positions[name] < 0, positions[name], name))


def utility_sheets() -> list[Path]:
    utility = dist_dir() / "utility"
    return [utility / "colors" / "colors.main.min.css", *sorted(utility.glob("icons/icons-*/*.main.min.css"))]


def keeps_used(used: set[str]):
    def keep(selector: str) -> bool:
        classes = SELECTOR_CLASS_RE.findall(selector)
        return not classes or any(cls in used for cls in classes)

    return keep


def build(used: set[str] | None = None) -> tuple[str, list[str]]:
    used = used_classes() if used is None else used
    names = chosen_components(used)
    parts = []
    core = dist_dir() / "core" / "core.main.min.css"
    keep = keeps_used(used)

    def keep_core(selector: str) -> bool:
        classes = SELECTOR_CLASS_RE.findall(selector)
        return not classes or not all(SPACING_GRID_RE.match(cls) for cls in classes) or keep(selector)

    parts.append(rebase_urls(filter_rules(core.read_text(encoding="utf-8"), keep_core), core))
    available = components()
    for name in names:
        parts.append(rebase_urls(available[name].read_text(encoding="utf-8"), available[name]))
    for sheet in utility_sheets():
        parts.append(rebase_urls(filter_rules(sheet.read_text(encoding="utf-8"), keep), sheet))
    # django-dsfr's few rules for Django's error lists, which its base template links apart.
    overrides = dsfr_package_dir() / "static" / "css" / "dsfr-django-overrides.css"
    parts.append(overrides.read_text(encoding="utf-8"))
    header = (
        "/*! DSFR v1.14 (MIT, https://github.com/GouvernementFR/dsfr) subset built by "
        f"scripts/build_dsfr_css.py: core, {', '.join(names)}, and the icons and colour utilities used. */\n"
    )
    body = "".join(re.sub(r"/\*!.*?\*/", "", part, flags=re.S).strip() for part in parts)
    return header + body, names


def full_dsfr_classes() -> set[str]:
    """Every class the full DSFR styles (what django-dsfr would link)."""
    dist = dist_dir()
    sheets = (dist / "dsfr" / "dsfr.main.min.css", dist / "utility" / "utility.main.min.css")
    return set().union(*(defined_classes(sheet.read_text(encoding="utf-8")) for sheet in sheets))


def main() -> int:
    css, names = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(css, encoding="utf-8")
    print(f"{OUTPUT.relative_to(BASE_DIR)}: {len(css) // 1024} kB (core + {len(names)} components)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
