package org.openmarking.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer;

/**
 * The embedded PostgreSQL lets in only the server: other local users reaching the port
 * without the password, or with a wrong one, are refused, on a new data directory, after a
 * restart, and after migrating a directory that an earlier version created with trust.
 */
class EmbeddedDatabaseAuthTest {
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        TestServer.await(vertx.close());
    }

    @Test
    void aNewClusterRequiresThePasswordAndARestartKeepsWorking(@TempDir Path dir) throws Exception {
        try (LogCapture log = new LogCapture()) {
            String password;
            Database first = start(dir);
            try {
                Path file = dir.resolve(EmbeddedCluster.PASSWORD_FILE);
                password = Files.readString(file).strip();
                assertTrue(password.length() >= 40, "a strong password");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertEquals(EmbeddedCluster.HBA, Files.readString(dir.resolve("postgres/pg_hba.conf")));
                assertOnlyThePasswordEnters(first, password);
                execute(first, password, "create table kept(v text); insert into kept values ('before restart')");
                try (Connection c = connect(first, password); Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("select current_setting('listen_addresses'), "
                                + "(select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'postgres')")) {
                    r.next();
                    assertEquals("localhost", r.getString(1));
                    assertTrue(r.getBoolean(2), "the superuser's password is stored as a SCRAM verifier");
                }
            } finally {
                TestServer.await(first.close(vertx));
            }

            // a careless chmod or a copied backup: the next start narrows the file again
            Files.setPosixFilePermissions(dir.resolve(EmbeddedCluster.PASSWORD_FILE), PosixFilePermissions.fromString("rw-r--r--"));
            Database second = start(dir);
            try {
                assertEquals(password, Files.readString(dir.resolve(EmbeddedCluster.PASSWORD_FILE)).strip(), "the password is kept");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(EmbeddedCluster.PASSWORD_FILE))));
                assertOnlyThePasswordEnters(second, password);
                assertEquals("before restart", queryOne(second, password, "select v from kept"));
            } finally {
                TestServer.await(second.close(vertx));
            }
            assertTrue(log.lines().stream().noneMatch(line -> line.contains(password)), "the password is never logged");
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("generated the superuser password")), "the capture saw the start");
        }
    }

    @Test
    void aClusterCreatedWithTrustIsMigrated(@TempDir Path dir) throws Exception {
        // what earlier versions did: zonky's defaults, trust for every local connection
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).start();
                Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kept(v text); insert into kept values ('from the trust era')");
        }
        assertTrue(Files.readString(dir.resolve("postgres/pg_hba.conf")).contains("trust"), "the old cluster really trusted");
        assertFalse(Files.exists(dir.resolve(EmbeddedCluster.PASSWORD_FILE)));

        Database migrated = start(dir);
        try {
            String password = Files.readString(dir.resolve(EmbeddedCluster.PASSWORD_FILE)).strip();
            assertEquals(EmbeddedCluster.HBA, Files.readString(dir.resolve("postgres/pg_hba.conf")));
            assertOnlyThePasswordEnters(migrated, password);
            assertEquals("from the trust era", queryOne(migrated, password, "select v from kept"));
        } finally {
            TestServer.await(migrated.close(vertx));
        }
    }

    @Test
    void aProtectedClusterWhosePasswordFileIsLostIsRefusedWithTheFileNamed(@TempDir Path dir) throws Exception {
        TestServer.await(start(dir).close(vertx));
        Files.delete(dir.resolve(EmbeddedCluster.PASSWORD_FILE));
        RuntimeException e = assertThrows(RuntimeException.class, () -> start(dir));
        assertTrue(String.valueOf(e.getMessage()).contains(EmbeddedCluster.PASSWORD_FILE), e.getMessage());
        assertFalse(Files.exists(dir.resolve(EmbeddedCluster.PASSWORD_FILE)), "no new password replaces the lost one");
    }

    private static Database start(Path dir) {
        return TestServer.await(Database.start(vertx, Optional.empty(), dir, 2));
    }

    /** No password and a wrong one are refused; the password and the server's own pool get in. */
    private static void assertOnlyThePasswordEnters(Database db, String password) throws SQLException {
        String url = EmbeddedCluster.jdbcUrl(port(db));
        Properties none = new Properties();
        none.setProperty("user", "postgres");
        SQLException noPassword = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, none).close());
        assertTrue(EmbeddedCluster.refusedForWantOfPassword(noPassword), noPassword.getSQLState() + " " + noPassword.getMessage());
        SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "postgres").close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
        SQLException otherUser = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "nobody", password).close());
        assertTrue(EmbeddedCluster.refusedForWantOfPassword(otherUser), otherUser.getMessage());
        try (Connection c = connect(db, password)) {
            assertTrue(c.isValid(5));
        }
        assertEquals(1, TestServer.await(db.pool().query("select 1").execute()).iterator().next().getInteger(0));
    }

    private static int port(Database db) {
        String url = db.jdbc().url();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.lastIndexOf('/')));
    }

    private static Connection connect(Database db, String password) throws SQLException {
        return DriverManager.getConnection(EmbeddedCluster.jdbcUrl(port(db)), "postgres", password);
    }

    private static void execute(Database db, String password, String sql) throws SQLException {
        try (Connection c = connect(db, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryOne(Database db, String password, String sql) throws SQLException {
        try (Connection c = connect(db, password); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** Every JUL record while open (zonky and PostgreSQL's output arrive through slf4j-jdk14), formatted. */
    private static final class LogCapture extends Handler implements AutoCloseable {
        private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        private final SimpleFormatter format = new SimpleFormatter();

        LogCapture() {
            Logger.getLogger("").addHandler(this);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(format.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }
}
