package org.openmarking.server.face.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.openmarking.server.face.Challenge;

/**
 * Answers a simulated marker's due face check over HTTP, exactly as the marker client does:
 * {@code POST /api/v1/face/checks} for the challenge, a burst from the {@link SimulatedCamera}
 * turning as challenged, then {@code POST /api/v1/face/checks/{id}/burst}. The demo's simulated
 * markers call it when the server answers 409 {@code face-check-due} (or
 * {@code presence-paused}); it completes with the verdict ({@code {result, reason, retryAllowed}}).
 *
 * <p>A {@code BiFunction<String, String, Future<JsonObject>>} of (user name, bearer token), so
 * the marking simulator needs no face type to plug it in.
 */
public final class FaceCheckResponder implements BiFunction<String, String, Future<JsonObject>> {
    private final Vertx vertx;
    private final WebClient client;
    private final SimulatedCamera camera;
    private final Map<String, byte[]> photos;

    /**
     * @param client a client of the node (base address and trusted CA set)
     * @param photos the photo each marker shows the camera, by user name
     */
    public FaceCheckResponder(Vertx vertx, WebClient client, SimulatedCamera camera, Map<String, byte[]> photos) {
        this.vertx = vertx;
        this.client = client;
        this.camera = camera;
        this.photos = Map.copyOf(photos);
    }

    @Override
    public Future<JsonObject> apply(String username, String token) {
        byte[] photo = photos.get(username);
        if (photo == null) {
            return Future.failedFuture(new IllegalArgumentException("no camera photo for " + username));
        }
        return client.post("/api/v1/face/checks").bearerTokenAuthentication(token).send()
                .compose(res -> expect(res, 200, 201)).compose(check -> {
                    Challenge.Direction d = Challenge.Direction.valueOf(check.getString("challenge"));
                    int frames = check.getInteger("frames");
                    // The synthetic turn is CPU work: off the event loop.
                    return vertx.executeBlocking(() -> camera.burst(photo, d, frames), false).compose(burst -> {
                        JsonArray encoded = new JsonArray();
                        burst.forEach(f -> encoded.add(Base64.getEncoder().encodeToString(f)));
                        UUID id = UUID.fromString(check.getString("checkId"));
                        return client.post("/api/v1/face/checks/" + id + "/burst").bearerTokenAuthentication(token)
                                .sendJsonObject(new JsonObject().put("frames", encoded));
                    }).compose(res -> expect(res, 200));
                });
    }

    private static Future<JsonObject> expect(HttpResponse<Buffer> res, int... statuses) {
        for (int s : statuses) {
            if (res.statusCode() == s) {
                return Future.succeededFuture(res.bodyAsJsonObject());
            }
        }
        return Future.failedFuture(new IllegalStateException("face check answered " + res.statusCode() + ": " + res.bodyAsString()));
    }
}
