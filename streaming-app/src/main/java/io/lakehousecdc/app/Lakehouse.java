package io.lakehousecdc.app;

import io.lakehousecdc.app.bench.BenchCommand;
import io.lakehousecdc.app.demo.DemoCommand;
import io.lakehousecdc.app.job.ClusterPipeline;
import io.lakehousecdc.core.SetupException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code lakehouse} command. Exit codes: 0 ok, 1 failure, 2 usage. */
@Command(
        name = "lakehouse",
        mixinStandardHelpOptions = true,
        versionProvider = Lakehouse.Version.class,
        description = "Streaming CDC from MySQL into Apache Hudi, times in WIB.",
        subcommands = {RunCommand.class, DemoCommand.class, QueryCommand.class, BackfillCommand.class, ConfigCommand.class, TablesCommand.class,
                ControlPlaneCommand.class, SavepointCommand.class, StatusCommand.class, FeedCommand.class, FailedCommand.class, BenchCommand.class})
public final class Lakehouse {

    public static void main(String[] args) {
        // Checked before anything logs: log4j2.properties picks its appenders by this name, and
        // with an unknown one every log line would be lost.
        String logFormat = System.getProperty("lakehouse.log.format", System.getenv().getOrDefault("LAKEHOUSE_LOG_FORMAT", "text"));
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            System.err.println("error: log format '" + logFormat + "' is unknown: set LAKEHOUSE_LOG_FORMAT to text or json");
            System.exit(2);
        }
        // The binlog client logs through java.util.logging; send it to the same log file.
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        int code = execute(args);
        if (ClusterPipeline.context().isEmpty()) {
            System.exit(code);
        }
        // Inside a Flink cluster this runs in the JobManager's process, which must not exit with it.
        if (code != 0) {
            throw new IllegalStateException("lakehouse " + String.join(" ", args) + " failed with exit code " + code);
        }
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Lakehouse()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(Lakehouse::failure);
        return cli.execute(args);
    }

    private static int failure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = false;
        // --verbose belongs to the innermost command (lakehouse tables set --verbose).
        for (CommandLine.ParseResult command = parsed; command != null; command = command.subcommand()) {
            verbose |= command.hasMatchedOption("--verbose");
        }
        err.println("error: " + oneLine(e));
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof SetupException)) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        return 1;
    }

    static String oneLine(Throwable e) {
        Throwable shown = e;
        while (!(shown instanceof SetupException) && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName()
                : shown instanceof SetupException ? shown.getMessage()
                : shown.getClass().getSimpleName() + ": " + shown.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Lakehouse.class.getPackage().getImplementationVersion();
            return new String[] {"lakehouse " + (version == null ? "dev" : version)
                    + " (Flink 1.17.2, Hudi 0.14.0, Flink CDC 3.2.0)"};
        }
    }
}
