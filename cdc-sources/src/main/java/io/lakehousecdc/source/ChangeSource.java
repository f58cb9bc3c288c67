package io.lakehousecdc.source;

import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;

import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;
import java.util.function.UnaryOperator;

/** A database's change stream, checked and described before the job is built. */
public interface ChangeSource {

    /** The lake schemas of the captured tables, in the order they were asked for. */
    List<LakeSchema> schemas();

    /** Things the user should know that do not stop the job (a table without replica identity...). */
    List<String> warnings();

    /**
     * This source with each captured table passed through {@code evolve}, which keeps the
     * columns the lake holds beyond the source's and says which column changes are known.
     */
    ChangeSource evolved(UnaryOperator<CapturedTable> evolve);

    /**
     * Converts a change this source failed to convert before again, with the conversions of the
     * current configuration, keeping its source position.
     *
     * @return the converted change, or a failed one saying why it still fails
     */
    ChangeRecord replay(TableId table, FailedChange failure);

    /** Adds the tables' change stream to {@code env}, its source operator named {@code name}. */
    DataStreamSource<ChangeRecord> addTo(StreamExecutionEnvironment env, String name);
}
