"""The model: what the harness knows, with no browser and no test runner.

Findings and their outcomes, the one registry of rule ids they are made through (`rules.toml`), WCAG
criteria, personas and targets read from TOML, options, the typed records of `results.ndjson`, barriers
(findings grouped into the problems a supplier would fix), the words used for them, and the sources of pages
for scan mode. Everything that comes from a page under test is held here as
untrusted text (`untrusted.py`) with credentials masked (`masking.py`).

May import: the standard library, TOML and YAML readers, and other `harness.model` modules. Never pytest,
Playwright, jinja2, or any other folder of `harness`: every other layer builds on this one.
"""
