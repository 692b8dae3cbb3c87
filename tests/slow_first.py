"""Tests marked `slow` (tens of seconds each, one process or a cluster of them) are collected first, so pytest-xdist
starts them while the quick ones fill the other worker, instead of one of them running alone at the end."""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: the order within each part kept
