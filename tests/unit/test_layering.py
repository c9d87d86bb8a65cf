"""The layering rule (LAYOUT 2.1): which harness modules may import pytest, Playwright and axe."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HARNESS = REPO / "harness"

PURE = {"__init__", "findings", "wcag", "errors", "personas", "targets", "results", "report", "options",
        "toml_files", "scan", "scan_sources", "barriers", "conformance", "openacr", "earl", "history", "run_diff",
        "compare", "persona_story", "screenshots", "merge", "statement", "plain_words", "comparison", "exports",
        "untrusted", "masking"}
"""Model and rendering: no pytest, no Playwright."""
BROWSER = {"session", "journey", "axe_scan", "page_facts", "page_events", "browser_setup", "shared_pages",
           "payment_guard", "watchdog"}
"""Browser-facing: Playwright, but no pytest. Every module under behaviours/ and checks/ is in this layer too."""
PLUGIN = {"plugin"}
"""The one module that holds all pytest wiring."""


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(HARNESS).with_suffix("").parts)


MODULES = {module_name(path): path for path in sorted(HARNESS.rglob("*.py"))}


def layer_of(name: str) -> str | None:
    if name in PURE:
        return "pure"
    if name in BROWSER or name.startswith(("behaviours.", "checks.")):
        return "browser"
    if name in PLUGIN:
        return "plugin"
    if name.startswith("demo."):
        return "demo"
    return None


def imports(name: str) -> set[str]:
    """Every module a harness module imports, at any depth in its code (lazy imports count too)."""
    path = MODULES[name]
    # 'behaviours.base' and 'behaviours.__init__' both sit in the package harness.behaviours.
    package = ["harness", *name.split(".")[:-1]]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(str(node.args[0].value))
    return found


def roots(name: str) -> set[str]:
    return {imported.split(".")[0] for imported in imports(name)}


def is_pytest(root: str) -> bool:
    return root in ("pytest", "_pytest", "pluggy") or root.startswith("pytest_")


def is_playwright(root: str) -> bool:
    return root in ("playwright", "pytest_playwright", "axe_playwright_python")


def test_the_scan_sees_the_imports_it_is_checking() -> None:
    """Guard against a scan that finds nothing and so lets everything pass."""
    assert "pytest" in roots("plugin")
    assert {"playwright", "axe_playwright_python"} <= roots("axe_scan")
    assert "playwright" in roots("session")  # imported inside a function: still counts
    assert "harness.findings" in imports("report")
    assert "flask" in roots("demo.app")


def test_every_module_is_in_a_layer() -> None:
    unplaced = sorted(name for name in MODULES if layer_of(name) is None)
    assert not unplaced, f"put these harness modules in a layer in {__file__}: {unplaced}"
    assert PURE | BROWSER | PLUGIN <= set(MODULES), "a module named in a layer no longer exists"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer_of(n) == "pure"))
def test_pure_modules_import_neither_pytest_nor_playwright(name: str) -> None:
    bad = sorted(root for root in roots(name) if is_pytest(root) or is_playwright(root))
    assert not bad, f"harness/{name}.py is pure model or rendering code but imports {bad}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_plugin_imports_pytest(name: str) -> None:
    if name in PLUGIN:
        return
    bad = sorted(root for root in roots(name) if is_pytest(root))
    assert not bad, f"harness/{name}.py imports {bad}; all pytest wiring belongs in harness/plugin.py"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_axe_scan_imports_axe_playwright_python(name: str) -> None:
    if name == "axe_scan":
        return
    assert "axe_playwright_python" not in roots(name), f"harness/{name}.py imports axe_playwright_python"


def test_importing_the_pure_modules_loads_neither_pytest_nor_playwright() -> None:
    """The same rule, followed through every import at run time, in a fresh interpreter."""
    pure = sorted(n for n in MODULES if layer_of(n) == "pure")
    script = (
        "import json, sys\n"
        "leaks = {}\n"
        f"for name in {pure!r}:\n"
        "    __import__('harness' if name == '__init__' else 'harness.' + name)\n"
        "    bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pytest', '_pytest', 'pluggy', 'playwright', 'axe_playwright_python'))\n"
        "    if bad:\n"
        "        leaks[name] = bad\n"
        "        break\n"
        "print(json.dumps(leaks))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                            timeout=60, check=True)
    assert json.loads(result.stdout) == {}


def test_no_harness_module_outside_the_demo_mentions_the_barrier_manifest() -> None:
    """The demo's planted-barrier manifest is the answer sheet: the harness finds barriers, not reads them."""
    assert (HARNESS / "demo" / "barriers.toml").is_file(), "the manifest moved; update this test"
    offenders = [str(path.relative_to(REPO)) for path in sorted(HARNESS.rglob("*"))
                 if path.is_file() and path.relative_to(HARNESS).parts[0] != "demo"
                 and "__pycache__" not in path.parts
                 and "barriers.toml" in path.read_text(encoding="utf-8", errors="replace")]
    assert not offenders
