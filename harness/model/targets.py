"""Targets: the products or sites under test, loaded from TOML files and validated at start-up."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

from harness.model.errors import ConfigError, did_you_mean, unknown_value_message
from harness.model.pinned_steps import PinnedStep, check_skips, check_steps
from harness.model.toml_files import display, read_toml, where

DEMO_PLACEHOLDER = "{demo}"
SCAN_JOURNEY = "site-scan"
REQUIRED = ("name", "supplier", "version", "base_url", "journeys")
OPTIONAL = ("test_environment", "description", "wording", "allowed_origins", "credentials", "test_card",
            "product", "organisation", "contact", "conformance_claim", "data")
JOURNEY_FIELDS = ("entry", "wording", "steps", "skip")
DATA_FIELDS = ("postcode", "place", "address", "reference", "amount")
"""What a target's own systems know, for the walker: an address its lookup finds, an account, an amount."""
TEST_CARD_FIELDS = ("number", "expiry", "name", "security_code")
# A card number payment test environments accept; a target can declare its own provider's test card.
DEFAULT_TEST_CARD: Mapping[str, str] = MappingProxyType(
    {"number": "4444333322221111", "expiry": "12/30", "name": "Test Card", "security_code": "123"})
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def known_journeys() -> dict[str, str]:
    """Journey id -> title, from the catalogue bundled with the harness."""
    with (Path(__file__).parent / "journeys.toml").open("rb") as handle:
        return {jid: table["title"] for jid, table in tomllib.load(handle).items()}


@dataclass(frozen=True)
class Target:
    """A product or site under test; the id is the file name without '.toml'."""

    id: str
    name: str
    supplier: str
    version: str
    base_url: str
    """May start with '{demo}', replaced by the bundled demo council's address when the run starts."""
    journeys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Journey id -> entry path, relative to base_url."""
    test_environment: bool = False
    """Only a test environment may be sent a payment: the harness refuses to pay anywhere else."""
    description: str = ""
    source: str = ""
    wording: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    """Journey id -> {scenario's words: this product's words}, so built-in journeys fit its pages."""
    allowed_origins: tuple[str, ...] = ()
    """Origins besides base_url's that journeys may visit (a payment provider, say)."""
    credentials: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Credential name -> environment variable that holds it; values never live in files."""
    test_card: Mapping[str, str] = field(default_factory=lambda: DEFAULT_TEST_CARD)
    product: str = ""
    """The product across releases: targets that share it are one line in the history's trend view."""
    organisation: str = ""
    """Who runs the service, for the accessibility statement draft (e.g. 'Millbrook District Council')."""
    contact: str = ""
    """How people ask for another format or report a problem, for the statement draft."""
    conformance_claim: str = ""
    """The supplier's own conformance report (OpenACR YAML), as a path; the run keeps a copy to check it."""
    data: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Test data the product knows ([data]): postcode, place, address, reference, amount."""
    steps: Mapping[str, tuple[PinnedStep, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Journey id -> the pages a tester pinned for the walker ([[journeys.<id>.steps]])."""

    @property
    def uses_demo(self) -> bool:
        return self.base_url.startswith(DEMO_PLACEHOLDER)

    def offers(self, journey_id: str) -> bool:
        return journey_id in self.journeys

    def resolved_base(self, demo_url: str | None = None) -> str:
        """base_url, with '{demo}' replaced by the running demo council's address."""
        if not self.uses_demo:
            return self.base_url
        if demo_url is None:
            raise ConfigError(f"{self.source}: this target uses the bundled demo council, "
                              "but the demo server was not started.")
        return demo_url.rstrip("/") + self.base_url[len(DEMO_PLACEHOLDER):]

    def entry_url(self, journey_id: str, demo_url: str | None = None) -> str:
        """The absolute address of a journey's first page."""
        base = self.resolved_base(demo_url)
        url = urljoin(base, self.journeys[journey_id])
        # Checked again here, for targets made in code: the browser must never open a file or another site.
        problem = entry_problem(url, base, self.allowed_origins)
        if problem:
            raise ConfigError(f"{self.source}: journey '{journey_id}' has entry {self.journeys[journey_id]!r}, "
                              f"which {problem}.")
        return url

    def words(self, journey_id: str) -> Mapping[str, str]:
        """This product's wording for a journey: target-wide entries, then the journey's own."""
        return self.wording.get(journey_id, MappingProxyType({}))

    def pinned_steps(self, journey_id: str) -> tuple[PinnedStep, ...]:
        return self.steps.get(journey_id, ())

    def origins(self, demo_url: str | None = None) -> frozenset[str]:
        """Every origin a journey on this target may navigate to: base_url's and the allowed ones.

        From base_url, not from a journey's entry: an entry may start on an allowed origin (a payment
        provider's page), and the service's own pages must still count as inside the target.
        """
        return frozenset({origin_of(self.resolved_base(demo_url)), *self.allowed_origins})

    def credential(self, name: str) -> str:
        """A secret from the environment variable the target names; the value is never stored."""
        if name not in self.credentials:
            raise ConfigError(unknown_value_message(f"{self.source}: [credentials]", "credential", name,
                                                    self.credentials))
        variable = self.credentials[name]
        value = os.environ.get(variable)
        if not value:
            raise ConfigError(f"{self.source}: credential '{name}' comes from the environment variable "
                              f"{variable}, which is not set.\nSet it before the run, for example: "
                              f"export {variable}='...'")
        return value

    def to_dict(self) -> dict[str, Any]:
        """For stored results and reports: credentials appear as variable names only, never values."""
        return {"id": self.id, "name": self.name, "supplier": self.supplier, "version": self.version,
                "base_url": self.base_url, "journeys": dict(self.journeys),
                "test_environment": self.test_environment, "description": self.description,
                "allowed_origins": list(self.allowed_origins), "credentials": dict(self.credentials),
                "wording": {j: dict(w) for j, w in self.wording.items()},
                "product": self.product or self.id, "organisation": self.organisation, "contact": self.contact}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


SCAN_SUPPLIER = "(site scan)"
"""The supplier of scan mode's stand-in targets."""


def scan_target(url: str) -> Target:
    """Scan mode's stand-in target: the site itself, named by its origin (and by host and port in its id)."""
    origin = origin_of(url)
    host = urlsplit(url).netloc
    return Target(id=f"scan-{host.replace(':', '-')}", name=f"Site scan of {origin}", supplier=SCAN_SUPPLIER,
                  version=datetime.now(UTC).date().isoformat(), base_url=origin + "/",
                  journeys=MappingProxyType({SCAN_JOURNEY: url}), test_environment=False, source="scan mode")


def load_target(path: Path, journeys: Mapping[str, str] | None = None) -> Target:
    """Read and validate one target file; every problem names the file, line and fix."""
    journeys = journeys if journeys is not None else known_journeys()
    # Scan mode's pseudo-journey names scanned pages in reports; no target offers it.
    journeys = {jid: title for jid, title in journeys.items() if jid != SCAN_JOURNEY}
    data, text = read_toml(path)
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            raise ConfigError("\n".join(filter(None, [
                f"{where(path, text, key)}: unknown field '{key}'.",
                did_you_mean(key, REQUIRED + OPTIONAL),
                f"Valid fields: {', '.join(sorted(REQUIRED + OPTIONAL))}"])))
    for key in REQUIRED:
        if key not in data:
            example = "[journeys.garden-waste]\nentry = \"garden-waste/start\"" if key == "journeys" \
                else f"{key} = \"...\""
            raise ConfigError(f"{display(path)}: missing required field '{key}'.\nAdd, for example:\n{example}")
    for key in ("name", "supplier", "version", "base_url"):
        if not isinstance(data[key], str) or not data[key].strip():
            hint = " Quote version numbers: version = \"1.0\"." if key == "version" else ""
            raise ConfigError(f"{where(path, text, key)}: field '{key}' must be a non-empty string, "
                              f"not {data[key]!r}.{hint}")
    base_url = data["base_url"].strip()
    _check_base_url(path, text, base_url)
    test_environment = data.get("test_environment", False)
    if not isinstance(test_environment, bool):
        raise ConfigError(f"{where(path, text, 'test_environment')}: 'test_environment' must be "
                          f"true or false, not {test_environment!r}.")
    _refuse_userinfo_in_entries(path, text, data["journeys"])
    allowed_origins = _check_origins(path, text, data.get("allowed_origins", []))
    entries = _check_journeys(path, text, data["journeys"], journeys)
    _check_entries(path, text, base_url, entries, allowed_origins)
    shared = _check_wording(path, text, data.get("wording", {}), "wording")
    wording = {jid: MappingProxyType({**shared, **_check_wording(
        path, text, spec.get("wording", {}), f"journeys.{jid}.wording")})
        for jid, spec in data["journeys"].items()}
    return Target(
        id=path.stem, name=data["name"].strip(), supplier=data["supplier"].strip(),
        version=data["version"].strip(), base_url=base_url if base_url.endswith("/") else base_url + "/",
        journeys=MappingProxyType(entries), test_environment=test_environment,
        description=str(data.get("description", "")), source=display(path),
        wording=MappingProxyType(wording),
        allowed_origins=allowed_origins,
        credentials=MappingProxyType(_check_credentials(path, text, data.get("credentials", {}))),
        test_card=_check_test_card(path, text, data.get("test_card")),
        **{key: _optional_text(path, text, data, key) for key in ("product", "organisation", "contact")},
        conformance_claim=_claim_path(path, text, data),
        data=MappingProxyType(_check_data(path, text, data.get("data", {}))),
        steps=MappingProxyType({jid: (*check_steps(path, text, jid, spec.get("steps", [])),
                                      *check_skips(path, text, jid, spec.get("skip", [])))
                                for jid, spec in data["journeys"].items() if "steps" in spec or "skip" in spec}))


def _check_data(path: Path, text: str, table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where(path, text, 'data')}: 'data' must be a table, such as\n"
                          '[data]\npostcode = "MB1 4QX"\nplace = "Mill Lane, Millbrook"')
    for key, value in table.items():
        if key not in DATA_FIELDS:
            raise ConfigError(unknown_value_message(where(path, text, key), "data field", key, DATA_FIELDS))
        if not isinstance(value, str):
            raise ConfigError(f"{where(path, text, key)}: data field '{key}' must be a string, not {value!r}; "
                              f"put it in quotes: {key} = \"{value}\"")
    return dict(table)


def _claim_path(path: Path, text: str, data: dict[str, Any]) -> str:
    """A path relative to the target file; it must exist, or the cross-check would silently not happen."""
    given = _optional_text(path, text, data, "conformance_claim")
    if not given:
        return ""
    claim = path.parent / given
    if not claim.is_file():
        raise ConfigError(f"{where(path, text, 'conformance_claim')}: no file at {display(claim)}. Give the path "
                          "of the supplier's OpenACR YAML file, relative to this target file.")
    return str(claim.resolve())


def _optional_text(path: Path, text: str, data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where(path, text, key)}: '{key}' must be text in quotes, not {value!r}.")
    return value.strip()


def _check_wording(path: Path, text: str, table: Any, name: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where(path, text, name.split('.')[-1])}: '{name}' must be a table of "
                          "\"the scenario's words\" = \"this product's words\", such as:\n"
                          f"[{name}]\n\"Postcode\" = \"Enter your postcode\"")
    for ours, theirs in table.items():
        if not isinstance(theirs, str) or not theirs.strip():
            raise ConfigError(f"{where(path, text, ours)}: in [{name}], '{ours}' must map to the "
                              f"product's own words as a non-empty string, not {theirs!r}.")
    return {ours: theirs.strip() for ours, theirs in table.items()}


def _check_origins(path: Path, text: str, origins: Any) -> tuple[str, ...]:
    if not isinstance(origins, list):
        raise ConfigError(f"{where(path, text, 'allowed_origins')}: 'allowed_origins' must be a list, "
                          "such as allowed_origins = [\"https://pay.example.com\"].")
    checked = []
    for origin in origins:
        parts = urlsplit(origin) if isinstance(origin, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc \
                or parts.path not in ("", "/") or parts.query:
            raise ConfigError(f"{where(path, text, 'allowed_origins')}: {origin!r} in 'allowed_origins' is "
                              "not an origin. Give the scheme and host only, such as "
                              "\"https://pay.example.com\".")
        _refuse_userinfo(where(path, text, "allowed_origins"), "allowed_origins", origin)
        checked.append(origin_of(origin))
    return tuple(checked)


def _check_credentials(path: Path, text: str, table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where(path, text, 'credentials')}: 'credentials' must be a table of "
                          "credential names and the environment variables that hold them, such as:\n"
                          "[credentials]\nusername = \"ACME_TEST_USER\"\npassword = \"ACME_TEST_PASSWORD\"")
    for name, variable in table.items():
        if not isinstance(variable, str) or not ENV_NAME.match(variable):
            # The bad value is not echoed: it may be the secret itself, and messages end up in CI logs.
            raise ConfigError(f"{where(path, text, name)}: credential '{name}' must name an environment "
                              "variable (letters, digits and _), such as \"ACME_TEST_PASSWORD\"; the value "
                              "given is not one. Never put the secret itself in a target file.")
    return dict(table)


def _check_test_card(path: Path, text: str, table: Any) -> Mapping[str, str]:
    if table is None:
        return DEFAULT_TEST_CARD
    if not isinstance(table, dict):
        raise ConfigError(f"{where(path, text, 'test_card')}: 'test_card' must be a table with "
                          f"{', '.join(TEST_CARD_FIELDS)}.")
    for key, value in table.items():
        if key not in TEST_CARD_FIELDS:
            raise ConfigError(unknown_value_message(where(path, text, key), "test_card field", key,
                                                    TEST_CARD_FIELDS))
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where(path, text, key)}: test_card field '{key}' must be a non-empty "
                              f"string, not {value!r}.")
    return MappingProxyType({**DEFAULT_TEST_CARD, **table})


def _check_base_url(path: Path, text: str, base_url: str) -> None:
    if base_url.startswith(DEMO_PLACEHOLDER):
        return
    _refuse_userinfo(where(path, text, "base_url"), "base_url", base_url)
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where(path, text, 'base_url')}: 'base_url' must be an http:// or https:// "
                          f"address such as \"https://waste.example.gov.uk/\", not {base_url!r}.")


def _refuse_userinfo(place: str, field_name: str, url: str) -> None:
    """No user name or password in an address: addresses go into every report, log and history.

    The message shows the address without them, never the secret itself.
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return
    bare = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    raise ConfigError(f"{place}: '{field_name}' holds a user name or password before '@'. Addresses are "
                      "written into every report, log and history, so the harness does not take secrets in "
                      f"them. Give the address without them, {bare!r}, and name the environment variables "
                      "that hold them in [credentials] (a scenario types them with journey.fill_credential):\n"
                      "[credentials]\nusername = \"ACME_TEST_USER\"\npassword = \"ACME_TEST_PASSWORD\"")


def _refuse_userinfo_in_entries(path: Path, text: str, table: Any) -> None:
    """Journey entries are checked for secrets first, so no later message can repeat one."""
    for journey_id, spec in table.items() if isinstance(table, dict) else ():
        entry = spec.get("entry") if isinstance(spec, dict) else None
        if isinstance(entry, str):
            line = next((n for n, row in enumerate(text.splitlines(), 1) if entry in row), None)
            place = f"{display(path)}, line {line}" if line else where(path, text, f"journeys.{journey_id}")
            _refuse_userinfo(place, f"journeys.{journey_id}.entry", entry.strip())


def _check_journeys(path: Path, text: str, table: Any, known: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{where(path, text, 'journeys')}: 'journeys' must list at least one journey, "
                          "for example:\n[journeys.garden-waste]\nentry = \"garden-waste/start\"")
    entries = {}
    for journey_id, spec in table.items():
        if journey_id not in known:
            raise ConfigError(unknown_value_message(
                where(path, text, f"journeys.{journey_id}"), "journey", journey_id, known))
        # Unknown keys first, so that a misspelt 'entry' gets a "Did you mean", not "needs an entry path".
        for key in spec if isinstance(spec, dict) else ():
            if key not in JOURNEY_FIELDS:
                raise ConfigError("\n".join(filter(None, [
                    f"{where(path, text, key)}: unknown field '{key}' in journeys.{journey_id}.",
                    did_you_mean(key, JOURNEY_FIELDS),
                    f"Valid fields: {', '.join(JOURNEY_FIELDS)}"])))
        if not isinstance(spec, dict) or not isinstance(spec.get("entry"), str):
            raise ConfigError(f"{where(path, text, f'journeys.{journey_id}')}: journey '{journey_id}' "
                              "needs an entry path, such as:\n"
                              f"[journeys.{journey_id}]\nentry = \"{journey_id}/start\"")
        entries[journey_id] = spec["entry"].strip()
    return entries


DEMO_STAND_IN = "http://demo.invalid"
"""Where a '{demo}' base_url's entries are resolved when the file is read, before the demo council starts."""


def entry_problem(url: str, base_url: str, allowed_origins: Iterable[str]) -> str:
    """Why a resolved entry address is not a page of the target ('' when it is one).

    A journey's first page is opened without a person's judgement, so it must be on the web (http or https,
    never file:, data: or javascript:) and on the target's own origin or one it allows.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"is not an http:// or https:// address (it resolves to {url!r})"
    allowed = {origin_of(base_url), *allowed_origins}
    if origin_of(url) not in allowed:
        return (f"leads to {origin_of(url)}, outside this target's origin {origin_of(base_url)}"
                f"{' and its allowed_origins' if len(allowed) > 1 else ''}")
    return ""


def _check_entries(path: Path, text: str, base_url: str, entries: Mapping[str, str],
                   allowed_origins: Iterable[str]) -> None:
    """Every entry resolves to a page on the target's origin (or an allowed one): checked before any browser."""
    base = DEMO_STAND_IN + base_url[len(DEMO_PLACEHOLDER):] if base_url.startswith(DEMO_PLACEHOLDER) else base_url
    base = base if base.endswith("/") else base + "/"
    for journey_id, entry in entries.items():
        shown = f"{_entry_where(path, text, journey_id)}: journey '{journey_id}' has entry {entry!r}"
        relative = f"Give a path relative to base_url, such as entry = \"{journey_id}/start\""
        # Browsers read '\\' as '/' in web addresses and drop tabs and newlines; Python's urljoin does
        # neither, so the two would disagree about which page the entry names ('/\\evil.example/' is
        # another site to a browser resolving it, a path here). Such an entry is a mistake: refuse it.
        if "\\" in entry or any(ord(c) < 32 or ord(c) == 127 for c in entry):
            raise ConfigError(f"{shown}, which holds a backslash or a control character: browsers read those "
                              f"as other characters, so the page opened would not be the one written. "
                              f"{relative}, with / between its parts.")
        url = urljoin(base, entry)
        problem = entry_problem(url, base, allowed_origins).replace(
            DEMO_STAND_IN, "{demo} (the bundled demo council)")
        if problem.startswith("is not"):
            raise ConfigError(f"{shown}, which {problem}. The harness opens only web pages of the target. "
                              f"{relative}.")
        if problem:
            raise ConfigError(f"{shown}, which {problem}. {relative}; if the journey really starts on "
                              f"{origin_of(url)}, add it to allowed_origins.")


def _entry_where(path: Path, text: str, journey_id: str) -> str:
    """The line of this journey's own 'entry' (where() alone finds the first journey's)."""
    header = re.search(rf"^[ \t]*\[[ \t]*journeys\.[\"']?{re.escape(journey_id)}[\"']?[ \t]*\]", text, re.MULTILINE)
    start = header.end() if header else 0
    found = re.compile(r"^[ \t]*[\"']?entry[\"']?[ \t]*=", re.MULTILINE).search(text, start)
    if not found:
        return where(path, text, f"journeys.{journey_id}")
    return f"{display(path)}, line {text.count(chr(10), 0, found.start()) + 1}"


def load_targets(directory: Path) -> dict[str, Target]:
    """Every target file in a folder, by id."""
    if not directory.is_dir():
        raise ConfigError(f"{display(directory)}: the targets folder does not exist.\n"
                          "Set --a11y-targets-dir to the folder that holds the target TOML files.")
    return {path.stem: load_target(path) for path in sorted(directory.glob("*.toml"))}


def select_targets(directory: Path, wanted: list[str]) -> list[Target]:
    """Targets asked for with --a11y-target (ids in the folder, or paths to TOML files); all when none."""
    if not wanted:
        targets = list(load_targets(directory).values())
        if not targets:
            raise ConfigError(f"{display(directory)}: no target files (*.toml) found.\n"
                              "Write one (see the README) or pass --a11y-target path/to/target.toml.")
        return targets
    chosen = []
    available = None
    for item in wanted:
        if item.endswith(".toml"):
            path = Path(item)
            if not path.is_file():
                raise ConfigError(f"--a11y-target: no such file {item!r}.")
            chosen.append(load_target(path))
            continue
        if available is None:
            available = load_targets(directory)
        if item not in available:
            raise ConfigError(unknown_value_message("--a11y-target", "target", item, available))
        chosen.append(available[item])
    return chosen
