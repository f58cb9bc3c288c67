package io.lakehousecdc.source;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.json.JsonConverter;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Debezium change event as text and back: Kafka Connect's JSON with the schema enclosed, so
 * that a failed change can later run through the same conversion as it first did, logical types
 * (decimals, times, Debezium's own) and all. Only failed changes take this path.
 */
final class ChangePayloads {

    private final JsonConverter json = new JsonConverter();

    ChangePayloads() {
        // Decimals as their exact bytes, as Debezium made them; the schema goes with every payload.
        json.configure(Map.of("schemas.enable", true, "decimal.format", "BASE64"), false);
    }

    String write(String topic, Struct value) {
        return new String(json.fromConnectData(topic, value.schema(), value), StandardCharsets.UTF_8);
    }

    Struct read(String payload) {
        SchemaAndValue parsed = json.toConnectData("", payload.getBytes(StandardCharsets.UTF_8));
        if (!(parsed.value() instanceof Struct value) || value.schema().field("op") == null) {
            throw new IllegalArgumentException("not a Debezium change event");
        }
        return value;
    }
}
