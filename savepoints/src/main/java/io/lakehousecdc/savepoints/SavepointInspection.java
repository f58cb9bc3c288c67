package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.util.FileUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a savepoint or retained checkpoint holds: per operator, its state size and parallelism.
 * A savepoint stores operators by a hash of their uid; given the uids a job uses, the hashes are
 * turned back into uids, which shows at a glance which operators of the job have state there
 * and which saved state no operator would take.
 */
public final class SavepointInspection {

    private final String path;
    private final CheckpointMetadata metadata;

    private SavepointInspection(String path, CheckpointMetadata metadata) {
        this.path = path;
        this.metadata = metadata;
    }

    /** Reads the savepoint at {@code path}; on S3 with the region and credentials of the environment. */
    public static SavepointInspection read(String path) {
        return read(path, S3Access.fromEnvironment());
    }

    public static SavepointInspection read(String path, S3Access s3) {
        try {
            if (!S3Access.handles(path)) {
                return new SavepointInspection(path, SavepointLoader.loadSavepointMetadata(path));
            }
            // Operator state sizes are all in the metadata file; the state files themselves are
            // not opened, so a local copy of that one object is enough.
            Path copy = Files.createTempDirectory("savepoint-");
            try {
                new S3Store(path, s3).download(path + "/" + SavepointStore.METADATA, copy.resolve(SavepointStore.METADATA));
                return new SavepointInspection(path, SavepointLoader.loadSavepointMetadata(copy.toUri().toString()));
            } finally {
                FileUtils.deleteDirectory(copy.toFile());
            }
        } catch (IOException | RuntimeException e) {
            throw new SetupException("Cannot read savepoint " + path + ": " + SetupException.firstLine(e)
                    + "; pass the directory that holds its _metadata file", e);
        }
    }

    public String path() {
        return path;
    }

    public long checkpointId() {
        return metadata.getCheckpointId();
    }

    /**
     * Every operator with saved state, largest first.
     *
     * @param uids the uids a job uses; operators whose hash matches none of them have no uid in
     *     the result
     */
    public List<OperatorSummary> operators(Collection<String> uids) {
        Map<OperatorID, String> byId = new HashMap<>();
        for (String uid : uids) {
            byId.put(OperatorIdentifier.forUid(uid).getOperatorId(), uid);
        }
        List<OperatorSummary> operators = new ArrayList<>();
        for (OperatorState state : metadata.getOperatorStates()) {
            operators.add(new OperatorSummary(state.getOperatorID().toHexString(), byId.get(state.getOperatorID()),
                    state.getParallelism(), state.getMaxParallelism(), state.getStateSize()));
        }
        operators.sort(Comparator.comparingLong(OperatorSummary::stateBytes).reversed()
                .thenComparing(OperatorSummary::operatorId));
        return operators;
    }

    /**
     * One operator's saved state.
     *
     * @param uid the operator's uid when known, else null
     */
    public record OperatorSummary(String operatorId, String uid, int parallelism, int maxParallelism, long stateBytes) {}
}
