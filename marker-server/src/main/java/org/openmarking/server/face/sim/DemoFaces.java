package org.openmarking.server.face.sim;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's faces: which person each demo marker is, their enrolment through the API, and the
 * photo their simulated camera films.
 *
 * <p>marker1..marker5 are the five people of {@code faces/train} (one person each, in name
 * order); marker6 is the first person of {@code faces/lfw-dev} with at least two photos, since
 * the training folder holds only five people. A person's photos except the last enrol them; the
 * last is what the camera films (a person with one photo uses it for both).
 */
public final class DemoFaces {
    private DemoFaces() {
    }

    /** Demo user name to that person's photos, sorted; markers without a person are left out. */
    public static Map<String, List<Path>> assign(Path facesDir) {
        List<List<Path>> people = new ArrayList<>(people(facesDir.resolve("train"), 1));
        people.addAll(people(facesDir.resolve("lfw-dev"), 2).stream().limit(1).toList());
        Map<String, List<Path>> out = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(6, people.size()); i++) {
            out.put("marker" + (i + 1), people.get(i));
        }
        return out;
    }

    private static List<List<Path>> people(Path dir, int minPhotos) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> persons = Files.list(dir)) {
            List<List<Path>> out = new ArrayList<>();
            for (Path p : persons.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(p)) {
                    List<Path> photos = files.filter(f -> f.getFileName().toString().matches("(?i).*\\.(jpe?g|png)")).sorted().toList();
                    if (photos.size() >= minPhotos) {
                        out.add(photos);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The photo each marker's camera films. */
    public static Map<String, byte[]> cameraPhotos(Map<String, List<Path>> people) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        people.forEach((user, photos) -> out.put(user, read(photos.get(photos.size() - 1))));
        return out;
    }

    /**
     * Enrols each marker through {@code POST /api/v1/face/enrollments/{user}} (blocking; the demo
     * runs on its main thread). Returns a line per marker for the demo's start-up message.
     */
    public static List<String> enroll(WebClient client, String adminToken, Map<String, List<Path>> people) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : people.entrySet()) {
            List<Path> photos = e.getValue();
            List<Path> reference = photos.size() > 1 ? photos.subList(0, photos.size() - 1) : photos;
            JsonArray encoded = new JsonArray();
            reference.forEach(p -> encoded.add(Base64.getEncoder().encodeToString(read(p))));
            HttpResponse<Buffer> res = await(client.post("/api/v1/face/enrollments/" + e.getKey())
                    .bearerTokenAuthentication(adminToken).sendJsonObject(new JsonObject().put("photos", encoded)));
            JsonObject body = res.body() == null ? new JsonObject() : res.bodyAsJsonObject();
            String person = photos.get(0).getParent().getFileName().toString();
            lines.add(switch (res.statusCode()) {
                case 201 -> e.getKey() + " enrolled as " + person + " (" + body.getLong("accepted") + " photo(s))";
                case 409 -> e.getKey() + " already enrolled (" + person + ")";
                default -> e.getKey() + " NOT enrolled (" + person + "): " + res.statusCode() + " " + body.getString("error");
            });
        }
        return lines;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
