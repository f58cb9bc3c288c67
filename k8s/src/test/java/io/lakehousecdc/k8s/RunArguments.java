package io.lakehousecdc.k8s;

import io.lakehousecdc.app.Lakehouse;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.lake.LakeOptions;

import org.apache.flink.configuration.ConfigOption;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A {@code lakehouse run} command line as the command's own parser reads it, without running it. */
record RunArguments(Path config, List<String> overrides) {

    static RunArguments parse(List<String> args) {
        ParseResult parsed = new CommandLine(new Lakehouse()).parseArgs(args.toArray(String[]::new));
        ParseResult run = parsed.subcommand();
        if (run == null || !run.commandSpec().name().equals("run")) {
            throw new AssertionError("the job arguments " + args + " are not a 'lakehouse run' command line");
        }
        return new RunArguments(run.matchedOptionValue("--config", null), run.matchedOptionValue("--set", List.of()));
    }

    /**
     * The {@code --set} keys that name no declared {@code pipeline.*} or {@code lake.*} option.
     * The configuration parser accepts any key of a known section, so a misspelled one would be
     * ignored silently by the job.
     */
    List<String> undeclaredKeys() {
        Set<String> declared = declaredKeys();
        return overrides.stream()
                .map(override -> override.substring(0, Math.max(0, override.indexOf('='))))
                .filter(key -> !declared.contains(key))
                .toList();
    }

    private static Set<String> declaredKeys() {
        return Stream.of(PipelineOptions.class, LakeOptions.class)
                .flatMap(options -> Arrays.stream(options.getFields()))
                .filter(field -> Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType()))
                .map(RunArguments::key)
                .collect(Collectors.toSet());
    }

    private static String key(Field option) {
        try {
            return ((ConfigOption<?>) option.get(null)).key();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
