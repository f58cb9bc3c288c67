package io.lakehousecdc.app.control;

import io.lakehousecdc.app.LocalPostgres;

import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ControlPlaneMigrationsITCase {

    @Test
    void emptyDatabaseMigratesToTheNewestVersion() throws SQLException {
        try (LocalPostgres db = LocalPostgres.createDatabase("cp_migrate_empty")) {
            ControlPlane.migrate(db.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(), null);

            assertThat(appliedVersions(db)).containsExactly("1", "2", "3", "4");
            assertThat(tables(db)).contains("sources", "captured_tables", "audit_log", "warehouse_models", "ddl_history", "failed_events",
                    "onboarding_rules");

            ControlPlane.migrate(db.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(), null);
            assertThat(appliedVersions(db)).as("a second run applies nothing").containsExactly("1", "2", "3", "4");
        }
    }

    @Test
    void dataOfThePreviousVersionSurvivesTheUpgrade() throws SQLException {
        try (LocalPostgres db = LocalPostgres.createDatabase("cp_migrate_upgrade")) {
            ControlPlane.migrate(db.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(), "1");
            assertThat(appliedVersions(db)).containsExactly("1");
            db.execute("INSERT INTO sources (id, type, settings) VALUES ('clinic', 'mysql', '{\"hostname\":\"db\"}')",
                    "INSERT INTO captured_tables (source_id, source_table, table_type, partition_by, enabled, hudi_options)"
                            + " VALUES ('clinic', 'clinic.consultations', 'COPY_ON_WRITE', 'started_at', false,"
                            + " '{\"index.type\":\"BUCKET\"}')",
                    "INSERT INTO audit_log (actor, action, entity, after_json) VALUES ('alice', 'add', 'table clinic/clinic.consultations', '{}')");

            ControlPlane.migrate(db.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(), null);

            assertThat(appliedVersions(db)).containsExactly("1", "2", "3", "4");
            try (Statement st = db.connection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT source_table, table_type, partition_by, enabled, hudi_options,"
                            + " index_type, raw_zone, retention FROM captured_tables")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("clinic.consultations");
                assertThat(rs.getString(2)).isEqualTo("COPY_ON_WRITE");
                assertThat(rs.getString(3)).isEqualTo("started_at");
                assertThat(rs.getBoolean(4)).isFalse();
                assertThat(rs.getString(5)).isEqualTo("{\"index.type\":\"BUCKET\"}");
                assertThat(rs.getString(6)).as("new columns take their defaults").isEqualTo("state");
                assertThat(rs.getBoolean(7)).isTrue();
                assertThat(rs.getString(8)).isNull();
                assertThat(rs.next()).isFalse();
            }
            assertThat(count(db, "sources")).isEqualTo(1);
            assertThat(count(db, "audit_log")).isEqualTo(1);
        }
    }

    private static List<String> appliedVersions(LocalPostgres db) throws SQLException {
        return strings(db, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
    }

    private static List<String> tables(LocalPostgres db) throws SQLException {
        return strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    }

    private static long count(LocalPostgres db, String table) throws SQLException {
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(LocalPostgres db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
