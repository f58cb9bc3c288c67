package io.lakehousecdc.app;

import io.lakehousecdc.app.config.Setting;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lakehouse config show}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Inspects the configuration.",
        subcommands = ConfigCommand.Show.class)
final class ConfigCommand {

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the effective configuration, where each value came from, secrets masked.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Override
        public Integer call() {
            Map<String, Setting> settings = options.load().settings();
            int width = settings.keySet().stream().mapToInt(String::length).max().orElse(0);
            settings.forEach((key, s) -> System.out.println(
                    key + " ".repeat(width - key.length()) + " = " + s.shown() + "   # " + s.origin()));
            return 0;
        }
    }
}
