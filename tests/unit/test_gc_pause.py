"""The collector's server settings: applied while a server runs, Python's own restored after."""

from __future__ import annotations

import gc

from graph_api.gc_pause import YOUNG_THRESHOLD, gc_paused, server_collector


def test_a_server_tunes_the_collector_and_restores_it() -> None:
    # (A server of another test may be running in this process: then it keeps the settings.)
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()

    with server_collector():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0  # the start-up heap is out of the collector's sight

    assert gc.get_threshold() == before
    assert (gc.get_freeze_count() > 0) == (frozen_before > 0)


def test_servers_side_by_side_share_the_settings_until_the_last_stops() -> None:
    before = gc.get_threshold()

    with server_collector():
        with server_collector():
            pass
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the first is still running

    assert gc.get_threshold() == before


def test_a_pause_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
