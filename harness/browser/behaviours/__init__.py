"""Behaviours: how a persona drives the browser. One import list, one registry."""

from __future__ import annotations

from harness.browser.behaviours.base import Behaviour
from harness.browser.behaviours.keyboard import KeyboardBehaviour
from harness.browser.behaviours.pointer import PointerBehaviour
from harness.browser.behaviours.screen_reader import ScreenReaderBehaviour
from harness.browser.behaviours.touch import TouchBehaviour

BEHAVIOURS: dict[str, Behaviour] = {
    behaviour.id: behaviour
    for behaviour in (PointerBehaviour(), KeyboardBehaviour(), TouchBehaviour(), ScreenReaderBehaviour())
}

__all__ = ["BEHAVIOURS", "Behaviour"]
