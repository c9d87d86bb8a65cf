"""OpenACR (GSA's machine-readable ACR, YAML): export our conformance table, and check a supplier's claims.

Format: https://github.com/GSA/openacr (schema/openacr-0.1.0.json; catalog 2.5-edition-wcag-2.2-508-eu-en for
the chapter ids, the criteria and the EN 301 549 chapter 4 rows; catalog/data/terms.yaml for the level keys).
The cross-check is the procurement view of reference.md 5.3: a row where the supplier says "supports" and a
persona met a violation is worth a question before the contract is signed. The command is
`python -m harness.cli.openacr` (harness/cli/openacr.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.model.barriers import Barrier
from harness.model.errors import HarnessError, did_you_mean
from harness.model.untrusted import json_text, shown_deep
from harness.model.wcag import CRITERIA
from harness.reports.conformance import (
    DOES_NOT_SUPPORT,
    NEEDS_MANUAL,
    NOT_APPLICABLE,
    NOT_EVALUATED_BY_RUN,
    PARTIALLY_SUPPORTS,
    SUPPORTS,
    ConformanceTable,
    conformance_table,
)
from harness.reports.earl import earl_document
from harness.reports.run_view import RunView

CATALOG = "2.5-edition-wcag-2.2-508-eu-en"
LEVEL_KEYS = {SUPPORTS: "supports", PARTIALLY_SUPPORTS: "partially-supports",
              DOES_NOT_SUPPORT: "does-not-support", NOT_APPLICABLE: "not-applicable",
              NEEDS_MANUAL: "not-evaluated", NOT_EVALUATED_BY_RUN: "not-evaluated"}
"""Our level words to OpenACR's term ids; both of our "not evaluated" levels map to the one OpenACR term."""
TERMS = ("supports", "partially-supports", "does-not-support", "not-applicable", "not-evaluated")
WCAG_CHAPTERS = {"A": "success_criteria_level_a", "AA": "success_criteria_level_aa"}
CLAIM_CHAPTERS = ("success_criteria_level_a", "success_criteria_level_aa", "success_criteria_level_aaa")
FPS_CHAPTER = "en_301_549_functional_performance"
NEEDS_MANUAL_NOTE = ("Needs manual evaluation: automated testing could not settle this Level A/AA criterion. "
                     "OpenACR's not-evaluated term is used for it, a deviation from the ITI terms, which allow "
                     "Not Evaluated only for Level AAA (see the report notes).")
OVER_CLAIMS = ("supports", "not-applicable")
"""Claimed levels a recorded violation contradicts."""


class ClaimFileError(HarnessError):
    """A supplier's OpenACR file cannot be read as claims; the message names the file and the field."""


@dataclass
class ClaimConflict:
    """A criterion the supplier claims but where this run recorded violations."""

    criterion: str
    claimed: str
    """OpenACR term id, e.g. 'supports'."""
    ours: str
    """Our level, e.g. 'Does Not Support'."""
    barriers: list[Barrier] = field(default_factory=list)

    @property
    def title(self) -> str:
        criterion = CRITERIA.get(self.criterion)
        return f"{self.criterion} {criterion.title}" if criterion else self.criterion


def _email(text: str) -> str:
    match = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", text)
    return match.group(0) if match else ""


def _notes(remarks: list[str]) -> str:
    return "\n\n".join(remarks)


def openacr_document(table: ConformanceTable, view: RunView) -> dict[str, Any]:
    """The table as an OpenACR document (a dict ready for dump_openacr)."""
    target = view.target(table.target)
    organisation = target.organisation or "Council accessibility harness"
    contact = target.contact
    started = (view.record.started or "")[:10]
    chapters: dict[str, Any] = {}
    for wcag_level, chapter in WCAG_CHAPTERS.items():
        criteria = []
        for row in table.rows_at(wcag_level):
            remarks = ([NEEDS_MANUAL_NOTE] if row.level == NEEDS_MANUAL else []) + row.remarks
            criteria.append({"num": row.criterion, "components": [
                {"name": "web", "adherence": {"level": LEVEL_KEYS[row.level], "notes": _notes(remarks)}}]})
        chapters[chapter] = {"criteria": criteria}
    chapters[FPS_CHAPTER] = {
        "notes": "Answered from whether the personas who rely on each way of using the service completed "
                 "every journey they walked. Other clauses of chapter 4 need manual evaluation.",
        "criteria": [{"num": row.clause, "components": [
            {"name": "none", "adherence": {"level": LEVEL_KEYS[row.level], "notes": _notes(row.remarks)}}]}
            for row in table.fps]}
    product = {"name": table.name, "version": table.version}
    if target.description:
        product["description"] = target.description
    return {
        "title": f"{table.name} Accessibility Conformance Report (draft from automated testing)",
        "product": product,
        "author": {"name": organisation, "company_name": organisation, "email": _email(contact)},
        "vendor": {"company_name": table.supplier, "email": ""},
        "report_date": started,
        "version": 1,
        "notes": "\n\n".join(table.notes),
        "evaluation_methods_used": next((n for n in table.notes if n.startswith("Method:")), ""),
        "legal_disclaimer": "Generated by the council's accessibility harness from automated testing of "
                            f"run {view.record.run_id or ''}. It is not the supplier's claim and not a complete "
                            "evaluation: criteria marked not-evaluated need a person to evaluate them.",
        "catalog": CATALOG,
        "chapters": chapters,
    }


def dump_openacr(doc: dict[str, Any]) -> str:
    """YAML in the document's own key order, as OpenACR files are written by hand."""
    # safe_dump quotes page text so it cannot change the document's structure; shown_deep writes controls and
    # bidi overrides as visible codes, which YAML would otherwise keep raw for whoever opens the file.
    return str(yaml.safe_dump(shown_deep(doc), sort_keys=False, allow_unicode=True, width=100))


def load_claims(path: Path) -> dict[str, str]:
    """A supplier's OpenACR file as {criterion id: OpenACR term id} for its WCAG rows (the 'web' component)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClaimFileError(f"{path}: cannot read the claim file ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        raise ClaimFileError(f"{path}: this is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), dict):
        raise ClaimFileError(f"{path}: no 'chapters' mapping at the top level. An OpenACR file has chapters such "
                             "as 'success_criteria_level_a' with a list of 'criteria' "
                             "(https://github.com/GSA/openacr).")
    claims: dict[str, str] = {}
    for chapter_id in CLAIM_CHAPTERS:
        chapter = data["chapters"].get(chapter_id)
        if chapter is None:
            continue
        where = f"{path}: chapters.{chapter_id}"
        criteria = chapter.get("criteria", []) if isinstance(chapter, dict) else None
        if not isinstance(criteria, list):
            raise ClaimFileError(f"{where}.criteria: expected a list of criteria, each with 'num' and 'components'.")
        for index, item in enumerate(criteria):
            here = f"{where}.criteria[{index}]"
            if not isinstance(item, dict) or "num" not in item:
                raise ClaimFileError(f"{here}: a criterion needs 'num' (for example num: 1.4.3).")
            num = str(item["num"])
            if num not in CRITERIA and num != "4.1.1" and chapter_id != "success_criteria_level_aaa":
                hint = did_you_mean(num, CRITERIA)
                raise ClaimFileError(f"{here}.num: {num!r} is not a WCAG 2.2 criterion. {hint}".rstrip())
            level = _claimed_level(here, item.get("components"))
            if level:
                claims[num] = level
    return claims


def _claimed_level(where: str, components: object) -> str:
    """The web component's level (or the only component's), checked against the OpenACR terms."""
    if components is None:
        return ""
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise ClaimFileError(f"{where}.components: expected a list like [{{name: web, adherence: {{level: "
                             "supports}}].")
    chosen = next((c for c in components if c.get("name") == "web"), components[0] if components else None)
    if chosen is None:
        return ""
    index = components.index(chosen)
    adherence = chosen.get("adherence")
    if adherence is None:
        return ""
    level = adherence.get("level") if isinstance(adherence, dict) else None
    if level not in TERMS:
        hint = did_you_mean(str(level), TERMS)
        raise ClaimFileError(f"{where}.components[{index}].adherence.level: {level!r} is not an OpenACR level. "
                             f"{hint + ' ' if hint else ''}Valid levels: {', '.join(TERMS)}.")
    return str(level)


def cross_check(claims: dict[str, str], table: ConformanceTable) -> list[ClaimConflict]:
    """Criteria the supplier says are met (or not applicable) where this run recorded violations."""
    conflicts = []
    for row in table.rows:
        claimed = claims.get(row.criterion)
        if claimed in OVER_CLAIMS and row.barriers:
            conflicts.append(ClaimConflict(criterion=row.criterion, claimed=str(claimed), ours=row.level,
                                           barriers=row.barriers))
    return conflicts


def claim_conflicts_of(view: RunView, target_id: str) -> list[ClaimConflict] | None:
    """Conflicts with the claim file the plugin copied to <run>/claims/<target>.yaml; None when there is none."""
    path = view.run_dir / "claims" / f"{target_id}.yaml"
    if not path.is_file():
        return None
    return cross_check(load_claims(path), conformance_table(view, target_id))


def render_conformance_files(view: RunView) -> dict[str, str]:
    """{'acr-<target>.yaml': OpenACR for each target walked, 'earl.jsonld': every target's EARL}."""
    files = {}
    for target in sorted(view.targets_walked):
        files[f"acr-{target}.yaml"] = dump_openacr(openacr_document(conformance_table(view, target), view))
    files["earl.jsonld"] = json_text(earl_document(view)) + "\n"
    return files
