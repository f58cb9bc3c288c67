package io.lakehousecdc.app.failed;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.core.FailedChange;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The DynamoDB store through the AWS SDK's client, against dynalite, a server of the DynamoDB API. */
class DynamoDbFailedEventStoreITCase extends FailedEventStoreContract {

    private static Dynalite dynalite;
    private static int tables;

    @BeforeAll
    static void startDynalite() throws Exception {
        // dynalite checks that requests are signed, not by whom.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        dynalite = Dynalite.start();
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @Override
    FailedEventStore open() {
        return new DynamoDbFailedEventStore.Location("failed_events_" + ++tables, "ap-southeast-3", dynalite.endpoint()).prepared();
    }

    @Test
    void aPayloadLargerThanADynamoDbItemIsKeptWhole() {
        // 600 KB of Debezium JSON, above DynamoDB's 400 KB per item; its repeated field names compress well.
        StringBuilder payload = new StringBuilder("{\"payload\": {\"after\": [");
        Random random = new Random(7);
        while (payload.length() < 600_000) {
            payload.append("{\"id\": ").append(random.nextInt(1_000_000)).append(", \"note\": \"visit notes\"},");
        }
        payload.append("{}]}}");
        FailedEvent large = FailedEvent.of("clinic", VISITS, new FailedChange(42, payload.toString(), "id=42",
                "column scan: too large", 1_700_000_000_000L));
        try (FailedEventStore store = open()) {
            store.append(List.of(large));
            assertThat(store.find(large.id())).get().extracting(FailedEvent::payload).isEqualTo(payload.toString());
            assertThat(store.list(VISITS.lakeName(), Instant.ofEpochMilli(1_700_000_000_000L))).extracting(FailedEvent::id)
                    .containsExactly(large.id());
        }
    }

    @Test
    void theConfigurationChoosesTheStoreAndItsTableIsCreatedOnce() {
        String yaml = """
                pipeline:
                  name: failed-events
                lake:
                  base-path: /tmp/unused
                failed-events:
                  store: dynamodb
                  dynamodb:
                    table: clinic_failed_events
                    region: ap-southeast-3
                    endpoint: %s
                """.formatted(dynalite.endpoint());
        LakehouseConfig config = LakehouseConfig.parse(yaml, "test", List.of(), Map.of());
        FailedEvent event = event(7, "id=7");
        try (FailedEventStore store = FailedEventStores.open(config)) {
            store.append(List.of(event));
        }
        try (FailedEventStore again = FailedEventStores.open(config)) {
            assertThat(again.list(null, null)).extracting(FailedEvent::id).containsExactly(event.id());
        }
    }
}
