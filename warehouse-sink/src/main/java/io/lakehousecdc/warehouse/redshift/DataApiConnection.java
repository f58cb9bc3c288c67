package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.warehouse.sql.Identifiers;
import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.SqlDialect;
import io.lakehousecdc.warehouse.sql.StagedRows;
import io.lakehousecdc.warehouse.sql.WarehouseConnection;
import io.lakehousecdc.warehouse.sql.WarehouseException;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Redshift through the Data API: a batch is one {@code BatchExecuteStatement}, which Redshift runs
 * as a single transaction, polled with {@code DescribeStatement} until it has finished, failed or
 * been aborted. Its staging file is uploaded to S3 first and loaded by COPY inside that
 * transaction.
 */
public final class DataApiConnection implements WarehouseConnection {

    /** Values inlined into batch statements, which take no parameters: ids, instants and counts only. */
    private static final Pattern INLINE_TEXT = Pattern.compile("[A-Za-z0-9_.:/-]{0,512}");
    private static final RedshiftDialect DIALECT = new RedshiftDialect();

    private final RedshiftDataClient client;
    private final DataApiTarget target;
    private final S3ParquetStaging staging;
    private final Duration pollInterval;
    private final Duration timeout;

    /**
     * @param staging where batches are staged, or null when only definitions and queries run
     */
    public DataApiConnection(RedshiftDataClient client, DataApiTarget target, S3ParquetStaging staging, Duration pollInterval,
            Duration timeout) {
        this.client = client;
        this.target = target;
        this.staging = staging;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
    }

    @Override
    public SqlDialect dialect() {
        return DIALECT;
    }

    @Override
    public void execute(List<Sql> statements) {
        for (Sql sql : statements) {
            runBatch(List.of(inline(sql)));
        }
    }

    @Override
    public List<List<String>> query(Sql query) {
        String text = query.text();
        List<SqlParameter> parameters = new ArrayList<>();
        int index = 0;
        StringBuilder named = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '?') {
                String name = "p" + (++index);
                named.append(':').append(name);
                parameters.add(SqlParameter.builder().name(name).value(String.valueOf(query.params().get(index - 1))).build());
            } else {
                named.append(c);
            }
        }
        ExecuteStatementRequest.Builder request = ExecuteStatementRequest.builder().sql(named.toString()).database(target.database());
        if (!parameters.isEmpty()) {
            request.parameters(parameters);
        }
        target.cluster().ifPresent(request::clusterIdentifier);
        target.workgroup().ifPresent(request::workgroupName);
        target.secretArn().ifPresent(request::secretArn);
        target.dbUser().ifPresent(request::dbUser);
        String id = call(() -> client.executeStatement(request.build()).id(), text);
        DescribeStatementResponse done = await(id, List.of(text));
        List<List<String>> rows = new ArrayList<>();
        if (!Boolean.TRUE.equals(done.hasResultSet())) {
            return rows;
        }
        String token = null;
        do {
            String next = token;
            GetStatementResultResponse page = call(() -> client.getStatementResult(b -> b.id(id).nextToken(next)), text);
            for (List<Field> record : page.records()) {
                List<String> row = new ArrayList<>();
                for (Field field : record) {
                    row.add(text(field));
                }
                rows.add(row);
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return rows;
    }

    @Override
    public boolean tableExists(String schema, String table) {
        return !query(Sql.of("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", schema, table)).isEmpty();
    }

    @Override
    public void applyAtomically(StagedRows rows, List<Sql> statements) {
        if (staging == null) {
            throw new IllegalStateException("No staging path: set warehouse.redshift.staging-path");
        }
        try {
            List<String> sqls = new ArrayList<>();
            staging.upload(rows).forEach(s -> sqls.add(s.text()));
            statements.forEach(s -> sqls.add(inline(s)));
            sqls.add("DROP TABLE " + Identifiers.quote(rows.table()));
            runBatch(sqls);
        } finally {
            staging.cleanUp();
        }
    }

    private void runBatch(List<String> sqls) {
        BatchExecuteStatementRequest.Builder request = BatchExecuteStatementRequest.builder().sqls(sqls).database(target.database());
        target.cluster().ifPresent(request::clusterIdentifier);
        target.workgroup().ifPresent(request::workgroupName);
        target.secretArn().ifPresent(request::secretArn);
        target.dbUser().ifPresent(request::dbUser);
        String id = call(() -> client.batchExecuteStatement(request.build()).id(), sqls.get(0));
        await(id, sqls);
    }

    /** Polls until the statement has ended; a failure names the statement that failed and Redshift's reason. */
    private DescribeStatementResponse await(String id, List<String> sqls) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DescribeStatementResponse status = call(() -> client.describeStatement(b -> b.id(id)), sqls.get(0));
            StatusString state = status.status();
            if (state == StatusString.FINISHED) {
                return status;
            }
            if (state == StatusString.FAILED || state == StatusString.ABORTED) {
                throw failure(status, sqls);
            }
            if (System.nanoTime() > deadline) {
                try {
                    client.cancelStatement(b -> b.id(id));
                } catch (SdkException e) {
                    // Cancelling is a courtesy: the statement may have ended meanwhile.
                }
                throw new WarehouseException("Redshift statement " + id + " did not finish within " + timeout
                        + ": raise warehouse.redshift.statement-timeout or look at the query in SYS_QUERY_HISTORY");
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WarehouseException("Interrupted while waiting for Redshift statement " + id, e);
            }
        }
    }

    static WarehouseException failure(DescribeStatementResponse status, List<String> sqls) {
        String verb = status.status() == StatusString.ABORTED ? "aborted" : "failed";
        if (status.hasSubStatements()) {
            List<SubStatementData> subs = status.subStatements();
            for (int i = 0; i < subs.size(); i++) {
                SubStatementData sub = subs.get(i);
                if ("FAILED".equals(sub.statusAsString()) || "ABORTED".equals(sub.statusAsString())) {
                    String query = sub.queryString() != null ? sub.queryString() : i < sqls.size() ? sqls.get(i) : "";
                    return new WarehouseException("Redshift " + verb + " statement " + (i + 1) + " of " + subs.size()
                            + " (" + WarehouseException.abbreviate(query) + "): " + oneLine(sub.error() != null ? sub.error() : status.error())
                            + "; the batch was rolled back");
                }
            }
        }
        return new WarehouseException("Redshift " + verb + " " + WarehouseException.abbreviate(sqls.get(0)) + ": "
                + oneLine(status.error() == null ? "no reason given" : status.error()));
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String text(Field field) {
        if (Boolean.TRUE.equals(field.isNull())) {
            return null;
        }
        if (field.stringValue() != null) {
            return field.stringValue();
        }
        if (field.longValue() != null) {
            return field.longValue().toString();
        }
        if (field.doubleValue() != null) {
            return field.doubleValue().toString();
        }
        if (field.booleanValue() != null) {
            return field.booleanValue() ? "t" : "f";
        }
        return field.blobValue() == null ? null : field.blobValue().asUtf8String();
    }

    /**
     * A statement with its parameters written in as literals. BatchExecuteStatement takes no
     * parameters; the statements here only ever carry model names, lake table names, instants
     * and counts, and a value outside that shape is refused rather than escaped.
     */
    static String inline(Sql sql) {
        StringBuilder out = new StringBuilder();
        int param = 0;
        for (char c : sql.text().toCharArray()) {
            if (c != '?') {
                out.append(c);
                continue;
            }
            Object value = sql.params().get(param++);
            if (value instanceof Long || value instanceof Integer) {
                out.append(value);
            } else if (value instanceof String s && INLINE_TEXT.matcher(s).matches()) {
                out.append('\'').append(s).append('\'');
            } else {
                throw new IllegalArgumentException("Value '" + value + "' cannot be written into a Redshift batch statement");
            }
        }
        return out.toString();
    }

    private <T> T call(java.util.function.Supplier<T> request, String statement) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new WarehouseException("The Redshift Data API refused " + WarehouseException.abbreviate(statement) + ": "
                    + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
