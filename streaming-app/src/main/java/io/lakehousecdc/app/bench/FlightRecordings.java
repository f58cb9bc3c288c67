package io.lakehousecdc.app.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where a pipeline's CPU time went, from the execution samples of a Java Flight Recording. */
final class FlightRecordings {

    /** Class-name prefixes of the parts a pipeline is made of, most specific first. */
    private static final List<String[]> COMPONENTS = List.of(
            new String[] {"io.lakehousecdc.", "lakehouse-cdc"},
            new String[] {"org.apache.hudi.", "hudi"},
            new String[] {"org.apache.parquet.", "parquet"},
            new String[] {"org.apache.avro.", "avro"},
            new String[] {"io.debezium.", "debezium / flink-cdc"},
            new String[] {"com.github.shyiko.", "debezium / flink-cdc"},
            new String[] {"org.apache.flink.cdc.", "debezium / flink-cdc"},
            new String[] {"com.mysql.", "mysql jdbc"},
            new String[] {"org.apache.flink.table.", "flink table runtime"},
            new String[] {"org.apache.flink.", "flink runtime"},
            new String[] {"org.apache.hadoop.", "hadoop"},
            new String[] {"com.esotericsoftware.kryo.", "kryo"});

    private FlightRecordings() {}

    /** A method or component and its share of the samples, in percent. */
    record Share(String name, double percent) {}

    /**
     * @param samples execution samples in the recording
     * @param components share of samples with a component anywhere on the stack (inclusive)
     * @param methods share of samples with a method on top of the stack (self time)
     */
    record Summary(String recording, long samples, List<Share> components, List<Share> methods) {

        void print(PrintStream out) {
            out.printf("  CPU profile (%,d samples, %s):%n", samples, recording);
            out.println("    inclusive by component:");
            components.forEach(s -> out.printf("      %5.1f%%  %s%n", s.percent(), s.name()));
            out.println("    self time by method:");
            methods.forEach(s -> out.printf("      %5.1f%%  %s%n", s.percent(), s.name()));
        }
    }

    static Summary summarize(Path recording) throws IOException {
        Map<String, Long> byComponent = new HashMap<>();
        Map<String, Long> byMethod = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                byMethod.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> components = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    String component = component(frame.getMethod().getType().getName());
                    if (component != null) {
                        components.add(component);
                    }
                }
                components.forEach(c -> byComponent.merge(c, 1L, Long::sum));
            }
        }
        return new Summary(recording.toString(), samples, top(byComponent, samples, 12), top(byMethod, samples, 15));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String component(String className) {
        for (String[] component : COMPONENTS) {
            if (className.startsWith(component[0])) {
                return component[1];
            }
        }
        return null;
    }

    private static List<Share> top(Map<String, Long> counts, long samples, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> new Share(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, samples)) / 10.0))
                .toList();
    }
}
