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
)

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
