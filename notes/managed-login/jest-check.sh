#!/bin/sh
# Runs jest/load.spec.ts under Jest 30 (this repo's) and Jest 29 (installed apart in $JEST29, e.g.
# `npm install --prefix /tmp/jest29 jest@29`), each with: the repo's setup as is ("plain"), the
# transform of the three ESM-only packages ("transform"), and NODE_OPTIONS=--experimental-vm-modules.
# NODES: a list of node binaries' folders to put first on PATH (default: the current node).
cd "$(dirname "$0")/../.." || exit 1
JEST29=${JEST29:-/tmp/jest29}
for bin in ${NODES:-$(dirname "$(command -v node)")}; do
  for jest in "node_modules/.bin/jest:30" "$JEST29/node_modules/.bin/jest:29"; do
    cli=${jest%:*}; major=${jest##*:}
    [ -x "$cli" ] || { echo "no Jest $major at $cli"; continue; }
    for config in plain transform; do
      PATH="$bin:$PATH" JEST_LABEL="$major-$config" "$cli" -c "notes/managed-login/jest/jest.$config.config.js" 2>&1 | grep '^{'
    done
    PATH="$bin:$PATH" JEST_LABEL="$major-vm-modules" NODE_OPTIONS=--experimental-vm-modules \
      "$cli" -c notes/managed-login/jest/jest.plain.config.js 2>&1 | grep '^{'
  done
done
