"""Personas: who walks a journey and how, loaded from personas/*.toml and validated at start-up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from harness.model.errors import ConfigError, did_you_mean, unknown_value_message
from harness.model.toml_files import display, read_toml, where
from harness.model.walk_plan import Profile

REQUIRED = ("name", "title", "description", "behaviour")
OPTIONAL = ("context", "checks", "profile")
CONTEXT_KEYS: dict[str, type | tuple[type, ...]] = {
    "viewport": dict, "device_scale_factor": (int, float), "is_mobile": bool, "has_touch": bool,
    "color_scheme": str, "reduced_motion": str, "forced_colors": str, "locale": str,
}

_TYPE_WORDS = {dict: "a table", (int, float): "a number", bool: "true or false", str: "a string"}


@dataclass(frozen=True)
class Persona:
    """A person the harness imitates; the id is the file name without '.toml'."""

    id: str
    name: str
    """The person's first name, used in plain-English reports ('Ash could not ...')."""
    title: str
    """A short label such as 'Keyboard-only user'."""
    description: str
    behaviour: str
    """Id of the behaviour that drives the browser for this persona."""
    context: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Playwright browser-context arguments (viewport, is_mobile, ...)."""
    checks: tuple[str, ...] = ()
    """Ids of the checks and probes this person adds to axe and the checks every persona runs."""
    source: str = ""
    profile: Profile = field(default_factory=Profile)
    """The answers this person gives when a journey asks about them (and whoever they apply for)."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "title": self.title, "description": self.description,
                "behaviour": self.behaviour, "context": dict(self.context), "checks": list(self.checks)}


def load_persona(path: Path, behaviours: Iterable[str], checks: Iterable[str] | None = None) -> Persona:
    """Read and validate one persona file; every problem names the file, line and fix.

    Args:
        behaviours, checks: the ids the harness knows, so a typo is caught before any browser starts.
            checks=None skips checking check ids (for tools that only read the people's names).
    """
    data, text = read_toml(path)
    behaviours = sorted(behaviours)
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            message = f"{where(path, text, key)}: unknown field '{key}'."
            hint = did_you_mean(key, REQUIRED + OPTIONAL)
            raise ConfigError("\n".join(filter(None, [
                message, hint, f"Valid fields: {', '.join(sorted(REQUIRED + OPTIONAL))}"])))
    for key in REQUIRED:
        if key not in data:
            raise ConfigError(f"{display(path)}: missing required field '{key}'.\n"
                              f"Add a line such as: {key} = \"...\"")
        if not isinstance(data[key], str) or not data[key].strip():
            raise ConfigError(f"{where(path, text, key)}: field '{key}' must be a non-empty string, "
                              f"not {data[key]!r}.")
    if data["behaviour"] not in behaviours:
        raise ConfigError(unknown_value_message(
            f"{where(path, text, 'behaviour')}", "behaviour", data["behaviour"], behaviours))
    context = data.get("context", {})
    _check_context(path, text, context)
    return Persona(id=path.stem, name=data["name"].strip(), title=data["title"].strip(),
                   description=" ".join(data["description"].split()), behaviour=data["behaviour"],
                   context=MappingProxyType(dict(context)),
                   checks=_check_ids(path, text, data.get("checks", []), checks), source=display(path),
                   profile=_check_profile(path, text, data.get("profile", {})))


PROFILE_KEYS = tuple(Profile.__dataclass_fields__)


def _check_profile(path: Path, text: str, table: Any) -> Profile:
    """A persona's answers: every key known, every value a string, dates written as YYYY-MM-DD."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where(path, text, 'profile')}: 'profile' must be a table, such as\n"
                          '[profile]\nfull_name = "Margaret Hughes"\nemail = ""')
    for key, value in table.items():
        if key not in PROFILE_KEYS:
            raise ConfigError(unknown_value_message(f"{where(path, text, key)}", "profile field", key,
                                                    PROFILE_KEYS))
        if not isinstance(value, str):
            raise ConfigError(f"{where(path, text, key)}: profile field '{key}' must be a string (use \"\" "
                              f"for none), not {value!r}; put it in quotes: {key} = \"{value}\"")
        if key.endswith("date_of_birth") and value and not _is_date(value):
            raise ConfigError(f"{where(path, text, key)}: '{value}' is not a date; write it as YYYY-MM-DD, "
                              "such as 1948-03-27.")
    return Profile(**table)


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _check_ids(path: Path, text: str, value: Any, known: Iterable[str] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where(path, text, 'checks')}: 'checks' must be a list of check ids, such as\n"
                          'checks = ["focus-visible", "reflow"]')
    if known is not None:
        known = sorted(known)
        for check_id in value:
            if check_id not in known:
                raise ConfigError(unknown_value_message(
                    f"{where(path, text, 'checks')}", "check", check_id, known))
    return tuple(dict.fromkeys(value))


def _check_context(path: Path, text: str, context: Any) -> None:
    if not isinstance(context, dict):
        raise ConfigError(f"{where(path, text, 'context')}: 'context' must be a table, such as\n"
                          "[context]\nviewport = { width = 320, height = 640 }")
    for key, value in context.items():
        if key not in CONTEXT_KEYS:
            raise ConfigError(unknown_value_message(
                f"{where(path, text, key)}", "context field", key, CONTEXT_KEYS))
        expected = CONTEXT_KEYS[key]
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(f"{where(path, text, key)}: context field '{key}' must be "
                              f"{_TYPE_WORDS[expected]}, not {value!r}.")
    viewport = context.get("viewport")
    if viewport is not None:
        ok = set(viewport) == {"width", "height"} and all(
            isinstance(viewport[k], int) and not isinstance(viewport[k], bool) and viewport[k] > 0
            for k in ("width", "height"))
        if not ok:
            raise ConfigError(f"{where(path, text, 'viewport')}: 'viewport' must be "
                              "{ width = <pixels>, height = <pixels> } with positive whole numbers, "
                              f"not {viewport!r}.")


PERSONAS_DIR = "personas"
"""The personas folder's name: in a repository's rootdir, and in the installed package (the bundled ones)."""


def bundled_personas_dir() -> Path:
    """The personas that come with the harness, for a repository that has no personas/ folder of its own.

    An installed wheel holds them in the package (hatch's force-include copies the repository's personas/
    there); a checkout reads that folder itself, beside the package, so the files live in one place.
    """
    package = Path(__file__).resolve().parents[1]
    installed = package / PERSONAS_DIR
    return installed if installed.is_dir() else package.parent / PERSONAS_DIR


def load_personas(directory: Path, behaviours: Iterable[str],
                  checks: Iterable[str] | None = None) -> dict[str, Persona]:
    """Every persona in a folder, by id; an empty folder is an error because nothing could run."""
    behaviours = list(behaviours)
    checks = None if checks is None else list(checks)
    if not directory.is_dir():
        raise ConfigError(f"{display(directory)}: the personas folder does not exist.\n"
                          "Set --a11y-personas-dir or the a11y_personas_dir ini key to the folder "
                          "that holds the persona TOML files.")
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise ConfigError(f"{display(directory)}: no persona files (*.toml) found.")
    return {path.stem: load_persona(path, behaviours, checks) for path in paths}


def select_personas(personas: Mapping[str, Persona], wanted: list[str]) -> list[Persona]:
    """The personas asked for with --a11y-persona, in the order given; all of them when none are."""
    if not wanted:
        return list(personas.values())
    chosen = []
    for persona_id in wanted:
        if persona_id not in personas:
            raise ConfigError(unknown_value_message("--a11y-persona", "persona", persona_id, personas))
        chosen.append(personas[persona_id])
    return chosen
