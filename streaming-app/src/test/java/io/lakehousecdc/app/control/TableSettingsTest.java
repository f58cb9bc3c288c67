package io.lakehousecdc.app.control;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeOptions;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableSettingsTest {
    private static final TableSettings DEFAULTS = TableSettings.defaults("clinic", "clinic.consultations");

    @Test
    void changesApplyInOrderAndAnEmptyValueClears() {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("type", "copy_on_write");
        changes.put("partition-by", "started_at");
        changes.put("key-columns", " id , visit_no ");
        changes.put("index-type", "BUCKET");
        changes.put("hudi.hoodie.bucket.index.num.buckets", "8");
        changes.put("retention", "30d");
        TableSettings changed = DEFAULTS.with(changes);

        assertThat(changed.type()).isEqualTo(LakeOptions.TableType.COPY_ON_WRITE);
        assertThat(changed.keyColumns()).containsExactly("id", "visit_no");
        assertThat(changed.indexType()).isEqualTo("bucket");
        assertThat(changed.hudi()).containsExactly(Map.entry("hoodie.bucket.index.num.buckets", "8"));

        TableSettings cleared = changed.with(Map.of("partition-by", "", "key-columns", "", "retention", "",
                "hudi.hoodie.bucket.index.num.buckets", ""));
        assertThat(cleared.partitionBy()).isNull();
        assertThat(cleared.keyColumns()).isEmpty();
        assertThat(cleared.retention()).isNull();
        assertThat(cleared.hudi()).isEmpty();
        assertThat(DEFAULTS.keyColumns()).as("the original is unchanged").isEmpty();
    }

    @Test
    void theJobSeesTheShapeOfAConfiguredTable() {
        TableSettings table = DEFAULTS.with(Map.of("partition-by", "started_at", "hudi.write.tasks", "2"));

        assertThat(table.toConfiguration().toMap()).containsAllEntriesOf(Map.of(
                "source", "clinic", "table", "clinic.consultations", "type", "MERGE_ON_READ",
                "partition-by", "started_at", "hudi.write.tasks", "2", "enabled", "true"));
        assertThat(table.toConfiguration().get(LakeOptions.TYPE)).isEqualTo(LakeOptions.TableType.MERGE_ON_READ);
        assertThat(table.toConfiguration().get(LakeOptions.PARTITION_BY)).isEqualTo("started_at");
    }

    @Test
    void invalidValuesNameTheSettingAndTheFix() {
        List<Map.Entry<Map<String, String>, String>> cases = List.of(
                Map.entry(Map.of("partition", "x"), "Unknown table setting 'partition': use one of type, partition-by,"),
                Map.entry(Map.of("type", "MOR"), "Setting type=MOR of table clinic.consultations is not a table type:"
                        + " use MERGE_ON_READ or COPY_ON_WRITE"),
                Map.entry(Map.of("key-columns", "id,,no"), "has an empty column name: write the columns as a,b"),
                Map.entry(Map.of("partition-by", "started at"), "'started at' is not a column name"),
                Map.entry(Map.of("retention", "a month"), "is not a duration: write it as 30d, 12h or 90min"),
                Map.entry(Map.of("raw-zone", "yes"), "is not a boolean: use true or false"),
                Map.entry(Map.of("index-type", "hash"), "is not an index type: use state, bucket or bloom"));
        for (Map.Entry<Map<String, String>, String> c : cases) {
            assertThatThrownBy(() -> DEFAULTS.with(c.getKey())).isInstanceOf(SetupException.class)
                    .hasMessageContaining(c.getValue()).message().doesNotContain("\n");
        }
    }
}
