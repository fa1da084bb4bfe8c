package io.leadscore.server.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.leadscore.server.scoring.FitProfile;
import io.leadscore.server.scoring.LeadFacts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the model language: any document either becomes a model that scores a lead, or is refused with
 * {@link ModelDocumentException} listing at least one problem with a path. Any other exception, a hang or a stack
 * overflow is a finding. {@code ./mvnw verify} replays the seeds (the default model among them) and then fuzzes for a
 * bounded time (surefire execution {@code fuzz-model-parser}); findings are written beside the seeds.
 */
class ModelParserFuzzTest {

    private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

    @FuzzTest(maxDuration = "45s")
    void everyDocumentIsAModelOrAListOfProblems(byte[] input) {
        String document = new String(input, StandardCharsets.UTF_8);
        ModelDefinition definition;
        try {
            definition = ModelParser.parse(document);
        } catch (ModelDocumentException refused) {
            assertThat(refused.problems()).isNotEmpty();
            return;
        }
        RuleBasedModel model = new RuleBasedModel(definition);
        LeadFacts facts = new LeadFacts("acme.com", "acme.com", FitProfile.EMPTY, List.of(), List.of());
        assertThat(model.score(facts, AS_OF)).isNotNull();
    }
}
