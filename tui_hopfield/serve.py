"""``tui-hopfield serve``: the app in a web browser, for this machine only unless told otherwise.

Every browser tab that opens the page starts its own app, ``python -m tui_hopfield`` with
the options given after ``serve``, through textual-serve. Whoever drives that app can read
and write files as the user who started the server, so the server lets in only the page it
served itself:

- It binds to 127.0.0.1 by default. A host that is not a loopback address is refused unless
  ``--public`` is given.
- The page and its WebSocket live under a random key made for each run (``/KEY/`` and
  ``/KEY/ws``), which is printed in the address; without the key there is only a 404.
- A request whose ``Host`` header is not the address the server listens on is refused (403):
  a foreign site whose name resolves to 127.0.0.1 (DNS rebinding) cannot reach the app.
  With ``--public`` any host name is allowed, and the key stands guard instead.
- A request that carries an ``Origin`` header other than the server's own (``http://`` and the
  ``Host`` it was sent to) is refused (403), and so is a WebSocket with no ``Origin``: browsers
  always send one on a WebSocket, so only a page of another site could be refused here, and a
  client that sends none is not a browser page of ours either.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from tui_hopfield.model import ModelError

log = logging.getLogger("tui-hopfield.serve")

DEFAULT_HOST = "127.0.0.1"
"""Where the server listens unless ``--host`` says otherwise: this machine only."""
DEFAULT_PORT = 8000
"""The port the server listens on unless ``--port`` says otherwise."""

HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
"""What a ``Host`` header may look like: a name or an IPv4 address, or a bracketed IPv6
address, then an optional port. Anything else (and it would be written into the page) is
refused."""


class ServeError(Exception):
    """The server cannot start: the message says why."""


def resolve(host: str, port: int) -> tuple[socket.AddressFamily, str]:
    """The address family and the numeric address that ``host`` names (the first one).

    Raises ``ServeError`` when the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot find the address {host!r}: {error.strerror}") from None
    family, _, _, _, address = infos[0]
    return family, str(address[0])


def is_loopback(address: str) -> bool:
    """Whether a numeric address reaches this machine only (127.0.0.0/8 or ::1)."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def is_unspecified(address: str) -> bool:
    """Whether a numeric address means every interface (0.0.0.0 or ::)."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_unspecified
    except ValueError:
        return False


def listen(family: socket.AddressFamily, address: str, port: int) -> socket.socket:
    """A listening TCP socket on ``address`` and ``port`` (0 picks a free port).

    Raises ``ServeError`` when the address cannot be bound (a port in use, say).
    """
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":
            # Windows lets another program take over a reused address; elsewhere this only
            # allows binding again right after a stop.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise ServeError(f"cannot listen on {address} port {port}: {error.strerror}") from None
    sock.setblocking(False)
    return sock


def url_host(address: str) -> str:
    """An address as it is written in a URL: IPv6 in brackets."""
    return f"[{address}]" if ":" in address else address


def app_command(app_args: Sequence[str]) -> str:
    """The shell command that starts the app with ``app_args``, by this very Python.

    textual-serve runs it through the shell, so every part is quoted.
    """
    parts = [sys.executable, "-m", "tui_hopfield", *app_args]
    return subprocess.list2cmdline(parts) if os.name == "nt" else shlex.join(parts)


class GuardedServer(Server):
    """textual-serve's server, letting in only the page it served itself.

    It listens on a socket bound beforehand (so port 0 works and the printed address is the
    real one); see the module's docstring for the rules it enforces.
    """

    def __init__(
        self,
        command: str,
        sock: socket.socket,
        *,
        public: bool = False,
        token: str | None = None,
        title: str = "tui-hopfield",
    ) -> None:
        address, port = sock.getsockname()[:2]
        super().__init__(command, host=url_host(address), port=port, title=title)
        self.socket = sock
        """The listening socket."""
        self.token = token or secrets.token_urlsafe(16)
        """The random key in the page's and the WebSocket's paths."""
        self.public = public
        """Whether any ``Host`` header is allowed (``--public``); else only this server's."""
        self.grace = 60.0
        """Seconds a stop waits for a request still being answered (aiohttp's default)."""
        self._connections: set[asyncio.Task[Any]] = set()
        """The tasks of the WebSocket handlers running, one per app."""
        names = {"localhost", url_host(address)}
        if port != 80:
            names = {f"{name}:{port}" for name in names}
        self.allowed_hosts: frozenset[str] = frozenset(name.lower() for name in names)
        """The ``Host`` headers accepted when not public."""
        shown = url_host(socket.gethostname()) if is_unspecified(address) else url_host(address)
        self.url = f"http://{shown}{'' if port == 80 else f':{port}'}/{self.token}/"
        """The page's address, with its key."""

    def refusal(self, request: web.BaseRequest) -> web.HTTPException | None:
        """The error to answer ``request`` with, or None if it may go on."""
        host = request.headers.get("Host", "")
        if not HOST_HEADER.fullmatch(host):
            return web.HTTPBadRequest(text="Bad Host header.\n")
        if not self.public and host.lower() not in self.allowed_hosts:
            return web.HTTPForbidden(text=f"This server does not answer to {host}.\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host}".lower():
            return web.HTTPForbidden(text="Requests from other sites are refused.\n")
        route = request.match_info.route.name
        upgrade = request.headers.get("Upgrade", "").lower() == "websocket"
        if origin is None and (upgrade or route == "websocket"):
            return web.HTTPForbidden(text="A WebSocket must come from this server's page.\n")
        if route in ("index", "websocket") and not hmac.compare_digest(
            request.match_info.get("token", "").encode(), self.token.encode()
        ):
            return web.HTTPNotFound(text="Not found: open the address tui-hopfield printed.\n")
        return None

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Answer a refused request with its error before any handler (or app) runs."""
        refusal = self.refusal(request)
        if refusal is not None:
            log.warning(
                "refused %s %s (Host %r, Origin %r): %s",
                request.method,
                request.path if refusal.status != 404 else "(a wrong key)",
                request.headers.get("Host"),
                request.headers.get("Origin"),
                refusal.text.strip() if refusal.text else refusal.reason,
            )
            raise refusal
        if request.match_info.route.name != "websocket":
            return await handler(request)
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            return await handler(request)
        finally:
            self._connections.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every app at once, rather than after aiohttp's minute of grace.

        A cancelled WebSocket handler closes its socket and quits its app (textual-serve's
        own path for a cancelled handler), and the shutdown then waits for it.
        """
        for task in list(self._connections):
            task.cancel()

    async def on_prepare(self, request: web.Request, response: web.StreamResponse) -> None:
        """Headers for every answer: no framing by other sites, the key never in a Referer."""
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")

    async def _make_app(self) -> web.Application:
        """The aiohttp application: textual-serve's routes, the page and WebSocket under the key."""
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/{token}/", self.handle_index, name="index"),
                web.get("/{token}/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_response_prepare.append(self.on_prepare)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, whose addresses use the host it was asked for (checked by ``guard``)."""
        path = request.app.router["websocket"].url_for(token=self.token)
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"ws://{request.host}{path}",
            "config": {"static": {"url": f"http://{request.host}/static/"}},
            "application": {"name": self.title},
        }

    async def on_startup(self, app: web.Application) -> None:
        """Say where the app is served."""
        say = self.console.print
        say(f"tui-hopfield: serving the app at {self.url}", markup=False, highlight=False)
        if self.public:
            say(
                "WARNING: this address may be reachable from other machines. Anyone who has "
                "it can drive the app and read and write files as you, and the traffic is "
                "not encrypted.",
                style="bold red",
                markup=False,
                highlight=False,
            )
        else:
            say("Open it in a web browser on this machine.", markup=False, highlight=False)
        say("Each tab runs its own app. Press ctrl+c to stop.", markup=False, highlight=False)

    async def start(self) -> web.AppRunner:
        """Start serving on the socket; ``await runner.cleanup()`` stops."""
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=self.grace)
        await runner.setup()
        await web.SockSite(runner, self.socket).start()
        return runner

    async def serve_until_stopped(self) -> None:
        """Serve until SIGINT or SIGTERM, then stop every app."""
        runner = await self.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            # On Windows there are no such handlers: ctrl+c arrives as KeyboardInterrupt.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    def serve(self, debug: bool = False) -> None:
        """Serve until stopped (blocking)."""
        self.debug = debug
        self.initialize_logging()
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(self.serve_until_stopped())


def parser() -> argparse.ArgumentParser:
    """The parser of ``tui-hopfield serve``'s own options."""
    parser = argparse.ArgumentParser(
        prog="tui-hopfield serve",
        description="Serve the app to a web browser. Each tab runs its own app.",
        epilog="Every other option is the app's (tui-hopfield --help lists them), e.g. "
        "tui-hopfield serve --port 8080 --size 24x40 --rule storkey.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"the port to listen on, 0 for any free one (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a --host that other machines can reach (anyone with the printed "
        "address can then drive the app and read and write your files)",
    )
    return parser


def main(argv: Sequence[str], check_app_options: Callable[[list[str], str], object]) -> int:
    """Run ``tui-hopfield serve`` with ``argv`` (the arguments after ``serve``).

    ``check_app_options(app_args, prog)`` parses and checks the app's own options
    (``tui_hopfield.cli`` passes its parser), exiting or raising ``ModelError`` when
    they are wrong; it keeps this module free of an import of the command line.
    """
    serve_parser = parser()
    args, app_args = serve_parser.parse_known_args(list(argv))
    if not 0 <= args.port <= 65535:
        serve_parser.error(f"--port must be from 0 to 65535, not {args.port}")
    # The app's options are checked here, once, rather than in every browser tab.
    try:
        check_app_options(app_args, "tui-hopfield serve")
        family, address = resolve(args.host, args.port)
        if not is_loopback(address) and not args.public:
            serve_parser.error(
                f"--host {args.host} is not a loopback address: other machines could reach "
                "the app, drive it and read and write your files. Add --public to serve it "
                f"there anyway, or leave out --host to serve on {DEFAULT_HOST} only."
            )
        sock = listen(family, address, args.port)
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return 1
    except ServeError as error:
        print(f"tui-hopfield serve: {error}", file=sys.stderr)
        return 1
    GuardedServer(app_command(app_args), sock, public=args.public).serve()
    return 0
