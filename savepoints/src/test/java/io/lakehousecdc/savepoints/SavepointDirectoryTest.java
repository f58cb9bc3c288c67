package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.SetupException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Finding, ordering and pruning savepoints in the layouts Flink writes, on local disk. */
class SavepointDirectoryTest {

    private static final String JOB = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z");

    @TempDir
    Path root;

    private Path oldest;
    private Path older;
    private Path newer;
    private Path newest;

    @BeforeEach
    void writeSavepoints() throws Exception {
        oldest = savepoint("savepoints/savepoint-012345-aaaaaaaaaaaa", Duration.ofDays(10), 1000);
        older = savepoint(JOB + "/chk-7", Duration.ofDays(3), 200);
        newer = savepoint("savepoint-012345-bbbbbbbbbbbb", Duration.ofHours(5), 300);
        newest = savepoint(JOB + "/chk-9", Duration.ofMinutes(1), 50);
        Files.createDirectories(root.resolve(JOB).resolve("chk-10")); // in progress: no _metadata yet
        Files.createDirectories(root.resolve(JOB).resolve("shared"));
    }

    private Path savepoint(String relative, Duration age, int stateBytes) throws Exception {
        Path dir = Files.createDirectories(root.resolve(relative));
        Files.write(dir.resolve("state-file"), new byte[stateBytes]);
        Path metadata = Files.write(dir.resolve("_metadata"), new byte[10]);
        Files.setLastModifiedTime(metadata, FileTime.from(NOW.minus(age)));
        return dir;
    }

    @Test
    void listsCompleteSavepointsAndCheckpointsNewestFirst() {
        List<StoredSavepoint> found = SavepointDirectory.at(root.toUri().toString()).list();

        assertThat(found).extracting(s -> Path.of(java.net.URI.create(s.path())))
                .containsExactly(newest, newer, older, oldest);
        assertThat(found.get(0).kind()).isEqualTo(StoredSavepoint.Kind.CHECKPOINT);
        assertThat(found.get(0).job()).isEqualTo(JOB);
        assertThat(found.get(1).kind()).isEqualTo(StoredSavepoint.Kind.SAVEPOINT);
        assertThat(found.get(1).job()).isEqualTo("012345");
        assertThat(found.get(3).sizeBytes()).isEqualTo(1010);
        assertThat(SavepointDirectory.at(root.toString()).latest()).get()
                .extracting(s -> Path.of(java.net.URI.create(s.path()))).isEqualTo(newest);
    }

    @Test
    void pruneKeepsTheNewestAndWhatIsInUse() {
        SavepointDirectory directory = SavepointDirectory.at(root.toString());

        List<StoredSavepoint> deleted = directory.prune(new SavepointDirectory.Retention(1, null),
                Set.of("file://" + older), NOW, false);

        assertThat(deleted).extracting(StoredSavepoint::path).hasSize(2);
        assertThat(newest).isDirectory();
        assertThat(older).as("restored from by a running job").isDirectory();
        assertThat(newer).doesNotExist();
        assertThat(oldest).doesNotExist();
    }

    @Test
    void pruneByAgeOrCountKeepsWhatEitherKeeps() {
        SavepointDirectory directory = SavepointDirectory.at(root.toString());

        List<StoredSavepoint> wouldGo = directory.prune(new SavepointDirectory.Retention(3, Duration.ofDays(1)), Set.of(), NOW, true);
        assertThat(wouldGo).extracting(s -> Path.of(java.net.URI.create(s.path()))).containsExactly(oldest);
        assertThat(oldest).as("dry run").isDirectory();

        directory.prune(new SavepointDirectory.Retention(null, Duration.ofDays(1)), Set.of(), NOW, false);
        assertThat(directory.list()).extracting(s -> Path.of(java.net.URI.create(s.path()))).containsExactly(newest, newer);
    }

    @Test
    void theNewestIsKeptEvenWhenOlderThanTheMaximumAge() {
        SavepointDirectory directory = SavepointDirectory.at(root.toString());
        directory.prune(new SavepointDirectory.Retention(null, Duration.ofSeconds(1)), Set.of(), NOW, false);
        assertThat(directory.list()).hasSize(1);
    }

    @Test
    void aRetentionMustKeepSomething() {
        assertThatThrownBy(() -> new SavepointDirectory.Retention(null, null)).isInstanceOf(SetupException.class)
                .hasMessageContaining("--keep N").hasMessageContaining("--max-age");
        assertThatThrownBy(() -> new SavepointDirectory.Retention(0, null)).isInstanceOf(SetupException.class)
                .hasMessageContaining("keep at least 1");
    }

    @Test
    void aMissingDirectoryHoldsNothing() {
        assertThat(SavepointDirectory.at(root.resolve("absent").toString()).list()).isEmpty();
    }
}
