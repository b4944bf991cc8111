#!/usr/bin/env bash
# GPU check for the classifier: `prepare` (here, with the .NET SDK) builds a bundle of the benchmark with TorchSharp
# against an external libtorch plus the .NET runtime; `run` (on the GPU machine, no .NET, no network) unpacks it, points
# TorchSharp at the machine's Python PyTorch CUDA libtorch and runs `vitrina-bench classifier` there, then the same
# models in Python PyTorch, in one run. The bundle leaves out the 64 MB ResNet-18 backbone (the carried tree is capped
# at 64 MiB), so the GPU figures are for the paper's models; `precision` then compares float16 and bfloat16 with
# float32, and `pipeline` runs the whole ingest (folder -> prepare -> classify on the GPU -> catalogue, in SQLite: no
# PostgreSQL there).
#   deploy/gpu/gpu-check.sh prepare            -> deploy/gpu/bundle/{app,dotnet}.tar.xz
#   deploy/gpu/gpu-check.sh run [TORCH_VENV]   -> prints the tables (PARTS="classifier precision pipeline python" picks;
#                                                 PIPELINE_IMAGES, PIPELINE_SHOPS="32 96" size the pipeline runs,
#                                                 PRECISION_IMAGES the agreement check (2048),
#                                                 PIPELINE_PHOTO_SIDE=1080 enlarges its photos to Instagram's size;
#                                                 CLASSIFIER_ARGS=--delays-only runs only the batching-latency table;
#                                                 TORCH_LIB names a libtorch folder instead of the venv's)
#   deploy/gpu/gpu-check.sh rehearse           -> `run` here on the CPU, against the NuGet cache's libtorch (the version
#                                                 TorchSharp was built for), at small sizes and without Python: checks
#                                                 that the bundle unpacks, loads an external libtorch and runs every part
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="$here/bundle"

case "${1:-}" in
prepare)
  rm -rf "$bundle" && mkdir -p "$bundle"
  app=$(mktemp -d) artifacts=$(mktemp -d)
  # Built apart (--artifacts-path): built in place, the external backend left every project's bin folder without
  # libtorch, and ./vitrina and the tests failed to load it until the next full build.
  dotnet publish "$root/tests/Benchmarks/Vitrina.Benchmarks.csproj" -c Release -p:TorchBackend=external --artifacts-path "$artifacts" \
    -o "$app" -v quiet -nologo
  rm -rf "$artifacts"
  # The backbone and libvips (the decode bench's comparison only) would push the carried tree past 64 MiB.
  rm -f "$app/backbones/ResNet18.onnx" "$app"/libvips*
  tar -C "$app" -cf - . | xz -6 -T2 > "$bundle/app.tar.xz"
  runtime=$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {print $2}' | tail -1)
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  tar -C "$dotnet_root" -cf - dotnet host/fxr shared/Microsoft.NETCore.App/"$runtime" shared/Microsoft.AspNetCore.App/"$runtime" \
    | xz -6 -T2 > "$bundle/dotnet.tar.xz"
  du -sh "$bundle"/*
  ;;
run)
  venv="${2:-/opt/torch/.venv}"
  work="${WORK:-/tmp/vitrina-gpu}"
  mkdir -p "$work/app" "$work/dotnet"
  tar -xJf "$bundle/dotnet.tar.xz" -C "$work/dotnet"
  tar -xJf "$bundle/app.tar.xz" -C "$work/app"
  torch_lib=${TORCH_LIB:-$(ls -d "$venv"/lib/python3*/site-packages/torch/lib 2>/dev/null | head -1)}
  [[ -n $torch_lib ]] || { echo "no PyTorch in $venv (lib/python3*/site-packages/torch/lib): pass the venv, or TORCH_LIB" >&2; exit 1; }
  if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true; fi
  export DOTNET_ROOT="$work/dotnet" LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export NUGET_PACKAGES="$work/no-nuget" DOTNET_CLI_TELEMETRY_OPTOUT=1
  parts=" ${PARTS:-classifier precision pipeline python} "
  failed=0 # every part runs even when one fails; the exit status says whether any did
  if [[ $parts == *" classifier "* ]]; then
    echo "=== vitrina-bench classifier (TorchSharp on $torch_lib)"
    (cd "$work/app" && timeout 420 "$work/dotnet/dotnet" vitrina-bench.dll classifier --seconds "${SECONDS_PER_POINT:-2}" ${CLASSIFIER_ARGS:-}) || { echo "bench rc=$?"; failed=1; }
  fi
  if [[ $parts == *" precision "* ]]; then
    echo "=== vitrina-bench precision (float16 and bfloat16 vs float32, same photos)"
    (cd "$work/app" && timeout 120 "$work/dotnet/dotnet" vitrina-bench.dll precision --images "${PRECISION_IMAGES:-2048}") || { echo "precision rc=$?"; failed=1; }
  fi
  if [[ $parts == *" pipeline "* ]]; then
    echo "=== vitrina-bench pipeline (GPU classifier, every core preparing photos, catalogue in SQLite)"
    for shops in ${PIPELINE_SHOPS:-32}; do
      (cd "$work/app" && timeout 240 "$work/dotnet/dotnet" vitrina-bench.dll pipeline --images "${PIPELINE_IMAGES:-60000}" --shops "$shops" ${PIPELINE_PHOTO_SIDE:+--photo-side "$PIPELINE_PHOTO_SIDE"}) || { echo "pipeline rc=$?"; failed=1; }
    done
  fi
  if [[ $parts == *" python "* ]]; then
    echo "=== Python PyTorch, same models and batches"
    timeout 300 "$venv/bin/python" "$here/torch_reference.py" || { echo "python rc=$?"; failed=1; }
  fi
  exit "$failed"
  ;;
rehearse)
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  lib=$(ls -d "$packages"/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native 2>/dev/null | sort -V | tail -1)
  [[ -n $lib ]] || { echo "no libtorch-cpu-linux-x64 in $packages: restore the solution first" >&2; exit 1; }
  [[ -f $bundle/app.tar.xz ]] || { echo "no bundle: run '$0 prepare' first" >&2; exit 1; }
  # CPU float16 runs at ~18 photos/s here, so the sizes that fill a GPU's minutes would take an hour.
  TORCH_LIB="$lib" PARTS="${PARTS:-classifier precision pipeline}" CLASSIFIER_ARGS="${CLASSIFIER_ARGS:---delays-only}" \
    PRECISION_IMAGES="${PRECISION_IMAGES:-128}" PIPELINE_IMAGES="${PIPELINE_IMAGES:-1200}" WORK="${WORK:-/tmp/vitrina-gpu-rehearsal}" \
    exec "$0" run
  ;;
*)
  sed -n '2,18p' "$0"; exit 2 ;;
esac
