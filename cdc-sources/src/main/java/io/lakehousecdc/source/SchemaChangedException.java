package io.lakehousecdc.source;

import io.lakehousecdc.core.TableId;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

import java.util.List;

/**
 * A change arrived whose columns differ from those the job was built for: added, dropped or
 * changed in type at the source. Converting it with the old columns would lose the new ones,
 * so the job stops at it, before any checkpoint acknowledges it; rebuilt with the table's new
 * columns, it resumes from its last checkpoint and converts the change again. Restarting the
 * same job would only meet the change again, so it fails the job at once.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class SchemaChangedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final TableId table;
    private final long position;
    private final List<String> changes;

    SchemaChangedException(TableId table, long position, List<String> changes) {
        super("The columns of " + table + " changed at source position " + position + " (" + String.join("; ", changes)
                + "): the job stops here and, prepared again, resumes from its last checkpoint with the new columns"
                + " (lakehouse run does so by itself; on a cluster, redeploy it)");
        this.table = table;
        this.position = position;
        this.changes = List.copyOf(changes);
    }

    public TableId table() {
        return table;
    }

    /** The source position of the first change with the new columns. */
    public long position() {
        return position;
    }

    /** What changed, one line per column: {@code ADD COLUMN ward}, {@code DROP COLUMN note}, ... */
    public List<String> changes() {
        return changes;
    }
}
