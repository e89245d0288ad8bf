#!/bin/bash
# tests/fresh/readme-commands.sh [README] - the newcomer's commands of the
# README, one per line: the ```sh block that follows the line
# "<!-- test-fresh ...".  `make test-fresh` runs exactly these lines, so
# the test cannot drift from what the README tells a newcomer to type.
# Exits 1 when the README has no such block.

set -eu
readme=${1:-$(dirname "$0")/../../README.md}
awk '
    /^<!-- test-fresh/ { armed = 1; next }
    armed && !inside && /^```sh[ \t]*$/ { inside = 1; next }
    inside && /^```/ { found = 1; exit }
    inside && NF { print }
    END { exit !found }' "$readme"
