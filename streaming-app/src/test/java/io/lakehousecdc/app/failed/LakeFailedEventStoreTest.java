package io.lakehousecdc.app.failed;

import io.lakehousecdc.lake.LakeStorage;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class LakeFailedEventStoreTest extends FailedEventStoreContract {

    @TempDir
    Path lake;

    @Override
    FailedEventStore open() {
        return new LakeFailedEventStore.Location(lake.toUri().toString(), LakeStorage.defaults()).open();
    }
}
