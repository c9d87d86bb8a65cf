"""How the harness is packaged as a pytest plugin (tests/plugin/test_wheel.py builds and installs it for real)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from harness.model.personas import bundled_personas_dir

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_entry_point_is_named_as_the_module_so_a_conftest_naming_it_does_nothing() -> None:
    """pytest skips a plugin whose name is registered already: the entry point's name must be the module's."""
    assert PYPROJECT["project"]["entry-points"]["pytest11"] == {"harness.plugin": "harness.plugin"}
    conftest = ast.parse((REPO / "conftest.py").read_text(encoding="utf-8"))
    (assignment,) = [node for node in conftest.body if isinstance(node, ast.Assign)]
    assert ast.literal_eval(assignment.value) == ("harness.plugin",)


def test_the_wheel_carries_the_repositorys_personas_as_the_bundled_ones() -> None:
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["harness"]
    assert wheel["force-include"] == {"personas": "harness/personas"}
    assert not (REPO / "harness" / "personas").exists(), "one copy only: the wheel makes the package's"
    # A checkout reads the same folder the wheel copies.
    assert bundled_personas_dir() == REPO / "personas"
    assert len(list(bundled_personas_dir().glob("*.toml"))) == 8


def test_the_quick_run_has_its_marker() -> None:
    markers = PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("slow:") for marker in markers)
