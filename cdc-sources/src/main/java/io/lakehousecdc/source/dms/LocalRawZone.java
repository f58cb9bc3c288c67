package io.lakehousecdc.source.dms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A raw zone in a local (or mounted) directory. */
final class LocalRawZone implements RawZone {
    private final Path root;

    LocalRawZone(Path root) {
        this.root = root;
    }

    @Override
    public List<String> list(String relativeDir) throws IOException {
        Path dir = root.resolve(relativeDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        }
    }

    @Override
    public InputStream open(String relativePath) throws IOException {
        return Files.newInputStream(root.resolve(relativePath));
    }

    @Override
    public void close() {}
}
