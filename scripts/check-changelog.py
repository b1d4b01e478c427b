#!/usr/bin/env python3
"""Checks CHANGELOG.md's form (called by scripts/docs, so CI runs it).

Usage: check-changelog.py CHANGELOG.md pom.xml

Keep a Changelog: version headings '## [Unreleased]' or '## [X.Y.Z] - YYYY-MM-DD', newest first;
under them only the sections Added, Changed, Deprecated, Removed, Fixed, Security. The version in
pom.xml must have its heading: '[Unreleased]' first while it is a -SNAPSHOT, '[X.Y.Z]' for a
release, so a release cannot be cut without its notes.
"""
import re
import sys

SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def project_version(pom):
    text = open(pom, encoding="utf-8").read()
    text = re.sub(r"<parent>.*?</parent>", "", text, flags=re.S)
    match = re.search(r"<artifactId>[^<]+</artifactId>\s*<version>([^<]+)</version>", text)
    if not match:
        raise SystemExit("error: %s: no project version" % pom)
    return match.group(1)


def problems(changelog, version):
    found = []
    versions = []
    current = None
    for number, line in enumerate(open(changelog, encoding="utf-8").read().splitlines(), 1):
        where = "%s:%d" % (changelog, number)
        if line.startswith("## "):
            heading = re.fullmatch(r"## \[(Unreleased|\d+\.\d+\.\d+)\](?: - (\d{4}-\d{2}-\d{2}))?", line)
            if not heading or (heading.group(1) == "Unreleased") != (heading.group(2) is None):
                found.append("%s: expected '## [Unreleased]' or '## [X.Y.Z] - YYYY-MM-DD', got '%s'" % (where, line))
                continue
            current = heading.group(1)
            versions.append(current)
        elif line.startswith("### "):
            if current is None:
                found.append("%s: '%s' before any version heading" % (where, line))
            elif line[4:] not in SECTIONS:
                found.append("%s: section '%s' is not one of %s" % (where, line[4:], ", ".join(sorted(SECTIONS))))
    if versions.count("Unreleased") > 1 or ("Unreleased" in versions and versions[0] != "Unreleased"):
        found.append("%s: [Unreleased] comes once, above every release" % changelog)
    if version.endswith("-SNAPSHOT"):
        if not versions or versions[0] != "Unreleased":
            found.append("%s: the build is %s, so the first heading must be '## [Unreleased]'" % (changelog, version))
    elif version not in versions:
        found.append("%s: no '## [%s] - YYYY-MM-DD' for the version in pom.xml: write the release notes" % (changelog, version))
    return found


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: check-changelog.py CHANGELOG.md pom.xml")
    errors = problems(sys.argv[1], project_version(sys.argv[2]))
    for error in errors:
        print("error: " + error, file=sys.stderr)
    sys.exit(1 if errors else 0)
