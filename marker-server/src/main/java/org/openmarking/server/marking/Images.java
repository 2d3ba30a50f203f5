package org.openmarking.server.marking;

import io.vertx.core.Future;
import java.util.UUID;
import java.util.logging.Logger;
import org.openmarking.server.ServerContext;
import org.openmarking.server.crypto.TamperedBlobException;
import org.openmarking.server.http.ApiException;

/** Answer images out of the encrypted blob store, decrypted on the worker pool, never when tampered with. */
public final class Images {
    private static final Logger LOG = Logger.getLogger(Images.class.getName());

    private Images() {
    }

    /** An image and its content type, read from its first bytes (the blob store keeps no type). */
    public record Image(byte[] bytes, String contentType) {
    }

    public static Future<Image> read(ServerContext context, String blobRef, UUID reader, String responseId) {
        return context.workers().<Image>executeBlocking(() -> {
            byte[] bytes = context.blobs().get(blobRef).orElseThrow(() -> new ApiException(404, "image-missing",
                    "the image of response " + responseId + " is missing from the blob store"));
            return new Image(bytes, contentType(bytes));
        }, false).recover(e -> {
            if (e instanceof TamperedBlobException) {
                LOG.severe("answer image of response " + responseId + " failed its integrity check; not served");
                return MarkingRoutes.auditTampered(context.database().pool(), reader, responseId, blobRef)
                        .transform(x -> Future.failedFuture(new ApiException(500, "image-tampered", "the image of response " + responseId
                                + " failed its integrity check and is not shown; the board has been told. Escalate it as illegible.")));
            }
            return Future.failedFuture(e);
        });
    }

    static String contentType(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return "image/jpeg";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
            return "image/webp";
        }
        if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I') || (b[0] == 'M' && b[1] == 'M'))) {
            return "image/tiff";
        }
        return "application/octet-stream";
    }
}
