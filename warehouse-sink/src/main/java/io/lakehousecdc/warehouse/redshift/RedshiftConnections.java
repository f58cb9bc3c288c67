package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.core.S3Clients;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.warehouse.WarehouseOptions;
import io.lakehousecdc.warehouse.sql.JdbcConnection;
import io.lakehousecdc.warehouse.sql.WarehouseConnection;

import org.apache.flink.configuration.Configuration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClientBuilder;

import java.net.URI;

/** Opens the Redshift connection the {@code warehouse.redshift.*} settings describe. */
public final class RedshiftConnections {

    private RedshiftConnections() {}

    public static WarehouseConnection open(Configuration config) {
        String region = config.get(WarehouseOptions.REDSHIFT_REGION);
        if (region == null) {
            try {
                region = new DefaultAwsRegionProviderChain().getRegion().id();
            } catch (RuntimeException e) {
                throw new SetupException("No AWS region for Redshift: set warehouse.redshift.region or AWS_REGION");
            }
        }
        String s3Endpoint = config.get(WarehouseOptions.REDSHIFT_S3_ENDPOINT);
        S3ParquetStaging staging = new S3ParquetStaging(S3Clients.create(region, s3Endpoint == null ? null : URI.create(s3Endpoint)),
                config.get(WarehouseOptions.REDSHIFT_STAGING), config.get(WarehouseOptions.REDSHIFT_IAM_ROLE));
        String connection = config.get(WarehouseOptions.REDSHIFT_CONNECTION);
        switch (connection) {
            case "jdbc" -> {
                String url = config.get(WarehouseOptions.JDBC_URL);
                if (url == null || !url.startsWith("jdbc:redshift:")) {
                    throw new SetupException("warehouse.jdbc-url is " + (url == null ? "not set" : "'" + url + "'")
                            + ": Redshift over JDBC needs jdbc:redshift://endpoint:5439/database");
                }
                return JdbcConnection.open(url, config.get(WarehouseOptions.USERNAME), config.get(WarehouseOptions.PASSWORD),
                        new RedshiftDialect(), staging);
            }
            case "data-api" -> {
                DataApiTarget target = DataApiTarget.of(config.get(WarehouseOptions.REDSHIFT_CLUSTER),
                        config.get(WarehouseOptions.REDSHIFT_WORKGROUP), config.get(WarehouseOptions.REDSHIFT_DATABASE),
                        config.get(WarehouseOptions.REDSHIFT_SECRET_ARN), config.get(WarehouseOptions.REDSHIFT_DB_USER));
                RedshiftDataClientBuilder client = RedshiftDataClient.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .region(Region.of(region));
                String endpoint = config.get(WarehouseOptions.REDSHIFT_ENDPOINT);
                if (endpoint != null) {
                    client.endpointOverride(URI.create(endpoint));
                }
                return new DataApiConnection(client.build(), target, staging, config.get(WarehouseOptions.REDSHIFT_POLL_INTERVAL),
                        config.get(WarehouseOptions.REDSHIFT_TIMEOUT));
            }
            default -> throw new SetupException("warehouse.redshift.connection '" + connection + "' is unknown: use data-api or jdbc");
        }
    }
}
