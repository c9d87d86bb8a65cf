"""The reports: a stored run turned into files each audience acts on.

The QA report, persona reports for product owners, the procurement comparison, conformance tables with
EARL and OpenACR exports, accessibility statement drafts, machine exports (JSON, CSV), the history of runs
and what changed between two runs. A run is read once into a `RunView` (run_view.py), which gathers each
target's barriers once; each audience's module has a writer `(view) -> {file name: text}`, and writers.py runs
them all. Templates, stylesheets and their data files live here too, inside the package, so an installed
wheel renders the same reports as a checkout.

May import: jinja2 and `harness.model` (the typed records of a run). Never Playwright or pytest: every report
can be rebuilt from `results.ndjson` alone, on a machine with no browser.
"""
