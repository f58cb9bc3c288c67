package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.S3Clients;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Savepoints kept on S3 (S3Proxy in-process, the AWS SDK's default credential chain): listed and pruned. */
class SavepointDirectoryOnS3ITCase {

    private static final String BUCKET = "flink-state";
    private static final String JOB = "0123456789abcdef0123456789abcdef";

    private static S3Proxy s3proxy;
    private static S3Client s3;
    private static S3Access access;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null).build();
        s3proxy.start();
        while (!"STARTED".equals(s3proxy.getState())) {
            Thread.sleep(50);
        }
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        access = new S3Access("us-east-1", URI.create("http://127.0.0.1:" + s3proxy.getPort()));
        s3 = S3Clients.create(access.region(), access.endpoint());
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3proxy != null) {
            s3proxy.stop();
        }
    }

    @Test
    void savepointsOnS3AreListedNewestFirstAndPruned() throws Exception {
        put("state/savepoints/savepoint-012345-aaaaaaaaaaaa/_metadata", 10);
        put("state/savepoints/savepoint-012345-aaaaaaaaaaaa/op-state", 990);
        // S3 keeps modification times to the second: one savepoint per second keeps the order certain.
        Thread.sleep(1100);
        put("state/checkpoints/" + JOB + "/chk-7/_metadata", 20);
        put("state/checkpoints/" + JOB + "/shared/incremental-file", 5000);
        put("state/checkpoints/" + JOB + "/chk-8/op-state", 7); // in progress: no _metadata yet
        Thread.sleep(1100);
        put("state/savepoints/savepoint-012345-bbbbbbbbbbbb/_metadata", 30);

        SavepointDirectory directory = SavepointDirectory.at("s3://" + BUCKET + "/state", access);
        List<StoredSavepoint> found = directory.list();

        assertThat(found).extracting(StoredSavepoint::path).containsExactly(
                "s3://" + BUCKET + "/state/savepoints/savepoint-012345-bbbbbbbbbbbb",
                "s3://" + BUCKET + "/state/checkpoints/" + JOB + "/chk-7",
                "s3://" + BUCKET + "/state/savepoints/savepoint-012345-aaaaaaaaaaaa");
        assertThat(found).extracting(StoredSavepoint::sizeBytes).containsExactly(30L, 20L, 1000L);
        assertThat(found.get(1).kind()).isEqualTo(StoredSavepoint.Kind.CHECKPOINT);
        assertThat(found.get(1).job()).isEqualTo(JOB);

        List<StoredSavepoint> deleted = directory.prune(new SavepointDirectory.Retention(1, null),
                Set.of("s3://" + BUCKET + "/state/checkpoints/" + JOB + "/chk-7/"), Instant.now(), false);

        assertThat(deleted).extracting(StoredSavepoint::path)
                .containsExactly("s3://" + BUCKET + "/state/savepoints/savepoint-012345-aaaaaaaaaaaa");
        assertThat(keys()).doesNotContain("state/savepoints/savepoint-012345-aaaaaaaaaaaa/_metadata",
                "state/savepoints/savepoint-012345-aaaaaaaaaaaa/op-state")
                .contains("state/savepoints/savepoint-012345-bbbbbbbbbbbb/_metadata",
                        "state/checkpoints/" + JOB + "/chk-7/_metadata", "state/checkpoints/" + JOB + "/chk-8/op-state");
    }

    private static void put(String key, int bytes) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[bytes]));
    }

    private static List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }
}
