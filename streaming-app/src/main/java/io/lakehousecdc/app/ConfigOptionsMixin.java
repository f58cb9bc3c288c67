package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options every command that reads the configuration shares. */
final class ConfigOptionsMixin {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides one configuration value (repeatable), e.g. --set pipeline.checkpoint-interval=10s.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    LakehouseConfig load() {
        return LakehouseConfig.load(config, overrides);
    }
}
