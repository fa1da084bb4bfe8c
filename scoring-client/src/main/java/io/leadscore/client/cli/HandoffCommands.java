package io.leadscore.client.cli;

import io.leadscore.v1.AcceptLeadRequest;
import io.leadscore.v1.Bant;
import io.leadscore.v1.CloseLostRequest;
import io.leadscore.v1.CloseWonRequest;
import io.leadscore.v1.DisqualifyLeadRequest;
import io.leadscore.v1.GetStageHistoryResponse;
import io.leadscore.v1.LeadScore;
import io.leadscore.v1.RecordOpportunityRequest;
import io.leadscore.v1.RejectLeadRequest;
import io.leadscore.v1.StageChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

/** The sales handoff on the command line: accept, reject, disqualify, opportunity, won, lost, history. */
final class HandoffCommands {

    private HandoffCommands() {
    }

    /** Options every handoff command takes. */
    abstract static class Handoff extends LeadscoreSubcommand {
        @Parameters(index = "0", description = "Lead id.")
        String leadId;
        @Option(names = "--actor", required = true, description = "Who makes the transition.")
        String actor;

        void print(PrintWriter out, LeadScore score) {
            if (cli.json) {
                Output.json(out, score);
            } else {
                Output.scores(out, List.of(score));
            }
        }
    }

    @Command(name = "accept", description = "Accept an MQL: it becomes an SQL, with BANT.")
    static final class Accept extends Handoff {
        @Option(names = "--budget", required = true, description = "Budget.")
        String budget;
        @Option(names = "--authority", required = true, description = "Who decides.")
        String authority;
        @Option(names = "--need", required = true, description = "The need.")
        String need;
        @Option(names = "--timeline", required = true, description = "When they buy.")
        String timeline;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.acceptLead(
                    AcceptLeadRequest.newBuilder().setLeadId(leadId).setActor(actor)
                            .setBant(Bant.newBuilder().setBudget(budget).setAuthority(authority).setNeed(need)
                                         .setTimeline(timeline)).build()).getScore()));
        }
    }

    @Command(name = "reject", description = "Reject an MQL: it is recycled to nurture and can requalify.")
    static final class Reject extends Handoff {
        @Option(names = "--code", required = true, description = "Reason code, such as no_budget.")
        String reasonCode;
        @Option(names = "--reason", defaultValue = "", description = "Why, in words.")
        String reason;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.rejectLead(
                    RejectLeadRequest.newBuilder().setLeadId(leadId).setActor(actor).setReasonCode(reasonCode)
                                     .setReason(reason).build()).getScore()));
        }
    }

    @Command(name = "disqualify", description = "Take a lead out of the funnel.")
    static final class Disqualify extends Handoff {
        @Option(names = "--code", required = true, description = "Reason code, such as competitor.")
        String reasonCode;
        @Option(names = "--reason", defaultValue = "", description = "Why, in words.")
        String reason;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.disqualifyLead(
                    DisqualifyLeadRequest.newBuilder().setLeadId(leadId).setActor(actor).setReasonCode(reasonCode)
                                         .setReason(reason).build()).getScore()));
        }
    }

    @Command(name = "opportunity", description = "Open an opportunity for an SQL.")
    static final class Opportunity extends Handoff {
        @Option(names = "--amount", defaultValue = "0", description = "Amount in minor units (cents).")
        long amount;
        @Option(names = "--currency", defaultValue = "", description = "ISO 4217 currency, such as EUR.")
        String currency;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.recordOpportunity(
                    RecordOpportunityRequest.newBuilder().setLeadId(leadId).setActor(actor).setAmount(amount)
                                            .setCurrency(currency).build()).getScore()));
        }
    }

    @Command(name = "won", description = "Close the opportunity as won: the lead is a customer.")
    static final class Won extends Handoff {
        @Option(names = "--amount", defaultValue = "0", description = "Amount in minor units (cents).")
        long amount;
        @Option(names = "--currency", defaultValue = "", description = "ISO 4217 currency, such as EUR.")
        String currency;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.closeWon(
                    CloseWonRequest.newBuilder().setLeadId(leadId).setActor(actor).setAmount(amount)
                                   .setCurrency(currency).build()).getScore()));
        }
    }

    @Command(name = "lost", description = "Close the opportunity as lost: the lead is recycled.")
    static final class Lost extends Handoff {
        @Option(names = "--code", required = true, description = "Reason code, such as lost_to_competitor.")
        String reasonCode;
        @Option(names = "--reason", defaultValue = "", description = "Why, in words.")
        String reason;
        @Option(names = "--amount", defaultValue = "0", description = "Amount at stake in minor units.")
        long amount;
        @Option(names = "--currency", defaultValue = "", description = "ISO 4217 currency.")
        String currency;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.closeLost(
                    CloseLostRequest.newBuilder().setLeadId(leadId).setActor(actor).setReasonCode(reasonCode)
                                    .setReason(reason).setAmount(amount).setCurrency(currency).build()).getScore()));
        }
    }

    @Command(name = "reopen", description = "Bring a disqualified lead back into the funnel.")
    static final class Reopen extends Handoff {
        @Option(names = "--reason", defaultValue = "", description = "Why, in words.")
        String reason;

        @Override
        public Integer call() {
            return run((client, out) -> print(out, client.reopenLead(
                    io.leadscore.v1.ReopenLeadRequest.newBuilder().setLeadId(leadId).setActor(actor)
                                                     .setReason(reason).build()).getScore()));
        }
    }

    @Command(name = "history", description = "Every stage a lead entered, with what caused it.")
    static final class History extends LeadscoreSubcommand {
        @Parameters(index = "0", description = "Lead id.")
        String leadId;

        @Override
        public Integer call() {
            return run((client, out) -> {
                GetStageHistoryResponse response = client.getStageHistory(leadId);
                if (cli.json) {
                    Output.json(out, response);
                    return;
                }
                Table table = new Table("AT", "STAGE", "CAUSE", "ACTOR", "REASON", "DETAILS", "TOTAL", "MODEL");
                for (StageChange change : response.getChangesList()) {
                    String reason = (change.getReasonCode() + " " + change.getReason()).trim();
                    String model = change.getPreviousModelVersion().isEmpty() ? change.getModelVersion()
                            : change.getPreviousModelVersion() + " -> " + change.getModelVersion();
                    table.row(Output.instant(change.getAt()), change.getStage().name().replace("LEAD_STAGE_", ""),
                              change.getCause(), change.getActor().isEmpty() ? "-" : change.getActor(),
                              reason.isEmpty() ? "-" : reason, details(change), Output.number(change.getTotalScore()),
                              model.isEmpty() ? "-" : model);
                }
                table.print(out);
            });
        }

        /** What sales recorded with the change: BANT on acceptance, the deal amount on opportunities and closes. */
        static String details(StageChange change) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            if (change.hasBant()) {
                var bant = change.getBant();
                parts.add("budget " + bant.getBudget() + ", authority " + bant.getAuthority() + ", need "
                          + bant.getNeed() + ", timeline " + bant.getTimeline());
            }
            if (change.getAmount() > 0) {
                parts.add(String.format(java.util.Locale.ROOT, "%s %.2f", change.getCurrency(),
                                        change.getAmount() / 100.0));
            }
            return parts.isEmpty() ? "-" : String.join("; ", parts);
        }
    }
}
