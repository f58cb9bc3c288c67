package io.lakehousecdc.core;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;

/**
 * S3 clients built one way for every part of the pipeline: credentials from the SDK's default
 * chain (environment, profile, instance or pod role), the JDK's HTTP client, and an optional
 * endpoint override for any S3-compatible store.
 */
public final class S3Clients {

    private S3Clients() {}

    /** @param endpoint an S3-compatible endpoint, or null for AWS */
    public static S3Client create(String region, URI endpoint) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region));
        if (endpoint != null) {
            // S3-compatible stores often lack the SDK's newer default integrity checksums.
            builder.endpointOverride(endpoint).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
