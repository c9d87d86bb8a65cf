"""The harness installed as a pytest plugin in a team's own repository: the wheel built, installed into a fresh
virtual environment (no access to this checkout or its environment), and run there for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.plugin.test_plugin_run import SCENARIO

pytest_plugins = ("tests.pages_server",)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
TARGET = '''name = "Tiny council"
supplier = "Test supplier"
version = "1"
base_url = "{base_url}/"

[journeys.bin-day]
entry = "tiny-service.html"
'''
REGISTERED_ONCE = '''
def test_the_plugin_is_registered_once(pytestconfig):
    plugins = [p for p in pytestconfig.pluginmanager.get_plugins() if getattr(p, "__name__", "") == "harness.plugin"]
    assert len(plugins) == 1
    assert pytestconfig.pluginmanager.get_plugin("harness.plugin") is plugins[0]
'''


def run(command: Sequence[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run in the fresh environment: nothing of this checkout on the path, no active virtual environment."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the harness's wheel installed; its python."""
    where = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(where / "dist"),
                 str(REPO)], cwd=where)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = (where / "dist").glob("council_a11y_harness-*.whl")
    venv.create(where / "venv", with_pip=True)  # without --system-site-packages: only what the wheel brings
    python = where / "venv" / "bin" / "python"
    done = run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=where)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return python


def test_the_wheel_holds_the_templates_data_personas_scan_scenario_and_entry_point(
        installed: Path) -> None:
    (wheel,) = (installed.parents[2] / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    personas = sorted(p.name for p in (REPO / "personas").glob("*.toml"))
    assert personas and {f"harness/personas/{name}" for name in personas} <= names
    assert {"harness/reports/templates/report.html.jinja", "harness/model/journeys.toml",
            "harness/reports/conformance.toml", "harness/cli/scan_scenario.py"} <= names
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "[pytest11]\nharness.plugin = harness.plugin" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # The harness this environment imports is the installed one, not this checkout.
    where = run([str(installed), "-c", "import harness; print(harness.__file__)"], cwd=installed.parents[2])
    assert where.stdout.strip().startswith(str(installed.parents[1]))


def test_a_repository_of_its_own_walks_its_scenario_with_the_bundled_personas(installed: Path, tmp_path: Path,
                                                                             pages_url: str) -> None:
    """scenarios/ and scenarios/targets/ only: no conftest.py and no personas/, as a team starts."""
    (tmp_path / "scenarios" / "targets").mkdir(parents=True)
    (tmp_path / "scenarios" / "test_bins.py").write_text(SCENARIO)
    (tmp_path / "scenarios" / "targets" / "tiny.toml").write_text(TARGET.format(base_url=pages_url))
    result = run([str(installed), "-m", "pytest", "scenarios/", "-v", "-p", "no:cacheprovider",
                  "--a11y-persona", "default"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "a11y personas: default (bundled with the harness)" in result.stdout
    assert "test_find_your_bin_collection_day[tiny-default] PASSED" in result.stdout
    latest = tmp_path / "reports" / "out" / "latest"
    assert (latest / "report.html").is_file() and (latest / "index.html").is_file()
    records = [json.loads(line) for line in (latest / "results.ndjson").read_text().splitlines()]
    (end,) = [r for r in records if r["kind"] == "walk"]
    assert (end["test_id"], end["ending"]) == (
        "scenarios/test_bins.py::test_find_your_bin_collection_day[tiny-default]", "completed")
    assert "test_find_your_bin_collection_day" in (latest / "report.html").read_text()


def test_the_scan_command_runs_installed_from_the_folder_it_is_started_in(installed: Path, tmp_path: Path,
                                                                          pages_url: str) -> None:
    (tmp_path / "pages.txt").write_text(f"{pages_url}/tiny-legacy.html\n")
    result = run([str(installed), "-m", "harness.cli.scan", "--urls", "pages.txt"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "tiny-legacy.html-default] PASSED" in result.stdout
    records = (tmp_path / "reports" / "out" / "latest" / "results.ndjson").read_text()
    assert "clickable-elements-focusable" in records  # the page checks ran, not axe alone


def test_a_conftest_that_also_loads_the_plugin_leaves_it_registered_once(installed: Path, tmp_path: Path) -> None:
    """Installed, the entry point loads the plugin; an old conftest.py naming it again must do nothing."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ("harness.plugin",)\n')
    (tmp_path / "test_registered.py").write_text(REGISTERED_ONCE)
    result = run([str(installed), "-m", "pytest", "-p", "no:cacheprovider", "-p", "harness.plugin",
                  "test_registered.py"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
