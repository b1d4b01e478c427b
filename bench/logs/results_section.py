"""Writes one '## TITLE' section into bench/logs/results.md, replacing the section of that title.

    python3 bench/logs/results_section.py RESULTS_FILE TITLE INTRO TABLE
"""
import datetime
import os
import platform
import re
import sys

path, title, intro, table = sys.argv[1:5]
stamp = f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores"
section = f"## {title}\n\n{intro.replace('{stamp}', stamp)}\n\n{table}\n"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# dbtool logs benchmarks\n"
pattern = re.compile(r"## " + re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: section.rstrip("\n"), text)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text.rstrip("\n") + "\n")
