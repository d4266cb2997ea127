#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's repositories.
# Idempotent: packages already present are left alone, so a machine that has
# everything runs no apt-get at all.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  librocksdb-dev libgrpc++-dev protobuf-compiler-grpc protobuf-compiler
  libprotobuf-dev libabsl-dev libxgboost-dev xgboost
  libgtest-dev libgmock-dev libbenchmark-dev libicu-dev libphonenumber-dev
  python3-xgboost
  libssl-dev openssl         # bearer token hashes; test certificates
  clang libclang-rt-14-dev   # scripts/fuzz.sh: libFuzzer, ASan, UBSan
  libcpp-httplib-dev         # the review page's HTTP server (c360 serve --http-listen)
  chromium                   # tests/web: the review page in headless Chromium
)
# tests/web runs on Node.js (18 or later) with npm. A machine may have them
# from elsewhere (NodeSource's nodejs bundles npm and conflicts with
# Debian's npm package), so Debian's are added only when the commands are
# missing.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
