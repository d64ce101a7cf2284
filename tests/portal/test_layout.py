"""The house rules of the layout, read from the code (nothing is imported): the apps import each other in one
direction only, and no import inside a function crosses an app (it would hide a cycle from this test)."""

import ast
from pathlib import Path

from django.apps import apps as registry

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "node_modules", "tests", "migrations", "static", "staticfiles", ".git"}
# The composition root may import every app: the URL map, the settings and the demo loader.
ROOT_FILES = {"portal/urls.py", "portal/demo.py", "portal/wsgi.py", "portal/asgi.py"}
ROOT_DIRS = ("portal/settings/", "portal/management/", "bench/")


def our_apps():
    names = [
        config.name
        for config in registry.get_app_configs()
        if (ROOT / config.name.replace(".", "/")).is_dir()
    ]
    return sorted(names, key=len, reverse=True)


def app_of(module, names):
    return next((name for name in names if module == name or module.startswith(name + ".")), None)


def imports(names):
    """(importing app, imported app, file, line, inside a function?) for each import across apps."""
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED & set(relative.parts) or relative.as_posix() in ROOT_FILES:
            continue
        if relative.as_posix().startswith(ROOT_DIRS):
            continue
        here = app_of(relative.with_suffix("").as_posix().replace("/", "."), names)
        if here is None:
            continue
        package = relative.parent.as_posix().replace("/", ".")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and function.name != "ready"
            for node in ast.walk(function)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                modules = [module] + [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            targets = {app_of(module, names) for module in modules} - {None, here}
            for there in targets:
                yield here, there, relative.as_posix(), node.lineno, id(node) in in_function


def test_no_import_cycle_between_apps():
    names = our_apps()
    edges = {}
    for here, there, *_ in imports(names):
        edges.setdefault(here, set()).add(there)

    def reaches(start, goal, seen):
        for step in edges.get(start, ()):
            if step == goal or (step not in seen and reaches(step, goal, seen | {step})):
                return True
        return False

    cycles = sorted(f"{a} -> {b} -> … -> {a}" for a in edges for b in edges[a] if reaches(b, a, {b}))
    assert not cycles, cycles


def test_no_import_inside_a_function_crosses_an_app():
    hidden = [
        f"{file}:{line} ({here} -> {there})"
        for here, there, file, line, inner in imports(our_apps())
        if inner
    ]
    assert not hidden, hidden


def test_the_core_imports_no_product():
    names = our_apps()
    leaks = [
        f"{file}:{line} -> {there}"
        for here, there, file, line, _ in imports(names)
        if file.startswith("portal/core/") and there != "portal"
    ]
    assert not leaks, leaks
