package io.lakehousecdc.app;

import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.ImportSummary;
import io.lakehousecdc.app.control.OnboardingRule;
import io.lakehousecdc.app.control.TableSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code lakehouse tables}: the control plane's tables, changed by the OS user running the command. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Lists, onboards and changes the tables the control plane holds.",
        subcommands = {TablesCommand.ListTables.class, TablesCommand.Show.class, TablesCommand.Add.class, TablesCommand.Set.class,
                TablesCommand.Enable.class, TablesCommand.Disable.class, TablesCommand.Import.class})
final class TablesCommand {
    private static final DateTimeFormatter UPDATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static String actor() {
        return System.getProperty("user.name", "unknown");
    }

    /** The table a command addresses, by source id and source name. */
    static final class TableName {
        @Parameters(index = "0", paramLabel = "SOURCE", description = "The source id, as in the config's sources.")
        String source;

        @Parameters(index = "1", paramLabel = "TABLE", description = "The source table: database.table (PostgreSQL: schema.table).")
        String table;
    }

    static Map<String, String> settings(List<String> assignments, CommandLine cli) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(cli, "'" + assignment
                        + "' is not KEY=VALUE: write settings as type=COPY_ON_WRITE or partition-by=created_at");
            }
            settings.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1));
        }
        return settings;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints the tables: source, table, type, enabled, partition, updated.")
    static final class ListTables implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Option(names = "--source", paramLabel = "ID", description = "Only the tables of this source.")
        String source;

        @Override
        public Integer call() {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SOURCE", "TABLE", "TYPE", "ENABLED", "PARTITION", "UPDATED"});
            for (TableSettings t : ControlPlane.open(options.load()).tables()) {
                if (source == null || source.equals(t.source())) {
                    rows.add(new String[] {t.source(), t.table(), t.type().name(), t.enabled() ? "yes" : "no",
                            t.partitionBy() == null ? "-" : t.partitionBy(), UPDATED.format(t.updatedAt())});
                }
            }
            int[] widths = new int[rows.get(0).length];
            rows.forEach(row -> {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            });
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(i == row.length - 1 ? row[i] : row[i] + " ".repeat(widths[i] - row[i].length() + 2));
                }
                System.out.println(line);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints every setting of one table.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Mixin
        TableName name;

        @Override
        public Integer call() {
            TableSettings table = ControlPlane.open(options.load()).table(name.source, name.table);
            print(table);
            return 0;
        }
    }

    static void print(TableSettings table) {
        Map<String, String> values = new LinkedHashMap<>(table.values());
        values.put("updated", UPDATED.format(table.updatedAt()));
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        values.forEach((k, v) -> System.out.println(k + " ".repeat(width - k.length()) + " = " + v));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Onboards one table, or every table of a database (--database), after checking each against its source:"
                    + " it exists, has a primary key, and the source is ready for change data capture.",
                    "Settings: type, partition-by, key-columns, index-type, ordering-column, retention, raw-zone, enabled, hudi.*"})
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SOURCE", description = "The source id, as in the config's sources.")
        String source;

        @Parameters(index = "1..*", paramLabel = "TABLE|KEY=VALUE",
                description = "The table (database.table; PostgreSQL: schema.table), unless --database is given, then its settings.")
        List<String> rest = new ArrayList<>();

        @Option(names = "--database", paramLabel = "NAME",
                description = "Onboard the tables of this database (PostgreSQL: schema) instead of one table.")
        String database;

        @Option(names = "--include", paramLabel = "REGEX", defaultValue = ".*",
                description = "With --database: only tables whose whole name matches (default: all).")
        String include;

        @Option(names = "--exclude", paramLabel = "REGEX",
                description = "With --database: leave out tables whose whole name matches; wins over --include.")
        String exclude;

        @Override
        public Integer call() {
            List<String> assignments = new ArrayList<>(rest);
            String table = null;
            if (database == null) {
                if (assignments.isEmpty() || assignments.get(0).contains("=")) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "Missing TABLE: name the table (database.table) or onboard a whole database with --database");
                }
                table = assignments.remove(0);
            }
            Map<String, String> settings = settings(assignments, spec.commandLine());
            ControlPlane control = ControlPlane.open(options.load());
            if (table != null) {
                TableSettings added = control.add(source, table, settings, actor());
                System.out.println("added " + added.source() + " " + added.table());
                return 0;
            }
            List<TableSettings> added = control.onboard(new OnboardingRule(source, database, pattern("--include", include),
                    exclude == null ? null : pattern("--exclude", exclude), settings), actor());
            added.forEach(t -> System.out.println("added " + t.source() + " " + t.table()));
            System.out.println(added.size() + " table(s) added from " + source + " " + database);
            return 0;
        }

        /** {@code regex}, checked. */
        private String pattern(String option, String regex) {
            try {
                return Pattern.compile(regex).pattern();
            } catch (PatternSyntaxException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        option + " '" + regex + "' is not a regular expression: " + e.getDescription());
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Changes settings of a table; an empty value (partition-by=) clears an optional one.",
                    "Settings: type, partition-by, key-columns, index-type, ordering-column, retention, raw-zone, enabled, hudi.*"})
    static final class Set implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        TableName name;

        @Parameters(index = "2..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "The settings to change.")
        List<String> assignments;

        @Override
        public Integer call() {
            Map<String, String> settings = settings(assignments, spec.commandLine());
            print(ControlPlane.open(options.load()).set(name.source, name.table, settings, actor()));
            return 0;
        }
    }

    /** Enable and disable, which differ only in the state they set. */
    abstract static class Switch implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Mixin
        TableName name;

        private final boolean enabled;

        Switch(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public Integer call() {
            ControlPlane.open(options.load()).setEnabled(name.source, name.table, enabled, actor());
            System.out.println((enabled ? "enabled " : "disabled ") + name.source + " " + name.table);
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Captures the table from the job's next start.")
    static final class Enable extends Switch {
        Enable() {
            super(true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stops capturing the table from the job's next start; its lake tables stay.")
    static final class Disable extends Switch {
        Disable() {
            super(false);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Brings the config file's sources and tables into the control plane: adds new tables,"
                    + " changes existing ones only where the file differs. Safe to rerun.")
    static final class Import implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Override
        public Integer call() {
            ImportSummary summary = ControlPlane.open(options.load()).importConfig(actor());
            System.out.println("tables: " + summary.added() + " added, " + summary.changed() + " changed, "
                    + summary.unchanged() + " unchanged; sources: " + summary.sources() + " added or changed");
            return 0;
        }
    }
}
