package io.lakehousecdc.warehouse;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the warehouse feed: the {@code warehouse.*} keys. */
public final class WarehouseOptions {

    public static final ConfigOption<String> DIALECT = ConfigOptions.key("warehouse.dialect")
            .stringType()
            .defaultValue("postgres")
            .withDescription("postgres or redshift.");

    public static final ConfigOption<String> JDBC_URL = ConfigOptions.key("warehouse.jdbc-url")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC URL of the warehouse: jdbc:postgresql://... or, with warehouse.redshift.connection jdbc, jdbc:redshift://...");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("warehouse.username")
            .stringType()
            .noDefaultValue()
            .withDescription("User of the JDBC connection.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("warehouse.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the JDBC connection; a ${env:...} or ${file:...} reference.");

    public static final ConfigOption<String> MODELS = ConfigOptions.key("warehouse.models")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory of the model YAML files, one model per file.");

    public static final ConfigOption<String> SCHEMA = ConfigOptions.key("warehouse.schema")
            .stringType()
            .defaultValue("public")
            .withDescription("Schema the models' tables and the lakehouse_feed_state table live in.");

    public static final ConfigOption<Duration> POLL_INTERVAL = ConfigOptions.key("warehouse.poll-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How often the feed looks for new lake commits once it has caught up.");

    public static final ConfigOption<Duration> MAX_RETRY_DELAY = ConfigOptions.key("warehouse.max-retry-delay")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Longest wait between attempts while the warehouse fails; the wait doubles from one second up to this.");

    public static final ConfigOption<String> REDSHIFT_CONNECTION = ConfigOptions.key("warehouse.redshift.connection")
            .stringType()
            .defaultValue("data-api")
            .withDescription("How to reach Redshift: data-api (the Redshift Data API) or jdbc (warehouse.jdbc-url).");

    public static final ConfigOption<String> REDSHIFT_CLUSTER = ConfigOptions.key("warehouse.redshift.cluster-id")
            .stringType()
            .noDefaultValue()
            .withDescription("Data API: the provisioned cluster's identifier (or set workgroup).");

    public static final ConfigOption<String> REDSHIFT_WORKGROUP = ConfigOptions.key("warehouse.redshift.workgroup")
            .stringType()
            .noDefaultValue()
            .withDescription("Data API: the Redshift Serverless workgroup (or set cluster-id).");

    public static final ConfigOption<String> REDSHIFT_DATABASE = ConfigOptions.key("warehouse.redshift.database")
            .stringType()
            .noDefaultValue()
            .withDescription("Data API: the database.");

    public static final ConfigOption<String> REDSHIFT_SECRET_ARN = ConfigOptions.key("warehouse.redshift.secret-arn")
            .stringType()
            .noDefaultValue()
            .withDescription("Data API: the Secrets Manager secret holding the database credentials (or set db-user).");

    public static final ConfigOption<String> REDSHIFT_DB_USER = ConfigOptions.key("warehouse.redshift.db-user")
            .stringType()
            .noDefaultValue()
            .withDescription("Data API, provisioned clusters: the database user to get temporary credentials for.");

    public static final ConfigOption<String> REDSHIFT_REGION = ConfigOptions.key("warehouse.redshift.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the cluster and the staging bucket; default the SDK's (AWS_REGION).");

    public static final ConfigOption<String> REDSHIFT_ENDPOINT = ConfigOptions.key("warehouse.redshift.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Data API endpoint override, e.g. a VPC endpoint.");

    public static final ConfigOption<String> REDSHIFT_STAGING = ConfigOptions.key("warehouse.redshift.staging-path")
            .stringType()
            .noDefaultValue()
            .withDescription("s3://bucket/prefix where batches are staged as Parquet for COPY.");

    public static final ConfigOption<String> REDSHIFT_S3_ENDPOINT = ConfigOptions.key("warehouse.redshift.s3-endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint of an S3-compatible store for the staging files (path-style).");

    public static final ConfigOption<String> REDSHIFT_IAM_ROLE = ConfigOptions.key("warehouse.redshift.iam-role")
            .stringType()
            .noDefaultValue()
            .withDescription("ARN of the IAM role COPY reads the staging files with; default the cluster's default role.");

    public static final ConfigOption<Duration> REDSHIFT_POLL_INTERVAL = ConfigOptions.key("warehouse.redshift.poll-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Data API: how often a running statement's status is asked for.");

    public static final ConfigOption<Duration> REDSHIFT_TIMEOUT = ConfigOptions.key("warehouse.redshift.statement-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription("Data API: how long a batch may run before it is cancelled and reported as failed.");

    private WarehouseOptions() {}
}
