package io.lakehousecdc.source.mysql;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;

import java.io.Serializable;
import java.util.List;

/** A captured table: its lake schema and, per source column, the converter of its values. */
record MySqlTable(TableId id, LakeSchema schema, List<String> columnNames, List<ValueConverter> converters)
        implements Serializable {}
