package io.lakehousecdc.app.failed;

import io.lakehousecdc.lake.LakeStorage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the failed events that {@link FailedEventsFileSink} keeps under {@code <base-path>/_failed_events/<source>/}. */
public final class FailedEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String basePath;
    private final LakeStorage storage;

    private FailedEvents(String basePath, LakeStorage storage) {
        this.basePath = basePath.endsWith("/") ? basePath : basePath + "/";
        this.storage = storage;
    }

    public static FailedEvents under(String basePath, LakeStorage storage) {
        return new FailedEvents(basePath, storage);
    }

    /**
     * One failed change.
     *
     * @param table the lake table it was for
     * @param position its source position ({@code _cdc_seq})
     * @param payload the change as the source delivered it
     */
    public record Event(String source, String table, String sourceTable, long position, String error, Instant failedAt,
            String payload) {

        /** How commands name it: {@code <lake table>@<position>}. */
        public String id() {
            return table + "@" + position;
        }
    }

    /**
     * The events of every source, oldest first, optionally only those of {@code table} (a lake
     * table name) and those that failed at or after {@code since}.
     */
    public List<Event> list(String table, Instant since) {
        List<Event> events = new ArrayList<>();
        Path root = new Path(basePath + FailedEventsFileSink.DIRECTORY);
        try {
            FileSystem fs = root.getFileSystem(storage.hadoopConfiguration());
            FileStatus[] sources;
            try {
                sources = fs.listStatus(root);
            } catch (FileNotFoundException e) {
                return List.of();
            }
            for (FileStatus source : sources) {
                if (!source.isDirectory()) {
                    continue;
                }
                for (FileStatus file : fs.listStatus(source.getPath())) {
                    if (file.getPath().getName().endsWith(".jsonl")) {
                        read(fs, file.getPath(), source.getPath().getName(), events);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the failed events under " + root, e);
        }
        return events.stream()
                .filter(e -> table == null || e.table().equals(table))
                .filter(e -> since == null || !e.failedAt().isBefore(since))
                .sorted(Comparator.comparing(Event::failedAt).thenComparing(Event::position))
                .toList();
    }

    /** The event named {@code id} ({@code <lake table>@<position>}). */
    public Optional<Event> find(String id) {
        return list(null, null).stream().filter(e -> e.id().equals(id)).findFirst();
    }

    private static void read(FileSystem fs, Path file, String source, List<Event> events) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // the last line of a file a running job is still writing
                }
                events.add(new Event(source, event.path("table").asText(), event.path("source_table").asText(),
                        event.path("position").asLong(), event.path("error").asText(),
                        Instant.parse(event.path("failed_at").asText()), event.path("payload").asText()));
            }
        }
    }
}
