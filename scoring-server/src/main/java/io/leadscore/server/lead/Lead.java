package io.leadscore.server.lead;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadSnapshot;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.RegisterLeadCommand;
import io.leadscore.server.lead.api.UpdateProfileCommand;
import io.leadscore.server.scoring.ScoreCard;
import io.leadscore.server.scoring.ScoringModel;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The event-sourced lead. Command handlers validate and apply; event sourcing handlers only fold into
 * {@link LeadState}. Every handler answers with the lead's score after the command.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Lead {

    @AggregateIdentifier
    private String leadId;
    private LeadState state = new LeadState();

    /** For Axon: aggregates are created empty and sourced from events. */
    public Lead() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(RegisterLeadCommand command, ScoringModel model) {
        if (state.isRegistered()) {
            if (sameDetails(state.registration(), command)) {
                return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot(model));
            }
            throw new LeadscoreException(ErrorCode.LEAD_ALREADY_EXISTS, "lead_id",
                                         "lead is already registered with different details");
        }
        apply(command.toEvent());
        return qualifyIfDue(model);
    }

    @CommandHandler
    public CommandOutcome handle(UpdateProfileCommand command, ScoringModel model) {
        apply(new ProfileUpdated(command.leadId(), command.profile(), command.updatedAt()));
        return qualifyIfDue(model);
    }

    @CommandHandler
    public CommandOutcome handle(RecordEngagementCommand command, ScoringModel model) {
        if (state.hasEngagement(command.engagement().eventId())) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot(model));
        }
        apply(new EngagementRecorded(command.leadId(), command.engagement()));
        return qualifyIfDue(model);
    }

    /** A retried registration repeats the details; its time may differ when the server chose it. */
    private static boolean sameDetails(LeadRegistered registered, RegisterLeadCommand command) {
        return registered.email().equals(command.email())
               && registered.accountDomain().equals(command.accountDomain())
               && registered.accountName().equals(command.accountName())
               && registered.channel().equals(command.channel())
               && registered.campaign().equals(command.campaign());
    }

    /** A lead that now meets the MQL rule becomes an MQL once; automatic transitions only move forward. */
    private CommandOutcome qualifyIfDue(ScoringModel model) {
        LeadSnapshot snapshot = state.snapshot(model);
        ScoreCard score = snapshot.score();
        if (score.qualifies() && state.stage() == LeadStage.LEAD) {
            apply(new LeadQualified(leadId, score.total(), score.modelVersion(), state.lastChangedAt()));
            snapshot = state.snapshot(model);
        }
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, snapshot);
    }

    @EventSourcingHandler
    void on(LeadRegistered event, @SequenceNumber long sequence) {
        leadId = event.leadId();
        state.apply(event, sequence);
    }

    @EventSourcingHandler
    void on(ProfileUpdated event, @SequenceNumber long sequence) {
        state.apply(event, sequence);
    }

    @EventSourcingHandler
    void on(EngagementRecorded event, @SequenceNumber long sequence) {
        state.apply(event, sequence);
    }

    @EventSourcingHandler
    void on(LeadQualified event, @SequenceNumber long sequence) {
        state.apply(event, sequence);
    }
}
