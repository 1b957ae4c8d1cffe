"""The recorded accessibility run (shown on the site's 試験結果 page) still says what this run measured.

Runs last (file name), after the browser and validator tests filled the run; skipped when only
part of the suite ran. Re-record with: TSUNAGU_RECORD_A11Y=1 python3 -m pytest
"""

import pytest

from conftest import RUN_PARTS
from tsunagu import load_guide
from conftest import DATA


def test_recorded_results_match_this_run(a11y_run):
    if not a11y_run.parts >= RUN_PARTS:
        pytest.skip(f"only part of the accessibility run happened: {sorted(a11y_run.parts)}")
    recorded = load_guide(DATA).a11y_run
    assert recorded is not None, "no recorded run: TSUNAGU_RECORD_A11Y=1 python3 -m pytest"
    now = a11y_run.as_run()
    stale = {c: (r.status, now.criteria[c].status if c in now.criteria else None)
             for c, r in recorded.criteria.items()
             if c not in now.criteria or now.criteria[c].status != r.status}
    stale |= {c: (None, r.status) for c, r in now.criteria.items() if c not in recorded.criteria}
    assert stale == {}, "the 試験結果 page is out of date: TSUNAGU_RECORD_A11Y=1 python3 -m pytest"
    assert recorded.violations == now.violations == 0
    assert {t.name for t in recorded.tools} == {t.name for t in now.tools}
