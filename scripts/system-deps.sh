#!/usr/bin/env sh
# Checks the system packages the app needs (WeasyPrint's libraries and a font, gettext for
# compilemessages, poppler-utils for the tests that read generated PDFs back); installs them with apt-get
# when run as root on Debian/Ubuntu, otherwise prints the one command to run and fails.
set -eu

PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext poppler-utils"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for package in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $package"
  done
else
  # Not Debian: check the libraries themselves.
  for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
  done
  command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
fi

# shellcheck disable=SC2086 (one word a package)
exec "$(dirname "$0")/install-missing.sh" "system packages" $missing
