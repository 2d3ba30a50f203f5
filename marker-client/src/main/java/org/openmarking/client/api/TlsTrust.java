package org.openmarking.client.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How the client decides to trust the server: the certificate authority from a PEM file
 * (the demo's {@code data/demo/tls/ca.pem}), or a pinned SHA-256 fingerprint of that CA, or
 * the system's trust store for a server with a public certificate.
 *
 * <p>Verification is never switched off: a pinned CA becomes the only trust anchor and the
 * chain is then checked as usual (signatures, validity), and the host name is checked by
 * {@link java.net.http.HttpClient} against the certificate.
 */
public final class TlsTrust {
    private TlsTrust() {
    }

    /** Trusts certificates issued by the CA(s) in a PEM file. */
    public static SSLContext fromCaFile(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            List<X509Certificate> anchors = new ArrayList<>();
            certs.forEach(c -> anchors.add((X509Certificate) c));
            return context(trustManager(anchors));
        }
    }

    /**
     * Trusts the chain only if it contains the CA with this SHA-256 fingerprint (hex, colons
     * and case ignored), which then anchors an ordinary PKIX check of the chain.
     */
    public static SSLContext pinned(String sha256) throws GeneralSecurityException {
        String pin = normalise(sha256);
        if (pin.length() != 64) {
            throw new GeneralSecurityException("a SHA-256 fingerprint has 64 hex digits: " + sha256);
        }
        return context(new PinnedTrustManager(pin));
    }

    /** The system's default trust store. */
    public static SSLContext system() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        return ctx;
    }

    /** The SHA-256 fingerprint of a certificate, as colon-separated upper-case hex. */
    public static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    }

    static String normalise(String fp) {
        return fp.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static SSLContext context(TrustManager tm) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    static X509TrustManager trustManager(List<X509Certificate> anchors) throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                ks.setCertificateEntry("ca" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new GeneralSecurityException("no X.509 trust manager");
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Finds the pinned CA in the presented chain and checks the chain against it alone. */
    private static final class PinnedTrustManager implements X509TrustManager {
        private final String pin;

        PinnedTrustManager(String pin) {
            this.pin = pin;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                for (X509Certificate c : chain) {
                    if (normalise(fingerprint(c)).equals(pin)) {
                        trustManager(List.of(c)).checkServerTrusted(chain, authType);
                        return;
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e.getMessage(), e);
            }
            throw new CertificateException("the server's certificate chain does not contain the pinned CA");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Reads the first certificate of a PEM text (for tests and the settings screen). */
    public static X509Certificate readPem(byte[] pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
