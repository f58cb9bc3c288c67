package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.core.SetupException;

import java.util.Optional;

/**
 * What the Data API runs statements against: a provisioned cluster or a Serverless workgroup, a
 * database, and credentials from a Secrets Manager secret or, on a cluster, temporary ones for a
 * database user.
 */
public record DataApiTarget(Optional<String> cluster, Optional<String> workgroup, String database,
        Optional<String> secretArn, Optional<String> dbUser) {

    public static DataApiTarget of(String cluster, String workgroup, String database, String secretArn, String dbUser) {
        if ((cluster == null) == (workgroup == null)) {
            throw new SetupException("Set exactly one of warehouse.redshift.cluster-id (provisioned) and warehouse.redshift.workgroup (Serverless)");
        }
        if (database == null) {
            throw new SetupException("warehouse.redshift.database is not set: name the database the models live in");
        }
        if (secretArn == null && (dbUser == null || workgroup != null)) {
            throw new SetupException("Set warehouse.redshift.secret-arn (or, for a provisioned cluster, warehouse.redshift.db-user)"
                    + " so that the Data API can sign in");
        }
        return new DataApiTarget(Optional.ofNullable(cluster), Optional.ofNullable(workgroup), database,
                Optional.ofNullable(secretArn), Optional.ofNullable(secretArn == null ? dbUser : null));
    }
}
