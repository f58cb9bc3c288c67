package io.lakehousecdc.app.failed;

import io.lakehousecdc.lake.LakeStorage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.hadoop.fs.FSDataOutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Failed events as JSON lines under {@code <base-path>/_failed_events/<source>/}, on any
 * storage the lake uses: the store when no control plane is configured. Files are written
 * whole and never changed (object stores cannot append), so a reprocess records its outcome in
 * files of its own under {@code _status/}; the newest line about an event wins.
 */
final class LakeFailedEventStore implements FailedEventStore {

    static final String DIRECTORY = "_failed_events";
    private static final String STATUS = "_status";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final LakeStorage storage;

    LakeFailedEventStore(String basePath, LakeStorage storage) {
        this.root = (basePath.endsWith("/") ? basePath : basePath + "/") + DIRECTORY;
        this.storage = storage;
    }

    record Location(String basePath, LakeStorage storage) implements FailedEventStore.Location {
        @Override
        public FailedEventStore open() {
            return new LakeFailedEventStore(basePath, storage);
        }
    }

    @Override
    public void append(List<FailedEvent> events) {
        Map<String, List<FailedEvent>> bySource = new LinkedHashMap<>();
        events.forEach(e -> bySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e));
        bySource.forEach((source, ofSource) -> {
            List<String> lines = new ArrayList<>();
            for (FailedEvent event : ofSource) {
                lines.add(JSON.createObjectNode()
                        .put("id", event.id())
                        .put("table", event.table())
                        .put("source_table", event.sourceTable())
                        .put("position", event.position())
                        .put("error", event.error())
                        .put("failed_at", event.failedAt().toString())
                        .put("payload", event.payload())
                        .toString());
            }
            writeFile(new Path(root + "/" + source, "part-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".jsonl"), lines);
        });
    }

    @Override
    public List<FailedEvent> list(String table, Instant since) {
        Map<String, FailedEvent> events = new LinkedHashMap<>();
        List<JsonNode> statuses = new ArrayList<>();
        try {
            FileSystem fs = fs();
            for (FileStatus source : listOrEmpty(fs, new Path(root))) {
                if (!source.isDirectory()) {
                    continue;
                }
                for (FileStatus file : listOrEmpty(fs, source.getPath())) {
                    if (file.getPath().getName().endsWith(".jsonl")) {
                        for (JsonNode line : read(fs, file.getPath())) {
                            FailedEvent event = event(source.getPath().getName(), line);
                            events.putIfAbsent(event.id(), event);
                        }
                    }
                }
                for (FileStatus file : listOrEmpty(fs, new Path(source.getPath(), STATUS))) {
                    statuses.addAll(read(fs, file.getPath()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the failed events under " + root, e);
        }
        statuses.sort(Comparator.comparing(s -> Instant.parse(s.path("at").asText())));
        for (JsonNode status : statuses) {
            events.computeIfPresent(status.path("id").asText(), (id, e) -> "reprocessed".equals(status.path("status").asText())
                    ? new FailedEvent(id, e.source(), e.table(), e.sourceTable(), e.position(), e.error(), e.failedAt(),
                            e.payload(), e.attempts() + 1, Instant.parse(status.path("at").asText()))
                    : new FailedEvent(id, e.source(), e.table(), e.sourceTable(), e.position(), status.path("error").asText(),
                            e.failedAt(), e.payload(), e.attempts() + 1, null));
        }
        return events.values().stream()
                .filter(e -> table == null || e.table().equals(table))
                .filter(e -> since == null || !e.failedAt().isBefore(since))
                .sorted(Comparator.comparingLong(FailedEvent::position).thenComparing(FailedEvent::id))
                .toList();
    }

    @Override
    public void reprocessed(List<String> ids, Instant at) {
        writeStatus(ids.stream().map(id -> status(id, "reprocessed", at)).toList());
    }

    @Override
    public void failedAgain(Map<String, String> errors, Instant at) {
        writeStatus(errors.entrySet().stream().map(e -> status(e.getKey(), "failed", at).put("error", e.getValue())).toList());
    }

    @Override
    public void close() {}

    private ObjectNode status(String id, String status, Instant at) {
        return JSON.createObjectNode().put("id", id).put("status", status).put("at", at.toString());
    }

    /** Status lines go beside the events of the source they are about. */
    private void writeStatus(List<ObjectNode> lines) {
        Map<String, FailedEvent> known = new LinkedHashMap<>();
        list(null, null).forEach(e -> known.put(e.id(), e));
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (ObjectNode line : lines) {
            FailedEvent event = known.get(line.path("id").asText());
            if (event != null) {
                bySource.computeIfAbsent(event.source(), s -> new ArrayList<>()).add(line.toString());
            }
        }
        bySource.forEach((source, ofSource) -> writeFile(
                new Path(root + "/" + source + "/" + STATUS, System.currentTimeMillis() + "-" + UUID.randomUUID() + ".jsonl"),
                ofSource));
    }

    private void writeFile(Path file, List<String> lines) {
        try (FSDataOutputStream out = fs().create(file, false)) {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.hsync();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write failed events to " + file, e);
        }
    }

    private FileSystem fs() throws IOException {
        return new Path(root).getFileSystem(storage.hadoopConfiguration());
    }

    private static FileStatus[] listOrEmpty(FileSystem fs, Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    private static List<JsonNode> read(FileSystem fs, Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    // the end of a file that is still being written; it is whole at the next read
                }
            }
        }
        return lines;
    }

    private static FailedEvent event(String source, JsonNode line) {
        long position = line.path("position").asLong();
        String table = line.path("table").asText();
        // Files written before events had ids name them by table and position.
        String id = line.hasNonNull("id") ? line.path("id").asText() : table + "@" + position;
        return new FailedEvent(id, source, table, line.path("source_table").asText(), position, line.path("error").asText(),
                Instant.parse(line.path("failed_at").asText()), line.path("payload").asText(), 0, null);
    }
}
