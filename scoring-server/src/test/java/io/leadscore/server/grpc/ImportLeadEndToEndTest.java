package io.leadscore.server.grpc;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.leadscore.server.InProcessLeadscore;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.GetScoreAtRequest;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.ImportLeadRequest;
import io.leadscore.v1.ImportLeadResponse;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.LeadStage;
import io.leadscore.v1.Outcome;
import io.leadscore.v1.Profile;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.StageChange;
import io.leadscore.v1.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static io.leadscore.server.StatusCodes.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A lead's imported history is stored whole or not at all, and counted as stored. */
class ImportLeadEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant REGISTERED = Instant.parse("2025-03-01T09:00:00Z");

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    private static Timestamp at(Instant instant) {
        return InProcessLeadscore.timestamp(instant);
    }

    /** A CRM row: registered, a VP at a 300-person company, a demo and a pricing visit, then a won deal. */
    private static ImportLeadRequest.Builder crmRow(String leadId, String currency) {
        return ImportLeadRequest.newBuilder()
                .setRegistration(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(leadId + "@acme.com")
                                                    .setChannel("paid_search").setRegisteredAt(at(REGISTERED)))
                .setProfile(UpdateProfileRequest.newBuilder().setLeadId(leadId)
                                                .setUpdatedAt(at(REGISTERED.plusSeconds(60)))
                                                .setProfile(Profile.newBuilder().setJobTitle("VP Sales")
                                                                   .setSeniority(io.leadscore.v1.Seniority.SENIORITY_VP)
                                                                   .setCompanySize(300).setCountry("DE")))
                .addEngagements(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-demo")
                                          .setType("demo_requested").setOccurredAt(at(REGISTERED.plusSeconds(120))))
                .addEngagements(Engagement.newBuilder().setLeadId(leadId).setEventId(leadId + "-pricing")
                                          .setType("page_view").putAttributes("page_category", "pricing")
                                          .setOccurredAt(at(REGISTERED.plusSeconds(180))))
                .addOutcomes(ImportOutcomeRequest.newBuilder().setLeadId(leadId).setOutcome(Outcome.OUTCOME_WON)
                                                 .setOccurredAt(at(REGISTERED.plusSeconds(86_400)))
                                                 .setAmount(1_000_000).setCurrency(currency).setSource("crm"));
    }

    @Test
    void aLeadRefusedPartWayStoresNothingAndNamesTheField() throws Exception {
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> leadscore.leads().importLead(crmRow("hs-1", "XYZ").build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(StatusProto.fromThrowable(refused).getDetailsList().get(0).unpack(BadRequest.class)
                              .getFieldViolations(0).getField()).isEqualTo("outcomes[0].currency");
        assertThat(codeOf(() -> leadscore.scores().getScoreAt(GetScoreAtRequest.newBuilder().setLeadId("hs-1")
                                                                                 .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aLeadWhoseRegistrationDiffersFromTheStoredOneStoresNothingOfTheRest() {
        leadscore.leads().registerLead(RegisterLeadRequest.newBuilder().setLeadId("hs-2").setEmail("other@acme.com")
                                                          .setRegisteredAt(at(REGISTERED)).build());

        assertThatThrownBy(() -> leadscore.leads().importLead(crmRow("hs-2", "EUR").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
        assertThat(leadscore.scores().getScoreAt(GetScoreAtRequest.newBuilder().setLeadId("hs-2").build())
                            .getScore().getVersion())
                .isZero();
    }

    @Test
    void aWholeLeadIsStoredInItsOwnOrderOnceAndAgainChangesNothing() {
        ImportLeadResponse first = leadscore.leads().importLead(crmRow("hs-3", "EUR").build());
        ImportLeadResponse again = leadscore.leads().importLead(crmRow("hs-3", "EUR").build());

        // registration, profile, IQL, demo, pricing, MQL, won
        assertThat(first.getEventsStored()).isEqualTo(7);
        assertThat(first.getScore().getStage()).isEqualTo(LeadStage.LEAD_STAGE_CUSTOMER);
        assertThat(again.getEventsStored()).isZero();
        assertThat(leadscore.scores().getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId("hs-3").build())
                                     .getChangesList()).extracting(StageChange::getStage)
                .containsExactly(LeadStage.LEAD_STAGE_LEAD, LeadStage.LEAD_STAGE_IQL, LeadStage.LEAD_STAGE_MQL,
                                 LeadStage.LEAD_STAGE_CUSTOMER);
    }
}
