package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.TableMaintenance;

import org.apache.flink.types.Row;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hudi.avro.model.HoodieCleanMetadata;
import org.apache.hudi.common.fs.FSUtils;
import org.apache.hudi.common.model.FileSlice;
import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieFileGroup;
import org.apache.hudi.common.model.HoodieWriteStat;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieActiveTimeline;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.common.table.timeline.TimelineMetadataUtils;
import org.apache.hudi.common.table.view.HoodieTableFileSystemView;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MERGE_ON_READ table under a steady stream of updates over more than 50 one-second
 * checkpoints, with a retention of a few seconds, on local disk and on an s3a:// lake (S3Proxy,
 * explicit keys given as secret references): compactions complete and the read-optimized view
 * catches up with the real-time view; cleaning keeps the retention window and removes what is
 * older; the files per file group stay bounded.
 */
class MergeOnReadMaintenanceITCase {

    private static final int ROWS = 20;
    private static final Duration RETENTION = Duration.ofSeconds(5);
    private static final int DELTA_COMMITS = 3;
    private static final Duration COMPACTION_INTERVAL = Duration.ofSeconds(10);

    @TempDir
    static java.nio.file.Path dir;

    private static LocalMySql mysql;
    private static S3Proxy s3proxy;

    @BeforeAll
    static void startServices() throws Exception {
        mysql = LocalMySql.createDatabase("it_maint");
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, "lake");
        s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "lake-access", "lake-secret").build();
        s3proxy.start();
        while (!"STARTED".equals(s3proxy.getState())) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (s3proxy != null) {
            s3proxy.stop();
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    @ParameterizedTest(name = "lake on {0}")
    @ValueSource(strings = {"local", "s3a"})
    void compactionAndCleaningKeepTheTableReadableAndBounded(String storage) throws Exception {
        String table = "counters_" + storage;
        mysql.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, n INT NOT NULL)");
        StringBuilder rows = new StringBuilder();
        for (int id = 1; id <= ROWS; id++) {
            rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", 0)");
        }
        mysql.execute("INSERT INTO " + table + " VALUES " + rows);
        LakehouseConfig config = LakehouseConfig.load(config(storage, table), List.of());
        String path = LakeLayout.processedTables(config).values().iterator().next();
        String lakeName = LakeLayout.processedTables(config).keySet().iterator().next();
        LakeStorage lake = LakeStorage.from(config.global());

        long started = System.nanoTime();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread updates = new Thread(() -> update(table, writing), "updates");
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            updates.start();
            pipeline.awaitCheckpoints(55, Duration.ofMinutes(3));
            writing.set(false);
            updates.join();

            long streamed = sourceTotal(table);
            await("the lake to hold every update", Duration.ofMinutes(1), () -> lakeTotal(config, lake, lakeName + "_rt") == streamed);
            // Hudi weighs the compaction interval at commits: once it has passed since the last
            // compaction, the next change is committed and compacted with everything before it.
            await("the compaction interval to pass", Duration.ofMinutes(1),
                    () -> Instant.now().isAfter(lastCompaction(path, lake).plus(COMPACTION_INTERVAL).plusSeconds(1)));
            mysql.execute("UPDATE " + table + " SET n = n + 1 WHERE id = 1");
            await("the last update", Duration.ofMinutes(1), () -> lakeTotal(config, lake, lakeName + "_rt") == streamed + 1);
            await("a compaction after the last delta commit", Duration.ofMinutes(1), () -> compactedAfterLastWrite(path, lake));
            await("cleaning to finish", Duration.ofSeconds(30), () -> noCleanInFlight(path, lake));
            pipeline.cancel();
        }
        System.out.printf("[%s] %d s%n", storage, Duration.ofNanos(System.nanoTime() - started).toSeconds());

        assertThat(rowsOf(config, lake, lakeName + "_ro")).isEqualTo(rowsOf(config, lake, lakeName + "_rt"));
        assertThat(lakeTotal(config, lake, lakeName + "_ro")).isEqualTo(sourceTotal(table));

        HoodieTableMetaClient client = LakeCatalog.metaClient(path, lake).orElseThrow();
        HoodieActiveTimeline timeline = client.getActiveTimeline();
        HoodieTimeline writes = timeline.getDeltaCommitTimeline().filterCompletedInstants();
        HoodieTimeline compactions = timeline.getCommitTimeline().filterCompletedInstants();
        HoodieTimeline cleans = timeline.getCleanerTimeline().filterCompletedInstants();
        System.out.printf("[%s] active timeline: %d delta commits, %d compactions, %d cleans%n",
                storage, writes.countInstants(), compactions.countInstants(), cleans.countInstants());
        assertThat(compactions.countInstants()).isGreaterThanOrEqualTo(5);
        assertThat(cleans.countInstants()).isGreaterThanOrEqualTo(1);

        TableMaintenance maintenance = TableMaintenance.of(config.global(), LakeOptions.TableType.MERGE_ON_READ, null);
        HoodieInstant lastClean = cleans.lastInstant().get();
        HoodieCleanMetadata clean = TimelineMetadataUtils.deserializeHoodieCleanMetadata(
                timeline.getInstantDetails(lastClean).get());
        String earliestRetained = clean.getEarliestCommitToRetain();
        HoodieTimeline allCommits = timeline.getCommitsTimeline().filterCompletedInstants();
        // The cleaner kept as many commits as the retention asks for, counted back from its start ...
        int keptAtClean = allCommits.findInstantsInRange(earliestRetained, lastClean.getTimestamp()).countInstants() + 1;
        assertThat(keptAtClean).isGreaterThanOrEqualTo(maintenance.retainedCommits());
        // ... which go back at least the retention, and not much further: the window, not more.
        Duration kept = Duration.between(instant(earliestRetained), instant(lastClean.getTimestamp()));
        System.out.printf("[%s] last clean %s kept %d commits back to %s (%d ms)%n", storage, lastClean.getTimestamp(),
                keptAtClean, earliestRetained, kept.toMillis());
        assertThat(kept).isGreaterThanOrEqualTo(RETENTION.minusSeconds(1)).isLessThan(RETENTION.multipliedBy(6));

        FileSystem fs = FSUtils.getFs(path, lake.hadoopConfiguration());
        int commitsChecked = 0;
        for (HoodieInstant commit : allCommits.findInstantsAfterOrEquals(earliestRetained, Integer.MAX_VALUE).getInstants()) {
            HoodieCommitMetadata metadata = HoodieCommitMetadata.fromBytes(
                    allCommits.getInstantDetails(commit).get(), HoodieCommitMetadata.class);
            for (HoodieWriteStat stat : metadata.getWriteStats()) {
                assertThat(fs.exists(new Path(path, stat.getPath()))).as("file of retained commit %s", commit).isTrue();
            }
            commitsChecked++;
        }
        assertThat(commitsChecked).isGreaterThanOrEqualTo(maintenance.retainedCommits());

        HoodieTableFileSystemView files = new HoodieTableFileSystemView(client, allCommits, true);
        try {
            List<HoodieFileGroup> groups = files.getAllFileGroups("").toList();
            assertThat(groups).hasSizeBetween(1, 2);
            for (HoodieFileGroup group : groups) {
                List<FileSlice> slices = group.getAllFileSlices().toList();
                long olderThanWindow = slices.stream().filter(s -> s.getBaseInstantTime().compareTo(earliestRetained) < 0).count();
                long fileCount = slices.stream().mapToLong(s -> (s.getBaseFile().isPresent() ? 1 : 0) + s.getLogFiles().count()).sum();
                System.out.printf("[%s] file group %s: %d slices, %d files%n", storage, group.getFileGroupId().getFileId(),
                        slices.size(), fileCount);
                // Of the versions older than the window only the one the window starts from is left.
                assertThat(olderThanWindow).isLessThanOrEqualTo(1);
                // Every retained commit writes at most one file into a group, each version one base file.
                assertThat(fileCount).isLessThanOrEqualTo(maintenance.retainedCommits() + slices.size());
            }
        } finally {
            files.close();
        }
    }

    private static java.nio.file.Path config(String storage, String table) throws Exception {
        String lake;
        if (storage.equals("s3a")) {
            Files.writeString(dir.resolve("s3-access"), "lake-access");
            Files.writeString(dir.resolve("s3-secret"), "lake-secret");
            lake = """
                      base-path: s3a://lake/%s
                      s3:
                        endpoint: http://127.0.0.1:%d
                        path-style-access: true
                        region: us-east-1
                        access-key: ${file:%s}
                        secret-key: ${file:%s}
                    """.formatted(table, s3proxy.getPort(), dir.resolve("s3-access"), dir.resolve("s3-secret"));
        } else {
            lake = "  base-path: %s%n".formatted(dir.resolve(table));
        }
        java.nio.file.Path file = dir.resolve(table + ".yaml");
        Files.writeString(file, """
                pipeline:
                  name: maintenance-%s
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s
                lake:
                %s  retention: %ds
                  compaction:
                    delta-commits: %d
                    interval: %ds
                tables:
                  - source: clinic
                    table: %s.%s
                """.formatted(storage, LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), lake,
                RETENTION.toSeconds(), DELTA_COMMITS, COMPACTION_INTERVAL.toSeconds(), mysql.database, table));
        return file;
    }

    private static void update(String table, AtomicBoolean writing) {
        try {
            for (int i = 0; writing.get(); i++) {
                mysql.execute("UPDATE " + table + " SET n = n + 1 WHERE id = " + (1 + i % ROWS));
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sourceTotal(String table) throws Exception {
        try (var st = mysql.connection().createStatement(); var rs = st.executeQuery("SELECT SUM(n) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long lakeTotal(LakehouseConfig config, LakeStorage lake, String view) {
        try {
            LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config), lake);
            if (!query.tableNames().contains(view)) {
                return -1;
            }
            Object total = query.run("SELECT SUM(n) FROM " + view).rows().get(0).getField(0);
            return total == null ? -1 : ((Number) total).longValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> rowsOf(LakehouseConfig config, LakeStorage lake, String view) throws Exception {
        return LakeQuery.over(LakeLayout.processedTables(config), lake).run("SELECT id, n FROM " + view + " ORDER BY id")
                .rows().stream().map(Row::toString).toList();
    }

    private static boolean compactedAfterLastWrite(String path, LakeStorage lake) {
        HoodieActiveTimeline timeline = LakeCatalog.metaClient(path, lake).orElseThrow().getActiveTimeline();
        if (!timeline.filterPendingCompactionTimeline().empty()) {
            return false;
        }
        var lastWrite = timeline.getDeltaCommitTimeline().filterCompletedInstants().lastInstant();
        var lastCompaction = timeline.getCommitTimeline().filterCompletedInstants().lastInstant();
        return lastWrite.isPresent() && lastCompaction.isPresent()
                && lastCompaction.get().getTimestamp().compareTo(lastWrite.get().getTimestamp()) > 0;
    }

    private static Instant lastCompaction(String path, LakeStorage lake) {
        return LakeCatalog.metaClient(path, lake).orElseThrow().getActiveTimeline().getCommitTimeline()
                .filterCompletedInstants().lastInstant().map(i -> instant(i.getTimestamp())).orElse(Instant.EPOCH);
    }

    private static boolean noCleanInFlight(String path, LakeStorage lake) {
        return LakeCatalog.metaClient(path, lake).orElseThrow().getActiveTimeline()
                .getCleanerTimeline().filterInflightsAndRequested().empty();
    }

    private static Instant instant(String hudiInstant) {
        try {
            return HoodieActiveTimeline.parseDateFromInstantTime(hudiInstant).toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(500);
        }
    }
}
