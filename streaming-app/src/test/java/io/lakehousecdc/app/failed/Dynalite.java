package io.lakehousecdc.app.failed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A dynalite server (the DynamoDB API, in memory) on a port of its own, for as long as a test
 * needs it; {@code scripts/local-services.sh} installs it.
 */
final class Dynalite implements AutoCloseable {

    private static final Path DEFAULT_DIR = Path.of("/opt/lakehouse-cdc/dynalite");

    private final Process process;
    private final int port;

    private Dynalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Dynalite start() throws IOException, InterruptedException {
        String dir = System.getenv("LAKEHOUSE_DYNALITE_DIR");
        Path bin = (dir == null ? DEFAULT_DIR : Path.of(dir)).resolve("node_modules/.bin/dynalite");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run scripts/local-services.sh, which installs dynalite");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(bin.toString(), "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Dynalite(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dynalite exited with " + process.exitValue() + " before listening");
                }
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not listen on port " + port + " within 30 s");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
