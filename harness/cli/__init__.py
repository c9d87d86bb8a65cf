"""The command lines: `python -m harness.cli.<command>` for scan mode (scan), rebuilding reports (report),
merging shards (merge), comparing two runs (compare), OpenACR export and claim checks (openacr) and setting up
a browser (browser_setup).

Each module parses its arguments, calls the layers below, and turns a harness error into a message and an
exit status. Logic that a test or another command needs lives in the model, browser or reports layer, not
here.

May import: every other layer (model, browser, reports, demo). Scan mode runs pytest in a child process, so
it needs no pytest import of its own.
"""
