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

    def create_database(self, template: str | None = None) -> str:
        """A new database on the cluster — empty, or a copy of the database at URL `template` — and its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        if template is None:
            self.sql(f"CREATE DATABASE {name}")
        else:
            source = template.rsplit("/", 1)[1]
            # A template must have no other sessions: end the ones a test's pooled engines keep open.
            self.sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source}'")
            self.sql(f"CREATE DATABASE {name} TEMPLATE {source}")
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with psql as the cluster's superuser; its output."""
        args = ("-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", database, "-qAt", "-c", statement)
        return self._run("psql", *args).stdout

    def dump(self, url: str) -> str:
        """The database at `url` as SQL text (pg_dump): schema and every row."""
        name = url.rsplit("/", 1)[1]
        dump = self._run("pg_dump", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name).stdout
        # pg_dump fences its output with a random \restrict key: not part of the database.
        return "".join(
            line for line in dump.splitlines(keepends=True) if not line.startswith(("\\restrict", "\\unrestrict"))
        )

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
