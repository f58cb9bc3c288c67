package io.lakehousecdc.core;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the job as a whole: the {@code pipeline.*} keys. */
public final class PipelineOptions {

    public static final ConfigOption<String> NAME = ConfigOptions.key("pipeline.name")
            .stringType()
            .defaultValue("lakehouse-cdc")
            .withDescription("Name of the job; also names its checkpoint directory.");

    public static final ConfigOption<String> TIMEZONE = ConfigOptions.key("pipeline.timezone")
            .stringType()
            .defaultValue("Asia/Jakarta")
            .withDescription("Zone the lake holds time values in (WIB by default).");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("pipeline.checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How often the job checkpoints; lake commits happen on each checkpoint.");

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("pipeline.parallelism")
            .intType()
            .defaultValue(1)
            .withDescription("Parallelism of every operator.");

    public static final ConfigOption<String> CHECKPOINT_DIR = ConfigOptions.key("pipeline.checkpoint-dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Where checkpoints go; default <lake.base-path>/_checkpoints/<pipeline.name>.");

    public static final ConfigOption<Integer> WEB_UI_PORT = ConfigOptions.key("pipeline.web-ui-port")
            .intType()
            .defaultValue(8081)
            .withDescription("Port of the Flink web UI of the embedded cluster; 0 picks a free one.");

    public static final ConfigOption<Integer> PROMETHEUS_PORT = ConfigOptions.key("pipeline.metrics.prometheus-port")
            .intType()
            .noDefaultValue()
            .withDescription("Port on which the embedded cluster serves its metrics to Prometheus (/metrics);"
                    + " unset, no metrics are served.");

    private PipelineOptions() {}
}
