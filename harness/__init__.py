"""Accessibility testing harness for council web services: personas walk journeys, axe scans each step."""

from __future__ import annotations

from harness.model.findings import Finding, Impact, JourneyBlocked, Outcome

__all__ = ["Finding", "Impact", "Journey", "JourneyBlocked", "Outcome"]


def __getattr__(name: str) -> object:
    # Journey needs Playwright; importing it lazily keeps `import harness` cheap for pure model code.
    if name == "Journey":
        from harness.browser.journey import Journey

        return Journey
    raise AttributeError(name)
