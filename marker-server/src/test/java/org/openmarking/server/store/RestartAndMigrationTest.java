package org.openmarking.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer;

/** A fresh data directory is migrated; a restart keeps everything; no default admin exists. */
class RestartAndMigrationTest {

    @Test
    void aFreshDatabaseIsMigratedAndARestartKeepsTheData(@TempDir Path dir) {
        try (TestServer first = TestServer.start(dir, Map.of())) {
            first.createUser("kept-marker", "marker", "*");
            List<String> tables = new ArrayList<>();
            for (Row r : TestServer.await(first.app().context().database().pool()
                    .query("select table_schema || '.' || table_name from information_schema.tables "
                            + "where table_schema in ('public', 'identity') order by 1").execute())) {
                tables.add(r.getString(0));
            }
            for (String t : List.of("identity.candidates", "identity.booklet_owners", "identity.response_origins", "public.responses",
                    "public.marks", "public.allocations", "public.seeds", "public.calibration_sets", "public.audit_log", "public.users",
                    "public.criteria_versions", "public.quarantine")) {
                assertTrue(tables.contains(t), t + " missing from " + tables);
            }
            assertTrue(tables.stream().noneMatch(t -> t.equals("public.candidates")), "candidates live only in the identity schema");
            Row version = TestServer.await(first.app().context().database().pool()
                    .query("select max(version::int), bool_and(success) from flyway_schema_history where version is not null").execute())
                    .iterator().next();
            assertTrue(version.getInteger(0) >= 1);
            assertTrue(version.getBoolean(1));
        }
        // the second start has no admin password: the admin made at first start is kept
        try (TestServer second = TestServer.start(dir, Map.of("OPENMARKING_ADMIN_PASSWORD", ""))) {
            assertEquals(200, second.get("/health", null).status());
            second.login("kept-marker", "password-of-kept-marker");
            second.adminToken();
            long audited = TestServer.await(second.app().context().database().pool()
                    .query("select count(*) from audit_log where action = 'account.created' and subject = 'kept-marker'").execute())
                    .iterator().next().getLong(0);
            assertEquals(1, audited);
        }
    }

    @Test
    void aFirstStartWithoutAnAdminPasswordIsRefused(@TempDir Path dir) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TestServer.start(dir, Map.of("OPENMARKING_ADMIN_PASSWORD", "")));
        assertTrue(String.valueOf(e.getMessage()).contains("OPENMARKING_ADMIN_PASSWORD"), e.getMessage());
    }
}
