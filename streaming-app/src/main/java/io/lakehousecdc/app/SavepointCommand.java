package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.savepoints.FlinkJobManager;
import io.lakehousecdc.savepoints.RunningJob;
import io.lakehousecdc.savepoints.S3Access;
import io.lakehousecdc.savepoints.SavepointDirectory;
import io.lakehousecdc.savepoints.SavepointFormat;
import io.lakehousecdc.savepoints.SavepointInspection;
import io.lakehousecdc.savepoints.StoredSavepoint;

import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code lakehouse savepoint}: take, list, prune and inspect the job's savepoints. */
@Command(name = "savepoint", mixinStandardHelpOptions = true,
        description = "Manages savepoints: against a running job's Flink REST endpoint, or in a savepoint directory.",
        subcommands = {SavepointCommand.Trigger.class, SavepointCommand.Stop.class, SavepointCommand.ListSavepoints.class,
                SavepointCommand.Latest.class, SavepointCommand.Prune.class, SavepointCommand.Inspect.class})
final class SavepointCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("UTC"));

    /** Options that name a running job. */
    static final class JobOptions {
        @Option(names = "--jobmanager", required = true, paramLabel = "URL",
                description = "The Flink REST endpoint, e.g. http://localhost:8081.")
        String jobmanager;

        @Option(names = "--job", paramLabel = "ID", description = "The job; by default the only running one.")
        String job;

        @Option(names = "--target", paramLabel = "DIR",
                description = "Where to write the savepoint; by default the cluster's state.savepoints.dir.")
        String target;

        @Option(names = "--format", defaultValue = "canonical", paramLabel = "canonical|native",
                description = "canonical (portable, the default) or native (the state backend's own, faster).")
        SavepointFormat format;

        @Option(names = "--timeout", defaultValue = "10min", paramLabel = "DURATION",
                description = "How long to wait for the savepoint (default 10min).")
        String timeout;

        @Option(names = "--verbose", description = "Print stack traces of errors.")
        boolean verbose;

        Duration timeout() {
            return duration(timeout, "--timeout");
        }
    }

    /** Where S3 is, for directories on {@code s3://}; the region and credentials come from the environment. */
    static final class StorageOptions {
        @Option(names = "--s3-endpoint", paramLabel = "URL",
                description = "An S3-compatible endpoint for s3:// paths (default: AWS, region from AWS_REGION).")
        URI s3Endpoint;

        S3Access access() {
            return S3Access.fromEnvironment().withEndpoint(s3Endpoint);
        }
    }

    /** The job's checkpoint directory from its configuration, for {@code --config} instead of {@code --dir}. */
    static final class ConfigDirectory {
        @Option(names = "--config", required = true, paramLabel = "FILE",
                description = "Use the job's checkpoint directory (pipeline.checkpoint-dir or its default).")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration value (repeatable).")
        List<String> overrides = new ArrayList<>();
    }

    /** Either {@code --dir} or {@code --config} (with its {@code --set}s). */
    static final class Location {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The savepoint or checkpoint directory (local path, file:// or s3://).")
        String dir;

        @ArgGroup(exclusive = false)
        ConfigDirectory fromConfig;

        SavepointDirectory directory(StorageOptions storage) {
            return SavepointDirectory.at(path(), storage.access());
        }

        String path() {
            if (dir != null) {
                return LakeLayout.asUri(dir);
            }
            return LakeLayout.checkpointDir(LakehouseConfig.load(fromConfig.config, fromConfig.overrides).global());
        }
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true,
            description = "Takes a savepoint of a running job, waits for it and prints its path.")
    static final class Trigger implements Callable<Integer> {
        @Mixin
        JobOptions options;

        @Option(names = "--while-running", description = {"Take it although it stalls the job: Flink does not tell operators that a",
                "savepoint of a running job completed, and Hudi's writers that receive rows before the next checkpoint wait",
                "for that news until the checkpoint times out; the job then restarts from its last checkpoint, losing nothing."})
        boolean whileRunning;

        @Override
        public Integer call() {
            if (!whileRunning) {
                throw new SetupException("A savepoint of a running job stalls its Hudi writers until the checkpoint timeout"
                        + " (Flink does not tell operators that it completed, and Hudi waits for that): stop with one"
                        + " ('lakehouse savepoint stop'), or resume from the newest retained checkpoint ('run --from-savepoint latest');"
                        + " --while-running takes it anyway");
            }
            FlinkJobManager jobManager = FlinkJobManager.at(options.jobmanager);
            RunningJob job = jobManager.job(options.job);
            System.err.println("Taking a " + options.format.name().toLowerCase() + " savepoint of job " + job.id() + " (" + job.name() + ")...");
            String location = jobManager.savepoint(job.id(), options.target, options.format, options.timeout(), SavepointCommand::waited);
            System.out.println(location);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops a running job with a savepoint, waits for it and prints its path.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        JobOptions options;

        @Option(names = "--drain", description = "Advance event time to the end first, firing every timer (for a final stop).")
        boolean drain;

        @Override
        public Integer call() {
            FlinkJobManager jobManager = FlinkJobManager.at(options.jobmanager);
            RunningJob job = jobManager.job(options.job);
            System.err.println("Stopping job " + job.id() + " (" + job.name() + ") with a savepoint...");
            String location = jobManager.stop(job.id(), options.target, drain, options.format, options.timeout(), SavepointCommand::waited);
            System.out.println(location);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the savepoints and retained checkpoints in a directory, newest first.")
    static final class ListSavepoints implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Location location;

        @Mixin
        StorageOptions storage;

        @Override
        public Integer call() {
            List<StoredSavepoint> all = location.directory(storage).list();
            if (all.isEmpty()) {
                System.err.println("No savepoint or checkpoint under " + location.path());
                return 0;
            }
            System.out.printf("%-19s  %-10s  %-32s  %10s  %s%n", "completed (UTC)", "kind", "job", "size", "path");
            for (StoredSavepoint s : all) {
                System.out.printf("%-19s  %-10s  %-32s  %10s  %s%n", TIME.format(s.completedAt()),
                        s.kind().name().toLowerCase(), s.job(), bytes(s.sizeBytes()), s.path());
            }
            return 0;
        }
    }

    @Command(name = "latest", mixinStandardHelpOptions = true,
            description = "Prints the path of the newest savepoint or retained checkpoint in a directory.")
    static final class Latest implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Location location;

        @Mixin
        StorageOptions storage;

        @Override
        public Integer call() {
            StoredSavepoint latest = location.directory(storage).latest().orElseThrow(() -> new SetupException(
                    "No savepoint or checkpoint under " + location.path() + ": take one with 'lakehouse savepoint trigger'"));
            System.out.println(latest.path());
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Deletes old savepoints and retained checkpoints. Always kept: the newest one, and with",
                    "--jobmanager the ones its jobs were restored from."})
    static final class Prune implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Location location;

        @Mixin
        StorageOptions storage;

        @Option(names = "--keep", paramLabel = "N", description = "Keep the newest N.")
        Integer keep;

        @Option(names = "--max-age", paramLabel = "DURATION", description = "Keep those younger than this, e.g. 7d.")
        String maxAge;

        @Option(names = "--jobmanager", paramLabel = "URL",
                description = "Ask this Flink REST endpoint which savepoints its jobs were restored from, and keep those.")
        String jobmanager;

        @Option(names = "--dry-run", description = "Only print what would be deleted.")
        boolean dryRun;

        @Override
        public Integer call() {
            SavepointDirectory.Retention retention = new SavepointDirectory.Retention(keep,
                    maxAge == null ? null : duration(maxAge, "--max-age"));
            Set<String> restoredFrom = new HashSet<>();
            if (jobmanager != null) {
                FlinkJobManager jobManager = FlinkJobManager.at(jobmanager);
                for (RunningJob job : jobManager.jobs()) {
                    jobManager.restoredFrom(job.id()).ifPresent(restoredFrom::add);
                }
            } else {
                System.err.println("note: without --jobmanager, a savepoint a running job was restored from is not known to be in use");
            }
            List<StoredSavepoint> deleted = location.directory(storage).prune(retention, restoredFrom, Instant.now(), dryRun);
            for (StoredSavepoint s : deleted) {
                System.out.println((dryRun ? "would delete " : "deleted ") + s.path());
            }
            System.err.println((dryRun ? "Would delete " : "Deleted ") + deleted.size() + " under " + location.path()
                    + (restoredFrom.isEmpty() ? "" : "; kept what running jobs were restored from: " + String.join(", ", restoredFrom)));
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Lists the operators with state in a savepoint, by uid when --config names the job, with their sizes.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PATH", description = "The savepoint or checkpoint directory.")
        String path;

        @ArgGroup(exclusive = false)
        ConfigDirectory job;

        @Mixin
        StorageOptions storage;

        @Override
        public Integer call() {
            SavepointInspection inspection = SavepointInspection.read(path, storage.access());
            List<String> uids = job == null ? List.of()
                    : PipelineJob.prepare(LakehouseConfig.load(job.config, job.overrides)).operatorUids();
            List<SavepointInspection.OperatorSummary> operators = inspection.operators(uids);
            System.out.println("Savepoint " + inspection.path() + " (checkpoint " + inspection.checkpointId() + ")");
            System.out.printf("%-48s  %-32s  %11s  %10s%n", "uid", "operator id", "parallelism", "state");
            long total = 0;
            for (SavepointInspection.OperatorSummary o : operators) {
                total += o.stateBytes();
                String uid = o.uid() != null ? o.uid() : uids.isEmpty() ? "?" : "? (no operator of this job)";
                System.out.printf("%-48s  %-32s  %5d/%-5d  %10s%n", uid, o.operatorId(), o.parallelism(), o.maxParallelism(),
                        bytes(o.stateBytes()));
            }
            System.out.printf("%d operators, %s of state%n", operators.size(), bytes(total));
            if (!uids.isEmpty()) {
                Set<String> saved = new HashSet<>();
                operators.forEach(o -> saved.add(o.uid()));
                List<String> fresh = uids.stream().filter(uid -> !saved.contains(uid)).toList();
                if (!fresh.isEmpty()) {
                    System.out.println("Operators of the job without state here (they start empty): " + String.join(", ", fresh));
                }
            }
            return 0;
        }
    }

    private static void waited(long millis) {
        System.err.println("  waiting... " + millis / 1000 + " s");
    }

    private static Duration duration(String text, String option) {
        try {
            return TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new SetupException(option + " " + text + " is not a duration: write it as 30s, 10min or 7d");
        }
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String units = "KMGT";
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length() - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %siB", value, units.charAt(unit));
    }
}
