package io.lakehousecdc.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchWorker} JVM: started with this JVM's module flags and class path, its output
 * read for the worker's reports, its peak resident memory read from {@code /proc}.
 */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<Progress.Point> ceilingPoints;
    private final Map<Integer, long[]> seenBySubtask = new ConcurrentHashMap<>();
    private volatile long startedAt;
    private long peakRssBytes;

    private WorkerProcess(Process process, Path log, List<Progress.Point> ceilingPoints) {
        this.process = process;
        this.log = log;
        this.ceilingPoints = ceilingPoints;
    }

    /**
     * Starts the worker for {@code pipeline}; its log goes to {@code logDir}, and a Java Flight
     * Recording to {@code profileDir} when given.
     *
     * @param seen where the ceiling's reports go, as progress points
     */
    static WorkerProcess start(BenchPipeline pipeline, Path settings, String heap, Path logDir, Path profileDir,
            List<Progress.Point> seen) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("-Djdk.attach") || argument.startsWith("-Djol.")) {
                command.add(argument);
            }
        }
        command.add("-Xmx" + heap);
        command.add("-Dlakehouse.log.dir=" + logDir.resolve(pipeline.label()).toAbsolutePath());
        if (profileDir != null) {
            Files.createDirectories(profileDir);
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + profileDir.resolve(pipeline.label() + ".jfr").toAbsolutePath());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchWorker.class.getName());
        command.add(pipeline.label());
        command.add(settings.toAbsolutePath().toString());

        Path log = logDir.resolve(pipeline.label() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().putIfAbsent("LAKEHOUSE_CDC_PASSWORD", "lakehouse-cdc-local");
        WorkerProcess worker = new WorkerProcess(builder.start(), log, seen);
        Thread reader = new Thread(worker::readReports, "bench-" + pipeline.label() + "-reports");
        reader.setDaemon(true);
        reader.start();
        return worker;
    }

    private void readReports() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] fields = line.split(" ");
                if (fields[0].equals("started")) {
                    startedAt = Long.parseLong(fields[1]);
                } else if (fields[0].equals("seen")) {
                    seen(Integer.parseInt(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
                }
            }
        } catch (IOException e) {
            // The worker was stopped; its log says why if it was not on purpose.
        }
    }

    /** Sums the subtasks' reports into one progress point when anything moved. */
    private void seen(int subtask, long rows, long revision) {
        long[] previous = seenBySubtask.put(subtask, new long[] {rows, revision});
        if (previous != null && previous[0] == rows && previous[1] == revision) {
            return;
        }
        long totalRows = 0;
        long maxRevision = 0;
        for (long[] report : seenBySubtask.values()) {
            totalRows += report[0];
            maxRevision = Math.max(maxRevision, report[1]);
        }
        ceilingPoints.add(new Progress.Point(totalRows, maxRevision, System.currentTimeMillis()));
    }

    /** When the worker's job was submitted (epoch ms); waits for it, failing if the worker dies first. */
    long awaitStarted(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (startedAt == 0) {
            checkAlive();
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("The worker did not start its job within " + timeoutMillis / 1000 + " s; see " + log);
            }
            Thread.sleep(50);
        }
        return startedAt;
    }

    /** Fails when the worker has exited, naming its log. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("The worker exited with code " + process.exitValue() + "; see " + log);
        }
    }

    /** The highest resident set size the worker has had so far, in bytes (0 where /proc is absent). */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                    peakRssBytes = Math.max(peakRssBytes, kb * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone already: the last reading stands.
        }
        return peakRssBytes;
    }

    @Override
    public void close() throws InterruptedException {
        peakRssBytes();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
