package io.leadscore.server.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link PreviousVersionStoreWriter} through Surefire, which has the test classpath at hand offline (the exec
 * plugin may not be in the local repository). Never part of a build: its name matches none of Surefire's patterns,
 * and it does nothing unless asked for by name with the property set, from the repository root:
 * <pre>
 * ./mvnw -B -o -q install -DskipTests
 * ./mvnw -B -o -pl scoring-server test -Dtest=PreviousVersionStoreWriterRun -Dleadscore.fuzz.skip=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dleadscore.writeStoreFixture=true
 * </pre>
 * {@code -Dleadscore.writeStoreFixture.args="--name NAME --allow-dirty"} passes the writer's options.
 */
class PreviousVersionStoreWriterRun {

    @Test
    @EnabledIfSystemProperty(named = "leadscore.writeStoreFixture", matches = "true")
    void writeAStoreFixture() throws Exception {
        String args = System.getProperty("leadscore.writeStoreFixture.args", "").strip();
        PreviousVersionStoreWriter.run(args.isEmpty() ? new String[0] : args.split("\\s+"));
    }
}
