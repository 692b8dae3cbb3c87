"""The bot's pictures are drawn in a worker process beside it (so drawing one never holds the event loop), or in a
thread of it when told 0 processes; a worker that dies is replaced and the picture drawn again."""

import runpy
from functools import partial
from pathlib import Path

import psutil
import pytest

import ipoteka
from bot.drawing import drawn
from tests.drawings import dies_the_first_time, pid


async def test_told_no_processes_it_draws_in_a_thread_of_this_one():
    assert await drawn(pid, processes=0) == pid()


async def test_drawn_in_another_process_which_stays_for_the_next():
    first, second = await drawn(pid, processes=1), await drawn(pid, processes=1)
    assert first == second != pid()
    assert int(first) in {child.pid for child in psutil.Process().children()}


async def test_a_worker_that_dies_while_drawing_is_replaced_and_the_picture_drawn_again(tmp_path):
    before = await drawn(pid, processes=1)
    again = await drawn(partial(dies_the_first_time, tmp_path / "marker"), processes=1)
    assert again.startswith(b"drawn ") and again.removeprefix(b"drawn ") != before
    assert await drawn(pid, processes=1) == again.removeprefix(b"drawn ")


async def test_a_worker_killed_while_idle_is_replaced():
    before = int(await drawn(pid, processes=1))
    psutil.Process(before).kill()
    psutil.Process(before).wait(5)
    assert int(await drawn(pid, processes=1)) != before


async def test_a_drawing_that_fails_fails_alike_in_a_worker():
    with pytest.raises(ZeroDivisionError):
        await drawn(partial(divmod, 1, 0), processes=1)


def test_a_worker_of_python_m_ipoteka_loads_its_main_module_without_running_the_command():
    """A worker loads the parent's main module as `__mp_main__` (anyio does, for `ipoteka run` that is
    `ipoteka/__main__.py`): unguarded, the worker ran the command line and died before its first drawing."""
    namespace = runpy.run_path(str(Path(ipoteka.__file__).with_name("__main__.py")), run_name="__mp_main__")
    assert callable(namespace["main"])
