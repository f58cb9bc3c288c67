#!/usr/bin/env bash
# Runs the lakehouse job on an Amazon EMR cluster as a Flink application on YARN, through EMR
# steps: submit (fresh or from a savepoint), savepoint, and stop with a savepoint.
#
# Works with the bash 3.2 of macOS: no mapfile, and empty arrays expanded as ${a[@]+"${a[@]}"}.
set -euo pipefail

ENTRY_CLASS=io.lakehousecdc.app.Lakehouse
# Flink 1.17 reflects into JDK internals on Java 17: the same flags as ./lakehouse and the Kubernetes
# manifests (a test keeps the three equal to the parent pom's flink.jvm.opens).
JAVA_OPTS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.sql/java.sql=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -Djdk.attach.allowAttachSelf=true -Djol.skipHotspotSAAttach=true"

usage() {
  cat <<'USAGE'
Usage: k8s/emr/lakehouse-emr.sh COMMAND [options]

Adds one EMR step (aws emr add-steps) that runs the Flink CLI on the cluster's primary node.

Commands:
  submit      start the job as a YARN application (flink run-application -t yarn-application)
  savepoint   take a savepoint; the job keeps running (flink savepoint)
  stop        stop the job with a final savepoint (flink stop --savepointPath);
              start it again with: submit --from-savepoint <that savepoint>

Every command:
  --cluster-id ID             the EMR cluster, j-...                                  (required)
  --region REGION             AWS region; default: the AWS CLI's
  --dry-run                   print the step as JSON instead of adding it
  -h, --help                  this text

submit:
  --jar S3_URI                lakehouse.jar (streaming-app/target) uploaded to S3     (required)
  --config S3_URI             the lakehouse.yaml to run with                          (required)
  --state-dir S3_URI          checkpoints go to <dir>/checkpoints, savepoints to <dir>/savepoints
                                                                                      (required)
  --set KEY=VALUE             a configuration override for lakehouse run (repeatable)
  --from-savepoint S3_URI     restore from this savepoint or retained checkpoint
  --allow-non-restored-state  restore even if some saved state has no operator any more
  --secret-id ID              an AWS Secrets Manager secret holding a JSON object; each key
                              becomes an environment variable of the JobManager, for the
                              config's ${env:NAME} references. Read on the primary node when the
                              step runs, so no value is ever part of the step.
  --name NAME                 YARN application name; default: lakehouse-cdc
  --java-home PATH            Java 17 on the cluster's nodes; default: /usr/lib/jvm/jre-17

savepoint, stop:
  --application-id ID         the YARN application, application_...                  (required)
  --job-id ID                 the Flink job id (Flink web UI, or flink list on the primary node)
                                                                                      (required)
  --target S3_URI             savepoint directory; default: the job's state.savepoints.dir

Exit codes: 0 step added (or printed), 1 the aws command failed, 2 usage error.
USAGE
}

usage_error() {
  printf 'lakehouse-emr: %s (see --help)\n' "$*" >&2
  exit 2
}

# The step runs this on the primary node with: jar config secret-id flink-options... -- job-arguments...
# The jar and the config are copied from S3 first; YARN ships the config into the JobManager's
# working directory, where the job reads it as ./lakehouse.yaml.
# shellcheck disable=SC2016 # expanded by the step's bash, not here
SUBMIT_ON_PRIMARY='set -euo pipefail
jar=$1 config=$2 secret_id=$3
shift 3
flink_options=()
while [ "$1" != "--" ]; do flink_options+=("$1"); shift; done
shift
work=$(mktemp -d /tmp/lakehouse-step.XXXXXX)
aws s3 cp --only-show-errors "$jar" "$work/lakehouse.jar"
aws s3 cp --only-show-errors "$config" "$work/lakehouse.yaml"
secret_env=()
if [ -n "$secret_id" ]; then
  secret_lines=$(aws secretsmanager get-secret-value --secret-id "$secret_id" --query SecretString --output text \
    | python3 -c "import json, sys; [print(k + \"=\" + str(v)) for k, v in json.load(sys.stdin).items()]")
  while IFS= read -r line; do
    secret_env+=("-Dcontainerized.master.env.$line")
  done <<< "$secret_lines"
fi
exec flink run-application -t yarn-application "${flink_options[@]}" ${secret_env[@]+"${secret_env[@]}"} \
  -Dyarn.ship-files="$work/lakehouse.yaml" -c '"$ENTRY_CLASS"' "$work/lakehouse.jar" "$@"'

json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# One EMR step running command-runner.jar with the given arguments, as the JSON add-steps takes.
step_json() { # name, args...
  local name=$1 args="" arg
  shift
  for arg in "$@"; do
    args+="${args:+,}$(json_string "$arg")"
  done
  printf '[{"Type":"CUSTOM_JAR","Name":%s,"ActionOnFailure":"CONTINUE","Jar":"command-runner.jar","Args":[%s]}]\n' \
    "$(json_string "$name")" "$args"
}

require() { # option name, value
  [ -n "$2" ] || usage_error "$1 is required"
}

s3_uri() { # option name, value
  case $2 in
    s3://*) ;;
    *) usage_error "$1 must be an s3:// URI, got '$2'" ;;
  esac
}

[ $# -gt 0 ] || usage_error "no command given"
command=$1
shift
case $command in
  -h|--help) usage; exit 0 ;;
  submit|savepoint|stop) ;;
  *) usage_error "unknown command '$command'" ;;
esac

cluster_id="" region="" dry_run=false
jar="" config="" state_dir="" from_savepoint="" allow_non_restored=false secret_id="" name=lakehouse-cdc
java_home=/usr/lib/jvm/jre-17
application_id="" job_id="" target=""
overrides=()
while [ $# -gt 0 ]; do
  option=$1
  case $option in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=true; shift; continue ;;
    --allow-non-restored-state) allow_non_restored=true; shift; continue ;;
  esac
  [ $# -ge 2 ] || usage_error "$option needs a value"
  value=$2
  shift 2
  case $command:$option in
    *:--cluster-id) cluster_id=$value ;;
    *:--region) region=$value ;;
    submit:--jar) jar=$value ;;
    submit:--config) config=$value ;;
    submit:--state-dir) state_dir=${value%/} ;;
    submit:--set)
      case $value in
        ?*=*) overrides+=(--set "$value") ;;
        *) usage_error "--set $value is not KEY=VALUE" ;;
      esac ;;
    submit:--from-savepoint) from_savepoint=$value ;;
    submit:--secret-id) secret_id=$value ;;
    submit:--name) name=$value ;;
    submit:--java-home) java_home=$value ;;
    savepoint:--application-id|stop:--application-id) application_id=$value ;;
    savepoint:--job-id|stop:--job-id) job_id=$value ;;
    savepoint:--target|stop:--target) target=$value ;;
    *) usage_error "unknown option $option for $command" ;;
  esac
done
require --cluster-id "$cluster_id"

case $command in
  submit)
    require --jar "$jar"; s3_uri --jar "$jar"
    require --config "$config"; s3_uri --config "$config"
    require --state-dir "$state_dir"; s3_uri --state-dir "$state_dir"
    [ -z "$from_savepoint" ] || s3_uri --from-savepoint "$from_savepoint"
    $allow_non_restored && [ -z "$from_savepoint" ] && usage_error "--allow-non-restored-state needs --from-savepoint"
    flink_options=(
      -Dyarn.application.name="$name"
      -Dcontainerized.master.env.JAVA_HOME="$java_home"
      -Dcontainerized.taskmanager.env.JAVA_HOME="$java_home"
      -Denv.java.opts.all="$JAVA_OPTS"
      -Dpipeline.auto-generate-uids=false
      -Dstate.backend.type=rocksdb
      -Dstate.backend.incremental=true
      -Dstate.checkpoints.dir="$state_dir/checkpoints"
      -Dstate.savepoints.dir="$state_dir/savepoints"
      -Dexecution.checkpointing.externalized-checkpoint-retention=RETAIN_ON_CANCELLATION
    )
    if [ -n "$from_savepoint" ]; then
      flink_options+=(-s "$from_savepoint")
      $allow_non_restored && flink_options+=(--allowNonRestoredState)
    fi
    steps=$(step_json "lakehouse submit ($name)" bash -c "$SUBMIT_ON_PRIMARY" lakehouse-step \
      "$jar" "$config" "$secret_id" "${flink_options[@]}" -- run --config lakehouse.yaml ${overrides[@]+"${overrides[@]}"})
    ;;
  savepoint|stop)
    require --application-id "$application_id"
    require --job-id "$job_id"
    [ -z "$target" ] || s3_uri --target "$target"
    yarn=(-t yarn-application -Dyarn.application.id="$application_id")
    if [ "$command" = savepoint ]; then
      steps=$(step_json "lakehouse savepoint ($job_id)" flink savepoint "${yarn[@]}" "$job_id" ${target:+"$target"})
    else
      steps=$(step_json "lakehouse stop ($job_id)" flink stop "${yarn[@]}" ${target:+--savepointPath "$target"} "$job_id")
    fi
    ;;
esac

if $dry_run; then
  printf '%s\n' "$steps"
  exit 0
fi
aws_region=()
[ -z "$region" ] || aws_region=(--region "$region")
aws emr add-steps ${aws_region[@]+"${aws_region[@]}"} --cluster-id "$cluster_id" --steps "$steps" || exit 1
