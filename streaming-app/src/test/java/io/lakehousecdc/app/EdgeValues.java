package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.query.LakeQuery;

import org.apache.flink.types.Row;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The edge-value tables of the type ITCases: a column list, rows of SQL literals, and the
 * comparison of the source's rows, read over JDBC and put into the documented lake form, with
 * the lake's rows, cell by cell.
 */
final class EdgeValues {

    /**
     * A column of an edge table.
     *
     * @param sourceText the SQL expression that reads the source value as text, {@code {}} standing for the column
     * @param expected the documented lake form of that text; never sees NULL
     * @param lake the same form of the value LakeQuery returns; never sees NULL
     */
    record Column(String name, String ddl, String sourceText, Function<String, String> expected, Function<Object, String> lake) {}

    private EdgeValues() {}

    static String createTable(String table, List<Column> columns) {
        StringBuilder sql = new StringBuilder("CREATE TABLE " + table + " (id INT PRIMARY KEY");
        columns.forEach(c -> sql.append(", ").append(c.name()).append(' ').append(c.ddl()));
        return sql.append(')').toString();
    }

    /** An INSERT of one row; {@code literals} by column name, columns not named are NULL. */
    static String insert(String table, int id, Map<String, String> literals) {
        StringBuilder names = new StringBuilder("id");
        StringBuilder values = new StringBuilder(Integer.toString(id));
        literals.forEach((name, literal) -> {
            names.append(", ").append(name);
            values.append(", ").append(literal);
        });
        return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")";
    }

    static String update(String table, int id, Map<String, String> literals, List<Column> columns) {
        StringBuilder set = new StringBuilder();
        for (Column c : columns) {
            set.append(set.isEmpty() ? "" : ", ").append(c.name()).append(" = ").append(literals.getOrDefault(c.name(), "NULL"));
        }
        return "UPDATE " + table + " SET " + set + " WHERE id = " + id;
    }

    /** The source's rows by id, each cell in the documented lake form; NULL as {@code NULL}. */
    static Map<Integer, List<String>> sourceRows(Connection connection, String table, List<Column> columns) throws SQLException {
        StringBuilder select = new StringBuilder("SELECT id");
        columns.forEach(c -> select.append(", ").append(c.sourceText().replace("{}", c.name())));
        Map<Integer, List<String>> rows = new TreeMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(select + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    String text = rs.getString(i + 2);
                    cells.add(text == null ? "NULL" : columns.get(i).expected().apply(text));
                }
                rows.put(rs.getInt(1), cells);
            }
        }
        return rows;
    }

    static Map<Integer, List<String>> lakeRows(LakehouseConfig config, String lakeTable, List<Column> columns) throws Exception {
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
        Map<Integer, List<String>> rows = new TreeMap<>();
        if (!query.tableNames().contains(lakeTable)) {
            return rows;
        }
        StringBuilder select = new StringBuilder("SELECT id");
        columns.forEach(c -> select.append(", `").append(c.name()).append('`'));
        for (Row row : query.run(select + " FROM " + lakeTable).rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.getField(i + 1);
                cells.add(v == null ? "NULL" : columns.get(i).lake().apply(v));
            }
            rows.put((Integer) row.getField(0), cells);
        }
        return rows;
    }

    /** Waits until {@code lake} returns what {@code expected} does; on timeout, names every differing cell. */
    static void awaitEqual(Callable expected, Callable lake, List<Column> columns, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, List<String>> want;
        Map<Integer, List<String>> got;
        do {
            want = expected.rows();
            got = lake.rows();
            if (want.equals(got)) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new TimeoutException("The lake differs from the source:\n" + differences(want, got, columns));
    }

    /** Rows by id, each a list of cells. */
    @FunctionalInterface
    interface Callable {
        Map<Integer, List<String>> rows() throws Exception;
    }

    private static String differences(Map<Integer, List<String>> want, Map<Integer, List<String>> got, List<Column> columns) {
        StringBuilder out = new StringBuilder();
        for (Integer id : new java.util.TreeSet<>(Stream.concat(want.keySet().stream(), got.keySet().stream()).toList())) {
            List<String> w = want.get(id);
            List<String> g = got.get(id);
            if (w == null || g == null) {
                out.append("row ").append(id).append(w == null ? " only in the lake: " + abbreviate(g.toString()) : " missing in the lake")
                        .append('\n');
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                if (!w.get(i).equals(g.get(i))) {
                    out.append("row ").append(id).append(' ').append(columns.get(i).name()).append(": source ")
                            .append(abbreviate(w.get(i))).append(", lake ").append(abbreviate(g.get(i))).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 380) + "...(" + s.length() + " chars)";
    }

    /** The failed events the job wrote for {@code sourceId}, one JSON line each. */
    static List<String> failedEvents(Path lake, String sourceId) throws Exception {
        Path dir = lake.resolve("_failed_events").resolve(sourceId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }

    static String plain(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }

    static String hex(Object bytes) {
        return HexFormat.of().formatHex((byte[]) bytes);
    }

    static Map<String, String> row(String... nameThenLiteral) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < nameThenLiteral.length; i += 2) {
            row.put(nameThenLiteral[i], nameThenLiteral[i + 1]);
        }
        return row;
    }
}
