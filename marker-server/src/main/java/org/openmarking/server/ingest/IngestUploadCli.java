package org.openmarking.server.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Uploads scan files to a running server ({@code POST /api/v1/ingest/scans}) as an admin, over
 * HTTPS trusting only the given CA certificate, in batches; prints every quarantined page and
 * the summary. Exit status: 0 nothing quarantined, 1 something quarantined, 2 bad usage or
 * login, 3 the server or connection failed (rerunning the same command is safe: pages already
 * ingested come back as duplicates).
 *
 * <pre>
 * ingest --server https://host:8443 --ca ca.pem --user admin [--rescan] [--batch-mb 64] FILE|DIR...
 * </pre>
 * The password comes from {@code OPENMARKING_INGEST_PASSWORD_FILE} (a file) or
 * {@code OPENMARKING_INGEST_PASSWORD}, never from the command line.
 */
public final class IngestUploadCli {
    private IngestUploadCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String server = null;
        Path ca = null;
        String user = null;
        boolean rescan = false;
        long batchBytes = 64L << 20;
        List<Path> inputs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--server" -> server = args[++i].replaceAll("/+$", "");
                    case "--ca" -> ca = Path.of(args[++i]);
                    case "--user" -> user = args[++i];
                    case "--rescan" -> rescan = true;
                    case "--batch-mb" -> batchBytes = Long.parseLong(args[++i]) << 20;
                    default -> inputs.add(Path.of(args[i]));
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            return usage(err, "an option lacks its value");
        }
        if (server == null || ca == null || user == null || inputs.isEmpty()) {
            return usage(err, "missing option or input");
        }
        String password;
        HttpClient http;
        List<Path> files;
        try {
            password = password(env);
            http = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(20)).build();
            files = files(inputs);
        } catch (IOException | GeneralSecurityException e) {
            return usage(err, e.getMessage());
        }
        String token;
        try {
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/auth/login"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", user).put("password", password).encode()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() != 200) {
                err.println("login as " + user + " refused: " + login.statusCode() + " " + error(login.body()));
                return 2;
            }
            token = new JsonObject(login.body()).getString("token");
        } catch (IOException | InterruptedException e) {
            err.println("cannot reach " + server + ": " + e.getMessage());
            return 3;
        }
        Totals totals = new Totals();
        int batchStart = 0;
        while (batchStart < files.size()) {
            List<Path> batch = new ArrayList<>();
            long size = 0;
            try {
                for (int i = batchStart; i < files.size() && (batch.isEmpty() || size + Files.size(files.get(i)) <= batchBytes); i++) {
                    batch.add(files.get(i));
                    size += Files.size(files.get(i));
                }
                HttpResponse<String> res = http.send(upload(server, token, batch, rescan), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() != 200) {
                    err.println("upload refused: " + res.statusCode() + " " + error(res.body()) + "; done so far: " + totals
                            + "; rerunning the same command is safe");
                    return res.statusCode() >= 500 ? 3 : 2;
                }
                totals.add(new JsonObject(res.body()), out);
            } catch (IOException | InterruptedException e) {
                err.println("upload failed: " + e.getMessage() + "; done so far: " + totals + "; rerunning the same command is safe");
                return 3;
            }
            batchStart += batch.size();
        }
        out.println(totals);
        return totals.quarantined == 0 ? 0 : 1;
    }

    /** Running counts over batches. */
    private static final class Totals {
        int files;
        int pages;
        int ingested;
        int rescanned;
        int duplicates;
        int quarantined;
        final Map<String, Integer> byReason = new TreeMap<>();

        void add(JsonObject s, PrintStream out) {
            files += s.getInteger("files");
            pages += s.getInteger("pages");
            ingested += s.getInteger("ingested");
            rescanned += s.getInteger("rescanned");
            duplicates += s.getInteger("duplicates");
            JsonObject q = s.getJsonObject("quarantined");
            quarantined += q.getInteger("total");
            q.getJsonObject("byReason").forEach(e -> byReason.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
            for (Object o : s.getJsonArray("results", new JsonArray())) {
                JsonObject p = (JsonObject) o;
                if ("QUARANTINED".equals(p.getString("outcome"))) {
                    out.printf("QUARANTINED %s page %d: %s (%s)%n", p.getString("file"), p.getInteger("filePage"), p.getString("reason"),
                            p.getString("detail"));
                }
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format("files %d, pages %d: ingested %d, rescanned %d, duplicates %d, quarantined %d",
                    files, pages, ingested, rescanned, duplicates, quarantined));
            byReason.forEach((k, v) -> sb.append(String.format("%n  quarantined %-18s %d", k, v)));
            return sb.toString();
        }
    }

    private static HttpRequest upload(String server, String token, List<Path> batch, boolean rescan) throws IOException {
        String boundary = "om-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        for (Path f : batch) {
            String name = f.getFileName().toString().replace("\"", "_");
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            parts.add(Files.readAllBytes(f));
            parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(server + "/api/v1/ingest/scans" + (rescan ? "?rescan=true" : "")))
                .header("Authorization", "Bearer " + token)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build();
    }

    /** An SSL context that trusts exactly the CA certificate(s) in {@code pem} (the server's pinned CA). */
    static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new IOException(pem + " holds no certificate");
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static String password(Map<String, String> env) throws IOException {
        String file = env.get("OPENMARKING_INGEST_PASSWORD_FILE");
        if (file != null && !file.isEmpty()) {
            return Files.readString(Path.of(file)).strip();
        }
        String direct = env.get("OPENMARKING_INGEST_PASSWORD");
        if (direct != null && !direct.isEmpty()) {
            return direct;
        }
        throw new IOException("set OPENMARKING_INGEST_PASSWORD_FILE (or OPENMARKING_INGEST_PASSWORD) to the user's password");
    }

    private static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile).sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(in)) {
                out.add(in);
            } else {
                throw new IOException("no such file: " + in);
            }
        }
        return out;
    }

    private static String error(String body) {
        try {
            return new JsonObject(body).getString("error", body);
        } catch (RuntimeException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    private static int usage(PrintStream err, String why) {
        err.println(why + "\nusage: ingest --server https://HOST:PORT --ca CA.pem --user ADMIN [--rescan] [--batch-mb N] FILE|DIR..."
                + "\n(password from OPENMARKING_INGEST_PASSWORD_FILE or OPENMARKING_INGEST_PASSWORD)");
        return 2;
    }
}
