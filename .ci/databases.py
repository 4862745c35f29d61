"""Where a test's server keeps its records: a new SQLite file, or a new database on the
PostgreSQL server `.ci/postgres.sh` started (`COULOIR_TEST_POSTGRES_URL`), and queries
against either from outside, as an operator's tools would make them."""
import os
import sqlite3
import subprocess
import urllib.parse
import uuid


def backend_argument(arguments):
    """Adds `--backend sqlite|postgres` to an argparse parser."""
    arguments.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite",
                           help="where the server keeps its records (postgres: COULOIR_TEST_POSTGRES_URL's server)")


def new_database(backend, workdir, name="couloir"):
    """A database no one has used: an SQLite path in `workdir`, or a PostgreSQL URL."""
    if backend == "sqlite":
        return os.path.join(workdir, name + ".sqlite")
    base = os.environ.get("COULOIR_TEST_POSTGRES_URL")
    if not base:
        raise SystemExit("COULOIR_TEST_POSTGRES_URL is not set: source .ci/postgres.sh first")
    database = f"{name}_{uuid.uuid4().hex[:12]}".lower()
    subprocess.run(["psql", base, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {database}"], check=True)
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


def rows(database, statement, parameters=()):
    """The rows `statement` reads, as tuples of text or numbers; `?` marks parameters."""
    if not database.startswith("postgres"):
        with sqlite3.connect(database) as connection:
            return connection.execute(statement, parameters).fetchall()
    text = statement
    for value in parameters:
        quoted = "'" + str(value).replace("'", "''") + "'"
        text = text.replace("?", quoted, 1)
    output = subprocess.run(["psql", database, "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-c", text],
                            check=True, capture_output=True, text=True).stdout
    result = []
    for line in output.splitlines():
        result.append(tuple(int(v) if v.lstrip("-").isdigit() else v for v in line.split("\x1f")))
    return result


def execute(database, statement):
    """Runs a statement that reads nothing."""
    if not database.startswith("postgres"):
        with sqlite3.connect(database) as connection:
            connection.execute(statement)
        return
    subprocess.run(["psql", database, "-q", "-v", "ON_ERROR_STOP=1", "-c", statement], check=True)
