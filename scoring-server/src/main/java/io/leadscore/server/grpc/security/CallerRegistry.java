package io.leadscore.server.grpc.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The callers a server knows, read from its callers file: each with roles and either the SHA-256 of a bearer token
 * or the common name of a client certificate. Tokens are never stored, only their hashes, and a presented token is
 * compared with every hash in constant time, so neither the file nor response times give a token away.
 *
 * <pre>
 * callers:
 *   - name: web-tracking
 *     roles: [ingest]
 *     token_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *   - name: crm-sync
 *     roles: [ingest, sales]
 *     certificate_cn: crm-sync
 * </pre>
 */
public final class CallerRegistry {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final List<TokenEntry> tokens;
    private final Map<String, Caller> byCertificateName;

    private CallerRegistry(List<TokenEntry> tokens, Map<String, Caller> byCertificateName) {
        this.tokens = List.copyOf(tokens);
        this.byCertificateName = Map.copyOf(byCertificateName);
    }

    private record TokenEntry(byte[] sha256, Caller caller) {
    }

    /** One entry of the file as written; validated by {@link #of}. */
    public record Entry(@JsonProperty("name") String name,
                        @JsonProperty("roles") List<String> roles,
                        @JsonProperty("token_sha256") String tokenSha256,
                        @JsonProperty("certificate_cn") String certificateCn) {
    }

    private record CallersFile(@JsonProperty("callers") List<Entry> callers) {
    }

    /** Reads and checks a callers file; every problem is reported with the entry it is in. */
    public static CallerRegistry load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        CallersFile parsed;
        try {
            parsed = yaml.readValue(file.toFile(), CallersFile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the callers file " + file + ": "
                                               + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (parsed == null || parsed.callers() == null || parsed.callers().isEmpty()) {
            throw new IllegalArgumentException("the callers file " + file + " lists no callers");
        }
        return of(parsed.callers());
    }

    /** A registry of {@code entries}, each checked: a name, known roles, and exactly one credential. */
    public static CallerRegistry of(List<Entry> entries) {
        List<TokenEntry> tokens = new ArrayList<>();
        Map<String, Caller> byCertificate = new java.util.HashMap<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String where = "callers[" + i + "]";
            if (entry.name() == null || entry.name().isBlank()) {
                throw new IllegalArgumentException(where + ".name: is required");
            }
            if (!names.add(entry.name())) {
                throw new IllegalArgumentException(where + ".name: '" + entry.name() + "' is listed twice");
            }
            if (entry.roles() == null || entry.roles().isEmpty()) {
                throw new IllegalArgumentException(where + ".roles: at least one of reader, ingest, sales, admin");
            }
            Set<Role> roles = new LinkedHashSet<>();
            for (String role : entry.roles()) {
                try {
                    roles.add(Role.named(role));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".roles: " + e.getMessage());
                }
            }
            Caller caller = new Caller(entry.name(), roles);
            boolean hasToken = entry.tokenSha256() != null;
            boolean hasCertificate = entry.certificateCn() != null;
            if (hasToken == hasCertificate) {
                throw new IllegalArgumentException(where + ": give exactly one of token_sha256 and certificate_cn");
            }
            if (hasToken) {
                String hex = entry.tokenSha256().trim().toLowerCase(java.util.Locale.ROOT);
                if (!SHA256_HEX.matcher(hex).matches()) {
                    throw new IllegalArgumentException(where + ".token_sha256: must be 64 hex digits (the SHA-256 "
                                                       + "of the token, as `leadscore token new` prints it)");
                }
                tokens.add(new TokenEntry(HexFormat.of().parseHex(hex), caller));
            } else {
                if (entry.certificateCn().isBlank()) {
                    throw new IllegalArgumentException(where + ".certificate_cn: must not be empty");
                }
                if (byCertificate.put(entry.certificateCn(), caller) != null) {
                    throw new IllegalArgumentException(where + ".certificate_cn: '" + entry.certificateCn()
                                                       + "' belongs to another caller too");
                }
            }
        }
        return new CallerRegistry(tokens, byCertificate);
    }

    /** The caller whose token this is. Every stored hash is compared, in constant time, whether or not one matched. */
    public Optional<Caller> byToken(String token) {
        byte[] presented = sha256(token);
        Caller found = null;
        for (TokenEntry entry : tokens) {
            if (MessageDigest.isEqual(entry.sha256(), presented)) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The caller named by a client certificate's common name (the certificate chain was verified by TLS). */
    public Optional<Caller> byCertificate(X500Principal subject) {
        return commonName(subject).map(byCertificateName::get);
    }

    /** Whether any caller is known by a bearer token (and so may come without a client certificate). */
    public boolean hasTokenCallers() {
        return !tokens.isEmpty();
    }

    /** How callers are known, for the start-up line: never a name or a hash. */
    public String describe() {
        return tokens.size() + " token caller(s), " + byCertificateName.size() + " certificate caller(s)";
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Optional<String> commonName(X500Principal subject) {
        try {
            return new LdapName(subject.getName(X500Principal.RFC2253)).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue).map(String::valueOf)
                    .reduce((first, last) -> last);
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
