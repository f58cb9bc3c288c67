package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.S3Clients;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw zone under {@code s3://bucket/prefix}, read with the AWS SDK v2. Credentials come from
 * the SDK's default chain (environment, profile, instance or pod role); an endpoint override
 * points it at any S3-compatible store.
 */
final class S3RawZone implements RawZone {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3RawZone(URI location, String region, URI endpoint) {
        this.bucket = location.getHost();
        String path = location.getPath().replaceAll("^/+", "");
        this.prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
        this.s3 = S3Clients.create(region, endpoint);
    }

    @Override
    public List<String> list(String relativeDir) throws IOException {
        String dir = prefix + (relativeDir.endsWith("/") ? relativeDir : relativeDir + "/");
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(dir).build())
                    .contents()) {
                if (!object.key().endsWith("/")) {
                    keys.add(object.key().substring(prefix.length()));
                }
            }
        } catch (SdkException e) {
            throw new IOException("Cannot list s3://" + bucket + "/" + dir + ": " + e.getMessage(), e);
        }
        return keys;
    }

    @Override
    public InputStream open(String relativePath) throws IOException {
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(prefix + relativePath).build());
        } catch (SdkException e) {
            throw new IOException("Cannot read s3://" + bucket + "/" + prefix + relativePath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
