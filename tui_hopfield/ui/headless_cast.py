"""An asciicast made headless: the app run with no terminal, a recall replayed on its screen.

``tui-hopfield replay SESSION --cast FILE`` records a recall without the app, then
runs the app headless (``App.run(headless=True, size=...)``: Textual's own
driver for no terminal) on the network it ran on, hands it the recording and
replays it on the screen into the cast, exactly as the key ``ctrl+x`` does.
"""

from __future__ import annotations

from pathlib import Path

from tui_hopfield.model import Network
from tui_hopfield.model.asciicast import MAX_FRAMES
from tui_hopfield.model.changes import SPEEDS
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.recording import Recording
from tui_hopfield.model.replay_export import ExportError
from tui_hopfield.ui.app import HopfieldApp

SIZE = (120, 40)
"""The terminal a headless cast is made in by default: columns and lines."""


class CastApp(HopfieldApp):
    """The app that, once ready, replays ``recording`` into an asciicast and exits with
    the path written (or the error)."""

    def __init__(
        self,
        network: Network,
        recording: Recording,
        path: Path,
        *,
        speed: int,
        max_frames: int = MAX_FRAMES,
        temperature: float = 0.0,
        mode: str = "async",
    ) -> None:
        super().__init__(network=network, temperature=temperature, mode=mode)
        self._recording = recording
        self._path = path
        self._speed = speed
        self._max_frames = max_frames

    def on_ready(self) -> None:
        self.run_worker(self._cast(), exclusive=True)

    async def _cast(self) -> None:
        screen = self.magnets
        workspace = screen.workspace
        workspace.recordings.append(self._recording)
        screen.speed_index = SPEEDS.index(self._speed)
        try:
            written: Path | ModelError = await screen.record_cast(self._path, self._max_frames)
        except ModelError as error:
            written = error
        self.exit(written)  # type: ignore[arg-type]


def write_cast_headless(
    network: Network,
    recording: Recording,
    path: Path,
    *,
    size: tuple[int, int] = SIZE,
    speed: int = SPEEDS[4],
    max_frames: int = MAX_FRAMES,
    temperature: float = 0.0,
    mode: str = "async",
) -> Path:
    """Replay ``recording`` (of ``network``, which holds its end) on the app's screen,
    ``size`` columns and lines, into the asciicast ``path``; return the path written."""
    if speed not in SPEEDS:
        raise ExportError(f"the speed is one of {', '.join(map(str, SPEEDS))}, not {speed}")
    app = CastApp(
        network,
        recording,
        path,
        speed=speed,
        max_frames=max_frames,
        temperature=temperature,
        mode=mode,
    )
    result = app.run(headless=True, size=size)
    if isinstance(result, ModelError):
        raise result
    if not isinstance(result, Path):
        raise ExportError("the app stopped before the asciicast was written")
    return result
