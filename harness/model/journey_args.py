"""JourneyArgs: everything one walk is given before its browser page opens.

The plugin's `journey_args` and `page_scan_args` fixtures make one for each test; a team's conftest.py may
override either fixture to change what it needs (context options, limits, the entry address) without copying
the plugin, as playwright-pytest's `browser_context_args` allows for the browser context.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from harness.model.personas import Persona
from harness.model.targets import Target


@dataclass(frozen=True)
class JourneyArgs:
    """What a walk is given. Change it with `dataclasses.replace`, for example in a conftest.py:

        @pytest.fixture
        def journey_args(journey_args):
            return replace(journey_args, context={**journey_args.context, "locale": "cy-GB"})
    """

    target: Target
    persona: Persona
    journey_id: str
    entry_url: str
    """The journey's first page."""
    allowed_origins: frozenset[str]
    """The origins the walk may visit; the harness does not follow a page anywhere else."""
    context: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Playwright's browser context options (`browser.new_context(**context)`): the persona's own settings,
    on top of playwright-pytest's `browser_context_args`."""
    axe_tags: tuple[str, ...] = ()
    page_timeout_s: float = 30.0
    step_timeout_s: float = 120.0
    checks: tuple[str, ...] | None = None
    """Scan mode's page checks (None: all of them and the persona's own); journeys run the persona's checks."""
    screenshot_clean_states: bool = True
    """False in scan mode: a page without findings gets no screenshot."""
