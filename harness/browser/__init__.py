"""The browser layer: everything that drives or reads a real Chromium through Playwright.

The browser session and its launch arguments, axe-core in an isolated world, page facts and events, the
watchdog that enforces limits from outside the page, the payment guard, the behaviours that make a persona
act (keyboard, pointer, touch, screen reader), the page checks and probes, and the `Journey` that scenarios
call to walk a service (`journey.py`, the facade of verbs, with `steps`, `locating`, `page_load` and
`page_state` doing its work) and the walker that drives it (`walker/`). What it finds leaves this layer only as
model records written to the results store.

May import: Playwright, axe-playwright-python and `harness.model`. Never pytest (the plugin wires this layer
into pytest) and never `harness.reports`: reports read the stored records, not live pages.
"""
