"""The layering rule, stated per folder: what each layer of harness/ may import.

A new module needs no edit here: its folder decides its layer.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HARNESS = REPO / "harness"

OURS = ("model", "browser", "reports", "cli", "demo", "plugin")
"""The layers, named by their folder (or, for the pytest wiring, its module)."""
MAY_IMPORT: dict[str, set[str]] = {
    "model": {"model"},
    "browser": {"model", "browser"},
    "reports": {"model", "reports"},
    "cli": {"model", "browser", "reports", "cli", "demo"},
    "demo": {"demo"},
    "plugin": {"model", "browser", "reports", "cli", "demo"},
    "": {"model", "browser"},  # harness/__init__.py: the public API scenarios import
}
"""Which of our layers each layer may import: data flows one way, model -> browser -> records -> reports."""
MAY_USE_PYTEST = {"plugin", "cli"}
MAY_USE_PLAYWRIGHT = {"browser", "cli", "plugin", ""}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(HARNESS).with_suffix("").parts)


MODULES = {module_name(path): path for path in sorted(HARNESS.rglob("*.py"))}


def layer_of(name: str) -> str:
    first = name.split(".")[0]
    return "" if first == "__init__" else first


def imports(name: str) -> set[str]:
    """Every module a harness module imports, at any depth in its code (lazy imports count too)."""
    path = MODULES[name]
    # 'browser.behaviours.base' and 'browser.behaviours.__init__' both sit in harness.browser.behaviours.
    package = ["harness", *name.split(".")[:-1]]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []  # imports for type hints only never run, so they make no loop
    for node in ast.walk(tree):
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


def our_layers(name: str) -> set[str]:
    """The layers of harness/ that a module imports."""
    return {imported.split(".")[1] for imported in imports(name)
            if imported.startswith("harness.") and imported.split(".")[1] in OURS}


def harness_modules(name: str) -> set[str]:
    """The harness modules a module imports, as keys of MODULES."""
    found = set()
    for imported in imports(name):
        if not imported.startswith("harness"):
            continue
        dotted = imported.removeprefix("harness").lstrip(".")
        for candidate in (dotted, dotted.rpartition(".")[0]):
            if candidate in MODULES:
                found.add(candidate)
                break
            if f"{candidate}.__init__" in MODULES:
                found.add(f"{candidate}.__init__")
                break
    found.discard(name)
    return found


def is_pytest(root: str) -> bool:
    return root in ("pytest", "_pytest", "pluggy") or root.startswith("pytest_")


def is_playwright(root: str) -> bool:
    return root in ("playwright", "pytest_playwright", "axe_playwright_python")


def test_the_scan_sees_the_imports_it_is_checking() -> None:
    """Guard against a scan that finds nothing and so lets everything pass."""
    assert "pytest" in roots("plugin")
    assert {"playwright", "axe_playwright_python"} <= roots("browser.axe_scan")
    assert "playwright" in roots("browser.session")  # imported inside a function: still counts
    assert "model" in our_layers("reports.qa")
    assert "flask" in roots("demo.app")
    assert harness_modules("reports.qa") >= {"model.findings", "model.results"}


def test_every_module_is_in_a_known_layer() -> None:
    unplaced = sorted(name for name in MODULES if layer_of(name) not in MAY_IMPORT)
    assert not unplaced, f"move these modules into a layer folder ({', '.join(OURS[:-1])}): {unplaced}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_layer_imports_only_the_layers_below_it(name: str) -> None:
    layer = layer_of(name)
    bad = sorted(our_layers(name) - MAY_IMPORT[layer])
    assert not bad, (f"harness/{name.replace('.', '/')}.py is in the {layer or 'top'} layer, which may import "
                     f"{sorted(MAY_IMPORT[layer])}, but imports {bad}; see that folder's __init__.py")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_plugin_and_cli_import_pytest(name: str) -> None:
    if layer_of(name) in MAY_USE_PYTEST:
        return
    bad = sorted(root for root in roots(name) if is_pytest(root))
    assert not bad, f"harness/{name}.py imports {bad}; pytest wiring belongs in harness/plugin.py"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_browser_layer_imports_playwright(name: str) -> None:
    if layer_of(name) in MAY_USE_PLAYWRIGHT or name.startswith("demo."):
        return
    bad = sorted(root for root in roots(name) if is_playwright(root))
    assert not bad, f"harness/{name}.py imports {bad}; Playwright belongs in harness/browser/"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_axe_scan_imports_axe_playwright_python(name: str) -> None:
    if name == "browser.axe_scan":
        return
    assert "axe_playwright_python" not in roots(name), f"harness/{name}.py imports axe_playwright_python"


def test_harness_modules_import_in_no_loop() -> None:
    """A loop of imports (even lazy ones) means two modules share a job; the data should flow one way."""
    graph = {name: harness_modules(name) for name in MODULES}
    loops: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for imported in sorted(graph[name]):
            if state.get(imported) == 1:
                loops.append([*path[path.index(imported):], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # A package's __init__ that re-exports its modules is not a loop of jobs.
    loops = [loop for loop in loops if not any(part.endswith("__init__") for part in loop)]
    assert not loops, "import loops: " + "; ".join(" -> ".join(loop) for loop in loops)


@pytest.mark.parametrize("folder", sorted(set(OURS) - {"plugin"}))
def test_each_layer_folder_says_what_lives_there(folder: str) -> None:
    doc = ast.get_docstring(ast.parse((HARNESS / folder / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 25 and "import" in doc, (
        f"harness/{folder}/__init__.py needs a paragraph saying what lives there and what it may import")


def test_importing_the_model_and_reports_loads_neither_pytest_nor_playwright() -> None:
    """The same rule, followed through every import at run time, in a fresh interpreter."""
    pure = sorted(n for n in MODULES if layer_of(n) in ("model", "reports", ""))
    script = (
        "import json, sys\n"
        "leaks = {}\n"
        f"for name in {pure!r}:\n"
        "    __import__('harness' if name == '__init__' else 'harness.' + name.removesuffix('.__init__'))\n"
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
