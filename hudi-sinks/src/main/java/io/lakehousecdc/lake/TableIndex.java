package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieWriteStat;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the writer of a table finds the file group that holds a key, which decides whether a
 * change updates a row or inserts a new one.
 *
 * <p>Hudi's Flink writer tags records in one of two ways only: with the key-to-file mapping kept
 * in Flink state ({@code FLINK_STATE}), or by hashing the key to a fixed bucket ({@code BUCKET}).
 * It has no bloom-filter lookup; {@code index.type=BLOOM} falls back to the state index.
 * {@link #BLOOM} therefore means "the index lives in the table's files": the state index, loaded
 * from the table's files whenever the job starts, so that it survives the loss of the job's
 * state. The base files carry Hudi's bloom filters of their keys either way, for writers such as
 * Spark that tag with them.
 */
public enum TableIndex {
    /** The key-to-file mapping in Flink state, restored from checkpoints and savepoints. */
    STATE,
    /** Keys hashed into a fixed number of buckets per partition; no lookup state at all. */
    BUCKET,
    /** The state index, rebuilt from the table's files on every start. */
    BLOOM;

    /** Bucket ids prefix the file ids of a bucket-indexed table, as eight decimal digits. */
    private static final Pattern BUCKET_FILE_ID = Pattern.compile("^(\\d{8})-");
    /**
     * Random file ids of the state index start with eight hex digits too; one starting with four
     * zeros is a bucket (such tables have far fewer than 10000 buckets), a random one 1 in 65536.
     */
    private static final int MAX_BUCKET_ID = 9_999;
    static final String BUCKETS_OPTION = "hoodie.bucket.index.num.buckets";

    /**
     * The index named by a table's {@code index-type}.
     *
     * @throws SetupException naming the table and the accepted values
     */
    public static TableIndex parse(String value, String table) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SetupException("index-type of " + table + " is '" + value + "': use state, bucket or bloom");
        }
    }

    /** The Hudi Flink options of this index; {@code bucketCount} counts for {@link #BUCKET} only. */
    public Map<String, String> hudiOptions(int bucketCount) {
        return switch (this) {
            case STATE -> Map.of("index.type", "FLINK_STATE", "index.bootstrap.enabled", "false");
            case BLOOM -> Map.of("index.type", "FLINK_STATE", "index.bootstrap.enabled", "true");
            case BUCKET -> Map.of("index.type", "BUCKET", "hoodie.index.bucket.engine", "SIMPLE",
                    BUCKETS_OPTION, String.valueOf(bucketCount));
        };
    }

    /**
     * Fails if the table at {@code client} holds data that this index cannot find: files laid
     * out by a state index when this is the bucket index, or the other way round, or buckets
     * beyond {@code bucketCount}. Either would write a second copy of existing keys. Only the
     * newest commit that wrote files is read.
     *
     * @param table the table's name, for the message
     */
    void checkExisting(HoodieTableMetaClient client, String table, int bucketCount) {
        Optional<List<String>> fileIds = newestFileIds(client);
        if (fileIds.isEmpty()) {
            return;
        }
        int highestBucket = -1;
        boolean bucketLayout = true;
        for (String fileId : fileIds.get()) {
            Matcher m = BUCKET_FILE_ID.matcher(fileId);
            int bucket = m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
            if (bucket > MAX_BUCKET_ID) {
                bucketLayout = false;
                break;
            }
            highestBucket = Math.max(highestBucket, bucket);
        }
        if (this == BUCKET && !bucketLayout) {
            throw new SetupException("Table " + table + " holds data written with the state index; index-type bucket"
                    + " would write a second copy of its keys: keep index-type state or bloom, or rewrite it into a new table");
        }
        if (this != BUCKET && bucketLayout) {
            throw new SetupException("Table " + table + " holds data written with the bucket index; index-type "
                    + name().toLowerCase(Locale.ROOT) + " would write a second copy of its keys: keep index-type bucket,"
                    + " or rewrite it into a new table");
        }
        if (this == BUCKET && highestBucket >= bucketCount) {
            throw new SetupException("Table " + table + " has at least " + (highestBucket + 1) + " buckets per partition but "
                    + bucketCount + " are configured; a table's bucket count cannot change: set it back"
                    + " (lake.bucket-count or hudi." + BUCKETS_OPTION + ")");
        }
    }

    private static Optional<List<String>> newestFileIds(HoodieTableMetaClient client) {
        HoodieTimeline writes = client.getCommitsTimeline().filterCompletedInstants();
        List<HoodieInstant> instants = writes.getReverseOrderedInstants().toList();
        for (HoodieInstant instant : instants) {
            byte[] details = writes.getInstantDetails(instant).orElse(new byte[0]);
            if (details.length == 0) {
                continue;
            }
            try {
                List<String> ids = HoodieCommitMetadata.fromBytes(details, HoodieCommitMetadata.class)
                        .getPartitionToWriteStats().values().stream()
                        .flatMap(List::stream)
                        .map(HoodieWriteStat::getFileId)
                        .toList();
                if (!ids.isEmpty()) {
                    return Optional.of(ids);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read commit " + instant + " of lake table at " + client.getBasePath(), e);
            }
        }
        return Optional.empty();
    }
}
