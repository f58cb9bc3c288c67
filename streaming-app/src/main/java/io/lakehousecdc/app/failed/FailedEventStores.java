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
                    + " plane is configured) or lake (files under <base-path>/_failed_events/, the default otherwise).");

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
            default -> throw new SetupException("failed-events.store '" + store + "' is not known: use control-plane or lake");
        };
    }
}
