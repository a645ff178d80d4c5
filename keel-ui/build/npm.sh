#!/bin/sh
# One npm step of the keel-ui Maven build (ci, build or test); fails clearly without Node.js and npm.
set -eu
cd "$(dirname "$0")/.."

missing() {
    echo "keel-ui: $1" >&2
    echo "keel-ui: building the web UI needs Node.js 20+ (20.19 or later) and npm; scripts/env.sh's setup installs them." >&2
    echo "keel-ui: to build only the Java modules, add -Dkeel.ui.skip=true" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || missing "node is not on the PATH"
command -v npm >/dev/null 2>&1 || missing "npm is not on the PATH"
version=$(node -p 'process.versions.node')
major=${version%%.*}
minor=${version#*.}
minor=${minor%%.*}
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    missing "node $version is too old"
fi

case "${1:-}" in
    ci)
        # npm ci deletes and refetches node_modules; skip it while node_modules matches the lock file.
        if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
            echo "keel-ui: node_modules is newer than package-lock.json, skipping npm ci"
            exit 0
        fi
        exec npm ci --no-audit --no-fund
        ;;
    build)
        exec npm run build
        ;;
    test)
        if [ "${2:-false}" = "true" ]; then
            echo "keel-ui: tests skipped"
            exit 0
        fi
        exec npm test
        ;;
    *)
        echo "usage: build/npm.sh ci|build|test [skipTests]" >&2
        exit 2
        ;;
esac
