"""OpenACR export, a supplier's claims read with clear errors, and the cross-check against what personas met."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from harness.cli.openacr import main
from harness.model.wcag import CRITERIA
from harness.reports.conformance import NEEDS_MANUAL, SUPPORTS, conformance_table
from harness.reports.openacr import (
    CATALOG,
    FPS_CHAPTER,
    TERMS,
    ClaimFileError,
    claim_conflicts_of,
    cross_check,
    dump_openacr,
    load_claims,
    openacr_document,
    render_conformance_files,
)
from harness.reports.run_view import RunView

REPO = Path(__file__).resolve().parents[2]
RUN_DIR = REPO / "tests" / "data" / "results" / "conformance" / "run"
DEMO_CLAIM = REPO / "scenarios" / "targets" / "supplier-b-legacy.acr.yaml"


def test_export_follows_the_openacr_shape_with_every_row() -> None:
    run = RunView.read(RUN_DIR)
    table = conformance_table(run, "good")
    doc = openacr_document(table, run)
    assert doc["catalog"] == CATALOG
    assert doc["product"] == {"name": "Good service", "version": "2.0"}
    assert doc["author"]["email"] == "accessibility@millbrook.example"
    assert doc["report_date"] == "2026-11-26"
    chapters = doc["chapters"]
    assert list(chapters) == ["success_criteria_level_a", "success_criteria_level_aa", FPS_CHAPTER]
    a_nums = [c["num"] for c in chapters["success_criteria_level_a"]["criteria"]]
    aa_nums = [c["num"] for c in chapters["success_criteria_level_aa"]["criteria"]]
    assert "4.1.1" in a_nums and "1.4.3" in aa_nums and "3.1.5" not in a_nums + aa_nums
    assert len(a_nums) + len(aa_nums) == len(table.rows)
    for chapter in chapters.values():
        for criterion in chapter["criteria"]:
            adherence = criterion["components"][0]["adherence"]
            assert adherence["level"] in TERMS
            # The OpenACR validator requires notes for supports and partially-supports.
            assert adherence["notes"], criterion["num"]
    fps = chapters[FPS_CHAPTER]["criteria"]
    assert [c["num"] for c in fps] == ["4.2.1", "4.2.2", "4.2.7", "4.2.10"]
    assert fps[0]["components"][0]["name"] == "none"


def test_needs_manual_evaluation_is_exported_as_not_evaluated_with_the_deviation_noted() -> None:
    run = RunView.read(RUN_DIR)
    table = conformance_table(run, "good")
    assert table.row("1.3.3").level == NEEDS_MANUAL
    doc = openacr_document(table, run)
    row = next(c for c in doc["chapters"]["success_criteria_level_a"]["criteria"] if c["num"] == "1.3.3")
    adherence = row["components"][0]["adherence"]
    assert adherence["level"] == "not-evaluated"
    assert "deviation from the ITI terms" in adherence["notes"]


def test_dumped_yaml_reads_back_as_our_levels(tmp_path: Path) -> None:
    run = RunView.read(RUN_DIR)
    table = conformance_table(run, "bad")
    text = dump_openacr(openacr_document(table, run))
    assert yaml.safe_load(text)["chapters"]["success_criteria_level_a"]["criteria"][0]["num"] == "1.1.1"
    claims = load_claims(write(tmp_path, text))
    assert claims["2.1.1"] == "does-not-support"
    assert claims["1.4.3"] == "partially-supports"
    assert claims["4.1.1"] == "supports"
    assert len(claims) == len(table.rows)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claim.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CLAIM = """title: X
chapters:
  success_criteria_level_a:
    criteria:
      - num: 1.1.1
        components:
          - name: authoring-tool
            adherence: {level: does-not-support}
          - name: web
            adherence: {level: %s, notes: Fine.}
"""


def test_claims_take_the_web_component(tmp_path: Path) -> None:
    assert load_claims(write(tmp_path, CLAIM % "supports")) == {"1.1.1": "supports"}


def test_a_misspelt_level_names_file_field_and_the_likely_level(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIM % "suports")
    with pytest.raises(ClaimFileError) as error:
        load_claims(path)
    assert str(error.value) == (
        f"{path}: chapters.success_criteria_level_a.criteria[0].components[1].adherence.level: 'suports' is not "
        "an OpenACR level. Did you mean 'supports'? Valid levels: supports, partially-supports, "
        "does-not-support, not-applicable, not-evaluated.")


@pytest.mark.parametrize(("text", "message"), [
    ("title: [unclosed", "this is not valid YAML"),
    ("title: X\n", "no 'chapters' mapping at the top level"),
    ("chapters:\n  success_criteria_level_a:\n    criteria: {num: 1.1.1}\n",
     "chapters.success_criteria_level_a.criteria: expected a list"),
    ("chapters:\n  success_criteria_level_a:\n    criteria:\n      - components: []\n",
     "chapters.success_criteria_level_a.criteria[0]: a criterion needs 'num'"),
    ("chapters:\n  success_criteria_level_aa:\n    criteria:\n      - num: 1.4.30\n",
     "chapters.success_criteria_level_aa.criteria[0].num: '1.4.30' is not a WCAG 2.2 criterion"),
    ("chapters:\n  success_criteria_level_a:\n    criteria:\n      - num: 1.1.1\n        components: web\n",
     "criteria[0].components: expected a list"),
])
def test_malformed_claim_files_say_where(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ClaimFileError, match=re.escape(message)) as error:
        load_claims(path)
    assert str(error.value).startswith(str(path))


def test_missing_claim_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ClaimFileError, match="nope.yaml: cannot read the claim file"):
        load_claims(tmp_path / "nope.yaml")


def test_cross_check_flags_supports_and_not_applicable_claims_over_violations() -> None:
    run = RunView.read(RUN_DIR)
    table = conformance_table(run, "bad")
    claims = {"1.4.3": "supports", "2.1.1": "not-applicable", "4.1.2": "partially-supports",
              "1.1.1": "supports", "3.1.1": "does-not-support"}
    conflicts = cross_check(claims, table)
    assert [(c.criterion, c.claimed, c.ours) for c in conflicts] == [
        ("1.4.3", "supports", "Partially Supports"), ("2.1.1", "not-applicable", "Does Not Support")]
    assert conflicts[1].barriers[0].rule_id == "keyboard-reachable"
    assert conflicts[0].title == "1.4.3 Contrast (Minimum)"
    # The same claims against the clean target: nothing to contradict.
    assert cross_check(claims, conformance_table(run, "good")) == []


def test_demo_claim_over_claims_most_criteria() -> None:
    claims = load_claims(DEMO_CLAIM)
    assert set(claims) == {cid for cid, c in CRITERIA.items() if c.level in ("A", "AA")} | {"4.1.1"}
    assert sum(level == "supports" for level in claims.values()) >= 40


def test_claim_conflicts_read_the_claim_copied_into_the_run(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    shutil.copytree(RUN_DIR, run_dir)
    assert claim_conflicts_of(RunView.read(run_dir), "bad") is None
    (run_dir / "claims").mkdir()
    shutil.copy(DEMO_CLAIM, run_dir / "claims" / "bad.yaml")
    conflicts = claim_conflicts_of(RunView.read(run_dir), "bad")
    assert conflicts is not None
    assert {c.criterion for c in conflicts} == {"1.4.3", "2.1.1", "4.1.2"}


def test_check_command_lists_conflicts_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO_CLAIM), str(RUN_DIR), "--target", "bad"]) == 1
    out = capsys.readouterr().out
    assert "3 claim(s)" in out
    assert "2.1.1 Keyboard: supplier claims 'supports', this run found Does Not Support" in out
    assert main(["check", str(DEMO_CLAIM), str(RUN_DIR), "--target", "good"]) == 0
    assert "No conflicts" in capsys.readouterr().out


def test_commands_name_an_unknown_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEMO_CLAIM), str(RUN_DIR), "--target", "goo"]) == 2
    assert "target 'goo' is not in this run; targets in the run: bad, good" in capsys.readouterr().err


def test_export_command_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "acr.yaml"
    assert main(["export", str(RUN_DIR), "--target", "good", "-o", str(out)]) == 0
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    levels = {c["num"]: c["components"][0]["adherence"]["level"]
              for c in doc["chapters"]["success_criteria_level_aa"]["criteria"]}
    assert levels["1.4.3"] == "supports"
    assert conformance_table(RunView.read(RUN_DIR), "good").row("1.4.3").level == SUPPORTS


def test_render_files_hold_one_acr_per_target_and_the_earl() -> None:
    files = render_conformance_files(RunView.read(RUN_DIR))
    assert sorted(files) == ["acr-bad.yaml", "acr-good.yaml", "earl.jsonld"]
    assert yaml.safe_load(files["acr-bad.yaml"])["product"]["name"] == "Bad service"
