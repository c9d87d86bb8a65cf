"""An implementation report of the harness's own checks against the W3C ACT rules' test cases.

For each ACT rule that one of our checks implements (benchmarks/act_rules.toml), scan mode runs the rule's
examples (`scenarios/test_site_scan.py --a11y-scan-urls FILE --a11y-persona P --a11y-scan-checks IDS`, one run
per persona) from a local HTTP server over the corpus, then the run's results are read back and judged as
axe-core, Alfa and QualWeb publish theirs: failed examples caught, passed and inapplicable examples flagged as a
violation (a false violation), and what was left to a person (needs review). axe-core's findings on the same
pages are judged the same way, for the axe rules mapped to the same ACT rule (axe-core's own `actIds`).

    .venv/bin/python benchmarks/act_report.py                          # every mapped rule, all examples
    .venv/bin/python benchmarks/act_report.py --rules 80af7b,oj04fd    # some rules
    .venv/bin/python benchmarks/act_report.py --sample 2 --json act.json
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: the harness is importable from the checkout
    sys.path.insert(0, str(REPO))

from harness.model.findings import Finding, Outcome
from harness.model.records import StepRecord, WalkRecord
from harness.model.results import read_records

CORPUS = Path("/work/shared/corpora/act")
MAPPING = Path(__file__).with_name("act_rules.toml")
SCAN = REPO / "scenarios" / "test_site_scan.py"
RUN_TIMEOUT_S = 3600
EXPECTED = ("failed", "passed", "inapplicable")


@dataclass(frozen=True)
class Case:
    rule: str
    expected: str
    n: int
    path: str

    @property
    def label(self) -> str:
        return f"{self.expected}-{self.n}"


@dataclass
class CaseResult:
    """What our checks and axe-core said on one example page."""

    case: Case
    own: list[str] = field(default_factory=list)
    """Outcomes of our mapped checks' findings: 'violation', 'needs-review', 'error'."""
    axe: list[str] = field(default_factory=list)
    harness: list[str] = field(default_factory=list)
    """The harness's own findings that say the page was not (wholly) tested: rule ids."""
    ending: str = ""
    ran: bool = False

    @property
    def own_violation(self) -> bool:
        return Outcome.VIOLATION.value in self.own

    @property
    def own_review(self) -> bool:
        return not self.own_violation and Outcome.NEEDS_REVIEW.value in self.own

    @property
    def own_error(self) -> bool:
        return Outcome.ERROR.value in self.own or bool(self.harness) or not self.ran

    @property
    def axe_violation(self) -> bool:
        return Outcome.VIOLATION.value in self.axe

    @property
    def axe_review(self) -> bool:
        return not self.axe_violation and Outcome.NEEDS_REVIEW.value in self.axe


@dataclass
class RuleRow:
    rule: str
    name: str
    checks: tuple[str, ...]
    axe_rules: tuple[str, ...]
    failed: int = 0
    caught: int = 0
    failed_review: int = 0
    others: int = 0
    flagged: int = 0
    others_review: int = 0
    errors: int = 0
    axe_caught: int = 0
    axe_flagged: int = 0
    cases: list[dict[str, Any]] = field(default_factory=list)


# -- the mapping and the corpus ------------------------------------------------------------------------------


def load_mapping(path: Path = MAPPING) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return dict(data["rules"]), {key: list(value) for key, value in data.get("axe", {}).items()}


def load_cases(corpus: Path, rules: Sequence[str], sample: int | None) -> list[Case]:
    """The examples of these rules; with a sample, the first N of each expected outcome of each rule."""
    cases = [Case(rule=c["rule"], expected=c["expected"], n=int(c["n"]), path=c["path"])
             for c in json.loads((corpus / "cases.json").read_text(encoding="utf-8")) if c["rule"] in rules]
    if sample is None:
        return cases
    kept: list[Case] = []
    for rule in rules:
        for expected in EXPECTED:
            kept += [c for c in cases if c.rule == rule and c.expected == expected][:sample]
    return kept


AXE_ACT_IDS = re.compile(r'\{id:"([a-z0-9-]+)",[^{}]*?actIds:\[([^\]]*)\]')


def axe_act_map(fallback: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """ACT id -> axe-core rule ids, from the actIds in axe-core's own rule metadata (the fallback without them)."""
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        AXE_SCRIPT = ""
    mapping: dict[str, set[str]] = {}
    for axe_rule, ids in AXE_ACT_IDS.findall(AXE_SCRIPT):
        for act_id in re.findall(r'"([a-z0-9]+)"', ids):
            mapping.setdefault(act_id, set()).add(axe_rule)
    if not mapping:
        mapping = {act_id: set(rules) for act_id, rules in fallback.items()}
    return mapping


# -- serving and scanning ------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """The corpus as a web root on a free local port; yields its base address."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def scan(urls: Sequence[str], persona: str, checks: Sequence[str], out: Path, workers: int) -> Path:
    """Scan mode over these pages as this persona with these checks; returns the run folder."""
    out.mkdir(parents=True, exist_ok=True)
    url_file = out / "pages.txt"
    url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "pytest", str(SCAN), "--a11y-scan-urls", str(url_file),
               "--a11y-persona", persona, "--a11y-scan-checks", ",".join(checks),
               "--a11y-report-dir", str(out), "--a11y-history", "none", "--a11y-fail-on", "none",
               "-p", "no:cacheprovider", "-q", "--basetemp", str(out / "tmp")]
    if workers:
        command += ["-n", str(workers)]
    log = out / "pytest.log"
    with log.open("w") as sink:
        subprocess.run(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT_S, check=False)
    folders = sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and (p / "results.ndjson").exists())
    if not folders:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise SystemExit(f"The scan as {persona} wrote no results; the end of {log}:\n{tail}")
    return folders[-1]


NOT_TESTED = {"page-load-timeout", "page-unresponsive", "page-crashed", "journey-blocked", "harness-error",
              "axe-scan-failed", "navigation-outside-target", "http-error", "redirect-loop", "page-too-large"}
"""The harness's own rule ids that say a page was not (wholly) tested."""


def read_scan(run_dir: Path, persona: str) -> tuple[dict[str, list[Finding]], dict[str, str]]:
    """Findings and walk endings by page path (the test id's parameter, '/testcases/...' without the slash)."""
    test_page = re.compile(r"\[(.*)-" + re.escape(persona) + r"\]$")
    records, _ = read_records(run_dir / "results.ndjson")
    findings: dict[str, list[Finding]] = {}
    endings: dict[str, str] = {}
    for record in records:
        if isinstance(record, StepRecord | WalkRecord):
            match = test_page.search(record.test_id)
            if match is None:
                continue
            page = match.group(1)
            if isinstance(record, StepRecord):
                findings.setdefault(page, []).extend(record.findings)
            else:
                endings[page] = record.ending
                findings.setdefault(page, [])
    return findings, endings


def judge(case: Case, found: Sequence[Finding] | None, ending: str, checks: Sequence[str],
          axe_rules: set[str]) -> CaseResult:
    result = CaseResult(case=case, ending=ending, ran=found is not None)
    for finding in found or ():
        if finding.source == "axe":
            if finding.rule_id in axe_rules:
                result.axe.append(finding.outcome.value)
        elif finding.rule_id in checks:
            result.own.append(finding.outcome.value)
        elif finding.rule_id in NOT_TESTED:
            result.harness.append(finding.rule_id)
    return result


def tally(rows: dict[str, RuleRow], results: Sequence[CaseResult]) -> None:
    for result in results:
        row = rows[result.case.rule]
        failed = result.case.expected == "failed"
        if failed:
            row.failed += 1
            row.caught += result.own_violation
            row.failed_review += result.own_review
            row.axe_caught += result.axe_violation
        else:
            row.others += 1
            row.flagged += result.own_violation
            row.others_review += result.own_review
            row.axe_flagged += result.axe_violation
        row.errors += result.own_error
        row.cases.append({"case": result.case.label, "path": result.case.path, "own": result.own,
                          "axe": result.axe, "harness": result.harness, "ending": result.ending})


def run(rule_ids: Sequence[str], sample: int | None, corpus: Path, work: Path, workers: int) -> list[RuleRow]:
    mapping, fallback = load_mapping()
    names = {key: value["name"] for key, value in
             json.loads((corpus / "rules.json").read_text(encoding="utf-8")).items()}
    axe_map = axe_act_map(fallback)
    cases = load_cases(corpus, rule_ids, sample)
    rows = {rule: RuleRow(rule=rule, name=names.get(rule, ""), checks=tuple(mapping[rule]["checks"]),
                          axe_rules=tuple(sorted(axe_map.get(rule, ())))) for rule in rule_ids}
    by_persona: dict[str, list[str]] = {}
    for rule in rule_ids:
        by_persona.setdefault(mapping[rule]["persona"], []).append(rule)
    with serving(corpus) as base:
        for persona, rules in by_persona.items():
            chosen = [c for c in cases if c.rule in rules]
            if not chosen:
                continue
            checks = list(dict.fromkeys(check for rule in rules for check in mapping[rule]["checks"]))
            run_dir = scan([base + c.path for c in chosen], persona, checks, work / persona, workers)
            found, endings = read_scan(run_dir, persona)
            tally(rows, [judge(c, found.get(c.path.lstrip("/")), endings.get(c.path.lstrip("/"), ""),
                               mapping[c.rule]["checks"], axe_map.get(c.rule, set())) for c in chosen])
    return [rows[rule] for rule in rule_ids]


# -- the table -----------------------------------------------------------------------------------------------


def _of(part: int, whole: int) -> str:
    return f"{part}/{whole}" if whole else "–"


def table(rows: Sequence[RuleRow]) -> str:
    """A Markdown table: per ACT rule, our checks' figures, then axe-core's."""
    lines = [("| ACT rule | our checks | failed caught | failed: needs review | passed/inapplicable flagged "
             "| passed/inapplicable: needs review | not tested | axe rules | axe caught | axe flagged |"),
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| `{row.rule}` {row.name} | {', '.join(row.checks)} | {_of(row.caught, row.failed)} "
                     f"| {row.failed_review} | {_of(row.flagged, row.others)} | {row.others_review} | {row.errors} "
                     f"| {', '.join(row.axe_rules) or '–'} "
                     f"| {_of(row.axe_caught, row.failed) if row.axe_rules else '–'} "
                     f"| {_of(row.axe_flagged, row.others) if row.axe_rules else '–'} |")
    total = totals(rows)
    lines.append(f"| **all** | | **{_of(total['caught'], total['failed'])}** | {total['failed_review']} "
                 f"| **{_of(total['flagged'], total['others'])}** | {total['others_review']} | {total['errors']} | "
                 f"| {_of(total['axe_caught'], total['axe_failed'])} "
                 f"| {_of(total['axe_flagged'], total['axe_others'])} |")
    return "\n".join(lines)


def totals(rows: Sequence[RuleRow]) -> dict[str, int]:
    sums = {key: sum(getattr(row, key) for row in rows) for key in
            ("failed", "caught", "failed_review", "others", "flagged", "others_review", "errors")}
    with_axe = [row for row in rows if row.axe_rules]
    sums.update(axe_failed=sum(r.failed for r in with_axe), axe_caught=sum(r.axe_caught for r in with_axe),
                axe_others=sum(r.others for r in with_axe), axe_flagged=sum(r.axe_flagged for r in with_axe))
    return sums


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", help="ACT rule ids separated by commas (default: every rule in act_rules.toml)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="only the first N examples of each expected outcome of each rule")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures and each case's results")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the ACT corpus folder (default: {CORPUS})")
    parser.add_argument("--work", type=Path, help="where the scan runs go (default: a temporary folder)")
    parser.add_argument("--workers", type=int, default=0, help="pytest-xdist workers per scan (default: 0)")
    args = parser.parse_args(argv)
    mapping, _ = load_mapping()
    rule_ids = [r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else list(mapping)
    unknown = [r for r in rule_ids if r not in mapping]
    if unknown:
        parser.error(f"--rules: {', '.join(unknown)} not in {MAPPING.name}; choose from {', '.join(mapping)}")
    with tempfile.TemporaryDirectory(prefix="act-report-") as temporary:
        work = args.work or Path(temporary)
        rows = run(rule_ids, args.sample, args.corpus, work, args.workers)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"totals": totals(rows), "rules": [asdict(r) for r in rows]}, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
