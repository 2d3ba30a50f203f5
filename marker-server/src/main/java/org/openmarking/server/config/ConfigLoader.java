package org.openmarking.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@link ServerConfig} from an optional JSON file, then lets environment variables
 * override single settings. Unknown keys are refused, so a typo is an error at start, not a
 * silently ignored setting.
 *
 * <p>Environment names are the setting in upper snake case with the prefix
 * {@code OPENMARKING_} (e.g. {@code OPENMARKING_HTTPS_PORT}); the database also answers to
 * the conventional {@code DATABASE_URL}.
 */
public final class ConfigLoader {
    static final Set<String> KEYS = Set.of("host", "httpsPort", "dataDir", "databaseUrl", "tlsCert", "tlsKey", "tlsHostnames",
            "cluster", "clusterHost", "clusterPort", "clusterMembers", "schemesDir", "faceModelsDir", "faceChecks", "sessionTtl",
            "loginMaxFailures", "loginFailureWindow", "dbPoolSize", "workerPoolSize", "keystore", "blobsDir",
            "faceCheckInterval", "faceCheckTimeout", "faceEnrolMinPhotos");

    private final JsonNode file;
    private final Map<String, String> env;
    private final String source;

    private ConfigLoader(JsonNode file, Map<String, String> env, String source) {
        this.file = file;
        this.env = env;
        this.source = source;
    }

    /** Loads from {@code file} (when present) and {@code env}. */
    public static ServerConfig load(Optional<Path> file, Map<String, String> env) {
        JsonNode node = new ObjectMapper().createObjectNode();
        String source = "defaults";
        if (file.isPresent()) {
            try {
                node = new ObjectMapper().readTree(Files.readString(file.get()));
            } catch (IOException e) {
                throw new ConfigException(file.get() + ": cannot read the config file: " + e.getMessage());
            }
            if (node == null || !node.isObject()) {
                throw new ConfigException(file.get() + ": must hold a JSON object");
            }
            source = file.get().toString();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw new ConfigException(source + ": unknown setting '" + key + "'; known settings are " + new java.util.TreeSet<>(KEYS));
                }
            }
        }
        return new ConfigLoader(node, env, source).build();
    }

    private ServerConfig build() {
        try {
            Path dataDir = path("dataDir", "data");
            return new ServerConfig(
                    text("host", "127.0.0.1"),
                    integer("httpsPort", 8443),
                    dataDir,
                    optText("databaseUrl", "DATABASE_URL"),
                    optText("tlsCert", null).map(Path::of),
                    optText("tlsKey", null).map(Path::of),
                    list("tlsHostnames", List.of("localhost", "127.0.0.1")),
                    bool("cluster", false),
                    text("clusterHost", "127.0.0.1"),
                    integer("clusterPort", 5701),
                    list("clusterMembers", List.of()),
                    path("schemesDir", "config/schemes"),
                    path("faceModelsDir", "../shared/models"),
                    text("faceChecks", "required"),
                    duration("sessionTtl", Duration.ofHours(12)),
                    integer("loginMaxFailures", 5),
                    duration("loginFailureWindow", Duration.ofMinutes(15)),
                    integer("dbPoolSize", 16),
                    integer("workerPoolSize", 4),
                    path("keystore", dataDir.resolve("keys").resolve("keystore.bcfks").toString()),
                    path("blobsDir", dataDir.resolve("blobs").toString()),
                    duration("faceCheckInterval", Duration.ofSeconds(450)),
                    duration("faceCheckTimeout", Duration.ofMinutes(2)),
                    integer("faceEnrolMinPhotos", 2));
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static String envName(String key) {
        return "OPENMARKING_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    }

    private Optional<String> raw(String key, String alias) {
        String v = env.get(envName(key));
        if (v == null && alias != null) {
            v = env.get(alias);
        }
        if (v != null && !v.isBlank()) {
            return Optional.of(v.strip());
        }
        JsonNode n = file.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(e.asText()));
            return Optional.of(String.join(",", parts));
        }
        if (!n.isValueNode()) {
            throw new ConfigException(key + ": must be a plain value, not an object");
        }
        return Optional.of(n.asText());
    }

    private Optional<String> optText(String key, String alias) {
        return raw(key, alias);
    }

    private String text(String key, String def) {
        return raw(key, null).orElse(def);
    }

    private Path path(String key, String def) {
        return Path.of(text(key, def));
    }

    private List<String> list(String key, List<String> def) {
        return raw(key, null).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(def);
    }

    private <T> T parse(String key, T def, Function<String, T> parser, String expected) {
        Optional<String> v = raw(key, null);
        if (v.isEmpty()) {
            return def;
        }
        try {
            return parser.apply(v.get());
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": '" + v.get() + "' is not " + expected);
        }
    }

    private int integer(String key, int def) {
        return parse(key, def, Integer::parseInt, "a whole number");
    }

    private boolean bool(String key, boolean def) {
        return parse(key, def, v -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException();
            }
            return Boolean.parseBoolean(v);
        }, "true or false");
    }

    private Duration duration(String key, Duration def) {
        return parse(key, def, v -> {
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
        }, "a duration such as PT12H or a number of seconds");
    }
}
