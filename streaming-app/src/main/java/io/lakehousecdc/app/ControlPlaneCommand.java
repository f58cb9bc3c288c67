package io.lakehousecdc.app;

import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.ControlPlaneServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/** {@code lakehouse control-plane}: the control plane's schema and its HTTP API. */
@Command(name = "control-plane", mixinStandardHelpOptions = true, description = "Migrates and serves the control plane.",
        subcommands = {ControlPlaneCommand.Migrate.class, ControlPlaneCommand.Serve.class})
final class ControlPlaneCommand {

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Creates or upgrades the control plane's schema (every other command does this too).")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Override
        public Integer call() {
            ControlPlane.open(options.load());
            System.out.println("control plane schema is up to date");
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serves the control plane as a JSON API until stopped (Ctrl-C).",
                    "Clients send Authorization: Bearer <token>, the token taken from the environment variable LAKEHOUSE_API_TOKEN."})
    static final class Serve implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Option(names = "--port", defaultValue = "8090", paramLabel = "PORT", description = "The port to listen on (default 8090).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
                description = "The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).")
        String bind;

        @Option(names = "--token-name", defaultValue = "api", paramLabel = "NAME",
                description = "Who the audit log names for changes made through the API (default api).")
        String tokenName;

        @Override
        public Integer call() throws InterruptedException {
            StopSignal stop = StopSignal.install();
            ControlPlane control = ControlPlane.open(options.load());
            try (ControlPlaneServer server = ControlPlaneServer.start(control, new InetSocketAddress(bind, port),
                    System.getenv("LAKEHOUSE_API_TOKEN"), tokenName)) {
                System.out.println("control plane API on http://" + bind + ":" + server.port() + " (Ctrl-C stops it)");
                stop.await(Long.MAX_VALUE);
            } finally {
                stop.finished();
            }
            return 0;
        }
    }
}
