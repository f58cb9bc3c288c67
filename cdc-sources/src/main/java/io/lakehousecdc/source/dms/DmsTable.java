package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A table in the DMS raw zone: where its files are, and its columns as its schema file
 * ({@code <schema>/<table>/_schema.yaml}) declares them, since DMS CSV files carry no header:
 *
 * <pre>
 * key: [id]
 * columns:
 *   - {name: id, type: BIGINT}
 *   - {name: started_at, type: TIMESTAMP(3)}        # wall-clock time in the source's server-time-zone
 *   - {name: checked_in, type: TIMESTAMP_LTZ(6)}    # an instant, as DMS writes it in UTC
 *   - name: fee                                      # block style: YAML splits {..} at the comma
 *     type: DECIMAL(10,2)
 * </pre>
 */
record DmsTable(TableId id, String directory, LakeSchema schema, List<FieldConverter> converters) implements Serializable {

    static final String SCHEMA_FILE = "_schema.yaml";

    static DmsTable read(RawZone zone, TableId id, TimeZonePolicy zones, String where) {
        String directory = id.database() + "/" + id.table();
        String file = directory + "/" + SCHEMA_FILE;
        JsonNode root;
        try (InputStream in = zone.open(file)) {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (JacksonException e) {
            throw new SetupException("Schema file " + file + " of " + where + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SetupException("Table " + id.sourceName() + " of " + where + " has no readable schema file " + file
                    + " (" + e.getMessage() + "): write one listing its key and columns (see README, DMS sources)");
        }
        if (root == null || !root.path("columns").isArray() || !root.path("key").isArray() || root.path("key").isEmpty()) {
            throw new SetupException("Schema file " + file + " of " + where + " needs 'key' (a list of columns) and 'columns'"
                    + " (a list of {name, type})");
        }
        List<String> key = new ArrayList<>();
        root.path("key").forEach(k -> key.add(k.asText()));
        List<RowType.RowField> fields = new ArrayList<>();
        List<FieldConverter> converters = new ArrayList<>();
        for (JsonNode column : root.path("columns")) {
            String name = column.path("name").asText();
            String typeText = column.path("type").asText();
            LogicalType declared;
            try {
                declared = LogicalTypeParser.parse(typeText, DmsTable.class.getClassLoader());
            } catch (ValidationException e) {
                throw new SetupException("Schema file " + file + ": column '" + name + "' has type '" + typeText
                        + "', which is not a Flink SQL type (e.g. BIGINT, DECIMAL(10,2), TIMESTAMP(3), TIMESTAMP_LTZ(6));"
                        + " in {name: .., type: ..} style quote types that hold a comma");
            }
            FieldConverter.Mapped mapped;
            try {
                mapped = FieldConverter.of(declared.copy(!key.contains(name)), zones);
            } catch (IllegalArgumentException e) {
                throw new SetupException("Schema file " + file + ": column '" + name + "': " + e.getMessage());
            }
            fields.add(new RowType.RowField(name, mapped.type()));
            converters.add(mapped.converter());
        }
        try {
            return new DmsTable(id, directory, LakeSchema.of(id, fields, key), List.copyOf(converters));
        } catch (IllegalArgumentException e) {
            throw new SetupException("Schema file " + file + ": " + e.getMessage());
        }
    }
}
