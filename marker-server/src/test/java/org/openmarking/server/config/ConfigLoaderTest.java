package org.openmarking.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void defaultsNeedNoFile() {
        ServerConfig c = ConfigLoader.load(Optional.empty(), Map.of());
        assertEquals(8443, c.httpsPort());
        assertEquals(Path.of("data"), c.dataDir());
        assertTrue(c.databaseUrl().isEmpty(), "no database configured means the embedded one");
        assertEquals("required", c.faceChecks());
    }

    @Test
    void theEnvironmentOverridesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("server.json");
        Files.writeString(f, "{\"httpsPort\": 9443, \"sessionTtl\": \"PT2H\", \"tlsHostnames\": [\"marking.example\", \"10.0.0.5\"]}");
        ServerConfig c = ConfigLoader.load(Optional.of(f), Map.of("OPENMARKING_HTTPS_PORT", "9444",
                "DATABASE_URL", "postgresql://u:p@db:5432/marking"));
        assertEquals(9444, c.httpsPort());
        assertEquals(Duration.ofHours(2), c.sessionTtl());
        assertEquals(java.util.List.of("marking.example", "10.0.0.5"), c.tlsHostnames());
        assertEquals(Optional.of("postgresql://u:p@db:5432/marking"), c.databaseUrl());
    }

    @Test
    void badValuesAreRefusedWithTheSettingNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("server.json");
        Files.writeString(f, "{\"httpsport\": 9443}");
        String typo = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(f), Map.of())).getMessage();
        assertTrue(typo.contains("unknown setting 'httpsport'"), typo);
        String port = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of("OPENMARKING_HTTPS_PORT", "70000")))
                .getMessage();
        assertTrue(port.contains("httpsPort: 70000 is not a port number"), port);
        String word = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of("OPENMARKING_CLUSTER", "yes")))
                .getMessage();
        assertTrue(word.contains("cluster: 'yes' is not true or false"), word);
        String face = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of("OPENMARKING_FACE_CHECKS", "skip")))
                .getMessage();
        assertTrue(face.contains("faceChecks"), face);
    }
}
