package io.leadscore.server.grpc.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A throwaway certificate authority for TLS tests: PEM files for a CA, a server and clients, made at test time. */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    /** A new CA named {@code name}, writing its files under {@code dir}. */
    TestCertificates(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.caKeys = keyPair();
        this.caCertificate = sign(new X500Name("CN=" + name), caKeys, true, null);
        write(caFile(), pem("CERTIFICATE", encoded(caCertificate)));
    }

    Path caFile() {
        return dir.resolve(name + "-ca.pem");
    }

    /** A certificate for {@code commonName}, valid for localhost and 127.0.0.1: returns {certificate, key} files. */
    Path[] issue(String commonName) {
        KeyPair keys = keyPair();
        X509Certificate certificate = sign(new X500Name("CN=" + commonName + ",O=Leadscore tests"), keys, false,
                                           new GeneralNames(new GeneralName[] {
                                                   new GeneralName(GeneralName.dNSName, "localhost"),
                                                   new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        Path cert = dir.resolve(name + "-" + commonName + ".pem");
        Path key = dir.resolve(name + "-" + commonName + ".key");
        write(cert, pem("CERTIFICATE", encoded(certificate)));
        write(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Path[] {cert, key};
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, boolean ca, GeneralNames alternativeNames) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    ca ? subject : new X500Name(caCertificate.getSubjectX500Principal().getName()),
                    BigInteger.valueOf(SERIAL.getAndIncrement()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            PrivateKey signer = ca ? keys.getPrivate() : caKeys.getPrivate();
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
               + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
