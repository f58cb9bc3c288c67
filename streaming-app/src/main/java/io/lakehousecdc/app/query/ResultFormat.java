package io.lakehousecdc.app.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.types.Row;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How query answers are printed: a table for people, CSV or JSON lines for scripts. Times are
 * ISO-8601 with seconds always shown, decimals exact, binary values base64.
 */
public enum ResultFormat {
    TABLE,
    CSV,
    JSON;

    public void print(LakeQuery.Result result, PrintStream out) {
        switch (this) {
            case TABLE -> printTable(result, out);
            case CSV -> printCsv(result, out);
            case JSON -> printJson(result, out);
        }
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return value.toString();
    }

    private static void printTable(LakeQuery.Result result, PrintStream out) {
        List<String> columns = result.columns();
        List<String[]> cells = new ArrayList<>();
        int[] widths = columns.stream().mapToInt(String::length).toArray();
        for (Row row : result.rows()) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < line.length; i++) {
                String value = text(row.getField(i));
                line[i] = value == null ? "NULL" : value;
                widths[i] = Math.max(widths[i], line[i].length());
            }
            cells.add(line);
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : widths) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        out.println(rule);
        out.println(tableLine(columns.toArray(new String[0]), widths));
        out.println(rule);
        cells.forEach(line -> out.println(tableLine(line, widths)));
        out.println(rule);
        out.println(cells.size() + (cells.size() == 1 ? " row" : " rows"));
    }

    private static String tableLine(String[] values, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < values.length; i++) {
            line.append(' ').append(values[i]).append(" ".repeat(widths[i] - values[i].length())).append(" |");
        }
        return line.toString();
    }

    private static void printCsv(LakeQuery.Result result, PrintStream out) {
        out.println(String.join(",", result.columns().stream().map(ResultFormat::csvCell).toList()));
        for (Row row : result.rows()) {
            List<String> line = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                String value = text(row.getField(i));
                line.add(value == null ? "" : csvCell(value));
            }
            out.println(String.join(",", line));
        }
    }

    private static String csvCell(String value) {
        if (value.isEmpty() || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static void printJson(LakeQuery.Result result, PrintStream out) {
        ObjectMapper json = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
        for (Row row : result.rows()) {
            ObjectNode line = nodes.objectNode();
            for (int i = 0; i < result.columns().size(); i++) {
                Object value = row.getField(i);
                String name = result.columns().get(i);
                if (value == null) {
                    line.putNull(name);
                } else if (value instanceof BigDecimal d) {
                    line.put(name, d);
                } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    line.put(name, ((Number) value).longValue());
                } else if (value instanceof Double || value instanceof Float) {
                    line.put(name, ((Number) value).doubleValue());
                } else if (value instanceof Boolean b) {
                    line.put(name, b);
                } else {
                    line.put(name, text(value));
                }
            }
            try {
                out.println(json.writeValueAsString(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
