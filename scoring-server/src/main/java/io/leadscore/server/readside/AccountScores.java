package io.leadscore.server.readside;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.model.ModelDefinition;
import io.leadscore.server.model.catalog.ActiveScoringModel;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Account-based views: an account's contacts rolled up as the active model says, plus the account's own fit from
 * firmographics, all as of now.
 */
public final class AccountScores {

    private final LeadScoreStore scores;
    private final LeadHistory history;
    private final ActiveScoringModel model;
    private final Clock clock;

    public AccountScores(LeadScoreStore scores, LeadHistory history, ActiveScoringModel model, Clock clock) {
        this.scores = scores;
        this.history = history;
        this.model = model;
        this.clock = clock;
    }

    /**
     * An account's score.
     *
     * @param contacts   the account's leads, scored as of now, highest total first
     * @param fit        the best firmographic fit among the contacts
     * @param engagement the contacts' engagement rolled up
     * @param rollup     how it was rolled up
     */
    public record AccountScore(String accountDomain, List<LeadSnapshot> contacts, double fit, double engagement,
                               String rollup) {

        public double total() {
            return fit + engagement;
        }
    }

    public AccountScore score(String accountDomain) {
        Instant now = clock.instant();
        List<LeadSnapshot> rows = scores.all().values().stream()
                                        .filter(lead -> accountDomain.equalsIgnoreCase(lead.accountDomain())).toList();
        if (rows.isEmpty()) {
            throw new LeadscoreException(ErrorCode.LEAD_NOT_FOUND, "account_domain", "no lead of this account is scored");
        }
        double fit = Double.NEGATIVE_INFINITY;
        java.util.List<LeadSnapshot> contacts = new java.util.ArrayList<>();
        for (LeadSnapshot row : rows) {
            Instant at = row.readableAt(now); // a contact dated ahead of the clock never fails its account
            contacts.add(history.score(row.leadId(), at, row.version()).lead());
            fit = Math.max(fit, model.current().firmographicFit(history.factsAsOf(row.leadId(), at, row.version())));
        }
        contacts.sort(Comparator.comparingDouble((LeadSnapshot lead) -> lead.score().total()).reversed()
                                .thenComparing(LeadSnapshot::leadId));
        ModelDefinition.Accounts accounts = model.current().accounts();
        List<Double> engagement = contacts.stream().map(lead -> lead.score().engagement())
                                          .sorted(Comparator.reverseOrder()).toList();
        double rolled = switch (accounts.rollup()) {
            case "sum" -> Math.min(accounts.cap(), engagement.stream().mapToDouble(Double::doubleValue).sum());
            case "top_n_average" -> engagement.stream().limit(accounts.topN()).mapToDouble(Double::doubleValue)
                                              .average().orElse(0);
            default -> engagement.get(0);
        };
        return new AccountScore(accountDomain, List.copyOf(contacts), fit, rolled, accounts.rollup());
    }
}
