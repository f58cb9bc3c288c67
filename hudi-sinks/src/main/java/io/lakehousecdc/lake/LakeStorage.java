package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the lake's files are reached: the Hadoop settings of its file system ({@code s3a://}
 * endpoint, region, credentials, server-side encryption), taken from {@code lake.s3.*}. Every
 * reader and writer of the lake opens it with these same settings, so that a lake that one part
 * of the product can write, every other part can read.
 */
public final class LakeStorage implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Prefix under which Hudi's Flink connector hands options to its Hadoop configuration. */
    static final String HUDI_HADOOP_PREFIX = "hadoop.";
    /** Prefix under which Flink hands options to the Hadoop file systems it opens (checkpoints). */
    static final String FLINK_HADOOP_PREFIX = "flink.hadoop.";
    /** The AWS SDK's own chain: environment, system properties, web identity (pod roles), profile, container, instance. */
    static final String DEFAULT_CREDENTIALS = "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";
    static final String EXPLICIT_CREDENTIALS = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
    private static final Set<String> ENCRYPTIONS = Set.of("SSE-S3", "SSE-KMS");
    private static final Set<String> SECRET_KEYS = Set.of("fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.encryption.key");

    private final TreeMap<String, String> hadoop;

    private LakeStorage(TreeMap<String, String> hadoop) {
        this.hadoop = hadoop;
    }

    /**
     * The storage settings of the job's configuration.
     *
     * @throws SetupException naming a setting that is missing its partner or has no valid value
     */
    public static LakeStorage from(Configuration global) {
        TreeMap<String, String> hadoop = new TreeMap<>();
        global.getOptional(LakeOptions.S3_ENDPOINT).ifPresent(v -> hadoop.put("fs.s3a.endpoint", v));
        global.getOptional(LakeOptions.S3_REGION).ifPresent(v -> hadoop.put("fs.s3a.endpoint.region", v));
        hadoop.put("fs.s3a.path.style.access", String.valueOf(global.get(LakeOptions.S3_PATH_STYLE_ACCESS)));

        String accessKey = global.get(LakeOptions.S3_ACCESS_KEY);
        String secretKey = global.get(LakeOptions.S3_SECRET_KEY);
        if ((accessKey == null) != (secretKey == null)) {
            throw new SetupException((accessKey == null ? LakeOptions.S3_SECRET_KEY : LakeOptions.S3_ACCESS_KEY).key()
                    + " is set without " + (accessKey == null ? LakeOptions.S3_ACCESS_KEY : LakeOptions.S3_SECRET_KEY).key()
                    + ": set both (as ${env:...} or ${file:...}) or neither, for the AWS default credential chain");
        }
        if (accessKey != null) {
            hadoop.put("fs.s3a.aws.credentials.provider", EXPLICIT_CREDENTIALS);
            hadoop.put("fs.s3a.access.key", accessKey);
            hadoop.put("fs.s3a.secret.key", secretKey);
        } else {
            // s3a's own default chain lacks web identity and profiles: pod roles on EKS would not work.
            hadoop.put("fs.s3a.aws.credentials.provider", DEFAULT_CREDENTIALS);
        }

        String encryption = global.get(LakeOptions.S3_ENCRYPTION);
        String encryptionKey = global.get(LakeOptions.S3_ENCRYPTION_KEY);
        if (encryption != null) {
            encryption = encryption.trim().toUpperCase(Locale.ROOT);
            if (!ENCRYPTIONS.contains(encryption)) {
                throw new SetupException(LakeOptions.S3_ENCRYPTION.key() + " is '" + global.get(LakeOptions.S3_ENCRYPTION)
                        + "': use SSE-S3 or SSE-KMS, or leave it unset for the bucket's default encryption");
            }
            hadoop.put("fs.s3a.encryption.algorithm", encryption);
        }
        if (encryptionKey != null) {
            if (!"SSE-KMS".equals(encryption)) {
                throw new SetupException(LakeOptions.S3_ENCRYPTION_KEY.key() + " is set but " + LakeOptions.S3_ENCRYPTION.key()
                        + " is not SSE-KMS: set lake.s3.encryption: SSE-KMS, or remove the key");
            }
            hadoop.put("fs.s3a.encryption.key", encryptionKey);
        }
        return new LakeStorage(hadoop);
    }

    /** Hadoop's defaults only: a lake on local disk, or on S3 with the settings of the environment. */
    public static LakeStorage defaults() {
        return from(new Configuration());
    }

    /** The options that give Hudi's Flink reader and writer these settings. */
    public Map<String, String> hudiOptions() {
        return prefixed(HUDI_HADOOP_PREFIX);
    }

    /**
     * The options that give Flink's own file systems (checkpoints, savepoints, failed events)
     * these settings, and let Flink open {@code s3a://} through Hadoop's s3a when its S3 plugin
     * is not installed, as in the embedded cluster.
     */
    public Map<String, String> flinkOptions() {
        Map<String, String> options = prefixed(FLINK_HADOOP_PREFIX);
        options.put("fs.allowed-fallback-filesystems", "s3a");
        return options;
    }

    /** A Hadoop configuration with these settings, for reading a table's metadata. */
    public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        hadoop.forEach(conf::set);
        return conf;
    }

    private Map<String, String> prefixed(String prefix) {
        Map<String, String> options = new TreeMap<>();
        hadoop.forEach((k, v) -> options.put(prefix + k, v));
        return options;
    }

    /** The settings with credentials and key ids masked, for logs. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(hadoop);
        shown.replaceAll((k, v) -> SECRET_KEYS.contains(k) ? "******" : v);
        return "LakeStorage" + shown;
    }
}
