package io.lakehousecdc.app.control;

import io.lakehousecdc.core.SetupException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The control plane over HTTP, JSON in and out, for the same operations as {@code lakehouse
 * tables}. Every request carries {@code Authorization: Bearer <token>}; changes are audited
 * under the token's name. Errors are {@code {"error": "..."}}: 400 for invalid input (the
 * message the CLI would print), 401 for a missing or wrong token, 404 for an unknown table.
 */
public final class ControlPlaneServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final ExecutorService workers;
    private final ControlPlane control;
    private final byte[] token;
    private final String tokenName;

    private ControlPlaneServer(HttpServer server, ExecutorService workers, ControlPlane control, String token, String tokenName) {
        this.server = server;
        this.workers = workers;
        this.control = control;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.tokenName = tokenName;
    }

    /**
     * Serves {@code control} on {@code address} (port 0 picks a free one).
     *
     * @param token what clients must send as their bearer token
     * @param tokenName who the audit log names for changes made with the token
     */
    public static ControlPlaneServer start(ControlPlane control, InetSocketAddress address, String token, String tokenName) {
        if (token == null || token.length() < 16) {
            throw new SetupException("The API token is missing or shorter than 16 characters:"
                    + " export LAKEHOUSE_API_TOKEN with a long random value (e.g. openssl rand -hex 32)");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new SetupException("Cannot listen on " + address + " (" + SetupException.firstLine(e)
                    + "): choose another --port or --bind", e);
        }
        ExecutorService workers = Executors.newFixedThreadPool(4);
        ControlPlaneServer api = new ControlPlaneServer(server, workers, control, token, tokenName);
        server.createContext("/", api::handle);
        server.setExecutor(workers);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        int status;
        try {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                status = reply(exchange, 401, error("missing or wrong bearer token: send Authorization: Bearer <LAKEHOUSE_API_TOKEN>"));
            } else {
                status = route(exchange, method, segments(path));
            }
        } catch (ControlPlane.UnknownTableException e) {
            status = reply(exchange, 404, error(e.getMessage()));
        } catch (SetupException e) {
            status = reply(exchange, 400, error(e.getMessage()));
        } catch (BadRequest e) {
            status = reply(exchange, 400, error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            status = reply(exchange, 500, error("internal error: " + SetupException.firstLine(e) + "; see the server's log"));
        } finally {
            exchange.close();
        }
        LOG.info("{} {} -> {}", method, path, status);
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> segments(String rawPath) {
        try {
            return Pattern.compile("/").splitAsStream(rawPath).filter(s -> !s.isEmpty())
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the path is not URL-encoded correctly: " + e.getMessage());
        }
    }

    private int route(HttpExchange exchange, String method, List<String> path) throws IOException {
        String route = method + " " + (path.isEmpty() ? "" : path.get(0)) + "/" + path.size();
        switch (route) {
            case "GET tables/1" -> {
                ArrayNode tables = JSON.createArrayNode();
                control.tables().forEach(t -> tables.add(json(t)));
                return reply(exchange, 200, tables);
            }
            case "POST tables/1" -> {
                Map<String, String> settings = settings(body(exchange));
                String source = settings.remove("source");
                String table = settings.remove("table");
                if (source == null || table == null) {
                    throw new BadRequest("the body needs \"source\" and \"table\"");
                }
                return reply(exchange, 201, json(control.add(source, table, settings, tokenName)));
            }
            case "GET tables/3" -> {
                return reply(exchange, 200, json(control.table(path.get(1), path.get(2))));
            }
            case "PATCH tables/3" -> {
                Map<String, String> changes = settings(body(exchange));
                if (changes.containsKey("source") || changes.containsKey("table")) {
                    throw new BadRequest("a table's source and name cannot change: add the other table and disable this one");
                }
                return reply(exchange, 200, json(control.set(path.get(1), path.get(2), changes, tokenName)));
            }
            case "POST tables/4" -> {
                String action = path.get(3);
                if (!action.equals("enable") && !action.equals("disable")) {
                    return reply(exchange, 404, error("no such action '" + action + "': use enable or disable"));
                }
                return reply(exchange, 200, json(control.setEnabled(path.get(1), path.get(2), action.equals("enable"), tokenName)));
            }
            case "POST sources/3" -> {
                if (!path.get(2).equals("onboard")) {
                    return reply(exchange, 404, error("no such action '" + path.get(2) + "': use onboard"));
                }
                return onboard(exchange, path.get(1));
            }
            case "POST import/1" -> {
                ImportSummary summary = control.importConfig(tokenName);
                return reply(exchange, 200, JSON.valueToTree(summary));
            }
            case "GET audit/1" -> {
                ArrayNode entries = JSON.createArrayNode();
                control.audit(limit(exchange.getRequestURI().getRawQuery())).forEach(e -> entries.add(json(e)));
                return reply(exchange, 200, entries);
            }
            default -> {
                return reply(exchange, 404, error("no endpoint " + method + " /" + String.join("/", path)
                        + ": see the control plane section of README.md"));
            }
        }
    }

    private int onboard(HttpExchange exchange, String source) throws IOException {
        JsonNode body = body(exchange);
        Map<String, String> settings = settings(body);
        String database = settings.remove("database");
        String include = settings.remove("include");
        String exclude = settings.remove("exclude");
        if (database == null) {
            throw new BadRequest("the body needs \"database\" (PostgreSQL: the schema)");
        }
        List<TableSettings> added = control.onboard(new OnboardingRule(source, database,
                pattern(include == null ? ".*" : include), exclude == null ? null : pattern(exclude), settings), tokenName);
        ArrayNode tables = JSON.createArrayNode();
        added.forEach(t -> tables.add(json(t)));
        return reply(exchange, 201, tables);
    }

    /** {@code regex}, checked. */
    private static String pattern(String regex) {
        try {
            return Pattern.compile(regex).pattern();
        } catch (PatternSyntaxException e) {
            throw new BadRequest("'" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }

    private static int limit(String query) {
        if (query == null) {
            return 100;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("limit=")) {
                try {
                    return Math.max(1, Math.min(10_000, Integer.parseInt(pair.substring(6))));
                } catch (NumberFormatException e) {
                    throw new BadRequest("limit must be a number");
                }
            }
        }
        return 100;
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest("the body is larger than 1 MiB");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest("the body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A request's settings as the CLI's KEY=VALUE pairs: {@code key-columns} may be a list,
     * {@code hudi} an object of Hudi options, null clears a setting.
     */
    private static Map<String, String> settings(JsonNode body) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (field.getKey().equals("hudi") && value.isObject()) {
                value.fields().forEachRemaining(option -> settings.put("hudi." + option.getKey(), text(option.getValue())));
            } else if (!field.getKey().equals("updated-at")) {
                settings.put(field.getKey(), text(value));
            }
        }
        return settings;
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            StringBuilder joined = new StringBuilder();
            value.forEach(element -> joined.append(joined.length() == 0 ? "" : ",").append(element.asText()));
            return joined.toString();
        }
        if (value.isObject()) {
            throw new BadRequest("only \"hudi\" may hold an object");
        }
        return value.isNull() ? "" : value.asText();
    }

    private static ObjectNode json(TableSettings table) {
        ObjectNode node = JSON.createObjectNode();
        node.put("source", table.source());
        node.put("table", table.table());
        node.put("type", table.type().name());
        node.put("partition-by", table.partitionBy());
        ArrayNode keys = node.putArray("key-columns");
        table.keyColumns().forEach(keys::add);
        node.put("index-type", table.indexType());
        node.put("ordering-column", table.orderingColumn());
        node.put("retention", table.retention());
        node.put("raw-zone", table.rawZone());
        node.put("enabled", table.enabled());
        ObjectNode hudi = node.putObject("hudi");
        table.hudi().forEach(hudi::put);
        node.put("updated-at", table.updatedAt().toString());
        return node;
    }

    private static ObjectNode json(AuditEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", entry.id());
        node.put("actor", entry.actor());
        node.put("at", entry.at().toString());
        node.put("action", entry.action());
        node.put("entity", entry.entity());
        node.set("before", JSON.valueToTree(entry.before()));
        node.set("after", JSON.valueToTree(entry.after()));
        return node;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static int reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    /** A request the server cannot act on as sent; its message goes back as the error. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
