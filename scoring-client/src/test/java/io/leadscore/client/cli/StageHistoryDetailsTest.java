package io.leadscore.client.cli;

import io.leadscore.v1.Bant;
import io.leadscore.v1.StageChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** `leadscore history` shows what sales recorded with each change, not only that it happened. */
class StageHistoryDetailsTest {

    @Test
    void anAcceptanceShowsItsBantAndAnOpportunityItsAmount() {
        StageChange accepted = StageChange.newBuilder().setCause("accept").setBant(Bant.newBuilder()
                .setBudget("50k").setAuthority("VP Sales").setNeed("pipeline").setTimeline("Q3")).build();
        StageChange opportunity = StageChange.newBuilder().setCause("open_opportunity").setAmount(5_000_050)
                                             .setCurrency("EUR").build();

        assertThat(HandoffCommands.History.details(accepted))
                .isEqualTo("budget 50k, authority VP Sales, need pipeline, timeline Q3");
        assertThat(HandoffCommands.History.details(opportunity)).isEqualTo("EUR 50000.50");
        assertThat(HandoffCommands.History.details(StageChange.newBuilder().setCause("model").build())).isEqualTo("-");
    }

    @Test
    void versionsAreNamedAsIdAtAPositiveVersion() {
        assertThat(ModelCommand.VersionName.parse("default@2")).isEqualTo(new ModelCommand.VersionName("default", 2));
        assertThat(ModelCommand.VersionName.parse("default@x")).isNull();
        assertThat(ModelCommand.VersionName.parse("default@-1")).isNull();
        assertThat(ModelCommand.VersionName.parse("@1")).isNull();
    }
}
