package io.leadscore.server.lead;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import io.leadscore.server.lead.api.AdjustScoreCommand;
import io.leadscore.server.lead.api.ApplyModelChangeCommand;
import io.leadscore.server.lead.api.ImportLeadCommand;
import io.leadscore.server.lead.api.LeadRestaged;
import io.leadscore.server.scoring.ModelChangePolicy;
import java.time.Instant;
import io.leadscore.server.lead.api.EraseLeadCommand;
import io.leadscore.server.lead.api.LeadErased;
import io.leadscore.server.lead.api.LeadEvent;
import io.leadscore.server.privacy.PersonalDataOwner;
import io.leadscore.server.privacy.PersonalDataReader;
import io.leadscore.server.lead.api.CheckSlaCommand;
import io.leadscore.server.lead.api.CommandOutcome;
import io.leadscore.server.lead.api.SlaBreached;
import io.leadscore.server.lead.api.EngagementRecorded;
import io.leadscore.server.lead.api.LeadInformationQualified;
import io.leadscore.server.lead.api.LeadQualified;
import io.leadscore.server.lead.api.LeadRegistered;
import io.leadscore.server.lead.api.LeadStage;
import io.leadscore.server.lead.api.ImportOutcomeCommand;
import io.leadscore.server.lead.api.OutcomeImported;
import io.leadscore.server.lead.api.ProfileUpdated;
import io.leadscore.server.lead.api.RecordEngagementCommand;
import io.leadscore.server.lead.api.RecordEngagementsCommand;
import io.leadscore.server.lead.api.EngagementsOutcome;
import io.leadscore.server.scoring.EngagementFact;
import io.leadscore.server.lead.api.LeadTransitioned;
import io.leadscore.server.lead.api.RegisterLeadCommand;
import io.leadscore.server.lead.api.SalesTransition;
import io.leadscore.server.lead.api.TransitionLeadCommand;
import io.leadscore.server.lead.api.ScoreAdjusted;
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
public class Lead implements PersonalDataOwner {

    @AggregateIdentifier
    private String leadId;
    private LeadState state = new LeadState();

    /** For Axon: aggregates are created empty and sourced from events. */
    public Lead() {
    }

    /** The lead whose key seals the personal data in this aggregate's snapshots. */
    @Override
    public String leadId() {
        return leadId;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(RegisterLeadCommand command, PersonalDataReader personalData,
                                 ScoringModel model) {
        if (state.isRegistered()) {
            refuseIfErased();
            if (sameDetails(state.registration(), command, personalData)) {
                return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
            }
            throw new LeadscoreException(ErrorCode.LEAD_ALREADY_EXISTS, "lead_id",
                                         "lead is already registered with different details");
        }
        return applyFact(command.toEvent(), model);
    }

    /**
     * Imports a lead's history in one command: everything is validated by the handlers' own rules as it is applied,
     * and one refusal (different registration details, an erased lead) stores nothing. Facts already stored are
     * skipped, so a repeated import stores nothing; each new fact earns its automatic stages as a live one would.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(ImportLeadCommand command, PersonalDataReader personalData, ScoringModel model) {
        long versionBefore = state.version();
        boolean becameMql = false;
        CommandOutcome outcome = handle(command.registration(), personalData, model);
        becameMql |= outcome.becameMql();
        for (Object fact : command.factsInTimeOrder()) {
            if (fact instanceof UpdateProfileCommand update) {
                outcome = handle(update, model);
            } else if (fact instanceof RecordEngagementCommand engagement) {
                outcome = handle(engagement, model);
            } else {
                outcome = handle((ImportOutcomeCommand) fact);
            }
            becameMql |= outcome.becameMql();
        }
        int stored = (int) (state.version() - versionBefore);
        return new CommandOutcome(stored == 0 ? CommandOutcome.Effect.DUPLICATE : CommandOutcome.Effect.APPLIED,
                                  state.snapshot(), becameMql, stored);
    }

    @CommandHandler
    public CommandOutcome handle(UpdateProfileCommand command, ScoringModel model) {
        refuseIfErased();
        ProfileUpdated update = new ProfileUpdated(command.leadId(), command.profile(), command.updatedAt());
        if (state.hasProfile(update)) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        return applyFact(update, model);
    }

    /** History from another system: no stage rules, but the same outcome at the same time is stored once. */
    @CommandHandler
    public CommandOutcome handle(ImportOutcomeCommand command) {
        refuseIfErased();
        OutcomeImported imported = command.toEvent();
        if (state.hasImportedOutcome(imported)) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        apply(imported);
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, state.snapshot());
    }

    @CommandHandler
    public CommandOutcome handle(RecordEngagementCommand command, ScoringModel model) {
        refuseIfErased();
        if (state.hasEngagement(command.engagement().eventId())) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        return applyFact(new EngagementRecorded(command.leadId(), command.engagement()), model);
    }

    /**
     * Several engagements in order, each as {@link #handle(RecordEngagementCommand, ScoringModel)} would take it
     * (with the stages it earns), stored together: the same events as one command each, one append.
     */
    @CommandHandler
    public EngagementsOutcome handle(RecordEngagementsCommand command, ScoringModel model) {
        refuseIfErased();
        java.util.List<CommandOutcome.Effect> effects = new java.util.ArrayList<>();
        boolean becameMql = false;
        for (EngagementFact engagement : command.engagements()) {
            CommandOutcome outcome = handle(new RecordEngagementCommand(command.leadId(), engagement), model);
            effects.add(outcome.effect());
            becameMql |= outcome.becameMql();
        }
        return new EngagementsOutcome(effects, state.snapshot(), becameMql);
    }

    /** A retried registration repeats the details; its time may differ when the server chose it. */
    private static boolean sameDetails(LeadRegistered registered, RegisterLeadCommand command,
                                       PersonalDataReader personalData) {
        return personalData.reveal(registered.email()).equals(command.email())
               && personalData.reveal(registered.name()).equals(command.name())
               && registered.accountDomain().equals(command.accountDomain())
               && personalData.reveal(registered.accountName()).equals(command.accountName())
               && registered.channel().equals(command.channel())
               && registered.campaign().equals(command.campaign());
    }

    /**
     * A named sales transition: refused, naming the current stage, when the stage does not allow it. It records
     * the score and model that stood, and on a recycle the model's policy on keeping engagement; a reopened lead
     * is evaluated by the model at once.
     */
    @CommandHandler
    public CommandOutcome handle(TransitionLeadCommand command, ScoringModel model) {
        refuseIfErased();
        LeadStage current = state.stage();
        SalesTransition transition = command.transition();
        if (!transition.allowedFrom(current)) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "",
                                         transition.name().toLowerCase(java.util.Locale.ROOT) + " is not allowed: the lead is "
                                         + current + "; allowed from " + transition.from());
        }
        ScoreCard score = state.snapshot().score();
        boolean reset = transition.to() == LeadStage.RECYCLED && model.recycleResetsEngagement();
        apply(new LeadTransitioned(leadId, transition, current, transition.to(), command.actor(),
                                   command.reasonCode(), command.reason(), command.bant(), command.amount(),
                                   command.currency(), reset, command.at(), score.total(), score.modelVersion()));
        if (transition.to() == LeadStage.LEAD) {
            // A reopened lead whose rule already holds qualifies now, not at its next fact.
            return recordAutomaticStages(model, command.at());
        }
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, state.snapshot());
    }

    /** Records the breach once per MQL cycle, and only for an MQL sales has not answered within the SLA. */
    @CommandHandler
    public CommandOutcome handle(CheckSlaCommand command, ScoringModel model) {
        java.time.Duration sla = model.mqlSla();
        if (sla == null || state.erasedAt() != null || state.stage() != LeadStage.MQL || state.slaBreachedAt() != null
            || command.now().isBefore(state.mqlAt().plus(sla))) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        ScoreCard score = state.snapshot().score();
        apply(new SlaBreached(leadId, state.mqlAt(), state.mqlAt().plus(sla), command.now(), score.total(),
                              score.modelVersion()));
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, state.snapshot());
    }

    @CommandHandler
    public CommandOutcome handle(AdjustScoreCommand command, ScoringModel model) {
        refuseIfErased();
        if (state.hasAdjustment(command.adjustment().adjustmentId())) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        return applyFact(new ScoreAdjusted(command.leadId(), command.adjustment()), model);
    }

    /**
     * Erases the lead's personal data: the erasure is recorded once; the caller destroys the key after it is
     * stored (see {@code LeadCommands}).
     */
    @CommandHandler
    public CommandOutcome handle(EraseLeadCommand command) {
        if (state.erasedAt() != null) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        apply(new LeadErased(leadId, command.actor(), command.at()));
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, state.snapshot());
    }

    /** An erased lead takes no further facts: what the person asked to be forgotten must not grow again. */
    private void refuseIfErased() {
        if (state.erasedAt() != null) {
            throw new LeadscoreException(ErrorCode.FAILED_PRECONDITION, "lead_id",
                                         "the lead's personal data was erased at " + state.erasedAt()
                                         + "; it takes no further facts");
        }
    }

    /** Stores a fact, then records the automatic stages it earns the lead. */
    private CommandOutcome applyFact(Object fact, ScoringModel model) {
        apply(fact);
        return recordAutomaticStages(model, state.lastChangedAt());
    }

    /**
     * Records each automatic stage the active model gives the lead now ({@link LeadState#automaticAdvance}): IQL
     * when its profile is complete enough, MQL when the rule holds. Each is an event carrying the score and model
     * that decided it, so a later model never rewrites it.
     */
    private CommandOutcome recordAutomaticStages(ScoringModel model, Instant at) {
        boolean becameMql = false;
        for (LeadStage next = state.automaticAdvance(model, at); next != null;
             next = state.automaticAdvance(model, at)) {
            ScoreCard score = state.snapshot().score();
            if (next == LeadStage.IQL) {
                apply(new LeadInformationQualified(leadId, score.total(), score.modelVersion(), at));
            } else {
                apply(new LeadQualified(leadId, score.total(), score.modelVersion(), at));
                becameMql = true;
            }
        }
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, state.snapshot(), becameMql);
    }

    /**
     * Takes a newly published model's verdict on the current stage, as its {@code lifecycle.on_model_change}
     * says: an unanswered MQL that fails the new rule goes back to nurture, a lead the new rule qualifies becomes
     * an MQL now. Recorded stages before stay as they were.
     */
    @CommandHandler
    public CommandOutcome handle(ApplyModelChangeCommand command, ScoringModel model) {
        if (model.onModelChange() != ModelChangePolicy.REQUALIFY || state.erasedAt() != null) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        ScoreCard score = state.scoreUnder(model);
        LeadStage to;
        if (state.stage() == LeadStage.MQL) {
            to = score.qualifies() ? null : model.informationQualified(state.facts()) ? LeadStage.IQL : LeadStage.LEAD;
        } else {
            to = state.automaticDestination(model, command.at());
        }
        if (to == null) {
            return new CommandOutcome(CommandOutcome.Effect.DUPLICATE, state.snapshot());
        }
        apply(new LeadRestaged(leadId, state.stage(), to, command.previousModelVersion(), model.version(),
                               score.total(), command.at()));
        return new CommandOutcome(CommandOutcome.Effect.APPLIED, state.snapshot(), to == LeadStage.MQL);
    }

    /** Every stored event folds into the state; {@link LeadState} is the one place that says what each means. */
    @EventSourcingHandler
    void on(LeadEvent event, @SequenceNumber long sequence, ScoringModel model) {
        if (event instanceof LeadRegistered registered) {
            leadId = registered.leadId();
        }
        state.apply(event, sequence, model);
    }
}
