#!/usr/bin/env bash
# Regenerates Sources/SparkConnectProtocol/Generated/ — the Swift messages and gRPC client of Spark Connect — from the
# protocol of exactly the Spark version that .ci/spark-cluster runs. Run by hand when that version changes; CI never
# runs it (the generated code is committed).
#
# The .proto definitions come from the serialized descriptors inside pyspark's own generated Python modules
# (pyspark/sql/connect/proto/*_pb2.py), which protoc compiled from Spark's spark/connect/*.proto at the same tag:
# the same messages, field numbers and names as the server speaks. Only spark/connect/base.proto (the
# SparkConnectService and its messages) and what it imports are generated; google/protobuf/*.proto come with
# SwiftProtobuf. The descriptors carry no comments, so neither does the generated code.
#
# Needs: protoc (Debian's protobuf-compiler, installed here if missing), python3, and the Swift toolchain, which
# builds the two protoc plugins from the same package versions that Package.swift resolves: protoc-gen-swift of
# swift-protobuf 1.39.0 and protoc-gen-grpc-swift-2 of grpc-swift-protobuf 2.4.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo_root=$(pwd)
out_dir=$repo_root/Sources/SparkConnectProtocol/Generated
swift_protobuf_version=1.39.0
grpc_swift_protobuf_version=2.4.1
work=$repo_root/.build-protoc-plugins   # git-ignored (.build-*/)

if ! command -v protoc >/dev/null; then
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends protobuf-compiler >/dev/null
fi

# pyspark at the version the cluster runs (its install step prints the folder it installed into).
python_dir=$(bash .ci/spark-cluster install)

# 1. The protoc plugins, from a package that pins exactly the versions the project builds against.
mkdir -p "$work/plugins"
cat >"$work/plugins/Package.swift" <<EOF
// swift-tools-version:6.1
// Written by Sources/SparkConnectProtocol/generate.sh: builds the protoc plugins at pinned versions.
import PackageDescription
let package = Package(
    name: "SparkConnectProtocPlugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "$swift_protobuf_version"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "$grpc_swift_protobuf_version"),
    ],
    targets: []
)
EOF
swift build --package-path "$work/plugins" --product protoc-gen-swift
swift build --package-path "$work/plugins" --product protoc-gen-grpc-swift-2
plugin_dir=$(swift build --package-path "$work/plugins" --show-bin-path)

# 2. A FileDescriptorSet of spark/connect/base.proto and everything it imports, in dependency order.
descriptors=$work/spark-connect.descriptors.pb
PYTHONPATH=$python_dir python3 -W ignore - "$descriptors" <<'PY'
import sys

import pyspark
from google.protobuf import descriptor_pb2
from pyspark.sql.connect.proto import base_pb2

ordered = {}

def add(file_descriptor):
    if file_descriptor.name in ordered:
        return
    for dependency in file_descriptor.dependencies:
        add(dependency)
    ordered[file_descriptor.name] = descriptor_pb2.FileDescriptorProto.FromString(file_descriptor.serialized_pb)

add(base_pb2.DESCRIPTOR)
descriptor_set = descriptor_pb2.FileDescriptorSet(file=list(ordered.values()))
with open(sys.argv[1], "wb") as f:
    f.write(descriptor_set.SerializeToString())
print(f"pyspark {pyspark.__version__}: " + " ".join(ordered), file=sys.stderr)
PY

# 3. Swift, package-visible: the protocol is PeerLensSpark's implementation detail, shared inside the package only.
mapfile -t spark_files < <(PYTHONPATH=$python_dir python3 -W ignore -c '
import sys
from google.protobuf import descriptor_pb2
s = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
print("\n".join(f.name for f in s.file if f.name.startswith("spark/connect/")))' "$descriptors")
rm -rf "$out_dir"
mkdir -p "$out_dir"
protoc --descriptor_set_in="$descriptors" \
  --plugin=protoc-gen-swift="$plugin_dir/protoc-gen-swift" \
  --swift_out="$out_dir" --swift_opt=Visibility=Package,FileNaming=DropPath \
  "${spark_files[@]}"
# The gRPC client of SparkConnectService, the one service (in base.proto).
protoc --descriptor_set_in="$descriptors" \
  --plugin=protoc-gen-grpc-swift-2="$plugin_dir/protoc-gen-grpc-swift-2" \
  --grpc-swift-2_out="$out_dir" \
  --grpc-swift-2_opt=Visibility=Package,FileNaming=DropPath,Client=true,Server=false \
  spark/connect/base.proto
echo "generated: $(ls "$out_dir" | tr '\n' ' ')" >&2
