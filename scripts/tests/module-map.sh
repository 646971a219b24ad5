#!/usr/bin/env bash
# README's module map matches Package.swift, and the manifest declares only what the code imports.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/module-map --check
