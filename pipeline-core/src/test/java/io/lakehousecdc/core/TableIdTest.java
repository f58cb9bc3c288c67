package io.lakehousecdc.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableIdTest {

    @Test
    void mysqlTablesAreNamedSourceDatabaseTable() {
        TableId id = TableId.mysql("Clinic", "ClinicDB", "Consultations");
        assertThat(id.lakeName()).isEqualTo("clinic_clinicdb_consultations");
        assertThat(id.sourceName()).isEqualTo("ClinicDB.Consultations");
        assertThat(id.lakePath("s3a://lake/base/", LakeZone.PROCESSED))
                .isEqualTo("s3a://lake/base/processed/clinic/clinicdb/consultations");
    }

    @Test
    void postgresSchemaJoinsTheNameOnlyWhenNotPublic() {
        assertThat(TableId.postgres("pharmacy", "pharmacy", "public", "orders").lakeName())
                .isEqualTo("pharmacy_pharmacy_orders");
        assertThat(TableId.postgres("pharmacy", "pharmacy", "sales", "orders").lakeName())
                .isEqualTo("pharmacy_pharmacy_sales_orders");
        assertThat(TableId.postgres("pharmacy", "pharmacy", "sales", "orders").lakePath("/lake", LakeZone.RAW))
                .isEqualTo("/lake/raw/pharmacy/pharmacy/sales_orders");
    }

    @Test
    void equalIdsAreInterchangeableAsKeys() {
        assertThat(TableId.mysql("a", "b", "c")).isEqualTo(TableId.mysql("a", "b", "c"))
                .hasSameHashCodeAs(TableId.mysql("a", "b", "c"))
                .isNotEqualTo(TableId.mysql("a", "b", "d"));
    }

    @Test
    void blankPartsAreRejected() {
        assertThatThrownBy(() -> TableId.mysql("a", " ", "c")).hasMessageContaining("database");
    }
}
