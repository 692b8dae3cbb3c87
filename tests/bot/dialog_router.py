"""The borrower's dialogs' router, built once a process and lent to each test's dispatcher in turn: building it costs
~35 ms (aiogram inspects each of its ~1,000 handlers and filters), as much as a typical bot test takes to run.

The dialogs keep nothing in their routers (their state is the FSM storage's and the backend's), so one router serves
every test; it is taken from the dispatcher that held it, which is not used again (the previous test's, or the
previous example's of a hypothesis test)."""

from aiogram import Router

from dialogs.router import borrower_router

_BUILT: list[Router] = []


def lend() -> Router:
    """The process's router of the borrower's dialogs, attached to no dispatcher."""
    if not _BUILT:
        _BUILT.append(borrower_router())
    router = _BUILT[0]
    holder = router.parent_router
    if holder is not None:
        holder.sub_routers.remove(router)
        router._parent_router = None  # aiogram has no detach; the next include_router sets it again
    return router
