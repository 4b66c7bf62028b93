#!/usr/bin/env sh
# What the browser tests (make e2e) need from the system: Debian's Chromium (never a browser
# downloaded by Playwright), Java for the Nu Html Checker, npm for axe-core and vnu-jar. Installs
# the missing ones with apt-get when run as root on Debian/Ubuntu, otherwise prints the command.
set -eu

CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}

missing=""
[ -x "$CHROMIUM" ] || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

# shellcheck disable=SC2086 (one word a package)
exec "$(dirname "$0")/../scripts/install-missing.sh" "system packages for the browser tests" $missing
