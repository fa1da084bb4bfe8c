package io.leadscore.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code leadscore token}: credentials for a server's callers file. Works offline; nothing is sent anywhere. */
@Command(name = "token", description = "Create bearer tokens for the server's callers file.",
        subcommands = TokenCommand.New.class)
final class TokenCommand {

    @ParentCommand
    LeadscoreCli cli;

    @Command(name = "new", description = {
            "Print a new random token and the callers-file entry that admits it.",
            "Give the token to the caller (LEADSCORE_TOKEN or --token) and add the entry to the server's "
            + "--callers-file: the server stores only the token's SHA-256."})
    static final class New implements Callable<Integer> {

        private static final SecureRandom RANDOM = new SecureRandom();

        @ParentCommand
        TokenCommand token;
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "Who will use the token, such as crm-sync.")
        String name;

        @Option(names = "--role", required = true, split = ",",
                description = "Roles: reader, ingest, sales, admin (comma-separated or repeated).")
        List<String> roles;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (String role : roles) {
                if (!List.of("reader", "ingest", "sales", "admin").contains(role)) {
                    spec.commandLine().getErr().println("error: unknown role '" + role
                                                        + "': one of reader, ingest, sales, admin");
                    spec.commandLine().getErr().flush();
                    return 2;
                }
            }
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String value = "lsk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            String hash = sha256Hex(value);
            if (token.cli.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", name);
                json.put("roles", roles);
                json.put("token", value);
                json.put("token_sha256", hash);
                out.println(new ObjectMapper().writeValueAsString(json));
            } else {
                out.println("token (give it to " + name + "; it is shown only now):");
                out.println("  " + value);
                out.println("entry for the server's --callers-file:");
                out.println("  - name: " + name);
                out.println("    roles: [" + String.join(", ", roles) + "]");
                out.println("    token_sha256: " + hash);
            }
            out.flush();
            return 0;
        }

        static String sha256Hex(String value) throws NoSuchAlgorithmException {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
