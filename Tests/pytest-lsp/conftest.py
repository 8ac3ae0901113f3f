"""Fixtures: the real selfmoa-lsp binary over stdio, driven by pytest-lsp as Neovim and Emacs.

The server is ``$SELFMOA_LSP`` (default ``<repo>/.build/debug/selfmoa-lsp``), started once per
test. Each client fixture is parametrised over every Neovim and Emacs capability profile the
installed pytest-lsp ships, so the server sees exactly the ``initialize`` those editors send.
The model is ``standin.StandIn``, a deterministic OpenAI-compatible server on 127.0.0.1, passed
to the server through ``initializationOptions``.

Fixtures:

- ``client``: initialized as the profile, backend configured (2 samples per action);
- ``results_client``: the same, also announcing ``experimental.selfmoa.results``;
- ``server``: the profile's process, not yet initialized (lifecycle tests);
- ``bare_server``: one process, no profile, not initialized (negotiation tests).

Every fixture ends its session with ``shutdown``/``exit`` (unless the test did), requires the
exit code the spec prescribes, and fails the test if the client saw a malformed message, an
answer to a request it never sent, or a request answered twice.
"""

from __future__ import annotations

import asyncio
import os
import shlex
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

from standin import StandIn
from support import SelfmoaClient, make_client

REPO = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("SELFMOA_LSP") or str(REPO / ".build" / "debug" / "selfmoa-lsp")
SERVER_ARGS = shlex.split(os.environ.get("SELFMOA_LSP_ARGS", ""))
SAMPLES = 2
DECOY_MESSAGE = (
    "decoy backend from $SELFMOA_BACKEND_URL: the server ignored initializationOptions.backend.url"
)


def shipped_profiles() -> list[str]:
    """Every Neovim and Emacs profile of the installed pytest-lsp, as ``name@vX.Y.Z``."""
    found = []
    for entry in resources.files("pytest_lsp.clients").iterdir():
        name = Path(str(entry)).name
        if name.endswith(".json") and (name.startswith("neovim_v") or name.startswith("emacs_v")):
            client, version = name[: -len(".json")].split("_v")
            found.append((client, tuple(int(p) for p in version.split(".")), f"{client}@v{version}"))
    return [spec for _, _, spec in sorted(found)]


PROFILES = shipped_profiles()


def pytest_configure(config: pytest.Config) -> None:
    if not PROFILES:
        raise pytest.UsageError("pytest-lsp ships no Neovim or Emacs profiles: wrong pytest-lsp version?")
    if not os.access(SERVER, os.X_OK):
        raise pytest.UsageError(
            f"no server binary at {SERVER}: run `swift build` in {REPO} or set SELFMOA_LSP"
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"selfmoa-lsp: {SERVER} {' '.join(SERVER_ARGS)}".rstrip(), f"client profiles: {', '.join(PROFILES)}"]


CONFIG = ClientServerConfig(server_command=[SERVER, *SERVER_ARGS], client_factory=make_client)


@pytest.fixture(scope="session", autouse=True)
def decoy_backend():
    """What the server finds in ``$SELFMOA_BACKEND_URL``: a backend that refuses everything.

    Tests pass the backend in ``initializationOptions``; a server that ignores it falls back
    to this environment variable (rather than starting the embedded llama-server) and fails
    fast with a message that says so."""
    decoy = StandIn(refuse_with=DECOY_MESSAGE).start()
    saved = os.environ.get("SELFMOA_BACKEND_URL")
    os.environ["SELFMOA_BACKEND_URL"] = decoy.url
    yield decoy
    if saved is None:
        os.environ.pop("SELFMOA_BACKEND_URL", None)
    else:
        os.environ["SELFMOA_BACKEND_URL"] = saved
    decoy.stop()


@pytest.fixture(scope="session")
def standin():
    backend = StandIn().start()
    yield backend
    backend.stop()


def initialization_options(standin: StandIn) -> dict[str, Any]:
    return {
        "backend": {"url": standin.url},
        "explain": {"samples": SAMPLES},
        "review": {"samples": SAMPLES},
        "complete": {"samples": SAMPLES},
    }


def profile_capabilities(spec: str, *, results: bool = False) -> types.ClientCapabilities:
    caps = client_capabilities(spec)
    if results:
        experimental = dict(caps.experimental or {})
        experimental["selfmoa"] = {"results": True}
        caps.experimental = experimental
    return caps


async def initialize(
    client: SelfmoaClient, capabilities: types.ClientCapabilities, options: dict[str, Any] | None
) -> types.InitializeResult:
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            client_info=types.ClientInfo(name="pytest-lsp", version=pytest_lsp.__version__),
            root_uri=None,
            initialization_options=options,
        )
    )
    client.encoding = str(result.capabilities.position_encoding or "utf-16")
    client.initialize_result = result
    return result


async def end_session(client: SelfmoaClient, *, initialized: bool) -> None:
    """Shuts the server down the way the spec says and checks what the session saw."""
    process = client._server
    problems: list[str] = []
    try:
        if process is not None and process.returncode is None and client.error is None:
            if initialized:
                await asyncio.wait_for(client.shutdown_session(), 15)
                if process.returncode != 0:
                    problems.append(f"exit after shutdown ended the server with {process.returncode}, not 0")
            else:
                # Closing stdin counts as exit (without shutdown).
                assert process.stdin is not None
                process.stdin.close()
                await asyncio.wait_for(process.wait(), 15)
    except (TimeoutError, asyncio.TimeoutError):
        problems.append("the server did not exit within 15 s of shutdown/exit")
    finally:
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()

    problems += client.server_errors
    if client.error is not None:
        problems.append(f"client error: {client.error!r}")
    sent = client.protocol.sent_ids
    responses = [m.get("id") for m in client.raw if "method" not in m and "id" in m]
    for msg_id, count in Counter(map(repr, responses)).items():
        if count > 1:
            problems.append(f"request {msg_id} answered {count} times")
    for msg_id in responses:
        if msg_id is not None and repr(msg_id) not in sent:
            problems.append(f"response to id {msg_id!r}, which the client never used")
    if problems:
        pytest.fail("session problems:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def client(request, lsp_client: SelfmoaClient, standin):
    lsp_client.profile = request.param
    await initialize(lsp_client, profile_capabilities(request.param), initialization_options(standin))
    yield
    await end_session(lsp_client, initialized=True)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def results_client(request, lsp_client: SelfmoaClient, standin):
    lsp_client.profile = request.param
    await initialize(
        lsp_client, profile_capabilities(request.param, results=True), initialization_options(standin)
    )
    yield
    await end_session(lsp_client, initialized=True)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def server(request, lsp_client: SelfmoaClient):
    lsp_client.profile = request.param
    yield
    await end_session(lsp_client, initialized=lsp_client.initialize_result is not None)


@pytest_lsp.fixture(config=CONFIG)
async def bare_server(lsp_client: SelfmoaClient):
    lsp_client.profile = "bare"
    yield
    await end_session(lsp_client, initialized=lsp_client.initialize_result is not None)
