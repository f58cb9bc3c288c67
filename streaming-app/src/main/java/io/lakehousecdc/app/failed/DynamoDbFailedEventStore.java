package io.lakehousecdc.app.failed;

import io.lakehousecdc.core.SetupException;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Failed events in a DynamoDB table, keyed by lake table and event id, so that one table's
 * events are a query and one event a read. The table is created on first use, billed per
 * request. A payload above 256 KiB is kept gzip-compressed: DynamoDB items stop at 400 KB.
 */
final class DynamoDbFailedEventStore implements FailedEventStore {

    private static final String TABLE = "lake_table";
    private static final String ID = "event_id";
    private static final int COMPRESS_ABOVE_BYTES = 256 * 1024;
    private static final Duration TABLE_CREATION_TIMEOUT = Duration.ofMinutes(5);

    private final DynamoDbClient client;
    private final String tableName;

    private DynamoDbFailedEventStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    /**
     * @param region null for the SDK's default region chain
     * @param endpoint null for AWS; a DynamoDB-compatible endpoint otherwise
     */
    record Location(String tableName, String region, String endpoint) implements FailedEventStore.Location {
        @Override
        public FailedEventStore open() {
            DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
            if (region != null) {
                builder.region(Region.of(region));
            }
            if (endpoint != null) {
                builder.endpointOverride(URI.create(endpoint));
            }
            try {
                return new DynamoDbFailedEventStore(builder.build(), tableName);
            } catch (SdkException e) {
                throw new SetupException("Cannot reach DynamoDB for the failed events (" + SetupException.firstLine(e)
                        + "): set failed-events.dynamodb.region, and credentials as for any AWS client", e);
            }
        }

        /** Opens the store, creating its table when it does not exist yet. */
        FailedEventStore prepared() {
            DynamoDbFailedEventStore store = (DynamoDbFailedEventStore) open();
            try {
                store.createTableIfMissing();
            } catch (SdkException e) {
                store.close();
                throw new SetupException("Cannot prepare the DynamoDB table " + tableName + " for failed events: "
                        + SetupException.firstLine(e), e);
            }
            return store;
        }
    }

    private void createTableIfMissing() {
        try {
            client.describeTable(r -> r.tableName(tableName));
            return;
        } catch (ResourceNotFoundException absent) {
            // created below
        }
        client.createTable(r -> r.tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(TABLE).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(ID).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(TABLE).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(ID).keyType(KeyType.RANGE).build()));
        // The SDK's waiter looks every 20 s; a new on-demand table is usually active within seconds.
        long deadline = System.nanoTime() + TABLE_CREATION_TIMEOUT.toNanos();
        while (client.describeTable(r -> r.tableName(tableName)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new SetupException("The DynamoDB table " + tableName + " for failed events is not active "
                        + TABLE_CREATION_TIMEOUT.toMinutes() + " minutes after its creation: look at it in the AWS console");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the failed-events table was created", e);
            }
        }
    }

    @Override
    public void append(List<FailedEvent> events) {
        for (FailedEvent event : events) {
            try {
                // A change delivered again after a restart has the id it had; it is kept once.
                client.putItem(r -> r.tableName(tableName).item(item(event)).conditionExpression("attribute_not_exists(" + ID + ")"));
            } catch (ConditionalCheckFailedException kept) {
                // kept before, as it was
            } catch (SdkException e) {
                throw failure("keep failed event " + event.id(), e);
            }
        }
    }

    @Override
    public List<FailedEvent> list(String table, Instant since) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String filter = null;
        if (since != null) {
            names.put("#at", "failed_at");
            values.put(":since", number(since.toEpochMilli()));
            filter = "#at >= :since";
        }
        List<FailedEvent> events = new ArrayList<>();
        try {
            if (table != null) {
                names.put("#t", TABLE);
                values.put(":t", AttributeValue.fromS(table));
                QueryRequest.Builder query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                        .keyConditionExpression("#t = :t").expressionAttributeNames(names).expressionAttributeValues(values);
                if (filter != null) {
                    query.filterExpression(filter);
                }
                client.queryPaginator(query.build()).items().forEach(item -> events.add(event(item)));
            } else {
                ScanRequest.Builder scan = ScanRequest.builder().tableName(tableName).consistentRead(true);
                if (filter != null) {
                    scan.filterExpression(filter).expressionAttributeNames(names).expressionAttributeValues(values);
                }
                client.scanPaginator(scan.build()).items().forEach(item -> events.add(event(item)));
            }
        } catch (SdkException e) {
            throw failure("list the failed events", e);
        }
        events.sort(Comparator.comparingLong(FailedEvent::position).thenComparing(FailedEvent::id));
        return events;
    }

    @Override
    public Optional<FailedEvent> find(String id) {
        int at = id.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        try {
            Map<String, AttributeValue> item = client.getItem(r -> r.tableName(tableName).consistentRead(true)
                    .key(Map.of(TABLE, AttributeValue.fromS(id.substring(0, at)), ID, AttributeValue.fromS(id)))).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(event(item));
        } catch (SdkException e) {
            throw failure("read failed event " + id, e);
        }
    }

    @Override
    public void reprocessed(List<String> ids, Instant at) {
        for (String id : ids) {
            update(id, "SET reprocessed_at = :at ADD attempts :one", Map.of(":at", number(at.toEpochMilli())));
        }
    }

    @Override
    public void failedAgain(Map<String, String> errors, Instant at) {
        errors.forEach((id, error) -> update(id, "SET #error = :error ADD attempts :one", Map.of(":error", AttributeValue.fromS(error))));
    }

    private void update(String id, String expression, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":one", number(1));
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(tableName)
                .key(Map.of(TABLE, AttributeValue.fromS(id.substring(0, id.lastIndexOf('@'))), ID, AttributeValue.fromS(id)))
                .updateExpression(expression)
                .expressionAttributeValues(all)
                .conditionExpression("attribute_exists(" + ID + ")");
        if (expression.contains("#error")) {
            request.expressionAttributeNames(Map.of("#error", "error")); // a word DynamoDB reserves
        }
        try {
            client.updateItem(request.build());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("No failed event " + id + " in DynamoDB table " + tableName, e);
        } catch (SdkException e) {
            throw failure("mark failed event " + id, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static Map<String, AttributeValue> item(FailedEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TABLE, AttributeValue.fromS(event.table()));
        item.put(ID, AttributeValue.fromS(event.id()));
        item.put("source", AttributeValue.fromS(event.source()));
        item.put("source_table", AttributeValue.fromS(event.sourceTable()));
        item.put("position", number(event.position()));
        item.put("error", AttributeValue.fromS(event.error()));
        item.put("failed_at", number(event.failedAt().toEpochMilli()));
        item.put("attempts", number(event.attempts()));
        byte[] payload = event.payload().getBytes(StandardCharsets.UTF_8);
        if (payload.length > COMPRESS_ABOVE_BYTES) {
            item.put("payload_gzip", AttributeValue.fromB(SdkBytes.fromByteArray(gzip(payload))));
        } else {
            item.put("payload", AttributeValue.fromS(event.payload()));
        }
        return item;
    }

    private static FailedEvent event(Map<String, AttributeValue> item) {
        String payload = item.containsKey("payload") ? item.get("payload").s()
                : new String(gunzip(item.get("payload_gzip").b().asByteArray()), StandardCharsets.UTF_8);
        AttributeValue reprocessed = item.get("reprocessed_at");
        return new FailedEvent(item.get(ID).s(), item.get("source").s(), item.get(TABLE).s(), item.get("source_table").s(),
                Long.parseLong(item.get("position").n()), item.get("error").s(), Instant.ofEpochMilli(Long.parseLong(item.get("failed_at").n())),
                payload, Integer.parseInt(item.get("attempts").n()),
                reprocessed == null ? null : Instant.ofEpochMilli(Long.parseLong(reprocessed.n())));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return zip.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IllegalStateException failure(String what, SdkException e) {
        return new IllegalStateException("Cannot " + what + " in DynamoDB table " + tableName + ": " + SetupException.firstLine(e), e);
    }
}
