"""Screenshots and the outlines drawn over them: where a finding's element is, in percentages of the image.

Percentages keep an outline on its element however large the report shows the image. Element boxes are
measured in CSS pixels. The harness takes screenshots in CSS pixels too (one image pixel per CSS pixel, even
for the smartphone persona's device scale factor of 3): a full-page screenshot at 3x holds nine times the
pixels, and cost Chromium's GPU process 300 MiB and twice the time for no gain in a report. Results stored
before that say nothing of the scale, and their screenshots are at the persona's device scale factor.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from harness.model.records import PageState, PersonaRecord

OUTLINE_PAD = 4
"""CSS pixels of room between an outline and the element it marks."""


SCREENSHOT_SCALE: Literal["css"] = "css"
"""Playwright's screenshot scale: one image pixel per CSS pixel, whatever the device scale factor."""


@dataclass(frozen=True)
class Outline:
    """A box over the screenshot, in percentages of its size, so it stays on the element at any scale."""

    left: float
    top: float
    width: float
    height: float


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG's header (its first 24 bytes): no imaging library needed."""
    try:
        with path.open("rb") as handle:
            header = handle.read(24)
    except OSError:
        return None
    if len(header) < 24 or header[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    width, height = struct.unpack(">II", header[16:24])
    return (width, height) if width and height else None


def outline_of(box: Sequence[float], image: tuple[int, int], scale: float = 1.0) -> Outline | None:
    """Place a box [x, y, w, h] in CSS pixels over a screenshot of image (width, height) device pixels.

    Screenshots are taken at the persona's device scale factor (3 for the smartphone persona) while boxes
    are measured in CSS pixels, so the image is first turned back into CSS pixels.
    """
    if len(box) != 4 or scale <= 0:
        return None
    width, height = image[0] / scale, image[1] / scale
    x, y, w, h = (float(v) for v in box)
    # A little room around the element, so the outline does not hide its edges.
    x, y, w, h = x - OUTLINE_PAD, y - OUTLINE_PAD, w + 2 * OUTLINE_PAD, h + 2 * OUTLINE_PAD
    if x >= width or y >= height or x + w <= 0 or y + h <= 0:
        return None
    left, top = max(x, 0.0), max(y, 0.0)
    right, bottom = min(x + max(w, 4.0), width), min(y + max(h, 4.0), height)
    return Outline(left=round(100 * left / width, 2), top=round(100 * top / height, 2),
                   width=round(100 * (right - left) / width, 2), height=round(100 * (bottom - top) / height, 2))


def screenshot_scale(state: PageState, persona: PersonaRecord) -> float:
    """Image pixels per CSS pixel in a state's screenshot: as recorded, or the persona's for older results."""
    recorded = state.screenshot_scale
    if recorded is not None and recorded > 0:
        return recorded
    return persona.device_scale_factor
