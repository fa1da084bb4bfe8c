package io.leadscore.server.privacy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.storage.MongoConnection;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.AdjustedPart;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.EraseLeadRequest;
import io.leadscore.v1.EraseLeadResponse;
import io.leadscore.v1.ExplainScoreRequest;
import io.leadscore.v1.ExplainScoreResponse;
import io.leadscore.v1.GetScoreRequest;
import io.leadscore.v1.GetStageHistoryRequest;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.Profile;
import io.leadscore.v1.UpdateProfileRequest;
import io.leadscore.v1.RecordEngagementRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.ReopenLeadRequest;
import io.leadscore.v1.ScoreLine;
import io.leadscore.v1.StageChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.leadscore.server.StatusCodes.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GDPR erasure by crypto-shredding, end to end: personal values never reach the data directory in clear, erasure
 * makes them unreadable everywhere while scores and stages stay, and a restarted server (projections rebuilt from
 * the events) shows the same.
 */
class ErasureEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    // Distinctive values, so that a byte search cannot match anything else in the store.
    private static final String EMAIL = "ada.lovelace.q7x3k@analytical-engines.example";
    private static final String NAME = "Ada Lovelace-Q7X3K";
    private static final String ADJUSTMENT_REASON = "called Ada on her mobile 0170-9931-q7x3k";
    private static final String DISQUALIFY_REASON = "Ada moved to Zurich q7x3k";
    private static final String JOB_TITLE = "VP Analytical Engines q7x3k";
    private static final String ACCOUNT_NAME = "Lovelace Analytical Engines Q7X3K Ltd";
    private static final String OTHER_EMAIL = "grace.hopper.w2m9p@cobol.example";
    private static final String OTHER_REASON = "Grace asked for a call back w2m9p";

    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withClockStoppedAt(NOW);

    @Test
    void anErasedLeadsPersonalDataIsUnreadableEverywhereWhileItsScoreAndStagesStay() {
        register("ada", EMAIL, NAME);
        register("grace", OTHER_EMAIL, "Grace Hopper");
        for (String lead : List.of("ada", "grace")) {
            leadscore.leads().recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                    Engagement.newBuilder().setLeadId(lead).setEventId("pricing-1").setType("page_view")
                              .putAttributes("page_category", "pricing").setOccurredAt(at(NOW.minusSeconds(60))))
                                                                      .build());
        }
        adjust("ada", ADJUSTMENT_REASON);
        // Past the snapshot threshold, so that a snapshot of the aggregate (its state, with the registration and
        // the reasons) is stored too, and searched below.
        for (int i = 0; i < 110; i++) {
            leadscore.leads().recordEngagement(RecordEngagementRequest.newBuilder().setEngagement(
                    Engagement.newBuilder().setLeadId("ada").setEventId("view-" + i).setType("page_view")
                              .setOccurredAt(at(NOW.minusSeconds(30)))).build());
        }
        awaitSnapshot("ada");
        adjust("grace", OTHER_REASON);
        leadscore.leads().disqualifyLead(DisqualifyLeadRequest.newBuilder().setLeadId("ada").setActor("sam@sales")
                                                              .setReasonCode("moved").setReason(DISQUALIFY_REASON)
                                                              .build());
        // The command's reply, not GetScore, whose projection may not have caught up yet.
        LeadScore before = leadscore.leads().reopenLead(ReopenLeadRequest.newBuilder().setLeadId("ada")
                                                                 .setActor("sam@sales").build()).getScore();

        // Before erasure the reasons are shown as written: they are sealed at rest, not lost.
        assertThat(notes("ada")).anyMatch(note -> note.contains(ADJUSTMENT_REASON));
        assertThat(reasons("ada")).contains(DISQUALIFY_REASON);
        byte[] adasKey = leadscore.server().internals().personalData().currentKey("ada").orElseThrow();
        EraseLeadResponse erased = leadscore.leads().eraseLead(
                EraseLeadRequest.newBuilder().setLeadId("ada").setActor("dpo@company").build());
        assertThat(erased.getAlreadyErased()).isFalse();
        assertThat(erased.getScore().getTotalScore()).isEqualTo(before.getTotalScore());
        assertThat(erased.getScore().getStage()).isEqualTo(before.getStage());
        long erasedVersion = erased.getScore().getVersion();

        assertErasedButScored(before, erasedVersion);
        assertThat(leadscore.leads().eraseLead(EraseLeadRequest.newBuilder().setLeadId("ada").setActor("dpo@company")
                                                               .build()).getAlreadyErased()).isTrue();
        // The erased lead takes nothing new, personal or not; the other lead is untouched.
        assertThat(codeOf(() -> register("ada", EMAIL, NAME))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(codeOf(() -> adjust("ada", "again"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(codeOf(() -> leadscore.leads().eraseLead(EraseLeadRequest.newBuilder().setLeadId("nobody")
                                                          .setActor("dpo@company").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> leadscore.leads().eraseLead(EraseLeadRequest.newBuilder().setLeadId("grace").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(notes("grace")).anyMatch(note -> note.contains(OTHER_REASON));
        // A repeated registration of the other lead is still recognised: its sealed e-mail opens.
        assertThat(register("grace", OTHER_EMAIL, "Grace Hopper")).isTrue();
        leadscore.stop();

        // Nothing personal in clear anywhere under the data directory: store file, snapshots, projections, keys.
        for (String secret : List.of(EMAIL, NAME, ADJUSTMENT_REASON, DISQUALIFY_REASON, OTHER_EMAIL, OTHER_REASON)) {
            assertThat(filesContaining(leadscore.dataDir(), secret)).as("files holding \"%s\"", secret).isEmpty();
        }

        // Nor the erased key in any form it could be stored or logged in: raw (as BSON binary), base64, hex. Freed
        // pages count: a clean shutdown leaves them in the file, and they would open every sealed value above.
        for (Map.Entry<String, byte[]> form : storedForms(adasKey).entrySet()) {
            assertThat(filesContaining(leadscore.dataDir(), form.getValue()))
                    .as("files holding the erased key (%s)", form.getKey()).isEmpty();
        }

        // The sealed values are in the store, and only the erased lead's no longer open.
        List<String> sealedOfAda = sealedValuesOf("ada");
        List<String> sealedOfGrace = sealedValuesOf("grace");
        assertThat(sealedOfAda).hasSizeGreaterThanOrEqualTo(3);
        try (MongoConnection connection = MongoConnection.embedded(leadscore.dataDir())) {
            PersonalDataVault vault = PersonalDataVault.on(connection, 10);
            assertThat(sealedOfAda).allSatisfy(value -> assertThat(vault.reveal(value))
                    .isEqualTo(Erased.VALUE));
            assertThat(sealedOfGrace.stream().map(vault::reveal)).contains(OTHER_EMAIL, OTHER_REASON)
                                                                 .doesNotContain(Erased.VALUE);
        }

        // After a restart that rebuilds the projections from the events, the same: scored, not readable.
        leadscore.start(config -> config.withRebuildProjections(true));
        assertErasedButScored(before, erasedVersion);
        assertThat(notes("grace")).anyMatch(note -> note.contains(OTHER_REASON));
    }

    /**
     * The job title and the company name are personal: with the company they name one person. Fit rules read the
     * title while the key exists; from the erasure on it is unknown to every model, so the title's points go (the
     * company size's stay) and the stages recorded while it scored stay, live and after a rebuild alike.
     */
    @Test
    void anErasedLeadsJobTitleAndCompanyNameAreUnreadableAndItsTitleNoLongerScores() {
        assertThat(registerAtAccount("ada", ACCOUNT_NAME)).isFalse();
        assertThat(registerAtAccount("ada", ACCOUNT_NAME)).as("the sealed company name opens").isTrue();
        LeadScore profiled = leadscore.leads().updateProfile(UpdateProfileRequest.newBuilder().setLeadId("ada")
                .setProfile(Profile.newBuilder().setJobTitle(JOB_TITLE).setCompanySize(2000))
                .setUpdatedAt(at(NOW.minusSeconds(1800))).build()).getScore();
        // vp_title (15) and enterprise (15); title and size known make the lead an IQL.
        assertThat(profiled.getFitScore()).isEqualTo(30.0);
        assertThat(profiled.getStage()).isEqualTo(io.leadscore.v1.LeadStage.LEAD_STAGE_IQL);
        assertThat(notes("ada")).anyMatch(note -> note.contains(JOB_TITLE));

        LeadScore erased = leadscore.leads().eraseLead(EraseLeadRequest.newBuilder().setLeadId("ada")
                                                                       .setActor("dpo@company").build()).getScore();
        assertThat(erased.getFitScore()).as("enterprise only").isEqualTo(15.0);
        assertThat(erased.getStage()).isEqualTo(io.leadscore.v1.LeadStage.LEAD_STAGE_IQL);
        assertTitleNoLongerScores(erased.getVersion());
        leadscore.stop();

        for (String secret : List.of(JOB_TITLE, ACCOUNT_NAME)) {
            assertThat(filesContaining(leadscore.dataDir(), secret)).as("files holding \"%s\"", secret).isEmpty();
        }
        leadscore.start(config -> config.withRebuildProjections(true));
        assertTitleNoLongerScores(0);
    }

    private void assertTitleNoLongerScores(long erasedVersion) {
        await("the projection reached the erasure").atMost(Duration.ofSeconds(10))
                .until(() -> score("ada").getVersion() >= erasedVersion);
        LeadScore after = score("ada");
        assertThat(after.getFitScore()).isEqualTo(15.0);
        assertThat(after.getStage()).isEqualTo(io.leadscore.v1.LeadStage.LEAD_STAGE_IQL);
        assertThat(notes("ada")).noneMatch(note -> note.contains(JOB_TITLE) || note.contains("sealed:"));
    }

    private boolean registerAtAccount(String leadId, String accountName) {
        return leadscore.leads().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(EMAIL)
                                                                 .setName(NAME).setAccountDomain("example.org")
                                                                 .setAccountName(accountName)
                                                                 .setRegisteredAt(at(NOW.minusSeconds(3600))).build())
                                .getAlreadyRegistered();
    }

    private void assertErasedButScored(LeadScore before, long erasedVersion) {
        await("the projection reached the erasure").atMost(Duration.ofSeconds(10))
                .until(() -> score("ada").getVersion() >= erasedVersion);
        LeadScore after = score("ada");
        assertThat(after.getTotalScore()).isEqualTo(before.getTotalScore());
        assertThat(after.getStage()).isEqualTo(before.getStage());
        List<String> notes = notes("ada");
        assertThat(notes).noneMatch(note -> note.contains(ADJUSTMENT_REASON) || note.contains("sealed:"))
                         .anyMatch(note -> note.contains(Erased.VALUE));
        assertThat(reasons("ada")).doesNotContain(DISQUALIFY_REASON).contains(Erased.VALUE);
    }

    private void awaitSnapshot(String leadId) {
        await("a snapshot of " + leadId + " was stored").atMost(Duration.ofSeconds(10))
                .until(() -> leadscore.server().internals().engine().readSnapshot(leadId).isPresent());
    }

    /** Registers; true when the lead was already registered with the same details. */
    private boolean register(String leadId, String email, String name) {
        return leadscore.leads().registerLead(RegisterLeadRequest.newBuilder().setLeadId(leadId).setEmail(email)
                                                                 .setName(name).setAccountDomain("example.org")
                                                                 .setRegisteredAt(at(NOW.minusSeconds(3600))).build())
                                .getAlreadyRegistered();
    }

    private void adjust(String leadId, String reason) {
        leadscore.leads().adjustScore(AdjustScoreRequest.newBuilder().setLeadId(leadId).setAdjustmentId("adj-1")
                                                        .setPoints(7).setPart(AdjustedPart.ADJUSTED_PART_ENGAGEMENT)
                                                        .setActor("sam@sales").setReason(reason).build());
    }

    private LeadScore score(String leadId) {
        return leadscore.scores().getScore(GetScoreRequest.newBuilder().setLeadId(leadId).build()).getScore();
    }

    private List<String> notes(String leadId) {
        ExplainScoreResponse explained = leadscore.scores().explainScore(
                ExplainScoreRequest.newBuilder().setLeadId(leadId).build());
        return explained.getLinesList().stream().map(ScoreLine::getNote).toList();
    }

    private List<String> reasons(String leadId) {
        return leadscore.scores().getStageHistory(GetStageHistoryRequest.newBuilder().setLeadId(leadId).build())
                                 .getChangesList().stream().map(StageChange::getReason).toList();
    }

    /** The distinct sealed values of one lead found anywhere in the data directory's bytes. */
    private List<String> sealedValuesOf(String leadId) {
        String owner = java.util.Base64.getUrlEncoder().withoutPadding()
                                       .encodeToString(leadId.getBytes(StandardCharsets.UTF_8));
        java.util.regex.Pattern sealed = java.util.regex.Pattern.compile(
                "sealed:v1:" + owner + ":[A-Za-z0-9_-]+");
        try (Stream<Path> files = Files.walk(leadscore.dataDir())) {
            return files.filter(Files::isRegularFile)
                        .flatMap(file -> sealed.matcher(new String(read(file), StandardCharsets.ISO_8859_1))
                                               .results().map(java.util.regex.MatchResult::group))
                        .distinct().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code dir} whose bytes contain {@code text} in UTF-8. */
    static List<Path> filesContaining(Path dir, String text) {
        return filesContaining(dir, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The forms a key's bytes take where they are stored or written out. */
    private static Map<String, byte[]> storedForms(byte[] key) {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        forms.put("raw", key);
        forms.put("base64", java.util.Base64.getEncoder().encode(key));
        forms.put("base64url", java.util.Base64.getUrlEncoder().withoutPadding().encode(key));
        forms.put("hex", java.util.HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
        return forms;
    }

    /** Every file under {@code dir} whose bytes contain {@code needle}. */
    static List<Path> filesContaining(Path dir, byte[] needle) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> contains(read(file), needle)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }
}
