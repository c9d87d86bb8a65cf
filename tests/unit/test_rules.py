"""The one registry of rule ids (harness/model/rules.py): every rule the harness names is in it, findings take
their help from it and from nowhere else, and a bad rules file stops the run with its exact message."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.model import rules as rules_module
from harness.model.errors import ConfigError
from harness.model.findings import Impact, Outcome
from harness.model.rules import EVERY_PERSONA, RULES, Rule, RuleKind, load_rules, placeholders

REPO = Path(__file__).resolve().parents[2]
HARNESS = REPO / "harness"
REGISTRY = HARNESS / "model" / "rules.py"
INVALID = REPO / "tests" / "data" / "rules" / "invalid"
CASES = sorted(path.stem for path in INVALID.glob("*.toml"))
OPTION_CALLS = {"addoption", "addini", "add_argument", "add_argument_group", "add_parser", "add_subparsers",
                "OptionSpec"}
"""Calls whose help= is a command-line option's help, not a finding's."""


def modules(root: Path = HARNESS) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        yield str(path.relative_to(root.parent)), ast.parse(path.read_text(encoding="utf-8"))


def _texts(node: ast.expr) -> list[str]:
    """The string constants of an expression: one, or those of a tuple, list or set."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [text for element in node.elts for text in _texts(element)]
    return []


def _written(node: ast.expr) -> bool:
    """Text written here: a string, an f-string, or one joined to or chosen from others."""
    if isinstance(node, ast.Constant | ast.JoinedStr):
        return isinstance(node, ast.JoinedStr) or isinstance(node.value, str)
    if isinstance(node, ast.BinOp):
        return _written(node.left) or _written(node.right)
    if isinstance(node, ast.BoolOp):
        return any(_written(value) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _written(node.body) or _written(node.orelse)
    return False


def _registry_lookup(node: ast.AST) -> str | None:
    """'x' for RULES["x"]."""
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "RULES"
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
        return node.slice.value
    return None


def rule_ids_named(root: Path = HARNESS) -> dict[str, str]:
    """Every rule id the harness's code names, with one place that names it.

    RULES["x"], rule_id="x" in any call, x.rule_id == "y" (or `in` a tuple of them), and the checks registered by
    @persona_check (the function's name in kebab-case).
    """
    named: dict[str, str] = {}
    for where, tree in modules(root):
        for node in ast.walk(tree):
            found: list[str] = []
            if (rule_id := _registry_lookup(node)) is not None:
                found.append(rule_id)
            elif isinstance(node, ast.Call):
                found += [text for kw in node.keywords if kw.arg == "rule_id" for text in _texts(kw.value)]
            elif isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(side, ast.Attribute) and side.attr == "rule_id" for side in sides):
                    found += [text for side in sides for text in _texts(side)]
            elif isinstance(node, ast.FunctionDef) and any(
                    getattr(d, "id", "") == "persona_check" for d in node.decorator_list):
                found.append(node.name.replace("_", "-"))
            for rule_id in found:
                named.setdefault(rule_id, f"{where}:{getattr(node, 'lineno', 0)}")
    return named


def inline_help(root: Path = HARNESS) -> list[str]:
    """Places outside the registry that write a finding's help, help_url or help cases as text of their own,
    and Finding(...) calls outside the registry that are not axe-core's (whose help comes with its results)."""
    places = []
    for where, tree in modules(root):
        if where == str(REGISTRY.relative_to(REPO)):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in OPTION_CALLS:
                continue
            words = {kw.arg: kw.value for kw in node.keywords}
            for key in ("help", "help_url", "help_when"):
                value = words.get(key)
                if value is not None and _written(value):
                    places.append(f"{where}:{node.lineno} {name}({key}=...)")
            if name == "Finding" and not (isinstance(words.get("source"), ast.Constant)
                                          and words["source"].value == "axe"):
                places.append(f"{where}:{node.lineno} Finding(...)")
    return places


def test_every_rule_id_the_harness_names_is_registered() -> None:
    named = rule_ids_named()
    assert len(named) >= 40 and {"control-has-role", "keyboard-reachable", "focus-visible", "axe-scan-failed",
                                 "unexpected-dialog", "payment-refused"} <= set(named)
    unknown = {rule_id: where for rule_id, where in named.items() if rule_id not in RULES}
    assert not unknown, f"Add these to harness/model/rules.toml: {unknown}"


def test_no_module_outside_the_registry_writes_help_text() -> None:
    assert inline_help() == []


def test_the_source_scans_would_catch_an_unregistered_rule_and_inline_help(tmp_path: Path) -> None:
    """The two tests above can fail: a module that builds a finding the old way is caught twice."""
    (tmp_path / "harness").mkdir()
    (tmp_path / "harness" / "old_way.py").write_text(
        "from harness.model.findings import Finding, Impact, Outcome\n"
        "from harness.model.rules import RULES\n"
        "def stuck(url: str) -> Finding:\n"
        "    return Finding(outcome=Outcome.ERROR, impact=Impact.CRITICAL, rule_id='page-stuck',\n"
        "                   source='harness', message='Stuck.', help=f'Unstick {url}.', help_url='')\n"
        "def frozen() -> Finding:\n"
        "    return RULES['page-frozen'].finding('Frozen.')\n"
        "def seen(finding: Finding) -> bool:\n"
        "    return finding.rule_id in ('page-thawed', 'page-crashed')\n", encoding="utf-8")
    root = tmp_path / "harness"
    assert {rule_id for rule_id in rule_ids_named(root) if rule_id not in RULES} == {
        "page-stuck", "page-frozen", "page-thawed"}
    assert inline_help(root) == ["harness/old_way.py:4 Finding(help=...)", "harness/old_way.py:4 Finding(help_url=...)",
                                 "harness/old_way.py:4 Finding(...)"]


def test_help_cases_and_values_named_in_the_code_exist() -> None:
    """RULES["x"].finding(..., when="case", help_values={...}): the case is the rule's, the values its names."""
    for where, tree in modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "finding" and (rule_id := _registry_lookup(node.func.value))):
                continue
            rule = RULES[rule_id]
            words = {kw.arg: kw.value for kw in node.keywords}
            cases = _texts(words["when"]) if "when" in words else []
            assert all(case in rule.help_when for case in cases), f"{where}:{node.lineno}: {cases}"
            values = words.get("help_values")
            names = {key.value for key in values.keys if isinstance(key, ast.Constant)} \
                if isinstance(values, ast.Dict) else set()
            assert names == placeholders(rule.help), f"{where}:{node.lineno}: {rule_id} needs {placeholders(rule.help)}"


def test_keyboard_reachable_is_described_once() -> None:
    """It was described twice, with two different helps: the behaviour's finding and the probe catalogue's."""
    rule = RULES["keyboard-reachable"]
    assert (rule.kind, rule.criteria, rule.impact) == (RuleKind.PROBE, ("2.1.1",), Impact.CRITICAL)
    assert rule.help.startswith("Use a real <button> or <a href> element")


def test_a_finding_takes_its_rule_s_metadata() -> None:
    finding = RULES["extra-zero"].finding("Typed £520.00.", page_url="https://example.test/pay", blocker=True)
    rule = RULES["extra-zero"]
    assert (finding.rule_id, finding.source, finding.outcome, finding.impact, finding.criteria, finding.help,
            finding.help_url, finding.blocker, finding.extra) == (
        "extra-zero", "harness", Outcome.VIOLATION, Impact.CRITICAL, ("3.3.4",), rule.help, rule.help_url, True,
        {"council_check": True})
    review = RULES["extra-zero"].finding("Shown, no Change link.", outcome=Outcome.NEEDS_REVIEW)
    assert review.outcome is Outcome.NEEDS_REVIEW
    assert RULES["page-unresponsive"].finding("Stuck.").outcome is Outcome.ERROR
    assert RULES["axe-results-cut"].finding("Cut.", criteria=["1.4.3"]).criteria == ("1.4.3",)


def test_help_cases_and_values_fill_the_help() -> None:
    crashed = RULES["axe-scan-failed"].finding("Could not scan.", when="crashed")
    assert crashed.help == RULES["axe-scan-failed"].help_when["crashed"] != RULES["axe-scan-failed"].help
    refused = RULES["payment-refused"].finding("Will not pay.", help_values={"target_file": "targets/live.toml"})
    assert "set test_environment = true in targets/live.toml; never run" in refused.help
    with pytest.raises(KeyError, match="its help needs values for \\['target_file'\\], not \\[\\]"):
        RULES["payment-refused"].finding("Will not pay.")
    with pytest.raises(KeyError, match="unknown help case 'exploded'"):
        RULES["axe-scan-failed"].finding("Could not scan.", when="exploded")


def test_every_persona_is_the_registry_s_and_keeps_its_order() -> None:
    assert EVERY_PERSONA == ("placeholder-label", "autocomplete-purpose", "statement-link", "time-limit",
                             "page-title-distinct")
    assert all(RULES[rule_id].selectable for rule_id in EVERY_PERSONA)


def test_the_kinds_split_the_rules() -> None:
    kinds = {kind: {rule_id for rule_id, rule in RULES.items() if rule.kind is kind} for kind in RuleKind}
    assert len(kinds[RuleKind.CHECK]) >= 25 and len(kinds[RuleKind.PROBE]) >= 7
    assert {"journey-blocked", "control-has-role", "page-load-timeout", "new-window-opened"} <= kinds[RuleKind.HARNESS]
    assert all(isinstance(rule, Rule) and rule.summary and rule.help for rule in RULES.values())


# -- the rules file: each mistake has its exact message -------------------------------------------------------

def test_there_is_an_expected_message_for_each_case() -> None:
    assert len(CASES) >= 12
    assert sorted(path.stem for path in INVALID.glob("*.txt")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_a_bad_rules_file_gives_its_exact_message(case: str, in_repo: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_rules(Path("tests/data/rules/invalid") / f"{case}.toml")
    assert str(caught.value) == (INVALID / f"{case}.txt").read_text(encoding="utf-8").removesuffix("\n")


def test_every_config_error_of_the_loader_is_reached_by_a_case(in_repo: Path) -> None:
    tree = ast.parse(Path(rules_module.__file__).read_text(encoding="utf-8"))
    sites = {node.lineno for node in ast.walk(tree)
             if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
             and getattr(node.exc.func, "id", "") == "ConfigError"}
    reached = set()
    for case in CASES:
        with pytest.raises(ConfigError) as caught:
            load_rules(INVALID / f"{case}.toml")
        tb = caught.value.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == rules_module.__file__:
                line = tb.tb_lineno
            tb = tb.tb_next
        reached.add(line)
    assert sites <= reached, f"raise ConfigError lines no case reaches: {sorted(sites - reached)}"


def test_an_upload_with_no_route_the_walker_could_name_does_not_quote_an_empty_one() -> None:
    from harness.browser.checks.probes import no_upload_alternative

    unnamed = no_upload_alternative("Pat", "Choose a photo", "", "the photo page", "https://x.example/photo")
    named = no_upload_alternative("Pat", "Choose a photo", "Send it by post", "the photo page", "https://x.example/p")
    assert "''" not in unnamed.message and "such as sending it by post or an appointment" in unnamed.message
    assert "such as 'Send it by post', post or an appointment" in named.message
