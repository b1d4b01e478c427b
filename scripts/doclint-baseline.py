#!/usr/bin/env python3
"""Compares javadoc's -Xdoclint warnings with the listed, known gaps (called by scripts/docs).

Usage: doclint-baseline.py JAVADOC_LOG BASELINE_FILE REGENERATE(true|false)

A gap is keyed by file, warning and the declaration's source line, without its line number, so
code added above a gap does not change the list. A warning not in the list fails (exit 1); with
REGENERATE=true the list is rewritten from the log instead.
"""
import re
import sys

HEADER = ("# Javadoc gaps in dbtool's public API (dbtool.spi, dbtool.toolkit) that predate the check in scripts/docs.\n"
          "# Any gap not listed here fails scripts/docs: document the new API. After documenting listed ones,\n"
          "# scripts/docs --regenerate shortens the list.\n")


def gaps(log):
    lines = open(log, encoding="utf-8").read().splitlines()
    found = set()
    for i, line in enumerate(lines):
        warning = re.match(r"^(.*?):\d+: warning: (.*)$", line)
        if warning:
            source = lines[i + 1].strip() if i + 1 < len(lines) else ""
            found.add("%s: %s: %s" % (warning.group(1), warning.group(2), source))
        elif re.match(r"^.*?:\d+: error: ", line):
            raise SystemExit("error: javadoc: " + line)
    return found


def main(log, baseline_file, regenerate):
    found = gaps(log)
    if regenerate:
        with open(baseline_file, "w", encoding="utf-8") as out:
            out.write(HEADER + "".join(sorted(g + "\n" for g in found)))
        print("docs: %d Javadoc gaps listed in %s" % (len(found), baseline_file), file=sys.stderr)
        return 0
    with open(baseline_file, encoding="utf-8") as listing:
        listed = {l.rstrip("\n") for l in listing if l.strip() and not l.startswith("#")}
    new = sorted(found - listed)
    if new:
        print("error: public API without complete Javadoc (known gaps: %s):" % baseline_file, file=sys.stderr)
        for gap in new[:40]:
            print("  " + gap, file=sys.stderr)
        print("document it; or, to list it as a known gap after this scripts/docs run: "
              "python3 scripts/doclint-baseline.py %s %s true" % (log, baseline_file), file=sys.stderr)
        return 1
    documented = len(listed - found)
    if documented:
        print("docs: %d listed Javadoc gaps are documented now; scripts/docs --regenerate shortens %s"
              % (documented, baseline_file), file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: doclint-baseline.py JAVADOC_LOG BASELINE_FILE true|false")
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] == "true"))
