"""The garbage collector tuned for a test process: what collection built (the modules, the test items, the app and
the dialogs' routers) is moved out of the collector's sight once, and young objects are collected less often.

A test process keeps about a million long-lived objects; without this every full collection walks them all again,
about a tenth of a worker's CPU. Garbage is still collected: only what exists when the run starts is exempt.
"""

import gc

import pytest

# Python's default is (700, 10, 10): a run allocating millions of short-lived objects collects hundreds of
# thousands of times. A larger first generation finds the same cycles, visiting them less often.
THRESHOLDS = (50_000, 20, 100)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
