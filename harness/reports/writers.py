"""Every report of a run, made by one loop: each writer turns a RunView into files, and this module writes them.

A writer is a function `(view: RunView) -> dict[str, str]`, file name to text, in its audience's module;
adding a report is that function and its line in WRITERS. Writers never touch the file system: the names
they return carry target and persona ids from results.ndjson, so they are checked here, once, before anything
is written. A writer that fails costs only its own files; the summary page says which could not be made.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness.model.results import RESULTS_FILE
from harness.reports.exports import render_exports
from harness.reports.history import render_history
from harness.reports.openacr import render_conformance_files
from harness.reports.personas import render_personas
from harness.reports.procurement import ProductScore, ranked_products, render_comparison
from harness.reports.qa import render_qa, report_context
from harness.reports.render import render_page
from harness.reports.run_view import RunView
from harness.reports.statements import render_statements

Writer = Callable[[RunView], dict[str, str]]
"""A report: the run, seen once, to {file name: text}."""

WRITERS: tuple[tuple[str, Writer], ...] = (
    ("QA report", render_qa),
    ("findings JSON and CSV", render_exports),
    ("supplier comparison", render_comparison),
    ("persona reports", render_personas),
    ("statement drafts", render_statements),
    ("history", render_history),
    ("conformance exports (OpenACR, EARL)", render_conformance_files),
)
"""Every report of a run, by what a reader would call it, in the order they are written."""

INDEX_FILE = "index.html"


@dataclass
class WrittenReports:
    files: list[Path]
    problems: list[str]
    """One line per report that could not be made; the others are written all the same."""
    unreadable: list[str] = field(default_factory=list)
    """Lines of the results file every report left out, and why ('line 4: a step record without 'index'')."""

    @property
    def index(self) -> Path | None:
        return next((f for f in self.files if f.name == INDEX_FILE), None)


def write_reports(view: RunView, out_dir: Path | None = None,
                  writers: tuple[tuple[str, Writer], ...] = WRITERS) -> WrittenReports:
    """Every report and export of a run, into out_dir (the run folder unless given), then the summary page."""
    out_dir = view.run_dir if out_dir is None else out_dir
    written = WrittenReports(files=[], problems=[], unreadable=view.unreadable)
    for label, writer in writers:
        try:
            outputs = writer(view)
        except Exception as exc:  # noqa: BLE001 - one broken report must not cost the others
            written.problems.append(f"{label}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
            continue
        for name, text in outputs.items():
            if not _plain_file_name(name):
                # File names carry target and persona ids from results.ndjson: a damaged or edited file must
                # not make the report writer write outside the run folder.
                written.problems.append(f"{label}: {name!r} is not a plain file name (an id in {RESULTS_FILE} "
                                        "holds a '/', '\\' or a leading '.'), so it was not written")
                continue
            path = out_dir / name
            path.write_text(text, encoding="utf-8")
            written.files.append(path)
    index = out_dir / INDEX_FILE
    index.write_text(render_index(view, [f.name for f in written.files], written.problems), encoding="utf-8")
    written.files.insert(0, index)
    return written


def render_index(view: RunView, files: list[str], problems: list[str]) -> str:
    """The summary page: the run at a glance, and a link to every report that was written."""
    return render_page("index.html.jinja", INDEX_FILE, **report_context(view), files=files, problems=problems,
                       glance=_glance(view))


def _plain_file_name(name: str) -> bool:
    return bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name and "\x00" not in name


def _glance(view: RunView) -> list[ProductScore]:
    """Each target's headline figures, best first, for the summary page; none if they cannot be made."""
    try:
        return ranked_products(view)
    except Exception:  # noqa: BLE001 - the summary page must not fail because a figure could not be made
        return []
