"""Writes the SQL one dbtool session sent, as the server logged it, as a script for `psql -f`.

    python3 bench/capture_sql.py LOG_DIRECTORY APPLICATION_NAME > round.sql

Reads the server's csvlog (log_statement = all) and takes the last session whose
application_name is APPLICATION_NAME: every statement it executed, in order, with the
parameters of prepared statements written in as literals (the server logs them as
"parameters: $1 = '...'"), so that psql runs exactly the statements dbtool ran, with the same
values. Prints how many statements it found to stderr.
"""
import csv
import re
import sys
from pathlib import Path

# The columns of PostgreSQL's csvlog (13 and later; 16+ adds none before application_name).
MESSAGE, DETAIL, APPLICATION = 13, 14, 22
SESSION = 5
STATEMENT = re.compile(r"^(?:statement|execute [^:]*): (.*)$", re.DOTALL)
PARAMETER = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def statements(log_directory, application):
    sessions = {}
    for path in sorted(Path(log_directory).glob("*.csv")):
        with path.open(newline="", encoding="utf-8", errors="replace") as file:
            for row in csv.reader(file):
                if len(row) <= APPLICATION or row[APPLICATION] != application:
                    continue
                match = STATEMENT.match(row[MESSAGE])
                if match:
                    sessions.setdefault(row[SESSION], []).append(inline(match.group(1), row[DETAIL]))
    return list(sessions.values())[-1] if sessions else []


def inline(sql, detail):
    values = dict(PARAMETER.findall(detail)) if detail.startswith("parameters:") else {}
    # Highest number first, so that $1 does not eat the start of $12.
    for number in sorted(values, key=int, reverse=True):
        sql = sql.replace(f"${number}", values[number])
    return sql


def main(argv):
    found = statements(argv[1], argv[2])
    if not found:
        sys.exit(f"capture_sql: no statements of application {argv[2]!r} in {argv[1]}/*.csv (log_statement = all?)")
    for sql in found:
        print(sql.rstrip().rstrip(";"))
        print(";")
    print(f"capture_sql: {len(found)} statements", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
