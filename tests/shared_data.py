"""The shared copy of the JSB chorales beside the clone (../shared/data), for the tests of real data.

The project never commits the file and tests never download it; where the copy is absent, the tests
marked `needs_real_data` are skipped with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_COPY = Path(__file__).resolve().parents[2] / "shared" / "data" / "jsb-chorales-quarter.json"
needs_real_data = pytest.mark.skipif(
    not SHARED_COPY.is_file(),
    reason=f"the shared copy of the JSB chorales is absent ({SHARED_COPY}); see ../shared/data/README.md")
