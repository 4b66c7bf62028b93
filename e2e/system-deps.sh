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

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages for the browser tests:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  exit 0
fi

echo "Missing system packages for the browser tests:$missing" >&2
echo "Install them first, for example on Debian/Ubuntu:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
