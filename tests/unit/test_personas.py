"""Tests for harness/model/personas.py: every bad persona file stops the run with its exact message."""

from __future__ import annotations

import ast
from pathlib import Path
from types import TracebackType

import pytest

from harness.model import personas as personas_module
from harness.model import toml_files
from harness.model.errors import ConfigError
from harness.model.personas import Persona, load_persona, load_personas, select_personas

REPO = Path(__file__).resolve().parents[2]
INVALID = REPO / "tests" / "data" / "personas" / "invalid"
CASES = sorted(path.stem for path in INVALID.glob("*.toml"))
# Passed explicitly, so these tests do not depend on which behaviours the browser layer registers.
BEHAVIOURS = ("pointer", "keyboard-only", "touch", "screen-reader")
CHECKS = ("focus-visible", "reflow", "keyboard-reachable")


def expected_message(case: str) -> str:
    return (INVALID / f"{case}.txt").read_text(encoding="utf-8").removesuffix("\n")


def raise_site(exc: BaseException) -> tuple[str, int]:
    """(file name, line) of the innermost harness frame: the `raise` statement that made this error."""
    tb: TracebackType | None = exc.__traceback__
    site = ("", 0)
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if "harness" in filename.parts[:-1]:
            site = (filename.name, tb.tb_lineno)
        tb = tb.tb_next
    return site


def config_error_sites(module_file: str) -> set[tuple[str, int]]:
    """Every `raise ConfigError(...)` statement in a harness module, by line."""
    path = Path(module_file)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {(path.name, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
            and isinstance(node.exc.func, ast.Name) and node.exc.func.id == "ConfigError"}


def test_there_is_a_case_file_and_an_expected_message_for_each_case() -> None:
    assert len(CASES) >= 10
    assert sorted(path.stem for path in INVALID.glob("*.txt")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_invalid_persona_gives_its_exact_message(case: str, in_repo: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_persona(Path("tests/data/personas/invalid") / f"{case}.toml", BEHAVIOURS, CHECKS)
    assert str(caught.value) == expected_message(case)


@pytest.mark.parametrize("case", CASES)
def test_message_names_the_file(case: str, in_repo: Path) -> None:
    message = str(pytest.raises(ConfigError, load_persona, INVALID / f"{case}.toml", BEHAVIOURS, CHECKS).value)
    assert message.startswith(f"tests/data/personas/invalid/{case}.toml")


def _sites_reached(tmp_path: Path) -> set[tuple[str, int]]:
    """The raise statements reached by the case files, and by the errors that need a folder, not a file."""
    unreadable = tmp_path / "unreadable"
    (unreadable / "folder.toml").mkdir(parents=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    reached = set()
    attempts = [lambda case=case: load_persona(INVALID / f"{case}.toml", BEHAVIOURS, CHECKS) for case in CASES]
    attempts += [
        lambda: load_personas(tmp_path / "missing", BEHAVIOURS),
        lambda: load_personas(empty, BEHAVIOURS),
        lambda: load_personas(unreadable, BEHAVIOURS),
        lambda: select_personas({}, ["nobody"]),
    ]
    for attempt in attempts:
        with pytest.raises(ConfigError) as caught:
            attempt()
        reached.add(raise_site(caught.value))
    return reached


def test_every_config_error_a_persona_can_cause_is_tested(tmp_path: Path) -> None:
    """Every `raise ConfigError` in personas.py and toml_files.py is reached by a case above."""
    sites = config_error_sites(personas_module.__file__) | config_error_sites(toml_files.__file__)
    assert len(sites) >= 13, "the ast scan should find the raise statements"
    missing = sites - _sites_reached(tmp_path)
    assert not missing, f"raise ConfigError at these lines has no case file in {INVALID}: {sorted(missing)}"


def test_an_unreadable_persona_file_is_a_config_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ConfigError) as caught:
        load_persona(tmp_path / "folder.toml", BEHAVIOURS)
    assert str(caught.value) == "folder.toml: cannot read the file (Is a directory)."


def test_the_real_personas_load() -> None:
    personas = load_personas(REPO / "personas", BEHAVIOURS)
    assert set(personas) == {"default", "keyboard-only", "low-digital-skill", "on-behalf", "low-vision-zoom",
                             "mobile-only", "screen-reader", "no-camera"}
    # Each person is shown in reports by the name personas.md gives them.
    assert {p.id: p.name for p in personas.values()} == {
        "default": "Sam", "keyboard-only": "Ash", "low-digital-skill": "Margaret", "on-behalf": "Priya",
        "low-vision-zoom": "Claudia", "mobile-only": "Jordan", "screen-reader": "Ashleigh", "no-camera": "Pat"}
    assert personas["low-vision-zoom"].context["viewport"] == {"width": 320, "height": 640}
    assert personas["mobile-only"].context["has_touch"] is True
    assert "keyboard-trap" in personas["keyboard-only"].checks
    ash = personas["keyboard-only"]
    assert isinstance(ash, Persona)
    assert (ash.id, ash.name, ash.title, ash.behaviour) == ("keyboard-only", "Ash", "Keyboard-only user",
                                                              "keyboard-only")
    assert personas["default"].behaviour == "pointer"
    assert dict(ash.context) == {"viewport": {"width": 1280, "height": 800}}
    # Multi-line descriptions are folded into one line of prose.
    assert "\n" not in ash.description and ash.description.startswith("Ash cannot use a mouse")
    assert ash.source.endswith("keyboard-only.toml")


def test_a_persona_is_frozen_and_its_context_read_only() -> None:
    ash = load_personas(REPO / "personas", BEHAVIOURS)["keyboard-only"]
    with pytest.raises(AttributeError):
        ash.name = "Someone else"  # type: ignore[misc]
    with pytest.raises(TypeError):
        ash.context["locale"] = "cy-GB"  # type: ignore[index]


def test_to_dict_holds_what_reports_show() -> None:
    ash = load_personas(REPO / "personas", BEHAVIOURS)["keyboard-only"]
    assert ash.to_dict() == {"id": "keyboard-only", "name": "Ash", "title": "Keyboard-only user",
                             "description": ash.description, "behaviour": "keyboard-only",
                             "context": {"viewport": {"width": 1280, "height": 800}},
                             "checks": list(ash.checks)}


def test_a_persona_without_context_gets_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "plain.toml"
    path.write_text('name = "Sam"\ntitle = "Mouse user"\ndescription = "Sam."\nbehaviour = "pointer"\n',
                    encoding="utf-8")
    assert dict(load_persona(path, BEHAVIOURS).context) == {}


def test_a_behaviour_is_accepted_only_when_known(tmp_path: Path) -> None:
    path = tmp_path / "ash.toml"
    path.write_text('name = "Ash"\ntitle = "T"\ndescription = "D"\nbehaviour = "keyboard-only"\n',
                    encoding="utf-8")
    assert load_persona(path, BEHAVIOURS).behaviour == "keyboard-only"
    with pytest.raises(ConfigError, match="Known behaviours: pointer$"):
        load_persona(path, ["pointer"])


def test_load_personas_refuses_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_personas(tmp_path / "personas", BEHAVIOURS)
    assert str(caught.value) == (
        "personas: the personas folder does not exist.\n"
        "Set --a11y-personas-dir or the a11y_personas_dir ini key to the folder that holds the persona "
        "TOML files.")


def test_load_personas_refuses_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "notes.md").write_text("not a persona", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_personas(tmp_path / "personas", BEHAVIOURS)
    assert str(caught.value) == "personas: no persona files (*.toml) found."


def test_select_personas_keeps_the_order_asked_for() -> None:
    personas = load_personas(REPO / "personas", BEHAVIOURS)
    assert [p.id for p in select_personas(personas, [])] == sorted(personas)
    assert [p.id for p in select_personas(personas, ["keyboard-only", "default"])] == ["keyboard-only",
                                                                                       "default"]


def test_select_personas_names_an_unknown_id() -> None:
    personas = load_personas(REPO / "personas", BEHAVIOURS)
    with pytest.raises(ConfigError) as caught:
        select_personas(personas, ["keyboard"])
    assert str(caught.value) == ("--a11y-persona: unknown persona 'keyboard'.\n"
                                 "Did you mean 'keyboard-only'?\n"
                                 f"Known personas: {', '.join(sorted(personas))}")
