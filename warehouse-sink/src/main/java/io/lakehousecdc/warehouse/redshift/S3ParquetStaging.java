package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.warehouse.sql.Identifiers;
import io.lakehousecdc.warehouse.sql.JdbcConnection;
import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.StagedRows;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stages a batch for Redshift: its rows as a Parquet file under a prefix of its own below the
 * staging path, loaded into the staging table with {@code COPY ... FORMAT AS PARQUET}. The file
 * is deleted once the batch's transaction has ended.
 */
public final class S3ParquetStaging implements JdbcConnection.Staging {

    private static final Pattern S3_PATH = Pattern.compile("s3a?://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/[A-Za-z0-9_./=-]*)?");
    private static final Pattern IAM_ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String iamRole;
    private final RedshiftDialect dialect = new RedshiftDialect();
    private final List<String> uploaded = new ArrayList<>();

    /**
     * @param stagingPath {@code s3://bucket/prefix}
     * @param iamRole the role COPY reads with, or null for the cluster's default role
     */
    public S3ParquetStaging(S3Client s3, String stagingPath, String iamRole) {
        Matcher m = stagingPath == null ? null : S3_PATH.matcher(stagingPath);
        if (m == null || !m.matches()) {
            throw new SetupException("warehouse.redshift.staging-path is " + (stagingPath == null ? "not set" : "'" + stagingPath + "'")
                    + ": set it to s3://bucket/prefix, where batches are staged for COPY");
        }
        if (iamRole != null && !IAM_ROLE.matcher(iamRole).matches()) {
            throw new SetupException("warehouse.redshift.iam-role '" + iamRole + "' is not an IAM role ARN:"
                    + " write it as arn:aws:iam::123456789012:role/name, or unset it to use the cluster's default role");
        }
        this.s3 = s3;
        this.bucket = m.group(1);
        String path = m.group(2) == null ? "" : m.group(2).replaceAll("^/+|/+$", "");
        this.prefix = path.isEmpty() ? "" : path + "/";
        this.iamRole = iamRole;
    }

    /** Uploads the rows; the statements that then create and fill their staging table. */
    public List<Sql> upload(StagedRows rows) {
        String key = prefix + UUID.randomUUID() + "/part-00000.parquet";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(ParquetFiles.write(rows)));
        uploaded.add(key);
        return copyStatements(rows, key.substring(0, key.lastIndexOf('/') + 1));
    }

    /** CREATE TEMP TABLE and COPY for rows uploaded under {@code keyPrefix}. */
    List<Sql> copyStatements(StagedRows rows, String keyPrefix) {
        return List.of(
                Sql.of(rows.createTable(dialect)),
                Sql.of("COPY " + Identifiers.quote(rows.table()) + " FROM 's3://" + bucket + "/" + keyPrefix + "'"
                        + " IAM_ROLE " + (iamRole == null ? "default" : "'" + iamRole + "'") + " FORMAT AS PARQUET"));
    }

    /** Deletes what was uploaded; a file left behind by a crash is harmless, and a bucket lifecycle rule removes it. */
    public void cleanUp() {
        for (String key : uploaded) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
        uploaded.clear();
    }

    @Override
    public void stage(Connection connection, StagedRows rows) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (Sql sql : upload(rows)) {
                st.execute(sql.text());
            }
        }
    }

    @Override
    public void finish() {
        cleanUp();
    }
}
