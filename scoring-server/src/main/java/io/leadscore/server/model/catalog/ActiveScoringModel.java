package io.leadscore.server.model.catalog;

import io.leadscore.server.model.RuleBasedModel;
import io.leadscore.server.scoring.LeadFacts;
import io.leadscore.server.scoring.ScoreExplanation;
import io.leadscore.server.scoring.ScoringModel;

import java.time.Instant;

/**
 * The model every part of the server scores with: the aggregate, the projection and history queries. Publishing
 * swaps the delegate; callers never hold on to a model version themselves.
 */
public final class ActiveScoringModel implements ScoringModel {

    private volatile RuleBasedModel current;

    public ActiveScoringModel(RuleBasedModel initial) {
        this.current = initial;
    }

    public RuleBasedModel current() {
        return current;
    }

    public void switchTo(RuleBasedModel model) {
        this.current = model;
    }

    @Override
    public String version() {
        return current.version();
    }

    @Override
    public boolean informationQualified(LeadFacts facts) {
        return current.informationQualified(facts);
    }

    @Override
    public java.time.Duration mqlSla() {
        return current.mqlSla();
    }

    @Override
    public boolean recycleResetsEngagement() {
        return current.recycleResetsEngagement();
    }

    @Override
    public io.leadscore.server.scoring.BandScale bandScale() {
        return current.bandScale();
    }

    @Override
    public java.time.Duration recycleCoolDown() {
        return current.recycleCoolDown();
    }

    @Override
    public io.leadscore.server.scoring.ModelChangePolicy onModelChange() {
        return current.onModelChange();
    }

    @Override
    public ScoreExplanation explain(LeadFacts facts, Instant asOf) {
        return current.explain(facts, asOf);
    }

    @Override
    public io.leadscore.server.scoring.ScoreCard score(LeadFacts facts, Instant asOf) {
        return current.score(facts, asOf);
    }

    @Override
    public io.leadscore.server.scoring.EngagementTally newTally() {
        return current.newTally();
    }

    @Override
    public io.leadscore.server.scoring.ScoreCard score(LeadFacts facts, io.leadscore.server.scoring.EngagementTally tally,
                                                      Instant asOf) {
        return current.score(facts, tally, asOf);
    }

    @Override
    public ScoreExplanation explainInSums(LeadFacts facts, io.leadscore.server.scoring.EngagementTally tally,
                                          Instant asOf) {
        return current.explainInSums(facts, tally, asOf);
    }

    @Override
    public boolean keeps(io.leadscore.server.scoring.EngagementTally tally) {
        return current.keeps(tally);
    }
}
