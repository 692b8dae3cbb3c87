"""Certificates are drawn in a process of their own beside the backend's worker (so drawing one never holds the
worker's event loop), or in a thread of it when told 0 processes; a drawing process that dies is replaced and the
certificate drawn again."""

import os
from functools import partial

import pytest

from api.certificates.drawing import Drawing
from tests.conftest import shared_drawing
from tests.drawings import dies_the_first_time, pid


@pytest.fixture
async def drawing():
    drawing = Drawing(1)
    yield drawing
    await drawing.close()


async def test_a_certificate_is_drawn_in_another_process_which_stays_for_the_next():
    drawing = shared_drawing(1)  # the test process's own, as the app fixture binds it: started once a run
    first, second = await drawing(pid), await drawing(pid)
    assert first == second != str(os.getpid()).encode()


async def test_told_no_processes_it_draws_in_a_thread_of_this_one():
    assert await Drawing(0)(pid) == str(os.getpid()).encode()


async def test_a_drawing_process_that_dies_is_replaced_and_the_certificate_drawn_again(drawing, tmp_path):
    before = await drawing(pid)
    again = await drawing(partial(dies_the_first_time, tmp_path / "marker"))
    assert again.startswith(b"drawn ") and again.removeprefix(b"drawn ") != before
    assert await drawing(pid) == again.removeprefix(b"drawn ")


async def test_closing_ends_its_processes(drawing):
    drawer = int(await drawing(pid))
    await drawing.close()
    with pytest.raises(ProcessLookupError):
        os.kill(drawer, 0)
