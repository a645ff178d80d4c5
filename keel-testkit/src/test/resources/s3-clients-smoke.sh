#!/usr/bin/env bash
# Scripted smoke test of Debian's S3 clients against a Keel S3 endpoint: awscli (high-level s3 and
# s3api), rclone and s3cmd. Each client creates its own bucket, uploads a small file, a tree and a
# file big enough for multipart, reads everything back byte for byte, lists, deletes and removes
# the bucket. Any failure exits non-zero with the step that failed.
#   S3_ENDPOINT=http://127.0.0.1:PORT S3_ACCESS_KEY=... S3_SECRET_KEY=... s3-clients-smoke.sh WORKDIR
set -euo pipefail
: "${S3_ENDPOINT:?}" "${S3_ACCESS_KEY:?}" "${S3_SECRET_KEY:?}"
WORK=${1:?work directory}
HOSTPORT=${S3_ENDPOINT#http://}
# Only what this script sets: an inherited AWS_CA_BUNDLE, profile or endpoint would change what
# the clients do (rclone refuses to start with a CA bundle on a plain HTTP endpoint).
for v in $(compgen -e | grep '^AWS_' || true); do unset "$v"; done
step() { echo "== $*" >&2; }
same() { cmp "$1" "$2" || { echo "content differs: $1 $2" >&2; exit 1; }; }
# grep -q stops at the first match, and the client writing the rest then dies of SIGPIPE, which
# pipefail reports as a failure (exit 141): read the whole listing instead.
has() { grep -- "$1" > /dev/null; }

mkdir -p "$WORK/tree/sub" "$WORK/back"
head -c 1000 /dev/urandom > "$WORK/small.bin"
head -c 21000000 /dev/urandom > "$WORK/big.bin"
for i in 1 2 3 4 5; do head -c $((i * 3000)) /dev/urandom > "$WORK/tree/f$i"; done
echo "nested" > "$WORK/tree/sub/deep.txt"

# --- awscli (Debian's, not any other aws on PATH) ---
AWS=/usr/bin/aws
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
aws() { "$AWS" --endpoint-url "$S3_ENDPOINT" "$@"; }
step "awscli: mb, cp, sync, ls"
aws s3 mb s3://smoke-aws
aws s3 cp "$WORK/small.bin" s3://smoke-aws/small.bin
aws s3 cp "$WORK/big.bin" s3://smoke-aws/big.bin            # multipart above 8 MiB
aws s3 sync "$WORK/tree" s3://smoke-aws/tree
aws s3 ls s3://smoke-aws/tree/ --recursive | has "tree/sub/deep.txt"
step "awscli: read back"
aws s3 cp s3://smoke-aws/small.bin "$WORK/back/aws-small.bin"; same "$WORK/small.bin" "$WORK/back/aws-small.bin"
aws s3 cp s3://smoke-aws/big.bin "$WORK/back/aws-big.bin"; same "$WORK/big.bin" "$WORK/back/aws-big.bin"
aws s3 sync s3://smoke-aws/tree "$WORK/back/aws-tree"; diff -r "$WORK/tree" "$WORK/back/aws-tree"
step "awscli: s3api"
aws s3api put-object --bucket smoke-aws --key api/one --body "$WORK/small.bin" --metadata colour=blue >/dev/null
aws s3api head-object --bucket smoke-aws --key api/one | has '"colour": "blue"'
test "$(aws s3api list-objects-v2 --bucket smoke-aws --prefix tree/ --delimiter / --query 'CommonPrefixes[0].Prefix' --output text)" = "tree/sub/"
aws s3api delete-object --bucket smoke-aws --key api/one
! aws s3api head-object --bucket smoke-aws --key api/one 2>/dev/null
step "awscli: rb --force"
aws s3 rb s3://smoke-aws --force

# --- rclone ---
export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_KEEL_TYPE=s3 RCLONE_CONFIG_KEEL_PROVIDER=Other \
    RCLONE_CONFIG_KEEL_ENDPOINT=$S3_ENDPOINT RCLONE_CONFIG_KEEL_ACCESS_KEY_ID=$S3_ACCESS_KEY \
    RCLONE_CONFIG_KEEL_SECRET_ACCESS_KEY=$S3_SECRET_KEY RCLONE_CONFIG_KEEL_REGION=us-east-1 \
    RCLONE_CONFIG_KEEL_FORCE_PATH_STYLE=true
step "rclone: mkdir, copy, check"
rclone mkdir keel:smoke-rclone
rclone copy "$WORK/tree" keel:smoke-rclone/tree
rclone copyto "$WORK/big.bin" keel:smoke-rclone/big.bin
rclone check "$WORK/tree" keel:smoke-rclone/tree
rclone copyto keel:smoke-rclone/big.bin "$WORK/back/rclone-big.bin"; same "$WORK/big.bin" "$WORK/back/rclone-big.bin"
rclone lsf -R keel:smoke-rclone | has "tree/sub/deep.txt"
step "rclone: purge"
rclone purge keel:smoke-rclone

# --- s3cmd ---
cat > "$WORK/s3cfg" <<CFG
[default]
access_key = $S3_ACCESS_KEY
secret_key = $S3_SECRET_KEY
host_base = $HOSTPORT
host_bucket = $HOSTPORT
use_https = False
signature_v2 = False
bucket_location = us-east-1
CFG
s3cmd() { command s3cmd -c "$WORK/s3cfg" "$@"; }
step "s3cmd: mb, put, get, ls, del, rb"
s3cmd mb s3://smoke-s3cmd
s3cmd put "$WORK/small.bin" s3://smoke-s3cmd/small.bin
s3cmd put --multipart-chunk-size-mb=5 "$WORK/big.bin" s3://smoke-s3cmd/big.bin
s3cmd get s3://smoke-s3cmd/big.bin "$WORK/back/s3cmd-big.bin"; same "$WORK/big.bin" "$WORK/back/s3cmd-big.bin"
s3cmd ls s3://smoke-s3cmd | has "small.bin"
s3cmd del s3://smoke-s3cmd/small.bin s3://smoke-s3cmd/big.bin
s3cmd rb s3://smoke-s3cmd
echo "all S3 clients passed" >&2
