"""placeholder: checks are added by issue 3"""

from __future__ import annotations
