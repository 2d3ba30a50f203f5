package org.openmarking.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openmarking.server.store.OwnerOnlyFiles;

/**
 * The server's TLS certificate and key. With none configured, the first start creates a
 * private certificate authority and a server certificate signed by it in
 * {@code dataDir/tls}; clients pin the CA (its SHA-256 fingerprint is printed at start).
 *
 * <p>Keeping the CA separate from the server certificate lets a node's certificate be
 * renewed, or more nodes be added, without every marker re-pinning.
 *
 * @param certChain PEM file with the server certificate (and the CA after it)
 * @param key PEM file with the server's private key
 * @param caCert PEM file with the CA certificate clients should trust
 */
public record TlsMaterial(Path certChain, Path key, Path caCert) {
    private static final Logger LOG = Logger.getLogger(TlsMaterial.class.getName());

    /** Returns the material in {@code dir}, creating CA and certificate the first time. */
    public static TlsMaterial selfManaged(Path dir, List<String> hostnames) throws IOException, GeneralSecurityException {
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        Path chain = dir.resolve("server.pem");
        Path key = dir.resolve("server-key.pem");
        if (Files.exists(ca) && Files.exists(chain) && Files.exists(key)) {
            return new TlsMaterial(chain, key, ca);
        }
        Files.createDirectories(dir);
        try {
            KeyPair caPair = ecKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=Open Marking private CA " + now.getEpochSecond() + ",O=Open Marking");
            JcaX509v3CertificateBuilder cab = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), caName, caPair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            cab.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            cab.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            cab.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caPair.getPublic()));
            X509Certificate caCert = sign(cab.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caPair.getPrivate())));

            KeyPair serverPair = ecKeyPair();
            JcaX509v3CertificateBuilder sb = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(397))), new X500Name("CN=" + hostnames.get(0)), serverPair.getPublic());
            sb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            sb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            sb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            sb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            sb.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hostnames));
            X509Certificate serverCert = sign(sb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caPair.getPrivate())));

            OwnerOnlyFiles.write(caKey, pem(new JcaPKCS8Generator(caPair.getPrivate(), null)));
            OwnerOnlyFiles.write(key, pem(new JcaPKCS8Generator(serverPair.getPrivate(), null)));
            Files.writeString(ca, pem(caCert));
            Files.writeString(chain, pem(serverCert) + pem(caCert));
            LOG.info("created a private CA and a server certificate for " + hostnames + " in " + dir);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        return new TlsMaterial(chain, key, ca);
    }

    /** The SHA-256 fingerprint of the CA certificate, as colon-separated hex. */
    public String caFingerprint() throws IOException, GeneralSecurityException {
        return fingerprint(caCert);
    }

    public static String fingerprint(Path pemCert) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pemCert)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        }
    }

    private static GeneralNames subjectAltNames(List<String> hostnames) {
        List<GeneralName> names = new ArrayList<>();
        for (String h : hostnames) {
            boolean ip = h.matches("[0-9.]+") || h.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, ip ? literalIp(h) : h.toLowerCase(Locale.ROOT)));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static String literalIp(String h) {
        try {
            return InetAddress.getByName(h).getHostAddress(); // a literal: no lookup happens
        } catch (IOException e) {
            throw new IllegalArgumentException("tlsHostnames: '" + h + "' is not an IP address");
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom());
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
