"""``tui-hopfield serve``: only the page the server served may drive the app.

The server runs in the test's event loop on a free loopback port. Every app it starts is
recorded and waited for (or killed) before the test ends.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import socket
import subprocess
import sys

import aiohttp
import pytest
from textual_serve.app_service import AppService

from tui_hopfield import cli, serve

INERT = serve.app_command(["--version"])
"""A command for servers whose app must never start: it would print a line and stop."""


@pytest.fixture
def spawned(monkeypatch) -> list[asyncio.subprocess.Process]:
    """Every app process a server starts in this test."""
    processes: list[asyncio.subprocess.Process] = []
    open_process = AppService._open_app_process

    async def recording(self, width: int = 80, height: int = 24):
        process = await open_process(self, width, height)
        processes.append(process)
        return process

    monkeypatch.setattr(AppService, "_open_app_process", recording)
    return processes


async def started(command: str, spawned, *, public: bool = False):
    """A guarded server on a free 127.0.0.1 port, and its runner."""
    sock = serve.listen(socket.AF_INET, "127.0.0.1", 0)
    server = serve.GuardedServer(command, sock, public=public, token="k3y-0f-th1s-run")
    return server, await server.start()


async def stop(runner, spawned) -> None:
    """Stop the server, then make sure none of its apps is left running."""
    await runner.cleanup()
    for process in spawned:
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
            await process.wait()


@pytest.fixture
async def server(spawned):
    """A guarded server whose app must not start."""
    server, runner = await started(INERT, spawned)
    yield server
    await stop(runner, spawned)


def origin(server: serve.GuardedServer) -> str:
    """The server's own origin."""
    return f"http://127.0.0.1:{server.port}"


async def handshake(url: str, **options) -> int:
    """The status a WebSocket handshake gets (101 when accepted; closed at once)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, **options):
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


@pytest.mark.parametrize(
    "foreign",
    [
        "http://evil.example",
        "null",
        "https://127.0.0.1:{port}",
        "http://127.0.0.1:{other}",
        "http://localhost:{port}",
        "http://127.0.0.1:{port}.evil.example",
    ],
)
async def test_a_websocket_from_another_origin_is_refused_before_any_app_starts(
    server, spawned, foreign
):
    port = server.port
    foreign = foreign.format(port=port, other=port + 1)
    status = await handshake(f"{origin(server)}/{server.token}/ws", origin=foreign)
    assert status == 403
    assert spawned == []


async def test_a_websocket_without_an_origin_is_refused(server, spawned):
    assert await handshake(f"{origin(server)}/{server.token}/ws") == 403
    assert spawned == []


async def test_a_foreign_host_name_is_refused_even_from_its_own_origin(server, spawned):
    """DNS rebinding: evil.example resolves to 127.0.0.1, and its page talks to its origin."""
    rebound = f"evil.example:{server.port}"
    headers = {"Host": rebound}
    status = await handshake(
        f"{origin(server)}/{server.token}/ws", origin=f"http://{rebound}", headers=headers
    )
    assert status == 403
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{origin(server)}/{server.token}/", headers=headers) as page,
    ):
        assert page.status == 403
        assert "k3y" not in await page.text()
    assert spawned == []


async def test_without_the_key_there_is_nothing(server, spawned):
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/wrong-key/", f"/{server.token[:-1]}/", "/static/"):
            async with session.get(origin(server) + path) as page:
                assert page.status in (403, 404), path
                assert server.token not in await page.text()
    status = await handshake(f"{origin(server)}/wrong-key/ws", origin=origin(server))
    assert status == 404
    assert spawned == []


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
async def test_the_page_talks_to_the_host_it_was_asked_for(server, name):
    host = f"{name}:{server.port}"
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{origin(server)}/{server.token}/", headers={"Host": host}) as page,
    ):
        assert page.status == 200
        text = await page.text()
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "no-referrer"
    assert f'data-session-websocket-url="ws://{host}/{server.token}/ws"' in text
    assert f"http://{host}/static/js/textual.js" in text


async def test_public_answers_any_host_name_but_still_only_its_own_origin(spawned):
    server, runner = await started(INERT, spawned, public=True)
    try:
        host = f"magnets.lan:{server.port}"
        url = f"{origin(server)}/{server.token}/"
        async with aiohttp.ClientSession() as session:
            async with session.get(url, headers={"Host": host}) as page:
                assert page.status == 200
                assert f"ws://{host}/{server.token}/ws" in await page.text()
            async with session.get(url, headers={"Host": "bad host<"}) as page:
                assert page.status == 400
        status = await handshake(f"{url}ws", origin="http://evil.example", headers={"Host": host})
        assert status == 403
        assert await handshake(f"{origin(server)}/nokey/ws", origin=origin(server)) == 404
        assert spawned == []
    finally:
        await stop(runner, spawned)


async def test_the_page_s_own_origin_drives_the_app(spawned, monkeypatch, tmp_path):
    """The app starts by this Python (no venv activated), draws, and quits on ctrl+q."""
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path))
    command = serve.app_command(["--no-autosave", "--size", "8x8", "--seed", "1"])
    assert command.startswith(f"{shlex.quote(sys.executable)} -m tui_hopfield ")
    server, runner = await started(command, spawned)
    try:
        url = f"{origin(server)}/{server.token}/ws?width=100&height=30"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, origin=origin(server)) as websocket,
        ):
            drawn = b""
            for _ in range(1000):
                message = await websocket.receive(timeout=120)
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                if message.type == aiohttp.WSMsgType.BINARY:
                    drawn += message.data
                if b"recall" in drawn:
                    break
            assert b"recall" in drawn
            await websocket.send_str(json.dumps(["stdin", "\x11"]))  # ctrl+q
            for _ in range(1000):
                message = await websocket.receive(timeout=120)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert len(spawned) == 1
        assert await asyncio.wait_for(spawned[0].wait(), 120) == 0
        assert list(tmp_path.iterdir()) == []
    finally:
        await stop(runner, spawned)


async def test_stopping_the_server_quits_its_apps_at_once(spawned, monkeypatch, tmp_path):
    """With a close frame to each tab, not after aiohttp's grace period (an hour here)."""
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path))
    sock = serve.listen(socket.AF_INET, "127.0.0.1", 0)
    server = serve.GuardedServer(serve.app_command(["--no-autosave", "--size", "8x8"]), sock)
    server.grace = 3600
    runner = await server.start()
    try:
        url = f"{origin(server)}/{server.token}/ws"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, origin=origin(server)) as websocket,
        ):
            drawn = b""
            for _ in range(1000):
                message = await websocket.receive(timeout=120)
                if message.type == aiohttp.WSMsgType.BINARY:
                    drawn += message.data
                if b"recall" in drawn:
                    break

            async def until_closed() -> aiohttp.WSMsgType:
                for _ in range(10_000):
                    message = await websocket.receive()
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        break
                return message.type

            closed = asyncio.create_task(until_closed())
            await asyncio.wait_for(runner.cleanup(), 300)
            # A close frame from the server, not a connection dropped by a heartbeat timeout.
            assert await asyncio.wait_for(closed, 120) == aiohttp.WSMsgType.CLOSE
        assert len(spawned) == 1
        await asyncio.wait_for(spawned[0].wait(), 120)
    finally:
        await stop(runner, spawned)


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("localhost", False),  # a name: resolve it first
    ],
)
def test_loopback_addresses(address, loopback):
    assert serve.is_loopback(address) is loopback


@pytest.fixture
def serving(monkeypatch) -> list[serve.GuardedServer]:
    """Servers that ``tui-hopfield serve`` would run, recorded, not run (sockets closed)."""
    servers: list[serve.GuardedServer] = []
    monkeypatch.setattr(
        serve.GuardedServer, "serve", lambda self, debug=False: servers.append(self)
    )
    yield servers
    for server in servers:
        server.socket.close()


def test_a_host_other_machines_can_reach_is_refused_without_public(monkeypatch, capsys, serving):
    listened = []
    monkeypatch.setattr(serve, "listen", lambda *args: listened.append(args))
    for host in ("0.0.0.0", "192.0.2.7"):
        with pytest.raises(SystemExit) as stopped:
            cli.main(["serve", "--host", host, "--port", "0"])
        assert stopped.value.code == 2
        error = capsys.readouterr().err
        assert f"--host {host} is not a loopback address" in error
        assert "--public" in error
    assert listened == []
    assert serving == []


def test_public_lets_such_a_host_through(monkeypatch, serving):
    """With --public the address is bound (here a loopback one stands in for it)."""
    asked = []
    listen = serve.listen

    def fake_listen(family, address, port):
        asked.append(address)
        return listen(socket.AF_INET, "127.0.0.1", 0)

    monkeypatch.setattr(serve, "listen", fake_listen)
    assert cli.main(["serve", "--host", "192.0.2.7", "--public", "--port", "0"]) == 0
    assert asked == ["192.0.2.7"]
    assert serving[0].public


def test_serve_binds_to_loopback_and_runs_the_app_with_its_options(serving):
    assert cli.main(["serve", "--port", "0", "--size", "8x8", "--rule", "storkey"]) == 0
    (server,) = serving
    assert server.socket.getsockname()[0] == "127.0.0.1"
    assert not server.public
    assert server.command == serve.app_command(["--size", "8x8", "--rule", "storkey"])
    assert server.url == f"http://127.0.0.1:{server.port}/{server.token}/"
    assert len(server.token) >= 20


def test_bad_app_options_stop_before_listening(monkeypatch, capsys, serving, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", "--port", "0", "--size", "3x3"])
    assert stopped.value.code == 2
    assert "--size" in capsys.readouterr().err
    assert cli.main(["serve", "--port", "0", "--load", str(tmp_path / "missing.hopfield")]) == 1
    assert "missing.hopfield" in capsys.readouterr().err
    assert serving == []


def test_a_port_in_use_is_one_line(capsys, serving):
    taken = serve.listen(socket.AF_INET, "127.0.0.1", 0)
    try:
        assert cli.main(["serve", "--port", str(taken.getsockname()[1])]) == 1
    finally:
        taken.close()
    error = capsys.readouterr().err
    assert error.startswith("tui-hopfield serve: cannot listen on 127.0.0.1 port")
    assert "Traceback" not in error
    assert serving == []


def test_the_command_lists_serve_and_refuses_a_public_host():
    result = subprocess.run(
        [sys.executable, "-m", "tui_hopfield", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "tui-hopfield serve --help" in " ".join(result.stdout.split())
    result = subprocess.run(
        [sys.executable, "-m", "tui_hopfield", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "not a loopback address" in result.stderr
    assert "Traceback" not in result.stderr
