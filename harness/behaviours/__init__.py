"""Behaviours: how a persona drives the browser. One import list, one registry."""

from __future__ import annotations

from harness.behaviours.base import Behaviour, Blocked
from harness.behaviours.keyboard import KeyboardBehaviour
from harness.behaviours.pointer import PointerBehaviour
from harness.behaviours.screen_reader import ScreenReaderBehaviour
from harness.behaviours.touch import TouchBehaviour

BEHAVIOURS: dict[str, Behaviour] = {
    behaviour.id: behaviour
    for behaviour in (PointerBehaviour(), KeyboardBehaviour(), TouchBehaviour(), ScreenReaderBehaviour())
}

__all__ = ["BEHAVIOURS", "Behaviour", "Blocked"]
