package io.lakehousecdc.source;

import java.io.Serializable;

/** Turns one non-null Debezium field value into Flink's internal form of the lake type. */
@FunctionalInterface
public interface ValueConverter extends Serializable {
    Object convert(Object value);
}
