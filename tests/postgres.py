"""A throwaway PostgreSQL cluster for tests: Debian's `postgresql` binaries, `initdb` in a temp folder
as an unprivileged user, listening on a free loopback port, `fsync` off, stopped at the end."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

USER = "versus"


def binaries() -> Path | None:
    """The newest installed server's bin folder (/usr/lib/postgresql/<version>/bin), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    bindir: Path
    run_as: str | None  # an unprivileged account when the tests run as root

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database on the cluster; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            USER,
            "-d",
            "postgres",
            "-q",
            "-c",
            f"CREATE DATABASE {name}",
        )
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.run_as:
            command = ["setpriv", f"--reuid={self.run_as}", f"--regid={self.run_as}", "--init-groups", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)


def start_cluster() -> Cluster:
    """A new cluster in its own temp folder (readable by the account that runs it)."""
    bindir = binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package `postgresql`)")
    folder = Path(tempfile.mkdtemp(prefix="versus-pg-"))
    run_as = None
    if os.geteuid() == 0:  # initdb refuses to run as root: use the package's own service account
        run_as = "postgres"
        account = pwd.getpwnam(run_as)
        os.chown(folder, account.pw_uid, account.pw_gid)
    cluster = Cluster(folder, _free_port(), bindir, run_as)
    data = folder / "data"
    cluster._run("initdb", "-D", str(data), "-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8")
    options = (
        f"-p {cluster.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    cluster._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", cluster.port), timeout=0.5):
                return cluster
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not start: {(folder / 'log').read_text()[-800:]}")
