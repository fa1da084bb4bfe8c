package io.leadscore.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The floors of the server that must not know the transport: the lead kernel, the pure scoring contract, the model
 * language and catalog, personal-data handling and the shared error vocabulary speak neither gRPC nor the proto
 * contract; only the edge (grpc/) maps to and from them. More rules join as issue 17 makes them true.
 */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.leadscore.server");

    @Test
    void theDomainFloorsSpeakNeitherGrpcNorTheProtos() {
        noClasses().that().resideInAnyPackage("..server.common..", "..server.lead..", "..server.scoring..",
                                              "..server.model..", "..server.privacy..")
                   .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "io.leadscore.v1..")
                   .because("only the edge (grpc/) speaks the transport and the proto contract")
                   .check(SERVER);
    }

    @Test
    void theDomainFloorsDependOnNothingOfTheEdge() {
        noClasses().that().resideInAnyPackage("..server.common..", "..server.lead..", "..server.scoring..",
                                              "..server.model..", "..server.privacy..")
                   .should().dependOnClassesThat().resideInAnyPackage("..server.grpc..", "..server.security..",
                                                                     "..server.overload..")
                   .check(SERVER);
    }

    @Test
    void theHistoryFeaturesReturnRecordsTheEdgeMaps() {
        noClasses().that().resideInAnyPackage("..server.replay..", "..server.backtest..", "..server.analytics..",
                                              "..server.watch..")
                   .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "io.leadscore.v1..",
                                                                     "..server.grpc..")
                   .because("features return records; only the edge (grpc/) maps them to and from the protos")
                   .check(SERVER);
    }

    @Test
    void theReplayKnowsNoFeatureThatReadsHistoryThroughIt() {
        noClasses().that().resideInAPackage("..server.replay..")
                   .should().dependOnClassesThat().resideInAnyPackage("..server.analytics..", "..server.backtest..")
                   .because("backtests and funnel reports depend on the replay, so the replay must not depend on them")
                   .check(SERVER);
        noClasses().that().resideInAPackage("..server.analytics..")
                   .should().dependOnClassesThat().resideInAPackage("..server.backtest..")
                   .because("funnel reports and backtests share only the replay and common math")
                   .check(SERVER);
    }
}
