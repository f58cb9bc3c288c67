package io.lakehousecdc.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lakehouse demo} runs end to end and its closing summary finds source and lake equal. */
class DemoITCase {

    @TempDir
    Path dir;

    @Test
    void demoEndsWithSourceAndLakeAgreeing() throws Exception {
        String database = "it_demo_" + UUID.randomUUID().toString().substring(0, 8);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Lakehouse.execute("demo", "--duration", "12s", "--rate", "25", "--rows", "40",
                    "--dir", dir.toString(), "--database", database);
        } finally {
            System.setOut(original);
            try (Connection admin = LocalMySql.connectAdmin(); Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database);
            }
            try (Connection warehouse = LocalPostgres.connectWarehouse(); Statement st = warehouse.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + database + " CASCADE");
            }
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("Flink web UI: http://127.0.0.1:")
                .contains("captured")
                .contains("Source and lake agree.")
                .contains("Source and warehouse agree.")
                .doesNotContain("DIFFERENT");
        assertThat(printed.lines().filter(l -> l.startsWith("clinic_" + database))).hasSize(4).allMatch(l -> l.endsWith("equal"));
        assertThat(printed.lines().filter(l -> l.startsWith("dim_") || l.startsWith("fact_") || l.startsWith("rpt_")))
                .as("the warehouse models against the source").hasSize(5).allMatch(l -> l.endsWith("equal"));
    }
}
