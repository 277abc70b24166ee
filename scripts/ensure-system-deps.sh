#!/usr/bin/env bash
# What the tests need from the system besides npm packages (Debian packages): aapt, chromium,
# android-framework-res, dexdump, smali with a JRE, apksigner, zipalign and a CJK font.
# `npm test` and .ci/run both call this; it installs only what is missing (apt-get, as root or
# through sudo) and does nothing when all is there.
# OVERREACH_SKIP_SYSTEM_DEPS=1 skips it (a machine set up some other way).
set -euo pipefail
[ "${OVERREACH_SKIP_SYSTEM_DEPS:-}" = "1" ] && exit 0
need=()
command -v aapt >/dev/null 2>&1 || need+=(aapt)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/android-framework-res/framework-res.apk ] || need+=(android-framework-res)
# A CJK font, so the zh report's screenshots show Chinese text (test/report-zh.test.ts).
[[ "$(fc-list 2>/dev/null)" == *"Noto Sans CJK"* ]] || need+=(fonts-noto-cjk)
# The DEX reader's oracle, and the calibration APK's toolchain (smali needs a JRE).
command -v dexdump >/dev/null 2>&1 || need+=(dexdump)
command -v smali >/dev/null 2>&1 || need+=(libsmali-java)
{ command -v java >/dev/null 2>&1 && command -v keytool >/dev/null 2>&1; } || need+=(default-jre-headless)
command -v apksigner >/dev/null 2>&1 || need+=(apksigner)
command -v zipalign >/dev/null 2>&1 || need+=(zipalign)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "overreach: the tests need the Debian packages ${need[*]}; this system has no apt-get, install them by hand" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "overreach: the tests need ${need[*]}: run as root, or: apt-get install ${need[*]}" >&2
    exit 1
  fi
  # A password prompt only where someone can answer it.
  if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
fi
echo "overreach: installing ${need[*]} for the tests" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
