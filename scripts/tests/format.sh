#!/usr/bin/env bash
# The code stays as swift-format (the toolchain's, configured by .swift-format) leaves it.
# Fix a failure with: swift format --in-place --recursive --parallel Sources Tests Package.swift bench
set -euo pipefail
cd "$(dirname "$0")/../.."
swift format lint --strict --recursive --parallel Sources Tests Package.swift
echo "format: Sources/, Tests/ and Package.swift match .swift-format"
