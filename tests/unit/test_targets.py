"""Tests for harness/model/targets.py: bad target files stop the run with their exact message; good ones load."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.model import pinned_steps as pinned_steps_module
from harness.model import targets as targets_module
from harness.model.errors import ConfigError
from harness.model.targets import Target, known_journeys, load_target, load_targets, select_targets
from tests.unit.test_personas import config_error_sites, raise_site

REPO = Path(__file__).resolve().parents[2]
INVALID = REPO / "tests" / "data" / "targets" / "invalid"
CASES = sorted(path.stem for path in INVALID.glob("*.toml"))
REAL_TARGETS = REPO / "scenarios" / "targets"

GOOD = """\
name = "Millbrook waste services"
supplier = "Supplier C: Example Ltd"
version = "2.1"
base_url = "{base_url}"

[journeys.bin-day]
entry = "bin-day"

[journeys.garden-waste]
entry = "garden-waste/start"
"""


def write_target(folder: Path, stem: str, base_url: str = "https://waste.example.gov.uk/services/") -> Path:
    path = folder / f"{stem}.toml"
    path.write_text(GOOD.format(base_url=base_url), encoding="utf-8")
    return path


def test_there_is_a_case_file_and_an_expected_message_for_each_case() -> None:
    assert len(CASES) >= 12
    assert sorted(path.stem for path in INVALID.glob("*.txt")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_invalid_target_gives_its_exact_message(case: str, in_repo: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_target(Path("tests/data/targets/invalid") / f"{case}.toml")
    expected = (INVALID / f"{case}.txt").read_text(encoding="utf-8").removesuffix("\n")
    assert str(caught.value) == expected


def test_every_config_error_in_targets_is_tested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `raise ConfigError` in targets.py is reached by a case file or by a test below."""
    demo = write_target(tmp_path, "demo", base_url="{demo}/supplier-c/")
    empty = tmp_path / "empty"
    empty.mkdir()
    attempts = [lambda case=case: load_target(INVALID / f"{case}.toml") for case in CASES]
    attempts += [
        lambda: load_target(demo).entry_url("bin-day"),
        lambda: load_targets(tmp_path / "missing"),
        lambda: select_targets(empty, []),
        lambda: select_targets(empty, ["nowhere.toml"]),
        lambda: select_targets(REAL_TARGETS, ["supplier-z"]),
        lambda: with_credentials(tmp_path).credential("pasword"),
        lambda: with_credentials(tmp_path).credential("password"),
        lambda: made_in_code("file:///etc/passwd").entry_url("bin-day"),
    ]
    monkeypatch.delenv("ACME_TEST_PASSWORD", raising=False)
    reached = set()
    for attempt in attempts:
        with pytest.raises(ConfigError) as caught:
            attempt()
        reached.add(raise_site(caught.value))
    sites = config_error_sites(targets_module.__file__)
    assert len(sites) >= 14, "the ast scan should find the raise statements in targets.py"
    assert not sites - reached, f"raise ConfigError at these lines is not tested: {sorted(sites - reached)}"


def test_every_config_error_in_pinned_steps_has_a_case_file() -> None:
    reached = set()
    for case in CASES:
        with pytest.raises(ConfigError) as caught:
            load_target(INVALID / f"{case}.toml")
        reached.add(raise_site(caught.value))
    sites = config_error_sites(pinned_steps_module.__file__)
    assert len(sites) >= 8, "the ast scan should find the raise statements in pinned_steps.py"
    assert not sites - reached, f"raise ConfigError at these lines is not tested: {sorted(sites - reached)}"


def test_pinned_steps_are_read_per_journey_in_order(tmp_path: Path) -> None:
    path = write_target(tmp_path, "pinned")
    path.write_text(path.read_text() + '\n[[journeys.garden-waste.steps]]\nheading = "How many bins"\n'
                    'fill = { "Number of bins" = " 2" }\nchoose = "Brown bin"\n\n'
                    '[[journeys.garden-waste.steps]]\npath = "/survey"\nskip = true\n')
    path.write_text(path.read_text().replace('entry = "bin-day"', 'entry = "bin-day"\nskip = ["Cookies", "/x"]'))
    target = load_target(path)
    first, second = target.pinned_steps("garden-waste")
    assert [(p.heading, p.path, p.skip) for p in target.pinned_steps("bin-day")] == [
        ("Cookies", "", True), ("", "/x", True)]
    assert (first.heading, dict(first.fill), first.choose, first.acts) == (
        "How many bins", {"Number of bins": " 2"}, ("Brown bin",), True)
    assert (second.path, second.skip, second.acts) == ("/survey", True, True)
    assert first.matches("How many bins do you need?", "", "https://x.example/a")
    assert not first.matches("Your address", "How many bins", "https://x.example/a")  # the heading, not title
    assert second.matches("", "", "https://x.example/garden/survey?x=1")


def test_the_real_targets_load() -> None:
    targets = load_targets(REAL_TARGETS)
    assert set(targets) == {"supplier-a-careful", "supplier-b-legacy", "supplier-c-v1", "supplier-c-v2",
                            "supplier-d-online", "supplier-d-v0"}
    assert not any(targets["supplier-d-online"].wording.values()), "supplier D is walked without a wording map"
    assert targets["supplier-d-online"].data["postcode"] == "MB1 4QX"
    careful = targets["supplier-a-careful"]
    assert isinstance(careful, Target)
    assert careful.version == "1.0"
    assert careful.base_url == "{demo}/supplier-a/"
    assert careful.uses_demo and careful.test_environment
    assert dict(careful.journeys) == {"garden-waste": "garden-waste/start", "bin-day": "bin-day",
                                      "blue-badge": "blue-badge/start",
                                      "council-tax-reduction": "council-tax-reduction/start",
                                      "pay-an-amount": "pay/start"}
    assert careful.offers("bin-day") and not careful.offers("missed-bin")
    assert dict(targets["supplier-c-v2"].journeys) == {"pay-an-amount": "pay/start"}
    assert careful.source.endswith("supplier-a-careful.toml")
    assert targets["supplier-b-legacy"].supplier == "Supplier B: Legacy Systems plc"


def test_every_journey_a_real_target_offers_is_in_the_catalogue() -> None:
    catalogue = known_journeys()
    assert catalogue["bin-day"] == "Find your bin collection day"
    for target in load_targets(REAL_TARGETS).values():
        assert set(target.journeys) <= set(catalogue)


def test_entry_url_replaces_the_demo_placeholder() -> None:
    careful = load_targets(REAL_TARGETS)["supplier-a-careful"]
    assert careful.entry_url("garden-waste", "http://127.0.0.1:41827/") == \
        "http://127.0.0.1:41827/supplier-a/garden-waste/start"
    assert careful.entry_url("bin-day", "http://127.0.0.1:41827") == "http://127.0.0.1:41827/supplier-a/bin-day"


def test_entry_url_without_the_demo_server_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = load_target(write_target(tmp_path, "demo", base_url="{demo}/supplier-c/"))
    with pytest.raises(ConfigError) as caught:
        target.entry_url("bin-day")
    assert str(caught.value) == ("demo.toml: this target uses the bundled demo council, "
                                 "but the demo server was not started.")


def test_entry_url_of_a_real_site_is_relative_to_base_url(tmp_path: Path) -> None:
    target = load_target(write_target(tmp_path, "council", base_url="https://waste.example.gov.uk/services"))
    # A trailing slash is added, so the entry path is joined below the base, not beside it.
    assert target.base_url == "https://waste.example.gov.uk/services/"
    assert not target.uses_demo
    assert target.entry_url("garden-waste") == "https://waste.example.gov.uk/services/garden-waste/start"
    assert target.entry_url("bin-day", "http://127.0.0.1:1/") == "https://waste.example.gov.uk/services/bin-day"


def test_optional_fields_default(tmp_path: Path) -> None:
    target = load_target(write_target(tmp_path, "council"))
    assert (target.id, target.test_environment, target.description) == ("council", False, "")
    assert target.to_dict() == {
        "id": "council", "name": "Millbrook waste services", "supplier": "Supplier C: Example Ltd",
        "version": "2.1", "base_url": "https://waste.example.gov.uk/services/",
        "journeys": {"bin-day": "bin-day", "garden-waste": "garden-waste/start"},
        "test_environment": False, "description": "", "allowed_origins": [], "credentials": {},
        "wording": {"bin-day": {}, "garden-waste": {}}, "product": "council", "organisation": "", "contact": ""}
    assert dict(target.test_card) == {"number": "4444333322221111", "expiry": "12/30", "name": "Test Card",
                                      "security_code": "123"}


def with_credentials(tmp_path: Path) -> Target:
    path = tmp_path / "acme.toml"
    path.write_text('name = "Acme"\nsupplier = "Acme Ltd"\nversion = "1"\n'
                    'base_url = "https://acme.example/waste/"\nallowed_origins = ["https://PAY.example.com"]\n'
                    '[credentials]\nusername = "ACME_TEST_USER"\npassword = "ACME_TEST_PASSWORD"\n'
                    '[wording]\n"Postcode" = "Your postcode"\n"Continue" = "Next"\n'
                    '[journeys.bin-day]\nentry = "bins"\n'
                    '[journeys.garden-waste]\nentry = "garden/start"\n'
                    '[journeys.garden-waste.wording]\n"Continue" = "Save and continue"\n'
                    '[test_card]\nnumber = "4000000000000002"\n')
    return load_target(path)


def test_wording_maps_the_scenarios_words_to_the_products(tmp_path: Path) -> None:
    target = with_credentials(tmp_path)
    assert dict(target.words("bin-day")) == {"Postcode": "Your postcode", "Continue": "Next"}
    # A journey's own wording wins over the target-wide wording.
    assert dict(target.words("garden-waste")) == {"Postcode": "Your postcode", "Continue": "Save and continue"}
    assert dict(target.words("blue-badge")) == {}


def test_allowed_origins_add_to_the_base_urls(tmp_path: Path) -> None:
    target = with_credentials(tmp_path)
    assert target.origins() == {"https://acme.example", "https://pay.example.com"}
    demo = load_target(REAL_TARGETS / "supplier-a-careful.toml")
    assert demo.origins("http://127.0.0.1:5000") == {"http://127.0.0.1:5000"}


def test_test_card_fields_override_the_default(tmp_path: Path) -> None:
    assert with_credentials(tmp_path).test_card["number"] == "4000000000000002"
    assert with_credentials(tmp_path).test_card["expiry"] == "12/30"


def test_credentials_come_from_the_environment_and_never_from_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = with_credentials(tmp_path)
    monkeypatch.delenv("ACME_TEST_PASSWORD", raising=False)
    with pytest.raises(ConfigError) as caught:
        target.credential("password")
    assert str(caught.value) == (
        f"{target.source}: credential 'password' comes from the environment variable ACME_TEST_PASSWORD, "
        "which is not set.\nSet it before the run, for example: export ACME_TEST_PASSWORD='...'")
    monkeypatch.setenv("ACME_TEST_PASSWORD", "s3cret-value")
    assert target.credential("password") == "s3cret-value"
    assert "s3cret-value" not in repr(target.to_dict())
    assert target.to_dict()["credentials"] == {"username": "ACME_TEST_USER", "password": "ACME_TEST_PASSWORD"}


def test_load_target_uses_the_journeys_it_is_given(tmp_path: Path) -> None:
    path = write_target(tmp_path, "council")
    with pytest.raises(ConfigError, match=r"unknown journey 'bin-day'\.\nKnown journeys: garden-waste$"):
        load_target(path, {"garden-waste": "Subscribe to garden waste collection"})


def test_select_targets_gives_all_targets_when_none_are_asked_for() -> None:
    assert [t.id for t in select_targets(REAL_TARGETS, [])] == ["supplier-a-careful", "supplier-b-legacy",
                                                                "supplier-c-v1", "supplier-c-v2",
                                                                "supplier-d-online", "supplier-d-v0"]


def test_select_targets_by_id_keeps_the_order_asked_for() -> None:
    chosen = select_targets(REAL_TARGETS, ["supplier-b-legacy", "supplier-a-careful"])
    assert [t.id for t in chosen] == ["supplier-b-legacy", "supplier-a-careful"]


def test_select_targets_by_path_needs_no_folder(tmp_path: Path) -> None:
    path = write_target(tmp_path, "council")
    chosen = select_targets(tmp_path / "no-such-folder", [str(path)])
    assert [(t.id, t.name) for t in chosen] == [("council", "Millbrook waste services")]


def test_select_targets_mixes_ids_and_paths(tmp_path: Path) -> None:
    path = write_target(tmp_path, "council")
    chosen = select_targets(REAL_TARGETS, [str(path), "supplier-a-careful"])
    assert [t.id for t in chosen] == ["council", "supplier-a-careful"]


def test_select_targets_names_an_unknown_id() -> None:
    with pytest.raises(ConfigError) as caught:
        select_targets(REAL_TARGETS, ["supplier-a"])
    assert str(caught.value) == ("--a11y-target: unknown target 'supplier-a'.\n"
                                 "Did you mean 'supplier-a-careful'?\n"
                                 "Known targets: supplier-a-careful, supplier-b-legacy, supplier-c-v1, supplier-c-v2, "
                                 "supplier-d-online, supplier-d-v0")


def test_select_targets_names_a_missing_file() -> None:
    with pytest.raises(ConfigError) as caught:
        select_targets(REAL_TARGETS, ["scenarios/targets/supplier-c.toml"])
    assert str(caught.value) == "--a11y-target: no such file 'scenarios/targets/supplier-c.toml'."


def test_select_targets_refuses_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "targets").mkdir()
    with pytest.raises(ConfigError) as caught:
        select_targets(tmp_path / "targets", [])
    assert str(caught.value) == ("targets: no target files (*.toml) found.\n"
                                 "Write one (see the README) or pass --a11y-target path/to/target.toml.")


def test_load_targets_refuses_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_targets(tmp_path / "targets")
    assert str(caught.value) == ("targets: the targets folder does not exist.\n"
                                 "Set --a11y-targets-dir to the folder that holds the target TOML files.")


@pytest.mark.parametrize("case", ["userinfo-in-base-url", "userinfo-in-origin", "userinfo-in-entry"])
def test_an_address_with_a_password_is_refused_without_repeating_it(case: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_target(INVALID / f"{case}.toml")
    assert "hunter2" not in str(caught.value) and "qa-user" not in str(caught.value)
    assert "[credentials]" in str(caught.value)


def made_in_code(entry: str, allowed_origins: tuple[str, ...] = ()) -> Target:
    """A target built without a file, as a plugin or a test may: entry_url checks its entries too."""
    return Target(id="coded", name="Coded", supplier="S", version="1", base_url="https://waste.example.gov.uk/",
                  journeys={"bin-day": entry}, allowed_origins=allowed_origins, source="coded target")


@pytest.mark.parametrize("entry", ["file:///etc/passwd", "https://evil.example/bins", "//evil.example/",
                                   "javascript:alert(1)", "data:text/html,<h1>hi</h1>"])
def test_entry_url_never_leaves_the_targets_origins(entry: str) -> None:
    with pytest.raises(ConfigError) as caught:
        made_in_code(entry).entry_url("bin-day")
    assert str(caught.value).startswith(f"coded target: journey 'bin-day' has entry {entry!r}, which ")


def test_an_entry_may_start_on_an_allowed_origin_or_below_the_base(tmp_path: Path) -> None:
    assert made_in_code("https://pay.example.com/start", ("https://pay.example.com",)).entry_url("bin-day") == \
        "https://pay.example.com/start"
    assert made_in_code("/bins?x=1").entry_url("bin-day") == "https://waste.example.gov.uk/bins?x=1"
    path = tmp_path / "pay.toml"
    path.write_text('name = "P"\nsupplier = "S"\nversion = "1"\nbase_url = "{demo}/supplier-a/"\n'
                    'allowed_origins = ["https://pay.example.com"]\n'
                    '[journeys.pay-an-amount]\nentry = "https://pay.example.com/start"\n'
                    '[journeys.bin-day]\nentry = "../supplier-b/bins"\n')
    target = load_target(path)
    assert target.entry_url("pay-an-amount", "http://127.0.0.1:5000") == "https://pay.example.com/start"
    # The first journey starts on the payment provider: the service's own origin is still the target's.
    assert target.origins("http://127.0.0.1:5000") == {"http://127.0.0.1:5000", "https://pay.example.com"}
    assert target.entry_url("bin-day", "http://127.0.0.1:5000") == "http://127.0.0.1:5000/supplier-b/bins"
