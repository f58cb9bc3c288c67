package io.lakehousecdc.app.job;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.source.SchemaChangedException;

/**
 * The embedded job, rebuilt whenever a table's columns change at the source. The job stops at
 * the first change with the new columns, before a checkpoint acknowledges it; the change is
 * recorded in the control plane's DDL history, the job is prepared again from the source's
 * columns now (and the lake's, so that dropped columns stay), and resumes from its last
 * checkpoint. The changes between that checkpoint and the stop are read again, converted with
 * the new columns and written once: the lake commits only what checkpoints acknowledge.
 */
public final class EvolvingPipeline implements AutoCloseable {

    /** The actor the DDL history's audit entries name. */
    private static final String ACTOR = "pipeline";

    private final LakehouseConfig config;
    /** Where the current job resumed from: also where its rebuild resumes if it completed no checkpoint. */
    private String restoredFrom;
    private final boolean allowNonRestoredState;
    private EmbeddedPipeline current;

    private EvolvingPipeline(LakehouseConfig config, String restoredFrom, boolean allowNonRestoredState, EmbeddedPipeline first) {
        this.config = config;
        this.restoredFrom = restoredFrom;
        this.allowNonRestoredState = allowNonRestoredState;
        this.current = first;
    }

    /** @param restoreFrom as for {@link EmbeddedPipeline#start} */
    public static EvolvingPipeline start(LakehouseConfig config, PipelineJob job, String restoreFrom, boolean allowNonRestoredState)
            throws Exception {
        return new EvolvingPipeline(config, restoreFrom, allowNonRestoredState,
                EmbeddedPipeline.start(job, restoreFrom, allowNonRestoredState));
    }

    /** The job running now; a rebuild replaces it. */
    public EmbeddedPipeline current() {
        return current;
    }

    /**
     * Rebuilds the job if a change of columns stopped it.
     *
     * @return the change the job was rebuilt for, or null when it was not
     */
    public SchemaChangedException rebuildIfColumnsChanged() throws Exception {
        if (!current.status().isGloballyTerminalState()) {
            return null;
        }
        SchemaChangedException change = current.schemaChange().orElse(null);
        if (change == null) {
            return null;
        }
        TableId table = change.table();
        if (ControlPlane.configured(config)) {
            ControlPlane controlPlane = ControlPlane.open(config);
            for (String statement : change.changes()) {
                controlPlane.recordColumnChange(table.sourceId(), table.sourceName(), change.position(), statement, ACTOR);
            }
        }
        PipelineJob rebuilt = PipelineJob.prepare(config);
        boolean checkpointed = current.completedCheckpoints() > 0;
        current.close();
        restoredFrom = checkpointed ? "latest" : restoredFrom;
        current = EmbeddedPipeline.start(rebuilt, restoredFrom, allowNonRestoredState);
        return change;
    }

    @Override
    public void close() throws Exception {
        current.close();
    }
}
