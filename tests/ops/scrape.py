"""Reading a Prometheus scrape back: sample values by name and labels (each scrape parsed once: a whole run's
registry is large, and a test reads many values from one scrape)."""

import functools

from prometheus_client.parser import text_string_to_metric_families


@functools.lru_cache(maxsize=8)
def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the exposition `text`, keyed by its name and its labels (shared between callers: not to be
    changed)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    """One sample's value; 0 when the scrape has no such sample (a counter never incremented)."""
    return samples(text).get((name, frozenset(labels.items())), 0.0)
