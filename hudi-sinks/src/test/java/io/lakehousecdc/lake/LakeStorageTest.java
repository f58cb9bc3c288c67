package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeStorageTest {

    private static Configuration conf(String... keyValues) {
        Configuration conf = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.setString(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    @Test
    void s3SettingsReachHudiFlinkAndHadoopAlike() {
        LakeStorage storage = LakeStorage.from(conf("lake.s3.endpoint", "http://127.0.0.1:9000", "lake.s3.path-style-access", "true",
                "lake.s3.region", "ap-southeast-3"));
        assertThat(storage.hudiOptions()).containsEntry("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("hadoop.fs.s3a.path.style.access", "true")
                .containsEntry("hadoop.fs.s3a.endpoint.region", "ap-southeast-3")
                .containsEntry("hadoop.fs.s3a.aws.credentials.provider", LakeStorage.DEFAULT_CREDENTIALS);
        assertThat(storage.flinkOptions()).containsEntry("flink.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("flink.hadoop.fs.s3a.aws.credentials.provider", LakeStorage.DEFAULT_CREDENTIALS)
                .containsEntry("fs.allowed-fallback-filesystems", "s3a");
        org.apache.hadoop.conf.Configuration hadoop = storage.hadoopConfiguration();
        assertThat(hadoop.get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(hadoop.get("fs.s3a.aws.credentials.provider")).isEqualTo(LakeStorage.DEFAULT_CREDENTIALS);
    }

    @Test
    void explicitKeysReplaceTheDefaultChainAndStayOutOfItsDescription() {
        LakeStorage storage = LakeStorage.from(conf("lake.s3.access-key", "AKIAEXAMPLE", "lake.s3.secret-key", "s3cr3t"));
        assertThat(storage.hudiOptions()).containsEntry("hadoop.fs.s3a.aws.credentials.provider", LakeStorage.EXPLICIT_CREDENTIALS)
                .containsEntry("hadoop.fs.s3a.access.key", "AKIAEXAMPLE")
                .containsEntry("hadoop.fs.s3a.secret.key", "s3cr3t");
        assertThat(storage.toString()).doesNotContain("AKIAEXAMPLE").doesNotContain("s3cr3t");
        assertThatThrownBy(() -> LakeStorage.from(conf("lake.s3.access-key", "AKIAEXAMPLE")))
                .isInstanceOf(SetupException.class)
                .hasMessage("lake.s3.access-key is set without lake.s3.secret-key: set both (as ${env:...} or ${file:...})"
                        + " or neither, for the AWS default credential chain");
    }

    @Test
    void serverSideEncryptionPassesThrough() {
        assertThat(LakeStorage.from(conf("lake.s3.encryption", "sse-s3")).hudiOptions())
                .containsEntry("hadoop.fs.s3a.encryption.algorithm", "SSE-S3")
                .doesNotContainKey("hadoop.fs.s3a.encryption.key");
        assertThat(LakeStorage.from(conf("lake.s3.encryption", "SSE-KMS", "lake.s3.encryption-key", "arn:aws:kms:k")).hudiOptions())
                .containsEntry("hadoop.fs.s3a.encryption.algorithm", "SSE-KMS")
                .containsEntry("hadoop.fs.s3a.encryption.key", "arn:aws:kms:k");
        assertThat(LakeStorage.from(conf()).hudiOptions()).doesNotContainKey("hadoop.fs.s3a.encryption.algorithm");
    }

    @Test
    void encryptionSettingsThatS3aCannotUseAreRefused() {
        assertThatThrownBy(() -> LakeStorage.from(conf("lake.s3.encryption", "AES256")))
                .isInstanceOf(SetupException.class)
                .hasMessage("lake.s3.encryption is 'AES256': use SSE-S3 or SSE-KMS, or leave it unset for the bucket's default encryption");
        assertThatThrownBy(() -> LakeStorage.from(conf("lake.s3.encryption", "SSE-S3", "lake.s3.encryption-key", "k")))
                .isInstanceOf(SetupException.class).hasMessageContaining("is not SSE-KMS");
    }
}
