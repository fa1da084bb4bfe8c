package io.leadscore.server;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.leadscore.server.grpc.RequestValidator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's structure as rules: arrows point down, from the composition root through the gRPC edge, operations
 * and features to the lead kernel and the store, with no package cycle anywhere (the event-store module included,
 * it is on the class path). Only the edge speaks gRPC and the proto contract; features return records it maps.
 */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the event-store module's test jar (its shared test extension) is on the class path too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.leadscore.server");

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("io.leadscore.server.(**)").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void arrowsPointDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Root").definedBy("io.leadscore.server")
                .layer("Edge").definedBy("..server.grpc..")
                .layer("Operations").definedBy("..server.sla..", "..server.metrics..", "..server.logging..")
                .layer("Features").definedBy("..server.readside..", "..server.backtest..", "..server.analytics..")
                .layer("History").definedBy("..server.replay..", "..server.model.catalog..")
                .layer("AxonConfiguration").definedBy("..server.axon..")
                .layer("Kernel").definedBy("..server.lead..", "..server.scoring..", "..server.model",
                                           "..server.privacy..", "..server.common..")
                .layer("Store").definedBy("..server.eventstore..", "..server.storage..")
                .whereLayer("Root").mayNotBeAccessedByAnyLayer()
                .whereLayer("Edge").mayOnlyBeAccessedByLayers("Root")
                .whereLayer("AxonConfiguration").mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Operations").mayOnlyBeAccessedByLayers("Root", "Edge")
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Root", "Edge", "Operations")
                .whereLayer("History").mayOnlyBeAccessedByLayers("Root", "Edge", "Operations", "Features")
                .whereLayer("Kernel").mayOnlyBeAccessedByLayers("Root", "Edge", "Operations", "Features", "History",
                                                               "AxonConfiguration")
                .check(SERVER);
    }

    @Test
    void onlyTheEdgeSpeaksTheProtos() {
        noClasses().that().resideOutsideOfPackage("..server.grpc..")
                   .should().dependOnClassesThat().resideInAPackage("io.leadscore.v1..")
                   .because("only the edge (grpc/) maps to and from the proto contract")
                   .check(SERVER);
    }

    @Test
    void statusesAreChosenInOnePlace() {
        noClasses().that().resideOutsideOfPackage("..server.grpc.status..")
                   .should().callMethodWhere(JavaCall.Predicates.target(AccessTarget.Predicates.declaredIn(
                                   io.grpc.Status.class))
                           .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching(
                                   "withDescription|augmentDescription|withCause|asRuntimeException|asException"
                                   + "|fromCode|fromCodeValue"))))
                   .orShould().callMethodWhere(JavaCall.Predicates.target(AccessTarget.Predicates.declaredIn(
                                   io.grpc.Status.Code.class))
                           .and(JavaCall.Predicates.target(HasName.Predicates.name("toStatus"))))
                   // the constants (Status.UNAVAILABLE, ...): a status chosen by reading one
                   .orShould().accessFieldWhere(JavaAccess.Predicates.target(
                           AccessTarget.Predicates.declaredIn(io.grpc.Status.class)
                                   .and(HasName.Predicates.nameMatching("[A-Z_]+"))))
                   .orShould().callConstructor(io.grpc.StatusRuntimeException.class, io.grpc.Status.class)
                   .orShould().callConstructor(io.grpc.StatusRuntimeException.class, io.grpc.Status.class,
                                               io.grpc.Metadata.class)
                   .orShould().dependOnClassesThat().belongToAnyOf(io.grpc.protobuf.StatusProto.class)
                   .because("grpc/status/GrpcErrors is the one table from an error to the status a caller sees")
                   .check(SERVER);
    }

    @Test
    void eachRequestIsValidatedInTheRequestsClassOfItsService() {
        noClasses().that().doNotBelongToAnyOf(RequestValidator.class)
                   .and().haveSimpleNameNotEndingWith("Requests")
                   .should().callMethod(RequestValidator.class, "invalid", String.class, String.class)
                   .because("a request is refused in one place, its service's *Requests class, or in the field "
                            + "checks of RequestValidator those share")
                   .check(SERVER);
        noClasses().that().haveSimpleNameEndingWith("GrpcService")
                   .should().dependOnClassesThat().belongToAnyOf(RequestValidator.class)
                   .because("a handler reads its request through its service's *Requests class, then does its work")
                   .check(SERVER);
    }

    @Test
    void theReadSideAndTheFeaturesSpeakNoGrpc() {
        noClasses().that().resideInAnyPackage("..server.readside..", "..server.backtest..", "..server.analytics..",
                                              "..server.replay..", "..server.sla..")
                   .should().dependOnClassesThat().resideInAnyPackage("io.grpc..")
                   .check(SERVER);
    }

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
                   .should().dependOnClassesThat().resideInAnyPackage("..server.grpc..", "..server.axon..")
                   .because("the domain knows neither the edge nor the Axon configuration")
                   .check(SERVER);
    }

    @Test
    void theHistoryFeaturesReturnRecordsTheEdgeMaps() {
        noClasses().that().resideInAnyPackage("..server.replay..", "..server.backtest..", "..server.analytics..",
                                              "..server.readside..")
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
