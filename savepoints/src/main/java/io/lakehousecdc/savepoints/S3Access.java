package io.lakehousecdc.savepoints;

import java.net.URI;

/**
 * How to reach savepoints on S3: the region, and an endpoint for S3-compatible stores (null for
 * AWS). Credentials come from the AWS SDK's default chain.
 */
public record S3Access(String region, URI endpoint) {

    /** The region from {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}, else us-east-1), AWS's endpoint. */
    public static S3Access fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            region = System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1");
        }
        return new S3Access(region, null);
    }

    /** The same, with {@code endpoint} when it is given. */
    public S3Access withEndpoint(URI endpoint) {
        return endpoint == null ? this : new S3Access(region, endpoint);
    }

    static boolean handles(String uri) {
        return uri.startsWith("s3://") || uri.startsWith("s3a://");
    }
}
