package io.leadscore.server.analytics;

import io.leadscore.server.common.ErrorCode;
import io.leadscore.server.common.LeadscoreException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One spend record, event-sourced like every other fact so the funnel's costs can be recomputed as of any time.
 * Recording it again with the same details is a no-op; with other details it is refused (a correction is a new
 * spend id).
 */
public class Spend {

    @AggregateIdentifier
    private String spendId;
    private SpendRecorded recorded;

    /** For Axon. */
    public Spend() {
    }

    /** Answers true when the spend was already recorded with these details. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(RecordSpendCommand command) {
        SpendRecorded event = command.toEvent();
        if (recorded != null) {
            if (recorded.equals(event)) {
                return true;
            }
            throw new LeadscoreException(ErrorCode.SPEND_ALREADY_EXISTS, "spend_id",
                                         "spend is already recorded with different details");
        }
        apply(event);
        return false;
    }

    @EventSourcingHandler
    void on(SpendRecorded event) {
        spendId = event.spendId();
        recorded = event;
    }
}
