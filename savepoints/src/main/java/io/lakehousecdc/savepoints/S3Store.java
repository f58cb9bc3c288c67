package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.S3Clients;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Savepoints under {@code s3://bucket/prefix} (or {@code s3a://}), read with the AWS SDK v2. S3
 * has no directories: one listing of the prefix finds every {@code _metadata} object, and the
 * objects that share a savepoint's key prefix are its files.
 */
final class S3Store implements SavepointStore {

    private final S3Client s3;
    private final String scheme;
    private final String bucket;
    private final String prefix;

    S3Store(String uri, S3Access access) {
        URI location = URI.create(uri);
        this.s3 = S3Clients.create(access.region(), access.endpoint());
        this.scheme = location.getScheme();
        this.bucket = location.getHost();
        String path = location.getPath().replaceAll("^/+", "");
        this.prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
    }

    @Override
    public List<StoredSavepoint> find() throws IOException {
        List<S3Object> objects = list(prefix);
        Map<String, S3Object> metadataByDir = new HashMap<>();
        for (S3Object object : objects) {
            String relative = object.key().substring(prefix.length());
            int depth = relative.split("/").length - 1;
            if (relative.endsWith("/" + METADATA) && depth <= DEPTH) {
                metadataByDir.put(object.key().substring(0, object.key().length() - METADATA.length() - 1), object);
            }
        }
        Map<String, Long> sizes = new HashMap<>();
        for (S3Object object : objects) {
            for (String dir = parent(object.key()); dir != null && (dir + "/").startsWith(prefix); dir = parent(dir)) {
                if (metadataByDir.containsKey(dir)) {
                    sizes.merge(dir, object.size(), Long::sum);
                    break;
                }
            }
        }
        List<StoredSavepoint> found = new ArrayList<>();
        metadataByDir.forEach((dir, metadata) -> {
            String parent = parent(dir);
            found.add(StoredSavepoint.in(scheme + "://" + bucket + "/" + dir, name(dir), parent == null ? "" : name(parent),
                    metadata.lastModified(), sizes.getOrDefault(dir, 0L)));
        });
        return found;
    }

    /**
     * Deletes the objects one request each: pruning is rare and savepoints hold few files, and
     * not every S3-compatible store implements the batch delete.
     */
    @Override
    public void delete(String path) throws IOException {
        for (S3Object object : list(keyOf(path) + "/")) {
            try {
                s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(object.key()).build());
            } catch (SdkException e) {
                throw new IOException("Cannot delete s3://" + bucket + "/" + object.key() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Copies one object of a savepoint, e.g. its {@code _metadata}, to a local file. */
    void download(String path, Path target) throws IOException {
        try {
            s3.getObject(GetObjectRequest.builder().bucket(bucket).key(keyOf(path)).build(), target);
        } catch (SdkException e) {
            throw new IOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private List<S3Object> list(String keyPrefix) throws IOException {
        try {
            List<S3Object> objects = new ArrayList<>();
            s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).build())
                    .contents().forEach(objects::add);
            return objects;
        } catch (SdkException e) {
            throw new IOException("Cannot list s3://" + bucket + "/" + keyPrefix + ": " + e.getMessage(), e);
        }
    }

    private String keyOf(String path) {
        URI uri = URI.create(path);
        if (!bucket.equals(uri.getHost())) {
            throw new IllegalArgumentException(path + " is not in bucket " + bucket);
        }
        return uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
    }

    private static String parent(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    private static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
