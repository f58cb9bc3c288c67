package io.lakehousecdc.app.failed;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Picks the failed-events store the configuration asks for. */
public final class FailedEventStores {

    public static final ConfigOption<String> STORE = ConfigOptions.key("failed-events.store")
            .stringType()
            .noDefaultValue()
            .withDescription("Where changes that cannot be converted are kept: control-plane (the default when a control"
                    + " plane is configured), lake (files under <base-path>/_failed_events/, the default otherwise) or"
                    + " dynamodb.");

    public static final ConfigOption<String> DYNAMODB_TABLE = ConfigOptions.key("failed-events.dynamodb.table")
            .stringType()
            .defaultValue("lakehouse_failed_events")
            .withDescription("The DynamoDB table of the dynamodb store, created on first use.");

    public static final ConfigOption<String> DYNAMODB_REGION = ConfigOptions.key("failed-events.dynamodb.region")
            .stringType()
            .noDefaultValue()
            .withDescription("The DynamoDB table's region; the AWS SDK's default region chain when unset.");

    public static final ConfigOption<String> DYNAMODB_ENDPOINT = ConfigOptions.key("failed-events.dynamodb.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("A DynamoDB-compatible endpoint (http://host:port) instead of AWS's.");

    private FailedEventStores() {}

    public static FailedEventStore open(LakehouseConfig config) {
        return location(config).open();
    }

    /** Where the job's sink writes, resolved (and the control plane migrated) before the job starts. */
    public static FailedEventStore.Location location(LakehouseConfig config) {
        String store = config.global().getOptional(STORE).orElse(ControlPlane.configured(config) ? "control-plane" : "lake");
        return switch (store) {
            case "control-plane" -> new ControlPlaneFailedEventStore.Location(ControlPlane.open(config).database());
            case "lake" -> new LakeFailedEventStore.Location(LakeLayout.basePath(config.global()), LakeStorage.from(config.global()));
            case "dynamodb" -> {
                DynamoDbFailedEventStore.Location location = new DynamoDbFailedEventStore.Location(
                        config.global().get(DYNAMODB_TABLE), config.global().get(DYNAMODB_REGION), config.global().get(DYNAMODB_ENDPOINT));
                location.prepared().close();
                yield location;
            }
            default -> throw new SetupException("failed-events.store '" + store + "' is not known: use control-plane, lake or dynamodb");
        };
    }
}
