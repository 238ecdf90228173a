"""A snapshot of the tour's panel at 80x24, on lesson 3, beside the whole grid (look at it
first)."""

from __future__ import annotations


async def on_lesson_three(pilot) -> None:
    app = pilot.app
    for _ in range(200):
        if app.tour is not None and app.magnets.query("#tour"):
            break
        await pilot.pause()
    await pilot.press("1", "2", "3", "1", "b")
    for _ in range(200):
        app.check_tour()
        if app.tour.index == 2:
            break
        await pilot.pause()
    assert app.tour.index == 2
    panel = app.magnets.query_one("#tour")
    for _ in range(200):
        app.check_tour()
        if "tour 3/11" in str(panel.border_title):
            break
        await pilot.pause()
    app.magnets.arrange_tour()
    # A notice is a message to the app (Textual's notify posts it): on a loaded machine
    # the lesson's "done" may arrive after a clear made at once. Wait for it, then clear.
    for _ in range(200):
        if any("Break a picture" in note.message for note in app._notifications):
            break
        await pilot.pause()
    app.clear_notifications()
    for _ in range(200):
        await pilot.pause()
        if not app.magnets.messages.shown:
            break
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_tour_panel_80x24(snap_compare):
    from tui_hopfield.ui.app import HopfieldApp

    app = HopfieldApp(seed=1, tour=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_lesson_three)
