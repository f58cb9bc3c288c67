package io.lakehousecdc.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this repository that the deployment descriptors have to agree with. */
final class Repository {

    static final Path ROOT = findRoot();
    static final Path K8S = ROOT.resolve("k8s");

    private Repository() {}

    /** Surefire starts in k8s/, an IDE may start anywhere below or at the root. */
    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s/overlays")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No k8s/overlays above " + Path.of("").toAbsolutePath()
                + ": run the tests from the repository");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A property of the parent pom, handed over by surefire so that there is one source of truth. */
    static String pomProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run the tests through Maven");
        }
        return value;
    }
}
