"""`bench/load.py`'s tiny mode (`--quick`) in this process: the real bot in webhook mode on the backend, and the bare
aiogram bot on the bare endpoint, each walked by 20 linked borrowers through HTTP to the fake Bot API. Every figure the
bench prints is there for both sides, and nothing failed. SQLite on either suite: the bench's in-process target is
the one-machine shape. The borrowers are spread over the walk before the ramp, so it measures every leg."""

import pytest

from bench.load import bench, parse


@pytest.mark.slow
async def test_the_quick_load_run_measures_both_sides_without_an_error(tmp_path, capsys):
    [result] = await bench(parse(["--quick", "--target", "inprocess"]), tmp_path)

    for side in (result.bare, result.bot):
        assert side.error_count == 0, side.errors
        assert side.stages, side.name
        assert side.replies > 0 and side.throughput > 0
        for stage in side.stages:
            assert 0 < stage.p50() <= stage.p99(), stage
        measured = {turn.leg for stage in side.stages for turn in stage.turns}
        assert len(measured) >= 4, measured  # the borrowers spread over the walk first, not every one at /menu
        [here] = side.usage
        assert here.peak_rss > 0 and here.cpu_seconds > 0
    printed = capsys.readouterr().out
    for figure in ("replied/s", "p50 ms", "p99 ms", "errors", "peak RSS", "CPU s", "CPU ms/reply"):
        assert printed.count(figure) >= 2, figure  # once for each side
    assert "errors                 bot 0, bare 0" in printed
    assert "throughput             bot " in printed
