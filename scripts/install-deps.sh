#!/usr/bin/env bash
# Installs the Debian packages lclab needs to build, test and benchmark; with
# --mpi also Open MPI, for the optional MPI build (make mpi, make test-mpi).
# Installs only what is missing; as root directly, otherwise through sudo.
# On a system other than Debian/Ubuntu, install the equivalents by hand:
#   a C++20 compiler (GCC >= 12 or Clang >= 15), CMake >= 3.20, make,
#   Boost >= 1.74 (random, program_options), HDF5 >= 1.10 (C library),
#   toml++ >= 3.0, NLopt >= 2.7 (C++ API), GoogleTest >= 1.12, Google Benchmark >= 1.6, pkg-config,
#   for the output-format test Python 3 with h5py and pandas, and for the report's browser test
#   a headless Chromium and Python's PIL.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config
  libboost-random-dev libboost-program-options-dev
  libhdf5-dev
  libtomlplusplus-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  libnlopt-cxx-dev
  python3 python3-h5py python3-pandas
  chromium fonts-dejavu-core python3-pil
)
if [[ "${1:-}" == "--mpi" ]]; then
  packages+=(libopenmpi-dev openmpi-bin)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: this is not a Debian-based system (no dpkg/apt-get)." >&2
  echo "install-deps: install these by hand: ${packages[*]} (or your system's equivalents, see this script's header)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: not root and no sudo; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
