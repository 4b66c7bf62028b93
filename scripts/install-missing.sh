#!/usr/bin/env sh
# install-missing.sh WHAT [PACKAGE...]: installs the missing Debian packages with apt-get when
# run as root on Debian/Ubuntu, otherwise prints the command to run and fails. Nothing missing:
# nothing to do. Called by scripts/system-deps.sh and e2e/system-deps.sh.
set -eu

what=$1
shift
[ "$#" -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing $what: $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  exit 0
fi

echo "Missing $what: $*" >&2
echo "Install them first, for example on Debian/Ubuntu:" >&2
echo "  sudo apt-get install -y $*" >&2
exit 1
