package io.leadscore.server;

import io.leadscore.server.axon.TrackedProjection;
import io.leadscore.server.readside.LeadScoreProjection;
import io.leadscore.server.readside.ProjectionRebuild;
import io.leadscore.server.readside.ScoreRowFormat;

/** The score projection as the Axon application runs it: rebuilt in one pass when its rows are not current. */
record TrackedScoreProjection(LeadScoreProjection projection, ProjectionRebuild onePass, ScoreRowFormat rowFormat)
        implements TrackedProjection {

    @Override
    public String processingGroup() {
        return LeadScoreProjection.PROCESSING_GROUP;
    }

    @Override
    public Object eventHandler() {
        return projection;
    }

    @Override
    public boolean rowsCurrent() {
        return rowFormat.current();
    }

    @Override
    public void rebuild() {
        onePass.run();
        rowFormat.rebuilt();
    }

    @Override
    public void rowsAreCurrent() {
        rowFormat.rebuilt();
    }
}
