package netmap.neo4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs a throw-away Neo4j 5 (community, in-process via org.neo4j.harness) for netmap's tests and
 * local development. Bolt listens on 127.0.0.1 only, HTTP/HTTPS are disabled, auth is disabled.
 *
 * <pre>
 * java -cp target/netmap-neo4j.jar:target/lib/* netmap.neo4j.NetmapNeo4j --port 7687 --dir .neo4j
 *      [--pagecache 512m] [--plugins DIR] [--gds] [--persist]
 * </pre>
 *
 * The database lives in a random sub-folder of DIR/data that the harness deletes again on a clean
 * shutdown (SIGTERM / SIGINT). Runs until killed. With {@code --persist} it is an embedded
 * database in DIR/db instead (same settings, no harness), kept across restarts: tests use it to
 * restart or crash a server under a running client and look at what survived.
 */
public final class NetmapNeo4j {
    private NetmapNeo4j() {}

    public static void main(String[] args) throws Exception {
        int port = -1;
        Path dir = null;
        String pagecache = "512m";
        boolean gds = false;
        Path plugins = null;
        boolean persist = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(need(args, ++i));
                case "--dir" -> dir = Path.of(need(args, ++i));
                case "--pagecache" -> pagecache = need(args, ++i);
                case "--gds" -> gds = true;
                case "--persist" -> persist = true;
                case "--plugins" -> plugins = Path.of(need(args, ++i)).toAbsolutePath();
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    usage();
                    System.exit(2);
                }
            }
        }
        if (port <= 0 || port > 65535 || dir == null) {
            usage();
            System.exit(2);
        }

        if (persist) {
            runPersistent(dir.toAbsolutePath().resolve("db"), port, pagecache);
            return;
        }
        Path dataRoot = dir.toAbsolutePath().resolve("data");
        Files.createDirectories(dataRoot);

        long t0 = System.nanoTime();
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(dataRoot)
                .withDisabledServer(); // no HTTP / HTTPS connector
        for (Map.Entry<Setting<?>, Object> e : settings(port, pagecache).entrySet()) {
            builder = withConfig(builder, e.getKey(), e.getValue());
        }
        if (plugins != null) {
            // procedures/functions are only registered from jars in the plugin dir (the jars must
            // also be on the classpath for their kernel extensions, as in a normal Neo4j server)
            builder = builder.withConfig(GraphDatabaseSettings.plugin_dir, plugins);
        }
        if (gds) {
            builder = builder.withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"));
        }

        final Neo4j neo4j;
        try {
            neo4j = builder.build();
        } catch (Throwable t) {
            failed(t);
            return;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        serve(neo4j::close, "netmap-neo4j: started " + neo4j.boltURI() + " in " + ms + " ms (neo4j "
                + org.neo4j.kernel.internal.Version.getNeo4jVersion() + ", data "
                + neo4j.config().get(GraphDatabaseSettings.neo4j_home) + ")");
    }

    /** An embedded database kept in {@code home} across restarts, Bolt on 127.0.0.1:port. */
    private static void runPersistent(Path home, int port, String pagecache) throws Exception {
        Files.createDirectories(home);
        long t0 = System.nanoTime();
        final DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(settings(port, pagecache))
                    .build();
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME); // fails here if it cannot open
        } catch (Throwable t) {
            failed(t);
            return;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        serve(dbms::shutdown, "netmap-neo4j: started bolt://127.0.0.1:" + port + " in " + ms
                + " ms (neo4j " + org.neo4j.kernel.internal.Version.getNeo4jVersion()
                + ", persistent data " + home + ")");
    }

    /** The settings both modes share: Bolt only, on 127.0.0.1:port, no auth, no phoning home. */
    private static Map<Setting<?>, Object> settings(int port, String pagecache) {
        Map<Setting<?>, Object> s = new LinkedHashMap<>();
        s.put(GraphDatabaseSettings.auth_enabled, false);
        // never phone home (usage data collector, on by default in embedded/harness mode)
        s.put(GraphDatabaseSettings.udc_enabled, false);
        s.put(GraphDatabaseInternalSettings.udc_network_enabled, false);
        // Bolt's netty groups otherwise wait a 2 s quiet period each on shutdown (~10 s stop)
        s.put(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        s.put(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"));
        s.put(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"));
        s.put(BoltConnector.enabled, true);
        s.put(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port));
        s.put(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port));
        s.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        s.put(GraphDatabaseSettings.pagecache_memory, parseBytes(pagecache));
        return s;
    }

    @SuppressWarnings("unchecked")
    private static <T> Neo4jBuilder withConfig(Neo4jBuilder builder, Setting<?> setting, Object value) {
        return builder.withConfig((Setting<T>) setting, (T) value);
    }

    private static void failed(Throwable t) {
        System.out.println("netmap-neo4j: FAILED to start: " + t);
        t.printStackTrace(System.out);
        System.out.flush();
        System.exit(1);
    }

    /** Print the started line (tools/neo4j/start waits for it), then run until SIGTERM/SIGINT. */
    private static void serve(AutoCloseable server, String startedLine) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("netmap-neo4j: shutting down");
            System.out.flush();
            try {
                server.close();
                System.out.println("netmap-neo4j: stopped");
            } catch (Throwable t) {
                System.out.println("netmap-neo4j: error while stopping: " + t);
                t.printStackTrace(System.out);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "netmap-neo4j-shutdown"));
        System.out.println(startedLine);
        System.out.flush();
        stopped.await();
    }

    private static String need(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("missing value for " + args[i - 1]);
            System.exit(2);
        }
        return args[i];
    }

    static long parseBytes(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        if (v.endsWith("k")) { mul = 1L << 10; v = v.substring(0, v.length() - 1); }
        else if (v.endsWith("m")) { mul = 1L << 20; v = v.substring(0, v.length() - 1); }
        else if (v.endsWith("g")) { mul = 1L << 30; v = v.substring(0, v.length() - 1); }
        return Long.parseLong(v) * mul;
    }

    private static void usage() {
        System.err.println("usage: NetmapNeo4j --port PORT --dir DIR [--pagecache 512m] [--plugins DIR] [--gds] [--persist]");
    }
}
