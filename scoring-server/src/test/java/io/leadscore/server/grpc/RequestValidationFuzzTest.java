package io.leadscore.server.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.v1.AdjustScoreRequest;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.ImportOutcomeRequest;
import io.leadscore.v1.RegisterLeadRequest;
import io.leadscore.v1.UpdateProfileRequest;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes request validation with arbitrary wire bytes read as each request message: a request is either accepted
 * and then maps to its internal record without failing, or refused as {@code INVALID_ARGUMENT} naming a field of that
 * request. Anything else (another exception, a refusal without a field) is a finding. Bounded by surefire execution
 * {@code fuzz-request-validation} in {@code ./mvnw verify}.
 */
class RequestValidationFuzzTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final RequestValidator validator = new RequestValidator(CLOCK);
    private final LeadRequests leads = new LeadRequests(validator, CLOCK);

    @FuzzTest(maxDuration = "45s")
    void everyRequestIsAcceptedWholeOrRefusedNamingAField(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] message = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch (Math.floorMod(input[0], 5)) {
                case 0 -> {
                    Engagement engagement = Engagement.parseFrom(message);
                    if (accepted(() -> validator.validate(engagement, "engagement"), "engagement")) {
                        assertThat(LeadMessages.toFact(engagement).eventId()).isEqualTo(engagement.getEventId());
                    }
                }
                case 1 -> {
                    RegisterLeadRequest request = RegisterLeadRequest.parseFrom(message);
                    if (accepted(() -> leads.registerLead(request), "")) {
                        assertThat(leads.registerLead(request).leadId()).isEqualTo(request.getLeadId());
                    }
                }
                case 2 -> {
                    UpdateProfileRequest request = UpdateProfileRequest.parseFrom(message);
                    accepted(() -> validator.validate(request.getProfile(), "profile"), "profile");
                }
                case 3 -> {
                    AdjustScoreRequest request = AdjustScoreRequest.parseFrom(message);
                    accepted(() -> leads.adjustScore(request), "");
                }
                default -> {
                    ImportOutcomeRequest request = ImportOutcomeRequest.parseFrom(message);
                    accepted(() -> leads.importOutcome(request), "");
                }
            }
        } catch (InvalidProtocolBufferException notAMessage) {
            // gRPC refuses bytes that are no message before any handler runs.
        }
    }

    /** Runs a validation: true when it passes; a refusal must be INVALID_ARGUMENT naming a field under {@code prefix}. */
    private static boolean accepted(Runnable validation, String prefix) {
        try {
            validation.run();
            return true;
        } catch (LeadscoreException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(refused.field()).isNotEmpty().startsWith(prefix);
            assertThat(refused.reason()).isNotEmpty();
            return false;
        }
    }
}
